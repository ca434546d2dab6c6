/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One guest: its RAM, its boot block and its vCPU. The monitor runs one
 * guest per process; the passage's host services (which take no context
 * argument) reach it through guest_current.
 */
#ifndef COLINUX_ENGINE_GUEST_H
#define COLINUX_ENGINE_GUEST_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <colinux/passage.h>

/* How a guest ended, as the monitor reports it. */
enum guest_end {
	GUEST_RUNNING = 0,
	GUEST_POWER_OFF,
	GUEST_REBOOT,
	GUEST_PANIC,
	GUEST_BAD_BOOT,		/* the kernel refused the boot block */
};

struct guest {
	uint64_t mem_size;
	int mem_fd;		/* memfd holding guest RAM */
	uint8_t *ram;		/* == COLINUX_PHYS_BASE */

	struct passage_boot *boot;
	struct passage_vcpu vcpu;
	uint64_t entry;

	pthread_t vcpu_thread;
	pid_t vcpu_tid;
	int vcpu_idle;		/* in host_idle: a futex wake reaches it */
	timer_t timer;
	int timer_armed;

	int end_fd;		/* eventfd: the vCPU thread stopped */
	volatile int end;	/* enum guest_end */
	int exit_status;	/* the guest's, on power off */
	unsigned long handoff_spin;	/* 0: block on one CPU; else spin us */
	int handoff_given;	/* --handoff was on the command line */
	char panic_msg[512];
};

extern struct guest *guest_current;

/* memory.c */
int guest_memory_init(struct guest *g, uint64_t mem_size, char *err,
		      size_t errlen);
void guest_memory_fini(struct guest *g);
int guest_memory_map(uint64_t vaddr, uint64_t phys, uint64_t len, int prot);
int guest_memory_unmap(uint64_t vaddr, uint64_t len);

/* vcpu.c */
int vcpu_start(struct guest *g, char *err, size_t errlen);
void vcpu_raise_irq(struct guest *g, unsigned int line);

/* stubs.c */
int stubs_init(const char *path, char *err, size_t errlen);
void stubs_set_policy(int cpu, int vcpu, unsigned long spin_us);
long host_stub_create(uint64_t mailbox_phys, uint64_t edits_phys);
void host_stub_destroy(long stub);
void stubs_kill_all(void);
uint64_t stubs_host_clock_gettime(void);
int host_user_run(long stub, struct passage_mailbox *mb);
int host_stub_sync(long stub);

/* console.c: the guest console on the monitor's terminal */
int console_start(struct guest *g, char *err, size_t errlen);
void console_restore(void);
long host_console_read(char *buf, uint64_t len);

/* host_ops.c */
extern const struct passage_host_ops host_ops;
void guest_end(struct guest *g, enum guest_end how);

#endif

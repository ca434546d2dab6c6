// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the passage: the services the guest kernel calls on
 * its vCPU thread. Each is short, takes no lock the rest of the monitor
 * could hold, and uses little stack: it runs on a 16 KiB kernel stack.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "devices.h"
#include "guest.h"

struct guest *guest_current;

static void host_console_write(const char *buf, uint64_t len)
{
	while (len) {
		ssize_t n = write(1, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* stdout is gone: the log is lost, not the guest */
		buf += n;
		len -= (uint64_t)n;
	}
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t host_clock_monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static uint64_t host_clock_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

static int host_timer_set(uint64_t delta_ns)
{
	struct guest *g = guest_current;
	struct itimerspec its = {
		.it_value = {
			.tv_sec = (time_t)(delta_ns / 1000000000ULL),
			.tv_nsec = (long)(delta_ns % 1000000000ULL),
		},
	};

	if (timer_settime(g->timer, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

/*
 * Sleep until a line is pending. FUTEX_WAIT compares the word first, so
 * a line raised after the kernel looked is never slept through; our own
 * timer's signal ends the wait with EINTR.
 */
static void host_idle(void)
{
	struct guest *g = guest_current;
	volatile uint32_t *word = &g->vcpu.irq_pending;

	/* A line raised from now on needs only the futex wake, no kick. */
	__atomic_store_n(&g->vcpu_idle, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(word, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	__atomic_store_n(&g->vcpu_idle, 0, __ATOMIC_SEQ_CST);
}

/* Tell the main thread how the guest ended; it does the exiting. */
void guest_end(struct guest *g, enum guest_end how)
{
	uint64_t one = 1;
	ssize_t r;

	g->end = how;
	r = write(g->end_fd, &one, sizeof(one));
	(void)r;
}

static __attribute__((noreturn)) void host_halt(int reason, int status,
						 const char *msg)
{
	struct guest *g = guest_current;
	enum guest_end how = GUEST_POWER_OFF;

	if (reason == COLINUX_HALT_PANIC) {
		how = GUEST_PANIC;
		if (msg)
			strncpy(g->panic_msg, msg, sizeof(g->panic_msg) - 1);
	} else if (reason == COLINUX_HALT_REBOOT) {
		how = GUEST_REBOOT;
	}
	g->exit_status = status;
	guest_end(g, how);
	/* This vCPU never runs guest code again; the main thread exits. */
	for (;;)
		pause();
}

const struct passage_host_ops host_ops = {
	.console_write = host_console_write,
	.clock_monotonic_ns = host_clock_monotonic_ns,
	.clock_realtime_ns = host_clock_realtime_ns,
	.timer_set = host_timer_set,
	.idle = host_idle,
	.map = guest_memory_map,
	.unmap = guest_memory_unmap,
	.halt = host_halt,
	.stub_create = host_stub_create,
	.stub_destroy = host_stub_destroy,
	.user_run = host_user_run,
	.stub_sync = host_stub_sync,
	.console_read = host_console_read,
	.mmio_read = host_mmio_read,
	.mmio_write = host_mmio_write,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * Stub processes, the host side of guest address spaces. The kernel asks
 * for one per mm (stub_create), runs guest threads in it (user_run) and
 * ends it (stub_destroy). A stub is build/colinux-stub, started with the
 * guest RAM memfd as fd 3 and the mailbox's guest-physical address; it
 * dies with the monitor (PDEATHSIG) and is reaped by the host (SIGCHLD
 * is ignored). A handle is a slot of our table plus one: the monitor
 * only ever signals pids it spawned, and finds one without a search.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"
#include "host_vdso.h"

#define MAX_STUBS	4096
/*
 * The handoff policy. Blocking: the vCPU and its stubs share one CPU and
 * hand over by futex (a few microseconds; spinning there would only
 * delay the other side). Spinning: stubs live on another CPU and both
 * sides spin briefly before they sleep (near the trap floor, but it
 * costs a second CPU while guest code runs).
 */
static unsigned long spin_loops;
static int stub_cpu = -1;

void stubs_set_policy(int cpu, unsigned long spins)
{
	stub_cpu = cpu;
	spin_loops = spins;
}

static pid_t stub_pids[MAX_STUBS];
static char stub_path[PATH_MAX];
/* How each stub moves the host vDSO ("-": it does not). */
static char host_vdso_arg[256] = "-";
static uint64_t host_clock;

int stubs_init(const char *path, char *err, size_t errlen)
{
	if (access(path, X_OK) < 0) {
		snprintf(err, errlen, "%s: %s (build it with `make`)", path,
			 strerror(errno));
		return -errno;
	}
	snprintf(stub_path, sizeof(stub_path), "%s", path);
	{
		const char *why;

		host_clock = host_vdso_layout(host_vdso_arg,
					      sizeof(host_vdso_arg), &why);
		if (!host_clock) {
			strcpy(host_vdso_arg, "-");
			fprintf(stderr, "colinux: guest clock_gettime makes system calls: %s\n",
				why);
		}
	}
	signal(SIGCHLD, SIG_IGN);	/* dead stubs reap themselves */
	return 0;
}

static int free_slot(void)
{
	int i;

	for (i = 0; i < MAX_STUBS; i++)
		if (!stub_pids[i])
			return i;
	return -1;
}

uint64_t stubs_host_clock_gettime(void)
{
	return host_clock;
}

/* The pid behind a handle from the kernel, or 0 if it names none. */
static pid_t stub_pid(long stub)
{
	if (stub <= 0 || stub > MAX_STUBS)
		return 0;
	return stub_pids[stub - 1];
}

long host_stub_create(uint64_t mailbox_phys)
{
	struct guest *g = guest_current;
	char phys[32], ppid[32], spins[32];
	char *argv[] = { "colinux-stub", phys, ppid, spins, host_vdso_arg,
			 NULL };
	char *envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all;
	int slot = free_slot(), ret;
	pid_t pid;

	if (slot < 0)
		return -EAGAIN;
	if (mailbox_phys > g->mem_size - COLINUX_MAILBOX_PAGES * 4096ULL)
		return -EINVAL;
	snprintf(phys, sizeof(phys), "%llx", (unsigned long long)mailbox_phys);
	snprintf(ppid, sizeof(ppid), "%x", (unsigned int)getpid());
	snprintf(spins, sizeof(spins), "%lx", spin_loops);

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, g->mem_fd, COLINUX_STUB_MEM_FD);
	posix_spawnattr_init(&attr);
	sigfillset(&all);
	/* The stub unblocks them once its handlers are in place. */
	posix_spawnattr_setsigmask(&attr, &all);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK);
	ret = posix_spawn(&pid, stub_path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (ret)
		return -ret;
	if (stub_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(stub_cpu, &set);
		sched_setaffinity(pid, sizeof(set), &set);
	}
	stub_pids[slot] = pid;
	return slot + 1;
}

/* Every stub, before the monitor restarts or exits. */
void stubs_kill_all(void)
{
	int i;

	for (i = 0; i < MAX_STUBS; i++)
		if (stub_pids[i]) {
			kill(stub_pids[i], SIGKILL);
			stub_pids[i] = 0;
		}
}

void host_stub_destroy(long stub)
{
	pid_t pid = stub_pid(stub);

	if (!pid)
		return;
	kill(pid, SIGKILL);
	stub_pids[stub - 1] = 0;
}

static int futex(volatile uint32_t *w, int op, uint32_t val)
{
	return (int)syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

static int futex_wait_ms(volatile uint32_t *w, uint32_t val, long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };

	return (int)syscall(SYS_futex, w, FUTEX_WAIT, val, &ts, NULL, 0);
}

/*
 * Hand the thread to the stub and wait until it traps back. An interrupt
 * for the vCPU (its timer signal, or a kick from another monitor thread)
 * ends the futex wait with EINTR: then the stub is stopped with
 * SIGVTALRM, which it reports as COLINUX_TRAP_PREEMPT.
 */
int host_user_run(long stub, struct passage_mailbox *mb)
{
	struct guest *g = guest_current;
	pid_t pid = stub_pid(stub);
	int spin, kicked = 0;

	if (!pid)
		return -ESRCH;
	mb->kernel_busy = 0;
	__atomic_store_n(&mb->state, COLINUX_MB_USER, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&mb->stub_waiting, __ATOMIC_SEQ_CST))
		futex(&mb->state, FUTEX_WAKE, 1);

	for (spin = 0; (unsigned long)spin < spin_loops; spin++) {
		if (__atomic_load_n(&mb->state, __ATOMIC_ACQUIRE) ==
		    COLINUX_MB_KERNEL)
			return 0;
		if (g->vcpu.irq_pending)
			break;
		__asm__ volatile("pause");
	}
	for (;;) {
		if (!kicked && __atomic_load_n(&g->vcpu.irq_pending,
					       __ATOMIC_SEQ_CST)) {
			kicked = 1;
			if (kill(pid, SIGVTALRM) < 0)
				return -errno;
		}
		__atomic_store_n(&mb->kernel_waiting, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&mb->state, __ATOMIC_SEQ_CST) ==
		    COLINUX_MB_KERNEL)
			break;
		if (futex_wait_ms(&mb->state, COLINUX_MB_USER, 200) == 0 ||
		    errno == EINTR || errno == EAGAIN)
			continue;
		/* A stub that died never traps back: check now and then. */
		if (kill(pid, 0) < 0) {
			__atomic_store_n(&mb->kernel_waiting, 0,
					 __ATOMIC_SEQ_CST);
			return -ESRCH;
		}
	}
	__atomic_store_n(&mb->kernel_waiting, 0, __ATOMIC_SEQ_CST);
	return 0;
}

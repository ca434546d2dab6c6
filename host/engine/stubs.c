// SPDX-License-Identifier: GPL-2.0
/*
 * Stub processes, the host side of guest address spaces. The kernel asks
 * for one per mm (stub_create), runs guest threads in it (user_run),
 * flushes its mappings (stub_sync) and ends it (stub_destroy). A stub is
 * a child of the stub factory (build/colinux-stub, stub_start.h), with
 * the guest RAM memfd as fd 3; it dies with the monitor (PDEATHSIG). The
 * monitor reaps its stubs, so that a stub that died on its own can be
 * told apart from one we ended, and the reason named. A handle is a slot
 * of our table plus one: the monitor only ever signals pids it spawned,
 * and finds one without a search.
 *
 * Nothing a stub writes where guest code could is believed where it
 * matters: that a guest thread stopped (the mailbox's state) only decides
 * when the kernel runs; that the stub's mappings match the kernel's edits
 * is only ever taken from its mapper's answer, which guest code cannot
 * forge (stub_start.h).
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
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"
#include "host_vdso.h"
#include "sandbox.h"
#include "stub/spin_wait.h"
#include "stub/stub_start.h"

#define MAX_STUBS	4096
/*
 * The handoff policy. Blocking: the vCPU and its stubs share one CPU and
 * hand over by futex (a few microseconds; spinning there would only
 * delay the other side). Split: a stub may also live on another CPU,
 * where each side spins about as long as its recent waits before it
 * sleeps (spin_wait.h): a system call costs little more than the trap
 * itself, and a side whose waits are long stops spinning.
 */
static uint64_t spin_ticks;	/* base budget in TSC ticks; 0: blocking */
static int stub_cpu = -1, vcpu_cpu = -1;
/*
 * Split, where each stub runs depends on how long the kernel takes to
 * answer its traps. Where that is short (system calls that do not block),
 * it runs on the stub CPU ("far") and both sides spin: a system call
 * costs little more than its trap, and the guest kernel runs other tasks
 * while the process computes. Where it is long (fork, exec, a blocking
 * wait, a process starting up), a spin would not last, and a wake-up
 * that crosses CPUs costs far more than a switch on one: the stub runs
 * beside the vCPU ("near"), blocking. A stub starts near, as the whole
 * life of a short process is its start and end; from its
 * STUB_FAR_AFTER-th trap on, every STUB_PLACE_TRAPS traps, it goes far
 * if the kernel's answers took less than STUB_FAR_KERNEL spin budgets
 * on average, else near.
 */
#define STUB_PLACE_TRAPS	16
#define STUB_FAR_AFTER		64
#define STUB_FAR_KERNEL		4

/* TSC ticks per microsecond, measured against CLOCK_MONOTONIC. */
static uint64_t tsc_per_us(void)
{
	struct timespec t0, t1, nap = { 0, 1000000 };
	uint64_t c0, c1, ns;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	c0 = spin_wait_tsc();
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	c1 = spin_wait_tsc();
	ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL +
	     (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
	return ns ? (c1 - c0) * 1000 / ns : 0;
}

void stubs_set_policy(int cpu, int vcpu, unsigned long spin_us)
{
	stub_cpu = cpu;
	vcpu_cpu = vcpu;
	spin_ticks = cpu >= 0 ? spin_us * tsc_per_us() : 0;
}

static pid_t stub_pids[MAX_STUBS];
/* How the vCPU waits for each stub to trap back. */
static struct spin_wait stub_wait[MAX_STUBS];
/*
 * Split: whether a stub is far, its threads yet to move, its traps so
 * far, when it last trapped (TSC), and how long the kernel takes to
 * resume it (a moving average, TSC ticks).
 */
static int stub_far[MAX_STUBS], stub_moving[MAX_STUBS];
static uint32_t stub_traps[MAX_STUBS];
static uint64_t stub_trapped_at[MAX_STUBS], stub_kernel_avg[MAX_STUBS];
/* A stub that died on its own: its wait status, until the kernel asks. */
static int stub_died[MAX_STUBS], stub_status[MAX_STUBS];
static int stub_slots;	/* slots in use are below this */
/* The stub factory (stub_start.h), once started, and our end of its socket. */
static pid_t factory_pid;
static int factory_fd = -1, factory_died, factory_status;
/*
 * Recycling (stub_start.h): each slot's control page, in the RAM memfd
 * just above guest RAM; the mailbox each stub serves; and the retired
 * stubs waiting for an address space, most recent last.
 */
#define STUB_POOL_MAX	32
/* How long a mapper may take to answer, and a guest thread to stop. */
#define ANSWER_TIMEOUT_MS	1000	/* a retirement: the thread's exit */
#define APPLY_TIMEOUT_MS	30000	/* edits: a large process's can be slow */
#define KICK_TIMEOUT_MS		2000
static struct stub_ctl *stub_ctl_pages;
static uint64_t stub_mailbox[MAX_STUBS], stub_edits[MAX_STUBS];
static int stub_pool[STUB_POOL_MAX], stub_pool_len;
static char stub_path[PATH_MAX];
/* How each stub moves the host vDSO ("-": it does not). */
static char host_vdso_arg[256] = "-";
static uint64_t host_clock;
/* The sandbox's namespaces, or -1 where the host allows none. */
static int userns_fd = -1, mntns_fd = -1;

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
	{
		char why[128];

		if (sandbox_prepare(&userns_fd, &mntns_fd, why, sizeof(why)))
			fprintf(stderr, "colinux: stubs run without an empty root (%s): their seccomp filter alone guards the host\n",
				why);
	}
	/* Stubs stay zombies until reap_stubs() collects their status. */
	signal(SIGCHLD, SIG_DFL);
	return 0;
}

static int free_slot(void)
{
	int i;

	for (i = 0; i < MAX_STUBS; i++)
		if (!stub_pids[i] && !stub_died[i]) {
			if (i >= stub_slots)
				stub_slots = i + 1;
			return i;
		}
	return -1;
}

/*
 * Collect every dead stub. One we ended is forgotten; one still in the
 * table died on its own, and keeps its status for host_user_run.
 */
static void reap_stubs(void)
{
	pid_t pid;
	int st, i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == factory_pid) {
			factory_died = 1;
			factory_status = st;
			continue;
		}
		for (i = 0; i < stub_slots; i++)
			if (stub_pids[i] == pid) {
				stub_pids[i] = 0;
				stub_died[i] = 1;
				stub_status[i] = st;
				break;
			}
	}
}

static const char *stub_exit_reason(int code)
{
	switch (code) {
	case STUB_EXIT_ARGS: return "bad arguments";
	case STUB_EXIT_PARENT: return "the monitor was gone";
	case STUB_EXIT_MAILBOX: return "could not map its mailbox";
	case STUB_EXIT_FIRST_TRAP: return "its first trap returned";
	case STUB_EXIT_VDSO_LAYOUT: return "bad host vDSO layout";
	case STUB_EXIT_VDSO_MOVE: return "could not move the host vDSO";
	case STUB_EXIT_SANDBOX: return "could not join the sandbox namespaces";
	case STUB_EXIT_SIGSTACK: return "sigaltstack failed";
	case STUB_EXIT_SIGACTION: return "rt_sigaction failed";
	case STUB_EXIT_NO_NEW_PRIVS: return "PR_SET_NO_NEW_PRIVS failed";
	case STUB_EXIT_FILTER: return "its seccomp filter was refused";
	case STUB_EXIT_FACTORY: return "its socket to the monitor failed";
	case STUB_EXIT_CONTROL: return "could not map its control page";
	case STUB_EXIT_EDITS: return "could not map its edit page";
	case STUB_EXIT_THREAD: return "could not start its guest thread";
	case STUB_EXIT_ACK: return "could not answer the monitor";
	}
	return "unknown exit code";
}

/* Say why @what, a stub or the factory, ended with wait status @st. */
static void report_exit(const char *what, int st)
{
	if (WIFEXITED(st))
		fprintf(stderr, "colinux: %s exited with status %d: %s\n",
			what, WEXITSTATUS(st),
			stub_exit_reason(WEXITSTATUS(st)));
	else if (WIFSIGNALED(st))
		fprintf(stderr, "colinux: %s was killed by signal %d (%s)%s\n",
			what, WTERMSIG(st), strsignal(WTERMSIG(st)),
			WTERMSIG(st) == SIGSYS ?
			": its seccomp filter refused a host system call" : "");
}

/* Say why the stub in @slot died, and free the slot. */
static void report_dead_stub(int slot)
{
	report_exit("a stub process", stub_status[slot]);
	stub_died[slot] = 0;
}

uint64_t stubs_host_clock_gettime(void)
{
	return host_clock;
}

/* The slot behind a handle from the kernel, or -1 if it names none. */
static int stub_slot(long stub)
{
	return stub > 0 && stub <= MAX_STUBS ? (int)stub - 1 : -1;
}

/* The pid behind a handle, or 0 if it names no live stub. */
static pid_t stub_pid(long stub)
{
	int slot = stub_slot(stub);

	return slot < 0 ? 0 : stub_pids[slot];
}

static struct stub_ctl *ctl_of(int slot)
{
	return (struct stub_ctl *)((uint8_t *)stub_ctl_pages + slot * 4096UL);
}

static struct passage_mailbox *mailbox_of(int slot)
{
	return (struct passage_mailbox *)(guest_current->ram +
					  stub_mailbox[slot]);
}

static struct passage_mm_edits *edits_of(int slot)
{
	return (struct passage_mm_edits *)(guest_current->ram +
					   stub_edits[slot]);
}

/*
 * Start the stub factory (stub_start.h): the stub program, which sets
 * itself up once and then forks a stub for each request on its socket.
 * Called on the vCPU thread, so that stubs die with it (PDEATHSIG).
 */
static int factory_start(void)
{
	struct guest *g = guest_current;
	char ppid[32];
	char *argv[] = { "colinux-stub", ppid, host_vdso_arg, NULL };
	char *envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all;
	int sv[2], ret;
	pid_t pid;

	if (!stub_ctl_pages) {
		void *p;

		if (ftruncate(g->mem_fd, (off_t)(g->mem_size +
						  MAX_STUBS * 4096ULL)) < 0)
			goto out_ctl;
		p = mmap(NULL, MAX_STUBS * 4096ULL, PROT_READ | PROT_WRITE,
			 MAP_SHARED, g->mem_fd, (off_t)g->mem_size);
		if (p == MAP_FAILED)
			goto out_ctl;
		stub_ctl_pages = p;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	snprintf(ppid, sizeof(ppid), "%x", (unsigned int)getpid());

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, g->mem_fd, COLINUX_STUB_MEM_FD);
	if (userns_fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, userns_fd, STUB_USERNS_FD);
		posix_spawn_file_actions_adddup2(&fa, mntns_fd, STUB_MNTNS_FD);
	}
	posix_spawn_file_actions_adddup2(&fa, sv[1], STUB_FACTORY_FD);
	posix_spawnattr_init(&attr);
	sigfillset(&all);
	/* Stubs unblock them once their handlers are in place. */
	posix_spawnattr_setsigmask(&attr, &all);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK);
	ret = posix_spawn(&pid, stub_path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(sv[1]);
	if (ret) {
		close(sv[0]);
		fprintf(stderr, "colinux: cannot start %s: %s\n", stub_path,
			strerror(ret));
		return -ret;
	}
	/* Its stubs inherit the CPU. */
	if (stub_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(stub_cpu, &set);
		sched_setaffinity(pid, sizeof(set), &set);
	}
	factory_pid = pid;
	factory_fd = sv[0];
	return 0;

out_ctl:
	ret = -errno;
	fprintf(stderr, "colinux: cannot add %d stub control pages above guest RAM in its memfd: %s\n",
		MAX_STUBS, strerror(errno));
	return ret;
}

/* The factory failed us: say why, and start a new one next time. */
static void factory_lost(int err)
{
	reap_stubs();
	if (factory_died) {
		report_exit("the stub factory", factory_status);
		factory_died = 0;
	} else {
		fprintf(stderr, "colinux: the stub factory did not answer: %s\n",
			strerror(err));
		kill(factory_pid, SIGKILL);
	}
	close(factory_fd);
	factory_fd = -1;
	factory_pid = 0;
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

/* The vCPU's wait for a trap: as futex_wait_ms, woken by STUB_WAKE_VCPU. */
static int futex_wait_vcpu_ms(volatile uint32_t *w, uint32_t val, long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return (int)syscall(SYS_futex, w, FUTEX_WAIT_BITSET, val, &ts, NULL,
			    STUB_WAKE_VCPU);
}

/*
 * Pin thread @tid of a stub to @cpu. A failure costs only speed: it is
 * not checked. Never tid 0: that would pin the calling thread.
 */
static void pin(pid_t tid, int cpu)
{
	cpu_set_t set;

	if (tid <= 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(tid, sizeof(set), &set);
}

/*
 * Split: move the threads of the stub in @slot near the vCPU, or far
 * (spinning). The mapper first: a guest thread it starts after this
 * starts where it is.
 */
static void place_stub(int slot, int far)
{
	struct stub_ctl *ctl = ctl_of(slot);

	if (stub_far[slot] != far)
		pin(stub_pids[slot], far ? stub_cpu : vcpu_cpu);
	pin((pid_t)ctl->guest_tid, far ? stub_cpu : vcpu_cpu);
	ctl->spin_ticks = far ? spin_ticks : 0;
	stub_wait[slot].budget = ctl->spin_ticks;
	stub_far[slot] = far;
}

/* End the stub in @slot for good; return once it maps nothing. */
static void stub_kill(int slot)
{
	pid_t pid = stub_pids[slot];
	int st;

	if (pid) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	stub_pids[slot] = 0;
	stub_died[slot] = 0;
}

/*
 * Until the mapper of the stub in @slot has answered its last order.
 * Returns 0, or -1 if the stub died or did not answer in time (then it is
 * ended: it maps nothing).
 */
static int wait_answer(int slot)
{
	struct stub_ctl *ctl = ctl_of(slot);
	uint32_t want = ctl->doorbell, ack;
	/* A mapper's work is short: spin long enough for it to be woken. */
	uint64_t until = stub_far[slot] ? spin_wait_tsc() + 8 * spin_ticks : 0;
	int waited = 0, woken = 0;

	while ((ack = __atomic_load_n(&ctl->ack, __ATOMIC_ACQUIRE)) != want) {
		if (until && spin_wait_tsc() < until) {
			__builtin_ia32_pause();
			continue;
		}
		/* The guest thread should have woken the mapper: make sure. */
		if (!woken) {
			woken = 1;
			futex(&ctl->doorbell, FUTEX_WAKE, INT_MAX);
			continue;
		}
		if (futex_wait_ms(&ctl->ack, ack, 10) == 0 || errno == EINTR ||
		    errno == EAGAIN)
			continue;
		waited += 10;
		reap_stubs();
		if (!stub_pids[slot]) {
			report_dead_stub(slot);
			return -1;
		}
		if (waited >= (ctl->order == STUB_ORDER_RETIRE ?
			       ANSWER_TIMEOUT_MS : APPLY_TIMEOUT_MS)) {
			fprintf(stderr, "colinux: stub %d did not answer the monitor in %d ms: ending it\n",
				(int)stub_pids[slot], waited);
			stub_kill(slot);
			return -1;
		}
	}
	return 0;
}

/* Give the mapper in @slot an order whose fields are written. */
static void ring(int slot, enum stub_order order)
{
	struct stub_ctl *ctl = ctl_of(slot);

	ctl->order = order;
	__atomic_store_n(&ctl->doorbell, ctl->doorbell + 1, __ATOMIC_SEQ_CST);
}

/*
 * Order the stub in @slot to serve the new mm's pages. It starts near
 * (host_user_run moves its threads once its guest thread is known).
 */
static void order_assign(int slot, uint64_t mailbox_phys, uint64_t edits_phys)
{
	struct stub_ctl *ctl = ctl_of(slot);

	ctl->mailbox_phys = mailbox_phys;
	ctl->edits_phys = edits_phys;
	ctl->spin_ticks = 0;	/* near: never spin */
	ring(slot, STUB_ORDER_ASSIGN);
}

/* A retired stub from the pool, given the new mm's pages; or -1. */
static int stub_reuse(uint64_t mailbox_phys, uint64_t edits_phys)
{
	int slot;

	while (stub_pool_len) {
		/*
		 * The longest retired first: its mapper may still be
		 * dropping the old address space's pages.
		 */
		slot = stub_pool[0];
		memmove(stub_pool, stub_pool + 1,
			--stub_pool_len * sizeof(stub_pool[0]));
		if (!stub_pids[slot]) {
			/* It died in the pool: say why, free the slot. */
			if (stub_died[slot])
				report_dead_stub(slot);
			continue;
		}
		order_assign(slot, mailbox_phys, edits_phys);
		futex(&ctl_of(slot)->doorbell, FUTEX_WAKE, INT_MAX);
		return slot;
	}
	return -1;
}

long host_stub_create(uint64_t mailbox_phys, uint64_t edits_phys)
{
	struct guest *g = guest_current;
	struct stub_request req;
	struct stub_reply rep;
	struct stub_ctl *ctl;
	ssize_t n;
	int slot, ret;

	reap_stubs();
	if (mailbox_phys > g->mem_size - COLINUX_MAILBOX_PAGES * 4096ULL ||
	    edits_phys > g->mem_size - 4096ULL ||
	    (mailbox_phys | edits_phys) & 4095)
		return -EINVAL;
	slot = stub_reuse(mailbox_phys, edits_phys);
	if (slot >= 0)
		goto out;
	slot = free_slot();
	if (slot < 0)
		return -EAGAIN;
	if (!factory_pid) {
		ret = factory_start();
		if (ret)
			return ret;
	}
	/* The first order, waiting for the new mapper. */
	ctl = ctl_of(slot);
	ctl->doorbell = 0;
	ctl->ack = 0;
	stub_far[slot] = stub_cpu >= 0;	/* on the factory's CPU */
	order_assign(slot, mailbox_phys, edits_phys);
	req.ctl_offset = g->mem_size + slot * 4096ULL;
	do
		n = send(factory_fd, &req, sizeof(req), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n == sizeof(req))
		do
			n = recv(factory_fd, &rep, sizeof(rep), 0);
		while (n < 0 && errno == EINTR);
	if (n != sizeof(rep)) {
		factory_lost(n < 0 ? errno : EPIPE);
		return -EAGAIN;
	}
	if (rep.pid <= 0)
		return rep.pid < 0 ? (long)rep.pid : -EAGAIN;
	stub_pids[slot] = (pid_t)rep.pid;
out:
	stub_mailbox[slot] = mailbox_phys;
	stub_edits[slot] = edits_phys;
	/* Near: its threads move once its new guest thread is known. */
	stub_wait[slot] = (struct spin_wait){ 0 };
	stub_moving[slot] = stub_cpu >= 0;
	stub_traps[slot] = 0;
	stub_trapped_at[slot] = 0;
	stub_kernel_avg[slot] = 0;
	return slot + 1;
}

/* Every stub, before the monitor restarts or exits. */
void stubs_kill_all(void)
{
	int i;

	for (i = 0; i < stub_slots; i++) {
		if (stub_pids[i])
			kill(stub_pids[i], SIGKILL);
		stub_pids[i] = 0;
		stub_died[i] = 0;
	}
	stub_pool_len = 0;
	if (factory_pid)
		kill(factory_pid, SIGKILL);
}

/*
 * Retire the stub in @slot (stub_start.h): its guest thread exits, and
 * its mapper answers once it is gone; it drops the old address space's
 * pages after that. Returns 0, or -1 if it died or did not answer (then
 * it is ended).
 */
static int retire_stub(int slot)
{
	struct passage_mailbox *mb = mailbox_of(slot);

	if (wait_answer(slot))
		return -1;
	ring(slot, STUB_ORDER_RETIRE);
	__atomic_store_n(&mb->state, STUB_MB_RETIRE, __ATOMIC_SEQ_CST);
	/* A guest thread spinning wakes the mapper on its CPU as it exits. */
	if (__atomic_load_n(&mb->stub_waiting, __ATOMIC_SEQ_CST)) {
		futex(&mb->state, FUTEX_WAKE, INT_MAX);
		futex(&ctl_of(slot)->doorbell, FUTEX_WAKE, INT_MAX);
	}
	return wait_answer(slot);
}

void host_stub_destroy(long stub)
{
	int slot = stub_slot(stub);

	if (slot < 0)
		return;
	stub_died[slot] = 0;
	if (!stub_pids[slot])
		return;
	if (stub_pool_len < STUB_POOL_MAX) {
		if (!retire_stub(slot))
			stub_pool[stub_pool_len++] = slot;
		return;
	}
	stub_kill(slot);
}

/*
 * Apply the queued edits of the stub in @slot: now (STUB_ORDER_FLUSH),
 * or before its guest thread resumes (STUB_ORDER_RESUME). The guest
 * thread, spinning in its handler, sees STUB_MB_EDITS and sleeps to let
 * the mapper have their CPU.
 */
static void order_edits(int slot, enum stub_order order)
{
	struct passage_mailbox *mb = mailbox_of(slot);
	struct stub_ctl *ctl = ctl_of(slot);

	/*
	 * The state before the doorbell: a mapper already awake could
	 * otherwise take the order and set the state it leaves before we
	 * wrote EDITS over it. (A guest thread that sees EDITS before the
	 * doorbell, and wakes the mapper too early, wakes it again soon.)
	 */
	__atomic_store_n(&mb->state, STUB_MB_EDITS_FOR(ctl->doorbell + 1),
			 __ATOMIC_SEQ_CST);
	ring(slot, order);
	if (__atomic_load_n(&mb->stub_waiting, __ATOMIC_SEQ_CST))
		futex(&ctl->doorbell, FUTEX_WAKE, INT_MAX);
}

int host_stub_sync(long stub)
{
	int slot = stub_slot(stub);
	struct passage_mm_edits *edits;

	if (slot < 0 || !stub_pids[slot])
		return -ESRCH;
	edits = edits_of(slot);
	if (!edits->ncmds)
		return 0;
	if (wait_answer(slot))
		return -ESRCH;
	order_edits(slot, STUB_ORDER_FLUSH);
	if (wait_answer(slot))
		return -ESRCH;
	edits->ncmds = 0;
	return 0;
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
	int slot = stub_slot(stub);
	struct passage_mm_edits *edits;
	struct spin_wait *w;
	int kicked = 0, resumed = 0, waited = 0;
	uint32_t state;
	uint64_t until;

	if (!pid) {
		if (slot >= 0 && stub_died[slot])
			report_dead_stub(slot);
		return -ESRCH;
	}
	if (wait_answer(slot))
		return -ESRCH;
	/* Its ASSIGN is answered: its guest thread's tid is known. */
	if (stub_moving[slot]) {
		place_stub(slot, 0);
		stub_moving[slot] = 0;
	}
	if (stub_trapped_at[slot]) {
		uint64_t k = spin_wait_tsc() - stub_trapped_at[slot];

		stub_kernel_avg[slot] += k / 8 - stub_kernel_avg[slot] / 8;
	}
	edits = edits_of(slot);
	mb->kernel_busy = 0;
	if (edits->ncmds) {
		resumed = 1;
		order_edits(slot, STUB_ORDER_RESUME);
	} else {
		__atomic_store_n(&mb->state, COLINUX_MB_USER, __ATOMIC_SEQ_CST);
		/*
		 * Wake every waiter on the word, not one: a stub we killed
		 * may still be queued on it (a mailbox page is reused as soon
		 * as the kernel frees it, and the dying stub has not run
		 * since), and a wake it took would be lost to the new stub.
		 */
		if (__atomic_load_n(&mb->stub_waiting, __ATOMIC_SEQ_CST))
			futex(&mb->state, FUTEX_WAKE, INT_MAX);
	}

	w = &stub_wait[slot];
	until = spin_wait_begin(w);
	while (until) {
		if (__atomic_load_n(&mb->state, __ATOMIC_ACQUIRE) ==
		    COLINUX_MB_KERNEL) {
			spin_wait_end(w);
			goto trapped;
		}
		if (g->vcpu.irq_pending || !spin_wait_more(until))
			break;
	}
	for (;;) {
		if (!kicked && __atomic_load_n(&g->vcpu.irq_pending,
					       __ATOMIC_SEQ_CST)) {
			kicked = 1;
			if (kill(pid, SIGVTALRM) < 0)
				return -errno;
		}
		__atomic_store_n(&mb->kernel_waiting, 1, __ATOMIC_SEQ_CST);
		state = __atomic_load_n(&mb->state, __ATOMIC_SEQ_CST);
		if (state == COLINUX_MB_KERNEL)
			break;
		if (futex_wait_vcpu_ms(&mb->state, state, 200) == 0 ||
		    errno == EINTR || errno == EAGAIN)
			continue;
		/*
		 * Nothing for 200 ms. Wake the guest thread and the mapper
		 * again, should a wake-up have been lost; and a stub that
		 * died never traps back.
		 */
		futex(&mb->state, FUTEX_WAKE, INT_MAX);
		futex(&ctl_of(slot)->doorbell, FUTEX_WAKE, INT_MAX);
		reap_stubs();
		if (!stub_pid(stub)) {
			__atomic_store_n(&mb->kernel_waiting, 0,
					 __ATOMIC_SEQ_CST);
			report_dead_stub(slot);
			return -ESRCH;
		}
		/*
		 * A guest thread that does not stop when told to has blocked
		 * the host signal (guest code can: rt_sigreturn): end it.
		 * Only guest code counts: the mapper's edits for a large
		 * process can take a while, the thread asleep meanwhile.
		 */
		if (kicked && state == COLINUX_MB_USER &&
		    (waited += 200) >= KICK_TIMEOUT_MS) {
			__atomic_store_n(&mb->kernel_waiting, 0,
					 __ATOMIC_SEQ_CST);
			fprintf(stderr, "colinux: stub %d did not stop for an interrupt in %d ms: ending it\n",
				(int)pid, KICK_TIMEOUT_MS);
			stub_kill(slot);
			return -ESRCH;
		}
	}
	__atomic_store_n(&mb->kernel_waiting, 0, __ATOMIC_SEQ_CST);
	/* An interrupt says nothing of how long guest code runs. */
	if (!kicked)
		spin_wait_end(w);
trapped:
	/* Guest code may trap before its mapper answered: it must have. */
	if (resumed) {
		if (wait_answer(slot))
			return -ESRCH;
		edits->ncmds = 0;
	}
	if (stub_cpu >= 0) {
		int far = stub_kernel_avg[slot] < STUB_FAR_KERNEL * spin_ticks;

		stub_trapped_at[slot] = spin_wait_tsc();
		if (++stub_traps[slot] >= STUB_FAR_AFTER &&
		    stub_traps[slot] % STUB_PLACE_TRAPS == 0 &&
		    far != stub_far[slot])
			place_stub(slot, far);
	}
	return 0;
}

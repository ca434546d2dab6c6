// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU thread: it calls the kernel's entry point and from then on
 * runs guest kernel code, on guest kernel stacks, until the guest ends.
 * Host signals aimed at it are the guest's interrupts and exceptions:
 *  - SIGALRM, from its one-shot timer: mark COLINUX_IRQ_TIMER pending and
 *    return; the kernel takes it when it enables interrupts.
 *  - SIGSEGV, SIGBUS, SIGILL, SIGFPE raised by kernel code: rewrite the
 *    signal frame so that, on return, the vCPU enters the kernel's trap
 *    entry with the faulting registers, as a CPU vectors an exception.
 * Handlers run on their own signal stack: never on a 16 KiB kernel stack.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <ucontext.h>
#include <unistd.h>
#include "devices.h"
#include "guest.h"

#define VCPU_SIGNAL_STACK	(64 * 1024)
#define VCPU_KICK_SIGNAL	SIGUSR2

static __thread int on_vcpu;
static __thread uint8_t *vcpu_sigstack;

/* Async-signal-safe message to stderr. */
static void say(const char *a, const char *b)
{
	ssize_t r;

	r = write(2, a, strlen(a));
	if (b)
		r = write(2, b, strlen(b));
	(void)r;
}

static void die_in_handler(int sig, const char *why)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	say("colinux: monitor fault: ", why);
	say("\n", NULL);
	/* Re-raise with the default action so a real bug leaves a core. */
	sigaction(sig, &dfl, NULL);
}

static void on_timer(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	(void)ctx;
	__atomic_fetch_or(&guest_current->vcpu.irq_pending,
			  1u << COLINUX_IRQ_TIMER, __ATOMIC_SEQ_CST);
}

/* The kick only interrupts what the vCPU waits on; the bit says why. */
static void on_kick(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	(void)ctx;
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	struct guest *g = guest_current;
	ucontext_t *uc = ctx;
	greg_t *r = uc->uc_mcontext.gregs;
	uint64_t sp = (uint64_t)r[REG_RSP], frame;
	uint64_t ram = (uint64_t)g->ram;
	struct passage_trap *t;

	if (!on_vcpu) {
		die_in_handler(sig, "a fault outside guest code");
		return;
	}
	if (!g->boot->kernel_trap_entry) {
		die_in_handler(sig, sig == SIGILL ?
			       "the kernel refused the boot block (passage mismatch?)" :
			       "the kernel faulted before it could take traps");
		return;
	}
	/* Below the red zone of the interrupted code, 16-byte aligned. */
	frame = (sp - 128 - sizeof(*t)) & ~15ULL;
	if (frame < ram || sp > ram + g->mem_size) {
		die_in_handler(sig, "a fault on a stack outside guest RAM");
		return;
	}
	t = (struct passage_trap *)frame;
	t->regs = (struct passage_regs){
		.r15 = r[REG_R15], .r14 = r[REG_R14], .r13 = r[REG_R13],
		.r12 = r[REG_R12], .rbp = r[REG_RBP], .rbx = r[REG_RBX],
		.r11 = r[REG_R11], .r10 = r[REG_R10], .r9 = r[REG_R9],
		.r8 = r[REG_R8], .rax = r[REG_RAX], .rcx = r[REG_RCX],
		.rdx = r[REG_RDX], .rsi = r[REG_RSI], .rdi = r[REG_RDI],
		.orig_rax = (uint64_t)-1, .rip = r[REG_RIP], .cs = 0x10,
		.eflags = r[REG_EFL], .rsp = sp, .ss = 0x18,
	};
	t->trapno = r[REG_TRAPNO];
	t->error_code = r[REG_ERR];
	t->address = (uint64_t)si->si_addr;
	t->signo = sig;
	r[REG_RSP] = frame;
	r[REG_RDI] = frame;
	r[REG_RIP] = (greg_t)g->boot->kernel_trap_entry;
}

static int install(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = {
		.sa_sigaction = fn,
		.sa_flags = SA_SIGINFO | SA_ONSTACK,
	};

	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static void *vcpu_main(void *arg)
{
	struct guest *g = arg;
	stack_t ss = { .ss_size = VCPU_SIGNAL_STACK };
	struct sigevent sev = { 0 };
	sigset_t mask;

	g->vcpu_tid = (pid_t)syscall(SYS_gettid);
	vcpu_sigstack = malloc(VCPU_SIGNAL_STACK);
	ss.ss_sp = vcpu_sigstack;
	if (!vcpu_sigstack || sigaltstack(&ss, NULL) < 0) {
		fprintf(stderr, "colinux: vCPU signal stack: %s\n",
			strerror(errno));
		guest_end(g, GUEST_BAD_BOOT);
		return NULL;
	}
	on_vcpu = 1;

	/*
	 * Pin the vCPU to the CPU it starts on; the stubs it spawns inherit
	 * that. A handoff between two threads blocking on one CPU costs a
	 * few microseconds; across CPUs, a virtualised wake-up costs tens.
	 */
	{
		cpu_set_t allowed, set;
		int cpu = sched_getcpu(), other = -1, i;

		if (cpu < 0)
			cpu = 0;
		/* Spinning: stubs on another CPU we may use, if any. */
		if (g->handoff_spin &&
		    !sched_getaffinity(0, sizeof(allowed), &allowed))
			for (i = 0; i < CPU_SETSIZE && other < 0; i++)
				if (i != cpu && CPU_ISSET(i, &allowed))
					other = i;
		/* Only a spin asked for is worth a word; the default adapts. */
		if (g->handoff_spin && other < 0 && g->handoff_given)
			fprintf(stderr, "colinux: --handoff spin needs a second CPU; blocking on CPU %d\n",
				cpu);
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
		/* Device threads too: their wake-ups stay on this CPU. */
		devices_set_cpu(cpu);
		stubs_set_policy(other, cpu, other < 0 ? 0 : g->handoff_spin);
	}

	/* The guest's clock event device: a one-shot timer aimed at us. */
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev._sigev_un._tid = g->vcpu_tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &g->timer) < 0) {
		fprintf(stderr, "colinux: vCPU timer_create: %s\n",
			strerror(errno));
		guest_end(g, GUEST_BAD_BOOT);
		return NULL;
	}

	/* The vCPU takes its timer and its own faults; nothing else. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGALRM);
	sigaddset(&mask, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &mask, NULL);

	((passage_entry_fn)g->entry)(g->boot);

	/* colinux_entry never returns; if it did, the boot block was refused. */
	fprintf(stderr, "colinux: the kernel returned from its entry point\n");
	guest_end(g, GUEST_BAD_BOOT);
	return NULL;
}

int vcpu_start(struct guest *g, char *err, size_t errlen)
{
	pthread_attr_t attr;
	int ret;

	if (install(SIGALRM, on_timer) || install(VCPU_KICK_SIGNAL, on_kick) || install(SIGSEGV, on_fault) ||
	    install(SIGBUS, on_fault) || install(SIGILL, on_fault) ||
	    install(SIGFPE, on_fault)) {
		ret = -errno;
		snprintf(err, errlen, "sigaction: %s", strerror(errno));
		return ret;
	}

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	ret = -pthread_create(&g->vcpu_thread, &attr, vcpu_main, g);
	pthread_attr_destroy(&attr);
	if (ret) {
		snprintf(err, errlen, "cannot start the vCPU thread: %s",
			 strerror(-ret));
		return ret;
	}
	return 0;
}

/*
 * From any monitor thread: raise a line and wake the vCPU, whether it
 * idles (futex on the pending word) or waits for a stub (the kick signal
 * ends that wait).
 */
void vcpu_raise_irq(struct guest *g, unsigned int line)
{
	__atomic_fetch_or(&g->vcpu.irq_pending, 1u << line, __ATOMIC_SEQ_CST);
	/*
	 * Raised by the vCPU itself (a device that completed a request in
	 * its register access): the kernel takes it when it next enables
	 * interrupts; there is nothing to wake.
	 */
	if (on_vcpu)
		return;
	syscall(SYS_futex, &g->vcpu.irq_pending, FUTEX_WAKE_PRIVATE, 1, NULL,
		NULL, 0);
	/*
	 * Idle, it sleeps on the pending word and the wake above is enough;
	 * it takes the line before it can wait on anything else. Else a
	 * signal ends whatever it waits on (a stub's turn).
	 */
	if (g->vcpu_tid && !__atomic_load_n(&g->vcpu_idle, __ATOMIC_SEQ_CST))
		syscall(SYS_tgkill, getpid(), g->vcpu_tid, VCPU_KICK_SIGNAL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code tries to reach guest RAM it was not given, through what its
 * stub process leaves within reach (every writable page of the process,
 * every instruction of the stub's text):
 *
 *   edits    write the kernel's edit page (queue its own mapping)
 *   control  write the stub's control page (order its mapper about)
 *   gadget   run the stub's own `syscall` instruction as mmap of guest
 *            RAM's memfd at offset 0, the kernel's first page
 *   forged   write "trapped: munmap(page)" into its mailbox instead of
 *            trapping, keep running, and read the page once the kernel
 *            has answered: the page is free by then. (While the kernel
 *            works, its flush removes the page before it frees it; no
 *            program can see that moment, so this checks the answer.)
 *
 * Each must fail. Prints a line per check; exits with the number of
 * checks that did not.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <x86intrin.h>
#include <colinux/passage.h>
#include "stub/stub_start.h"

#define TARGET	((volatile unsigned char *)0x500000000000ULL)

static sigjmp_buf env;
static unsigned long gadget;
static int failures;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	(void)si;
	(void)ctx;
	siglongjmp(env, sig);
}

static void report(const char *check, int ok, const char *what)
{
	printf("stub_escape: %s: %s: %s\n", check, ok ? "ok" : "FAILED", what);
	failures += !ok;
}

/* Whether a byte can be written at @p (its old value is put back). */
static int writable(volatile unsigned char *p)
{
	if (sigsetjmp(env, 1))
		return 0;
	*p = *p;
	return 1;
}

static int readable(volatile unsigned char *p)
{
	if (sigsetjmp(env, 1))
		return 0;
	(void)*p;
	return 1;
}

/* The first `syscall` instruction in the stub's text, or 0. */
static unsigned long find_syscall(void)
{
	volatile unsigned char *p = (void *)COLINUX_STUB_BASE;
	unsigned long i;

	for (i = 0; i < 0x10000 - 1; i++) {
		if (!readable(p + i))
			return 0;
		if (p[i] == 0x0f && p[i + 1] == 0x05)
			return COLINUX_STUB_BASE + i;
	}
	return 0;
}

/*
 * Leave this handler at the stub's syscall instruction, as mmap(TARGET,
 * 4096, PROT_READ, MAP_SHARED | MAP_FIXED, 3, 0), with the trap flag
 * set: a SIGTRAP comes one instruction after it, and brings us back.
 */
static void jump_to_gadget(int sig, siginfo_t *si, void *ctx)
{
	greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;

	(void)sig;
	(void)si;
	g[REG_RAX] = SYS_mmap;
	g[REG_RDI] = (greg_t)TARGET;
	g[REG_RSI] = 4096;
	g[REG_RDX] = PROT_READ;
	g[REG_R10] = MAP_SHARED | MAP_FIXED;
	g[REG_R8] = COLINUX_STUB_MEM_FD;
	g[REG_R9] = 0;
	g[REG_RBX] = g[REG_RBP] = g[REG_R12] = g[REG_R13] = 0;
	g[REG_R14] = g[REG_R15] = g[REG_RCX] = g[REG_R11] = 0;
	g[REG_RIP] = (greg_t)gadget;
	g[REG_EFL] |= 0x100;
}

static void check_gadget(void)
{
	struct sigaction sa = { .sa_sigaction = jump_to_gadget,
				.sa_flags = SA_SIGINFO };

	gadget = find_syscall();
	if (!gadget) {
		report("gadget", 0, "no syscall instruction found in the stub");
		return;
	}
	close(COLINUX_STUB_MEM_FD);	/* the guest's fd 3 maps nothing */
	sigaction(SIGUSR1, &sa, NULL);
	if (!sigsetjmp(env, 1))
		raise(SIGUSR1);
	report("gadget", !readable(TARGET),
	       "mmap of guest RAM from the stub's own syscall instruction");
}

/*
 * If a real trap (the host's preemption signal) overtakes the forgery
 * after the kernel took it, the kernel resumes the thread with the forged
 * registers: here, on a stack of its own. That attempt says nothing.
 */
static sigjmp_buf retry_env;
static unsigned char landing_stack[65536] __attribute__((aligned(16)));

static void forged_landing(void)
{
	siglongjmp(retry_env, 1);
}

/* One attempt: 1 the page was gone, 0 it was not, -1 no verdict. */
static int forge_munmap(void)
{
	struct passage_mailbox *mb = (void *)COLINUX_STUB_MAILBOX;
	volatile unsigned char *page;
	unsigned long long start;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return -1;
	memset((void *)page, 0x5a, 4096);
	if (sigsetjmp(retry_env, 1))
		return -1;
	/*
	 * Right after a system call the vCPU is still spinning for our
	 * next trap, and sees the forged one at once. No system call from
	 * here on: a real trap would undo the forgery.
	 */
	syscall(SYS_getppid);
	memset(&mb->regs, 0, sizeof(mb->regs));
	mb->regs.orig_rax = SYS_munmap;
	mb->regs.rax = (unsigned long)-38;
	mb->regs.rdi = (unsigned long)page;
	mb->regs.rsi = 4096;
	mb->regs.rip = (unsigned long)forged_landing;
	mb->regs.rsp = (unsigned long)landing_stack + sizeof(landing_stack) - 8;
	mb->regs.eflags = 0x202;
	mb->trap = COLINUX_TRAP_SYSCALL;
	__atomic_store_n(&mb->state, COLINUX_MB_KERNEL, __ATOMIC_SEQ_CST);
	start = __rdtsc();
	while (__atomic_load_n(&mb->state, __ATOMIC_SEQ_CST) !=
	       COLINUX_MB_USER)
		if (__rdtsc() - start > 20000000000ULL)
			return -1;
	if (sigsetjmp(env, 1))
		return 1;
	(void)*page;
	/* Readable: a hole if the kernel did unmap it, else no verdict. */
	if (msync((void *)page, 4096, MS_ASYNC) < 0)
		return 0;
	return -1;
}

static void check_forged_trap(void)
{
	const char *what =
		"a page unmapped by a forged trap is gone once the kernel answers";
	int i, verdict = -1;

	for (i = 0; i < 20 && verdict < 0; i++)
		verdict = forge_munmap();
	if (verdict < 0)
		report("forged", 0, "no verdict in 20 attempts");
	else
		report("forged", verdict, what);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault,
				.sa_flags = SA_SIGINFO | SA_NODEFER };

	setvbuf(stdout, NULL, _IONBF, 0);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);

	report("edits", !writable((void *)COLINUX_STUB_EDITS),
	       "the edit page is read-only");
	report("control", !writable((void *)STUB_CTL_ADDR),
	       "the control page is read-only");
	check_gadget();
	check_forged_trap();
	printf("stub_escape: %d of 4 checks failed\n", failures);
	return failures;
}

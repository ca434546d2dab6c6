// SPDX-License-Identifier: GPL-2.0
/*
 * The stub: the only host code in a guest address space's process. No
 * libc, no file system, nothing mapped but itself, the mm's mailbox and
 * edit page, and guest pages. Two threads (stub_start.h):
 *
 * The guest thread runs guest code. It traps every guest system call
 * (seccomp: any syscall not made from the stub's own code raises SIGSYS)
 * and every fault, saves the guest registers in the mailbox, hands the
 * CPU to the kernel and waits; on resume it loads the registers the
 * kernel left and returns into guest code. The guest's vector state
 * never leaves the host signal frame it was saved in.
 *
 * The mapper thread maps and unmaps guest RAM as the kernel's edits say,
 * and nothing else. Guest code can write every writable page of this
 * process and jump anywhere in its text, so the mapper keeps its state
 * in registers, reads only read-only pages, and only it may map: the
 * guest thread's own seccomp filter forbids it.
 *
 * Nothing here trusts the mailbox to protect the host or the guest
 * kernel: the seccomp filters alone decide what host calls each thread
 * can make.
 */
#define _GNU_SOURCE
#pragma GCC visibility push(hidden)
#include <stddef.h>
#include <stdint.h>
#include <linux/audit.h>
#include <linux/errno.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <asm/prctl.h>
#include <asm/unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <linux/auxvec.h>
#include <linux/sched.h>
#include <sys/ucontext.h>
#include <colinux/passage.h>
#include "spin_wait.h"
#include "stub_start.h"

#define STUB_STACK	(16 * 1024)
#define STUB_SIGSTACK	(64 * 1024)
/* How the guest thread waits for the kernel; its budget comes from the monitor. */
static struct spin_wait kernel_wait;
#define SA_RESTORER	0x04000000

extern char stub_text_start[], stub_text_end[];

/*
 * Writable memory: all of it zero-initialised, and zeroed again by the
 * mapper before each guest thread starts (stub.lds), so nothing of one
 * guest process's registers or stack reaches the next. Zeroed in place,
 * not mapped afresh: the pages stay, and a new thread takes no faults.
 */
uint8_t stub_stack[STUB_STACK] __attribute__((aligned(16), used));
uint8_t guest_stack[STUB_STACK] __attribute__((aligned(16), used));
static uint8_t stub_sigstack[STUB_SIGSTACK] __attribute__((aligned(16)));
static int booted;
static unsigned long monitor_pid;
static uint64_t cur_fs_base, cur_gs_base;
/* The guest thread's tid while it lives: the host clears it at its exit. */
volatile uint32_t guest_tid __attribute__((used));

#define MB ((struct passage_mailbox *)COLINUX_STUB_MAILBOX)
#define CTL ((const struct stub_ctl *)STUB_CTL_ADDR)
#define MB_FPU ((void *)(COLINUX_STUB_MAILBOX + COLINUX_MAILBOX_FPU))

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sys3(nr, a, b, c) sys6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

static __attribute__((noreturn)) void stub_exit(int code)
{
	for (;;)
		sys3(__NR_exit_group, code, 0, 0);
}

static void futex_wait(const volatile uint32_t *w, uint32_t val)
{
	sys6(__NR_futex, (long)w, FUTEX_WAIT, val, 0, 0, 0);
}

/*
 * Every waiter: a killed stub whose mailbox page this was may still be
 * queued on the word, and must not take the vCPU's wake (stubs.c).
 */
static void futex_wake(const volatile uint32_t *w)
{
	sys6(__NR_futex, (long)w, FUTEX_WAKE, 0x7fffffff, 0, 0, 0);
}

static unsigned long parse_hex(const char *s)
{
	unsigned long v = 0;

	for (; *s; s++)
		v = v * 16 + (unsigned long)(*s <= '9' ? *s - '0' :
					     (*s | 0x20) - 'a' + 10);
	return v;
}

/* Hex digits at *s, leaving *s after them. */
static unsigned long take_hex(const char **s)
{
	unsigned long v = 0;

	for (; (**s >= '0' && **s <= '9') || ((**s | 0x20) >= 'a' &&
						 (**s | 0x20) <= 'f'); (*s)++)
		v = v * 16 + (unsigned long)(**s <= '9' ? **s - '0' :
					     (**s | 0x20) - 'a' + 10);
	return v;
}

/*
 * Move the host's vDSO and its data pages, as the monitor described them
 * ("PRE;REL:LEN;..."), from where the host put them to the fixed place
 * the guest's vDSO calls into. "-": leave them (they are unmapped below).
 */
static void move_host_vdso(const char *layout, long *sp)
{
	unsigned long vdso = 0, block;
	long *p = sp + 1 + sp[0] + 1;	/* past argv */

	if (layout[0] == '-')
		return;
	while (*p)
		p++;			/* past envp */
	for (p++; p[0] != AT_NULL; p += 2)
		if (p[0] == AT_SYSINFO_EHDR)
			vdso = (unsigned long)p[1];
	if (!vdso)
		stub_exit(STUB_EXIT_VDSO_LAYOUT);
	block = vdso - take_hex(&layout);
	while (*layout == ';') {
		unsigned long rel, len;

		layout++;
		rel = take_hex(&layout);
		if (*layout++ != ':')
			stub_exit(STUB_EXIT_VDSO_LAYOUT);
		len = take_hex(&layout);
		if (rel + len > COLINUX_STUB_HOST_VDSO_MAX ||
		    sys6(__NR_mremap, block + rel, len, len,
			 MREMAP_MAYMOVE | MREMAP_FIXED,
			 COLINUX_STUB_HOST_VDSO + rel, 0) !=
		    (long)(COLINUX_STUB_HOST_VDSO + rel))
			stub_exit(STUB_EXIT_VDSO_MOVE);
	}
}

/*
 * Leave the host's file system: join the monitor's sandbox (a user and
 * mount namespace whose root is an empty, read-only tmpfs; sandbox.c).
 * The stub opens no file after its start; guest code that jumped into
 * the stub's own system call would find nothing to open. Without the
 * descriptors (the host allows no user namespaces) the seccomp filter
 * alone guards the host.
 */
static void join_sandbox(void)
{
	long r = sys3(__NR_setns, STUB_USERNS_FD, CLONE_NEWUSER, 0);

	if (r == -EBADF)
		return;		/* the monitor gave us none */
	if (r || sys3(__NR_setns, STUB_MNTNS_FD, CLONE_NEWNS, 0) ||
	    sys3(__NR_chdir, "/", 0, 0))
		stub_exit(STUB_EXIT_SANDBOX);
	sys3(__NR_close, STUB_USERNS_FD, 0, 0);
	sys3(__NR_close, STUB_MNTNS_FD, 0, 0);
}

static void save_regs(struct passage_mailbox *mb, const greg_t *g)
{
	struct passage_regs *r = &mb->regs;

	r->r15 = g[REG_R15]; r->r14 = g[REG_R14]; r->r13 = g[REG_R13];
	r->r12 = g[REG_R12]; r->rbp = g[REG_RBP]; r->rbx = g[REG_RBX];
	r->r11 = g[REG_R11]; r->r10 = g[REG_R10]; r->r9 = g[REG_R9];
	r->r8 = g[REG_R8]; r->rax = g[REG_RAX]; r->rcx = g[REG_RCX];
	r->rdx = g[REG_RDX]; r->rsi = g[REG_RSI]; r->rdi = g[REG_RDI];
	r->orig_rax = (uint64_t)-1; r->rip = g[REG_RIP];
	r->eflags = g[REG_EFL]; r->rsp = g[REG_RSP];
	r->cs = 0x33;
	r->ss = 0x2b;
	mb->fs_base = cur_fs_base;
	mb->gs_base = cur_gs_base;
}

static void load_regs(const struct passage_mailbox *mb, greg_t *g)
{
	const struct passage_regs *r = &mb->regs;
	/* Only the flags user code may change: CF PF AF ZF SF TF DF OF AC ID. */
	const uint64_t user_flags = 0x240dd5;

	g[REG_R15] = r->r15; g[REG_R14] = r->r14; g[REG_R13] = r->r13;
	g[REG_R12] = r->r12; g[REG_RBP] = r->rbp; g[REG_RBX] = r->rbx;
	g[REG_R11] = r->r11; g[REG_R10] = r->r10; g[REG_R9] = r->r9;
	g[REG_R8] = r->r8; g[REG_RAX] = r->rax; g[REG_RCX] = r->rcx;
	g[REG_RDX] = r->rdx; g[REG_RSI] = r->rsi; g[REG_RDI] = r->rdi;
	g[REG_RIP] = r->rip; g[REG_RSP] = r->rsp;
	g[REG_EFL] = (g[REG_EFL] & ~user_flags) | (r->eflags & user_flags);
	if (mb->fs_base != cur_fs_base) {
		cur_fs_base = mb->fs_base;
		sys3(__NR_arch_prctl, ARCH_SET_FS, cur_fs_base, 0);
	}
	if (mb->gs_base != cur_gs_base) {
		cur_gs_base = mb->gs_base;
		sys3(__NR_arch_prctl, ARCH_SET_GS, cur_gs_base, 0);
	}
}

static void copy_bytes(void *to, const void *from, uint64_t n)
{
	__asm__ volatile("rep movsb"
			 : "+D"(to), "+S"(from), "+c"(n) : : "memory");
}

/* The size of the vector state the host saved in this frame. */
static uint64_t frame_fpu_size(const void *fp)
{
	const struct _fpx_sw_bytes *sw;

	if (!fp)
		return 0;
	/* x86's sw_reserved: the last 48 bytes of the FXSAVE image. */
	sw = (const void *)((const char *)fp + 464);
	if (sw->magic1 == FP_XSTATE_MAGIC1)
		return sw->extended_size;
	return 512;	/* FXSAVE only */
}

/*
 * Wait while the kernel owns the thread: spin a little (the vCPU may be
 * on the other CPU), then sleep. Returns the new state.
 */
static uint32_t wait_for_kernel(struct passage_mailbox *mb)
{
	uint64_t until;
	uint32_t state = COLINUX_MB_KERNEL;
	int blocked = 0;

	/* Ours, where the monitor moves us (near: 0, never spin). */
	kernel_wait.budget = CTL->spin_ticks;
	until = spin_wait_begin(&kernel_wait);

	while (until) {
		state = __atomic_load_n(&mb->state, __ATOMIC_ACQUIRE);
		if (state != COLINUX_MB_KERNEL)
			goto out;
		/* The thread blocked: do not hold the CPU. */
		blocked = __atomic_load_n(&mb->kernel_busy, __ATOMIC_ACQUIRE);
		if (blocked || !spin_wait_more(until))
			break;
	}
	for (;;) {
		__atomic_store_n(&mb->stub_waiting, 1, __ATOMIC_SEQ_CST);
		state = __atomic_load_n(&mb->state, __ATOMIC_SEQ_CST);
		if (state != COLINUX_MB_KERNEL)
			break;
		futex_wait(&mb->state, COLINUX_MB_KERNEL);
	}
	__atomic_store_n(&mb->stub_waiting, 0, __ATOMIC_SEQ_CST);
out:
	/* A blocked thread says nothing of how long the kernel takes. */
	if (!blocked)
		spin_wait_end(&kernel_wait);
	return state;
}

/*
 * Until the kernel resumes the thread. The mapper may have an order
 * first (STUB_MB_EDITS): wake it, here on our own CPU, and sleep until
 * it is done. The kernel ending the address space (STUB_MB_RETIRE) ends
 * the thread; the mapper starts a new one for the next.
 */
static void wait_for_resume(struct passage_mailbox *mb)
{
	uint32_t state;

	for (;;) {
		state = wait_for_kernel(mb);
		while (STUB_MB_IS_EDITS(state)) {
			/* Again and again: the doorbell may not be rung yet. */
			futex_wake(&CTL->doorbell);
			sys6(__NR_futex, (long)&mb->state, FUTEX_WAIT, state,
			     (long)&(struct timespec){ 0, 100000 }, 0, 0);
			state = __atomic_load_n(&mb->state, __ATOMIC_SEQ_CST);
		}
		if (state == STUB_MB_RETIRE) {
			futex_wake(&CTL->doorbell);
			for (;;)
				sys3(__NR_exit, 0, 0, 0);
		}
		/* Any other value: guest code wrote it; it resumes itself. */
		if (state != COLINUX_MB_KERNEL)
			return;
	}
}

/* Every trap of guest code comes here, on the stub's signal stack. */
static void stub_trap(int sig, siginfo_t *si, void *ctx)
{
	struct passage_mailbox *mb = MB;
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t fpu_size;

	if (booted) {
		save_regs(mb, g);
		mb->signo = (uint64_t)sig;
		mb->si_code = (uint64_t)si->si_code;
		mb->address = (uint64_t)si->si_addr;
		mb->trapno = g[REG_TRAPNO];
		mb->error_code = g[REG_ERR];
		if (sig == SIGSYS) {
			mb->trap = COLINUX_TRAP_SYSCALL;
			mb->regs.orig_rax = g[REG_RAX];
			mb->regs.rax = (uint64_t)-38;	/* -ENOSYS, as x86 */
		} else if (sig == SIGVTALRM) {
			mb->trap = COLINUX_TRAP_PREEMPT;
		} else {
			mb->trap = COLINUX_TRAP_FAULT;
		}
		fpu_size = frame_fpu_size(uc->uc_mcontext.fpregs);
		if (fpu_size > COLINUX_MAILBOX_FPU_MAX)
			fpu_size = 0;	/* too big to keep: signals get none */
		if (fpu_size)
			copy_bytes(MB_FPU, uc->uc_mcontext.fpregs, fpu_size);
		mb->fpu_size = (uint32_t)fpu_size;
		mb->fpu_dirty = 0;
		__atomic_store_n(&mb->state, COLINUX_MB_KERNEL,
				 __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&mb->kernel_waiting, __ATOMIC_SEQ_CST))
			futex_wake(&mb->state);
	}
	if (!booted) {
		/*
		 * The thread started with SIGVTALRM blocked, so that no
		 * preemption came before its first trap; guest code runs
		 * with none blocked.
		 */
		*(uint64_t *)&((ucontext_t *)ctx)->uc_sigmask = 0;
		booted = 1;
	}

	wait_for_resume(mb);
	load_regs(mb, g);
	/* Vector state the kernel changed (sigreturn): the host checks it. */
	if (mb->fpu_dirty) {
		fpu_size = frame_fpu_size(uc->uc_mcontext.fpregs);
		if (fpu_size && fpu_size == mb->fpu_size)
			copy_bytes(uc->uc_mcontext.fpregs, MB_FPU, fpu_size);
		mb->fpu_dirty = 0;
	}
}

struct kernel_sigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

void stub_restorer(void);
__asm__(".text\n"
	"stub_restorer:\n"
	"	mov $15, %eax\n"	/* rt_sigreturn */
	"	syscall\n");

static void install_handlers(void)
{
	static const int sigs[] = {
		SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGVTALRM,
	};
	struct kernel_sigaction sa = {
		.handler = stub_trap,
		.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
		.restorer = stub_restorer,
		.mask = ~0ULL,	/* nothing nests inside a trap */
	};
	unsigned int i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sys6(__NR_rt_sigaction, sigs[i], (long)&sa, 0, 8, 0, 0))
			stub_exit(STUB_EXIT_SIGACTION);
}

/*
 * The filter, installed once in the factory and inherited by every stub:
 * system calls from guest code (anywhere outside the stub's text) trap;
 * the stub's own may only be these, and map only guest RAM. The host
 * vDSO (moved to COLINUX_STUB_HOST_VDSO) may read the host's clocks when
 * its fast path cannot: guest code calls it for the time. The factory's
 * and the mapper's calls are allowed with their first argument pinned;
 * each guest thread adds guest_filter(), which turns all but a few
 * harmless calls into traps wherever they come from, so that guest code
 * jumping into the stub's text can make no other.
 */
#define ALLOW_NR(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
/* Allow nr when the low word of its first argument is arg; else kill. */
#define ALLOW_NR_ARG0(nr, arg) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 4), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
		 offsetof(struct seccomp_data, args[0])), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (arg), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)
#define TRAP_NR(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP)

/* How the mapper starts a guest thread. */
#define GUEST_THREAD_FLAGS \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
	 CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

static void set_filter(struct sock_filter *f, unsigned short len)
{
	struct sock_fprog prog = { .len = len, .filter = f };

	if (sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		stub_exit(STUB_EXIT_FILTER);
}

static void install_filter(void)
{
	uint64_t lo = (uint64_t)stub_text_start, hi = (uint64_t)stub_text_end;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		/* Instruction pointer inside the host vDSO? */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 (uint32_t)(COLINUX_STUB_HOST_VDSO >> 32), 0, 9),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
			 (uint32_t)COLINUX_STUB_HOST_VDSO, 0, 7),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
			 (uint32_t)(COLINUX_STUB_HOST_VDSO +
				    COLINUX_STUB_HOST_VDSO_MAX), 6, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clock_gettime, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_gettimeofday, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clock_getres, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* Instruction pointer inside the stub's text? */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(lo >> 32), 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)lo, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)hi, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		/* The stub's own calls. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		/* mmap: of guest RAM only */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[4])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, COLINUX_STUB_MEM_FD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		ALLOW_NR(__NR_munmap),
		ALLOW_NR(__NR_mprotect),
		ALLOW_NR(__NR_futex),
		ALLOW_NR(__NR_rt_sigreturn),
		ALLOW_NR(__NR_arch_prctl),
		ALLOW_NR(__NR_exit),
		ALLOW_NR(__NR_exit_group),
		ALLOW_NR(__NR_rt_sigprocmask),
		ALLOW_NR(__NR_sigaltstack),
		ALLOW_NR(__NR_getpid),
		/* tgkill: only to ask whether a thread lives (signal 0) */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tgkill, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		/* The mapper's answers, into its control page. */
		ALLOW_NR_ARG0(__NR_pwrite64, COLINUX_STUB_MEM_FD),
		/* The factory's, the mapper's, and a guest thread's first. */
		ALLOW_NR_ARG0(__NR_read, STUB_FACTORY_FD),
		ALLOW_NR_ARG0(__NR_write, STUB_FACTORY_FD),
		ALLOW_NR_ARG0(__NR_close, STUB_FACTORY_FD),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CLONE_PARENT | SIGCHLD, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, GUEST_THREAD_FLAGS, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		ALLOW_NR_ARG0(__NR_prctl, PR_SET_PDEATHSIG),
		ALLOW_NR_ARG0(__NR_seccomp, SECCOMP_SET_MODE_FILTER),
		ALLOW_NR(__NR_getppid),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};

	if (sys6(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0))
		stub_exit(STUB_EXIT_NO_NEW_PRIVS);
	set_filter(f, sizeof(f) / sizeof(f[0]));
}

/*
 * A guest thread's filter, on top of the factory's: from now on this
 * thread may make no host call but futex waits and wakes, rt_sigreturn,
 * arch_prctl, exit and exit_group (and the host vDSO's clock calls);
 * every other, from the stub's text too, traps as a guest system call.
 * Guest code can jump into the stub's text, so this is what it could
 * make: none of it reaches guest RAM it was not given, the host's files
 * or another process. Small, so that it compiles fast.
 */
static void guest_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigreturn, 11, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_arch_prctl, 10, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 9, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 8, 0),
		/* The host vDSO's (the factory's filter checked where from). */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clock_gettime, 7, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_gettimeofday, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clock_getres, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_futex, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		/* futex: plain waits and wakes only */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUTEX_WAIT, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUTEX_WAKE, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};

	set_filter(f, sizeof(f) / sizeof(f[0]));
}

/*
 * A new guest thread, started by the mapper on guest_stack in wiped
 * memory before the address space it will serve is assigned: its signal
 * stack and filter (compiling the filter is the slow part of a start),
 * then it waits until the mapper has answered the ASSIGN that maps its
 * mailbox (@parked_ack: the answer before it), and takes the first trap,
 * which waits for the kernel to resume it.
 */
__attribute__((noreturn, used)) void guest_thread_main(uint32_t parked_ack)
{
	stack_t ss = { .ss_sp = stub_sigstack, .ss_size = STUB_SIGSTACK };

	if (sys3(__NR_sigaltstack, &ss, 0, 0))
		stub_exit(STUB_EXIT_SIGSTACK);
	/* Faults must reach the handler; preemption waits for the first trap. */
	sys6(__NR_rt_sigprocmask, SIG_SETMASK,
	     (long)&(uint64_t){ 1ULL << (SIGVTALRM - 1) }, 0, 8, 0, 0);
	guest_filter();
	while (__atomic_load_n(&CTL->ack, __ATOMIC_ACQUIRE) == parked_ack)
		futex_wait(&CTL->ack, parked_ack);
	__asm__ volatile("ud2");
	stub_exit(STUB_EXIT_FIRST_TRAP);
}

/* The mapper's loop is assembly: the constants it is written with. */
#define S(x)	#x
#define XS(x)	S(x)
/* The assembler takes no 64-bit operand: the addresses, spelled out. */
#define ASM_STUB_BASE	0x7fffffefe000
#define ASM_STUB_MAILBOX	(ASM_STUB_BASE + 0x80000)
#define ASM_STUB_EDITS	(ASM_STUB_BASE + 0x88000)
#define ASM_CTL_ADDR	(ASM_STUB_BASE + 0xf0000)
_Static_assert(ASM_STUB_BASE == COLINUX_STUB_BASE &&
	       ASM_STUB_MAILBOX == COLINUX_STUB_MAILBOX &&
	       ASM_STUB_EDITS == COLINUX_STUB_EDITS &&
	       ASM_CTL_ADDR == STUB_CTL_ADDR, "the mapper's addresses");
/* Copy the doorbell to the ack word: pwrite on the memfd, at %r13. */
#define MAPPER_ANSWER \
	"	mov $" XS(__NR_pwrite64) ", %%eax\n" \
	"	mov $" XS(COLINUX_STUB_MEM_FD) ", %%edi\n" \
	"	mov %%rbp, %%rsi\n" \
	"	mov $4, %%edx\n" \
	"	mov %%r13, %%r10\n" \
	"	syscall\n" \
	"	cmp $4, %%rax\n" \
	"	jne mapper_ack_failed\n"
/* The same, and wake a monitor waiting for it. */
#define MAPPER_ANSWER_WAKE \
	MAPPER_ANSWER \
	"	mov $" XS(__NR_futex) ", %%eax\n" \
	"	lea %c[o_ack](%%rbp), %%rdi\n" \
	"	mov $" XS(FUTEX_WAKE) ", %%esi\n" \
	"	mov $0x7fffffff, %%edx\n" \
	"	syscall\n"
#define MAPPER_MAP_FLAGS \
	"(" XS(MAP_SHARED) "|" XS(MAP_FIXED) "|" XS(MAP_POPULATE) ")"
#define MAPPER_THREAD_FLAGS \
	"(" XS(CLONE_VM) "|" XS(CLONE_FS) "|" XS(CLONE_FILES) "|" \
	XS(CLONE_SIGHAND) "|" XS(CLONE_THREAD) "|" XS(CLONE_SYSVSEM) "|" \
	XS(CLONE_PARENT_SETTID) "|" XS(CLONE_CHILD_CLEARTID) ")"
/*
 * The mapper's loop. Registers only, never the stack: %rbp the control
 * page, %r14 the edit page, %r12 the last doorbell answered, %r13 the
 * memfd offset of the control page's ack word; %rbx and %r15 walk the
 * edits (%r15 holds our pid while a retirement waits). It reads nothing
 * guest code can write.
 */
static __attribute__((noreturn)) void mapper_loop(uint64_t ack_offset)
{
	static const struct timespec tick = { 0, 1000000 };	/* 1 ms */
	static const struct timespec nap = { 0, 20000 };	/* 20 us */

	__asm__ volatile(
	"	mov %[ack], %%r13\n"
	"	movabs $" XS(ASM_CTL_ADDR) ", %%rbp\n"
	"	movabs $" XS(ASM_STUB_EDITS) ", %%r14\n"
	"	xor %%r12d, %%r12d\n"
	"	jmp mapper_prepare\n"
	/* Wait for an order. */
	"mapper_wait:\n"
	"	mov (%%rbp), %%eax\n"
	"	cmp %%eax, %%r12d\n"
	"	jne mapper_order\n"
	"	mov $" XS(__NR_futex) ", %%eax\n"
	"	mov %%rbp, %%rdi\n"
	"	mov $" XS(FUTEX_WAIT) ", %%esi\n"
	"	mov %%r12d, %%edx\n"
	"	xor %%r10d, %%r10d\n"
	"	syscall\n"
	"	jmp mapper_wait\n"
	"mapper_order:\n"
	"	mov %%eax, %%r12d\n"
	"	mov %c[o_order](%%rbp), %%eax\n"
	"	cmp $%c[assign], %%eax\n"
	"	je mapper_assign\n"
	"	cmp $%c[retire], %%eax\n"
	"	je mapper_retire\n"
	"	cmp $%c[flush], %%eax\n"
	"	je mapper_edits\n"
	"	cmp $%c[resume], %%eax\n"
	"	jne mapper_ack\n"
	/* Apply the edits, in order, never over the stub's own pages. */
	"mapper_edits:\n"
	"	mov (%%r14), %%r15d\n"
	"	cmp $" XS(COLINUX_MM_CMDS) ", %%r15d\n"
	"	jbe 1f\n"
	"	mov $" XS(COLINUX_MM_CMDS) ", %%r15d\n"
	"1:	lea %c[o_cmds](%%r14), %%rbx\n"
	"mapper_cmd:\n"
	"	test %%r15d, %%r15d\n"
	"	jz mapper_edits_done\n"
	"	mov %c[o_addr](%%rbx), %%rdi\n"
	"	mov %c[o_len](%%rbx), %%rsi\n"
	"	movabs $" XS(ASM_STUB_BASE) ", %%rax\n"
	"	cmp %%rax, %%rdi\n"
	"	jae mapper_next\n"
	"	sub %%rdi, %%rax\n"
	"	cmp %%rax, %%rsi\n"
	"	ja mapper_next\n"
	"	mov (%%rbx), %%eax\n"
	"	cmp $" XS(COLINUX_MM_UNMAP) ", %%eax\n"
	"	jne 6f\n"
	"	mov $" XS(__NR_munmap) ", %%eax\n"
	"	syscall\n"
	"	jmp mapper_next\n"
	"6:	cmp $" XS(COLINUX_MM_PROTECT) ", %%eax\n"
	"	jne 2f\n"
	"	mov %c[o_prot](%%rbx), %%edx\n"
	"	and $7, %%edx\n"	/* COLINUX_PROT_* are PROT_* */
	"	mov $" XS(__NR_mprotect) ", %%eax\n"
	"	syscall\n"
	"	test %%rax, %%rax\n"
	"	jz mapper_next\n"
	/* A hole in the range (ENOMEM): unmap all of it instead. */
	"	mov %c[o_addr](%%rbx), %%rdi\n"
	"	mov %c[o_len](%%rbx), %%rsi\n"
	"	mov $" XS(__NR_munmap) ", %%eax\n"
	"	syscall\n"
	"	jmp mapper_next\n"
	"2:	cmp $" XS(COLINUX_MM_MAP) ", %%eax\n"
	"	jne mapper_next\n"
	"	mov %c[o_prot](%%rbx), %%edx\n"
	"	and $7, %%edx\n"	/* COLINUX_PROT_* are PROT_* */
	"	mov $" MAPPER_MAP_FLAGS ", %%r10d\n"
	"	mov $" XS(COLINUX_STUB_MEM_FD) ", %%r8d\n"
	"	mov %c[o_phys](%%rbx), %%r9\n"
	"	mov $" XS(__NR_mmap) ", %%eax\n"
	"	syscall\n"
	"mapper_next:\n"
	"	add $%c[cmdsize], %%rbx\n"
	"	dec %%r15d\n"
	"	jmp mapper_cmd\n"
	/*
	 * The guest thread sleeps while we work on its CPU. A flush leaves
	 * it to the kernel: say so before the answer, after which the
	 * monitor may resume it. A resume answers first, so that the kernel
	 * finds the answer when the thread traps. Either way the thread is
	 * woken last: woken early, it could take the CPU before the answer.
	 */
	"mapper_edits_done:\n"
	"	movabs $" XS(ASM_STUB_MAILBOX) ", %%rdi\n"
	"	cmpl $%c[resume], %c[o_order](%%rbp)\n"
	"	je 3f\n"
	"	movl $" XS(COLINUX_MB_KERNEL) ", (%%rdi)\n"
	"	jmp mapper_ack_wake\n"
	"3:\n"
	MAPPER_ANSWER
	"	movabs $" XS(ASM_STUB_MAILBOX) ", %%rdi\n"
	"	movl $" XS(COLINUX_MB_USER) ", (%%rdi)\n"
	"	jmp mapper_wake_thread\n"
	/*
	 * Retire: answer once the guest thread is gone (told by the
	 * monitor to exit; one that does not keeps us from answering, and
	 * the monitor ends the stub). Nothing runs guest code here then, so
	 * the pages may be freed: we drop them after the answer.
	 */
	"mapper_retire:\n"
	"	mov $" XS(__NR_getpid) ", %%eax\n"
	"	syscall\n"
	"	mov %%rax, %%r15\n"
	"4:	mov %%r15, %%rdi\n"
	"	mov %c[o_tid](%%rbp), %%esi\n"
	"	xor %%edx, %%edx\n"
	"	mov $" XS(__NR_tgkill) ", %%eax\n"
	"	syscall\n"
	"	cmp $-" XS(ESRCH) ", %%rax\n"
	"	je 5f\n"
	"	mov $" XS(__NR_futex) ", %%eax\n"
	"	lea guest_tid(%%rip), %%rdi\n"
	"	mov $" XS(FUTEX_WAIT) ", %%esi\n"
	"	mov %c[o_tid](%%rbp), %%edx\n"
	"	lea %c[tick](%%rip), %%r10\n"
	"	syscall\n"
	"	cmp $-" XS(EAGAIN) ", %%rax\n"
	"	jne 4b\n"
	/*
	 * The tid is cleared, but the thread not yet gone: it is still
	 * exiting, maybe on this CPU. Sleep a little, on a word nobody
	 * wakes, rather than keep it from finishing.
	 */
	"	mov $" XS(__NR_futex) ", %%eax\n"
	"	lea %c[o_order](%%rbp), %%rdi\n"
	"	mov $" XS(FUTEX_WAIT) ", %%esi\n"
	"	mov $%c[retire], %%edx\n"
	"	lea %c[nap](%%rip), %%r10\n"
	"	syscall\n"
	"	jmp 4b\n"
	"5:\n"
	MAPPER_ANSWER_WAKE
	"	xor %%edi, %%edi\n"
	"	movabs $" XS(ASM_STUB_BASE) ", %%rsi\n"
	"	mov $" XS(__NR_munmap) ", %%eax\n"
	"	syscall\n"
	"	mov %%r14, %%rdi\n"
	"	mov $4096, %%esi\n"
	"	mov $" XS(__NR_munmap) ", %%eax\n"
	"	syscall\n"
	"	movabs $" XS(ASM_STUB_MAILBOX) ", %%rdi\n"
	"	mov $%c[mbsize], %%esi\n"
	"	mov $" XS(__NR_munmap) ", %%eax\n"
	"	syscall\n"
	/*
	 * Prepare the next address space's guest thread: wipe our writable
	 * memory, start a guest thread on guest_stack, and note its tid
	 * where guest code cannot change it (it runs none yet). It compiles
	 * its filter now, and waits for the ASSIGN's answer (%r12 tells it
	 * the answer before), so that an ASSIGN is quick.
	 */
	"mapper_prepare:\n"
	"	lea stub_rw_start(%%rip), %%rdi\n"
	"	lea stub_rw_end(%%rip), %%rcx\n"
	"	sub %%rdi, %%rcx\n"
	"	xor %%eax, %%eax\n"
	"	rep stosb\n"
	"	mov $" MAPPER_THREAD_FLAGS ", %%edi\n"
	"	lea guest_stack+" XS(STUB_STACK) "(%%rip), %%rsi\n"
	"	lea guest_tid(%%rip), %%rdx\n"
	"	mov %%rdx, %%r10\n"
	"	xor %%r8d, %%r8d\n"
	"	mov $" XS(__NR_clone) ", %%eax\n"
	"	syscall\n"
	"	test %%rax, %%rax\n"
	"	js mapper_thread_failed\n"
	"	jz mapper_guest_thread\n"
	"	mov $" XS(__NR_pwrite64) ", %%eax\n"
	"	mov $" XS(COLINUX_STUB_MEM_FD) ", %%edi\n"
	"	lea guest_tid(%%rip), %%rsi\n"
	"	mov $4, %%edx\n"
	"	lea %c[tid_from_ack](%%r13), %%r10\n"
	"	syscall\n"
	"	cmp $4, %%rax\n"
	"	jne mapper_ack_failed\n"
	"	jmp mapper_wait\n"
	/* Assign: map the new mailbox and edit page; the answer wakes the
	 * guest thread waiting for them. */
	"mapper_assign:\n"
	"	movabs $" XS(ASM_STUB_MAILBOX) ", %%rdi\n"
	"	mov $%c[mbsize], %%esi\n"
	"	mov $3, %%edx\n"
	"	mov $" MAPPER_MAP_FLAGS ", %%r10d\n"
	"	mov $" XS(COLINUX_STUB_MEM_FD) ", %%r8d\n"
	"	mov %c[o_mbphys](%%rbp), %%r9\n"
	"	mov $" XS(__NR_mmap) ", %%eax\n"
	"	syscall\n"
	"	movabs $" XS(ASM_STUB_MAILBOX) ", %%rdi\n"
	"	cmp %%rdi, %%rax\n"
	"	jne mapper_mailbox_failed\n"
	"	mov %%r14, %%rdi\n"
	"	mov $4096, %%esi\n"
	"	mov $1, %%edx\n"	/* PROT_READ */
	"	mov $" MAPPER_MAP_FLAGS ", %%r10d\n"
	"	mov $" XS(COLINUX_STUB_MEM_FD) ", %%r8d\n"
	"	mov %c[o_edphys](%%rbp), %%r9\n"
	"	mov $" XS(__NR_mmap) ", %%eax\n"
	"	syscall\n"
	"	cmp %%r14, %%rax\n"
	"	jne mapper_edits_failed\n"
	"	jmp mapper_ack\n"
	"mapper_guest_thread:\n"
	"	mov %%r12d, %%edi\n"
	"	and $-16, %%rsp\n"
	"	call guest_thread_main\n"
	"	ud2\n"
	/* Answer: copy the doorbell to the ack word, with a host call. */
	"mapper_ack:\n"
	MAPPER_ANSWER_WAKE
	"	jmp mapper_wait\n"
	"mapper_ack_wake:\n"
	MAPPER_ANSWER_WAKE
	"mapper_wake_thread:\n"
	"	mov $" XS(__NR_futex) ", %%eax\n"
	"	movabs $" XS(ASM_STUB_MAILBOX) ", %%rdi\n"
	"	mov $" XS(FUTEX_WAKE_BITSET) ", %%esi\n"
	"	mov $0x7fffffff, %%edx\n"
	"	mov $" XS(STUB_WAKE_GUEST) ", %%r9d\n"
	"	syscall\n"
	"	jmp mapper_wait\n"
	"mapper_mailbox_failed:\n"
	"	mov $%c[e_mailbox], %%edi\n"
	"	jmp mapper_die\n"
	"mapper_edits_failed:\n"
	"	mov $%c[e_edits], %%edi\n"
	"	jmp mapper_die\n"
	"mapper_thread_failed:\n"
	"	mov $%c[e_thread], %%edi\n"
	"	jmp mapper_die\n"
	"mapper_ack_failed:\n"
	"	mov $%c[e_ack], %%edi\n"
	"mapper_die:\n"
	"	mov $" XS(__NR_exit_group) ", %%eax\n"
	"	syscall\n"
	"	jmp mapper_die\n"
	:
	: [ack] "D"(ack_offset), [tick] "i"(&tick), [nap] "i"(&nap),
	  [mbsize] "i"(COLINUX_MAILBOX_PAGES * 4096),
	  [o_order] "i"(offsetof(struct stub_ctl, order)),
	  [o_ack] "i"(offsetof(struct stub_ctl, ack)),
	  [o_tid] "i"(offsetof(struct stub_ctl, guest_tid)),
	  [tid_from_ack] "i"(offsetof(struct stub_ctl, guest_tid) -
			     offsetof(struct stub_ctl, ack)),
	  [o_mbphys] "i"(offsetof(struct stub_ctl, mailbox_phys)),
	  [o_edphys] "i"(offsetof(struct stub_ctl, edits_phys)),
	  [o_cmds] "i"(offsetof(struct passage_mm_edits, cmds)),
	  [o_addr] "i"(offsetof(struct passage_mm_cmd, addr)),
	  [o_len] "i"(offsetof(struct passage_mm_cmd, len)),
	  [o_prot] "i"(offsetof(struct passage_mm_cmd, prot)),
	  [o_phys] "i"(offsetof(struct passage_mm_cmd, phys)),
	  [cmdsize] "i"(sizeof(struct passage_mm_cmd)),
	  [assign] "i"(STUB_ORDER_ASSIGN), [flush] "i"(STUB_ORDER_FLUSH),
	  [resume] "i"(STUB_ORDER_RESUME), [retire] "i"(STUB_ORDER_RETIRE),
	  [e_mailbox] "i"(STUB_EXIT_MAILBOX),
	  [e_edits] "i"(STUB_EXIT_EDITS), [e_thread] "i"(STUB_EXIT_THREAD),
	  [e_ack] "i"(STUB_EXIT_ACK)
	: "memory");
	__builtin_unreachable();
}

/*
 * A child of the factory, on its way to be a stub's mapper thread: its
 * control page (whose first order, ASSIGN, the monitor already wrote),
 * then the loop, which starts the guest thread.
 */
static __attribute__((noreturn)) void stub_start(const struct stub_request *req)
{
	sys3(__NR_close, STUB_FACTORY_FD, 0, 0);
	/* Die with the monitor; and if it is already gone, now. */
	sys6(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0);
	if ((unsigned long)sys3(__NR_getppid, 0, 0, 0) != monitor_pid)
		stub_exit(STUB_EXIT_PARENT);
	/* Every signal goes to the guest thread: the mapper takes none. */
	sys6(__NR_rt_sigprocmask, SIG_SETMASK, (long)&(uint64_t){ ~0ULL }, 0,
	     8, 0, 0);
	if (sys6(__NR_mmap, STUB_CTL_ADDR, 4096, PROT_READ,
		 MAP_SHARED | MAP_FIXED | MAP_POPULATE, COLINUX_STUB_MEM_FD,
		 (long)req->ctl_offset) != (long)STUB_CTL_ADDR)
		stub_exit(STUB_EXIT_CONTROL);
	mapper_loop(req->ctl_offset + offsetof(struct stub_ctl, ack));
}

/*
 * The factory: one stub per request, forked as the monitor's child
 * (CLONE_PARENT). The monitor closing its end ends the factory.
 */
static __attribute__((noreturn)) void factory_serve(void)
{
	struct stub_request req;
	struct stub_reply rep;
	long n;

	for (;;) {
		n = sys3(__NR_read, STUB_FACTORY_FD, &req, sizeof(req));
		if (n == 0)
			stub_exit(0);
		if (n != sizeof(req))
			stub_exit(STUB_EXIT_FACTORY);
		rep.pid = sys6(__NR_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0,
			       0);
		if (rep.pid == 0)
			stub_start(&req);
		if (sys3(__NR_write, STUB_FACTORY_FD, &rep, sizeof(rep)) !=
		    sizeof(rep))
			stub_exit(STUB_EXIT_FACTORY);
	}
}

/* argv: stub MONITOR-PID-HEX HOST-VDSO; fd 6: its socket */
__attribute__((noreturn, used)) void stub_main(long *sp)
{
	char **argv = (char **)(sp + 1);

	if (sp[0] != 3)
		stub_exit(STUB_EXIT_ARGS);
	monitor_pid = parse_hex(argv[1]);
	/* Die with the monitor; and if it is already gone, now. */
	sys6(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0);
	if ((unsigned long)sys3(__NR_getppid, 0, 0, 0) != monitor_pid)
		stub_exit(STUB_EXIT_PARENT);

	move_host_vdso(argv[2], sp);
	join_sandbox();
	/* Nothing of the host below or above us: the vDSO, the old stack. */
	sys3(__NR_munmap, 0, COLINUX_STUB_BASE, 0);
	sys3(__NR_munmap, COLINUX_STUB_END, 0x7ffffffff000ULL - COLINUX_STUB_END,
	     0);

	install_handlers();
	install_filter();
	factory_serve();
}

__asm__(".section .text.entry\n"
	".globl _start\n"
	"_start:\n"
	"	mov %rsp, %rdi\n"
	"	lea stub_stack+16384(%rip), %rsp\n"
	"	call stub_main\n"
	"	ud2\n");

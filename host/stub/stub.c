// SPDX-License-Identifier: GPL-2.0
/*
 * The stub: the only host code in a guest address space's process. No
 * libc, no file system, nothing mapped but itself, the thread's mailbox
 * and guest pages. It traps every guest system call (seccomp: any syscall
 * not made from the stub's own code raises SIGSYS) and every fault, saves
 * the guest registers in the mailbox, hands the CPU to the kernel and
 * waits; on resume it applies the kernel's address-space edits, loads
 * the registers the kernel left and returns into guest code. The guest's
 * vector state never leaves the host signal frame it was saved in.
 *
 * It must never trust the mailbox to protect the host: the seccomp filter
 * alone decides what host calls this process can make.
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
/* How this stub waits for the kernel; its budget comes from the monitor. */
static struct spin_wait kernel_wait;
#define SA_RESTORER	0x04000000

extern char stub_text_start[], stub_text_end[];

uint8_t stub_stack[STUB_STACK] __attribute__((aligned(16), used));
static uint8_t stub_sigstack[STUB_SIGSTACK] __attribute__((aligned(16)));
static int booted;
static unsigned long monitor_pid;
static uint64_t cur_fs_base, cur_gs_base;

#define MB ((struct passage_mailbox *)COLINUX_STUB_MAILBOX)
#define CTL ((struct stub_ctl *)STUB_CTL_ADDR)
/* The vector state of the first trap: what a recycled stub starts with. */
static uint8_t pristine_fpu[COLINUX_MAILBOX_FPU_MAX] __attribute__((aligned(64)));
static uint64_t pristine_fpu_size;
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

static void futex_wait(volatile uint32_t *w, uint32_t val)
{
	sys6(__NR_futex, (long)w, FUTEX_WAIT, val, 0, 0, 0);
}

/*
 * Every waiter: a killed stub whose mailbox page this was may still be
 * queued on the word, and must not take the vCPU's wake (stubs.c).
 */
static void futex_wake(volatile uint32_t *w)
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

/* The kernel's edits to this address space, in order. */
static void apply_mm_cmds(struct passage_mailbox *mb)
{
	uint32_t i, n = mb->ncmds;

	if (mb->flush_all)
		sys3(__NR_munmap, 0, COLINUX_STUB_BASE, 0);
	for (i = 0; i < n && i < COLINUX_MM_CMDS; i++) {
		struct passage_mm_cmd *c = &mb->cmds[i];
		long prot = 0;

		if (c->addr >= COLINUX_STUB_BASE ||
		    c->len > COLINUX_STUB_BASE - c->addr)
			continue;	/* never over the stub itself */
		if (c->op == COLINUX_MM_UNMAP) {
			sys3(__NR_munmap, c->addr, c->len, 0);
			continue;
		}
		if (c->prot & COLINUX_PROT_READ)
			prot |= PROT_READ;
		if (c->prot & COLINUX_PROT_WRITE)
			prot |= PROT_WRITE;
		if (c->prot & COLINUX_PROT_EXEC)
			prot |= PROT_EXEC;
		sys6(__NR_mmap, c->addr, c->len, prot,
		     MAP_SHARED | MAP_FIXED | MAP_POPULATE,
		     COLINUX_STUB_MEM_FD, c->phys);
	}
	mb->ncmds = 0;
	mb->flush_all = 0;
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

static void map_mailbox(uint64_t phys)
{
	if (sys6(__NR_mmap, COLINUX_STUB_MAILBOX,
		 COLINUX_MAILBOX_PAGES * 4096, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED | MAP_POPULATE, COLINUX_STUB_MEM_FD,
		 (long)phys) != (long)COLINUX_STUB_MAILBOX)
		stub_exit(STUB_EXIT_MAILBOX);
}

/*
 * Wait while the kernel owns the thread: spin a little (the vCPU may be
 * on the other CPU), then sleep. Returns the new state: COLINUX_MB_USER,
 * or STUB_MB_RETIRE.
 */
static uint32_t wait_for_kernel(struct passage_mailbox *mb)
{
	uint64_t until = spin_wait_begin(&kernel_wait);
	uint32_t state = COLINUX_MB_KERNEL;
	int blocked = 0;

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
 * The kernel ended our address space (stub_start.h). Leave its mailbox
 * before we answer (the kernel frees it next), forget everything of the
 * old process that the next one could read back (its mappings, TLS
 * bases, trap details, vector registers), and wait for a new mailbox.
 */
static void stub_retire(siginfo_t *si, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;

	sys3(__NR_munmap, COLINUX_STUB_MAILBOX, COLINUX_MAILBOX_PAGES * 4096,
	     0);
	__atomic_store_n(&CTL->state, STUB_CTL_IDLE, __ATOMIC_SEQ_CST);
	futex_wake(&CTL->state);

	sys3(__NR_munmap, 0, COLINUX_STUB_BASE, 0);
	if (cur_fs_base) {
		cur_fs_base = 0;
		sys3(__NR_arch_prctl, ARCH_SET_FS, 0, 0);
	}
	if (cur_gs_base) {
		cur_gs_base = 0;
		sys3(__NR_arch_prctl, ARCH_SET_GS, 0, 0);
	}
	/* The next resume loads every other register from the mailbox. */
	__builtin_memset(si, 0, sizeof(*si));
	g[REG_ERR] = g[REG_TRAPNO] = g[REG_OLDMASK] = g[REG_CR2] = 0;
	if (frame_fpu_size(uc->uc_mcontext.fpregs) != pristine_fpu_size)
		stub_exit(STUB_EXIT_RECYCLE);
	copy_bytes(uc->uc_mcontext.fpregs, pristine_fpu, pristine_fpu_size);
	kernel_wait.avg = kernel_wait.skipped = 0;

	while (__atomic_load_n(&CTL->state, __ATOMIC_SEQ_CST) !=
	       STUB_CTL_ASSIGNED)
		futex_wait(&CTL->state, STUB_CTL_IDLE);
	map_mailbox(CTL->mailbox_phys);
	__atomic_store_n(&CTL->state, STUB_CTL_BUSY, __ATOMIC_SEQ_CST);
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
		 * The monitor started us with every signal blocked, so that
		 * none could kill us before the handlers were in place;
		 * guest code runs with none blocked.
		 */
		*(uint64_t *)&((ucontext_t *)ctx)->uc_sigmask = 0;
		booted = 1;
		pristine_fpu_size = frame_fpu_size(uc->uc_mcontext.fpregs);
		if (pristine_fpu_size > sizeof(pristine_fpu))
			stub_exit(STUB_EXIT_RECYCLE);
		copy_bytes(pristine_fpu, uc->uc_mcontext.fpregs,
			   pristine_fpu_size);
	}

	while (wait_for_kernel(mb) == STUB_MB_RETIRE)
		stub_retire(si, uc);
	apply_mm_cmds(mb);
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
	stack_t ss = { .ss_sp = stub_sigstack, .ss_size = STUB_SIGSTACK };
	unsigned int i;

	if (sys3(__NR_sigaltstack, &ss, 0, 0))
		stub_exit(STUB_EXIT_SIGSTACK);
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
 * calls (its socket, clone, a new stub's first steps) are allowed with
 * their first argument pinned; each stub then turns them into traps
 * (trap_factory_calls), so that guest code jumping into the stub's text
 * cannot make them.
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
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[4])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, COLINUX_STUB_MEM_FD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		ALLOW_NR(__NR_munmap),
		ALLOW_NR(__NR_futex),
		ALLOW_NR(__NR_rt_sigreturn),
		ALLOW_NR(__NR_arch_prctl),
		ALLOW_NR(__NR_exit_group),
		/* The factory's, and a new stub's until it traps them. */
		ALLOW_NR_ARG0(__NR_read, STUB_FACTORY_FD),
		ALLOW_NR_ARG0(__NR_write, STUB_FACTORY_FD),
		ALLOW_NR_ARG0(__NR_close, STUB_FACTORY_FD),
		ALLOW_NR_ARG0(__NR_clone, CLONE_PARENT | SIGCHLD),
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
 * A new stub's second filter, on top of the factory's: the calls only
 * the factory needs trap from now on, wherever they come from (a trap
 * from the stub's text is a guest system call like any other). Small,
 * so that it compiles fast.
 */
static void trap_factory_calls(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		TRAP_NR(__NR_read),
		TRAP_NR(__NR_write),
		TRAP_NR(__NR_close),
		TRAP_NR(__NR_clone),
		TRAP_NR(__NR_prctl),
		TRAP_NR(__NR_seccomp),
		TRAP_NR(__NR_getppid),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	set_filter(f, sizeof(f) / sizeof(f[0]));
}

/* A child of the factory, on its way to run guest code. */
static __attribute__((noreturn)) void stub_start(const struct stub_request *req)
{
	sys3(__NR_close, STUB_FACTORY_FD, 0, 0);
	/* Die with the monitor; and if it is already gone, now. */
	sys6(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0);
	if ((unsigned long)sys3(__NR_getppid, 0, 0, 0) != monitor_pid)
		stub_exit(STUB_EXIT_PARENT);
	trap_factory_calls();
	if (sys6(__NR_mmap, STUB_CTL_ADDR, 4096, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED | MAP_POPULATE, COLINUX_STUB_MEM_FD,
		 (long)req->ctl_offset) != (long)STUB_CTL_ADDR)
		stub_exit(STUB_EXIT_CONTROL);
	map_mailbox(req->mailbox_phys);
	/* Enter the trap handler once: it waits for the first resume. */
	__asm__ volatile("ud2");
	stub_exit(STUB_EXIT_FIRST_TRAP);
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

/* argv: stub MONITOR-PID-HEX SPIN-TSC-TICKS-HEX HOST-VDSO; fd 6: its socket */
__attribute__((noreturn, used)) void stub_main(long *sp)
{
	char **argv = (char **)(sp + 1);

	if (sp[0] != 4)
		stub_exit(STUB_EXIT_ARGS);
	monitor_pid = parse_hex(argv[1]);
	kernel_wait.budget = parse_hex(argv[2]);
	/* Die with the monitor; and if it is already gone, now. */
	sys6(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0);
	if ((unsigned long)sys3(__NR_getppid, 0, 0, 0) != monitor_pid)
		stub_exit(STUB_EXIT_PARENT);

	move_host_vdso(argv[3], sp);
	join_sandbox();
	/* Nothing of the host below or above us: the vDSO, the old stack. */
	sys3(__NR_munmap, 0, COLINUX_STUB_BASE, 0);
	sys3(__NR_munmap, COLINUX_STUB_END, 0x7ffffffff000ULL - COLINUX_STUB_END,
	     0);

	install_handlers();
	/*
	 * Faults must reach the handler (stubs inherit this mask); SIGVTALRM
	 * waits until a stub's first trap.
	 */
	sys6(__NR_rt_sigprocmask, SIG_UNBLOCK,
	     (long)&(uint64_t){ ~(1ULL << (SIGVTALRM - 1)) }, 0, 8, 0, 0);
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

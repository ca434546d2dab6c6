// SPDX-License-Identifier: GPL-2.0
/*
 * User mode. A task in user mode is a kernel stack frame in this loop:
 * it hands its registers to the stub of its mm (passage user_run) and,
 * when the guest thread traps back, handles the system call, fault or
 * interrupt with the generic entry code, exactly where x86's entry code
 * would, then goes round again.
 */
#include <linux/entry-common.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/syscalls.h>
#include <linux/irq.h>
#include <linux/nospec.h>
#include <asm/syscall.h>
#include "colinux.h"

#define X86_TRAP_DB	1
#define X86_TRAP_PF	14

bool colinux_on_thread_stack(void)
{
	unsigned long sp = (unsigned long)__builtin_frame_address(0);
	unsigned long base = (unsigned long)task_stack_page(current);

	return sp - base < THREAD_SIZE;
}

static void colinux_regs_to_mailbox(struct passage_mailbox *mb,
				    const struct pt_regs *regs)
{
	memcpy(&mb->regs, regs, sizeof(*regs));
	mb->fs_base = current->thread.fs_base;
	mb->gs_base = current->thread.gs_base;
}

/* The mailbox is guest-writable: take registers only, keep cs/ss ours. */
static void colinux_regs_from_mailbox(struct pt_regs *regs,
				      const struct passage_mailbox *mb)
{
	memcpy(regs, &mb->regs, sizeof(*regs));
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
}

static void colinux_do_syscall(struct pt_regs *regs)
{
	/* As x86-64: the number is eax; the upper half of rax is ignored. */
	int nr = syscall_enter_from_user_mode(regs, (int)regs->orig_ax);
	unsigned int unr = nr;

	if (unr < NR_syscalls)
		regs->ax = sys_call_table[array_index_nospec(unr, NR_syscalls)](regs);
	else if (nr != -1)
		regs->ax = -ENOSYS;
	syscall_exit_to_user_mode(regs);
}

static void colinux_do_trap(struct pt_regs *regs, struct passage_mailbox *mb)
{
	u64 signo = mb->signo, addr = mb->address, err = mb->error_code;
	u64 code = mb->si_code;

	irqentry_enter_from_user_mode(regs);
	local_irq_enable();
	current->thread.trap_nr = mb->trapno;
	current->thread.error_code = err;
	current->thread.cr2 = addr;
	switch (signo) {
	case SIGSEGV:
		if (mb->trapno == X86_TRAP_PF)
			colinux_user_fault(regs, addr, err);
		else	/* general protection: x86 reports SI_KERNEL, addr 0 */
			force_sig(SIGSEGV);
		break;
	case SIGBUS:
		force_sig_fault(SIGBUS, BUS_ADRERR, (void __user *)addr);
		break;
	case SIGILL:
		force_sig_fault(SIGILL, code ? code : ILL_ILLOPN,
				(void __user *)regs->ip);
		break;
	case SIGFPE:
		force_sig_fault(SIGFPE, code ? code : FPE_INTDIV,
				(void __user *)regs->ip);
		break;
	case SIGTRAP:
		if (mb->trapno == X86_TRAP_DB)	/* a single step, as x86 */
			force_sig_fault(SIGTRAP, TRAP_TRACE,
					(void __user *)regs->ip);
		else	/* int3, as x86 reports it: SI_KERNEL, ip after it */
			force_sig(SIGTRAP);
		break;
	default:
		force_sig(SIGSEGV);
		break;
	}
	local_irq_disable();
	irqentry_exit_to_user_mode(regs);
}

static void colinux_do_preempt(struct pt_regs *regs)
{
	irqentry_enter_from_user_mode(regs);
	colinux_irq_take(regs);
	irqentry_exit_to_user_mode(regs);
}

/* Entered with interrupts disabled, all exit work done. */
static void __noreturn colinux_user_loop(struct pt_regs *regs)
{
	for (;;) {
		struct mm_struct *mm = current->mm;
		struct passage_mailbox *mb = mm->context.mb;
		int err;

		colinux_regs_to_mailbox(mb, regs);
		colinux_fpu_activate(mm, mb);
		mm->context.ran = true;
		err = mm->context.stub ? 0 : colinux_mm_start_stub(mm);
		if (!err)
			err = colinux_host->user_run(mm->context.stub, mb);
		/* Its edits are applied, or it is gone: held pages may go. */
		colinux_mm_applied(mm);
		if (err) {
			/* The stub is gone (killed on the host): so is the task. */
			if (is_global_init(current))
				panic("colinux: init's stub process is gone (%d)\n",
				      err);
			pr_err("colinux: %s[%d]: its stub process is gone (%d)\n",
			       current->comm, task_pid_nr(current), err);
			irqentry_enter_from_user_mode(regs);
			force_sig(SIGKILL);
			irqentry_exit_to_user_mode(regs);
			continue;
		}
		colinux_regs_from_mailbox(regs, mb);
		colinux_fpu_trapped(mm, mb);
		current->thread.fs_base = mb->fs_base;
		current->thread.gs_base = mb->gs_base;

		switch (mb->trap) {
		case COLINUX_TRAP_SYSCALL:
			colinux_do_syscall(regs);
			break;
		case COLINUX_TRAP_FAULT:
			colinux_do_trap(regs, mb);
			break;
		default:
			colinux_do_preempt(regs);
			break;
		}
	}
}

/* From colinux_ret_from_fork: a new user task, or a kernel thread that exec'd. */
asmlinkage void colinux_ret_to_user(void)
{
	struct pt_regs *regs = current_pt_regs();

	syscall_exit_to_user_mode(regs);
	colinux_user_loop(regs);
}

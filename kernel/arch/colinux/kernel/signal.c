// SPDX-License-Identifier: GPL-2.0
/*
 * Signal frames for guest programs, in x86-64's layout, so that handlers,
 * sigreturn through the libc restorer, and code that inspects ucontext
 * all work unchanged: pretcode, struct ucontext, siginfo.
 *
 * The vector state in the frame (fpstate) is the very image the host saved
 * for the stub when the thread trapped, which the stub copies into the
 * mailbox: the same format x86 Linux writes. sigreturn hands it back to
 * the stub, whose own sigreturn makes the host check and load it.
 */
#include <linux/entry-common.h>
#include <linux/signal.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/sched/task_stack.h>
#include <asm/ucontext.h>
#include <asm/sigcontext.h>
#include <asm/syscall.h>
#include <asm/mmu_context.h>
#include <colinux/passage.h>
#include "colinux.h"

struct rt_sigframe {
	char __user *pretcode;
	struct ucontext uc;
	struct siginfo info;
};

#define FLAG_MASK	0x240dd5UL	/* what user code may set in rflags */

static void colinux_fill_sigcontext(struct sigcontext_64 *sc,
				    struct pt_regs *regs, unsigned long mask)
{
	memset(sc, 0, sizeof(*sc));
	sc->r8 = regs->r8;	sc->r9 = regs->r9;
	sc->r10 = regs->r10;	sc->r11 = regs->r11;
	sc->r12 = regs->r12;	sc->r13 = regs->r13;
	sc->r14 = regs->r14;	sc->r15 = regs->r15;
	sc->di = regs->di;	sc->si = regs->si;
	sc->bp = regs->bp;	sc->bx = regs->bx;
	sc->dx = regs->dx;	sc->ax = regs->ax;
	sc->cx = regs->cx;	sc->sp = regs->sp;
	sc->ip = regs->ip;	sc->flags = regs->flags;
	sc->cs = __USER_CS;	sc->ss = __USER_DS;
	sc->trapno = current->thread.trap_nr;
	sc->err = current->thread.error_code;
	sc->cr2 = current->thread.cr2;
	sc->oldmask = mask;
}

static struct passage_mailbox *colinux_mailbox(void)
{
	return current->mm ? current->mm->context.mb : NULL;
}

/*
 * A handler starts with clean vector state, as on x86: the x87 and SSE
 * registers at their reset values, every XSAVE component in its initial
 * state (XSTATE_BV 0). The sizes in sw_reserved stay as the host wrote.
 */
static void colinux_fpu_reset(struct passage_mailbox *mb)
{
	u8 *fx = colinux_mailbox_fpu(mb);
	u32 mxcsr_mask = *(u32 *)(fx + 28);

	memset(fx, 0, 416);
	*(u16 *)(fx + 0) = 0x37f;	/* FCW */
	*(u32 *)(fx + 24) = 0x1f80;	/* MXCSR */
	*(u32 *)(fx + 28) = mxcsr_mask;
	if (mb->fpu_size > 512 + 8)
		*(u64 *)(fx + 512) = 0;	/* XSTATE_BV */
	mb->fpu_dirty = 1;
}

/*
 * AT_MINSIGSTKSZ: the host's, whose vector state our frames carry; a
 * host that gives none gets the largest frame we can build.
 */
unsigned long colinux_minsigstksz(void)
{
	if (colinux_boot->host_minsigstksz)
		return colinux_boot->host_minsigstksz;
	return round_up(sizeof(struct rt_sigframe) + COLINUX_MAILBOX_FPU_MAX +
			64, 16);
}

static int colinux_setup_rt_frame(struct ksignal *ksig, sigset_t *set,
				  struct pt_regs *regs)
{
	struct k_sigaction *ka = &ksig->ka;
	struct rt_sigframe frame, __user *uframe;
	struct passage_mailbox *mb = colinux_mailbox();
	unsigned long sp = regs->sp - 128;	/* the red zone */
	unsigned long fpu_size = mb ? colinux_mailbox_fpu_size(mb) : 0;
	void __user *fpstate = NULL;

	if (!(ka->sa.sa_flags & SA_RESTORER))
		return -EFAULT;	/* x86-64 has no default restorer */
	if (mb)
		colinux_fpu_activate(current->mm, mb);
	sp = sigsp(sp, ksig);
	if (fpu_size && fpu_size <= COLINUX_MAILBOX_FPU_MAX) {
		sp = round_down(sp - fpu_size, 64);	/* XSAVE alignment */
		fpstate = (void __user *)sp;
		if (copy_to_user(fpstate, colinux_mailbox_fpu(mb), fpu_size))
			return -EFAULT;
	}
	sp = round_down(sp - sizeof(frame), 16) - 8;
	uframe = (struct rt_sigframe __user *)sp;

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = (char __user *)ka->sa.sa_restorer;
	frame.uc.uc_flags = 0;
	/* As __save_altstack: the task's flags, then SS_AUTODISARM acts. */
	frame.uc.uc_stack.ss_sp = (void __user *)current->sas_ss_sp;
	frame.uc.uc_stack.ss_flags = current->sas_ss_flags;
	frame.uc.uc_stack.ss_size = current->sas_ss_size;
	if (current->sas_ss_flags & SS_AUTODISARM)
		sas_ss_reset(current);
	colinux_fill_sigcontext((struct sigcontext_64 *)&frame.uc.uc_mcontext,
				regs, set->sig[0]);
	((struct sigcontext_64 *)&frame.uc.uc_mcontext)->fpstate =
		(unsigned long)fpstate;
	if (fpstate && fpu_size > 512)
		frame.uc.uc_flags = UC_FP_XSTATE;
	memcpy(&frame.uc.uc_sigmask, set, sizeof(*set));
	if (copy_to_user(uframe, &frame, offsetof(struct rt_sigframe, info)))
		return -EFAULT;
	if (copy_siginfo_to_user(&uframe->info, &ksig->info))
		return -EFAULT;
	if (current->sas_ss_flags & SS_AUTODISARM)
		sas_ss_reset(current);

	regs->di = ksig->sig;
	regs->si = (unsigned long)&uframe->info;
	regs->dx = (unsigned long)&uframe->uc;
	regs->ax = 0;
	regs->ip = (unsigned long)ka->sa.sa_handler;
	regs->sp = sp;
	regs->flags &= ~(0x400UL | 0x100UL);	/* DF, TF */
	if (fpstate)
		colinux_fpu_reset(mb);
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = current_pt_regs();
	struct rt_sigframe __user *uframe;
	struct passage_mailbox *mb = colinux_mailbox();
	struct sigcontext_64 sc;
	u32 fpu_size;
	sigset_t set;

	uframe = (struct rt_sigframe __user *)(regs->sp - sizeof(long));
	if (copy_from_user(&set, &uframe->uc.uc_sigmask, sizeof(set)) ||
	    copy_from_user(&sc, &uframe->uc.uc_mcontext, sizeof(sc)))
		goto bad;
	set_current_blocked(&set);

	regs->r8 = sc.r8;	regs->r9 = sc.r9;
	regs->r10 = sc.r10;	regs->r11 = sc.r11;
	regs->r12 = sc.r12;	regs->r13 = sc.r13;
	regs->r14 = sc.r14;	regs->r15 = sc.r15;
	regs->di = sc.di;	regs->si = sc.si;
	regs->bp = sc.bp;	regs->bx = sc.bx;
	regs->dx = sc.dx;	regs->ax = sc.ax;
	regs->cx = sc.cx;	regs->sp = sc.sp;
	regs->ip = sc.ip;
	regs->flags = (regs->flags & ~FLAG_MASK) | (sc.flags & FLAG_MASK);
	regs->orig_ax = -1;	/* no system call restart after this */

	/* The stub loads it back; the host rejects a bad image. */
	if (mb)
		colinux_fpu_activate(current->mm, mb);
	fpu_size = mb ? colinux_mailbox_fpu_size(mb) : 0;
	if (sc.fpstate && fpu_size) {
		if (copy_from_user(colinux_mailbox_fpu(mb),
				   (void __user *)sc.fpstate, fpu_size))
			goto bad;
		mb->fpu_dirty = 1;
	}

	if (restore_altstack(&uframe->uc.uc_stack))
		goto bad;
	return regs->ax;
bad:
	force_sig(SIGSEGV);
	return 0;
}

static void colinux_handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	sigset_t *oldset = sigmask_to_save();
	int failed;

	/* Restart or interrupt the system call the signal came during. */
	if (syscall_get_nr(current, regs) >= 0) {
		switch (syscall_get_error(current, regs)) {
		case -ERESTART_RESTARTBLOCK:
		case -ERESTARTNOHAND:
			regs->ax = -EINTR;
			break;
		case -ERESTARTSYS:
			if (!(ksig->ka.sa.sa_flags & SA_RESTART)) {
				regs->ax = -EINTR;
				break;
			}
			fallthrough;
		case -ERESTARTNOINTR:
			regs->ax = regs->orig_ax;
			regs->ip -= 2;
			break;
		}
	}
	failed = colinux_setup_rt_frame(ksig, oldset, regs);
	signal_setup_done(failed, ksig, test_thread_flag(TIF_SINGLESTEP));
}

void arch_do_signal_or_restart(struct pt_regs *regs)
{
	struct ksignal ksig;

	if (get_signal(&ksig)) {
		colinux_handle_signal(&ksig, regs);
		return;
	}
	/* No handler: restart the interrupted system call, as x86 does. */
	if (syscall_get_nr(current, regs) >= 0) {
		switch (syscall_get_error(current, regs)) {
		case -ERESTARTNOHAND:
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
			regs->ax = regs->orig_ax;
			regs->ip -= 2;
			break;
		case -ERESTART_RESTARTBLOCK:
			regs->ax = __NR_restart_syscall;
			regs->ip -= 2;
			break;
		}
	}
	restore_saved_sigmask();
}

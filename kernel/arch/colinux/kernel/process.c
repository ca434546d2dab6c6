// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks on a vCPU: each has its own kernel stack in guest RAM and the
 * vCPU thread moves between them (switch.S). New tasks start in
 * colinux_ret_from_fork through a switch frame built here.
 */
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/cpu.h>
#include <linux/ptrace.h>
#include <linux/string.h>
#include "colinux.h"

struct task_struct *colinux_current_task = &init_task;
EXPORT_SYMBOL(colinux_current_task);

/* What switch.S pushes, lowest address first, then its return address. */
struct colinux_switch_frame {
	unsigned long r15, r14, r13, r12, bx, bp;
	unsigned long ret;
};

int copy_thread(struct task_struct *p, const struct kernel_clone_args *args)
{
	struct pt_regs *childregs = task_pt_regs(p);
	struct colinux_switch_frame *frame;

	/*
	 * pt_regs sits at the top of the stack; 8 bytes of padding keep
	 * the first call from colinux_ret_from_fork 16-byte aligned.
	 */
	frame = (void *)childregs - sizeof(unsigned long) - sizeof(*frame);
	memset(frame, 0, sizeof(*frame));
	frame->ret = (unsigned long)colinux_ret_from_fork;

	p->thread.fpu = NULL;
	p->thread.fpu_size = 0;
	if (args->fn) {
		memset(childregs, 0, sizeof(*childregs));
		childregs->cs = __KERNEL_CS;
		frame->bx = (unsigned long)args->fn;
		frame->r12 = (unsigned long)args->fn_arg;
	} else {
		*childregs = *current_pt_regs();
		childregs->ax = 0;
		if (args->stack)
			childregs->sp = args->stack;
		p->thread.fpu_id = 0;
		if (args->flags & CLONE_VM)
			colinux_fpu_fork(p);
		p->thread.fs_base = current->thread.fs_base;
		p->thread.gs_base = current->thread.gs_base;
		if (args->flags & CLONE_SETTLS)
			p->thread.fs_base = args->tls;
		if (!(args->flags & CLONE_VM) && p->mm) {
			colinux_fork_stack(p->mm, childregs->sp);
			colinux_map_code(p->mm, childregs->ip);
			colinux_map_small_private(p->mm);
		}
	}

	colinux_exec_forget(&p->thread);
	p->thread.sp = (unsigned long)frame;
	return 0;
}

/* execve: the new program starts with clean registers and no TLS. */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->ip = ip;
	regs->sp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->flags = 0x200;
	regs->orig_ax = -1;
	current->thread.fs_base = 0;
	current->thread.gs_base = 0;
	colinux_fill_stack(current->mm, sp);
	colinux_map_stack(current->mm, sp);
	colinux_map_code(current->mm, ip);
	colinux_map_small_private(current->mm);
}

void flush_thread(void)
{
}

void arch_setup_new_exec(void)
{
	colinux_exec_adopt();
}

/* A task that died in an exec may still hold the old program's stub. */
void release_thread(struct task_struct *dead_task)
{
	colinux_exec_drop(dead_task);
}

/*
 * Idle waits in the host until a line is raised. The host checks the
 * pending word atomically before it sleeps, so a line raised after the
 * test below still wakes it.
 */
void arch_cpu_idle(void)
{
	if (!READ_ONCE(*colinux_irq_pending))
		colinux_host->idle();
	raw_local_irq_enable();
}

unsigned long colinux_switch_frame_bp(struct task_struct *task)
{
	return ((struct colinux_switch_frame *)task->thread.sp)->bp;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel stack walking. The kernel is built with frame pointers, so a
 * stack is a chain of (saved rbp, return address) pairs; every walk stays
 * inside the task's own stack, whatever the chain says.
 */
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/task_stack.h>
#include <linux/stacktrace.h>
#include <linux/kallsyms.h>
#include <linux/printk.h>
#include "colinux.h"

/* Calls fn on each return address above frame bp; stops when it says so. */
void colinux_walk_stack(struct task_struct *task, unsigned long bp,
			bool (*fn)(void *arg, unsigned long addr), void *arg)
{
	unsigned long bottom = (unsigned long)task_stack_page(task);
	unsigned long top = bottom + THREAD_SIZE;
	unsigned long *frame = (unsigned long *)bp;
	int depth;

	for (depth = 0; depth < 64; depth++) {
		if ((unsigned long)frame < bottom ||
		    (unsigned long)frame > top - 2 * sizeof(long) ||
		    ((unsigned long)frame & 7))
			return;
		if (!__kernel_text_address(frame[1]) || !fn(arg, frame[1]))
			return;
		frame = (unsigned long *)frame[0];
	}
}

/* The frame a switched-out task will resume from (see switch.S). */
unsigned long colinux_task_frame(struct task_struct *task)
{
	if (task == current)
		return (unsigned long)__builtin_frame_address(0);
	return colinux_switch_frame_bp(task);
}

void arch_stack_walk(stack_trace_consume_fn consume_entry, void *cookie,
		     struct task_struct *task, struct pt_regs *regs)
{
	if (!task)
		task = current;
	if (regs) {
		if (!consume_entry(cookie, regs->ip))
			return;
		colinux_walk_stack(task, regs->bp, consume_entry, cookie);
		return;
	}
	colinux_walk_stack(task, colinux_task_frame(task), consume_entry,
			   cookie);
}

static bool colinux_print_entry(void *arg, unsigned long addr)
{
	printk("%s [<%016lx>] %pS\n", (const char *)arg, addr, (void *)addr);
	return true;
}

void colinux_show_stack_from(struct task_struct *task, unsigned long bp,
			     const char *loglvl)
{
	printk("%sCall Trace:\n", loglvl);
	colinux_walk_stack(task, bp, colinux_print_entry, (void *)loglvl);
}

void show_stack(struct task_struct *task, unsigned long *sp,
		const char *loglvl)
{
	if (!task)
		task = current;
	colinux_show_stack_from(task, colinux_task_frame(task), loglvl);
}

static bool colinux_wchan_entry(void *arg, unsigned long addr)
{
	unsigned long *wchan = arg;

	if (in_sched_functions(addr))
		return true;
	*wchan = addr;
	return false;
}

unsigned long __get_wchan(struct task_struct *p)
{
	unsigned long wchan = 0;

	colinux_walk_stack(p, colinux_switch_frame_bp(p), colinux_wchan_entry,
			   &wchan);
	return wchan;
}

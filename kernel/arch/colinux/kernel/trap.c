// SPDX-License-Identifier: GPL-2.0
/*
 * Faults taken by kernel code. The monitor catches the host signal
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE) on the vCPU thread, writes the
 * interrupted registers as a struct passage_trap on the kernel stack and
 * sends the vCPU to colinux_trap_entry, as a CPU vectors an exception.
 * A fault that is not a lazily mapped vmalloc page and has no exception
 * fixup is a kernel bug: an oops, reported the way Linux reports one.
 */
#include <linux/kernel.h>
#include <linux/extable.h>
#include <linux/kdebug.h>
#include <linux/sched/task.h>
#include <linux/sched/debug.h>
#include <linux/hardirq.h>
#include <linux/printk.h>
#include <linux/panic.h>
#include <linux/ptrace.h>
#include <linux/utsname.h>
#include "colinux.h"

#define TRAP_DIVIDE	0
#define TRAP_INVALID_OP	6
#define TRAP_GP		13
#define TRAP_PAGE_FAULT	14

static const char *colinux_trap_name(unsigned long trapno)
{
	switch (trapno) {
	case TRAP_DIVIDE:
		return "divide error";
	case TRAP_INVALID_OP:
		return "invalid opcode";
	case TRAP_GP:
		return "general protection fault";
	case TRAP_PAGE_FAULT:
		return "page fault";
	default:
		return "trap";
	}
}

void show_regs(struct pt_regs *regs)
{
	show_regs_print_info(KERN_DEFAULT);
	pr_info("RIP: %016lx %pS\n", regs->ip, (void *)regs->ip);
	pr_info("RSP: %016lx EFLAGS: %08lx\n", regs->sp, regs->flags);
	pr_info("RAX: %016lx RBX: %016lx RCX: %016lx\n",
		regs->ax, regs->bx, regs->cx);
	pr_info("RDX: %016lx RSI: %016lx RDI: %016lx\n",
		regs->dx, regs->si, regs->di);
	pr_info("RBP: %016lx R08: %016lx R09: %016lx\n",
		regs->bp, regs->r8, regs->r9);
	pr_info("R10: %016lx R11: %016lx R12: %016lx\n",
		regs->r10, regs->r11, regs->r12);
	pr_info("R13: %016lx R14: %016lx R15: %016lx\n",
		regs->r13, regs->r14, regs->r15);
	if (!user_mode(regs))
		colinux_show_stack_from(current, regs->bp, KERN_DEFAULT);
}

static void __noreturn colinux_die(struct passage_trap *trap,
				   struct pt_regs *regs)
{
	static int die_counter;

	console_verbose();
	bust_spinlocks(1);
	pr_emerg("BUG: %s in kernel code at %pS, address %016llx\n",
		 colinux_trap_name(trap->trapno), (void *)regs->ip,
		 trap->address);
	pr_emerg("Oops: %04llx [#%d] (host signal %llu)\n", trap->error_code,
		 ++die_counter, trap->signo);
	show_regs(regs);
	bust_spinlocks(0);
	add_taint(TAINT_DIE, LOCKDEP_NOW_UNRELIABLE);
	if (in_interrupt())
		panic("Fatal exception in interrupt");
	if (panic_on_oops)
		panic("Fatal exception");
	make_task_dead(SIGSEGV);
}

asmlinkage void colinux_trap(struct passage_trap *trap)
{
	struct pt_regs *regs = (struct pt_regs *)&trap->regs;
	const struct exception_table_entry *fixup;

	if (trap->trapno == TRAP_PAGE_FAULT &&
	    colinux_vmalloc_fault(trap->address))
		return;

	fixup = search_exception_tables(regs->ip);
	if (fixup) {
		regs->ip = fixup->fixup;
		return;
	}
	colinux_die(trap, regs);
}

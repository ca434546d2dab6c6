/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Saved registers, in x86-64's struct pt_regs layout (which the passage's
 * struct passage_regs mirrors), so that ptrace, signal frames and core
 * dumps of guest programs see exactly what x86-64 Linux shows them.
 */
#ifndef _ASM_COLINUX_PTRACE_H
#define _ASM_COLINUX_PTRACE_H

#include <uapi/asm/ptrace.h>

#define __KERNEL_CS	0x10
#define __KERNEL_DS	0x18
#define __USER_CS	0x33
#define __USER_DS	0x2b

#ifndef __ASSEMBLY__

struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax;
	unsigned long ip, cs, flags, sp, ss;
};

#define user_mode(regs)			(((regs)->cs & 3) == 3)
#define instruction_pointer(regs)	((regs)->ip)
#define user_stack_pointer(regs)	((regs)->sp)
#define profile_pc(regs)		instruction_pointer(regs)
#define regs_return_value(regs)		((regs)->ax)
#define current_pt_regs()		task_pt_regs(current)

static inline long regs_irqs_disabled(struct pt_regs *regs)
{
	return 0;
}

void show_regs(struct pt_regs *regs);

/* The stub's host traps after one instruction with the trap flag set. */
#define arch_has_single_step()	(1)

#endif /* __ASSEMBLY__ */
#endif

// SPDX-License-Identifier: GPL-2.0
/* Structure offsets for the port's assembly. */
#include <linux/kbuild.h>
#include <linux/sched.h>
#include <colinux/passage.h>

void foo(void)
{
	OFFSET(TASK_THREAD_SP, task_struct, thread.sp);
	DEFINE(PT_REGS_SIZE, sizeof(struct pt_regs));

	OFFSET(TRAP_R15, passage_trap, regs.r15);
	OFFSET(TRAP_R14, passage_trap, regs.r14);
	OFFSET(TRAP_R13, passage_trap, regs.r13);
	OFFSET(TRAP_R12, passage_trap, regs.r12);
	OFFSET(TRAP_RBP, passage_trap, regs.rbp);
	OFFSET(TRAP_RBX, passage_trap, regs.rbx);
	OFFSET(TRAP_R11, passage_trap, regs.r11);
	OFFSET(TRAP_R10, passage_trap, regs.r10);
	OFFSET(TRAP_R9, passage_trap, regs.r9);
	OFFSET(TRAP_R8, passage_trap, regs.r8);
	OFFSET(TRAP_RAX, passage_trap, regs.rax);
	OFFSET(TRAP_RCX, passage_trap, regs.rcx);
	OFFSET(TRAP_RDX, passage_trap, regs.rdx);
	OFFSET(TRAP_RSI, passage_trap, regs.rsi);
	OFFSET(TRAP_RDI, passage_trap, regs.rdi);
	OFFSET(TRAP_RIP, passage_trap, regs.rip);
	OFFSET(TRAP_EFLAGS, passage_trap, regs.eflags);
	OFFSET(TRAP_RSP, passage_trap, regs.rsp);
}

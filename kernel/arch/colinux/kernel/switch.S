/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Switching kernel stacks between tasks on one vCPU thread: save the
 * callee-saved registers on the old stack, swap stack pointers, restore.
 * No host call, no host scheduler: a few instructions.
 */
#include <linux/linkage.h>
#include <asm/asm-offsets.h>

	.text

/* struct task_struct *__switch_to(prev, next): returns prev on next's stack. */
SYM_FUNC_START(__switch_to)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, TASK_THREAD_SP(%rdi)
	movq	TASK_THREAD_SP(%rsi), %rsp
	movq	%rsi, colinux_current_task(%rip)
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdi, %rax
	ret
SYM_FUNC_END(__switch_to)

/*
 * First run of a new task: copy_thread() left a switch frame whose return
 * address is here, with the thread function in %rbx and its argument in
 * %r12 (%rbx is 0 for a user task).
 */
SYM_CODE_START(colinux_ret_from_fork)
	movq	%rax, %rdi
	call	schedule_tail
	testq	%rbx, %rbx
	jz	1f
	movq	%r12, %rdi
	call	*%rbx
1:	call	colinux_ret_to_user
	ud2
SYM_CODE_END(colinux_ret_from_fork)

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two ways into the kernel from the monitor: the boot entry, called
 * once on the first vCPU thread, and the trap entry, where the monitor
 * sends a vCPU whose kernel code faulted (as a CPU vectors an exception).
 */
#include <linux/init.h>
#include <linux/linkage.h>
#include <asm/asm-offsets.h>
#include <asm/thread_info.h>

	__HEAD

/* void colinux_entry(struct passage_boot *boot): never returns. */
SYM_CODE_START(colinux_entry)
	/* Run on init_task's stack, leaving its pt_regs slot at the top. */
	leaq	__end_init_task(%rip), %rsp
	subq	$PT_REGS_SIZE, %rsp
	andq	$-16, %rsp
	xorl	%ebp, %ebp
	call	colinux_start
	ud2
SYM_CODE_END(colinux_entry)

	.text

/*
 * %rdi = %rsp = a struct passage_trap the monitor wrote on the faulting
 * stack, below its red zone. colinux_trap() may change the saved
 * registers (an exception fixup moves rip); then all of them are reloaded
 * and execution resumes where they say.
 */
SYM_CODE_START(colinux_trap_entry)
	call	colinux_trap
	movq	TRAP_RIP(%rsp), %rax
	movq	%rax, colinux_trap_resume_ip(%rip)
	pushq	TRAP_EFLAGS(%rsp)
	popfq
	movq	TRAP_R15(%rsp), %r15
	movq	TRAP_R14(%rsp), %r14
	movq	TRAP_R13(%rsp), %r13
	movq	TRAP_R12(%rsp), %r12
	movq	TRAP_RBP(%rsp), %rbp
	movq	TRAP_RBX(%rsp), %rbx
	movq	TRAP_R11(%rsp), %r11
	movq	TRAP_R10(%rsp), %r10
	movq	TRAP_R9(%rsp), %r9
	movq	TRAP_R8(%rsp), %r8
	movq	TRAP_RAX(%rsp), %rax
	movq	TRAP_RCX(%rsp), %rcx
	movq	TRAP_RDX(%rsp), %rdx
	movq	TRAP_RSI(%rsp), %rsi
	movq	TRAP_RDI(%rsp), %rdi
	movq	TRAP_RSP(%rsp), %rsp
	jmp	*colinux_trap_resume_ip(%rip)
SYM_CODE_END(colinux_trap_entry)

	.data
	.balign 8
/* Where colinux_trap_entry resumes; one vCPU, so one slot. */
SYM_DATA_LOCAL(colinux_trap_resume_ip, .quad 0)

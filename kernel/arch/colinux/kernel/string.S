/* SPDX-License-Identifier: GPL-2.0 */
#include <linux/linkage.h>

	.text

SYM_FUNC_START(memcpy)
	movq	%rdi, %rax
	movq	%rdx, %rcx
	rep movsb
	ret
SYM_FUNC_END(memcpy)

SYM_FUNC_START(memset)
	movq	%rdi, %r9
	movl	%esi, %eax
	movq	%rdx, %rcx
	rep stosb
	movq	%r9, %rax
	ret
SYM_FUNC_END(memset)

/* Copies backwards when the destination overlaps the source's tail. */
SYM_FUNC_START(memmove)
	movq	%rdi, %rax
	movq	%rdx, %rcx
	cmpq	%rsi, %rdi
	jbe	1f
	leaq	-1(%rsi,%rdx), %rsi
	leaq	-1(%rdi,%rdx), %rdi
	std
	rep movsb
	cld
	ret
1:	rep movsb
	ret
SYM_FUNC_END(memmove)

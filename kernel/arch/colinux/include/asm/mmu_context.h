/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_MMU_CONTEXT_H
#define _ASM_COLINUX_MMU_CONTEXT_H

#include <linux/mm_types.h>
#include <asm/mm_hooks.h>

/*
 * Kernel threads borrow any mm; nothing is loaded on the host until a user
 * task of that mm runs, so switching is free.
 */
static inline void switch_mm(struct mm_struct *prev, struct mm_struct *next,
			     struct task_struct *tsk)
{
}

#define init_new_context init_new_context
int init_new_context(struct task_struct *tsk, struct mm_struct *mm);
#define destroy_context destroy_context
void destroy_context(struct mm_struct *mm);

#include <asm-generic/mmu_context.h>

#endif

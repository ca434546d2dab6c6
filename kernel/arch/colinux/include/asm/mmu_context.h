/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_MMU_CONTEXT_H
#define _ASM_COLINUX_MMU_CONTEXT_H

#include <linux/mm_types.h>

/* A fork changes the parent's mm in one known way (colinux_mm_flush). */
static inline int arch_dup_mmap(struct mm_struct *oldmm,
				struct mm_struct *mm)
{
	oldmm->context.forking = true;
	return 0;
}

static inline void arch_exit_mmap(struct mm_struct *mm)
{
}

static inline void arch_unmap(struct mm_struct *mm, unsigned long start,
			      unsigned long end)
{
}

static inline bool arch_vma_access_permitted(struct vm_area_struct *vma,
					     bool write, bool execute,
					     bool foreign)
{
	return true;
}

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

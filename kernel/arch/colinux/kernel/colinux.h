/* SPDX-License-Identifier: GPL-2.0 */
/* What the files of the port share with each other, and nothing else. */
#ifndef _COLINUX_KERNEL_COLINUX_H
#define _COLINUX_KERNEL_COLINUX_H

#include <linux/linkage.h>
#include <colinux/passage.h>

struct task_struct;

extern struct passage_boot *colinux_boot;
extern const struct passage_host_ops *colinux_host;
extern u64 colinux_boot_ns;	/* host monotonic time at entry */

void colinux_console_init(void);
void colinux_panic_init(void);
asmlinkage void colinux_trap_entry(struct passage_trap *trap);
asmlinkage void colinux_trap(struct passage_trap *trap);
asmlinkage void colinux_ret_from_fork(void);
asmlinkage void colinux_ret_to_user(void);
bool colinux_vmalloc_fault(unsigned long address);
struct pt_regs;
struct mm_struct;
void colinux_irq_take(struct pt_regs *regs);
/* The vector-state image in a mailbox (passage COLINUX_MAILBOX_FPU). */
static inline void *colinux_mailbox_fpu(struct passage_mailbox *mb)
{
	return (void *)mb + COLINUX_MAILBOX_FPU;
}

void colinux_fpu_trapped(struct mm_struct *mm, struct passage_mailbox *mb);
void colinux_fpu_activate(struct mm_struct *mm, struct passage_mailbox *mb);
void colinux_fpu_fork(struct task_struct *p);
void *colinux_fpu_image(struct task_struct *t, u32 *size, bool write);
void colinux_user_fault(struct pt_regs *regs, unsigned long addr,
			unsigned long err);
#ifdef _LINUX_MM_TYPES_H
pte_t *colinux_pte_lookup(struct mm_struct *mm, unsigned long addr);
void colinux_mm_map_page(struct mm_struct *mm, unsigned long addr, pte_t pte);
/* The wide fault window of read-only file memory (mm/fault.c). */
#define COLINUX_WIDE_WINDOW	(512 * PAGE_SIZE)
bool colinux_map_present(struct mm_struct *mm, unsigned long start,
			 unsigned long end, bool all);
void colinux_map_stack(struct mm_struct *mm, unsigned long sp);
void colinux_map_code(struct mm_struct *mm, unsigned long ip);
void colinux_map_small_private(struct mm_struct *mm);
void colinux_fill_stack(struct mm_struct *mm, unsigned long sp);
void colinux_fork_stack(struct mm_struct *child, unsigned long sp);
void colinux_mm_window_mapped(struct mm_struct *mm, unsigned long base,
			      struct file *file);
bool colinux_mm_window_is_mapped(struct mm_struct *mm, unsigned long base,
				 struct file *file);
void colinux_mm_applied(struct mm_struct *mm);
bool colinux_mm_room(struct mm_struct *mm, unsigned int n);
int colinux_mm_start_stub(struct mm_struct *mm);
void colinux_exec_adopt(void);
void colinux_exec_drop(struct task_struct *tsk);
void colinux_exec_forget(struct thread_struct *t);
u32 colinux_mailbox_fpu_size(struct passage_mailbox *mb);
#endif
unsigned long colinux_switch_frame_bp(struct task_struct *task);
void colinux_walk_stack(struct task_struct *task, unsigned long bp,
			bool (*fn)(void *arg, unsigned long addr), void *arg);
void colinux_show_stack_from(struct task_struct *task, unsigned long bp,
			     const char *loglvl);

#endif

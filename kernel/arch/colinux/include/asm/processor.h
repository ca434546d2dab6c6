/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_PROCESSOR_H
#define _ASM_COLINUX_PROCESSOR_H

#include <linux/types.h>
#include <asm/page.h>
#include <asm/ptrace.h>

/*
 * Guest user addresses: the x86-64 47-bit space, less the top pages where
 * the process engine keeps each address space's stub.
 */
#define TASK_SIZE_MAX		(_AC(0x7fffffffe000, UL) - 0x100000UL)
#define TASK_SIZE		TASK_SIZE_MAX
#define TASK_SIZE_OF(tsk)	TASK_SIZE
#define STACK_TOP		TASK_SIZE
#define STACK_TOP_MAX		TASK_SIZE
#define TASK_UNMAPPED_BASE	PAGE_ALIGN(TASK_SIZE / 3)

#ifndef __ASSEMBLY__

struct task_struct;
struct passage_mailbox;
struct passage_mm_edits;

/* What __switch_to saves of a task that is not running. */
struct thread_struct {
	unsigned long sp;	/* kernel stack pointer while switched out */
	unsigned long fs_base;	/* user TLS (arch_prctl ARCH_SET_FS) */
	unsigned long gs_base;	/* kept for ARCH_GET_GS; not used */
	/* Vector state image, kept once the mm has more threads (fpu.c). */
	void *fpu;
	unsigned int fpu_size;
	u64 fpu_id;
	/* The last user fault, for signal frames (sigcontext). */
	unsigned long trap_nr, error_code, cr2;
	/*
	 * During an exec: the stub of the mm it replaced, with its mailbox
	 * and edit pages, until the new program takes it over (mm/mirror.c).
	 */
	long exec_stub;
	struct passage_mailbox *exec_mb;
	struct passage_mm_edits *exec_edits;
};

#define INIT_THREAD { .sp = 0 }

void colinux_cpu_relax(void);

/*
 * A vCPU spinning in the kernel must still see interrupts: run what is
 * pending when interrupts are enabled, as a pause on real hardware lets
 * the CPU take them.
 */
static __always_inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
	colinux_cpu_relax();
}

#define task_pt_regs(tsk) \
	((struct pt_regs *)(task_stack_page(tsk) + THREAD_SIZE) - 1)
#define KSTK_EIP(tsk)	(task_pt_regs(tsk)->ip)
#define KSTK_ESP(tsk)	(task_pt_regs(tsk)->sp)

unsigned long __get_wchan(struct task_struct *p);

void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp);

static inline void prefetch(const void *x) { }
static inline void prefetchw(const void *x) { }

#endif /* __ASSEMBLY__ */
#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * There is no TLB, but there are host mappings: kernel mappings outside
 * the direct map are made in the monitor when the kernel's page tables
 * change (arch_sync_kernel_mappings), so flushing them has nothing left
 * to do. A user mm's stub holds host mappings of its pages: flushing
 * removes them before it returns, as a TLB shootdown would, since the
 * pages may be freed right after and guest code may be running in the
 * stub; later faults map pages back (mm/mirror.c).
 */
#ifndef _ASM_COLINUX_TLBFLUSH_H
#define _ASM_COLINUX_TLBFLUSH_H

#include <linux/mm_types.h>

void colinux_mm_flush_range(struct mm_struct *mm, unsigned long start,
			    unsigned long end);
void colinux_mm_flush(struct mm_struct *mm);

static inline void flush_tlb_all(void) { }
static inline void flush_tlb_mm(struct mm_struct *mm)
{
	colinux_mm_flush(mm);
}
static inline void flush_tlb_range(struct vm_area_struct *vma,
				   unsigned long start, unsigned long end)
{
	colinux_mm_flush_range(vma->vm_mm, start, end);
}
static inline void flush_tlb_page(struct vm_area_struct *vma,
				  unsigned long addr)
{
	colinux_mm_flush_range(vma->vm_mm, addr, addr + PAGE_SIZE);
}
static inline void flush_tlb_kernel_range(unsigned long start,
					  unsigned long end) { }

#endif

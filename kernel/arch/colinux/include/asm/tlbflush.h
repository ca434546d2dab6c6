/* SPDX-License-Identifier: GPL-2.0 */
/*
 * There is no TLB, but there are host mappings: kernel mappings outside
 * the direct map are made in the monitor when the kernel's page tables
 * change (arch_sync_kernel_mappings), so flushing them has nothing left
 * to do. User mappings are mirrored by the process engine.
 */
#ifndef _ASM_COLINUX_TLBFLUSH_H
#define _ASM_COLINUX_TLBFLUSH_H

#include <linux/mm_types.h>

static inline void flush_tlb_all(void) { }
static inline void flush_tlb_mm(struct mm_struct *mm) { }
static inline void flush_tlb_range(struct vm_area_struct *vma,
				   unsigned long start, unsigned long end) { }
static inline void flush_tlb_page(struct vm_area_struct *vma,
				  unsigned long addr) { }
static inline void flush_tlb_kernel_range(unsigned long start,
					  unsigned long end) { }

#endif

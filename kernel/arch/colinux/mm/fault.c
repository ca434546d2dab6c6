// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults of guest user code. The stub reports the host SIGSEGV with
 * x86's page-fault error code; we resolve it in the mm as x86 Linux does,
 * then map the page into the stub (mirror.c). A fault Linux cannot
 * resolve becomes SIGSEGV or SIGBUS for the guest program.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/perf_event.h>
#include <linux/pgtable.h>
#include "../kernel/colinux.h"

/*
 * Map this much around a faulting page, where the page tables already
 * have pages: one trap and one batched mmap instead of a trap a page.
 */
#define FAULT_AROUND	(16 * PAGE_SIZE)

#define PF_WRITE	(1UL << 1)
#define PF_INSTR	(1UL << 4)

/* The PTE mapping addr in mm (init_mm for kernel addresses), or NULL. */
pte_t *colinux_pte_lookup(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd) || pmd_bad(*pmd))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

/*
 * A write to fresh anonymous memory just after a present page is most
 * likely a program filling a buffer: give the rest of the fault-around
 * window its pages now, so that one trap and one stub batch serve all
 * of them (as a large folio would). Sparse writes get nothing extra;
 * memory is only allocated ahead of a sequential writer.
 */
static void colinux_anon_fault_ahead(struct mm_struct *mm,
				     struct vm_area_struct *vma,
				     unsigned long addr, unsigned long end)
{
	unsigned long a;
	pte_t *ptep;

	if (!vma_is_anonymous(vma) || !(vma->vm_flags & VM_WRITE))
		return;
	if (addr == vma->vm_start)
		return;
	ptep = colinux_pte_lookup(mm, addr - PAGE_SIZE);
	if (!ptep || !pte_present(*ptep))
		return;
	for (a = addr + PAGE_SIZE; a < end; a += PAGE_SIZE) {
		ptep = colinux_pte_lookup(mm, a);
		if (ptep && !pte_none(*ptep))
			continue;
		/* No retry flag: the mmap lock stays held. */
		if (handle_mm_fault(vma, a, FAULT_FLAG_WRITE, NULL) &
		    VM_FAULT_ERROR)
			return;
	}
}

static bool colinux_access_ok(struct vm_area_struct *vma, unsigned long err)
{
	if (err & PF_WRITE)
		return vma->vm_flags & VM_WRITE;
	if (err & PF_INSTR)
		return vma->vm_flags & VM_EXEC;
	return vma->vm_flags & (VM_READ | VM_EXEC | VM_WRITE);
}

void colinux_user_fault(struct pt_regs *regs, unsigned long addr,
			unsigned long err)
{
	struct mm_struct *mm = current->mm;
	unsigned int flags = FAULT_FLAG_DEFAULT | FAULT_FLAG_USER;
	struct vm_area_struct *vma;
	unsigned long start, end, a;
	vm_fault_t fault;
	pte_t *ptep;

	if (err & PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (err & PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	perf_sw_event(PERF_COUNT_SW_PAGE_FAULTS, 1, regs, addr);
retry:
	vma = lock_mm_and_find_vma(mm, addr, regs);
	if (!vma) {
		force_sig_fault(SIGSEGV, SEGV_MAPERR, (void __user *)addr);
		return;
	}
	if (!colinux_access_ok(vma, err)) {
		mmap_read_unlock(mm);
		force_sig_fault(SIGSEGV, SEGV_ACCERR, (void __user *)addr);
		return;
	}
	start = max(vma->vm_start, addr & ~(FAULT_AROUND - 1));
	end = min(vma->vm_end, (addr & ~(FAULT_AROUND - 1)) + FAULT_AROUND);
	fault = handle_mm_fault(vma, addr, flags, regs);
	if (fault_signal_pending(fault, regs))
		return;	/* the lock is already dropped */
	if (fault & VM_FAULT_COMPLETED)
		goto map;
	if (fault & VM_FAULT_RETRY) {
		flags |= FAULT_FLAG_TRIED;
		goto retry;
	}
	if (fault & VM_FAULT_ERROR) {
		mmap_read_unlock(mm);
		if (fault & VM_FAULT_OOM)
			pagefault_out_of_memory();
		else
			force_sig_fault(SIGBUS, BUS_ADRERR,
					(void __user *)addr);
		return;
	}
	if (flags & FAULT_FLAG_WRITE)
		colinux_anon_fault_ahead(mm, vma, addr & PAGE_MASK, end);
	mmap_read_unlock(mm);
map:
	/* UP and no preemption: the tables cannot change under this walk. */
	for (a = start; a < end; a += PAGE_SIZE) {
		ptep = colinux_pte_lookup(mm, a);
		if (ptep)
			colinux_mm_map_page(mm, a, *ptep);
	}
}

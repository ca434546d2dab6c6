// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel mappings outside the direct map (vmalloc, vmap, ioremap) live in
 * the kernel's page tables like on any MMU, and the monitor must make
 * them real in its own address space. The core calls
 * arch_sync_kernel_mappings() after changing such PTEs; we walk the range
 * and hand the monitor runs of contiguous pages, one host call a run.
 */
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/pgtable.h>
#include <linux/uaccess.h>
#include "../kernel/colinux.h"

static pte_t *colinux_kernel_pte(unsigned long addr)
{
	return colinux_pte_lookup(&init_mm, addr);
}

static int colinux_pte_prot(pte_t pte)
{
	int prot = 0;

	if (!(pte_val(pte) & _PAGE_PRESENT))
		return 0;
	prot = COLINUX_PROT_READ;
	if (pte_write(pte))
		prot |= COLINUX_PROT_WRITE;
	if (pte_exec(pte))
		prot |= COLINUX_PROT_EXEC;
	return prot;
}

/* A run of pages to map (prot != 0, phys contiguous) or to unmap. */
struct colinux_run {
	unsigned long start, end, phys;
	int prot;
};

static void colinux_run_flush(struct colinux_run *run)
{
	int err;

	if (run->start == run->end)
		return;
	if (run->prot)
		err = colinux_host->map(run->start, run->phys,
					run->end - run->start, run->prot);
	else
		err = colinux_host->unmap(run->start, run->end - run->start);
	if (err)
		panic("colinux: host cannot %smap kernel range %#lx-%#lx: %d\n",
		      run->prot ? "" : "un", run->start, run->end, err);
	run->start = run->end;
}

void arch_sync_kernel_mappings(unsigned long start, unsigned long end)
{
	struct colinux_run run = { .start = start, .end = start };
	unsigned long addr;

	if (start < VMALLOC_START || end > VMALLOC_END) {
		WARN_ONCE(1, "colinux: kernel mapping %#lx-%#lx outside vmalloc\n",
			  start, end);
		return;
	}
	for (addr = start & PAGE_MASK; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = colinux_kernel_pte(addr);
		pte_t pte = ptep ? READ_ONCE(*ptep) : __pte(0);
		int prot = colinux_pte_prot(pte);
		unsigned long phys = pte_pfn(pte) << PAGE_SHIFT;

		if (run.end != run.start &&
		    (prot != run.prot ||
		     (prot && phys != run.phys + (run.end - run.start))))
			colinux_run_flush(&run);
		if (run.start == run.end) {
			run.start = addr;
			run.end = addr;
			run.phys = phys;
			run.prot = prot;
		}
		run.end = addr + PAGE_SIZE;
	}
	colinux_run_flush(&run);
}

/*
 * A kernel access to a vmalloc page the monitor has not mapped: only
 * possible for mappings made without a sync. Map it if it is present.
 */
bool colinux_vmalloc_fault(unsigned long address)
{
	pte_t *ptep;

	if (address < VMALLOC_START || address >= VMALLOC_END)
		return false;
	ptep = colinux_kernel_pte(address);
	if (!ptep || !colinux_pte_prot(*ptep))
		return false;
	arch_sync_kernel_mappings(address & PAGE_MASK,
				  (address & PAGE_MASK) + PAGE_SIZE);
	return true;
}

bool colinux_kernel_range_ok(const void *ptr, unsigned long len)
{
	unsigned long addr = (unsigned long)ptr, end = addr + len;

	if (end < addr)
		return false;
	if (addr >= PAGE_OFFSET && end <= (unsigned long)high_memory)
		return true;
	if (addr < VMALLOC_START || end > VMALLOC_END)
		return false;
	for (addr &= PAGE_MASK; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = colinux_kernel_pte(addr);

		if (!ptep || !colinux_pte_prot(*ptep))
			return false;
	}
	return true;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The stub's view of a guest mm. Each mm lives in a host stub process
 * whose mappings of guest RAM mirror the mm's page tables lazily, like a
 * TLB: a page is mapped in the stub when guest code faults on it, and a
 * flush queues the removal of a range. Edits are queued in the mm's
 * mailbox and applied by the stub, in one batch, before it next runs
 * guest code: no host call per PTE.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/gfp.h>
#include <asm/mmu_context.h>
#include <asm/tlbflush.h>
#include "../kernel/colinux.h"

int init_new_context(struct task_struct *tsk, struct mm_struct *mm)
{
	struct page *pages;
	long stub;

	BUILD_BUG_ON(sizeof(struct passage_mailbox) > PAGE_SIZE);
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO,
			    get_order(COLINUX_MAILBOX_PAGES * PAGE_SIZE));
	if (!pages)
		return -ENOMEM;
	stub = colinux_host->stub_create(page_to_phys(pages));
	if (stub < 0) {
		pr_warn_ratelimited("colinux: the host cannot start a stub process: %ld\n",
				    stub);
		__free_pages(pages, get_order(COLINUX_MAILBOX_PAGES * PAGE_SIZE));
		return -EAGAIN;
	}
	mm->context.stub = stub;
	mm->context.mb = page_address(pages);
	mm->context.forking = false;	/* dup_mm copied the parent's */
	return 0;
}

void destroy_context(struct mm_struct *mm)
{
	if (!mm->context.mb)
		return;
	colinux_host->stub_destroy(mm->context.stub);
	free_pages((unsigned long)mm->context.mb,
		   get_order(COLINUX_MAILBOX_PAGES * PAGE_SIZE));
	mm->context.mb = NULL;
}

void colinux_mm_unmap_all(struct mm_struct *mm)
{
	struct passage_mailbox *mb = mm->context.mb;

	if (mb) {
		mb->ncmds = 0;
		mb->flush_all = 1;
	}
}

/*
 * flush_tlb_mm. At the end of a fork (dup_mmap, which holds the parent's
 * mmap lock) the parent's only changed PTEs are those of its writable
 * private mappings, write-protected for copy-on-write: unmap just those
 * in its stub and keep its text, read-only data and shared memory, which
 * it would otherwise fault back in one window at a time. Any other
 * flush of a whole mm unmaps everything.
 */
void colinux_mm_flush(struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;

	if (!mm->context.forking) {
		colinux_mm_unmap_all(mm);
		return;
	}
	mm->context.forking = false;
	for_each_vma(vmi, vma)
		if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) == VM_WRITE)
			colinux_mm_unmap(mm, vma->vm_start, vma->vm_end);
}

static void colinux_mm_queue(struct mm_struct *mm, u32 op, unsigned long addr,
			     unsigned long len, u64 phys, u32 prot)
{
	struct passage_mailbox *mb = mm->context.mb;
	struct passage_mm_cmd *c;

	u32 n;

	if (!mb || READ_ONCE(mb->flush_all))
		return;
	/* Read once: a count past the array is not ours (user.c). */
	n = READ_ONCE(mb->ncmds);
	if (n > COLINUX_MM_CMDS)
		n = 0;
	/* Extend the last edit when this one continues it. */
	if (n) {
		c = &mb->cmds[n - 1];
		if (c->op == op && c->prot == prot && c->addr + c->len == addr &&
		    (op == COLINUX_MM_UNMAP || c->phys + c->len == phys)) {
			c->len += len;
			return;
		}
	}
	if (n >= COLINUX_MM_CMDS) {
		/* Too many edits: forget them all and start over. */
		colinux_mm_unmap_all(mm);
		return;
	}
	c = &mb->cmds[n];
	mb->ncmds = n + 1;
	c->op = op;
	c->prot = prot;
	c->addr = addr;
	c->len = len;
	c->phys = phys;
}

/* Whether n more edits surely fit in the mailbox without a flush. */
bool colinux_mm_room(struct mm_struct *mm, unsigned int n)
{
	struct passage_mailbox *mb = mm->context.mb;

	return mb && !READ_ONCE(mb->flush_all) &&
	       READ_ONCE(mb->ncmds) + n <= COLINUX_MM_CMDS;
}

void colinux_mm_unmap(struct mm_struct *mm, unsigned long start,
		      unsigned long end)
{
	start &= PAGE_MASK;
	end = PAGE_ALIGN(min(end, TASK_SIZE));
	if (start < end)
		colinux_mm_queue(mm, COLINUX_MM_UNMAP, start, end - start, 0, 0);
}

/*
 * After a fault: map the page at addr as its PTE allows. Writable only if
 * the PTE is writable and dirty, so that the first write faults and marks
 * it dirty, as the hardware would.
 */
void colinux_mm_map_page(struct mm_struct *mm, unsigned long addr, pte_t pte)
{
	u32 prot;

	if (!(pte_val(pte) & _PAGE_PRESENT) || !(pte_val(pte) & _PAGE_USER))
		return;
	prot = COLINUX_PROT_READ;
	if (pte_write(pte) && pte_dirty(pte))
		prot |= COLINUX_PROT_WRITE;
	if (pte_exec(pte))
		prot |= COLINUX_PROT_EXEC;
	colinux_mm_queue(mm, COLINUX_MM_MAP, addr & PAGE_MASK, PAGE_SIZE,
			 (u64)pte_pfn(pte) << PAGE_SHIFT, prot);
}

/* Called on every task switch: keep it to a few loads. */
void colinux_switch_mm_hint(struct task_struct *prev, struct task_struct *next)
{
	struct mm_struct *mm = prev->mm;

	if (mm && mm != next->mm && mm->context.mb)
		WRITE_ONCE(mm->context.mb->kernel_busy, 1);
}

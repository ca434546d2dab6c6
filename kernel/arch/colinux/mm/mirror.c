// SPDX-License-Identifier: GPL-2.0
/*
 * The stub's view of a guest mm. Each mm lives in a host stub process
 * whose mappings of guest RAM mirror the mm's page tables like a TLB: a
 * page is mapped in the stub when guest code faults on it, queued in the
 * mm's edit page and mapped, in one batch, before the thread next runs
 * guest code: no host call per PTE. A flush is a shootdown: the removal
 * is done when it returns (stub_sync), because the pages may be freed
 * next, and guest code in the stub need not have stopped when the kernel
 * thinks it has (it can write its mailbox). Two cases need none: a stub
 * that never ran guest code for the mm maps nothing yet; and a page the
 * faulting mm drops (copy-on-write) is held until its stub has applied
 * the queue, so the removal may wait for the thread's resume.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <asm/mmu_context.h>
#include <asm/tlbflush.h>
#include "../kernel/colinux.h"

#define MAILBOX_ORDER	get_order(COLINUX_MAILBOX_PAGES * PAGE_SIZE)

/* The pages a mailbox and an edit queue took (init_new_context). */
static void colinux_free_mm_pages(struct passage_mailbox *mb,
				  struct passage_mm_edits *edits)
{
	free_pages((unsigned long)mb, MAILBOX_ORDER);
	free_page((unsigned long)edits);
}

/* Start the stub of mm, which has none yet: 0, or -EAGAIN. */
int colinux_mm_start_stub(struct mm_struct *mm)
{
	long stub = colinux_host->stub_create(__pa(mm->context.mb),
					      __pa(mm->context.edits));

	if (stub < 0) {
		pr_warn_ratelimited("colinux: the host cannot start a stub process: %ld\n",
				    stub);
		return -EAGAIN;
	}
	mm->context.stub = stub;
	return 0;
}

/*
 * A fork's mm gets its stub at once, so that a fork fails, not its
 * child, when the host has none to give. An exec's (mm_alloc, here for
 * the task itself) waits for its first run: it may take over the stub
 * of the mm it replaces instead (colinux_exec_adopt).
 */
int init_new_context(struct task_struct *tsk, struct mm_struct *mm)
{
	struct page *pages, *edits;

	BUILD_BUG_ON(sizeof(struct passage_mailbox) > PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct passage_mm_edits) > PAGE_SIZE);
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, MAILBOX_ORDER);
	if (!pages)
		return -ENOMEM;
	edits = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!edits)
		goto out_pages;
	mm->context.stub = 0;
	mm->context.mb = page_address(pages);
	mm->context.edits = page_address(edits);
	if (tsk != current && colinux_mm_start_stub(mm)) {
		colinux_free_mm_pages(mm->context.mb, mm->context.edits);
		mm->context.mb = NULL;
		mm->context.edits = NULL;
		return -EAGAIN;
	}
	/* dup_mm copied the parent's */
	mm->context.forking = false;
	mm->context.ran = false;
	mm->context.nheld = 0;
	memset(mm->context.windows, 0, sizeof(mm->context.windows));
	return 0;

out_pages:
	__free_pages(pages, MAILBOX_ORDER);
	return -ENOMEM;
}

/*
 * The stub has applied every edit queued so far, or is gone: the pages
 * whose removal was queued are no longer mapped there.
 */
void colinux_mm_applied(struct mm_struct *mm)
{
	unsigned int i;

	for (i = 0; i < mm->context.nheld; i++)
		put_page(mm->context.held[i]);
	mm->context.nheld = 0;
}

/*
 * The mm is done with its stub: when this returns, no guest code runs
 * there again, and the pages it mapped may be freed.
 */
static void colinux_mm_release(struct mm_struct *mm)
{
	if (mm->context.stub)
		colinux_host->stub_destroy(mm->context.stub);
	mm->context.stub = 0;
	mm->context.edits->ncmds = 0;
	colinux_mm_applied(mm);
}

void destroy_context(struct mm_struct *mm)
{
	if (!mm->context.mb)
		return;
	colinux_mm_release(mm);
	colinux_free_mm_pages(mm->context.mb, mm->context.edits);
	mm->context.mb = NULL;
	mm->context.edits = NULL;
}

/*
 * Apply the queued edits now. A stub that is gone maps nothing; its task
 * is killed at its next return to user mode (user.c).
 */
static void colinux_mm_sync(struct mm_struct *mm)
{
	struct passage_mm_edits *e = mm->context.edits;

	/* No stub yet, and a full queue: start it, which maps nothing. */
	if (e && e->ncmds && !mm->context.stub &&
	    colinux_mm_start_stub(mm))
		return;
	if (e && e->ncmds)
		colinux_host->stub_sync(mm->context.stub);
	colinux_mm_applied(mm);
}

/* A flush: the queued removals are done when this returns. */
static void colinux_mm_shootdown(struct mm_struct *mm)
{
	/* Its first resume applies the queue, in order, before guest code. */
	if (!mm->context.ran)
		return;
	colinux_mm_sync(mm);
}

static void colinux_mm_queue(struct mm_struct *mm, u32 op, unsigned long addr,
			     unsigned long len, u64 phys, u32 prot)
{
	struct passage_mm_edits *e = mm->context.edits;
	struct passage_mm_cmd *c;
	u32 n;

	if (!e)
		return;
	n = e->ncmds;
	/* Extend the last edit when this one continues it. */
	if (n) {
		c = &e->cmds[n - 1];
		if (c->op == op && c->prot == prot && c->addr + c->len == addr &&
		    (op != COLINUX_MM_MAP || c->phys + c->len == phys)) {
			c->len += len;
			return;
		}
	}
	if (n >= COLINUX_MM_CMDS) {
		colinux_mm_sync(mm);
		n = e->ncmds;
		if (n)		/* the stub is gone: nothing to queue for */
			return;
	}
	c = &e->cmds[n];
	c->op = op;
	c->prot = prot;
	c->addr = addr;
	c->len = len;
	c->phys = phys;
	e->ncmds = n + 1;
}

/* Whether n more edits surely fit in the edit page without a sync. */
bool colinux_mm_room(struct mm_struct *mm, unsigned int n)
{
	struct passage_mm_edits *e = mm->context.edits;

	return e && e->ncmds + n <= COLINUX_MM_CMDS;
}

/*
 * A wide window of the mm, COLINUX_WIDE_WINDOW aligned, now has every
 * page its page tables hold there for the window's file mapped in the
 * stub, or queued: later faults there need not map it again
 * (mm/fault.c). Forgotten when anything in it is unmapped. A window is
 * known by its base and, in the bits the alignment leaves free, a hash
 * of its file: a mistaken match costs only faults.
 */
static unsigned long colinux_window_key(unsigned long base, struct file *file)
{
	return base | hash_ptr(file, 20) << 1 | 1;
}

void colinux_mm_window_mapped(struct mm_struct *mm, unsigned long base,
			      struct file *file)
{
	unsigned long *w = mm->context.windows;

	memmove(w + 1, w, sizeof(*w) * (COLINUX_MM_WINDOWS - 1));
	w[0] = colinux_window_key(base, file);
}

bool colinux_mm_window_is_mapped(struct mm_struct *mm, unsigned long base,
				 struct file *file)
{
	unsigned long key = colinux_window_key(base, file);
	int i;

	for (i = 0; i < COLINUX_MM_WINDOWS; i++)
		if (mm->context.windows[i] == key)
			return true;
	return false;
}

static void colinux_mm_unmap(struct mm_struct *mm, unsigned long start,
			     unsigned long end)
{
	unsigned long *w = mm->context.windows;
	int i;

	start &= PAGE_MASK;
	end = PAGE_ALIGN(min(end, TASK_SIZE));
	if (start >= end)
		return;
	for (i = 0; i < COLINUX_MM_WINDOWS; i++) {
		unsigned long base = w[i] & ~(COLINUX_WIDE_WINDOW - 1);

		if (w[i] && base < end && start < base + COLINUX_WIDE_WINDOW)
			w[i] = 0;
	}
	colinux_mm_queue(mm, COLINUX_MM_UNMAP, start, end - start, 0, 0);
}

/*
 * flush_tlb_range, flush_tlb_page. A small range's pages that are still
 * present (mprotect) keep their place in the stub, with the protection
 * their PTEs now give: one PROTECT where that is the same for all, else
 * unmapped and mapped again, so that the next access does not trap;
 * where the PTEs are gone (munmap, mremap) that maps nothing.
 */
#define FLUSH_REMAP_MAX	(16 * PAGE_SIZE)

/*
 * What the stub may do with a page its PTE maps: COLINUX_PROT_*, 0 if
 * nothing. Writable only if the PTE is writable and dirty, so that the
 * first write faults and marks it dirty, as the hardware would.
 */
static u32 colinux_pte_prot(pte_t pte)
{
	u32 prot;

	if (!(pte_val(pte) & _PAGE_PRESENT) || !(pte_val(pte) & _PAGE_USER))
		return 0;
	prot = COLINUX_PROT_READ;
	if (pte_write(pte) && pte_dirty(pte))
		prot |= COLINUX_PROT_WRITE;
	if (pte_exec(pte))
		prot |= COLINUX_PROT_EXEC;
	return prot;
}

/*
 * The protection every page of [start, end) now has, where all have
 * PTEs and the same one (mprotect of pages the program uses); else 0.
 */
static u32 colinux_range_prot(struct mm_struct *mm, unsigned long start,
			      unsigned long end)
{
	u32 prot = 0, p;
	unsigned long a;
	pte_t *ptep;

	for (a = start; a < end; a += PAGE_SIZE) {
		ptep = colinux_pte_lookup(mm, a);
		p = ptep ? colinux_pte_prot(*ptep) : 0;
		if (!p || (prot && p != prot))
			return 0;
		prot = p;
	}
	return prot;
}

void colinux_mm_flush_range(struct mm_struct *mm, unsigned long start,
			    unsigned long end)
{
	u32 prot;

	/*
	 * Pages that all stay, with one protection: the stub changes it in
	 * one host call (it unmaps the range if it lacks some page).
	 */
	start &= PAGE_MASK;
	end = PAGE_ALIGN(min(end, TASK_SIZE));
	if (start < end && end - start <= FLUSH_REMAP_MAX) {
		prot = colinux_range_prot(mm, start, end);
		if (prot) {
			colinux_mm_queue(mm, COLINUX_MM_PROTECT, start,
					 end - start, 0, prot);
			colinux_mm_shootdown(mm);
			return;
		}
	}
	colinux_mm_unmap(mm, start, end);
	if (end - start <= FLUSH_REMAP_MAX)
		colinux_map_present(mm, start, end, true);
	colinux_mm_shootdown(mm);
}

/*
 * ptep_clear_flush: copy-on-write, reclaim, migration. In the faulting
 * task's own mm, queue the removal and hold the page until the stub has
 * applied it (at the thread's resume, or a later flush), instead of a
 * shootdown per page: a fault that copies a window of pages then costs
 * no host call at all. x86 flushes only where the PTE was accessible.
 */
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address,
		       pte_t *ptep)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t pte = ptep_get_and_clear(mm, address, ptep);
	unsigned long pfn = pte_pfn(pte);

	if (!pte_present(pte) || !(pte_val(pte) & _PAGE_USER))
		return pte;
	if (mm != current->mm || !pfn_valid(pfn)) {
		colinux_mm_flush_range(mm, address, address + PAGE_SIZE);
		return pte;
	}
	if (mm->context.nheld == COLINUX_MM_HELD)
		colinux_mm_sync(mm);
	/* Queued first: should the queue be full, its sync comes before. */
	colinux_mm_unmap(mm, address, address + PAGE_SIZE);
	if (!is_zero_pfn(pfn)) {
		get_page(pfn_to_page(pfn));
		mm->context.held[mm->context.nheld++] = pfn_to_page(pfn);
	}
	return pte;
}

/*
 * An exec replaces mm, whose last user is gone, with a new mm that has
 * no stub yet: keep mm's stub process, and its mailbox and edit pages,
 * for the new program of the same task (colinux_exec_adopt), with none
 * of mm's pages mapped any more; the old program's guest thread waits in
 * its trap handler for the next resume, as after any system call. That
 * spares retiring one stub and starting another per fork and exec.
 * Returns false where it does not apply: then mm's stub is released.
 */
static bool colinux_exec_hand_over(struct mm_struct *mm)
{
	struct mm_struct *next = current->mm;
	struct thread_struct *t = &current->thread;

	if (!current->in_execve || !next || next == mm ||
	    next->context.stub || next->context.ran || !mm->context.stub ||
	    t->exec_stub)
		return false;
	mm->context.edits->ncmds = 0;
	colinux_mm_unmap(mm, 0, TASK_SIZE);
	if (colinux_host->stub_sync(mm->context.stub))
		return false;
	colinux_mm_applied(mm);
	t->exec_stub = mm->context.stub;
	t->exec_mb = mm->context.mb;
	t->exec_edits = mm->context.edits;
	/* destroy_context() finds nothing left to free. */
	mm->context.stub = 0;
	mm->context.mb = NULL;
	mm->context.edits = NULL;
	return true;
}

/* The task holds no stub from an exec (any more). */
void colinux_exec_forget(struct thread_struct *t)
{
	t->exec_stub = 0;
	t->exec_mb = NULL;
	t->exec_edits = NULL;
}

/* Let go of a stub kept over an exec that then did not adopt it. */
void colinux_exec_drop(struct task_struct *tsk)
{
	struct thread_struct *t = &tsk->thread;

	if (!t->exec_stub)
		return;
	colinux_host->stub_destroy(t->exec_stub);
	colinux_free_mm_pages(t->exec_mb, t->exec_edits);
	colinux_exec_forget(t);
}

/*
 * setup_new_exec: the new program takes over the stub kept from the old
 * one, unless the exec changed what the task may do (set-user-ID, file
 * capabilities, an unreadable binary: not dumpable). Guest code of the
 * old program ran in that stub process and may have left it in any
 * state a program can leave its own process in; a program the same
 * user could trace anyway loses nothing by that, a privileged one
 * gets a stub of its own. The edits the exec queued so far move along.
 */
void colinux_exec_adopt(void)
{
	struct mm_struct *mm = current->mm;
	struct thread_struct *t = &current->thread;
	struct passage_mm_edits *edits = t->exec_edits;

	if (!t->exec_stub)
		return;
	if (get_dumpable(mm) != SUID_DUMP_USER || mm->context.stub ||
	    mm->context.ran) {
		colinux_exec_drop(current);
		return;
	}
	memcpy(edits, mm->context.edits, sizeof(*edits));
	colinux_free_mm_pages(mm->context.mb, mm->context.edits);
	mm->context.stub = t->exec_stub;
	mm->context.mb = t->exec_mb;
	mm->context.edits = edits;
	colinux_exec_forget(t);
}

/* A fork keeps its private writable mappings this small, read-only. */
#define FORK_PROTECT_MAX	(64 * PAGE_SIZE)

/*
 * Write-protect in the stub, at a fork, the pages of vma that have PTEs:
 * one PROTECT per run of them. Not one for all of vma: the stub maps
 * none of the pages without PTEs, and a PROTECT over such a hole unmaps
 * all of its range, which the parent would then fault back in, reads
 * and all.
 */
static void colinux_fork_protect(struct mm_struct *mm,
				 struct vm_area_struct *vma)
{
	u32 prot = COLINUX_PROT_READ |
		   (vma->vm_flags & VM_EXEC ? COLINUX_PROT_EXEC : 0);
	unsigned long a, run = 0;
	pte_t *ptep;

	for (a = vma->vm_start; a <= vma->vm_end; a += PAGE_SIZE) {
		ptep = a < vma->vm_end ? colinux_pte_lookup(mm, a) : NULL;
		if (ptep && colinux_pte_prot(*ptep)) {
			if (!run)
				run = a;
			continue;
		}
		if (run)
			colinux_mm_queue(mm, COLINUX_MM_PROTECT, run, a - run,
					 0, prot);
		run = 0;
	}
}

/*
 * flush_tlb_mm. At the end of a fork (dup_mmap, which holds the parent's
 * mmap lock) the parent's only changed PTEs are those of its writable
 * private mappings, write-protected for copy-on-write: take write access
 * away from the small ones in the stub, one host call each (so that
 * reads after the fork do not trap; a page whose PTE is gone was
 * unmapped when it went), and unmap the others in its stub, and keep its
 * text, read-only data and shared memory, which it would otherwise fault
 * back in one window at a time. This needs no shootdown: no page is
 * freed, and the parent's thread applies the queue before it runs again;
 * guest code that only pretended to trap, and ran on, could write pages
 * it now shares with its child until then, which its own code in the
 * child could as well. Any other flush of a whole mm unmaps everything,
 * and makes the queue moot.
 */
void colinux_mm_flush(struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;

	if (!mm->context.edits)
		return;
	if (!mm->context.forking) {
		/*
		 * exit_mmap: no task will run in this mm again. Ending the
		 * stub now is cheaper than unmapping everything while we
		 * wait: it drops its pages after it answered.
		 */
		if (!atomic_read(&mm->mm_users)) {
			if (!colinux_exec_hand_over(mm))
				colinux_mm_release(mm);
			return;
		}
		mm->context.edits->ncmds = 0;
		colinux_mm_unmap(mm, 0, TASK_SIZE);
		colinux_mm_shootdown(mm);
		return;
	}
	mm->context.forking = false;
	for_each_vma(vmi, vma) {
		if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) != VM_WRITE)
			continue;
		if (vma->vm_end - vma->vm_start <= FORK_PROTECT_MAX)
			colinux_fork_protect(mm, vma);
		else
			colinux_mm_unmap(mm, vma->vm_start, vma->vm_end);
	}
}

/*
 * After a fault: map the page at addr as its PTE allows
 * (colinux_pte_prot).
 */
void colinux_mm_map_page(struct mm_struct *mm, unsigned long addr, pte_t pte)
{
	u32 prot = colinux_pte_prot(pte);

	if (!prot)
		return;
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

// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults of guest user code. The stub reports the host SIGSEGV with
 * x86's page-fault error code; we resolve it in the mm as x86 Linux does,
 * then map the page into the stub (mirror.c). A fault Linux cannot
 * resolve becomes SIGSEGV or SIGBUS for the guest program.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
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

/*
 * Program text and read-only file data get a wide window, 2 MiB
 * (COLINUX_WIDE_WINDOW): a program starting up touches pages all over
 * its text, a trap costs tens of microseconds, and page cache pages are
 * mostly physically contiguous, so that the window maps in a few edits.
 * The stub fills the host page tables for all of it: a page populated
 * costs the host a fraction of a microsecond, a page it faults in later
 * tens where it is a VM. The mm remembers the window, so that a later
 * fault there maps only its own block.
 */

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
 * Small private writable file mappings (a program's or a library's
 * data) are in practice written nearly whole, and soon: on a write
 * fault there, copy the rest of the mapping too, so that one trap
 * serves them all. So is the program's bss, the zero-filled rest of
 * its data segment, which the ELF loader maps anonymous right after
 * the file's data (at mm->end_data). Other anonymous memory is not
 * filled this way, however small: which of its pages exist is visible
 * (mincore, RSS), and a program may rely on sparse writes staying
 * sparse (the mlock2 selftest locks two pages on fault and writes one).
 */
#define SMALL_PRIVATE_VMA	(64 * PAGE_SIZE)

/*
 * A write fault at addr: fill the rest of the window [start, end) ahead
 * of the writer where that is likely to pay: in small private writable
 * file mappings (the window is the whole mapping); and in fresh anonymous
 * memory just after a present page, or at the start of the brk heap,
 * where a program is most likely filling a buffer, as a large folio
 * would (from addr on). Sparse writes get nothing extra.
 */
static bool colinux_small_private(struct mm_struct *mm,
				  struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;

	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) != VM_WRITE ||
	    size > SMALL_PRIVATE_VMA)
		return false;
	if (vma->vm_file)
		return true;
	return vma_is_anonymous(vma) && mm->end_data &&
	       vma->vm_start == PAGE_ALIGN(mm->end_data);
}

/*
 * The brk heap: a program fills it from its start. (Not the mapping
 * that ends where it starts, a program's bss.)
 */
static bool colinux_is_heap(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return vma->vm_start <= mm->brk && vma->vm_end > mm->start_brk;
}

/*
 * Where a write fault at addr fills ahead: the whole of a small private
 * mapping ([*start, *end) as given), or in anonymous memory from addr on;
 * false: nowhere.
 */
static bool colinux_write_fill_range(struct mm_struct *mm,
				     struct vm_area_struct *vma,
				     unsigned long addr, unsigned long *start,
				     unsigned long *end)
{
	pte_t *ptep;

	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) != VM_WRITE)
		return false;
	if (colinux_small_private(mm, vma))
		return true;
	if (!vma_is_anonymous(vma))
		return false;
	if (addr == vma->vm_start) {
		if (!colinux_is_heap(mm, vma))
			return false;
	} else {
		ptep = colinux_pte_lookup(mm, addr - PAGE_SIZE);
		if (!ptep || !pte_present(*ptep))
			return false;
	}
	*start = addr + PAGE_SIZE;
	return true;
}

/* Whether filling ahead writes the page at a in: not yet writable. */
static bool colinux_fill_wants(struct mm_struct *mm, unsigned long a)
{
	pte_t *ptep = colinux_pte_lookup(mm, a);

	return !(ptep && pte_present(*ptep) && pte_write(*ptep) &&
		 pte_dirty(*ptep));
}

static void colinux_write_fault_ahead(struct mm_struct *mm,
				      struct vm_area_struct *vma,
				      unsigned long addr, unsigned long start,
				      unsigned long end)
{
	unsigned long a;

	for (a = start; a < end; a += PAGE_SIZE) {
		if (a == addr || !colinux_fill_wants(mm, a))
			continue;
		/* No retry flag: the mmap lock stays held. */
		if (handle_mm_fault(vma, a, FAULT_FLAG_WRITE, NULL) &
		    VM_FAULT_ERROR)
			return;
	}
}

/*
 * The pages a write fault and its fill ahead take (the page at addr,
 * then the others upward) come one at a time from this CPU's free list,
 * which hands back the page freed last first, in whatever order the
 * pages were freed: so neighbours are seldom physically adjacent, and
 * the stub needs a host mmap, and keeps a host mapping, for each page.
 * Take them as one block instead and free its pages in the reverse of
 * the order the fault takes them: then each page lands right after its
 * neighbour below, and the whole fill is one edit. Only speed depends
 * on it: an allocation in between (the fault reading a file page in,
 * say) takes a page of the block out of turn, and no more.
 */
#define FILL_BLOCK_MAX_ORDER	get_order(SMALL_PRIVATE_VMA)

static void colinux_fill_block(struct mm_struct *mm, unsigned long addr,
			       unsigned long start, unsigned long end)
{
	unsigned long a, n = 1, below = 0, i;
	unsigned int order;
	struct page *block;

	for (a = start; a < end; a += PAGE_SIZE) {
		if (a == addr || !colinux_fill_wants(mm, a))
			continue;
		n++;
		below += a < addr;
	}
	if (n < 2)
		return;
	order = order_base_2(n);
	if (order > FILL_BLOCK_MAX_ORDER)
		return;
	block = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN |
			    __GFP_NORETRY, order);
	if (!block)
		return;
	split_page(block, order);
	/* What the fill leaves over goes last, then the fill from the top. */
	for (i = 1UL << order; i-- > 0; )
		if (i != below)
			__free_page(block + i);
	/* Last: the faulting page's, which the fault takes first. */
	__free_page(block + below);
}

/*
 * A read fault in read-only file memory: fill the rest of the wide
 * window's page tables, one fault-around block at a time, from pages the
 * page cache already holds (no I/O is started here). A block is faulted
 * at its first empty PTE; the kernel's own fault-around fills the rest.
 */
static void colinux_file_fault_ahead(struct mm_struct *mm,
				     struct vm_area_struct *vma,
				     unsigned long addr, unsigned long start,
				     unsigned long end)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	unsigned long a, b;
	struct page *page;
	pte_t *ptep;

	for (a = start; a < end; a = b) {
		b = min(end, (a & ~(FAULT_AROUND - 1)) + FAULT_AROUND);
		if (addr >= a && addr < b)
			continue;	/* the fault itself filled this block */
		for (; a < b; a += PAGE_SIZE) {
			ptep = colinux_pte_lookup(mm, a);
			if (!ptep || pte_none(*ptep))
				break;
		}
		if (a == b)
			continue;
		page = find_get_page(mapping, linear_page_index(vma, a));
		if (!page)
			continue;
		put_page(page);
		/* No retry flag: the mmap lock stays held. */
		if (handle_mm_fault(vma, a, 0, NULL) & VM_FAULT_ERROR)
			return;
	}
}

/*
 * A read fault in read-only file memory: its wide window is the aligned
 * COLINUX_WIDE_WINDOW around addr, over every read-only mapping of the
 * same file there (a program's header, text and constants are mappings
 * side by side). Fill their page tables; widen [*start, *end) to them.
 */
static void colinux_wide_fault_ahead(struct mm_struct *mm,
				     struct vm_area_struct *vma,
				     unsigned long addr, unsigned long *start,
				     unsigned long *end)
{
	VMA_ITERATOR(vmi, mm, addr & ~(COLINUX_WIDE_WINDOW - 1));
	unsigned long base = addr & ~(COLINUX_WIDE_WINDOW - 1);
	unsigned long limit = base + COLINUX_WIDE_WINDOW, s, e;
	struct vm_area_struct *v;

	for_each_vma_range(vmi, v, limit) {
		if (v->vm_file != vma->vm_file || (v->vm_flags & VM_WRITE))
			continue;
		s = max(v->vm_start, base);
		e = min(v->vm_end, limit);
		colinux_file_fault_ahead(mm, v, addr, s, e);
		*start = min(*start, s);
		*end = max(*end, e);
	}
}

/*
 * Map the present pages of [start, end) as their PTEs allow, while the
 * edit page has room (all: regardless). Returns whether it mapped them
 * all.
 */
bool colinux_map_present(struct mm_struct *mm, unsigned long start,
			 unsigned long end, bool all)
{
	unsigned long a;
	pte_t *ptep;

	/* UP and no preemption: the tables cannot change under this walk. */
	for (a = start; a < end; a += PAGE_SIZE) {
		if (!all && !colinux_mm_room(mm, FAULT_AROUND / PAGE_SIZE))
			return false;
		ptep = colinux_pte_lookup(mm, a);
		if (ptep)
			colinux_mm_map_page(mm, a, *ptep);
	}
	return true;
}

/*
 * A new program's first resume: map its initial stack (arguments,
 * environment, auxiliary vector), which it reads at once.
 */
void colinux_map_stack(struct mm_struct *mm, unsigned long sp)
{
	unsigned long block = sp & ~(FAULT_AROUND - 1);

	colinux_map_present(mm, block, block + 2 * FAULT_AROUND, true);
}

/* Fill [start, end) of mm for writing, as one block, and map it. */
static void colinux_fill_write(struct mm_struct *mm, unsigned long start,
			       unsigned long end)
{
	colinux_fill_block(mm, start, start, end);
	if (get_user_pages_remote(mm, start, (end - start) >> PAGE_SHIFT,
				  FOLL_WRITE, NULL, NULL, NULL) > 0)
		colinux_map_present(mm, start, end, false);
}

/*
 * A new program's stack below its arguments: its first frames go there
 * at once. Filled now, as the fault there would, it costs no trap.
 */
#define STACK_FILL	(2 * PAGE_SIZE)

void colinux_fill_stack(struct mm_struct *mm, unsigned long sp)
{
	unsigned long end = sp & PAGE_MASK;
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, end - STACK_FILL);
	if (vma && vma->vm_end >= end)
		colinux_fill_write(mm, end - STACK_FILL, end);
	mmap_read_unlock(mm);
}

/*
 * The brk heap grew from old (brk(2)). A program writes a growth at
 * once, from its start (the C library's chunk headers, a static
 * program's TLS), where the heap starts or is in use up to old: fill its
 * first fault-around block now, as its first write would fill it, which
 * then does not trap.
 */
static void colinux_brk_grown(struct mm_struct *mm, unsigned long old)
{
	unsigned long start = PAGE_ALIGN(old);
	unsigned long end = min(PAGE_ALIGN(mm->brk), start + FAULT_AROUND);
	pte_t *ptep;

	if (end <= start)
		return;
	mmap_read_lock(mm);
	if (old != mm->start_brk) {
		ptep = colinux_pte_lookup(mm, (old - 1) & PAGE_MASK);
		if (!ptep || !pte_present(*ptep))
			goto out;
	}
	colinux_fill_write(mm, start, end);
out:
	mmap_read_unlock(mm);
}

long __x64_sys_brk(const struct pt_regs *regs);

/* brk(2) in the system call table (kernel/syscall_table.c). */
long colinux_sys_brk(const struct pt_regs *regs)
{
	struct mm_struct *mm = current->mm;
	unsigned long old = mm->brk;
	long ret = __x64_sys_brk(regs);

	colinux_brk_grown(mm, old);
	return ret;
}

/* Fault in the page at addr of mm for writing; whether it is there. */
static bool colinux_write_in(struct mm_struct *mm, unsigned long addr)
{
	struct page *page;
	long n;

	mmap_read_lock(mm);
	n = get_user_pages_remote(mm, addr, 1, FOLL_WRITE, &page, NULL, NULL);
	mmap_read_unlock(mm);
	if (n != 1)
		return false;
	put_page(page);
	return true;
}

/*
 * A fork: parent and child both write the top of their stack at once,
 * each a copy-on-write fault, a trap each. Copy that page for the child
 * now, which leaves the parent's page its own again, and map both.
 */
void colinux_fork_stack(struct mm_struct *child, unsigned long sp)
{
	unsigned long addr = (sp - sizeof(long)) & PAGE_MASK;

	if (colinux_write_in(child, addr))
		colinux_write_in(current->mm, addr);
	colinux_map_stack(child, sp);
	colinux_map_stack(current->mm, sp);
}

/*
 * Map what a fault at addr filled in: its block first, always, then the
 * rest of [start, end) as far as the edit page has room. A wide window
 * of @file (NULL: none) fully mapped is remembered.
 */
static void colinux_map_fault(struct mm_struct *mm, unsigned long addr,
			      unsigned long start, unsigned long end,
			      struct file *file)
{
	unsigned long block = addr & ~(FAULT_AROUND - 1);
	bool done;

	colinux_map_present(mm, max(start, block),
			    min(end, block + FAULT_AROUND), true);
	done = colinux_map_present(mm, start, max(start, block), false);
	done = done && colinux_map_present(mm, min(end, block + FAULT_AROUND),
					   end, false);
	if (file && done)
		colinux_mm_window_mapped(mm, addr & ~(COLINUX_WIDE_WINDOW - 1),
					 file);
}

/* The fault-around block of addr, within vma: [*start, *end). */
static void colinux_fault_block(struct vm_area_struct *vma, unsigned long addr,
				unsigned long *start, unsigned long *end)
{
	*start = max(vma->vm_start, addr & ~(FAULT_AROUND - 1));
	*end = min(vma->vm_end, (addr & ~(FAULT_AROUND - 1)) + FAULT_AROUND);
}

/* Whether a read at addr of vma opens a wide window not mapped yet. */
static bool colinux_wants_window(struct mm_struct *mm,
				 struct vm_area_struct *vma, unsigned long addr)
{
	return vma->vm_file && !(vma->vm_flags & VM_WRITE) &&
	       !colinux_mm_window_is_mapped(mm,
					    addr & ~(COLINUX_WIDE_WINDOW - 1),
					    vma->vm_file);
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
	unsigned long start, end, fill_start, fill_end;
	struct file *file;
	vm_fault_t fault;
	bool wide, fill;

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
	/* A wide window mapped before: what is new there is this block. */
	wide = !(flags & FAULT_FLAG_WRITE) &&
	       colinux_wants_window(mm, vma, addr);
	file = vma->vm_file;
	colinux_fault_block(vma, addr, &start, &end);
	if ((flags & FAULT_FLAG_WRITE) && colinux_small_private(mm, vma)) {
		start = vma->vm_start;
		end = vma->vm_end;
	}
	fill_start = start;
	fill_end = end;
	fill = (flags & FAULT_FLAG_WRITE) &&
	       colinux_write_fill_range(mm, vma, addr & PAGE_MASK,
					&fill_start, &fill_end);
	if (fill)
		colinux_fill_block(mm, addr & PAGE_MASK, fill_start, fill_end);
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
	if (fill)
		colinux_write_fault_ahead(mm, vma, addr & PAGE_MASK,
					  fill_start, fill_end);
	else if (wide)
		colinux_wide_fault_ahead(mm, vma, addr, &start, &end);
	mmap_read_unlock(mm);
map:
	colinux_map_fault(mm, addr, start, end, wide ? file : NULL);
}

/*
 * A program about to start in mm, a new one (exec) or a fork's child:
 * fill its data and bss now for writing, as its first write there would,
 * which then does not trap: a new program writes them at once (its
 * relocations, its C library's state), and a child does too, each write
 * a copy-on-write fault of its own. The child's copies are what copy on
 * write would have given it: the parent's data as of the fork.
 */
void colinux_map_small_private(struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if (!colinux_small_private(mm, vma))
			continue;
		colinux_fill_write(mm, vma->vm_start, vma->vm_end);
	}
	mmap_read_unlock(mm);
}

/*
 * A program's code at ip is about to run in mm, a new program's (exec)
 * or a fork's child: map its wide window now, as a fault on its first
 * instruction would, which then does not trap.
 */
void colinux_map_code(struct mm_struct *mm, unsigned long ip)
{
	struct vm_area_struct *vma;
	unsigned long start, end;
	struct file *file;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, ip);
	if (!vma || !(vma->vm_flags & VM_EXEC) ||
	    !colinux_wants_window(mm, vma, ip))
		goto out;
	/* No retry: the lock stays held, as for a fault ahead. */
	if (handle_mm_fault(vma, ip, FAULT_FLAG_USER | FAULT_FLAG_INSTRUCTION,
			    NULL) & VM_FAULT_ERROR)
		goto out;
	file = vma->vm_file;
	colinux_fault_block(vma, ip, &start, &end);
	colinux_wide_fault_ahead(mm, vma, ip, &start, &end);
	mmap_read_unlock(mm);
	colinux_map_fault(mm, ip, start, end, file);
	return;
out:
	mmap_read_unlock(mm);
}

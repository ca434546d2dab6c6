// SPDX-License-Identifier: GPL-2.0
/*
 * Copies to and from guest user memory. User pages are not mapped in the
 * kernel's address space (each guest mm lives in its own host process),
 * so a copy walks the current mm's page tables and goes through the
 * direct map page by page. A missing or read-only page is faulted in as a
 * user access would fault it, unless page faults are disabled (then the
 * copy stops, as a fault in an atomic section does on x86).
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include "../kernel/colinux.h"

/* Fault one user page in; false if the access is not allowed. */
static bool colinux_user_fault_in(struct mm_struct *mm, unsigned long addr,
				  bool write)
{
	struct vm_area_struct *vma;
	vm_fault_t ret;
	bool ok = false;

	if (pagefault_disabled())
		return false;
	/* Takes mmap_lock and grows the stack vma as a user fault would. */
	vma = lock_mm_and_find_vma(mm, addr, NULL);
	if (!vma)
		return false;
	if (write ? !(vma->vm_flags & VM_WRITE) : !(vma->vm_flags & VM_READ))
		goto out;
	ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0, NULL);
	ok = !(ret & VM_FAULT_ERROR);
out:
	mmap_read_unlock(mm);
	/*
	 * Guest code is about to use what the kernel wrote or read there
	 * (a buffer read into, a signal frame, a new thread's TID): map it
	 * in the stub too, or a copy-on-write the kernel broke leaves the
	 * page unmapped there, and costs a trap.
	 */
	if (ok) {
		pte_t *ptep = colinux_pte_lookup(mm, addr);

		if (ptep)
			colinux_mm_map_page(mm, addr, *ptep);
	}
	return ok;
}

/* The kernel address of user byte addr, with at least one byte usable. */
static void *colinux_user_kaddr(unsigned long addr, bool write)
{
	struct mm_struct *mm = current->mm;
	int tries;

	if (!mm)
		return NULL;
	for (tries = 0; tries < 3; tries++) {
		pte_t *ptep = colinux_pte_lookup(mm, addr);
		pte_t pte = ptep ? READ_ONCE(*ptep) : __pte(0);

		if ((pte_val(pte) & _PAGE_PRESENT) && (pte_val(pte) & _PAGE_USER) &&
		    (!write || pte_write(pte)))
			return __va((pte_pfn(pte) << PAGE_SHIFT) |
				    (addr & ~PAGE_MASK));
		if (!colinux_user_fault_in(mm, addr, write))
			return NULL;
	}
	return NULL;
}

/*
 * Walk [uaddr, uaddr + n) a page at a time, calling op on each piece.
 * Returns the number of bytes not done, as copy_*_user do.
 */
static unsigned long colinux_user_walk(unsigned long uaddr, unsigned long n,
				       bool write,
				       void (*op)(void *kaddr, void *buf,
						  unsigned long len),
				       void *buf)
{
	while (n) {
		unsigned long chunk = min(n, PAGE_SIZE - (uaddr & ~PAGE_MASK));
		void *kaddr = colinux_user_kaddr(uaddr, write);

		if (!kaddr)
			break;
		op(kaddr, buf, chunk);
		if (buf)
			buf += chunk;
		uaddr += chunk;
		n -= chunk;
	}
	return n;
}

static void colinux_op_from(void *kaddr, void *buf, unsigned long len)
{
	memcpy(buf, kaddr, len);
}

static void colinux_op_to(void *kaddr, void *buf, unsigned long len)
{
	memcpy(kaddr, buf, len);
}

static void colinux_op_clear(void *kaddr, void *buf, unsigned long len)
{
	memset(kaddr, 0, len);
}

unsigned long raw_copy_from_user(void *to, const void __user *from,
				 unsigned long n)
{
	return colinux_user_walk((unsigned long)from, n, false,
				 colinux_op_from, to);
}
EXPORT_SYMBOL(raw_copy_from_user);

unsigned long raw_copy_to_user(void __user *to, const void *from,
			       unsigned long n)
{
	return colinux_user_walk((unsigned long)to, n, true,
				 colinux_op_to, (void *)from);
}
EXPORT_SYMBOL(raw_copy_to_user);

unsigned long __clear_user(void __user *mem, unsigned long len)
{
	return colinux_user_walk((unsigned long)mem, len, true,
				 colinux_op_clear, NULL);
}
EXPORT_SYMBOL(__clear_user);

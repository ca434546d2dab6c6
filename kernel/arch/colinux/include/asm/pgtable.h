/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest page tables. No MMU walks them: the kernel itself does (uaccess,
 * vmalloc sync) and the process engine mirrors them into the host. So the
 * format is ours, four levels of 512 entries like x86-64's (p4d folded),
 * which covers the 47-bit user address space that x86-64 binaries expect.
 */
#ifndef _ASM_COLINUX_PGTABLE_H
#define _ASM_COLINUX_PGTABLE_H

#include <asm-generic/pgtable-nop4d.h>
#include <asm/page.h>

#define PGDIR_SHIFT	39
#define PUD_SHIFT	30
#define PMD_SHIFT	21
#define PTRS_PER_PGD	512
#define PTRS_PER_PUD	512
#define PTRS_PER_PMD	512
#define PTRS_PER_PTE	512

#define PGDIR_SIZE	(_AC(1, UL) << PGDIR_SHIFT)
#define PGDIR_MASK	(~(PGDIR_SIZE - 1))
#define PUD_SIZE	(_AC(1, UL) << PUD_SHIFT)
#define PUD_MASK	(~(PUD_SIZE - 1))
#define PMD_SIZE	(_AC(1, UL) << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))

#define USER_PTRS_PER_PGD	(TASK_SIZE / PGDIR_SIZE)
#define FIRST_USER_ADDRESS	0UL

/* The kernel's own window for vmalloc and ioremap (COLINUX_VMALLOC_*). */
#define VMALLOC_START	_AC(0x1000000000, UL)
#define VMALLOC_END	_AC(0x2000000000, UL)

/* Entry bits, at x86's positions so the layouts read alike. */
#define _PAGE_PRESENT	0x001UL
#define _PAGE_RW	0x002UL
#define _PAGE_USER	0x004UL
#define _PAGE_ACCESSED	0x020UL
#define _PAGE_DIRTY	0x040UL
#define _PAGE_PROTNONE	0x100UL	/* mapped, but no access: present for Linux */
#define _PAGE_SPECIAL	0x200UL
#define _PAGE_NX	(_AC(1, UL) << 63)

#define _PAGE_PFN_MASK	(((_AC(1, UL) << 52) - 1) & PAGE_MASK)
#define _PAGE_CHG_MASK	(_PAGE_PFN_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | \
			 _PAGE_SPECIAL)
/* A table entry at the upper levels: present, writable, user. */
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

#define PAGE_NONE	__pgprot(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_SHARED	__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
				 _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_SHARED_EXEC __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
				 _PAGE_ACCESSED)
#define PAGE_COPY	__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | \
				 _PAGE_NX)
#define PAGE_COPY_EXEC	__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY	PAGE_COPY
#define PAGE_READONLY_EXEC PAGE_COPY_EXEC
#define PAGE_KERNEL	__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
				 _PAGE_DIRTY | _PAGE_NX)
#define PAGE_KERNEL_RO	__pgprot(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_KERNEL_EXEC __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
				  _PAGE_DIRTY)
#define PAGE_KERNEL_RX	__pgprot(_PAGE_PRESENT | _PAGE_ACCESSED)

#ifndef __ASSEMBLY__

#include <linux/mm_types.h>

extern pgd_t swapper_pg_dir[PTRS_PER_PGD];
extern unsigned long empty_zero_page[PAGE_SIZE / sizeof(unsigned long)];
#define ZERO_PAGE(vaddr)	virt_to_page(empty_zero_page)

#define pte_ERROR(e)	pr_err("%s:%d: bad pte %016lx\n", __FILE__, __LINE__, pte_val(e))
#define pmd_ERROR(e)	pr_err("%s:%d: bad pmd %016lx\n", __FILE__, __LINE__, pmd_val(e))
#define pud_ERROR(e)	pr_err("%s:%d: bad pud %016lx\n", __FILE__, __LINE__, pud_val(e))
#define pgd_ERROR(e)	pr_err("%s:%d: bad pgd %016lx\n", __FILE__, __LINE__, pgd_val(e))

/* Upper levels: an entry is the physical address of the next table. */
static inline int pmd_none(pmd_t pmd) { return !pmd_val(pmd); }
static inline int pmd_present(pmd_t pmd) { return pmd_val(pmd) & _PAGE_PRESENT; }
static inline int pmd_bad(pmd_t pmd)
{
	return (pmd_val(pmd) & ~_PAGE_PFN_MASK) != _PAGE_TABLE;
}
static inline void set_pmd(pmd_t *pmdp, pmd_t pmd) { WRITE_ONCE(*pmdp, pmd); }
static inline void pmd_clear(pmd_t *pmdp) { set_pmd(pmdp, __pmd(0)); }
static inline unsigned long pmd_page_vaddr(pmd_t pmd)
{
	return (unsigned long)__va(pmd_val(pmd) & _PAGE_PFN_MASK);
}
#define pmd_pfn(pmd)	((pmd_val(pmd) & _PAGE_PFN_MASK) >> PAGE_SHIFT)
#define pmd_page(pmd)	pfn_to_page(pmd_pfn(pmd))
#define pmd_pgtable(pmd) pmd_page(pmd)

static inline int pud_none(pud_t pud) { return !pud_val(pud); }
static inline int pud_present(pud_t pud) { return pud_val(pud) & _PAGE_PRESENT; }
static inline int pud_bad(pud_t pud)
{
	return (pud_val(pud) & ~_PAGE_PFN_MASK) != _PAGE_TABLE;
}
static inline void set_pud(pud_t *pudp, pud_t pud) { WRITE_ONCE(*pudp, pud); }
static inline void pud_clear(pud_t *pudp) { set_pud(pudp, __pud(0)); }
static inline pmd_t *pud_pgtable(pud_t pud)
{
	return (pmd_t *)__va(pud_val(pud) & _PAGE_PFN_MASK);
}
#define pud_pfn(pud)	((pud_val(pud) & _PAGE_PFN_MASK) >> PAGE_SHIFT)
#define pud_page(pud)	pfn_to_page(pud_pfn(pud))

static inline int p4d_none(p4d_t p4d) { return !p4d_val(p4d); }
static inline int p4d_present(p4d_t p4d) { return p4d_val(p4d) & _PAGE_PRESENT; }
static inline int p4d_bad(p4d_t p4d)
{
	return (p4d_val(p4d) & ~_PAGE_PFN_MASK) != _PAGE_TABLE;
}
static inline void set_p4d(p4d_t *p4dp, p4d_t p4d) { WRITE_ONCE(*p4dp, p4d); }
static inline void p4d_clear(p4d_t *p4dp) { set_p4d(p4dp, __p4d(0)); }
static inline pud_t *p4d_pgtable(p4d_t p4d)
{
	return (pud_t *)__va(p4d_val(p4d) & _PAGE_PFN_MASK);
}
#define p4d_page(p4d)	pfn_to_page((p4d_val(p4d) & _PAGE_PFN_MASK) >> PAGE_SHIFT)

/* Last level. */
static inline int pte_none(pte_t pte) { return !pte_val(pte); }
static inline int pte_present(pte_t pte)
{
	return pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE);
}
static inline int pte_read(pte_t pte) { return pte_val(pte) & _PAGE_PRESENT; }
static inline int pte_write(pte_t pte) { return pte_val(pte) & _PAGE_RW; }
static inline int pte_exec(pte_t pte) { return !(pte_val(pte) & _PAGE_NX); }
static inline int pte_dirty(pte_t pte) { return pte_val(pte) & _PAGE_DIRTY; }
static inline int pte_young(pte_t pte) { return pte_val(pte) & _PAGE_ACCESSED; }
static inline int pte_special(pte_t pte) { return pte_val(pte) & _PAGE_SPECIAL; }

#define PTE_SET(name, expr) \
	static inline pte_t pte_##name(pte_t pte) { return __pte(expr); }
PTE_SET(mkold, pte_val(pte) & ~_PAGE_ACCESSED)
PTE_SET(mkyoung, pte_val(pte) | _PAGE_ACCESSED)
PTE_SET(mkclean, pte_val(pte) & ~_PAGE_DIRTY)
PTE_SET(mkdirty, pte_val(pte) | _PAGE_DIRTY)
PTE_SET(wrprotect, pte_val(pte) & ~_PAGE_RW)
PTE_SET(mkspecial, pte_val(pte) | _PAGE_SPECIAL)
PTE_SET(mkexec, pte_val(pte) & ~_PAGE_NX)
PTE_SET(exprotect, pte_val(pte) | _PAGE_NX)
#undef PTE_SET

static inline pte_t pte_mkwrite(pte_t pte)
{
	return __pte(pte_val(pte) | _PAGE_RW);
}

#define pte_pfn(pte)	((pte_val(pte) & _PAGE_PFN_MASK) >> PAGE_SHIFT)
#define pte_page(pte)	pfn_to_page(pte_pfn(pte))
#define pfn_pte(pfn, prot) \
	__pte(((unsigned long)(pfn) << PAGE_SHIFT) | pgprot_val(prot))
#define mk_pte(page, prot)	pfn_pte(page_to_pfn(page), prot)

static inline pte_t pte_modify(pte_t pte, pgprot_t prot)
{
	return __pte((pte_val(pte) & _PAGE_CHG_MASK) | pgprot_val(prot));
}

static inline int pte_same(pte_t a, pte_t b) { return pte_val(a) == pte_val(b); }
#define __HAVE_ARCH_PTE_SAME

static inline void set_pte(pte_t *ptep, pte_t pte) { WRITE_ONCE(*ptep, pte); }
#define set_pte_at(mm, addr, ptep, pte)	set_pte(ptep, pte)

static inline void pte_clear(struct mm_struct *mm, unsigned long addr,
			     pte_t *ptep)
{
	set_pte(ptep, __pte(0));
}

/*
 * Swap entries: not present, not protnone. Type in bits 1-5, offset from
 * bit 12; exclusive marker in bit 6 (a spare software bit when not present).
 */
#define __swp_type(x)		(((x).val >> 1) & 0x1f)
#define __swp_offset(x)		((x).val >> PAGE_SHIFT)
#define __swp_entry(type, off)	((swp_entry_t) { ((type) << 1) | \
						 ((off) << PAGE_SHIFT) })
#define __pte_to_swp_entry(pte)	((swp_entry_t) { pte_val(pte) })
#define __swp_entry_to_pte(x)	((pte_t) { (x).val })

#define _PAGE_SWP_EXCLUSIVE	0x040UL
#define __HAVE_ARCH_PTE_SWP_EXCLUSIVE
static inline int pte_swp_exclusive(pte_t pte)
{
	return pte_val(pte) & _PAGE_SWP_EXCLUSIVE;
}
static inline pte_t pte_swp_mkexclusive(pte_t pte)
{
	return __pte(pte_val(pte) | _PAGE_SWP_EXCLUSIVE);
}
static inline pte_t pte_swp_clear_exclusive(pte_t pte)
{
	return __pte(pte_val(pte) & ~_PAGE_SWP_EXCLUSIVE);
}

#define kern_addr_valid(addr)	(1)

void paging_init(void);

/*
 * Any change to a kernel PTE outside the direct map (vmalloc, vmap,
 * ioremap) is made real in the monitor by arch_sync_kernel_mappings().
 */
#define ARCH_PAGE_TABLE_SYNC_MASK	PGTBL_PTE_MODIFIED

static inline void update_mmu_cache(struct vm_area_struct *vma,
				    unsigned long addr, pte_t *ptep)
{
}

/*
 * Only ever called where access grows (ptep_set_access_flags, a spurious
 * fault): the stub may keep the page with less access until the fault's
 * own edit replaces it, as x86 keeps a stale TLB entry.
 */
#define flush_tlb_fix_spurious_fault(vma, address) do { } while (0)

/* A PTE cleared in the faulting mm keeps its page until the stub drops it. */
#define __HAVE_ARCH_PTEP_CLEAR_FLUSH
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address,
		       pte_t *ptep);

#endif /* __ASSEMBLY__ */

#endif

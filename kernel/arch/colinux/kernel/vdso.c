// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping the vDSO into each new process: two data pages (the generic
 * timekeeping page, then ours with the host clock's address) and the
 * text, as x86-64 programs expect it (AT_SYSINFO_EHDR). The pages are
 * ordinary guest RAM, so the stubs map them like any other user page and
 * the timekeeper's updates are visible at once.
 */
#include <linux/binfmts.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <vdso/datapage.h>
#include <asm/vdso/colinux.h>
#include "colinux.h"

extern char colinux_vdso_start[], colinux_vdso_end[];

static union {
	struct vdso_data data[CS_BASES];
	u8 page[PAGE_SIZE];
} colinux_vdso_data_store __page_aligned_data;
struct vdso_data *colinux_vdso_data = colinux_vdso_data_store.data;

static union {
	struct colinux_vvar vvar;
	u8 page[PAGE_SIZE];
} colinux_vvar_store __page_aligned_data;

static struct page *colinux_vvar_pages[COLINUX_VVAR_PAGES];
static struct vm_special_mapping colinux_vvar_mapping = {
	.name = "[vvar]",
	.pages = colinux_vvar_pages,
};
static struct vm_special_mapping colinux_vdso_mapping = {
	.name = "[vdso]",
};

static int __init colinux_vdso_init(void)
{
	unsigned long pages = (colinux_vdso_end - colinux_vdso_start) >>
			      PAGE_SHIFT;
	struct page **text;
	unsigned long i;

	if (memcmp(colinux_vdso_start, "\177ELF", 4))
		panic("colinux: the vDSO image is not an ELF file\n");
	text = kcalloc(pages + 1, sizeof(*text), GFP_KERNEL);
	if (!text)
		panic("colinux: no memory for the vDSO page list\n");
	for (i = 0; i < pages; i++)
		text[i] = virt_to_page(colinux_vdso_start + i * PAGE_SIZE);
	colinux_vdso_mapping.pages = text;
	colinux_vvar_pages[0] = virt_to_page(colinux_vdso_data_store.page);
	colinux_vvar_pages[1] = virt_to_page(colinux_vvar_store.page);
	colinux_vvar_store.vvar.host_clock_gettime =
		colinux_boot->host_clock_gettime;
	return 0;
}
arch_initcall(colinux_vdso_init);

int arch_setup_additional_pages(struct linux_binprm *bprm, int uses_interp)
{
	unsigned long text_len = colinux_vdso_end - colinux_vdso_start;
	unsigned long vvar_len = COLINUX_VVAR_PAGES * PAGE_SIZE;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long base, addr;
	int ret = 0;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	base = get_unmapped_area(NULL, 0, vvar_len + text_len, 0, 0);
	if (IS_ERR_VALUE(base)) {
		ret = base;
		goto out;
	}
	vma = _install_special_mapping(mm, base, vvar_len,
				       VM_READ | VM_MAYREAD,
				       &colinux_vvar_mapping);
	if (IS_ERR(vma)) {
		ret = PTR_ERR(vma);
		goto out;
	}
	vma = _install_special_mapping(mm, base + vvar_len, text_len,
				       VM_READ | VM_EXEC | VM_MAYREAD |
				       VM_MAYWRITE | VM_MAYEXEC,
				       &colinux_vdso_mapping);
	if (IS_ERR(vma)) {
		do_munmap(mm, base, vvar_len, NULL);
		ret = PTR_ERR(vma);
		goto out;
	}
	mm->context.vdso = (void *)(base + vvar_len);
	/*
	 * The C library reads the vDSO's ELF header as it starts: fill
	 * the page tables now and map the pages with the stack, so that
	 * it does not trap.
	 */
	for (addr = base; addr < base + vvar_len + text_len; addr += PAGE_SIZE)
		handle_mm_fault(vma_lookup(mm, addr), addr, FAULT_FLAG_USER,
				NULL);
	mmap_write_unlock(mm);
	colinux_map_present(mm, base, base + vvar_len + text_len, true);
	return 0;
out:
	mmap_write_unlock(mm);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* The vDSO image, page aligned, in the kernel's data. */
#include <linux/linkage.h>
#include <asm/page.h>

	.section .data..page_aligned, "aw"
	.balign PAGE_SIZE
	.globl colinux_vdso_start, colinux_vdso_end
colinux_vdso_start:
	.incbin "arch/colinux/kernel/vdso/vdso.so"
	.balign PAGE_SIZE
colinux_vdso_end:
	.previous

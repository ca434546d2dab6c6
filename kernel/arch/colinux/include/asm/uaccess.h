/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User memory is not mapped in the kernel's address space: guest programs
 * live in their own host processes. Copies walk the current mm's page
 * tables and go through the direct map, faulting pages in as needed.
 */
#ifndef _ASM_COLINUX_UACCESS_H
#define _ASM_COLINUX_UACCESS_H

#include <asm/processor.h>
#include <asm/unaligned.h>

unsigned long raw_copy_from_user(void *to, const void __user *from,
				 unsigned long n);
unsigned long raw_copy_to_user(void __user *to, const void *from,
			       unsigned long n);
unsigned long __clear_user(void __user *mem, unsigned long len);
#define __clear_user __clear_user

/*
 * Kernel addresses are checked against what the kernel maps instead of
 * caught on fault: the direct map, and vmalloc pages that are present.
 */
bool colinux_kernel_range_ok(const void *addr, unsigned long len);

#define __get_kernel_nofault(dst, src, type, err_label)			\
do {									\
	if (!colinux_kernel_range_ok((src), sizeof(type)))		\
		goto err_label;						\
	*((type *)(dst)) = get_unaligned((type *)(src));		\
} while (0)

#define __put_kernel_nofault(dst, src, type, err_label)			\
do {									\
	if (!colinux_kernel_range_ok((dst), sizeof(type)))		\
		goto err_label;						\
	put_unaligned(*((type *)(src)), (type *)(dst));			\
} while (0)

#include <asm-generic/access_ok.h>
#include <asm-generic/uaccess.h>

#endif

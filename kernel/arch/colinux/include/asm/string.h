/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block copies with rep movsb/stosb, fast on every CPU with ERMS and
 * correct on all; the rest of <linux/string.h> is lib/string.c's.
 */
#ifndef _ASM_COLINUX_STRING_H
#define _ASM_COLINUX_STRING_H

#define __HAVE_ARCH_MEMCPY
#define __HAVE_ARCH_MEMSET
#define __HAVE_ARCH_MEMMOVE
void *memcpy(void *to, const void *from, __kernel_size_t n);
void *memset(void *s, int c, __kernel_size_t n);
void *memmove(void *to, const void *from, __kernel_size_t n);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_VDSO_VSYSCALL_H
#define _ASM_COLINUX_VDSO_VSYSCALL_H

#ifndef __ASSEMBLY__

#include <linux/timekeeper_internal.h>
#include <vdso/datapage.h>

extern struct vdso_data *colinux_vdso_data;

/* The page the timekeeper updates, mapped read-only into every process. */
static __always_inline struct vdso_data *__colinux_get_k_vdso_data(void)
{
	return colinux_vdso_data;
}
#define __arch_get_k_vdso_data __colinux_get_k_vdso_data

#include <asm-generic/vdso/vsyscall.h>

#endif
#endif

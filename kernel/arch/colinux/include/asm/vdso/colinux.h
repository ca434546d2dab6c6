/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vDSO's data pages, in the order they are mapped just below its
 * text: the generic timekeeping page, then ours.
 */
#ifndef _ASM_COLINUX_VDSO_COLINUX_H
#define _ASM_COLINUX_VDSO_COLINUX_H

#define COLINUX_VVAR_PAGES	2

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct colinux_vvar {
	u64 host_clock_gettime;		/* passage_boot.host_clock_gettime */
};

struct vdso_data;
extern const struct vdso_data _colinux_vdso_data[]
	__attribute__((visibility("hidden")));
extern const struct colinux_vvar _colinux_vvar
	__attribute__((visibility("hidden")));

static __always_inline const struct colinux_vvar *colinux_vvar_page(void)
{
	return &_colinux_vvar;
}
#endif

#endif

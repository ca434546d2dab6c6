/* SPDX-License-Identifier: GPL-2.0 */
/* The x86-64 user_regs_struct and friends, as ptrace and core dumps use. */
#ifndef _ASM_COLINUX_USER_H
#define _ASM_COLINUX_USER_H

#include <linux/types.h>

struct user_i387_struct {
	unsigned short	cwd;
	unsigned short	swd;
	unsigned short	twd;
	unsigned short	fop;
	__u64	rip;
	__u64	rdp;
	__u32	mxcsr;
	__u32	mxcsr_mask;
	__u32	st_space[32];
	__u32	xmm_space[64];
	__u32	padding[24];
};

struct user_regs_struct {
	unsigned long	r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long	ax, cx, dx, si, di, orig_ax;
	unsigned long	ip, cs, flags, sp, ss;
	unsigned long	fs_base, gs_base, ds, es, fs, gs;
};

#endif

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_VDSO_PROCESSOR_H
#define _ASM_COLINUX_VDSO_PROCESSOR_H

/*
 * The vDSO is user code: its cpu_relax is a plain pause. The kernel's own
 * (asm/processor.h) also takes pending interrupts.
 */
#if defined(COLINUX_VDSO) && !defined(__ASSEMBLY__)
static __always_inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}
#endif

#endif

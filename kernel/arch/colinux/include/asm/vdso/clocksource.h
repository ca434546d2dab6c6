/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_VDSO_CLOCKSOURCE_H
#define _ASM_COLINUX_VDSO_CLOCKSOURCE_H

/* The passage clocksource: the host's CLOCK_MONOTONIC, in nanoseconds. */
#define VDSO_ARCH_CLOCKMODES	\
	VDSO_CLOCKMODE_PASSAGE

#endif

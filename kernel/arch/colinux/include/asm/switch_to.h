/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task switch: a few instructions on the vCPU thread (switch.S). Leaving
 * a user address space for another first tells that mm's stub, which may
 * be spinning for its thread to be resumed, to sleep instead.
 */
#ifndef _ASM_COLINUX_SWITCH_TO_H
#define _ASM_COLINUX_SWITCH_TO_H

struct task_struct;

struct task_struct *__switch_to(struct task_struct *prev,
				struct task_struct *next);
void colinux_switch_mm_hint(struct task_struct *prev,
			    struct task_struct *next);

#define switch_to(prev, next, last)					\
	do {								\
		colinux_switch_mm_hint(prev, next);			\
		((last) = __switch_to((prev), (next)));			\
	} while (0)

#endif

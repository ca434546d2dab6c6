/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running task. The guest is uniprocessor for now, so one variable,
 * written by __switch_to, is enough; an SMP guest will keep it per vCPU.
 */
#ifndef _ASM_COLINUX_CURRENT_H
#define _ASM_COLINUX_CURRENT_H

#ifndef __ASSEMBLY__
struct task_struct;
extern struct task_struct *colinux_current_task;

static __always_inline struct task_struct *get_current(void)
{
	return colinux_current_task;
}

#define current get_current()
#endif

#endif

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_THREAD_INFO_H
#define _ASM_COLINUX_THREAD_INFO_H

#include <asm/page.h>

#define THREAD_SIZE_ORDER	2
#define THREAD_SIZE		(PAGE_SIZE << THREAD_SIZE_ORDER)

#ifndef __ASSEMBLY__

struct thread_info {
	unsigned long flags;
	unsigned long syscall_work;
	int preempt_count;
};

void arch_setup_new_exec(void);
#define arch_setup_new_exec arch_setup_new_exec

#define INIT_THREAD_INFO(tsk)			\
{						\
	.flags = 0,				\
	.preempt_count = INIT_PREEMPT_COUNT,	\
}

#endif

#define TIF_SYSCALL_TRACE	0
#define TIF_NOTIFY_RESUME	1
#define TIF_SIGPENDING		2
#define TIF_NEED_RESCHED	3
#define TIF_SYSCALL_AUDIT	4
#define TIF_SECCOMP		5
#define TIF_SYSCALL_TRACEPOINT	6
#define TIF_NOTIFY_SIGNAL	7
#define TIF_SINGLESTEP		8
#define TIF_RESTORE_SIGMASK	9
#define TIF_MEMDIE		10
#define TIF_POLLING_NRFLAG	11

#define _TIF_SYSCALL_TRACE	(1 << TIF_SYSCALL_TRACE)
#define _TIF_NOTIFY_RESUME	(1 << TIF_NOTIFY_RESUME)
#define _TIF_SIGPENDING		(1 << TIF_SIGPENDING)
#define _TIF_NEED_RESCHED	(1 << TIF_NEED_RESCHED)
#define _TIF_SYSCALL_AUDIT	(1 << TIF_SYSCALL_AUDIT)
#define _TIF_SECCOMP		(1 << TIF_SECCOMP)
#define _TIF_SYSCALL_TRACEPOINT	(1 << TIF_SYSCALL_TRACEPOINT)
#define _TIF_NOTIFY_SIGNAL	(1 << TIF_NOTIFY_SIGNAL)
#define _TIF_SINGLESTEP		(1 << TIF_SINGLESTEP)
#define _TIF_RESTORE_SIGMASK	(1 << TIF_RESTORE_SIGMASK)
#define _TIF_MEMDIE		(1 << TIF_MEMDIE)
#define _TIF_POLLING_NRFLAG	(1 << TIF_POLLING_NRFLAG)

#endif

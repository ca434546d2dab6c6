/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_MMU_H
#define _ASM_COLINUX_MMU_H

#include <linux/types.h>

struct passage_mailbox;
struct passage_mm_edits;

struct page;

/* Pages whose unmapping the stub has not applied yet (mm/mirror.c). */
#define COLINUX_MM_HELD	32
/* Wide fault windows of file memory the stub maps whole (mm/fault.c). */
#define COLINUX_MM_WINDOWS	4

/*
 * Per-mm state: the host stub process that holds this address space, the
 * mailbox its thread trades registers through, and the page the kernel
 * queues its mapping edits in.
 */
typedef struct {
	long stub;
	struct passage_mailbox *mb;
	struct passage_mm_edits *edits;
	u64 fpu_owner;	/* fpu_id of the thread whose registers are live */
	void *vdso;	/* where the vDSO text is mapped (AT_SYSINFO_EHDR) */
	bool forking;	/* in dup_mmap: see colinux_mm_flush() */
	bool ran;	/* guest code ran in the stub: it may map pages */
	unsigned long windows[COLINUX_MM_WINDOWS];	/* keys, 0: none */
	unsigned int nheld;
	struct page *held[COLINUX_MM_HELD];
} mm_context_t;

#endif

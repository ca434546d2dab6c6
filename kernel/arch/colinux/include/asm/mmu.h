/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_MMU_H
#define _ASM_COLINUX_MMU_H

#include <linux/types.h>

struct passage_mailbox;
struct passage_mm_edits;

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
} mm_context_t;

#endif

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_MMU_H
#define _ASM_COLINUX_MMU_H

#include <linux/types.h>

struct passage_mailbox;

/*
 * Per-mm state: the host stub process that holds this address space and
 * the mailbox its thread trades registers and mapping edits through.
 */
typedef struct {
	long stub;
	struct passage_mailbox *mb;
	u64 fpu_owner;	/* fpu_id of the thread whose registers are live */
	void *vdso;	/* where the vDSO text is mapped (AT_SYSINFO_EHDR) */
	bool forking;	/* in dup_mmap: see colinux_mm_flush() */
} mm_context_t;

#endif

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_MMU_H
#define _ASM_COLINUX_MMU_H

/* Per-mm state of the port; the process engine adds the stub here. */
typedef struct {
	unsigned long flags;
} mm_context_t;

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Hooks of the generic entry code: only the stack check. */
#ifndef _ASM_COLINUX_ENTRY_COMMON_H
#define _ASM_COLINUX_ENTRY_COMMON_H

#include <linux/types.h>

bool colinux_on_thread_stack(void);
#define on_thread_stack() colinux_on_thread_stack()
#endif

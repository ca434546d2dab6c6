/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_VMALLOC_H
#define _ASM_COLINUX_VMALLOC_H
#endif

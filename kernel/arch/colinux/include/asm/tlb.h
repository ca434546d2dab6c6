/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_TLB_H
#define _ASM_COLINUX_TLB_H

#include <asm/tlbflush.h>
#include <asm-generic/tlb.h>

#endif

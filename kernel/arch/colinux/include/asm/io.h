/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device memory. The guest has no physical device memory: virtio-mmio
 * windows will be reached through the passage, never mapped. Until a
 * device backend exists, there is nothing ioremap could map.
 */
#ifndef _ASM_COLINUX_IO_H
#define _ASM_COLINUX_IO_H

#include <linux/types.h>

static inline void __iomem *ioremap(phys_addr_t offset, size_t size)
{
	return NULL;
}
#define ioremap ioremap

static inline void iounmap(volatile void __iomem *addr)
{
}
#define iounmap iounmap

#include <asm-generic/io.h>

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device memory. The guest's only devices are the monitor's virtio-mmio
 * windows (passage.h, "Devices"). They are never mapped: ioremap returns
 * an address in an unmapped range, so a stray dereference faults, and the
 * raw accessors below turn each register access into a passage call. The
 * generic readl/writel and friends add the ordering around them.
 */
#ifndef _ASM_COLINUX_IO_H
#define _ASM_COLINUX_IO_H

#include <linux/types.h>

u8 __raw_readb(const volatile void __iomem *addr);
u16 __raw_readw(const volatile void __iomem *addr);
u32 __raw_readl(const volatile void __iomem *addr);
u64 __raw_readq(const volatile void __iomem *addr);
void __raw_writeb(u8 value, volatile void __iomem *addr);
void __raw_writew(u16 value, volatile void __iomem *addr);
void __raw_writel(u32 value, volatile void __iomem *addr);
void __raw_writeq(u64 value, volatile void __iomem *addr);
#define __raw_readb __raw_readb
#define __raw_readw __raw_readw
#define __raw_readl __raw_readl
#define __raw_readq __raw_readq
#define __raw_writeb __raw_writeb
#define __raw_writew __raw_writew
#define __raw_writel __raw_writel
#define __raw_writeq __raw_writeq

void __iomem *ioremap(phys_addr_t offset, size_t size);
#define ioremap ioremap

static inline void iounmap(volatile void __iomem *addr)
{
}
#define iounmap iounmap

#include <asm-generic/io.h>

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Device register access. A virtio-mmio register read or write is one
 * passage call into the monitor, which emulates the device on the spot:
 * a function call, not a trap, so a queue notification costs about as
 * much as a system call on the host.
 */
#include <linux/export.h>
#include <linux/io.h>
#include "colinux.h"

void __iomem *ioremap(phys_addr_t offset, size_t size)
{
	u64 end = COLINUX_MMIO_BASE +
		  COLINUX_MMIO_DEVICES * COLINUX_MMIO_STRIDE;

	if (offset < COLINUX_MMIO_BASE || size > end - offset ||
	    offset + size > end)
		return NULL;
	return (void __iomem *)(unsigned long)(COLINUX_IOREMAP_BASE + offset);
}
EXPORT_SYMBOL(ioremap);

static inline u64 colinux_mmio_phys(const volatile void __iomem *addr)
{
	return (unsigned long)addr - COLINUX_IOREMAP_BASE;
}

u8 __raw_readb(const volatile void __iomem *addr)
{
	return colinux_host->mmio_read(colinux_mmio_phys(addr), 1);
}
EXPORT_SYMBOL(__raw_readb);

u16 __raw_readw(const volatile void __iomem *addr)
{
	return colinux_host->mmio_read(colinux_mmio_phys(addr), 2);
}
EXPORT_SYMBOL(__raw_readw);

u32 __raw_readl(const volatile void __iomem *addr)
{
	return colinux_host->mmio_read(colinux_mmio_phys(addr), 4);
}
EXPORT_SYMBOL(__raw_readl);

u64 __raw_readq(const volatile void __iomem *addr)
{
	return colinux_host->mmio_read(colinux_mmio_phys(addr), 8);
}
EXPORT_SYMBOL(__raw_readq);

void __raw_writeb(u8 value, volatile void __iomem *addr)
{
	colinux_host->mmio_write(colinux_mmio_phys(addr), 1, value);
}
EXPORT_SYMBOL(__raw_writeb);

void __raw_writew(u16 value, volatile void __iomem *addr)
{
	colinux_host->mmio_write(colinux_mmio_phys(addr), 2, value);
}
EXPORT_SYMBOL(__raw_writew);

void __raw_writel(u32 value, volatile void __iomem *addr)
{
	colinux_host->mmio_write(colinux_mmio_phys(addr), 4, value);
}
EXPORT_SYMBOL(__raw_writel);

void __raw_writeq(u64 value, volatile void __iomem *addr)
{
	colinux_host->mmio_write(colinux_mmio_phys(addr), 8, value);
}
EXPORT_SYMBOL(__raw_writeq);

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt masking is a flag in guest memory: the host never interrupts
 * kernel code. A host signal only marks a line pending in the passage;
 * enabling interrupts runs what is pending, as a CPU would on sti.
 */
#ifndef _ASM_COLINUX_IRQFLAGS_H
#define _ASM_COLINUX_IRQFLAGS_H

#include <linux/compiler.h>

#define ARCH_IRQ_DISABLED	0UL
#define ARCH_IRQ_ENABLED	1UL

#ifndef __ASSEMBLY__
extern unsigned long colinux_irq_flags;
extern volatile unsigned int *colinux_irq_pending;
void colinux_irq_run_pending(void);

static __always_inline unsigned long arch_local_save_flags(void)
{
	return READ_ONCE(colinux_irq_flags);
}

static __always_inline void arch_local_irq_disable(void)
{
	WRITE_ONCE(colinux_irq_flags, ARCH_IRQ_DISABLED);
	barrier();
}

static __always_inline void arch_local_irq_enable(void)
{
	barrier();
	WRITE_ONCE(colinux_irq_flags, ARCH_IRQ_ENABLED);
	barrier();
	if (unlikely(READ_ONCE(*colinux_irq_pending)))
		colinux_irq_run_pending();
}

static __always_inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static __always_inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return flags == ARCH_IRQ_DISABLED;
}

static __always_inline int arch_irqs_disabled(void)
{
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

static __always_inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags == ARCH_IRQ_ENABLED)
		arch_local_irq_enable();
	else
		arch_local_irq_disable();
}
#endif

#endif

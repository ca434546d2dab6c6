/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_IRQ_H
#define _ASM_COLINUX_IRQ_H

/* One Linux irq per passage interrupt line (COLINUX_IRQ_NR). */
#define NR_IRQS			32
#define TIMER_IRQ		0
#define SHUTDOWN_IRQ		1

#define irq_canonicalize(irq)	(irq)

#endif

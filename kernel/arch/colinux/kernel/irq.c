// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts. The monitor raises a line by setting its bit in the passage
 * word irq_pending (from a host signal handler or another host thread);
 * it never runs kernel code asynchronously. The kernel takes what is
 * pending whenever interrupts become enabled, in cpu_relax() loops, and
 * after idle, with generic IRQ handling doing the rest.
 */
#include <linux/init.h>
#include <linux/irq.h>
#include <linux/interrupt.h>
#include <linux/hardirq.h>
#include <asm/irq_regs.h>
#include "colinux.h"

/* Interrupts start disabled, as on a CPU coming out of reset. */
unsigned long colinux_irq_flags = ARCH_IRQ_DISABLED;

/* Until the monitor's word is known, nothing can be pending. */
static unsigned int colinux_no_irq_pending;
volatile unsigned int *colinux_irq_pending = &colinux_no_irq_pending;

static void colinux_irq_noop(struct irq_data *d)
{
}

/* The lines are edge-like events; there is nothing to mask in hardware. */
static struct irq_chip colinux_irq_chip = {
	.name		= "passage",
	.irq_mask	= colinux_irq_noop,
	.irq_unmask	= colinux_irq_noop,
};

void __init init_IRQ(void)
{
	int irq;

	for (irq = 0; irq < NR_IRQS; irq++)
		irq_set_chip_and_handler(irq, &colinux_irq_chip,
					 handle_simple_irq);
}

static void colinux_irq_dispatch(unsigned long pending, struct pt_regs *regs)
{
	struct pt_regs *old_regs = set_irq_regs(regs);
	unsigned int irq;

	irq_enter();
	for_each_set_bit(irq, &pending, NR_IRQS)
		generic_handle_irq(irq);
	irq_exit();
	set_irq_regs(old_regs);
}

/*
 * Called when interrupts are (being) enabled and a line is pending. Runs
 * handlers with interrupts disabled, as hardware would, and returns with
 * them enabled and nothing pending that it could have seen.
 */
void colinux_irq_run_pending(void)
{
	struct pt_regs regs = {
		.ip = _RET_IP_,
		.cs = __KERNEL_CS,
		.flags = ARCH_IRQ_ENABLED,
	};
	unsigned long pending;

	regs.sp = (unsigned long)&regs;
	for (;;) {
		WRITE_ONCE(colinux_irq_flags, ARCH_IRQ_DISABLED);
		barrier();
		pending = xchg((unsigned int *)colinux_irq_pending, 0);
		if (pending) {
			colinux_irq_dispatch(pending, &regs);
			continue;
		}
		WRITE_ONCE(colinux_irq_flags, ARCH_IRQ_ENABLED);
		barrier();
		/* A line raised between the exchange and the enable. */
		if (!READ_ONCE(*colinux_irq_pending))
			return;
	}
}

/* An interrupt that stopped user code: regs are the user's. */
void colinux_irq_take(struct pt_regs *regs)
{
	unsigned long pending = xchg((unsigned int *)colinux_irq_pending, 0);

	if (pending)
		colinux_irq_dispatch(pending, regs);
}

void colinux_cpu_relax(void)
{
	if (READ_ONCE(colinux_irq_flags) == ARCH_IRQ_ENABLED &&
	    READ_ONCE(*colinux_irq_pending))
		colinux_irq_run_pending();
}
EXPORT_SYMBOL(colinux_cpu_relax);

// SPDX-License-Identifier: GPL-2.0
/*
 * Time from the host: the clocksource and sched_clock read the host's
 * CLOCK_MONOTONIC in nanoseconds; the clock event device is a one-shot
 * host timer aimed at this vCPU thread, which raises COLINUX_IRQ_TIMER.
 * With NO_HZ_IDLE the timer is not armed while the guest idles, so an
 * idle guest costs the host nothing.
 */
#include <linux/init.h>
#include <linux/clocksource.h>
#include <linux/clockchips.h>
#include <linux/interrupt.h>
#include <linux/sched/clock.h>
#include <linux/timekeeping.h>
#include <linux/delay.h>
#include "colinux.h"

u64 colinux_boot_ns;

static u64 colinux_clock_read(struct clocksource *cs)
{
	return colinux_host->clock_monotonic_ns();
}

static struct clocksource colinux_clocksource = {
	.name	= "passage",
	.rating	= 400,
	.read	= colinux_clock_read,
	.mask	= CLOCKSOURCE_MASK(64),
	.flags	= CLOCK_SOURCE_IS_CONTINUOUS | CLOCK_SOURCE_VALID_FOR_HRES,
	/* The vDSO reads the same host clock from user space. */
	.vdso_clock_mode = VDSO_CLOCKMODE_PASSAGE,
};

unsigned long long notrace sched_clock(void)
{
	if (!colinux_host)
		return 0;
	return colinux_host->clock_monotonic_ns() - colinux_boot_ns;
}

void read_persistent_clock64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(colinux_host->clock_realtime_ns());
}

static int colinux_timer_next(unsigned long delta_ns,
			      struct clock_event_device *ced)
{
	return colinux_host->timer_set(delta_ns ? delta_ns : 1);
}

static int colinux_timer_shutdown(struct clock_event_device *ced)
{
	return colinux_host->timer_set(0);
}

static struct clock_event_device colinux_clockevent = {
	.name			= "passage-timer",
	.features		= CLOCK_EVT_FEAT_ONESHOT,
	.rating			= 400,
	.irq			= TIMER_IRQ,
	.set_next_event		= colinux_timer_next,
	.set_state_shutdown	= colinux_timer_shutdown,
	.set_state_oneshot_stopped = colinux_timer_shutdown,
};

static irqreturn_t colinux_timer_interrupt(int irq, void *dev)
{
	struct clock_event_device *ced = dev;

	ced->event_handler(ced);
	return IRQ_HANDLED;
}

void __init time_init(void)
{
	int err;

	err = clocksource_register_hz(&colinux_clocksource, NSEC_PER_SEC);
	if (err)
		panic("colinux: cannot register the passage clocksource: %d\n",
		      err);

	err = request_irq(TIMER_IRQ, colinux_timer_interrupt, IRQF_TIMER,
			  "timer", &colinux_clockevent);
	if (err)
		panic("colinux: cannot request the timer interrupt: %d\n", err);

	colinux_clockevent.cpumask = cpumask_of(0);
	clockevents_config_and_register(&colinux_clockevent, NSEC_PER_SEC,
					1000, LONG_MAX);
}

/*
 * No loop to calibrate: the delays below read the clock (asm/delay.h).
 * loops_per_jiffy still feeds BogoMIPS; call a loop a nanosecond.
 */
void calibrate_delay(void)
{
	loops_per_jiffy = NSEC_PER_SEC / HZ;
}

void __ndelay(unsigned long nsecs)
{
	u64 end = colinux_host->clock_monotonic_ns() + nsecs;

	while (colinux_host->clock_monotonic_ns() < end)
		cpu_relax();
}
EXPORT_SYMBOL(__ndelay);

void __udelay(unsigned long usecs)
{
	__ndelay(usecs * NSEC_PER_USEC);
}
EXPORT_SYMBOL(__udelay);

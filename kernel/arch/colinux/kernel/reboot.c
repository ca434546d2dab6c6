// SPDX-License-Identifier: GPL-2.0
/*
 * Power off, halt, reboot and panic all end in the monitor. A panic
 * reaches machine_restart() through emergency_restart() (the defconfig
 * sets PANIC_TIMEOUT=-1) after its messages are out; the notifier below
 * keeps the reason so the monitor can print it last and exit non-zero.
 */
#include <linux/init.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/reboot.h>
#include <linux/interrupt.h>
#include <linux/string.h>
#include <linux/irq.h>
#include <linux/moduleparam.h>
#include <linux/pm.h>
#include "colinux.h"

static char colinux_panic_msg[256];

/*
 * What the guest wants the monitor to exit with when it powers off:
 * /sys/module/colinux/parameters/exit_status (the image's /init writes
 * the --exec command's status there).
 */
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "colinux."
static int colinux_exit_status;
module_param_named(exit_status, colinux_exit_status, int, 0644);

static int colinux_panic_event(struct notifier_block *nb, unsigned long ev,
			       void *msg)
{
	strscpy(colinux_panic_msg, msg ? msg : "(no message)",
		sizeof(colinux_panic_msg));
	return NOTIFY_DONE;
}

static struct notifier_block colinux_panic_block = {
	.notifier_call = colinux_panic_event,
	.priority = INT_MIN,	/* after everyone else has had their say */
};

void machine_restart(char *cmd)
{
	if (colinux_panic_msg[0])
		colinux_host->halt(COLINUX_HALT_PANIC, 1, colinux_panic_msg);
	colinux_host->halt(COLINUX_HALT_REBOOT, 0, NULL);
}

void machine_halt(void)
{
	colinux_host->halt(COLINUX_HALT_POWER_OFF, colinux_exit_status & 0xff, NULL);
}

void machine_power_off(void)
{
	colinux_host->halt(COLINUX_HALT_POWER_OFF, colinux_exit_status & 0xff, NULL);
}

/* The user asked the monitor to stop the guest: shut down as for ACPI. */
static irqreturn_t colinux_shutdown_interrupt(int irq, void *dev)
{
	pr_info("colinux: shutdown requested by the host\n");
	orderly_poweroff(true);
	return IRQ_HANDLED;
}

/* From setup_arch, so that even the earliest panic is reported as one. */
void __init colinux_panic_init(void)
{
	atomic_notifier_chain_register(&panic_notifier_list,
				       &colinux_panic_block);
}

static int __init colinux_reboot_init(void)
{
	/* Powering off is possible: without this, poweroff becomes halt. */
	pm_power_off = machine_power_off;
	return request_irq(SHUTDOWN_IRQ, colinux_shutdown_interrupt, 0,
			   "shutdown", NULL);
}
early_initcall(colinux_reboot_init);

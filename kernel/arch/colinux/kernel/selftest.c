// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time checks of the port, run when the command line asks for them
 * (colinux.selftest=timer,vmalloc,oops,idle,hang): the integration tests boot with
 * them and read the results from the boot log. Each prints one line
 * starting "colinux selftest <name>:".
 */
#include <linux/init.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/vmalloc.h>
#include <linux/string.h>
#include <linux/sched/clock.h>
#include "colinux.h"

static char colinux_selftests[64] __initdata;

static int __init colinux_selftest_setup(char *arg)
{
	strscpy(colinux_selftests, arg, sizeof(colinux_selftests));
	return 1;
}
__setup("colinux.selftest=", colinux_selftest_setup);

/* The timer ticks at HZ: 100 ms of sleep is HZ / 10 jiffies. */
static void __init colinux_selftest_timer(void)
{
	unsigned long j0 = jiffies;
	u64 t0 = sched_clock();

	msleep(100);
	pr_info("colinux selftest timer: msleep(100) took %lu jiffies at HZ=%d, %llu us of host time\n",
		jiffies - j0, HZ, (sched_clock() - t0) / NSEC_PER_USEC);
}

/* vmalloc memory lies outside the direct map: the monitor must map it. */
static void __init colinux_selftest_vmalloc(void)
{
	const unsigned long words = (8UL << 20) / sizeof(unsigned long);
	unsigned long *p = vmalloc(words * sizeof(unsigned long));
	unsigned long i, bad = 0;

	if (!p) {
		pr_info("colinux selftest vmalloc: FAIL (no memory)\n");
		return;
	}
	for (i = 0; i < words; i++)
		p[i] = i * 2654435761UL;
	for (i = 0; i < words; i++)
		bad += p[i] != i * 2654435761UL;
	pr_info("colinux selftest vmalloc: %s (8 MiB at %px, %lu bad words)\n",
		bad ? "FAIL" : "ok", p, bad);
	vfree(p);
}

static int colinux_selftest_oops_thread(void *arg)
{
	volatile unsigned long *bad = (unsigned long *)0x18;

	pr_info("colinux selftest oops: writing to %px\n", bad);
	*bad = 1;
	pr_info("colinux selftest oops: FAIL (the write did not fault)\n");
	return 0;
}

static void __init colinux_selftest_oops(void)
{
	struct task_struct *t;

	t = kthread_run(colinux_selftest_oops_thread, NULL, "oops-test");
	if (IS_ERR(t))
		pr_info("colinux selftest oops: FAIL (no thread)\n");
	msleep(20);
}

/* Sit idle for a while, so that a test can watch the host CPU it uses. */
static void __init colinux_selftest_idle(void)
{
	pr_info("colinux selftest idle: sleeping 3 s\n");
	msleep(3000);
	pr_info("colinux selftest idle: done\n");
}

/* A guest that no longer answers: the monitor must still stop it. */
static void __init colinux_selftest_hang(void)
{
	pr_info("colinux selftest hang: spinning with interrupts off\n");
	local_irq_disable();
	for (;;)
		barrier();
}

static int __init colinux_selftests_run(void)
{
	char *list = colinux_selftests, *name;

	while ((name = strsep(&list, ",")) != NULL) {
		if (!strcmp(name, "timer"))
			colinux_selftest_timer();
		else if (!strcmp(name, "vmalloc"))
			colinux_selftest_vmalloc();
		else if (!strcmp(name, "oops"))
			colinux_selftest_oops();
		else if (!strcmp(name, "idle"))
			colinux_selftest_idle();
		else if (!strcmp(name, "hang"))
			colinux_selftest_hang();
		else if (*name)
			pr_info("colinux selftest %s: unknown test\n", name);
	}
	return 0;
}
late_initcall(colinux_selftests_run);

// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/cpuinfo: the guest runs on the host's CPU, so it reports what
 * CPUID (an unprivileged instruction) says about it.
 */
#include <linux/seq_file.h>
#include <linux/cpumask.h>
#include <linux/string.h>

static void colinux_cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid"
		     : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d)
		     : "a" (leaf), "c" (0));
}

static int colinux_cpuinfo_show(struct seq_file *m, void *v)
{
	unsigned long cpu = (unsigned long)v - 1;
	u32 regs[12], a, b, c, d, leaf;
	char vendor[13];

	colinux_cpuid(0, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	for (leaf = 0; leaf < 3; leaf++)
		colinux_cpuid(0x80000002 + leaf, &regs[leaf * 4],
			      &regs[leaf * 4 + 1], &regs[leaf * 4 + 2],
			      &regs[leaf * 4 + 3]);
	colinux_cpuid(1, &a, &b, &c, &d);

	seq_printf(m, "processor\t: %lu\n", cpu);
	seq_printf(m, "vendor_id\t: %s\n", vendor);
	seq_printf(m, "cpu family\t: %u\n", ((a >> 8) & 0xf) + ((a >> 20) & 0xff));
	seq_printf(m, "model\t\t: %u\n", ((a >> 4) & 0xf) | ((a >> 12) & 0xf0));
	seq_printf(m, "model name\t: %.48s\n", (char *)regs);
	seq_printf(m, "stepping\t: %u\n", a & 0xf);
	seq_printf(m, "cpuid level\t: 1 ecx %08x edx %08x\n\n", c, d);
	return 0;
}

static void *colinux_cpuinfo_start(struct seq_file *m, loff_t *pos)
{
	return *pos < nr_cpu_ids ? (void *)(unsigned long)(*pos + 1) : NULL;
}

static void *colinux_cpuinfo_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return colinux_cpuinfo_start(m, pos);
}

static void colinux_cpuinfo_stop(struct seq_file *m, void *v)
{
}

const struct seq_operations cpuinfo_op = {
	.start	= colinux_cpuinfo_start,
	.next	= colinux_cpuinfo_next,
	.stop	= colinux_cpuinfo_stop,
	.show	= colinux_cpuinfo_show,
};

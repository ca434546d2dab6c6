// SPDX-License-Identifier: GPL-2.0
/*
 * Boot: the monitor enters at colinux_entry with the passage boot block.
 * This file checks that block, keeps it, and lays out guest memory for
 * memblock: RAM is [0, mem_size) in guest-physical terms, the kernel image
 * at its start and the initrd wherever the monitor put it.
 */
#include <linux/init.h>
#include <linux/start_kernel.h>
#include <linux/memblock.h>
#include <linux/initrd.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/sched/task.h>
#include <asm/sections.h>
#include <asm/setup.h>
#include <colinux/passage.h>
#include "colinux.h"

struct passage_boot *colinux_boot;
const struct passage_host_ops *colinux_host;

/* The monitor refuses a kernel whose note does not match its passage. */
static const struct {
	u32 namesz, descsz, type;
	char name[8];
	u32 desc;
} colinux_passage_note __used __section(".note.colinux") __aligned(4) = {
	.namesz = sizeof(COLINUX_NOTE_NAME),
	.descsz = sizeof(u32),
	.type = COLINUX_NOTE_PASSAGE,
	.name = COLINUX_NOTE_NAME,
	.desc = COLINUX_PASSAGE_VERSION,
};

/* Called from colinux_entry on init_task's stack, interrupts off. */
asmlinkage void __init colinux_start(struct passage_boot *boot)
{
	BUILD_BUG_ON(PAGE_OFFSET != COLINUX_PHYS_BASE);
	BUILD_BUG_ON(COMMAND_LINE_SIZE != COLINUX_CMDLINE_MAX);
	BUILD_BUG_ON(sizeof(struct pt_regs) != sizeof(struct passage_regs));
	BUILD_BUG_ON(VMALLOC_START != COLINUX_VMALLOC_START);
	BUILD_BUG_ON(VMALLOC_END != COLINUX_VMALLOC_END);

	/* A boot block of another passage: nothing in it can be trusted. */
	if (boot->magic != COLINUX_PASSAGE_MAGIC ||
	    boot->version != COLINUX_PASSAGE_VERSION)
		return;

	colinux_boot = boot;
	colinux_host = boot->host;
	colinux_boot_ns = colinux_host->clock_monotonic_ns();
	colinux_irq_pending = &boot->vcpu->irq_pending;
	boot->kernel_trap_entry = colinux_trap_entry;
	strscpy(boot_command_line, boot->cmdline, COMMAND_LINE_SIZE);

	start_kernel();
}

static void __init colinux_initrd_init(void)
{
#ifdef CONFIG_BLK_DEV_INITRD
	u64 start = colinux_boot->initrd_start;
	u64 size = colinux_boot->initrd_size;

	if (!size)
		return;
	if (start < __pa(_end) || start + size > colinux_boot->mem_size) {
		pr_err("initrd at %#llx+%#llx lies outside free RAM: ignored\n",
		       start, size);
		return;
	}
	memblock_reserve(start, size);
	initrd_start = (unsigned long)__va(start);
	initrd_end = initrd_start + size;
#endif
}

void __init setup_arch(char **cmdline_p)
{
	u64 mem = colinux_boot->mem_size;

	colinux_console_init();
	colinux_panic_init();
	*cmdline_p = boot_command_line;

	init_mm.start_code = (unsigned long)_text;
	init_mm.end_code = (unsigned long)_etext;
	init_mm.end_data = (unsigned long)_edata;
	init_mm.brk = (unsigned long)_end;

	parse_early_param();

	memblock_add(0, mem);
	memblock_reserve(0, __pa(_end));
	colinux_initrd_init();

	min_low_pfn = PFN_UP(__pa(_end));
	max_low_pfn = PFN_DOWN(mem);
	max_pfn = max_low_pfn;
	high_memory = __va(mem);
	pr_info("colinux: %llu MiB of guest RAM at %#lx, kernel image %lu KiB\n",
		mem >> 20, PAGE_OFFSET, __pa(_end) >> 10);

	paging_init();
}

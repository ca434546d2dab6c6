/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest kernel is linked where guest physical address 0 sits in the
 * monitor (PAGE_OFFSET == COLINUX_PHYS_BASE): the monitor copies each
 * PT_LOAD segment to the same offset in guest RAM.
 */
#include <asm/page.h>
#include <asm/cache.h>
#include <asm/thread_info.h>

/* The notes (with the passage version) get their own PT_NOTE too. */
#define EMITS_PT_NOTE

#include <asm-generic/vmlinux.lds.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(colinux_entry)

jiffies = jiffies_64;

PHDRS {
	text PT_LOAD FLAGS(5);		/* R_X */
	data PT_LOAD FLAGS(6);		/* RW_ */
	note PT_NOTE FLAGS(4);
}

SECTIONS
{
	. = PAGE_OFFSET;
	_text = .;
	_stext = .;
	.text : {
		HEAD_TEXT
		TEXT_TEXT
		SCHED_TEXT
		CPUIDLE_TEXT
		LOCK_TEXT
		KPROBES_TEXT
		IRQENTRY_TEXT
		SOFTIRQENTRY_TEXT
		ENTRY_TEXT
		*(.fixup)
		*(.gnu.warning)
	} :text
	_etext = .;

	EXCEPTION_TABLE(16)

	. = ALIGN(PAGE_SIZE);
	RO_DATA(PAGE_SIZE)

	. = ALIGN(PAGE_SIZE);
	.data_begin : { } :data
	__init_begin = .;
	INIT_TEXT_SECTION(PAGE_SIZE)
	INIT_DATA_SECTION(16)
	PERCPU_SECTION(L1_CACHE_BYTES)
	. = ALIGN(PAGE_SIZE);
	__init_end = .;

	_sdata = .;
	RW_DATA(L1_CACHE_BYTES, PAGE_SIZE, THREAD_SIZE)
	_edata = .;

	BSS_SECTION(PAGE_SIZE, PAGE_SIZE, PAGE_SIZE)
	. = ALIGN(PAGE_SIZE);
	_end = .;

	STABS_DEBUG
	DWARF_DEBUG
	ELF_DETAILS

	DISCARDS
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Where the host vDSO is and what in it the guest may call. The layout
 * is read once in the monitor; each stub moves its own copy (stub.c).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <colinux/passage.h>
#include "host_vdso.h"

#define MAPPINGS_MAX	8

uint64_t host_vdso_symbol(const uint8_t *base, size_t len, const char *name)
{
	const Elf64_Ehdr *eh = (const void *)base;
	const Elf64_Shdr *sh;
	unsigned int i;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(*sh) || eh->e_shoff > len ||
	    (uint64_t)eh->e_shnum * sizeof(*sh) > len - eh->e_shoff)
		return 0;
	sh = (const void *)(base + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *strs;
		const Elf64_Sym *syms;
		uint64_t n, j;

		if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
			continue;
		strs = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > len || sh[i].sh_size > len - sh[i].sh_offset ||
		    strs->sh_offset > len || strs->sh_size > len - strs->sh_offset)
			return 0;
		syms = (const void *)(base + sh[i].sh_offset);
		n = sh[i].sh_size / sizeof(*syms);
		for (j = 0; j < n; j++) {
			uint64_t at = syms[j].st_name;

			if (at < strs->sh_size &&
			    !strncmp((const char *)base + strs->sh_offset + at,
				     name, strs->sh_size - at) &&
			    syms[j].st_value && syms[j].st_value < len)
				return syms[j].st_value;
		}
	}
	return 0;
}

uint64_t host_vdso_layout(char *arg, size_t cap, const char **why)
{
	uint64_t lo[MAPPINGS_MAX], hi[MAPPINGS_MAX];
	uint64_t vdso = getauxval(AT_SYSINFO_EHDR), vdso_end = 0, fn;
	unsigned int n = 0, i;
	char line[512];
	size_t len;
	FILE *f;

	*why = "the host gives this process no vDSO";
	if (!vdso)
		return 0;
	f = fopen("/proc/self/maps", "re");
	if (!f) {
		*why = "cannot read /proc/self/maps";
		return 0;
	}
	/* [vvar...] mappings, then [vdso], back to back. */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;

		if ((!strstr(line, "[vvar") && !strstr(line, "[vdso]")) ||
		    sscanf(line, "%llx-%llx", &a, &b) != 2)
			continue;
		if (n == MAPPINGS_MAX || (n && a != hi[n - 1])) {
			n = 0;
			break;
		}
		lo[n] = a;
		hi[n++] = b;
		if (a == vdso)
			vdso_end = b;
	}
	fclose(f);
	*why = "the host vDSO and its data are not one block we can move";
	if (!n || !vdso_end || hi[n - 1] != vdso_end ||
	    vdso_end - lo[0] > COLINUX_STUB_HOST_VDSO_MAX)
		return 0;
	*why = "the host vDSO has no __vdso_clock_gettime";
	fn = host_vdso_symbol((const uint8_t *)vdso, vdso_end - vdso,
			      "__vdso_clock_gettime");
	if (!fn)
		return 0;

	len = (size_t)snprintf(arg, cap, "%llx",
			       (unsigned long long)(vdso - lo[0]));
	for (i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(arg + len, cap - len, ";%llx:%llx",
					(unsigned long long)(lo[i] - lo[0]),
					(unsigned long long)(hi[i] - lo[i]));
	*why = "layout too long";
	if (len >= cap)
		return 0;
	*why = NULL;
	return COLINUX_STUB_HOST_VDSO + (vdso - lo[0]) + fn;
}

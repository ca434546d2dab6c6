// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM: one memfd, mapped at COLINUX_PHYS_BASE so that the kernel,
 * linked there, finds its image and all of RAM where it expects them.
 * Above it, the kernel's vmalloc window is reserved inaccessible and
 * filled, page run by page run, when the kernel asks (passage map/unmap).
 * The monitor is a PIE, so nothing of its own lies in these ranges; we
 * still ask with MAP_FIXED_NOREPLACE and say so if something does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "guest.h"

#define VMALLOC_SIZE	(COLINUX_VMALLOC_END - COLINUX_VMALLOC_START)

static int reserve_fixed(uint64_t addr, uint64_t len, int prot, int flags,
			 int fd, const char *what, char *err, size_t errlen)
{
	void *p = mmap((void *)addr, len, prot, flags | MAP_FIXED_NOREPLACE,
		       fd, 0);

	if (p == MAP_FAILED) {
		int e = errno;

		snprintf(err, errlen,
			 "cannot place %s at %#llx (%llu MiB): %s%s", what,
			 (unsigned long long)addr,
			 (unsigned long long)(len >> 20), strerror(e),
			 e == ENOMEM ? " (is `ulimit -v` too small?)" : "");
		return -e;
	}
	if ((uint64_t)p != addr) {	/* a kernel without NOREPLACE */
		munmap(p, len);
		snprintf(err, errlen, "cannot place %s at %#llx: the host kernel put it at %p (Linux 4.17 or later is needed)",
			 what, (unsigned long long)addr, p);
		return -EEXIST;
	}
	return 0;
}

int guest_memory_init(struct guest *g, uint64_t mem_size, char *err,
		      size_t errlen)
{
	int ret;

	g->mem_size = mem_size;
	g->mem_fd = memfd_create("colinux-ram", MFD_CLOEXEC);
	if (g->mem_fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "memfd_create for guest RAM: %s",
			 strerror(errno));
		return ret;
	}
	if (ftruncate(g->mem_fd, (off_t)mem_size) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot size guest RAM to %llu MiB: %s",
			 (unsigned long long)(mem_size >> 20), strerror(errno));
		goto out_close;
	}
	ret = reserve_fixed(COLINUX_PHYS_BASE, mem_size,
			    PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED,
			    g->mem_fd, "guest RAM", err, errlen);
	if (ret)
		goto out_close;
	g->ram = (uint8_t *)COLINUX_PHYS_BASE;

	ret = reserve_fixed(COLINUX_VMALLOC_START, VMALLOC_SIZE, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			    "the kernel's vmalloc window", err, errlen);
	if (ret)
		goto out_unmap;
	return 0;

out_unmap:
	munmap(g->ram, mem_size);
	g->ram = NULL;
out_close:
	close(g->mem_fd);
	g->mem_fd = -1;
	return ret;
}

void guest_memory_fini(struct guest *g)
{
	if (!g->ram)
		return;
	munmap((void *)COLINUX_VMALLOC_START, VMALLOC_SIZE);
	munmap(g->ram, g->mem_size);
	close(g->mem_fd);
	g->ram = NULL;
}

static int in_vmalloc_window(uint64_t vaddr, uint64_t len)
{
	return !(vaddr & 4095) && !(len & 4095) && len &&
	       vaddr >= COLINUX_VMALLOC_START &&
	       len <= COLINUX_VMALLOC_END - vaddr;
}

/* Passage map: the kernel is trusted, but a wrong request is a bug to name. */
int guest_memory_map(uint64_t vaddr, uint64_t phys, uint64_t len, int prot)
{
	struct guest *g = guest_current;
	int hprot = 0;

	if (!in_vmalloc_window(vaddr, len) || (phys & 4095) ||
	    phys > g->mem_size || len > g->mem_size - phys)
		return -EINVAL;
	if (prot & COLINUX_PROT_READ)
		hprot |= PROT_READ;
	if (prot & COLINUX_PROT_WRITE)
		hprot |= PROT_WRITE;
	if (prot & COLINUX_PROT_EXEC)
		hprot |= PROT_EXEC;
	if (mmap((void *)vaddr, len, hprot, MAP_SHARED | MAP_FIXED, g->mem_fd,
		 (off_t)phys) == MAP_FAILED)
		return -errno;
	return 0;
}

int guest_memory_unmap(uint64_t vaddr, uint64_t len)
{
	if (!in_vmalloc_window(vaddr, len))
		return -EINVAL;
	if (mmap((void *)vaddr, len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		return -errno;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The device bus: a table of virtio-mmio windows, indexed by the guest-
 * physical address the kernel's accessors pass through the passage. An
 * access outside every window reads as zero and is logged once: it is
 * a guest driver bug, not a reason to stop the monitor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "devices.h"
#include "virtio/console.h"
#include "virtio/rng.h"

struct device_slot {
	struct virtio_mmio mmio;
	struct guest *g;
	unsigned int line;
};

static struct device_slot slots[COLINUX_MMIO_DEVICES];
static unsigned int nslots;
static struct vq_ram ram;
static struct blk_disk *disks[DEVICES_DISKS_MAX];
static unsigned int ndisks;

int devices_open_disk(const struct blk_spec *spec, char *err, size_t errlen)
{
	char name[8];
	int ret;

	if (ndisks == DEVICES_DISKS_MAX) {
		snprintf(err, errlen, "--disk %s: at most %d disks", spec->path,
			 DEVICES_DISKS_MAX);
		return -E2BIG;
	}
	snprintf(name, sizeof(name), "vd%c", 'a' + ndisks);
	ret = blk_open(&disks[ndisks], spec, name, err, errlen);
	if (!ret)
		ndisks++;
	return ret;
}

unsigned int devices_ndisks(void)
{
	return ndisks;
}

static void raise_line(void *ctx)
{
	struct device_slot *s = ctx;

	vcpu_raise_irq(s->g, s->line);
}

static struct virtio_mmio *add(struct guest *g, struct virtio_device *dev,
			       char *cmdline, size_t cap)
{
	struct device_slot *s = &slots[nslots];
	size_t len = strlen(cmdline);

	s->g = g;
	s->line = COLINUX_IRQ_VIRTIO + nslots;
	virtio_mmio_init(&s->mmio, dev, &ram, raise_line, s);
	snprintf(cmdline + len, cap - len, "%svirtio_mmio.device=4K@0x%llx:%u",
		 len ? " " : "",
		 (unsigned long long)(COLINUX_MMIO_BASE +
				      nslots * COLINUX_MMIO_STRIDE),
		 s->line);
	nslots++;
	return &s->mmio;
}

int devices_attach(struct guest *g, char *cmdline, size_t cap, char *err,
		   size_t errlen)
{
	unsigned int i;
	int ret;

	ram.base = g->ram;
	ram.size = g->mem_size;
	/* Each window takes ~40 bytes of command line. */
	if (strlen(cmdline) + 48 * (ndisks + 2) >= cap) {
		snprintf(err, errlen, "kernel command line too long for the devices");
		return -E2BIG;
	}
	for (i = 0; i < ndisks; i++) {
		struct virtio_mmio *m = add(g, blk_device(disks[i]), cmdline,
					    cap);

		ret = blk_start(disks[i], m, err, errlen);
		if (ret)
			return ret;
	}
	add(g, vconsole_device(), cmdline, cap);
	add(g, rng_device(), cmdline, cap);
	return 0;
}

void devices_set_cpu(int cpu)
{
	unsigned int i;

	for (i = 0; i < ndisks; i++)
		blk_set_cpu(disks[i], cpu);
}

static struct virtio_mmio *window(uint64_t phys, uint64_t *offset)
{
	static int warned;
	uint64_t n = (phys - COLINUX_MMIO_BASE) / COLINUX_MMIO_STRIDE;

	if (phys >= COLINUX_MMIO_BASE && n < nslots) {
		*offset = (phys - COLINUX_MMIO_BASE) % COLINUX_MMIO_STRIDE;
		return &slots[n].mmio;
	}
	if (!warned++)
		fprintf(stderr, "colinux: guest access to 0x%llx: no device there\n",
			(unsigned long long)phys);
	return NULL;
}

uint64_t host_mmio_read(uint64_t phys, uint32_t size)
{
	uint64_t offset;
	struct virtio_mmio *m = window(phys, &offset);

	return m ? virtio_mmio_read(m, offset, size) : 0;
}

void host_mmio_write(uint64_t phys, uint32_t size, uint64_t value)
{
	uint64_t offset;
	struct virtio_mmio *m = window(phys, &offset);

	if (m)
		virtio_mmio_write(m, offset, size, value);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's devices: virtio-mmio windows at COLINUX_MMIO_BASE, one
 * interrupt line each, named on the kernel command line. Disks come
 * first, so --disk order is vda, vdb, ...
 */
#ifndef COLINUX_ENGINE_DEVICES_H
#define COLINUX_ENGINE_DEVICES_H

#include <stddef.h>
#include <stdint.h>
#include "guest.h"
#include "virtio/blk.h"

#define DEVICES_DISKS_MAX	8

/* Check and lock a --disk before anything boots. 0 or -errno, err set. */
int devices_open_disk(const struct blk_spec *spec, char *err, size_t errlen);
unsigned int devices_ndisks(void);

/*
 * Once guest RAM exists: put every opened disk, the console (hvc0) and
 * the rng on the
 * bus and start their threads. Appends the virtio_mmio.device= words to
 * cmdline (capacity cap). 0 or -errno with err set.
 */
int devices_attach(struct guest *g, char *cmdline, size_t cap, char *err,
		   size_t errlen);

/*
 * Put the device threads on the vCPU's CPU (called by the vCPU thread
 * once it is pinned): on this kind of host a wake-up that crosses CPUs
 * costs tens of microseconds, one on the same CPU a few. The I/O itself
 * still overlaps guest code: a thread waiting on the disk uses no CPU.
 */
void devices_set_cpu(int cpu);

/* passage_host_ops.mmio_read / mmio_write */
uint64_t host_mmio_read(uint64_t phys, uint32_t size);
void host_mmio_write(uint64_t phys, uint32_t size, uint64_t value);

#endif

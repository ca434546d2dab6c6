/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-blk over a regular host file (colinux run --disk FILE[,ro]).
 * Requests run on the disk's own I/O thread through io_uring, straight
 * between the file and guest RAM; the vCPU only rings a doorbell.
 */
#ifndef COLINUX_VIRTIO_BLK_H
#define COLINUX_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include "mmio.h"

struct blk_disk;

/* One --disk argument: "FILE" or "FILE,ro" (also "FILE,rw"). */
struct blk_spec {
	char path[4096];
	bool ro;
};

/* 0, or -EINVAL with err naming the argument and the fix. */
int blk_spec_parse(const char *arg, struct blk_spec *spec, char *err,
		   size_t errlen);

/*
 * Open and lock the disk file, named `name` (vda, vdb, ...) in messages:
 * it must be a regular file, readable (and writable unless ro), a
 * multiple of 512 bytes, and not in use by another monitor (an OFD lock:
 * shared for ro, exclusive for rw). 0 or -errno with err filled.
 */
int blk_open(struct blk_disk **disk, const struct blk_spec *spec,
	     const char *name, char *err, size_t errlen);

/* The disk's device model, for the transport. */
struct virtio_device *blk_device(struct blk_disk *disk);

/* Start the I/O thread; m is the device's transport. */
int blk_start(struct blk_disk *disk, struct virtio_mmio *m, char *err,
	      size_t errlen);

/* Run the I/O thread on host CPU cpu. */
void blk_set_cpu(struct blk_disk *disk, int cpu);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One virtio-blk request as the guest laid it out in a chain (5.2.6): a
 * 16-byte header to read, data, and a status byte to write last. The
 * parse checks the layout and the sector range against the disk, so
 * the I/O code only ever sees a request it can run as is.
 */
#ifndef COLINUX_VIRTIO_BLK_REQUEST_H
#define COLINUX_VIRTIO_BLK_REQUEST_H

#include <stdbool.h>
#include <stdint.h>
#include "virtqueue.h"

struct blk_request {
	uint32_t type;		/* VIRTIO_BLK_T_* */
	uint64_t offset;	/* byte offset in the disk file */
	uint64_t len;		/* bytes of data */
	/* The data buffers (for IN and OUT, and GET_ID), in order. */
	struct iovec iov[VQ_CHAIN_MAX];
	unsigned int niov;
	uint8_t *status;	/* NULL: the chain has no room for it */
	uint32_t written;	/* bytes the device writes into the chain */
};

/* A disk as requests see it. */
struct blk_geometry {
	uint64_t sectors;	/* capacity in 512-byte sectors */
	bool ro;
};

/*
 * Read the request in chain c. Returns VIRTIO_BLK_S_OK with r filled,
 * or VIRTIO_BLK_S_IOERR / VIRTIO_BLK_S_UNSUPP: the request is not run,
 * and r->status (when not NULL) is where that answer goes.
 */
int blk_request_parse(const struct vq_chain *c,
		      const struct blk_geometry *disk, struct blk_request *r);

/*
 * DISCARD and WRITE_ZEROES carry segments (struct
 * virtio_blk_discard_write_zeroes) as data: segment i, checked against
 * the disk. 0; VIRTIO_BLK_S_UNSUPP for flags we do not implement (unmap
 * on a discard, unknown ones); VIRTIO_BLK_S_IOERR for a bad range or i
 * past the end.
 */
int blk_request_segment(const struct blk_request *r,
			const struct blk_geometry *disk, unsigned int i,
			uint64_t *offset, uint64_t *len, uint32_t *flags);

#endif

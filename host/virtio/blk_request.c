// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk request layout (virtio 1.x, 5.2.6). The header may share a
 * buffer with data and the status byte may share one with data: only
 * the byte order of the chain counts, not where buffers split.
 */
#include <linux/virtio_blk.h>
#include <string.h>
#include "blk_request.h"

#define SECTOR	512ULL

/* Copy len bytes at byte offset off of the iovecs into dst; 0 or -1. */
static int iov_read(const struct iovec *iov, unsigned int n, uint64_t off,
		    void *dst, uint64_t len)
{
	uint8_t *out = dst;
	unsigned int i;

	for (i = 0; i < n && len; i++) {
		uint64_t take;

		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		take = iov[i].iov_len - off;
		if (take > len)
			take = len;
		memcpy(out, (uint8_t *)iov[i].iov_base + off, take);
		out += take;
		len -= take;
		off = 0;
	}
	return len ? -1 : 0;
}

/* Describe bytes [off, off+len) of the iovecs in r->iov. */
static void iov_slice(struct blk_request *r, const struct iovec *iov,
		      unsigned int n, uint64_t off, uint64_t len)
{
	unsigned int i;

	r->niov = 0;
	for (i = 0; i < n && len; i++) {
		uint64_t take;

		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		take = iov[i].iov_len - off;
		if (take > len)
			take = len;
		r->iov[r->niov++] = (struct iovec){
			(uint8_t *)iov[i].iov_base + off, take
		};
		len -= take;
		off = 0;
	}
}

static int in_range(const struct blk_geometry *disk, uint64_t sector,
		    uint64_t bytes)
{
	return !(bytes % SECTOR) && sector <= disk->sectors &&
	       bytes / SECTOR <= disk->sectors - sector;
}

int blk_request_parse(const struct vq_chain *c,
		      const struct blk_geometry *disk, struct blk_request *r)
{
	const struct iovec *wr = c->iov + c->nread;
	struct virtio_blk_outhdr h;
	const struct iovec *last;
	uint64_t data_in;

	r->type = 0;
	r->offset = r->len = 0;
	r->niov = 0;
	r->status = NULL;
	r->written = 0;
	if (!c->nwrite)
		return VIRTIO_BLK_S_IOERR;	/* nowhere to answer */
	last = &wr[c->nwrite - 1];
	r->status = (uint8_t *)last->iov_base + last->iov_len - 1;
	r->written = 1;
	if (c->read_len < sizeof(h) ||
	    iov_read(c->iov, c->nread, 0, &h, sizeof(h)))
		return VIRTIO_BLK_S_IOERR;
	r->type = h.type;
	data_in = c->write_len - 1;	/* writable bytes before the status */

	switch (h.type) {
	case VIRTIO_BLK_T_IN:
		if (c->read_len != sizeof(h) ||
		    !in_range(disk, h.sector, data_in))
			return VIRTIO_BLK_S_IOERR;
		r->offset = h.sector * SECTOR;
		r->len = data_in;
		iov_slice(r, wr, c->nwrite, 0, data_in);
		r->written = (uint32_t)(data_in + 1);
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_OUT:
		if (data_in || disk->ro ||
		    !in_range(disk, h.sector, c->read_len - sizeof(h)))
			return VIRTIO_BLK_S_IOERR;
		r->offset = h.sector * SECTOR;
		r->len = c->read_len - sizeof(h);
		iov_slice(r, c->iov, c->nread, sizeof(h), r->len);
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_FLUSH:
		return data_in || c->read_len != sizeof(h) ?
		       VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID:
		if (data_in < VIRTIO_BLK_ID_BYTES)
			return VIRTIO_BLK_S_IOERR;
		r->len = VIRTIO_BLK_ID_BYTES;
		iov_slice(r, wr, c->nwrite, 0, VIRTIO_BLK_ID_BYTES);
		r->written = VIRTIO_BLK_ID_BYTES + 1;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		r->len = c->read_len - sizeof(h);
		if (data_in || disk->ro || !r->len ||
		    r->len % sizeof(struct virtio_blk_discard_write_zeroes))
			return VIRTIO_BLK_S_IOERR;
		iov_slice(r, c->iov, c->nread, sizeof(h), r->len);
		return VIRTIO_BLK_S_OK;
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

int blk_request_segment(const struct blk_request *r,
			const struct blk_geometry *disk, unsigned int i,
			uint64_t *offset, uint64_t *len, uint32_t *flags)
{
	struct virtio_blk_discard_write_zeroes s;
	uint64_t at = (uint64_t)i * sizeof(s);

	if (at >= r->len || iov_read(r->iov, r->niov, at, &s, sizeof(s)))
		return VIRTIO_BLK_S_IOERR;
	/* Flags we do not know, and unmap on a discard, are not supported
	 * (5.2.6.2), not an error. */
	if ((s.flags & ~VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP) ||
	    (r->type == VIRTIO_BLK_T_DISCARD && s.flags))
		return VIRTIO_BLK_S_UNSUPP;
	if (!s.num_sectors ||
	    !in_range(disk, s.sector, (uint64_t)s.num_sectors * SECTOR))
		return VIRTIO_BLK_S_IOERR;
	*offset = s.sector * SECTOR;
	*len = (uint64_t)s.num_sectors * SECTOR;
	*flags = s.flags;
	return 0;
}

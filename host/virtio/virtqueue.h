/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues (virtio 1.x, 2.7) as the device sees them, over guest
 * RAM. Everything in a ring is written by the guest and trusted in
 * nothing: each field is read once, every address is checked to lie in
 * RAM, and a chain that loops, runs too long, leaves RAM, nests indirect
 * tables or puts a readable buffer after a writable one breaks the queue
 * (vq->broken) instead of being used. The device then stops serving the
 * queue until the driver resets it.
 *
 * One thread at a time may pop and push on a queue; setup and reset are
 * the transport's, done while the device does not use the queue.
 */
#ifndef COLINUX_VIRTIO_VIRTQUEUE_H
#define COLINUX_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

/* Guest RAM as the device reaches it: guest-physical 0 at base. */
struct vq_ram {
	uint8_t *base;
	uint64_t size;
};

#define VQ_NUM_MAX	1024	/* the largest queue a device offers */
#define VQ_CHAIN_MAX	256	/* buffers in one chain, at most */

/* One request: its readable buffers, then its writable ones. */
struct vq_chain {
	uint16_t head;
	unsigned int nread, nwrite;	/* iov[0..nread), then nwrite more */
	uint64_t read_len, write_len;	/* bytes */
	struct iovec iov[VQ_CHAIN_MAX];
};

struct virtqueue {
	const struct vq_ram *ram;
	uint16_t num;
	bool event_idx;		/* VIRTIO_F_EVENT_IDX negotiated */
	bool indirect;		/* VIRTIO_F_INDIRECT_DESC negotiated */
	bool broken;		/* a bad ring was seen: serve nothing more */
	const char *error;	/* why it broke, for the monitor's log */

	/* Host addresses of the three areas, checked at setup. */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;

	uint16_t last_avail;	/* next avail entry to take */
	uint16_t used_idx;	/* next used entry to fill */
	uint16_t signalled_used;	/* used_idx at the last interrupt */
	bool signalled_valid;
};

/*
 * Point vq at a ring the driver placed at guest-physical desc, avail and
 * used with num entries. 0, or -EINVAL (error names why) if num is not a
 * power of two up to VQ_NUM_MAX, or an area is misaligned or not in RAM.
 */
int vq_setup(struct virtqueue *vq, const struct vq_ram *ram, uint16_t num,
	     uint64_t desc, uint64_t avail, uint64_t used, bool event_idx,
	     bool indirect, const char **error);

/*
 * Take the next available chain into c. 1: c holds it; 0: none waiting;
 * -EIO: the ring is bad, vq->broken and vq->error are set.
 */
int vq_pop(struct virtqueue *vq, struct vq_chain *c);

/* Return chain head to the driver with len bytes written into it. */
void vq_push(struct virtqueue *vq, uint16_t head, uint32_t len);

/* After pushes: does the driver want an interrupt for them? */
bool vq_should_notify(struct virtqueue *vq);

#endif

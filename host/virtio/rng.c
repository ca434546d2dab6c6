// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng (5.4): one queue of writable buffers, filled from the host's
 * getrandom on the vCPU thread when the driver notifies. getrandom does
 * not block once the host pool is ready, so no thread of its own is
 * needed.
 */
#include <errno.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include <sys/random.h>
#include "rng.h"

static void fill(const struct iovec *iov, unsigned int n, uint32_t *done)
{
	unsigned int i;

	*done = 0;
	for (i = 0; i < n; i++) {
		size_t at = 0;

		while (at < iov[i].iov_len) {
			ssize_t got = getrandom((char *)iov[i].iov_base + at,
						iov[i].iov_len - at, 0);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				return;
			at += (size_t)got;
			*done += (uint32_t)got;
		}
	}
}

static void rng_notify(struct virtio_mmio *m, unsigned int q)
{
	static struct vq_chain chain;	/* only the vCPU thread notifies */
	struct virtqueue *vq;
	int pushed = 0;

	pthread_mutex_lock(&m->lock);
	while ((vq = virtio_mmio_queue(m, q))) {
		uint32_t done;
		int ret = vq_pop(vq, &chain);

		if (ret < 0)
			virtio_mmio_fail(m, vq->error);
		if (ret <= 0)
			break;
		/* Readable buffers mean nothing to this device. */
		fill(chain.iov + chain.nread, chain.nwrite, &done);
		vq_push(vq, chain.head, done);
		pushed = 1;
	}
	if (pushed && virtio_mmio_queue(m, q))
		virtio_mmio_used(m, q);
	pthread_mutex_unlock(&m->lock);
}

static struct virtio_device rng = {
	.name = "rng",
	.device_id = VIRTIO_ID_RNG,
	.features = (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
		    (1ULL << VIRTIO_RING_F_EVENT_IDX),
	.nqueues = 1,
	.queue_max = 64,
	.notify = rng_notify,
};

struct virtio_device *rng_device(void)
{
	return &rng;
}

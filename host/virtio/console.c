// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console (5.3), one port, no multiport: receiveq 0 and
 * transmitq 1. Transmit runs on the vCPU thread when the driver
 * notifies: the bytes go to standard output before the notify returns,
 * so what a guest program printed is on the host terminal (or in its
 * log file) by the time the program goes on. Receive is fed by the
 * console input thread, under the transport lock.
 */
#include <errno.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include <string.h>
#include <unistd.h>
#include "console.h"

#define RX	0
#define TX	1

static struct virtio_mmio *console_mmio;
static void (*rx_ready)(void);

static void write_all(const struct iovec *iov, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;

		while (left) {
			ssize_t w = write(1, p, left);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return;	/* stdout is gone: output is lost */
			p += w;
			left -= (size_t)w;
		}
	}
}

static void transmit(struct virtio_mmio *m)
{
	static struct vq_chain chain;	/* only the vCPU thread transmits */
	struct virtqueue *vq;
	int pushed = 0;

	while ((vq = virtio_mmio_queue(m, TX))) {
		int ret = vq_pop(vq, &chain);

		if (ret < 0)
			virtio_mmio_fail(m, vq->error);
		if (ret <= 0)
			break;
		write_all(chain.iov, chain.nread);
		vq_push(vq, chain.head, 0);
		pushed = 1;
	}
	if (pushed && virtio_mmio_queue(m, TX))
		virtio_mmio_used(m, TX);
}

static void vconsole_notify(struct virtio_mmio *m, unsigned int q)
{
	console_mmio = m;
	if (q == TX) {
		pthread_mutex_lock(&m->lock);
		transmit(m);
		pthread_mutex_unlock(&m->lock);
	} else if (rx_ready) {
		rx_ready();
	}
}

long vconsole_input(const char *buf, size_t len)
{
	static struct vq_chain chain;	/* only the console thread receives */
	struct virtio_mmio *m = console_mmio;
	struct virtqueue *vq;
	size_t done = 0;

	if (!m)
		return -1;
	pthread_mutex_lock(&m->lock);
	if (!virtio_mmio_queue(m, RX)) {
		pthread_mutex_unlock(&m->lock);
		return -1;
	}
	while (done < len && (vq = virtio_mmio_queue(m, RX))) {
		uint32_t got = 0;
		unsigned int i;
		int ret = vq_pop(vq, &chain);

		if (ret < 0)
			virtio_mmio_fail(m, vq->error);
		if (ret <= 0)
			break;
		for (i = chain.nread; i < chain.nread + chain.nwrite &&
		     done < len; i++) {
			size_t n = chain.iov[i].iov_len;

			if (n > len - done)
				n = len - done;
			memcpy(chain.iov[i].iov_base, buf + done, n);
			done += n;
			got += (uint32_t)n;
		}
		vq_push(vq, chain.head, got);
	}
	if (done && virtio_mmio_queue(m, RX))
		virtio_mmio_used(m, RX);
	pthread_mutex_unlock(&m->lock);
	return (long)done;
}

void vconsole_set_rx_ready(void (*fn)(void))
{
	rx_ready = fn;
}

static void vconsole_start(struct virtio_mmio *m)
{
	console_mmio = m;
}

static struct virtio_device vconsole = {
	.name = "hvc0",
	.device_id = VIRTIO_ID_CONSOLE,
	.features = (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
		    (1ULL << VIRTIO_RING_F_EVENT_IDX),
	.nqueues = 2,
	.queue_max = 64,
	.notify = vconsole_notify,
	.start = vconsole_start,
};

struct virtio_device *vconsole_device(void)
{
	return &vconsole;
}

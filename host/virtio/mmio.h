/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio-mmio transport (virtio 1.x, 4.2.2; modern devices only):
 * the register window the guest's virtio_mmio driver reads and writes
 * through the passage, feature negotiation, queue setup and the
 * interrupt status. A device model (blk, rng, console) fills in a
 * struct virtio_device and is told when its queues are notified, when
 * the driver is ready and when it resets the device.
 *
 * Register accesses arrive on the vCPU thread; a device may complete
 * requests on its own threads and call virtio_mmio_interrupt there.
 */
#ifndef COLINUX_VIRTIO_MMIO_H
#define COLINUX_VIRTIO_MMIO_H

#include <pthread.h>
#include <stdint.h>
#include "virtqueue.h"

#define VIRTIO_QUEUES_MAX	4

struct virtio_mmio;

struct virtio_device {
	const char *name;		/* for messages: "vda", "rng", ... */
	uint32_t device_id;		/* VIRTIO_ID_* */
	uint64_t features;		/* VIRTIO_F_VERSION_1 is added */
	unsigned int nqueues;
	uint16_t queue_max;		/* entries per queue, power of two */
	const void *config;		/* device configuration space */
	uint32_t config_len;
	void *priv;

	/* The driver made buffers available on queue q (vCPU thread). */
	void (*notify)(struct virtio_mmio *m, unsigned int q);
	/* DRIVER_OK: the queues are live (vCPU thread). */
	void (*start)(struct virtio_mmio *m);
	/*
	 * The driver resets the device (vCPU thread, m->lock held, the
	 * queues already not ready): when this returns, the device no
	 * longer touches any queue. It may wait for its threads on a
	 * condition variable with m->lock.
	 */
	void (*reset)(struct virtio_mmio *m);
};

struct virtio_mmio_queue {
	uint16_t num;
	uint32_t ready;
	uint64_t desc, avail, used;
	struct virtqueue vq;
};

struct virtio_mmio {
	struct virtio_device *dev;
	const struct vq_ram *ram;
	/* Raise the device's interrupt line (any thread). */
	void (*raise_irq)(void *ctx);
	void *irq_ctx;

	/* Taken around every register access and by device threads that
	 * pop or push, so a reset never races a queue's users. */
	pthread_mutex_t lock;
	uint32_t status;
	uint32_t device_features_sel, driver_features_sel;
	uint64_t driver_features;
	uint32_t queue_sel;
	uint32_t interrupt_status;	/* atomic: device threads set bits */
	uint32_t config_generation;
	struct virtio_mmio_queue queues[VIRTIO_QUEUES_MAX];
};

void virtio_mmio_init(struct virtio_mmio *m, struct virtio_device *dev,
		      const struct vq_ram *ram,
		      void (*raise_irq)(void *ctx), void *irq_ctx);

/* A guest register access at offset in the window (size 1, 2, 4, 8). */
uint64_t virtio_mmio_read(struct virtio_mmio *m, uint64_t offset,
			  unsigned int size);
void virtio_mmio_write(struct virtio_mmio *m, uint64_t offset,
		       unsigned int size, uint64_t value);

/* Queue q if the driver made it ready and it is not broken, else NULL.
 * Call with m->lock held. */
struct virtqueue *virtio_mmio_queue(struct virtio_mmio *m, unsigned int q);

/* Was VIRTIO feature bit `bit` negotiated? */
static inline int virtio_mmio_has(const struct virtio_mmio *m,
				  unsigned int bit)
{
	return (m->driver_features >> bit) & 1;
}

/* After pushes on q (lock held): interrupt the driver if it wants one. */
void virtio_mmio_used(struct virtio_mmio *m, unsigned int q);

/*
 * The device hit a ring the driver broke: stop serving it, set
 * DEVICE_NEEDS_RESET and tell the driver (lock held).
 */
void virtio_mmio_fail(struct virtio_mmio *m, const char *why);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-mmio registers (virtio 1.x, 4.2.2). The guest driver is not
 * trusted: a bad register, width or value is logged and ignored, a bad
 * queue setup leaves the device in DEVICE_NEEDS_RESET, and nothing the
 * driver writes reaches a device's queue before it is checked.
 */
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>
#include <stdio.h>
#include <string.h>
#include "mmio.h"

#define VIRTIO_MMIO_MAGIC	0x74726976u	/* "virt" */
#define VIRTIO_MMIO_VENDOR	0x554c4f43u	/* "COLU" */

void virtio_mmio_init(struct virtio_mmio *m, struct virtio_device *dev,
		      const struct vq_ram *ram,
		      void (*raise_irq)(void *ctx), void *irq_ctx)
{
	memset(m, 0, sizeof(*m));
	m->dev = dev;
	m->ram = ram;
	m->raise_irq = raise_irq;
	m->irq_ctx = irq_ctx;
	pthread_mutex_init(&m->lock, NULL);
}

static uint64_t device_features(const struct virtio_mmio *m)
{
	return m->dev->features | (1ULL << VIRTIO_F_VERSION_1);
}

static void complain(const struct virtio_mmio *m, const char *what,
		     uint64_t offset, uint64_t value)
{
	fprintf(stderr, "colinux: virtio %s: %s (register 0x%llx, value 0x%llx): ignored\n",
		m->dev->name, what, (unsigned long long)offset,
		(unsigned long long)value);
}

static void interrupt(struct virtio_mmio *m, uint32_t bits)
{
	__atomic_fetch_or(&m->interrupt_status, bits, __ATOMIC_SEQ_CST);
	m->raise_irq(m->irq_ctx);
}

void virtio_mmio_fail(struct virtio_mmio *m, const char *why)
{
	if (m->status & VIRTIO_CONFIG_S_NEEDS_RESET)
		return;
	fprintf(stderr, "colinux: virtio %s: the guest driver broke a queue (%s): device needs reset\n",
		m->dev->name, why);
	m->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	interrupt(m, VIRTIO_MMIO_INT_CONFIG);
}

struct virtqueue *virtio_mmio_queue(struct virtio_mmio *m, unsigned int q)
{
	struct virtio_mmio_queue *mq = &m->queues[q];

	if (q >= m->dev->nqueues || !mq->ready || mq->vq.broken ||
	    !(m->status & VIRTIO_CONFIG_S_DRIVER_OK) ||
	    (m->status & VIRTIO_CONFIG_S_NEEDS_RESET))
		return NULL;
	return &mq->vq;
}

void virtio_mmio_used(struct virtio_mmio *m, unsigned int q)
{
	if (vq_should_notify(&m->queues[q].vq))
		interrupt(m, VIRTIO_MMIO_INT_VRING);
}

static void reset(struct virtio_mmio *m)
{
	unsigned int q;

	/* From here on no device thread finds a queue to push to. */
	m->status = 0;
	for (q = 0; q < VIRTIO_QUEUES_MAX; q++)
		m->queues[q].ready = 0;
	if (m->dev->reset)
		m->dev->reset(m);
	m->device_features_sel = m->driver_features_sel = 0;
	m->driver_features = 0;
	m->queue_sel = 0;
	__atomic_store_n(&m->interrupt_status, 0, __ATOMIC_SEQ_CST);
	memset(m->queues, 0, sizeof(m->queues));
}

static struct virtio_mmio_queue *selected(struct virtio_mmio *m)
{
	return m->queue_sel < m->dev->nqueues ? &m->queues[m->queue_sel] :
						NULL;
}

static void queue_ready(struct virtio_mmio *m, struct virtio_mmio_queue *mq)
{
	const char *why;

	if (!(m->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
		virtio_mmio_fail(m, "queue enabled before the features were accepted");
		return;
	}
	if (vq_setup(&mq->vq, m->ram, mq->num, mq->desc, mq->avail, mq->used,
		     virtio_mmio_has(m, VIRTIO_RING_F_EVENT_IDX),
		     virtio_mmio_has(m, VIRTIO_RING_F_INDIRECT_DESC), &why)) {
		virtio_mmio_fail(m, why);
		return;
	}
	mq->ready = 1;
}

static void set_status(struct virtio_mmio *m, uint32_t status)
{
	uint32_t added = status & ~m->status;

	if (!status) {
		reset(m);
		return;
	}
	if (added & VIRTIO_CONFIG_S_FEATURES_OK) {
		/* Accept only what we offered, and only the modern interface. */
		if ((m->driver_features & ~device_features(m)) ||
		    !virtio_mmio_has(m, VIRTIO_F_VERSION_1))
			status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	}
	/* NEEDS_RESET is ours to set; the driver cannot clear it. */
	status = (status & ~VIRTIO_CONFIG_S_NEEDS_RESET) |
		 (m->status & VIRTIO_CONFIG_S_NEEDS_RESET);
	m->status = status;
	if ((added & VIRTIO_CONFIG_S_DRIVER_OK) && m->dev->start)
		m->dev->start(m);
}

static uint64_t config_read(struct virtio_mmio *m, uint64_t offset,
			    unsigned int size)
{
	uint64_t value = 0;

	if (!size || size > sizeof(value) || offset > m->dev->config_len ||
	    size > m->dev->config_len - offset) {
		complain(m, "config read out of range", offset, size);
		return 0;
	}
	memcpy(&value, (const uint8_t *)m->dev->config + offset, size);
	return value;
}

uint64_t virtio_mmio_read(struct virtio_mmio *m, uint64_t offset,
			  unsigned int size)
{
	struct virtio_mmio_queue *mq;
	uint64_t value = 0;

	if (offset >= VIRTIO_MMIO_CONFIG)
		return config_read(m, offset - VIRTIO_MMIO_CONFIG, size);
	if (size != 4 || (offset & 3)) {
		complain(m, "register read not 32-bit aligned", offset, size);
		return 0;
	}
	pthread_mutex_lock(&m->lock);
	mq = selected(m);
	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		value = VIRTIO_MMIO_MAGIC;
		break;
	case VIRTIO_MMIO_VERSION:
		value = 2;
		break;
	case VIRTIO_MMIO_DEVICE_ID:
		value = m->dev->device_id;
		break;
	case VIRTIO_MMIO_VENDOR_ID:
		value = VIRTIO_MMIO_VENDOR;
		break;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (m->device_features_sel < 2)
			value = (uint32_t)(device_features(m) >>
					   (32 * m->device_features_sel));
		break;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		value = mq ? m->dev->queue_max : 0;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		value = mq ? mq->ready : 0;
		break;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		value = __atomic_load_n(&m->interrupt_status, __ATOMIC_SEQ_CST);
		break;
	case VIRTIO_MMIO_STATUS:
		value = m->status;
		break;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		value = m->config_generation;
		break;
	default:
		complain(m, "read of an unknown or write-only register",
			 offset, 0);
		break;
	}
	pthread_mutex_unlock(&m->lock);
	return value;
}

/* Queue setup registers are writable only while the queue is not ready. */
static void queue_write(struct virtio_mmio *m, uint64_t offset,
			uint32_t value)
{
	struct virtio_mmio_queue *mq = selected(m);
	uint64_t *half = NULL;
	int high = 0;

	if (!mq || mq->ready) {
		complain(m, "queue setup of no queue or a live one", offset,
			 value);
		return;
	}
	switch (offset) {
	case VIRTIO_MMIO_QUEUE_NUM:
		mq->num = (uint16_t)value;
		if (value > m->dev->queue_max || value != mq->num)
			virtio_mmio_fail(m, "queue size above the maximum");
		return;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		high = 1;
		/* fall through */
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
		half = &mq->desc;
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		high = 1;
		/* fall through */
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
		half = &mq->avail;
		break;
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		high = 1;
		/* fall through */
	case VIRTIO_MMIO_QUEUE_USED_LOW:
		half = &mq->used;
		break;
	}
	if (high)
		*half = (*half & 0xffffffffULL) | ((uint64_t)value << 32);
	else
		*half = (*half & ~0xffffffffULL) | value;
}

void virtio_mmio_write(struct virtio_mmio *m, uint64_t offset,
		       unsigned int size, uint64_t value)
{
	struct virtio_mmio_queue *mq;
	unsigned int notify = ~0u;
	uint32_t v = (uint32_t)value;

	if (offset >= VIRTIO_MMIO_CONFIG) {
		/* No device of ours has writable configuration fields. */
		complain(m, "config write", offset, value);
		return;
	}
	if (size != 4 || (offset & 3)) {
		complain(m, "register write not 32-bit aligned", offset, size);
		return;
	}
	pthread_mutex_lock(&m->lock);
	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		m->device_features_sel = v;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (m->driver_features_sel < 2 &&
		    !(m->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
			unsigned int shift = 32 * m->driver_features_sel;

			m->driver_features &= ~(0xffffffffULL << shift);
			m->driver_features |= (uint64_t)v << shift;
		}
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		m->driver_features_sel = v;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		m->queue_sel = v;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		queue_write(m, offset, v);
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		mq = selected(m);
		if (!mq)
			complain(m, "ready for no queue", offset, v);
		else if (v && !mq->ready)
			queue_ready(m, mq);
		else if (!v)
			mq->ready = 0;
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		if (v < m->dev->nqueues)
			notify = v;
		else
			complain(m, "notify of no queue", offset, v);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		__atomic_fetch_and(&m->interrupt_status, ~v, __ATOMIC_SEQ_CST);
		break;
	case VIRTIO_MMIO_STATUS:
		set_status(m, v);
		break;
	default:
		complain(m, "write of an unknown or read-only register",
			 offset, value);
		break;
	}
	pthread_mutex_unlock(&m->lock);
	/* The device takes its own lock to serve the queue. */
	if (notify != ~0u && m->dev->notify)
		m->dev->notify(m, notify);
}

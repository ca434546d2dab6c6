// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueue parsing: see virtqueue.h. The guest may rewrite a ring
 * while we read it, so a descriptor is copied out once and only the copy
 * is checked and used; the chain walk is bounded by the queue size (or
 * the indirect table's), which also ends any loop.
 */
#include <errno.h>
#include <linux/virtio_ring.h>
#include <string.h>
#include "virtqueue.h"

static inline uint16_t load16(const volatile uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Host address of guest [gpa, gpa+len), or NULL if not wholly in RAM. */
static void *ram_at(const struct vq_ram *ram, uint64_t gpa, uint64_t len)
{
	if (gpa > ram->size || len > ram->size - gpa)
		return NULL;
	return ram->base + gpa;
}

static bool areas_overlap(uint64_t a, uint64_t a_len, uint64_t b,
			  uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

int vq_setup(struct virtqueue *vq, const struct vq_ram *ram, uint16_t num,
	     uint64_t desc, uint64_t avail, uint64_t used, bool event_idx,
	     bool indirect, const char **error)
{
	uint64_t desc_len = 16ULL * num, avail_len = 6 + 2ULL * num,
		 used_len = 6 + 8ULL * num;

	memset(vq, 0, sizeof(*vq));
	if (!num || num > VQ_NUM_MAX || (num & (num - 1))) {
		*error = "queue size is not a power of two up to the maximum";
		return -EINVAL;
	}
	if ((desc & 15) || (avail & 1) || (used & 3)) {
		*error = "ring area misaligned";
		return -EINVAL;
	}
	vq->desc = ram_at(ram, desc, desc_len);
	vq->avail = ram_at(ram, avail, avail_len);
	vq->used = ram_at(ram, used, used_len);
	if (!vq->desc || !vq->avail || !vq->used) {
		*error = "ring area outside guest RAM";
		return -EINVAL;
	}
	/*
	 * Overlapping areas would let the device's own used-ring writes
	 * change the avail ring or descriptors it is parsing.
	 */
	if (areas_overlap(desc, desc_len, avail, avail_len) ||
	    areas_overlap(desc, desc_len, used, used_len) ||
	    areas_overlap(avail, avail_len, used, used_len)) {
		*error = "ring areas overlap";
		return -EINVAL;
	}
	vq->ram = ram;
	vq->num = num;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	return 0;
}

/*
 * Copy a descriptor out of guest memory once; only the copy is checked
 * and used. memcpy, because an indirect table may be misaligned.
 */
static void read_desc(const volatile struct vring_desc *v,
		      struct vring_desc *d)
{
	memcpy(d, (const void *)v, sizeof(*d));
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static int vq_break(struct virtqueue *vq, const char *why)
{
	vq->broken = true;
	vq->error = why;
	return -EIO;
}

/* Add one checked buffer to the chain. */
static int chain_add(struct virtqueue *vq, struct vq_chain *c,
		     const struct vring_desc *d)
{
	bool writable = d->flags & VRING_DESC_F_WRITE;
	void *p;

	if (!d->len)
		return vq_break(vq, "zero-length buffer");
	p = ram_at(vq->ram, d->addr, d->len);
	if (!p)
		return vq_break(vq, "buffer outside guest RAM");
	if (!writable && c->nwrite)
		return vq_break(vq, "readable buffer after a writable one");
	if (c->nread + c->nwrite >= VQ_CHAIN_MAX)
		return vq_break(vq, "chain too long");
	c->iov[c->nread + c->nwrite] = (struct iovec){ p, d->len };
	if (writable) {
		c->nwrite++;
		c->write_len += d->len;
	} else {
		c->nread++;
		c->read_len += d->len;
	}
	return 0;
}

/* Walk an indirect table: its own chain, at most len / 16 entries. */
static int chain_indirect(struct virtqueue *vq, struct vq_chain *c,
			  const struct vring_desc *d)
{
	const volatile struct vring_desc *table;
	unsigned int n, i = 0, seen;
	struct vring_desc e;
	int ret;

	if (!vq->indirect)
		return vq_break(vq, "indirect buffer not negotiated");
	if (!d->len || d->len % 16 || d->len / 16 > VQ_CHAIN_MAX)
		return vq_break(vq, "indirect table of a bad size");
	table = ram_at(vq->ram, d->addr, d->len);
	if (!table)
		return vq_break(vq, "indirect table outside guest RAM");
	n = d->len / 16;
	for (seen = 0; seen < n; seen++) {
		read_desc(&table[i], &e);
		if (e.flags & VRING_DESC_F_INDIRECT)
			return vq_break(vq, "nested indirect table");
		ret = chain_add(vq, c, &e);
		if (ret)
			return ret;
		if (!(e.flags & VRING_DESC_F_NEXT))
			return 0;
		i = e.next;
		if (i >= n)
			return vq_break(vq, "indirect next out of range");
	}
	return vq_break(vq, "indirect chain loops");
}

int vq_pop(struct virtqueue *vq, struct vq_chain *c)
{
	uint16_t avail_idx, head, i;
	unsigned int seen;
	struct vring_desc d;
	int ret;

	if (vq->broken)
		return -EIO;
	avail_idx = load16(&vq->avail->idx);
	if (avail_idx == vq->last_avail)
		return 0;
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->num)
		return vq_break(vq, "avail index ran ahead of the ring");
	head = load16(&vq->avail->ring[vq->last_avail % vq->num]);
	if (head >= vq->num)
		return vq_break(vq, "chain head out of range");

	c->head = head;
	c->nread = c->nwrite = 0;
	c->read_len = c->write_len = 0;
	i = head;
	for (seen = 0; seen < vq->num; seen++) {
		read_desc(&vq->desc[i], &d);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			/*
			 * An indirect table ends its chain; direct buffers may
			 * come before it (2.7.5.3.2).
			 */
			if (d.flags & VRING_DESC_F_NEXT)
				return vq_break(vq, "indirect buffer with a next");
			ret = chain_indirect(vq, c, &d);
			break;
		}
		ret = chain_add(vq, c, &d);
		if (ret || !(d.flags & VRING_DESC_F_NEXT))
			break;
		i = d.next;
		if (i >= vq->num)
			return vq_break(vq, "next out of range");
	}
	if (seen == vq->num)
		return vq_break(vq, "chain loops");
	if (ret)
		return ret;
	vq->last_avail++;
	if (vq->event_idx) {
		__atomic_store_n((uint16_t *)&vq->used->ring[vq->num],
				 vq->last_avail, __ATOMIC_RELEASE);
		/*
		 * The next pop's read of avail->idx must not pass this store:
		 * else the driver, having added a buffer, may read the old
		 * avail_event and not notify, while we see the ring empty.
		 */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	return 1;
}

void vq_push(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e = &vq->used->ring[vq->used_idx % vq->num];

	e->id = head;
	e->len = len;
	vq->used_idx++;
	/* The element is visible before the index that publishes it. */
	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
}

bool vq_should_notify(struct virtqueue *vq)
{
	uint16_t old, event;

	/* Order the used index store before reading the driver's wishes. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!vq->event_idx)
		return !(load16(&vq->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
	old = vq->signalled_used;
	vq->signalled_used = vq->used_idx;
	if (!vq->signalled_valid) {
		vq->signalled_valid = true;
		return true;
	}
	event = load16(&vq->avail->ring[vq->num]);
	return vring_need_event(event, vq->used_idx, old);
}

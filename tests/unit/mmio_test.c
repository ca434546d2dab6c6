// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for host/virtio/mmio.c: a fake device behind the register window,
 * driven as the guest's virtio_mmio driver would and as a broken one
 * might. Counts the device's callbacks and the interrupts raised; the
 * rings live in a malloc'd fake guest RAM.
 */
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/mmio.h"
#include "check.h"

#define RAM_SIZE	0x10000ULL
#define DESC_AT		0x1000ULL
#define AVAIL_AT	0x2000ULL
#define USED_AT		0x3000ULL
#define BUF_AT		0x4000ULL

/* The feature bits the fake device offers (besides VERSION_1). */
#define OFFERED	((1ULL << VIRTIO_RING_F_EVENT_IDX) | \
		 (1ULL << VIRTIO_RING_F_INDIRECT_DESC) | (1ULL << 5))

static const uint8_t config[12] = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc
};

static struct vq_ram ram;
static struct virtio_mmio m;
static unsigned int irqs, starts, resets, notifies, notified_q;
static int irq_ctx;

static void fake_notify(struct virtio_mmio *mm, unsigned int q)
{
	(void)mm;
	notifies++;
	notified_q = q;
}

static void fake_start(struct virtio_mmio *mm)
{
	(void)mm;
	starts++;
}

static void fake_reset(struct virtio_mmio *mm)
{
	(void)mm;
	resets++;
}

static void fake_irq(void *ctx)
{
	if (ctx == &irq_ctx)
		irqs++;
}

static struct virtio_device dev = {
	.name = "fake",
	.device_id = VIRTIO_ID_BLOCK,
	.features = OFFERED,
	.nqueues = 2,
	.queue_max = 16,
	.config = config,
	.config_len = sizeof(config),
	.notify = fake_notify,
	.start = fake_start,
	.reset = fake_reset,
};

static uint32_t rd(uint64_t offset)
{
	return (uint32_t)virtio_mmio_read(&m, offset, 4);
}

static void wr(uint64_t offset, uint32_t value)
{
	virtio_mmio_write(&m, offset, 4, value);
}

/* A fresh device over a zeroed RAM, no callbacks seen yet. */
static void fresh(void)
{
	if (m.dev)
		pthread_mutex_destroy(&m.lock);
	free(ram.base);
	ram.base = calloc(1, RAM_SIZE);
	ram.size = RAM_SIZE;
	virtio_mmio_init(&m, &dev, &ram, fake_irq, &irq_ctx);
	irqs = starts = resets = notifies = 0;
	notified_q = ~0u;
}

static void set_features(uint64_t f)
{
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)f);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
}

/* The driver's steps up to FEATURES_OK; the status it reads back. */
static uint32_t negotiate(uint64_t f)
{
	wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				VIRTIO_CONFIG_S_DRIVER);
	set_features(f);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				VIRTIO_CONFIG_S_DRIVER |
				VIRTIO_CONFIG_S_FEATURES_OK);
	return rd(VIRTIO_MMIO_STATUS);
}

static void queue_addrs(uint64_t desc, uint64_t avail, uint64_t used)
{
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
	wr(VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)avail);
	wr(VIRTIO_MMIO_QUEUE_AVAIL_HIGH, (uint32_t)(avail >> 32));
	wr(VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)used);
	wr(VIRTIO_MMIO_QUEUE_USED_HIGH, (uint32_t)(used >> 32));
}

static void driver_ok(void)
{
	wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) |
				VIRTIO_CONFIG_S_DRIVER_OK);
}

/* A whole driver bring-up with queue q of 8 entries live. */
static void bring_up(unsigned int q, uint64_t features)
{
	negotiate(features | (1ULL << VIRTIO_F_VERSION_1));
	wr(VIRTIO_MMIO_QUEUE_SEL, q);
	wr(VIRTIO_MMIO_QUEUE_NUM, 8);
	queue_addrs(DESC_AT, AVAIL_AT, USED_AT);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	driver_ok();
}

static int needs_reset(void)
{
	return !!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
}

TEST(magic_version_device_id)
{
	fresh();
	CHECK(rd(VIRTIO_MMIO_MAGIC_VALUE) == 0x74726976);	/* "virt" */
	CHECK(rd(VIRTIO_MMIO_VERSION) == 2);
	CHECK(rd(VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK);
	CHECK(rd(VIRTIO_MMIO_VENDOR_ID) != 0);
	CHECK(rd(VIRTIO_MMIO_STATUS) == 0);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
}

TEST(device_features_include_version_1)
{
	uint64_t f;

	fresh();
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	f = rd(VIRTIO_MMIO_DEVICE_FEATURES);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	f |= (uint64_t)rd(VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	CHECK(f == (OFFERED | (1ULL << VIRTIO_F_VERSION_1)));
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
	CHECK(rd(VIRTIO_MMIO_DEVICE_FEATURES) == 0);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0xffffffff);
	CHECK(rd(VIRTIO_MMIO_DEVICE_FEATURES) == 0);
}

TEST(features_ok_accepted)
{
	fresh();
	CHECK(negotiate(OFFERED | (1ULL << VIRTIO_F_VERSION_1)) &
	      VIRTIO_CONFIG_S_FEATURES_OK);
	CHECK(virtio_mmio_has(&m, VIRTIO_RING_F_EVENT_IDX));
	fresh();
	CHECK(negotiate(1ULL << VIRTIO_F_VERSION_1) &
	      VIRTIO_CONFIG_S_FEATURES_OK);
	CHECK(!virtio_mmio_has(&m, VIRTIO_RING_F_EVENT_IDX));
}

TEST(features_ok_refused_for_feature_not_offered)
{
	uint32_t status;

	fresh();
	status = negotiate((1ULL << VIRTIO_F_VERSION_1) | (1ULL << 6));
	CHECK(!(status & VIRTIO_CONFIG_S_FEATURES_OK));
	CHECK(status & VIRTIO_CONFIG_S_DRIVER);
	fresh();
	status = negotiate((1ULL << VIRTIO_F_VERSION_1) | (1ULL << 63));
	CHECK(!(status & VIRTIO_CONFIG_S_FEATURES_OK));
}

TEST(features_ok_refused_without_version_1)
{
	fresh();
	CHECK(!(negotiate(OFFERED) & VIRTIO_CONFIG_S_FEATURES_OK));
	fresh();
	CHECK(!(negotiate(0) & VIRTIO_CONFIG_S_FEATURES_OK));
}

TEST(driver_features_frozen_after_features_ok)
{
	fresh();
	REQUIRE(negotiate(1ULL << VIRTIO_F_VERSION_1) &
		VIRTIO_CONFIG_S_FEATURES_OK);
	set_features(OFFERED | (1ULL << VIRTIO_F_VERSION_1) | (1ULL << 6));
	CHECK(m.driver_features == 1ULL << VIRTIO_F_VERSION_1);
}

TEST(queue_setup_gives_usable_queue)
{
	struct vq_chain *c = malloc(sizeof(*c));
	struct vring_avail *a;
	struct vring_desc *d;
	struct virtqueue *vq;

	fresh();
	d = (struct vring_desc *)(ram.base + DESC_AT);
	a = (struct vring_avail *)(ram.base + AVAIL_AT);
	REQUIRE(c);
	REQUIRE(negotiate((1ULL << VIRTIO_F_VERSION_1) |
			  (1ULL << VIRTIO_RING_F_EVENT_IDX)) &
		VIRTIO_CONFIG_S_FEATURES_OK);
	wr(VIRTIO_MMIO_QUEUE_SEL, 1);
	CHECK(rd(VIRTIO_MMIO_QUEUE_NUM_MAX) == 16);
	CHECK(rd(VIRTIO_MMIO_QUEUE_READY) == 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, 8);
	queue_addrs(DESC_AT, AVAIL_AT, USED_AT);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	CHECK(rd(VIRTIO_MMIO_QUEUE_READY) == 1);
	CHECK(!needs_reset());
	/* Not before DRIVER_OK. */
	CHECK(virtio_mmio_queue(&m, 1) == NULL);
	CHECK(starts == 0);
	driver_ok();
	CHECK(starts == 1);
	CHECK(virtio_mmio_queue(&m, 0) == NULL);	/* never made ready */
	vq = virtio_mmio_queue(&m, 1);
	REQUIRE(vq);
	CHECK(vq->num == 8);
	CHECK(vq->event_idx);
	CHECK(!vq->indirect);
	CHECK(vq->desc == (void *)(ram.base + DESC_AT));
	CHECK(vq->used == (void *)(ram.base + USED_AT));

	/* And it serves what the driver puts there. */
	d[2] = (struct vring_desc){ BUF_AT, 64, VRING_DESC_F_WRITE, 0 };
	a->ring[0] = 2;
	a->idx = 1;
	CHECK(vq_pop(vq, c) == 1);
	CHECK(c->head == 2 && c->nwrite == 1);
	CHECK(c->iov[0].iov_base == ram.base + BUF_AT);
	free(c);
}

TEST(queue_addresses_take_both_halves)
{
	fresh();
	negotiate(1ULL << VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	queue_addrs(0x123456789abcdef0ULL, 0xfedcba9876543210ULL,
		    0x0000000100000004ULL);
	CHECK(m.queues[0].desc == 0x123456789abcdef0ULL);
	CHECK(m.queues[0].avail == 0xfedcba9876543210ULL);
	CHECK(m.queues[0].used == 0x0000000100000004ULL);
	/* Rewriting one half keeps the other. */
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
	CHECK(m.queues[0].desc == 0x1234567800001000ULL);
}

TEST(queue_num_above_max_needs_reset)
{
	fresh();
	negotiate(1ULL << VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, 32);
	CHECK(needs_reset());
	CHECK(irqs == 1);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) == VIRTIO_MMIO_INT_CONFIG);
	/* Told once: a second bad write raises nothing more. */
	wr(VIRTIO_MMIO_QUEUE_NUM, 64);
	CHECK(irqs == 1);
	/* The driver cannot clear NEEDS_RESET but by a reset. */
	wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	CHECK(needs_reset());
	wr(VIRTIO_MMIO_STATUS, 0);
	CHECK(!needs_reset());
}

TEST(queue_num_truncated_to_16_bits_needs_reset)
{
	fresh();
	negotiate(1ULL << VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	/* 0x10008 would pass as 8 if only the low half were checked. */
	wr(VIRTIO_MMIO_QUEUE_NUM, 0x10008);
	CHECK(needs_reset());
	CHECK(irqs == 1);
}

TEST(ring_outside_ram_at_ready_needs_reset)
{
	fresh();
	negotiate(1ULL << VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, 8);
	queue_addrs(DESC_AT, AVAIL_AT, RAM_SIZE);
	CHECK(!needs_reset());
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	CHECK(needs_reset());
	CHECK(rd(VIRTIO_MMIO_QUEUE_READY) == 0);
	CHECK(irqs == 1);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
	driver_ok();
	CHECK(virtio_mmio_queue(&m, 0) == NULL);
}

/* Refused features must not reach the queues (EVENT_IDX, say). */
TEST(queue_ready_after_refused_features_needs_reset)
{
	fresh();
	CHECK(!(negotiate(1ULL << VIRTIO_F_VERSION_1 | 1ULL << 40) &
		VIRTIO_CONFIG_S_FEATURES_OK));
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, 8);
	queue_addrs(DESC_AT, AVAIL_AT, USED_AT);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	CHECK(needs_reset());
	CHECK(rd(VIRTIO_MMIO_QUEUE_READY) == 0);
	driver_ok();
	CHECK(virtio_mmio_queue(&m, 0) == NULL);
}

TEST(bad_queue_size_at_ready_needs_reset)
{
	fresh();
	negotiate(1ULL << VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, 6);		/* not a power of two */
	queue_addrs(DESC_AT, AVAIL_AT, USED_AT);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	CHECK(needs_reset());
	CHECK(rd(VIRTIO_MMIO_QUEUE_READY) == 0);
}

TEST(queue_registers_frozen_while_ready)
{
	fresh();
	bring_up(0, 0);
	REQUIRE(virtio_mmio_queue(&m, 0));
	wr(VIRTIO_MMIO_QUEUE_NUM, 4);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0);
	CHECK(m.queues[0].num == 8);
	CHECK(m.queues[0].desc == DESC_AT);
	CHECK(virtio_mmio_queue(&m, 0)->num == 8);
	CHECK(!needs_reset());
}

TEST(queue_sel_past_nqueues_ignored)
{
	fresh();
	negotiate(1ULL << VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_QUEUE_SEL, 2);
	CHECK(rd(VIRTIO_MMIO_QUEUE_NUM_MAX) == 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, 8);
	queue_addrs(DESC_AT, AVAIL_AT, USED_AT);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	CHECK(rd(VIRTIO_MMIO_QUEUE_READY) == 0);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0xffffffff);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	CHECK(rd(VIRTIO_MMIO_QUEUE_READY) == 0);
	CHECK(!needs_reset());
	driver_ok();
	CHECK(virtio_mmio_queue(&m, 2) == NULL);
}

TEST(non_32_bit_register_access_ignored)
{
	static const unsigned int sizes[] = { 1, 2, 8 };
	size_t i;

	fresh();
	for (i = 0; i < 3; i++) {
		CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_MAGIC_VALUE,
				       sizes[i]) == 0);
		virtio_mmio_write(&m, VIRTIO_MMIO_STATUS, sizes[i],
				  VIRTIO_CONFIG_S_ACKNOWLEDGE);
		CHECK(rd(VIRTIO_MMIO_STATUS) == 0);
		virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_NOTIFY, sizes[i], 0);
	}
	/* 32 bits wide but not aligned. */
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_MAGIC_VALUE + 1, 4) == 0);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_STATUS + 2, 4) == 0);
	virtio_mmio_write(&m, VIRTIO_MMIO_STATUS + 1, 4,
			  VIRTIO_CONFIG_S_ACKNOWLEDGE);
	CHECK(rd(VIRTIO_MMIO_STATUS) == 0);
	CHECK(notifies == 0);
	/* Unknown and write-only registers read 0, read-only ones ignore writes. */
	CHECK(rd(0x0fc) == 0);
	CHECK(rd(VIRTIO_MMIO_QUEUE_NOTIFY) == 0);
	wr(VIRTIO_MMIO_MAGIC_VALUE, 0);
	CHECK(rd(VIRTIO_MMIO_MAGIC_VALUE) == 0x74726976);
	CHECK(irqs == 0);
}

TEST(config_read_in_range)
{
	fresh();
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG, 4) == 0x44332211);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG + 1, 1) == 0x22);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG + 2, 2) == 0x4433);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG + 4, 8) ==
	      0xccbbaa9988776655ULL);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG + 11, 1) == 0xcc);
}

TEST(config_read_out_of_range_returns_0)
{
	fresh();
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG + 12, 1) == 0);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG + 11, 2) == 0);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG + 8, 8) == 0);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG + 0x1000, 4) == 0);
	CHECK(virtio_mmio_read(&m, UINT64_MAX, 4) == 0);
	CHECK(virtio_mmio_read(&m, UINT64_MAX - 3, 4) == 0);
	/* Writes there change nothing. */
	virtio_mmio_write(&m, VIRTIO_MMIO_CONFIG, 4, 0);
	CHECK(virtio_mmio_read(&m, VIRTIO_MMIO_CONFIG, 4) == 0x44332211);
}

TEST(notify_past_nqueues_ignored)
{
	fresh();
	bring_up(0, 0);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 2);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_QUEUES_MAX);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0xffffffff);
	CHECK(notifies == 0);
}

TEST(notify_calls_device)
{
	fresh();
	bring_up(1, 0);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	CHECK(notifies == 1);
	CHECK(notified_q == 1);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	CHECK(notifies == 2);
	CHECK(notified_q == 0);
}

TEST(interrupt_ack_clears_bits)
{
	fresh();
	bring_up(0, 0);
	REQUIRE(virtio_mmio_queue(&m, 0));
	/* Without EVENT_IDX and NO_INTERRUPT clear, a push interrupts. */
	vq_push(virtio_mmio_queue(&m, 0), 0, 1);
	virtio_mmio_used(&m, 0);
	CHECK(irqs == 1);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) == VIRTIO_MMIO_INT_VRING);
	virtio_mmio_fail(&m, "test");
	CHECK(irqs == 2);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) ==
	      (VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG));
	wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_CONFIG);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) == VIRTIO_MMIO_INT_VRING);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
	/* A failed device serves its queues no more. */
	CHECK(virtio_mmio_queue(&m, 0) == NULL);
}

TEST(used_without_interrupt_wish_raises_nothing)
{
	struct vring_avail *a;

	fresh();
	a = (struct vring_avail *)(ram.base + AVAIL_AT);
	bring_up(0, 0);
	REQUIRE(virtio_mmio_queue(&m, 0));
	a->flags = VRING_AVAIL_F_NO_INTERRUPT;
	vq_push(virtio_mmio_queue(&m, 0), 0, 1);
	virtio_mmio_used(&m, 0);
	CHECK(irqs == 0);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
}

TEST(status_zero_resets_everything)
{
	fresh();
	bring_up(1, (1ULL << VIRTIO_RING_F_EVENT_IDX));
	REQUIRE(virtio_mmio_queue(&m, 1));
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	virtio_mmio_fail(&m, "test");
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) != 0);
	CHECK(resets == 0);

	wr(VIRTIO_MMIO_STATUS, 0);
	CHECK(resets == 1);
	CHECK(rd(VIRTIO_MMIO_STATUS) == 0);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
	CHECK(m.driver_features == 0);
	CHECK(m.device_features_sel == 0 && m.driver_features_sel == 0);
	CHECK(m.queue_sel == 0);
	wr(VIRTIO_MMIO_QUEUE_SEL, 1);
	CHECK(rd(VIRTIO_MMIO_QUEUE_READY) == 0);
	CHECK(m.queues[1].num == 0 && m.queues[1].desc == 0);
	CHECK(virtio_mmio_queue(&m, 1) == NULL);

	/* And the device comes up again from scratch. */
	bring_up(1, 0);
	CHECK(starts == 2);
	REQUIRE(virtio_mmio_queue(&m, 1));
	CHECK(!virtio_mmio_queue(&m, 1)->event_idx);
	CHECK(!needs_reset());
}

int main(void)
{
	int ret;

	/* Every ignored access is logged; here they are all on purpose. */
	if (!getenv("MMIO_TEST_VERBOSE"))
		freopen("/dev/null", "w", stderr);
	ret = check_run_all();

	pthread_mutex_destroy(&m.lock);
	free(ram.base);
	return ret;
}

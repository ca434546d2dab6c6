// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for host/virtio/virtqueue.c: rings crafted by hand in a fake
 * guest RAM (a malloc'd buffer, guest-physical 0 at its start), as a
 * hostile or buggy driver might lay them out. Every bad ring must end in
 * -EIO with the queue broken, never in a hang or a read outside RAM.
 */
#include <errno.h>
#include <linux/virtio_ring.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "virtio/virtqueue.h"
#include "check.h"

#define RAM_SIZE	0x20000ULL
#define DESC_AT		0x0000ULL	/* room for 1024 descriptors */
#define AVAIL_AT	0x4000ULL
#define USED_AT		0x5000ULL
#define BUF_AT		0x8000ULL	/* buffers and indirect tables */

static struct vq_ram ram;
static struct virtqueue vq;
static struct vq_chain chain;
static const char *why;

static void *gpa(uint64_t addr)
{
	return ram.base + addr;
}

static struct vring_desc *desc(unsigned int i)
{
	return (struct vring_desc *)gpa(DESC_AT) + i;
}

static struct vring_avail *avail(void)
{
	return gpa(AVAIL_AT);
}

static struct vring_used *used(void)
{
	return gpa(USED_AT);
}

/* A zeroed RAM and a queue of num entries over it; 0 or vq_setup's. */
static int ring_new(uint16_t num, bool event_idx, bool indirect)
{
	free(ram.base);
	ram.base = calloc(1, RAM_SIZE);
	ram.size = RAM_SIZE;
	if (!ram.base)
		return -ENOMEM;
	why = NULL;
	return vq_setup(&vq, &ram, num, DESC_AT, AVAIL_AT, USED_AT, event_idx,
			indirect, &why);
}

static void set_desc(struct vring_desc *d, uint64_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

/* The driver makes the chain at head available. */
static void offer(uint16_t head)
{
	struct vring_avail *a = avail();

	a->ring[a->idx % vq.num] = head;
	a->idx++;
}

/* Pop, expecting the queue to break with a reason containing what. */
static int pop_breaks(const char *what)
{
	int ret = vq_pop(&vq, &chain);

	if (ret != -EIO || !vq.broken || !vq.error) {
		printf("    vq_pop returned %d, broken %d\n", ret, vq.broken);
		return 0;
	}
	if (!strstr(vq.error, what)) {
		printf("    error \"%s\", expected \"%s\"\n", vq.error, what);
		return 0;
	}
	return 1;
}

TEST(setup_rejects_bad_num)
{
	static const uint16_t bad[] = { 0, 3, 6, 100, 1023, 1025, 2048,
					32768, 65535 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ring_new(bad[i], false, false) != -EINVAL)
			printf("    num %u was accepted\n", bad[i]);
		CHECK(ring_new(bad[i], false, false) == -EINVAL);
		CHECK(why && strstr(why, "power of two"));
	}
	CHECK(ring_new(1, false, false) == 0);
	CHECK(ring_new(256, false, false) == 0);
	CHECK(ring_new(VQ_NUM_MAX, false, false) == 0);
	CHECK(vq.num == VQ_NUM_MAX);
}

TEST(setup_rejects_misaligned_areas)
{
	REQUIRE(ring_new(8, false, false) == 0);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT + 8, AVAIL_AT, USED_AT, false,
		       false, &why) == -EINVAL);
	CHECK(why && strstr(why, "misaligned"));
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, AVAIL_AT + 1, USED_AT, false,
		       false, &why) == -EINVAL);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, AVAIL_AT, USED_AT + 2, false,
		       false, &why) == -EINVAL);
	/* The spec's alignments (2.7): 16, 2 and 4 are enough. */
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT + 16, AVAIL_AT + 2, USED_AT + 4,
		       false, false, &why) == 0);
}

TEST(setup_rejects_overlapping_areas)
{
	/* 8 entries: desc 128 bytes, avail 22, used 70. */
	REQUIRE(ring_new(8, false, false) == 0);
	/* The used ring over avail's idx: a push would move avail->idx. */
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, AVAIL_AT, AVAIL_AT + 20, false,
		       false, &why) == -EINVAL);
	CHECK(why && strstr(why, "overlap"));
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, AVAIL_AT, DESC_AT + 64, false,
		       false, &why) == -EINVAL);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, DESC_AT + 126, USED_AT, false,
		       false, &why) == -EINVAL);
	/* Touching is not overlapping: desc [0,128) used [128,198) avail. */
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, DESC_AT + 198, DESC_AT + 128,
		       false, false, &why) == 0);
}

TEST(setup_rejects_areas_past_ram_end)
{
	/* used's 70 bytes cannot end flush at RAM's end and be 4-aligned. */
	uint64_t d = RAM_SIZE - 16 * 8, a = RAM_SIZE - (6 + 2 * 8),
		 u = RAM_SIZE - (6 + 8 * 8) - 2;

	REQUIRE(ring_new(8, false, false) == 0);
	/* Each area against the end of RAM fits... */
	CHECK(vq_setup(&vq, &ram, 8, d, AVAIL_AT, USED_AT, false, false,
		       &why) == 0);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, a, USED_AT, false, false,
		       &why) == 0);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, AVAIL_AT, u, false, false,
		       &why) == 0);
	/* ...one step further it does not. */
	CHECK(vq_setup(&vq, &ram, 8, d + 16, AVAIL_AT, USED_AT, false, false,
		       &why) == -EINVAL);
	CHECK(why && strstr(why, "outside guest RAM"));
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, a + 2, USED_AT, false, false,
		       &why) == -EINVAL);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, AVAIL_AT, u + 4, false, false,
		       &why) == -EINVAL);
	CHECK(vq_setup(&vq, &ram, 8, RAM_SIZE, AVAIL_AT, USED_AT, false,
		       false, &why) == -EINVAL);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, AVAIL_AT, 1ULL << 40, false,
		       false, &why) == -EINVAL);
}

TEST(setup_rejects_address_overflow)
{
	REQUIRE(ring_new(8, false, false) == 0);
	/* addr + len wraps past 2^64 back into RAM. */
	CHECK(vq_setup(&vq, &ram, 8, UINT64_MAX - 15, AVAIL_AT, USED_AT,
		       false, false, &why) == -EINVAL);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, UINT64_MAX - 1, USED_AT, false,
		       false, &why) == -EINVAL);
	CHECK(vq_setup(&vq, &ram, 8, DESC_AT, AVAIL_AT, UINT64_MAX - 3, false,
		       false, &why) == -EINVAL);
	CHECK(vq_setup(&vq, &ram, 8, 0x8000000000000000ULL, AVAIL_AT,
		       USED_AT, false, false, &why) == -EINVAL);
}

TEST(pop_empty_ring_returns_0)
{
	REQUIRE(ring_new(8, false, false) == 0);
	CHECK(vq_pop(&vq, &chain) == 0);
	CHECK(vq_pop(&vq, &chain) == 0);
	CHECK(!vq.broken);
	CHECK(vq.last_avail == 0);
}

TEST(pop_two_buffer_chain)
{
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(5), BUF_AT, 16, VRING_DESC_F_NEXT, 2);
	set_desc(desc(2), BUF_AT + 0x1000, 513, VRING_DESC_F_WRITE, 0);
	offer(5);
	REQUIRE(vq_pop(&vq, &chain) == 1);
	CHECK(chain.head == 5);
	CHECK(chain.nread == 1);
	CHECK(chain.nwrite == 1);
	CHECK(chain.read_len == 16);
	CHECK(chain.write_len == 513);
	CHECK(chain.iov[0].iov_base == gpa(BUF_AT));
	CHECK(chain.iov[0].iov_len == 16);
	CHECK(chain.iov[1].iov_base == gpa(BUF_AT + 0x1000));
	CHECK(chain.iov[1].iov_len == 513);
	CHECK(vq.last_avail == 1);
	CHECK(vq_pop(&vq, &chain) == 0);
}

TEST(pop_chain_may_use_every_descriptor)
{
	unsigned int i;

	REQUIRE(ring_new(8, false, false) == 0);
	for (i = 0; i < 8; i++)
		set_desc(desc(i), BUF_AT + 64 * i, 64,
			 i < 7 ? VRING_DESC_F_NEXT : 0, i + 1);
	offer(0);
	CHECK(vq_pop(&vq, &chain) == 1);
	CHECK(chain.nread == 8);
	CHECK(chain.read_len == 8 * 64);
}

TEST(pop_across_index_wrap)
{
	unsigned int i;

	REQUIRE(ring_new(4, false, false) == 0);
	for (i = 0; i < 4; i++)
		set_desc(desc(i), BUF_AT, 8, 0, 0);
	/* The free-running 16-bit indices wrap from 65535 to 0. */
	vq.last_avail = 0xfffe;
	avail()->idx = 0xfffe;
	offer(1);
	offer(2);
	offer(3);
	CHECK(avail()->idx == 1);
	CHECK(vq_pop(&vq, &chain) == 1 && chain.head == 1);
	CHECK(vq_pop(&vq, &chain) == 1 && chain.head == 2);
	CHECK(vq_pop(&vq, &chain) == 1 && chain.head == 3);
	CHECK(vq_pop(&vq, &chain) == 0);
	CHECK(vq.last_avail == 1);
}

TEST(pop_buffer_outside_ram)
{
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), RAM_SIZE - 4, 8, 0, 0);
	offer(0);
	CHECK(pop_breaks("outside guest RAM"));

	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), RAM_SIZE, 1, 0, 0);
	offer(0);
	CHECK(pop_breaks("outside guest RAM"));

	/* The last byte of RAM is fine. */
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), RAM_SIZE - 1, 1, VRING_DESC_F_WRITE, 0);
	offer(0);
	CHECK(vq_pop(&vq, &chain) == 1);
	CHECK(chain.iov[0].iov_base == gpa(RAM_SIZE - 1));
}

TEST(pop_buffer_address_overflow)
{
	REQUIRE(ring_new(8, false, false) == 0);
	/* addr + len wraps to 4: a naive end check would pass it. */
	set_desc(desc(0), UINT64_MAX - 3, 8, 0, 0);
	offer(0);
	CHECK(pop_breaks("outside guest RAM"));

	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), BUF_AT, 16, VRING_DESC_F_NEXT, 1);
	set_desc(desc(1), 0xffffffff00000000ULL, UINT32_MAX,
		 VRING_DESC_F_WRITE, 0);
	offer(0);
	CHECK(pop_breaks("outside guest RAM"));
}

TEST(pop_loop_breaks_not_hangs)
{
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), BUF_AT, 8, VRING_DESC_F_NEXT, 1);
	set_desc(desc(1), BUF_AT, 8, VRING_DESC_F_NEXT, 0);
	offer(0);
	CHECK(pop_breaks("loop"));

	/* A descriptor that names itself. */
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(3), BUF_AT, 8, VRING_DESC_F_NEXT, 3);
	offer(3);
	CHECK(pop_breaks("loop"));
}

TEST(pop_chain_longer_than_chain_max)
{
	unsigned int i;

	/* A queue bigger than VQ_CHAIN_MAX lets a loop-free chain be too long. */
	REQUIRE(ring_new(VQ_NUM_MAX, false, false) == 0);
	for (i = 0; i < VQ_CHAIN_MAX + 1; i++)
		set_desc(desc(i), BUF_AT, 8, VRING_DESC_F_NEXT, i + 1);
	set_desc(desc(VQ_CHAIN_MAX), BUF_AT, 8, 0, 0);
	offer(0);
	CHECK(pop_breaks("too long"));

	/* Exactly VQ_CHAIN_MAX is fine. */
	REQUIRE(ring_new(VQ_NUM_MAX, false, false) == 0);
	for (i = 0; i < VQ_CHAIN_MAX; i++)
		set_desc(desc(i), BUF_AT, 8, VRING_DESC_F_NEXT, i + 1);
	set_desc(desc(VQ_CHAIN_MAX - 1), BUF_AT, 8, 0, 0);
	offer(0);
	CHECK(vq_pop(&vq, &chain) == 1);
	CHECK(chain.nread == VQ_CHAIN_MAX);
}

TEST(pop_next_out_of_range)
{
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), BUF_AT, 8, VRING_DESC_F_NEXT, 8);
	offer(0);
	CHECK(pop_breaks("next out of range"));

	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), BUF_AT, 8, VRING_DESC_F_NEXT, 0xffff);
	offer(0);
	CHECK(pop_breaks("next out of range"));
}

TEST(pop_head_out_of_range)
{
	REQUIRE(ring_new(8, false, false) == 0);
	offer(8);
	CHECK(pop_breaks("head out of range"));

	REQUIRE(ring_new(8, false, false) == 0);
	offer(0xffff);
	CHECK(pop_breaks("head out of range"));
}

TEST(pop_avail_idx_too_far_ahead)
{
	unsigned int i;

	REQUIRE(ring_new(8, false, false) == 0);
	avail()->idx = 9;
	CHECK(pop_breaks("ran ahead"));

	/* Behind us reads as far ahead too (a 16-bit difference). */
	REQUIRE(ring_new(8, false, false) == 0);
	avail()->idx = 0xffff;
	CHECK(pop_breaks("ran ahead"));

	/* A full ring, num ahead, is fine. */
	REQUIRE(ring_new(8, false, false) == 0);
	for (i = 0; i < 8; i++) {
		set_desc(desc(i), BUF_AT, 8, 0, 0);
		offer(i);
	}
	for (i = 0; i < 8; i++)
		CHECK(vq_pop(&vq, &chain) == 1 && chain.head == i);
	CHECK(vq_pop(&vq, &chain) == 0);
}

TEST(pop_zero_length_buffer)
{
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), BUF_AT, 16, VRING_DESC_F_NEXT, 1);
	set_desc(desc(1), BUF_AT, 0, VRING_DESC_F_WRITE, 0);
	offer(0);
	CHECK(pop_breaks("zero-length"));
}

TEST(pop_readable_after_writable)
{
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), BUF_AT, 16, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT,
		 1);
	set_desc(desc(1), BUF_AT, 16, 0, 0);
	offer(0);
	CHECK(pop_breaks("readable buffer after a writable"));
}

/* Queue of 8 with head 0 an indirect descriptor for [table, table+len). */
static int indirect_ring(bool negotiated, uint64_t table, uint32_t len)
{
	int ret = ring_new(8, false, negotiated);

	if (ret)
		return ret;
	set_desc(desc(0), table, len, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	return 0;
}

static struct vring_desc *table(unsigned int i)
{
	return (struct vring_desc *)gpa(BUF_AT) + i;
}

TEST(pop_indirect_table)
{
	REQUIRE(indirect_ring(true, BUF_AT, 3 * 16) == 0);
	set_desc(table(0), BUF_AT + 0x100, 16, VRING_DESC_F_NEXT, 2);
	set_desc(table(2), BUF_AT + 0x200, 512,
		 VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	set_desc(table(1), BUF_AT + 0x400, 1, VRING_DESC_F_WRITE, 0);
	REQUIRE(vq_pop(&vq, &chain) == 1);
	CHECK(chain.head == 0);
	CHECK(chain.nread == 1 && chain.nwrite == 2);
	CHECK(chain.read_len == 16 && chain.write_len == 513);
	CHECK(chain.iov[0].iov_base == gpa(BUF_AT + 0x100));
	CHECK(chain.iov[1].iov_base == gpa(BUF_AT + 0x200));
	CHECK(chain.iov[2].iov_base == gpa(BUF_AT + 0x400));
	CHECK(chain.iov[2].iov_len == 1);

	/* The WRITE flag of the descriptor naming the table means nothing. */
	REQUIRE(indirect_ring(true, BUF_AT, 16) == 0);
	desc(0)->flags |= VRING_DESC_F_WRITE;
	set_desc(table(0), BUF_AT + 0x100, 16, 0, 0);
	CHECK(vq_pop(&vq, &chain) == 1);
	CHECK(chain.nread == 1 && chain.nwrite == 0);
}

TEST(pop_indirect_not_negotiated)
{
	REQUIRE(indirect_ring(false, BUF_AT, 16) == 0);
	set_desc(table(0), BUF_AT + 0x100, 16, 0, 0);
	CHECK(pop_breaks("not negotiated"));
}

TEST(pop_indirect_bad_size)
{
	REQUIRE(indirect_ring(true, BUF_AT, 24) == 0);
	set_desc(table(0), BUF_AT + 0x100, 16, 0, 0);
	CHECK(pop_breaks("bad size"));

	REQUIRE(indirect_ring(true, BUF_AT, 0) == 0);
	CHECK(pop_breaks("bad size"));

	REQUIRE(indirect_ring(true, BUF_AT, 8) == 0);
	CHECK(pop_breaks("bad size"));

	REQUIRE(indirect_ring(true, BUF_AT, 16 * (VQ_CHAIN_MAX + 1)) == 0);
	set_desc(table(0), BUF_AT + 0x100, 16, 0, 0);
	CHECK(pop_breaks("bad size"));
}

TEST(pop_indirect_outside_ram)
{
	REQUIRE(indirect_ring(true, RAM_SIZE - 16, 32) == 0);
	CHECK(pop_breaks("outside guest RAM"));

	REQUIRE(indirect_ring(true, UINT64_MAX - 15, 32) == 0);
	CHECK(pop_breaks("outside guest RAM"));

	/* A table entry pointing outside RAM. */
	REQUIRE(indirect_ring(true, BUF_AT, 16) == 0);
	set_desc(table(0), RAM_SIZE, 16, 0, 0);
	CHECK(pop_breaks("outside guest RAM"));
}

TEST(pop_indirect_nested)
{
	REQUIRE(indirect_ring(true, BUF_AT, 32) == 0);
	set_desc(table(0), BUF_AT + 0x100, 16, VRING_DESC_F_NEXT, 1);
	set_desc(table(1), BUF_AT + 0x200, 16, VRING_DESC_F_INDIRECT, 0);
	set_desc((struct vring_desc *)gpa(BUF_AT + 0x200), BUF_AT + 0x300, 16,
		 0, 0);
	CHECK(pop_breaks("nested"));
}

TEST(pop_indirect_with_next_flag)
{
	REQUIRE(indirect_ring(true, BUF_AT, 16) == 0);
	desc(0)->flags |= VRING_DESC_F_NEXT;
	desc(0)->next = 1;
	set_desc(desc(1), BUF_AT + 0x200, 16, VRING_DESC_F_WRITE, 0);
	set_desc(table(0), BUF_AT + 0x100, 16, 0, 0);
	CHECK(pop_breaks("indirect buffer with a next"));
}

/* 2.7.5.3.2: direct buffers followed by one indirect table are one chain. */
TEST(pop_direct_then_indirect)
{
	REQUIRE(ring_new(8, false, true) == 0);
	set_desc(desc(0), BUF_AT + 0x800, 16, VRING_DESC_F_NEXT, 1);
	set_desc(desc(1), BUF_AT, 2 * 16, VRING_DESC_F_INDIRECT, 0);
	set_desc(table(0), BUF_AT + 0x100, 32, VRING_DESC_F_NEXT, 1);
	set_desc(table(1), BUF_AT + 0x200, 1, VRING_DESC_F_WRITE, 0);
	offer(0);
	REQUIRE(vq_pop(&vq, &chain) == 1);
	CHECK(chain.nread == 2 && chain.nwrite == 1);
	CHECK(chain.read_len == 48 && chain.write_len == 1);
	CHECK(chain.iov[0].iov_base == gpa(BUF_AT + 0x800));
	CHECK(chain.iov[2].iov_base == gpa(BUF_AT + 0x200));
}

TEST(pop_indirect_loop)
{
	REQUIRE(indirect_ring(true, BUF_AT, 48) == 0);
	set_desc(table(0), BUF_AT + 0x100, 16, VRING_DESC_F_NEXT, 1);
	set_desc(table(1), BUF_AT + 0x100, 16, VRING_DESC_F_NEXT, 2);
	set_desc(table(2), BUF_AT + 0x100, 16, VRING_DESC_F_NEXT, 1);
	CHECK(pop_breaks("loops"));

	REQUIRE(indirect_ring(true, BUF_AT, 48) == 0);
	set_desc(table(0), BUF_AT + 0x100, 16, VRING_DESC_F_NEXT, 3);
	CHECK(pop_breaks("indirect next out of range"));
}

TEST(broken_queue_stays_broken)
{
	REQUIRE(ring_new(8, false, false) == 0);
	set_desc(desc(0), BUF_AT, 0, 0, 0);
	set_desc(desc(1), BUF_AT, 16, 0, 0);
	offer(0);
	offer(1);
	CHECK(pop_breaks("zero-length"));
	CHECK(vq.last_avail == 0);
	/* Repairing the ring does not revive the queue: only a reset does. */
	desc(0)->len = 16;
	CHECK(vq_pop(&vq, &chain) == -EIO);
	CHECK(vq_pop(&vq, &chain) == -EIO);
	CHECK(vq.broken);
	CHECK(vq.last_avail == 0);
}

TEST(push_writes_used_elem_and_idx)
{
	unsigned int i;

	REQUIRE(ring_new(4, false, false) == 0);
	vq_push(&vq, 3, 77);
	CHECK(used()->ring[0].id == 3);
	CHECK(used()->ring[0].len == 77);
	CHECK(used()->idx == 1);
	vq_push(&vq, 1, 0);
	CHECK(used()->ring[1].id == 1);
	CHECK(used()->ring[1].len == 0);
	CHECK(used()->idx == 2);
	/* The ring wraps at num; the index runs on. */
	for (i = 0; i < 3; i++)
		vq_push(&vq, i, 100 + i);
	CHECK(used()->idx == 5);
	CHECK(used()->ring[0].id == 2 && used()->ring[0].len == 102);
	CHECK(used()->ring[3].id == 1 && used()->ring[3].len == 101);
}

TEST(should_notify_honours_no_interrupt)
{
	REQUIRE(ring_new(8, false, false) == 0);
	vq_push(&vq, 0, 1);
	CHECK(vq_should_notify(&vq));
	avail()->flags = VRING_AVAIL_F_NO_INTERRUPT;
	vq_push(&vq, 1, 1);
	CHECK(!vq_should_notify(&vq));
	avail()->flags = 0;
	CHECK(vq_should_notify(&vq));
	/* Without EVENT_IDX, used_event is not looked at. */
	avail()->ring[8] = 0x1234;
	CHECK(vq_should_notify(&vq));
}

TEST(should_notify_honours_used_event)
{
	uint16_t *used_event;

	REQUIRE(ring_new(8, true, false) == 0);
	used_event = &avail()->ring[8];
	/* NO_INTERRUPT means nothing once EVENT_IDX is negotiated. */
	avail()->flags = VRING_AVAIL_F_NO_INTERRUPT;
	*used_event = 0;
	vq_push(&vq, 0, 1);
	CHECK(vq_should_notify(&vq));	/* the first is always sent */
	/* The driver wants to hear when used idx passes 3. */
	*used_event = 3;
	vq_push(&vq, 1, 1);		/* used idx 2 */
	CHECK(!vq_should_notify(&vq));
	vq_push(&vq, 2, 1);		/* 3 */
	CHECK(!vq_should_notify(&vq));
	vq_push(&vq, 3, 1);		/* 4: crossed used_event 3 */
	CHECK(vq_should_notify(&vq));
	/* Several pushes at once cross it too. */
	*used_event = 5;
	vq_push(&vq, 4, 1);
	vq_push(&vq, 5, 1);
	vq_push(&vq, 6, 1);		/* 7 */
	CHECK(vq_should_notify(&vq));
	/* Nothing pushed since: nothing to tell. */
	*used_event = 6;
	CHECK(!vq_should_notify(&vq));
}

TEST(pop_writes_avail_event_with_event_idx)
{
	uint16_t *avail_event;

	REQUIRE(ring_new(8, true, false) == 0);
	avail_event = (uint16_t *)&used()->ring[8];
	set_desc(desc(0), BUF_AT, 16, 0, 0);
	set_desc(desc(1), BUF_AT, 16, 0, 0);
	offer(0);
	offer(1);
	CHECK(vq_pop(&vq, &chain) == 1);
	CHECK(*avail_event == 1);
	CHECK(vq_pop(&vq, &chain) == 1);
	CHECK(*avail_event == 2);
	CHECK(vq_pop(&vq, &chain) == 0);
	CHECK(*avail_event == 2);

	/* Without EVENT_IDX the field is the driver's business. */
	REQUIRE(ring_new(8, false, false) == 0);
	avail_event = (uint16_t *)&used()->ring[8];
	*avail_event = 0xabcd;
	set_desc(desc(0), BUF_AT, 16, 0, 0);
	offer(0);
	CHECK(vq_pop(&vq, &chain) == 1);
	CHECK(*avail_event == 0xabcd);
}

/*
 * EVENT_IDX across two threads, as a guest driver and a device thread
 * run it: the driver adds a buffer, fences, reads avail_event and
 * notifies only if asked; the device pops until empty, then waits for
 * the notify. Without a full fence between vq_pop's avail_event store
 * and the next read of avail->idx, both sides can read the other's old
 * value (store buffering) and the device waits forever with work queued.
 * A wait is counted lost only when the driver has finished deciding on
 * the newest buffer and did not notify, so a slow thread never counts.
 */
#define RACE_NUM	64
#define RACE_INFLIGHT	3

static struct {
	uint16_t decided;	/* newest avail idx the driver decided on */
	int kick, done;
	long lost, requests;
} race;

static uint16_t race_load(const void *p)
{
	return __atomic_load_n((const uint16_t *)p, __ATOMIC_SEQ_CST);
}

static void *race_device(void *arg)
{
	static struct vq_chain c;
	long spins;

	(void)arg;
	while (!__atomic_load_n(&race.done, __ATOMIC_SEQ_CST)) {
		while (vq_pop(&vq, &c) == 1)
			vq_push(&vq, c.head, 0);
		for (spins = 1; !__atomic_load_n(&race.kick, __ATOMIC_SEQ_CST);
		     spins++) {
			uint16_t decided, idx;

			if (__atomic_load_n(&race.done, __ATOMIC_SEQ_CST))
				return NULL;
			if (spins % 100000)
				continue;
			decided = race_load(&race.decided);
			idx = race_load(&avail()->idx);
			if (decided == idx && idx != vq.last_avail &&
			    !__atomic_load_n(&race.kick, __ATOMIC_SEQ_CST)) {
				race.lost++;
				break;	/* serve it anyway, go on */
			}
		}
		__atomic_store_n(&race.kick, 0, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

TEST(pop_event_idx_never_loses_a_notify)
{
	struct timespec t0, t;
	pthread_t dev;
	uint16_t idx = 0;
	unsigned int i;

	REQUIRE(ring_new(RACE_NUM, true, false) == 0);
	for (i = 0; i < RACE_NUM; i++)
		set_desc(desc(i), BUF_AT, 8, 0, 0);
	memset(&race, 0, sizeof(race));
	REQUIRE(pthread_create(&dev, NULL, race_device, NULL) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	t = t0;
	while (race.requests < 400000 && t.tv_sec - t0.tv_sec < 2) {
		uint16_t old, event;

		while ((uint16_t)(idx - race_load(&used()->idx)) >=
		       RACE_INFLIGHT)
			;
		avail()->ring[idx % RACE_NUM] = idx % RACE_NUM;
		old = idx++;
		__atomic_store_n(&avail()->idx, idx, __ATOMIC_SEQ_CST);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* virtio_mb */
		event = race_load(&used()->ring[RACE_NUM]);
		if (vring_need_event(event, idx, old))
			__atomic_store_n(&race.kick, 1, __ATOMIC_SEQ_CST);
		__atomic_store_n(&race.decided, idx, __ATOMIC_SEQ_CST);
		if (!(++race.requests & 1023))
			clock_gettime(CLOCK_MONOTONIC, &t);
	}
	__atomic_store_n(&race.done, 1, __ATOMIC_SEQ_CST);
	pthread_join(dev, NULL);
	if (race.lost)
		printf("    %ld of %ld notifies lost\n", race.lost,
		       race.requests);
	CHECK(race.lost == 0);
	CHECK(!vq.broken);
}

int main(void)
{
	int ret = check_run_all();

	free(ram.base);
	return ret;
}

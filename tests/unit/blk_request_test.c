// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for host/virtio/blk_request.c: virtio-blk requests laid out by
 * hand in a fake guest RAM, made available on a real ring and popped
 * with vq_pop, then parsed against a small disk. Each bad layout must
 * come back IOERR or UNSUPP with the status byte where the driver looks.
 */
#include <linux/virtio_blk.h>
#include <linux/virtio_ring.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/blk_request.h"
#include "check.h"

#define RAM_SIZE	0x40000ULL
#define DESC_AT		0x0000ULL
#define AVAIL_AT	0x1000ULL
#define USED_AT		0x2000ULL
#define HDR_AT		0x3000ULL
#define DATA_AT		0x4000ULL	/* up to 0x30000 bytes of data */
#define STATUS_AT	0x3f000ULL
#define NUM		16

#define R	0	/* buffer flags in a layout */
#define W	VRING_DESC_F_WRITE

struct buf {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
};

static struct vq_ram ram;
static struct virtqueue vq;
static struct vq_chain chain;
static struct blk_request req;
static struct blk_geometry disk = { .sectors = 100, .ro = false };

static uint8_t *gpa(uint64_t addr)
{
	return ram.base + addr;
}

static void put_hdr(uint64_t at, uint32_t type, uint64_t sector)
{
	struct virtio_blk_outhdr h = { .type = type, .sector = sector };

	memcpy(gpa(at), &h, sizeof(h));
}

static void put_seg(uint64_t at, uint64_t sector, uint32_t num,
		    uint32_t flags)
{
	struct virtio_blk_discard_write_zeroes s = {
		.sector = sector, .num_sectors = num, .flags = flags
	};

	memcpy(gpa(at), &s, sizeof(s));
}

/*
 * A fresh RAM and queue; put_hdr and friends fill it, then parse(). The
 * RAM is not cleared between layouts of one test (they may reuse it).
 */
static int fresh(void)
{
	const char *why;

	free(ram.base);
	ram.base = calloc(1, RAM_SIZE);
	ram.size = RAM_SIZE;
	disk = (struct blk_geometry){ .sectors = 100, .ro = false };
	return ram.base ? vq_setup(&vq, &ram, NUM, DESC_AT, AVAIL_AT, USED_AT,
				   false, false, &why) : -1;
}

/*
 * Chain n buffers, make it available, pop it and parse it into req.
 * Returns blk_request_parse's answer, or -1 if the ring refused the chain.
 */
static int parse(const struct buf *b, unsigned int n)
{
	struct vring_desc *d = (struct vring_desc *)gpa(DESC_AT);
	struct vring_avail *a = (struct vring_avail *)gpa(AVAIL_AT);
	unsigned int i;

	for (i = 0; i < n; i++) {
		d[i].addr = b[i].addr;
		d[i].len = b[i].len;
		d[i].flags = b[i].flags | (i + 1 < n ? VRING_DESC_F_NEXT : 0);
		d[i].next = i + 1;
	}
	a->ring[a->idx % NUM] = 0;
	a->idx++;
	if (vq_pop(&vq, &chain) != 1) {
		printf("    vq_pop refused the chain: %s\n", vq.error);
		return -1;
	}
	memset(&req, 0x5a, sizeof(req));
	return blk_request_parse(&chain, &disk, &req);
}

#define PARSE(...) parse((const struct buf[]){ __VA_ARGS__ }, \
	sizeof((const struct buf[]){ __VA_ARGS__ }) / sizeof(struct buf))

static int segment(unsigned int i, uint64_t *off, uint64_t *len,
		   uint32_t *flags)
{
	return blk_request_segment(&req, &disk, i, off, len, flags);
}

TEST(in_happy_path)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 7);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 1024, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	CHECK(req.type == VIRTIO_BLK_T_IN);
	CHECK(req.offset == 7 * 512);
	CHECK(req.len == 1024);
	CHECK(req.niov == 1);
	CHECK(req.iov[0].iov_base == gpa(DATA_AT));
	CHECK(req.iov[0].iov_len == 1024);
	CHECK(req.status == gpa(STATUS_AT));
	CHECK(req.written == 1025);
}

TEST(in_status_shares_a_buffer_with_data)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 1000, W },
		    { DATA_AT + 0x1000, 25, W }) == VIRTIO_BLK_S_OK);
	CHECK(req.len == 1024);
	CHECK(req.niov == 2);
	CHECK(req.iov[1].iov_base == gpa(DATA_AT + 0x1000));
	CHECK(req.iov[1].iov_len == 24);
	CHECK(req.status == gpa(DATA_AT + 0x1000 + 24));
	CHECK(req.written == 1025);
}

TEST(in_last_sectors_of_disk)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 98);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 1024, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	CHECK(req.offset == 98 * 512);
}

TEST(out_happy_path)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_OUT, 3);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, R },
		    { DATA_AT + 0x1000, 1024, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	CHECK(req.type == VIRTIO_BLK_T_OUT);
	CHECK(req.offset == 3 * 512);
	CHECK(req.len == 1536);
	CHECK(req.niov == 2);
	CHECK(req.iov[0].iov_base == gpa(DATA_AT));
	CHECK(req.iov[1].iov_base == gpa(DATA_AT + 0x1000));
	CHECK(req.iov[1].iov_len == 1024);
	CHECK(req.status == gpa(STATUS_AT));
	CHECK(req.written == 1);
}

TEST(out_header_shares_a_buffer_with_data)
{
	REQUIRE(fresh() == 0);
	put_hdr(DATA_AT, VIRTIO_BLK_T_OUT, 1);
	CHECK(PARSE({ DATA_AT, 16 + 512, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	CHECK(req.len == 512);
	CHECK(req.niov == 1);
	CHECK(req.iov[0].iov_base == gpa(DATA_AT + 16));
	CHECK(req.iov[0].iov_len == 512);
}

TEST(flush_happy_path)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_FLUSH, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { STATUS_AT, 1, W }) ==
	      VIRTIO_BLK_S_OK);
	CHECK(req.type == VIRTIO_BLK_T_FLUSH);
	CHECK(req.len == 0);
	CHECK(req.status == gpa(STATUS_AT));
	CHECK(req.written == 1);
	/* A flush carries no data either way. */
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
}

TEST(get_id_happy_path)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_GET_ID, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, VIRTIO_BLK_ID_BYTES, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	CHECK(req.type == VIRTIO_BLK_T_GET_ID);
	CHECK(req.len == VIRTIO_BLK_ID_BYTES);
	CHECK(req.niov == 1);
	CHECK(req.iov[0].iov_base == gpa(DATA_AT));
	CHECK(req.iov[0].iov_len == VIRTIO_BLK_ID_BYTES);
	CHECK(req.written == VIRTIO_BLK_ID_BYTES + 1);
	/* One byte short of an id. */
	CHECK(PARSE({ HDR_AT, 16, R },
		    { DATA_AT, VIRTIO_BLK_ID_BYTES - 1, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
}

TEST(discard_happy_path)
{
	uint64_t off, len;
	uint32_t flags;

	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_DISCARD, 0);
	put_seg(DATA_AT, 10, 4, 0);
	put_seg(DATA_AT + 16, 96, 4, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 32, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	CHECK(req.type == VIRTIO_BLK_T_DISCARD);
	CHECK(req.len == 32);
	CHECK(req.written == 1);
	CHECK(segment(0, &off, &len, &flags) == 0);
	CHECK(off == 10 * 512 && len == 4 * 512 && flags == 0);
	CHECK(segment(1, &off, &len, &flags) == 0);
	CHECK(off == 96 * 512 && len == 4 * 512);
	CHECK(segment(2, &off, &len, &flags) == VIRTIO_BLK_S_IOERR);
	CHECK(segment(~0u, &off, &len, &flags) == VIRTIO_BLK_S_IOERR);
}

TEST(write_zeroes_happy_path)
{
	uint64_t off, len;
	uint32_t flags;

	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_WRITE_ZEROES, 0);
	put_seg(DATA_AT, 0, 100, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 16, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	CHECK(req.type == VIRTIO_BLK_T_WRITE_ZEROES);
	CHECK(segment(0, &off, &len, &flags) == 0);
	CHECK(off == 0 && len == 100 * 512);
	CHECK(flags == VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP);
	CHECK(segment(1, &off, &len, &flags) == VIRTIO_BLK_S_IOERR);
}

TEST(segments_split_across_buffers)
{
	uint64_t off, len;
	uint32_t flags;

	REQUIRE(fresh() == 0);
	/* Header and the first half of segment 0 share a buffer. */
	put_hdr(DATA_AT, VIRTIO_BLK_T_DISCARD, 0);
	put_seg(DATA_AT + 16, 20, 2, 0);
	memmove(gpa(DATA_AT + 0x1000), gpa(DATA_AT + 16 + 8), 8);
	memset(gpa(DATA_AT + 16 + 8), 0xee, 8);
	CHECK(PARSE({ DATA_AT, 16 + 8, R }, { DATA_AT + 0x1000, 8, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	CHECK(segment(0, &off, &len, &flags) == 0);
	CHECK(off == 20 * 512 && len == 2 * 512);
}

TEST(no_writable_byte_ioerr_without_status)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_OUT, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, R }) ==
	      VIRTIO_BLK_S_IOERR);
	CHECK(req.status == NULL);
	CHECK(req.len == 0 && req.niov == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_FLUSH, 0);
	CHECK(PARSE({ HDR_AT, 16, R }) == VIRTIO_BLK_S_IOERR);
	CHECK(req.status == NULL);
}

TEST(header_shorter_than_16_bytes)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_FLUSH, 0);
	CHECK(PARSE({ HDR_AT, 15, R }, { STATUS_AT, 1, W }) ==
	      VIRTIO_BLK_S_IOERR);
	CHECK(req.status == gpa(STATUS_AT));
	CHECK(req.written == 1);
	/* No readable buffer at all. */
	CHECK(PARSE({ DATA_AT, 512, W }, { STATUS_AT, 1, W }) ==
	      VIRTIO_BLK_S_IOERR);
	CHECK(req.status == gpa(STATUS_AT));
}

TEST(header_split_across_two_buffers)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 5);
	/* Bytes 0..6 at HDR_AT, 7..15 moved 0x100 further on. */
	memmove(gpa(HDR_AT + 0x100), gpa(HDR_AT + 7), 9);
	memset(gpa(HDR_AT + 7), 0xee, 9);
	CHECK(PARSE({ HDR_AT, 7, R }, { HDR_AT + 0x100, 9, R },
		    { DATA_AT, 512, W }, { STATUS_AT, 1, W }) ==
	      VIRTIO_BLK_S_OK);
	CHECK(req.type == VIRTIO_BLK_T_IN);
	CHECK(req.offset == 5 * 512);

	/* One byte per buffer, then data for an OUT. */
	{
		struct buf b[NUM];
		unsigned int i;

		put_hdr(DATA_AT, VIRTIO_BLK_T_OUT, 9);
		for (i = 0; i < 14; i++)
			b[i] = (struct buf){ DATA_AT + i, 1, R };
		b[14] = (struct buf){ DATA_AT + 14, 2 + 512, R };
		b[15] = (struct buf){ STATUS_AT, 1, W };
		CHECK(parse(b, NUM) == VIRTIO_BLK_S_OK);
		CHECK(req.offset == 9 * 512);
		CHECK(req.len == 512);
		CHECK(req.niov == 1);
		CHECK(req.iov[0].iov_base == gpa(DATA_AT + 16));
	}
}

TEST(data_not_a_sector_multiple)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 511, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	CHECK(req.status == gpa(STATUS_AT));
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 513, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	put_hdr(HDR_AT, VIRTIO_BLK_T_OUT, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 100, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
}

TEST(sector_past_the_end)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 99);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 1024, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 100);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	put_hdr(HDR_AT, VIRTIO_BLK_T_OUT, 101);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	CHECK(req.status == gpa(STATUS_AT));
}

TEST(sector_plus_len_overflow)
{
	REQUIRE(fresh() == 0);
	/* sector * 512 and sector + sectors both wrap past 2^64. */
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, UINT64_MAX);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 1024, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	put_hdr(HDR_AT, VIRTIO_BLK_T_OUT, (UINT64_MAX >> 9) + 1);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	/* The biggest disk there could be: still no wrap. */
	disk.sectors = UINT64_MAX;
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, UINT64_MAX - 1);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 1024, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
}

TEST(out_on_read_only_disk)
{
	REQUIRE(fresh() == 0);
	disk.ro = true;
	put_hdr(HDR_AT, VIRTIO_BLK_T_OUT, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	CHECK(req.status == gpa(STATUS_AT));
	/* Reads, flushes and ids still work. */
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_OK);
	put_hdr(HDR_AT, VIRTIO_BLK_T_FLUSH, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { STATUS_AT, 1, W }) ==
	      VIRTIO_BLK_S_OK);
}

TEST(discard_and_write_zeroes_on_read_only_disk)
{
	REQUIRE(fresh() == 0);
	disk.ro = true;
	put_seg(DATA_AT, 0, 1, 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_DISCARD, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 16, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	put_hdr(HDR_AT, VIRTIO_BLK_T_WRITE_ZEROES, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 16, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	CHECK(req.status == gpa(STATUS_AT));
}

TEST(discard_bad_layout)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, VIRTIO_BLK_T_DISCARD, 0);
	/* No segment, part of one, and a writable buffer before status. */
	CHECK(PARSE({ HDR_AT, 16, R }, { STATUS_AT, 1, W }) ==
	      VIRTIO_BLK_S_IOERR);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 24, R },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 16, R },
		    { DATA_AT + 0x100, 16, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
}

TEST(unknown_type_unsupported)
{
	REQUIRE(fresh() == 0);
	put_hdr(HDR_AT, 0x7777, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { STATUS_AT, 1, W }) ==
	      VIRTIO_BLK_S_UNSUPP);
	CHECK(req.type == 0x7777);
	CHECK(req.status == gpa(STATUS_AT));
	CHECK(req.written == 1);
	/* SCSI commands (VIRTIO_BLK_T_SCSI_CMD, 2) are not served. */
	put_hdr(HDR_AT, 2, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { STATUS_AT, 1, W }) ==
	      VIRTIO_BLK_S_UNSUPP);
}

TEST(in_and_out_refuse_data_the_wrong_way)
{
	REQUIRE(fresh() == 0);
	/* A read with extra readable bytes after its header. */
	put_hdr(HDR_AT, VIRTIO_BLK_T_IN, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, R },
		    { DATA_AT + 0x1000, 512, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
	/* A write with writable bytes before its status. */
	put_hdr(HDR_AT, VIRTIO_BLK_T_OUT, 0);
	CHECK(PARSE({ HDR_AT, 16, R }, { DATA_AT, 512, R },
		    { DATA_AT + 0x1000, 512, W },
		    { STATUS_AT, 1, W }) == VIRTIO_BLK_S_IOERR);
}

/* A WRITE_ZEROES of one segment, parsed; then segment 0's answer. */
static int one_segment(uint64_t sector, uint32_t num, uint32_t flags)
{
	uint64_t off = 1, len = 1;
	uint32_t f = 1;
	int ret;

	put_hdr(HDR_AT, VIRTIO_BLK_T_WRITE_ZEROES, 0);
	put_seg(DATA_AT, sector, num, flags);
	if (PARSE({ HDR_AT, 16, R }, { DATA_AT, 16, R },
		  { STATUS_AT, 1, W }) != VIRTIO_BLK_S_OK)
		return -1;
	ret = segment(0, &off, &len, &f);
	/* A refused segment leaves the outputs alone. */
	if (ret && (off != 1 || len != 1 || f != 1))
		return -2;
	return ret;
}

TEST(segment_zero_sectors)
{
	REQUIRE(fresh() == 0);
	CHECK(one_segment(0, 0, 0) == VIRTIO_BLK_S_IOERR);
	CHECK(one_segment(0, 1, 0) == 0);
}

TEST(segment_out_of_range)
{
	REQUIRE(fresh() == 0);
	CHECK(one_segment(99, 1, 0) == 0);
	CHECK(one_segment(99, 2, 0) == VIRTIO_BLK_S_IOERR);
	CHECK(one_segment(100, 1, 0) == VIRTIO_BLK_S_IOERR);
	CHECK(one_segment(0, 101, 0) == VIRTIO_BLK_S_IOERR);
	CHECK(one_segment(0, UINT32_MAX, 0) == VIRTIO_BLK_S_IOERR);
	CHECK(one_segment(UINT64_MAX, 1, 0) == VIRTIO_BLK_S_IOERR);
	disk.sectors = UINT64_MAX;
	CHECK(one_segment(UINT64_MAX - 1, 2, 0) == VIRTIO_BLK_S_IOERR);
}

TEST(segment_unknown_flags)
{
	REQUIRE(fresh() == 0);
	/* Flags we do not know are unsupported (5.2.6.2), not an I/O error. */
	CHECK(one_segment(0, 1, 2) == VIRTIO_BLK_S_UNSUPP);
	CHECK(one_segment(0, 1, 0x80000000u) == VIRTIO_BLK_S_UNSUPP);
	CHECK(one_segment(0, 1, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP | 4) ==
	      VIRTIO_BLK_S_UNSUPP);
	CHECK(one_segment(0, 1, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP) == 0);
}

int main(void)
{
	int ret = check_run_all();

	free(ram.base);
	return ret;
}

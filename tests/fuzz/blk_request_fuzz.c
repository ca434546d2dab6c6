// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for host/virtio/blk_request.c, fed through the real
 * virtqueue: the input is a queue setup, a disk and a guest RAM. Every
 * chain vq_pop hands out is parsed as a virtio-blk request; an accepted
 * request must lie on the disk and in RAM, its segments (DISCARD,
 * WRITE_ZEROES) are walked to the end, and its status byte is written.
 *
 * Input: a 16-byte head (struct fuzz_head), then the RAM, guest-physical
 * 0 first. Built with -DFUZZ_SEEDS instead, main(DIR) writes a few
 * well-formed requests into DIR for run.sh's seed corpus.
 */
#include <errno.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_ring.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/blk_request.h"

struct fuzz_head {
	uint8_t num_log2;	/* num = 1 << (num_log2 % 11) */
	uint8_t flags;		/* FUZZ_EVENT_IDX, FUZZ_INDIRECT, FUZZ_RO */
	uint16_t desc, avail, used;	/* offsets in RAM, mod its size */
	uint16_t last_avail;
	uint8_t pad[2];
	uint32_t sectors;	/* the disk's size */
};

#define FUZZ_EVENT_IDX	1
#define FUZZ_INDIRECT	2
#define FUZZ_RO		4

#define SECTOR		512ULL

#define FUZZ_ASSERT(x) do { if (!(x)) __builtin_trap(); } while (0)

static int in_ram(const struct vq_ram *ram, const void *base, uint64_t len)
{
	uintptr_t p = (uintptr_t)base, b = (uintptr_t)ram->base;

	return p >= b && p - b < ram->size && len &&
	       len <= ram->size - (p - b);
}

/* Data iovecs: in RAM, summing to r->len; touched (written if IN). */
static void check_data(const struct vq_ram *ram, const struct blk_request *r,
		       int write)
{
	uint64_t sum = 0;
	unsigned int i;

	FUZZ_ASSERT(r->niov <= VQ_CHAIN_MAX);
	for (i = 0; i < r->niov; i++) {
		volatile uint8_t *p = r->iov[i].iov_base;
		size_t n = r->iov[i].iov_len;

		FUZZ_ASSERT(in_ram(ram, r->iov[i].iov_base, n));
		sum += n;
		if (write) {
			p[0] = 0;
			p[n - 1] = 0;
		} else {
			(void)p[0];
			(void)p[n - 1];
		}
	}
	FUZZ_ASSERT(sum == r->len);
}

static int on_disk(const struct blk_geometry *disk, uint64_t off,
		   uint64_t len)
{
	return !(off % SECTOR) && !(len % SECTOR) &&
	       off / SECTOR <= disk->sectors &&
	       len / SECTOR <= disk->sectors - off / SECTOR;
}

static void walk_segments(const struct blk_request *r,
			  const struct blk_geometry *disk)
{
	uint64_t off, len, n = r->len / 16;
	uint32_t flags;
	unsigned int i;

	FUZZ_ASSERT(r->len && !(r->len % 16));
	for (i = 0; i <= n && i < 4096; i++) {
		if (blk_request_segment(r, disk, i, &off, &len, &flags))
			continue;
		FUZZ_ASSERT(i < n);
		FUZZ_ASSERT(len && on_disk(disk, off, len));
		FUZZ_ASSERT(!(flags & ~VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP));
	}
}

static void serve(const struct vq_ram *ram, const struct vq_chain *c,
		  const struct blk_geometry *disk, struct blk_request *r)
{
	int st = blk_request_parse(c, disk, r);

	FUZZ_ASSERT(st == VIRTIO_BLK_S_OK || st == VIRTIO_BLK_S_IOERR ||
		    st == VIRTIO_BLK_S_UNSUPP);
	if (!r->status) {
		FUZZ_ASSERT(st == VIRTIO_BLK_S_IOERR && !c->nwrite);
		return;
	}
	FUZZ_ASSERT(in_ram(ram, r->status, 1));
	FUZZ_ASSERT(r->written >= 1 && r->written <= c->write_len);
	if (st == VIRTIO_BLK_S_OK) {
		switch (r->type) {
		case VIRTIO_BLK_T_IN:
		case VIRTIO_BLK_T_OUT:
			FUZZ_ASSERT(on_disk(disk, r->offset, r->len));
			FUZZ_ASSERT(r->type == VIRTIO_BLK_T_IN || !disk->ro);
			check_data(ram, r, r->type == VIRTIO_BLK_T_IN);
			break;
		case VIRTIO_BLK_T_GET_ID:
			FUZZ_ASSERT(r->len == VIRTIO_BLK_ID_BYTES);
			check_data(ram, r, 1);
			break;
		case VIRTIO_BLK_T_FLUSH:
			FUZZ_ASSERT(r->len == 0);
			break;
		case VIRTIO_BLK_T_DISCARD:
		case VIRTIO_BLK_T_WRITE_ZEROES:
			FUZZ_ASSERT(!disk->ro);
			check_data(ram, r, 0);
			walk_segments(r, disk);
			break;
		default:
			FUZZ_ASSERT(0);
		}
	}
	*r->status = (uint8_t)st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vq_chain chain;
	static struct blk_request req;
	struct blk_geometry disk;
	struct fuzz_head h;
	struct virtqueue vq;
	struct vq_ram ram;
	const char *why;
	unsigned int i;
	uint16_t num;
	int ret = 0;

	if (size <= sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	ram.size = size - sizeof(h);
	ram.base = malloc(ram.size);
	if (!ram.base)
		return 0;
	memcpy(ram.base, data + sizeof(h), ram.size);
	disk.sectors = h.sectors;
	disk.ro = h.flags & FUZZ_RO;

	num = 1u << (h.num_log2 % 11);
	if (vq_setup(&vq, &ram, num, (h.desc % ram.size) & ~15ULL,
		     (h.avail % ram.size) & ~1ULL, (h.used % ram.size) & ~3ULL,
		     h.flags & FUZZ_EVENT_IDX, h.flags & FUZZ_INDIRECT, &why))
		goto out;
	vq.last_avail = vq.used_idx = h.last_avail;

	for (i = 0; i <= num; i++) {
		ret = vq_pop(&vq, &chain);
		if (ret <= 0)
			break;
		serve(&ram, &chain, &disk, &req);
		vq_push(&vq, chain.head, req.written);
	}
	/*
	 * No bound on i: a request's status byte or read data may land on
	 * the avail ring itself (vq_setup keeps only the rings apart), and
	 * so make more chains available as the loop serves them, as a
	 * driver may. The device then serves them too; the loop stops.
	 */
	FUZZ_ASSERT(ret >= 0 || vq.broken);
	vq_should_notify(&vq);
out:
	free(ram.base);
	return 0;
}

#ifdef FUZZ_SEEDS
#include <stdio.h>

#define SEED_RAM	0x1000
#define S_DESC		0x000
#define S_AVAIL		0x100
#define S_USED		0x200
#define S_TABLE		0x300
#define S_HDR		0x400
#define S_DATA		0x600
#define S_STATUS	0xff0

static struct {
	struct fuzz_head h;
	uint8_t ram[SEED_RAM];
} seed;

static void seed_new(uint8_t flags)
{
	memset(&seed, 0, sizeof(seed));
	seed.h.num_log2 = 3;
	seed.h.flags = flags;
	seed.h.desc = S_DESC;
	seed.h.avail = S_AVAIL;
	seed.h.used = S_USED;
	seed.h.sectors = 64;
}

static void seed_hdr(uint32_t type, uint64_t sector)
{
	struct virtio_blk_outhdr o = { .type = type, .sector = sector };

	memcpy(seed.ram + S_HDR, &o, sizeof(o));
}

static void seed_desc(uint64_t at, unsigned int i, uint64_t addr,
		      uint32_t len, uint16_t flags, uint16_t next)
{
	struct vring_desc d = { addr, len, flags, next };

	memcpy(seed.ram + at + 16 * i, &d, sizeof(d));
}

/* Header, one data buffer (none if len is 0), status, from desc 0. */
static void seed_request(uint32_t data_len, uint16_t data_flags)
{
	unsigned int i = 0;
	struct vring_avail *a = (struct vring_avail *)(seed.ram + S_AVAIL);

	seed_desc(S_DESC, i, S_HDR, 16, VRING_DESC_F_NEXT, i + 1);
	i++;
	if (data_len) {
		seed_desc(S_DESC, i, S_DATA, data_len,
			  data_flags | VRING_DESC_F_NEXT, i + 1);
		i++;
	}
	seed_desc(S_DESC, i, S_STATUS, 1, VRING_DESC_F_WRITE, 0);
	a->ring[0] = 0;
	a->idx = 1;
}

static int seed_write(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(&seed, sizeof(seed), 1, f) != 1 || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct virtio_blk_discard_write_zeroes s[2] = {
		{ .sector = 1, .num_sectors = 2, .flags = 0 },
		{ .sector = 8, .num_sectors = 8,
		  .flags = VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP },
	};
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	seed_new(0);
	seed_hdr(VIRTIO_BLK_T_IN, 3);
	seed_request(1024, VRING_DESC_F_WRITE);
	bad |= seed_write(argv[1], "in");

	seed_new(FUZZ_EVENT_IDX);
	seed_hdr(VIRTIO_BLK_T_OUT, 60);
	seed_request(2048, 0);
	bad |= seed_write(argv[1], "out");

	seed_new(FUZZ_RO);
	seed_hdr(VIRTIO_BLK_T_FLUSH, 0);
	seed_request(0, 0);
	bad |= seed_write(argv[1], "flush-ro");

	seed_new(0);
	seed_hdr(VIRTIO_BLK_T_GET_ID, 0);
	seed_request(VIRTIO_BLK_ID_BYTES, VRING_DESC_F_WRITE);
	bad |= seed_write(argv[1], "get-id");

	seed_new(0);
	seed_hdr(VIRTIO_BLK_T_WRITE_ZEROES, 0);
	memcpy(seed.ram + S_DATA, s, sizeof(s));
	seed_request(sizeof(s), 0);
	bad |= seed_write(argv[1], "write-zeroes");

	/* A DISCARD through an indirect table. */
	seed_new(FUZZ_INDIRECT);
	seed_hdr(VIRTIO_BLK_T_DISCARD, 0);
	memcpy(seed.ram + S_DATA, s, sizeof(s[0]));
	seed_desc(S_DESC, 0, S_TABLE, 48, VRING_DESC_F_INDIRECT, 0);
	seed_desc(S_TABLE, 0, S_HDR, 16, VRING_DESC_F_NEXT, 1);
	seed_desc(S_TABLE, 1, S_DATA, 16, VRING_DESC_F_NEXT, 2);
	seed_desc(S_TABLE, 2, S_STATUS, 1, VRING_DESC_F_WRITE, 0);
	((struct vring_avail *)(seed.ram + S_AVAIL))->idx = 1;
	bad |= seed_write(argv[1], "discard-indirect");
	return bad;
}
#endif

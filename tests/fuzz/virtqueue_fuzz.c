// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for host/virtio/virtqueue.c: the input is a queue
 * setup and a guest RAM holding whatever rings the fuzzer dreams up. We
 * pop until the queue is empty or broken, check every chain we are given
 * against RAM (ASan sees RAM as its own exact-size allocation, so a
 * stray iovec is a heap overflow) and push it back.
 *
 * Input: a 16-byte head (struct fuzz_head), then the RAM, guest-physical
 * 0 first. Built with -DFUZZ_SEEDS instead, main(DIR) writes a few
 * well-formed inputs into DIR for run.sh's seed corpus.
 */
#include <errno.h>
#include <linux/virtio_ring.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/virtqueue.h"

struct fuzz_head {
	uint8_t num_log2;	/* num = 1 << (num_log2 % 11) */
	uint8_t flags;		/* FUZZ_EVENT_IDX, FUZZ_INDIRECT */
	uint16_t desc, avail, used;	/* offsets in RAM, mod its size */
	uint16_t last_avail;	/* where the device's indices start */
	uint8_t pad[6];
};

#define FUZZ_EVENT_IDX	1
#define FUZZ_INDIRECT	2

/* A broken invariant is a crash libFuzzer records. */
#define FUZZ_ASSERT(x) do { if (!(x)) __builtin_trap(); } while (0)

static int in_ram(const struct vq_ram *ram, const struct iovec *v)
{
	uintptr_t p = (uintptr_t)v->iov_base, base = (uintptr_t)ram->base;

	return p >= base && p - base < ram->size && v->iov_len &&
	       v->iov_len <= ram->size - (p - base);
}

static void check_chain(const struct virtqueue *vq, const struct vq_chain *c)
{
	uint64_t rl = 0, wl = 0;
	unsigned int i;

	FUZZ_ASSERT(c->head < vq->num);
	FUZZ_ASSERT(c->nread + c->nwrite >= 1);
	FUZZ_ASSERT(c->nread + c->nwrite <= VQ_CHAIN_MAX);
	for (i = 0; i < c->nread + c->nwrite; i++) {
		volatile uint8_t *p = c->iov[i].iov_base;
		size_t n = c->iov[i].iov_len;

		FUZZ_ASSERT(in_ram(vq->ram, &c->iov[i]));
		if (i < c->nread) {
			rl += n;
			(void)p[0];
			(void)p[n - 1];
		} else {
			wl += n;
			p[0] = 0xa5;
			p[n - 1] = 0x5a;
		}
	}
	FUZZ_ASSERT(rl == c->read_len && wl == c->write_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vq_chain chain;
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

	num = 1u << (h.num_log2 % 11);
	if (vq_setup(&vq, &ram, num, (h.desc % ram.size) & ~15ULL,
		     (h.avail % ram.size) & ~1ULL, (h.used % ram.size) & ~3ULL,
		     h.flags & FUZZ_EVENT_IDX, h.flags & FUZZ_INDIRECT, &why)) {
		FUZZ_ASSERT(why);
		goto out;
	}
	/* As after h.last_avail chains popped and pushed since reset. */
	vq.last_avail = vq.used_idx = h.last_avail;

	/* The avail index is at most num ahead, so num pops drain it. */
	for (i = 0; i <= num; i++) {
		ret = vq_pop(&vq, &chain);
		if (ret <= 0)
			break;
		FUZZ_ASSERT(ret == 1 && !vq.broken);
		check_chain(&vq, &chain);
		vq_push(&vq, chain.head, (uint32_t)chain.write_len);
		if (i & 1)
			vq_should_notify(&vq);
	}
	FUZZ_ASSERT(i <= num);
	if (ret < 0) {
		FUZZ_ASSERT(ret == -EIO && vq.broken && vq.error);
		FUZZ_ASSERT(vq_pop(&vq, &chain) == -EIO);
	}
	vq_should_notify(&vq);
out:
	free(ram.base);
	return 0;
}

#ifdef FUZZ_SEEDS
#include <stdio.h>

#define SEED_RAM	0x800
#define S_DESC		0x000
#define S_AVAIL		0x100
#define S_USED		0x200
#define S_TABLE		0x300
#define S_BUF		0x400

static struct {
	struct fuzz_head h;
	uint8_t ram[SEED_RAM];
} seed;

static void seed_new(uint8_t num_log2, uint8_t flags)
{
	memset(&seed, 0, sizeof(seed));
	seed.h.num_log2 = num_log2;
	seed.h.flags = flags;
	seed.h.desc = S_DESC;
	seed.h.avail = S_AVAIL;
	seed.h.used = S_USED;
}

static void seed_desc(uint64_t at, unsigned int i, uint64_t addr,
		      uint32_t len, uint16_t flags, uint16_t next)
{
	struct vring_desc d = { addr, len, flags, next };

	memcpy(seed.ram + at + 16 * i, &d, sizeof(d));
}

static void seed_offer(uint16_t head)
{
	struct vring_avail *a = (struct vring_avail *)(seed.ram + S_AVAIL);
	unsigned int num = 1u << (seed.h.num_log2 % 11);

	a->ring[a->idx % num] = head;
	a->idx++;
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
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	/* A request of two buffers, readable then writable. */
	seed_new(3, 0);
	seed_desc(S_DESC, 0, S_BUF, 16, VRING_DESC_F_NEXT, 1);
	seed_desc(S_DESC, 1, S_BUF + 0x100, 512, VRING_DESC_F_WRITE, 0);
	seed_offer(0);
	bad |= seed_write(argv[1], "two-buffers");

	/* Two chains, EVENT_IDX, indices about to wrap. */
	seed_new(3, FUZZ_EVENT_IDX);
	seed.h.last_avail = 0xffff;
	((struct vring_avail *)(seed.ram + S_AVAIL))->idx = 0xffff;
	seed_desc(S_DESC, 2, S_BUF, 64, 0, 0);
	seed_desc(S_DESC, 5, S_BUF + 64, 64, VRING_DESC_F_WRITE, 0);
	seed_offer(2);
	seed_offer(5);
	bad |= seed_write(argv[1], "event-idx-wrap");

	/* One indirect table of three. */
	seed_new(2, FUZZ_INDIRECT);
	seed_desc(S_DESC, 0, S_TABLE, 48, VRING_DESC_F_INDIRECT, 0);
	seed_desc(S_TABLE, 0, S_BUF, 16, VRING_DESC_F_NEXT, 1);
	seed_desc(S_TABLE, 1, S_BUF + 16, 100,
		  VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	seed_desc(S_TABLE, 2, S_BUF + 200, 1, VRING_DESC_F_WRITE, 0);
	seed_offer(0);
	bad |= seed_write(argv[1], "indirect");

	/* A loop, which must break the queue. */
	seed_new(1, 0);
	seed_desc(S_DESC, 0, S_BUF, 8, VRING_DESC_F_NEXT, 1);
	seed_desc(S_DESC, 1, S_BUF, 8, VRING_DESC_F_NEXT, 0);
	seed_offer(0);
	bad |= seed_write(argv[1], "loop");
	return bad;
}
#endif

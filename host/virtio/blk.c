// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk on a host file. On a queue notify the vCPU takes the new
 * requests from the ring and tries each read or write at once with
 * RWF_NOWAIT: one that the host page cache can serve without waiting
 * completes there, with no thread handoff (each costs microseconds on a
 * virtualised host). Everything else goes to the disk's I/O thread,
 * which owns an io_uring: a poll on the doorbell eventfd wakes it to
 * submit them as preadv, pwritev and fdatasync on the file; completions
 * are pushed back and the guest interrupted, once per batch. Many
 * requests are in flight at once, so the guest's queue depth reaches the
 * host file system, and the vCPU never waits for the disk.
 *
 * A read that missed the host page cache goes around it (O_DIRECT) when
 * its buffers and range are page aligned, as the guest's own page cache
 * I/O always is: the guest caches what it reads, a second copy in the
 * host would only cost memory, and direct reads reach the disk's speed
 * and queue depth. Writes stay buffered (written back by the host, made
 * durable by FLUSH); Linux keeps the two paths coherent.
 *
 * A FLUSH completes only after fdatasync returned: the guest's fsync
 * means what it says. DISCARD and WRITE_ZEROES punch holes, so a trimmed
 * guest file system shrinks the host file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <linux/falloc.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include "blk.h"
#include "blk_request.h"

#define BLK_QUEUE_SIZE	256
#define BLK_DOORBELL	(~0ULL)	/* io_uring user_data of the doorbell poll */

struct blk_slot {
	struct vq_chain chain;
	struct blk_request req;
	struct blk_slot *next_free;	/* also: next in the pending list */
};

struct blk_disk {
	struct virtio_device dev;
	struct virtio_blk_config config;
	struct virtio_mmio *mmio;
	struct blk_geometry geo;
	char name[16];
	char path[4096];
	int fd;
	int direct_fd;		/* O_DIRECT reads; -1 if the file system refuses */
	int doorbell;		/* eventfd */
	struct io_uring ring;
	pthread_t thread;
	pthread_cond_t idle;	/* inflight dropped to 0; with mmio->lock */
	unsigned int inflight;
	bool io_error_seen;	/* log the first host I/O error only */
	bool pushed;		/* used entries not yet signalled */
	/* The host file system takes RWF_NOWAIT buffered writes (ext4 may
	 * not: then they are not tried again on every request). */
	bool nowait_writes;
	struct blk_slot *free;
	/* Parsed requests for the I/O thread, oldest first; mmio->lock. */
	struct blk_slot *pending, **pending_tail;
	struct blk_slot slots[BLK_QUEUE_SIZE];
};

int blk_spec_parse(const char *arg, struct blk_spec *spec, char *err,
		   size_t errlen)
{
	const char *comma = strrchr(arg, ',');
	size_t len = strlen(arg);

	spec->ro = false;
	if (comma && (!strcmp(comma, ",ro") || !strcmp(comma, ",rw"))) {
		spec->ro = comma[2] == 'o';
		len = (size_t)(comma - arg);
	}
	if (!len) {
		snprintf(err, errlen, "--disk %s: no file name (use --disk FILE[,ro])",
			 arg);
		return -EINVAL;
	}
	if (len >= sizeof(spec->path)) {
		snprintf(err, errlen, "--disk: file name longer than %zu bytes",
			 sizeof(spec->path) - 1);
		return -EINVAL;
	}
	memcpy(spec->path, arg, len);
	spec->path[len] = '\0';
	return 0;
}

int blk_open(struct blk_disk **out, const struct blk_spec *spec,
	     const char *name, char *err, size_t errlen)
{
	struct flock lock = {
		.l_type = spec->ro ? F_RDLCK : F_WRLCK,
		.l_whence = SEEK_SET,
	};
	struct blk_disk *d;
	struct stat st;
	unsigned int i;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "--disk %s: out of memory", spec->path);
		return -ENOMEM;
	}
	d->doorbell = -1;
	d->direct_fd = -1;
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->path, sizeof(d->path), "%s", spec->path);
	d->fd = open(spec->path, (spec->ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (d->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "--disk %s: %s%s", spec->path,
			 strerror(errno),
			 errno == EACCES || errno == EROFS ?
			 (spec->ro ? "" : " (add ,ro to use it read-only)") :
			 errno == ENOENT ?
			 " (create one with `colinux image busybox FILE`)" : "");
		goto fail;
	}
	if (fstat(d->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err, errlen, "--disk %s: not a regular file",
			 spec->path);
		goto fail;
	}
	if (!st.st_size || st.st_size % 512) {
		ret = -EINVAL;
		snprintf(err, errlen, "--disk %s: size %lld bytes is not a non-zero multiple of 512 (resize it with truncate -s)",
			 spec->path, (long long)st.st_size);
		goto fail;
	}
	if (fcntl(d->fd, F_OFD_SETLK, &lock) < 0) {
		ret = -errno;
		snprintf(err, errlen, "--disk %s: in use by another colinux monitor (%s)",
			 spec->path, strerror(errno));
		goto fail;
	}
	/* Not every file system has O_DIRECT (tmpfs): then reads are buffered. */
	d->direct_fd = open(spec->path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	/*
	 * With direct reads, the buffered descriptor only serves what is
	 * cached: no readahead, or every RWF_NOWAIT miss would start reading
	 * into the host cache what the direct read then reads again.
	 */
	if (d->direct_fd >= 0)
		posix_fadvise(d->fd, 0, 0, POSIX_FADV_RANDOM);
	d->geo.sectors = (uint64_t)st.st_size / 512;
	d->geo.ro = spec->ro;

	d->config.capacity = d->geo.sectors;
	d->config.seg_max = VQ_CHAIN_MAX - 2;	/* plus header and status */
	d->config.max_discard_sectors = UINT32_MAX;
	d->config.max_discard_seg = 1;
	d->config.discard_sector_alignment = 8;
	d->config.max_write_zeroes_sectors = UINT32_MAX;
	d->config.max_write_zeroes_seg = 1;
	d->config.write_zeroes_may_unmap = 1;

	d->dev.name = d->name;
	d->dev.device_id = VIRTIO_ID_BLOCK;
	d->dev.features = (1ULL << VIRTIO_BLK_F_SEG_MAX) |
			  (1ULL << VIRTIO_BLK_F_FLUSH) |
			  (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
			  (1ULL << VIRTIO_RING_F_EVENT_IDX);
	if (spec->ro)
		d->dev.features |= 1ULL << VIRTIO_BLK_F_RO;
	else
		d->dev.features |= (1ULL << VIRTIO_BLK_F_DISCARD) |
				   (1ULL << VIRTIO_BLK_F_WRITE_ZEROES);
	d->dev.nqueues = 1;
	d->dev.queue_max = BLK_QUEUE_SIZE;
	d->dev.config = &d->config;
	d->dev.config_len = sizeof(d->config);
	d->dev.priv = d;
	for (i = 0; i < BLK_QUEUE_SIZE; i++) {
		d->slots[i].next_free = d->free;
		d->free = &d->slots[i];
	}
	d->pending_tail = &d->pending;
	d->nowait_writes = true;
	pthread_cond_init(&d->idle, NULL);
	*out = d;
	return 0;
fail:
	if (d->fd >= 0)
		close(d->fd);
	free(d);
	return ret;
}

static void io_error(struct blk_disk *d, const char *op, int res)
{
	if (d->io_error_seen)
		return;
	d->io_error_seen = true;
	fprintf(stderr, "colinux: disk %s (%s): %s failed: %s; the guest sees an I/O error\n",
		d->name, d->path, op, res < 0 ? strerror(-res) : "short transfer");
}

/* Answer a request and give its slot back (mmio->lock held). */
static void finish(struct blk_disk *d, struct blk_slot *s, uint8_t status)
{
	struct virtqueue *vq = virtio_mmio_queue(d->mmio, 0);

	/* After a reset the ring belongs to the guest again: drop it. */
	if (vq) {
		if (s->req.status)
			*s->req.status = status;
		vq_push(vq, s->chain.head,
			status == VIRTIO_BLK_S_OK ? s->req.written : 1);
		d->pushed = true;
	}
	s->next_free = d->free;
	d->free = s;
}

/* Interrupt the guest for what finish() pushed, if it wants (lock held). */
static void signal_used(struct blk_disk *d)
{
	if (d->pushed && virtio_mmio_queue(d->mmio, 0))
		virtio_mmio_used(d->mmio, 0);
	d->pushed = false;
}

/* Punch or zero each segment now; discards are rare and quick. */
static uint8_t run_segments(struct blk_disk *d, struct blk_request *r)
{
	unsigned int i, n = r->len / sizeof(struct virtio_blk_discard_write_zeroes);
	uint64_t off, len;
	uint32_t flags;

	for (i = 0; i < n; i++) {
		int mode = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE;
		int bad = blk_request_segment(r, &d->geo, i, &off, &len,
					      &flags);

		if (bad)
			return (uint8_t)bad;

		if (r->type == VIRTIO_BLK_T_WRITE_ZEROES &&
		    !(flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP))
			mode = FALLOC_FL_KEEP_SIZE | FALLOC_FL_ZERO_RANGE;
		if (fallocate(d->fd, mode, (off_t)off, (off_t)len) < 0) {
			io_error(d, "fallocate", -errno);
			return VIRTIO_BLK_S_IOERR;
		}
	}
	return VIRTIO_BLK_S_OK;
}

/* Answer GET_ID: a serial number made of the disk's name. */
static void get_id(struct blk_disk *d, struct blk_slot *s)
{
	struct blk_request *r = &s->req;
	char id[32] = { 0 };
	unsigned int i;
	size_t at = 0;

	snprintf(id, sizeof(id), "colinux-%s", d->name);
	for (i = 0; i < r->niov; i++) {
		memcpy(r->iov[i].iov_base, id + at, r->iov[i].iov_len);
		at += r->iov[i].iov_len;
	}
	finish(d, s, VIRTIO_BLK_S_OK);
}

/*
 * A read or write the host page cache can serve without waiting: done
 * here and now. Anything short of all of it (EAGAIN, a partial transfer,
 * a file system without RWF_NOWAIT, an error) is left to the I/O thread,
 * which does the whole request again, properly.
 */
static bool try_now(struct blk_disk *d, struct blk_slot *s)
{
	struct blk_request *r = &s->req;
	ssize_t n;

	if (r->type == VIRTIO_BLK_T_IN)
		n = preadv2(d->fd, r->iov, (int)r->niov, (off_t)r->offset,
			    RWF_NOWAIT);
	else if (r->type == VIRTIO_BLK_T_OUT && d->nowait_writes)
		n = pwritev2(d->fd, r->iov, (int)r->niov, (off_t)r->offset,
			     RWF_NOWAIT);
	else
		return false;
	if (n < 0 && errno == EOPNOTSUPP && r->type == VIRTIO_BLK_T_OUT)
		d->nowait_writes = false;
	if (n < 0 || (uint64_t)n != r->len)
		return false;
	finish(d, s, VIRTIO_BLK_S_OK);
	return true;
}

/* Queue a request the vCPU could not finish for the I/O thread. */
static void defer(struct blk_disk *d, struct blk_slot *s)
{
	s->next_free = NULL;
	*d->pending_tail = s;
	d->pending_tail = &s->next_free;
	d->inflight++;
}

/* May read r around the host page cache? Page alignment everywhere. */
static bool direct_ok(const struct blk_disk *d, const struct blk_request *r)
{
	unsigned int i;

	if (d->direct_fd < 0 || r->type != VIRTIO_BLK_T_IN ||
	    (r->offset | r->len) % 4096)
		return false;
	for (i = 0; i < r->niov; i++)
		if (((uintptr_t)r->iov[i].iov_base | r->iov[i].iov_len) % 4096)
			return false;
	return true;
}

/* On the I/O thread: put one deferred request on the ring. */
static void submit(struct blk_disk *d, struct blk_slot *s)
{
	struct blk_request *r = &s->req;
	struct io_uring_sqe *sqe;

	if (r->type == VIRTIO_BLK_T_DISCARD ||
	    r->type == VIRTIO_BLK_T_WRITE_ZEROES) {
		finish(d, s, run_segments(d, r));
		d->inflight--;
		return;
	}
	/* The ring has room for every slot and the doorbell. */
	sqe = io_uring_get_sqe(&d->ring);
	if (r->type == VIRTIO_BLK_T_IN)
		io_uring_prep_readv(sqe, direct_ok(d, r) ? d->direct_fd : d->fd,
				    r->iov, r->niov, r->offset);
	else if (r->type == VIRTIO_BLK_T_OUT)
		io_uring_prep_writev(sqe, d->fd, r->iov, r->niov, r->offset);
	else
		io_uring_prep_fsync(sqe, d->fd, IORING_FSYNC_DATASYNC);
	io_uring_sqe_set_data(sqe, s);
}

/* The guest notified (vCPU thread): take every available request. */
static bool take_requests(struct blk_disk *d)
{
	struct virtio_mmio *m = d->mmio;
	struct virtqueue *vq;
	bool deferred = false;
	int ret;

	pthread_mutex_lock(&m->lock);
	while (d->free && (vq = virtio_mmio_queue(m, 0))) {
		struct blk_slot *s = d->free;
		int status;

		ret = vq_pop(vq, &s->chain);
		if (ret < 0)
			virtio_mmio_fail(m, vq->error);
		if (ret <= 0)
			break;
		d->free = s->next_free;
		status = blk_request_parse(&s->chain, &d->geo, &s->req);
		if (status != VIRTIO_BLK_S_OK)
			finish(d, s, (uint8_t)status);
		else if (s->req.type == VIRTIO_BLK_T_GET_ID)
			get_id(d, s);
		else if (!try_now(d, s)) {
			defer(d, s);
			deferred = true;
		}
	}
	signal_used(d);
	pthread_mutex_unlock(&m->lock);
	return deferred;
}

/* The doorbell rang (I/O thread): submit what the vCPU deferred. */
static void submit_deferred(struct blk_disk *d)
{
	struct virtio_mmio *m = d->mmio;
	struct blk_slot *s;

	pthread_mutex_lock(&m->lock);
	s = d->pending;
	d->pending = NULL;
	d->pending_tail = &d->pending;
	while (s) {
		struct blk_slot *next = s->next_free;

		submit(d, s);
		s = next;
	}
	signal_used(d);
	if (!d->inflight)
		pthread_cond_broadcast(&d->idle);
	pthread_mutex_unlock(&m->lock);
}

/* One completion from the ring (mmio->lock held). */
static void complete(struct blk_disk *d, struct blk_slot *s, int res)
{
	uint8_t status = VIRTIO_BLK_S_OK;

	if (res < 0 || (s->req.type != VIRTIO_BLK_T_FLUSH &&
			(uint64_t)res != s->req.len)) {
		io_error(d, s->req.type == VIRTIO_BLK_T_IN ? "read" :
			    s->req.type == VIRTIO_BLK_T_OUT ? "write" :
			    "fdatasync", res);
		status = VIRTIO_BLK_S_IOERR;
	}
	finish(d, s, status);
	if (!--d->inflight)
		pthread_cond_broadcast(&d->idle);
}

static void arm_doorbell(struct blk_disk *d)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&d->ring);

	/* The ring has room for a whole queue plus the doorbell. */
	io_uring_prep_poll_add(sqe, d->doorbell, POLLIN);
	io_uring_sqe_set_data64(sqe, BLK_DOORBELL);
}

static void *io_thread(void *arg)
{
	struct blk_disk *d = arg;

	arm_doorbell(d);
	for (;;) {
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;
		bool locked = false;
		int ret = io_uring_submit_and_wait(&d->ring, 1);

		if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "colinux: disk %s: io_uring: %s\n",
				d->name, strerror(-ret));
			return NULL;
		}
		io_uring_for_each_cqe(&d->ring, head, cqe) {
			seen++;
			if (cqe->user_data == BLK_DOORBELL) {
				uint64_t n;

				if (read(d->doorbell, &n, sizeof(n)) < 0 &&
				    errno != EAGAIN)
					perror("colinux: disk doorbell");
				if (locked) {
					signal_used(d);
					pthread_mutex_unlock(&d->mmio->lock);
					locked = false;
				}
				submit_deferred(d);
				arm_doorbell(d);
				continue;
			}
			/* One interrupt for the whole batch, not one each. */
			if (!locked) {
				pthread_mutex_lock(&d->mmio->lock);
				locked = true;
			}
			complete(d, io_uring_cqe_get_data(cqe), cqe->res);
		}
		if (locked) {
			signal_used(d);
			pthread_mutex_unlock(&d->mmio->lock);
		}
		io_uring_cq_advance(&d->ring, seen);
	}
	return NULL;
}

static void blk_notify(struct virtio_mmio *m, unsigned int q)
{
	struct blk_disk *d = m->dev->priv;
	uint64_t one = 1;

	(void)q;
	if (take_requests(d) && write(d->doorbell, &one, sizeof(one)) < 0)
		perror("colinux: disk doorbell");
}

/*
 * Wait until no request of the old rings is in flight or deferred (lock
 * held): the I/O thread finishes them and, the queue being gone, drops
 * their answers.
 */
static void blk_reset(struct virtio_mmio *m)
{
	struct blk_disk *d = m->dev->priv;
	uint64_t one = 1;

	if (d->pending && write(d->doorbell, &one, sizeof(one)) < 0)
		perror("colinux: disk doorbell");
	while (d->inflight)
		pthread_cond_wait(&d->idle, &m->lock);
}

struct virtio_device *blk_device(struct blk_disk *d)
{
	d->dev.notify = blk_notify;
	d->dev.reset = blk_reset;
	return &d->dev;
}

void blk_set_cpu(struct blk_disk *d, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(d->thread, sizeof(set), &set);
}

int blk_start(struct blk_disk *d, struct virtio_mmio *m, char *err,
	      size_t errlen)
{
	int ret;

	d->mmio = m;
	d->doorbell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->doorbell < 0) {
		ret = -errno;
		snprintf(err, errlen, "disk %s: eventfd: %s", d->name,
			 strerror(errno));
		return ret;
	}
	ret = io_uring_queue_init(BLK_QUEUE_SIZE * 2, &d->ring, 0);
	if (ret < 0) {
		snprintf(err, errlen, "disk %s: io_uring_queue_init: %s (the host kernel must allow io_uring)",
			 d->name, strerror(-ret));
		return ret;
	}
	ret = -pthread_create(&d->thread, NULL, io_thread, d);
	if (ret)
		snprintf(err, errlen, "disk %s: I/O thread: %s", d->name,
			 strerror(-ret));
	return ret;
}

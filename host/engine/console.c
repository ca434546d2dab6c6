// SPDX-License-Identifier: GPL-2.0
/*
 * The guest console on the monitor's terminal. Output is written by the
 * kernel through console_write (ttyP0, the kernel log) and by the
 * virtio console (hvc0, where init runs the job). Input is read here by
 * a thread of its own into a ring. Until the guest's virtio console
 * driver runs, each arrival raises COLINUX_IRQ_CONSOLE so the kernel
 * pulls it with console_read; from then on it is handed to hvc0, and
 * ttyP0 gets none. When standard input is a terminal
 * it is put in raw mode (keys, Ctrl-C included, go to the guest) and
 * restored on every exit path; Ctrl-A x stops the guest from the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "guest.h"
#include "virtio/console.h"

#define RING_SIZE	4096	/* a power of two */
#define ESCAPE_KEY	0x01	/* Ctrl-A */

static char ring[RING_SIZE];
static volatile uint32_t ring_head, ring_tail;	/* producer, consumer */
static struct termios saved_termios;
static int termios_saved;
/* Held by whoever takes from the ring: the kernel or the hvc0 feed. */
static pthread_mutex_t ring_take = PTHREAD_MUTEX_INITIALIZER;
static int to_hvc0;	/* input goes to the virtio console */
static struct guest *console_guest;

static void deliver(void);

void console_restore(void)
{
	if (termios_saved)
		tcsetattr(0, TCSAFLUSH, &saved_termios);
	termios_saved = 0;
}

static void ring_put(char c)
{
	uint32_t head = ring_head;

	/* Full: hand it over and wait for the guest to read. */
	while (head - __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE) >=
	       RING_SIZE) {
		deliver();
		usleep(1000);
	}
	ring[head % RING_SIZE] = c;
	__atomic_store_n(&ring_head, head + 1, __ATOMIC_RELEASE);
}

long host_console_read(char *buf, uint64_t len)
{
	uint32_t tail, head;
	uint64_t n = 0;

	pthread_mutex_lock(&ring_take);
	tail = ring_tail;
	head = __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE);
	while (!to_hvc0 && n < len && tail != head)
		buf[n++] = ring[tail++ % RING_SIZE];
	__atomic_store_n(&ring_tail, tail, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&ring_take);
	return (long)n;
}

/*
 * Hand what the ring holds to hvc0 once its driver runs, else ring the
 * kernel's console line. Called by the input thread after each read, and
 * on the vCPU thread when the guest posts receive buffers.
 */
static void deliver(void)
{
	pthread_mutex_lock(&ring_take);
	if (!to_hvc0 && vconsole_input("", 0) >= 0)
		to_hvc0 = 1;
	if (to_hvc0) {
		uint32_t head = __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE);

		while (ring_tail != head) {
			uint32_t at = ring_tail % RING_SIZE;
			uint32_t n = head - ring_tail;
			long took;

			if (n > RING_SIZE - at)
				n = RING_SIZE - at;
			took = vconsole_input(ring + at, n);
			if (took <= 0)
				break;	/* no buffer posted yet: retried then */
			__atomic_store_n(&ring_tail, ring_tail + (uint32_t)took,
					 __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&ring_take);
	if (!to_hvc0)
		vcpu_raise_irq(console_guest, COLINUX_IRQ_CONSOLE);
}

static void *console_input(void *arg)
{
	struct guest *g = arg;
	int escape = 0;
	char buf[256];

	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));
		ssize_t i;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;	/* end of input: the guest sees none */
		for (i = 0; i < n; i++) {
			if (termios_saved && escape) {
				escape = 0;
				if (buf[i] == 'x') {
					fprintf(stderr, "\r\ncolinux: Ctrl-A x: stopping the guest\r\n");
					vcpu_raise_irq(g, COLINUX_IRQ_SHUTDOWN);
					continue;
				}
				if (buf[i] != ESCAPE_KEY)
					ring_put(ESCAPE_KEY);
			} else if (termios_saved && buf[i] == ESCAPE_KEY) {
				escape = 1;
				continue;
			}
			ring_put(buf[i]);
		}
		deliver();
	}
}

int console_start(struct guest *g, char *err, size_t errlen)
{
	pthread_t t;
	sigset_t all, old;
	int ret;

	console_guest = g;
	vconsole_set_rx_ready(deliver);
	if (isatty(0) && tcgetattr(0, &saved_termios) == 0) {
		struct termios raw = saved_termios;

		cfmakeraw(&raw);
		raw.c_oflag |= OPOST | ONLCR;	/* the guest writes \n */
		termios_saved = 1;
		atexit(console_restore);
		tcsetattr(0, TCSAFLUSH, &raw);
	}
	/* The input thread takes no signals: they belong to others. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&t, NULL, console_input, g);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		snprintf(err, errlen, "console input thread: %s", strerror(ret));
		return -ret;
	}
	pthread_detach(t);
	return 0;
}

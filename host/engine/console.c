// SPDX-License-Identifier: GPL-2.0
/*
 * The guest console on the monitor's terminal. Output is written by the
 * kernel through console_write; input is read here by a thread of its
 * own into a ring, and each arrival raises COLINUX_IRQ_CONSOLE so the
 * kernel pulls it with console_read. When standard input is a terminal
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

#define RING_SIZE	4096	/* a power of two */
#define ESCAPE_KEY	0x01	/* Ctrl-A */

static char ring[RING_SIZE];
static volatile uint32_t ring_head, ring_tail;	/* producer, consumer */
static struct termios saved_termios;
static int termios_saved;

void console_restore(void)
{
	if (termios_saved)
		tcsetattr(0, TCSAFLUSH, &saved_termios);
	termios_saved = 0;
}

static void ring_put(char c)
{
	uint32_t head = ring_head;

	/* Full: wait for the guest to read (it is keyboard speed). */
	while (head - __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE) >=
	       RING_SIZE)
		usleep(1000);
	ring[head % RING_SIZE] = c;
	__atomic_store_n(&ring_head, head + 1, __ATOMIC_RELEASE);
}

long host_console_read(char *buf, uint64_t len)
{
	uint32_t tail = ring_tail;
	uint32_t head = __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE);
	uint64_t n = 0;

	while (n < len && tail != head)
		buf[n++] = ring[tail++ % RING_SIZE];
	__atomic_store_n(&ring_tail, tail, __ATOMIC_RELEASE);
	return (long)n;
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
		vcpu_raise_irq(g, COLINUX_IRQ_CONSOLE);
	}
}

int console_start(struct guest *g, char *err, size_t errlen)
{
	pthread_t t;
	sigset_t all, old;
	int ret;

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

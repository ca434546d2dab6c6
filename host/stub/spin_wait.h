/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spin, then sleep: how the vCPU waits for a stub to trap back and how a
 * stub waits for the kernel to hand its thread back, when the two run on
 * different host CPUs. Shared by the monitor and the stub (no libc).
 *
 * Each side learns how long its waits last (a moving average, sleeps
 * and wake-ups included) and spins for about twice that, at least the
 * base budget (about what a sleep and a wake-up across CPUs cost) and at
 * most SPIN_WAIT_STRETCH times it. A side whose waits are longer than
 * that (a process that computes, or blocks in the kernel) sleeps at
 * once, so as not to hold a CPU for nothing, and spins again now and
 * then to find out whether its waits got short.
 */
#ifndef COLINUX_SPIN_WAIT_H
#define COLINUX_SPIN_WAIT_H

#include <stdint.h>

/* The longest spin, in base budgets. */
#define SPIN_WAIT_STRETCH	8
/* A side that sleeps at once spins again every this many waits. */
#define SPIN_WAIT_PROBE		64

struct spin_wait {
	uint64_t budget;	/* base budget in TSC ticks; 0: never spin */
	uint64_t avg;		/* waits' moving average, TSC ticks */
	uint64_t start;		/* of the wait under way */
	uint32_t skipped;	/* waits that slept at once since a spin */
};

static inline uint64_t spin_wait_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* A wait begins: the deadline of its spin, or 0 to sleep at once. */
static inline uint64_t spin_wait_begin(struct spin_wait *w)
{
	uint64_t most = w->budget * SPIN_WAIT_STRETCH, spin = 2 * w->avg;

	w->start = spin_wait_tsc();
	if (!w->budget)
		return 0;
	if (w->avg > most && ++w->skipped < SPIN_WAIT_PROBE)
		return 0;
	w->skipped = 0;
	if (spin < w->budget)
		spin = w->budget;
	if (spin > most)
		spin = most;
	return w->start + spin;
}

/* Whether a spin that began with deadline @until should go on. */
static inline int spin_wait_more(uint64_t until)
{
	__asm__ volatile("pause");
	return spin_wait_tsc() < until;
}

/* Fold a wait of len ticks into the average. */
static inline void spin_wait_learn(struct spin_wait *w, uint64_t len)
{
	w->avg = w->avg - w->avg / 8 + len / 8;
}

/* The wait is over (after a sleep, if it slept): learn its length. */
static inline void spin_wait_end(struct spin_wait *w)
{
	spin_wait_learn(w, spin_wait_tsc() - w->start);
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spin, then sleep: how the vCPU waits for a stub to trap back and how a
 * stub waits for the kernel to hand its thread back, when the two run on
 * different host CPUs. Shared by the monitor and the stub (no libc).
 *
 * A wait spins for at most a budget of TSC ticks, about what sleeping
 * and being woken across CPUs costs; past that, sleeping is cheaper
 * whatever happens, so a wait never costs more than twice the best
 * choice made knowing the future. A side whose waits keep outlasting the
 * budget (a process that computes, or blocks in the kernel) stops
 * spinning, so as not to hold a CPU for nothing, and tries again now and
 * then.
 */
#ifndef COLINUX_SPIN_WAIT_H
#define COLINUX_SPIN_WAIT_H

#include <stdint.h>

/* Waits in a row that outlast the budget before a side stops spinning. */
#define SPIN_WAIT_MISSES	4
/* A side that stopped spinning tries again every this many waits. */
#define SPIN_WAIT_PROBE		64

struct spin_wait {
	uint64_t budget;	/* TSC ticks; 0: always sleep at once */
	uint32_t misses;	/* consecutive waits that had to sleep */
	uint32_t skipped;	/* waits that slept at once since then */
};

static inline uint64_t spin_wait_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* The deadline of this wait's spin, or 0 when it should sleep at once. */
static inline uint64_t spin_wait_begin(struct spin_wait *w)
{
	if (!w->budget)
		return 0;
	if (w->misses >= SPIN_WAIT_MISSES && ++w->skipped < SPIN_WAIT_PROBE)
		return 0;
	w->skipped = 0;
	return spin_wait_tsc() + w->budget;
}

/* Whether a spin that began with deadline @until should go on. */
static inline int spin_wait_more(uint64_t until)
{
	__asm__ volatile("pause");
	return spin_wait_tsc() < until;
}

/* How the wait ended: @hit is 1 when the spin saw the other side. */
static inline void spin_wait_end(struct spin_wait *w, uint64_t until, int hit)
{
	if (hit)
		w->misses = 0;
	else if (until && w->misses < SPIN_WAIT_MISSES)
		w->misses++;
}

#endif

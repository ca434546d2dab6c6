// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for host/stub/spin_wait.h, the spin-then-sleep policy of both
 * sides of a handoff: how long a wait spins for the waits it has seen.
 */
#include <stdint.h>

#include "stub/spin_wait.h"
#include "check.h"

/* The spin a wait would do now, in ticks (0: it sleeps at once). */
static uint64_t spin_of(struct spin_wait *w)
{
	uint64_t until = spin_wait_begin(w);

	return until ? until - w->start : 0;
}

/* Teach w that its waits last len ticks (no clock: deterministic). */
static void learn(struct spin_wait *w, uint64_t len)
{
	int i;

	for (i = 0; i < 200; i++)
		spin_wait_learn(w, len);
}

TEST(no_budget_never_spins)
{
	struct spin_wait w = { 0 };

	CHECK(spin_of(&w) == 0);
	learn(&w, 10);
	CHECK(spin_of(&w) == 0);
}

TEST(short_waits_spin_the_base_budget)
{
	struct spin_wait w = { .budget = 1000 };

	CHECK(spin_of(&w) == 1000);	/* nothing learnt yet */
	learn(&w, 100);
	CHECK(spin_of(&w) == 1000);
}

TEST(spin_is_twice_the_average_within_bounds)
{
	struct spin_wait w = { .budget = 1000 };

	learn(&w, 3000);
	CHECK(spin_of(&w) >= 2 * 2900 && spin_of(&w) <= 2 * 3100);
	learn(&w, 7900);
	CHECK(spin_of(&w) == 1000 * SPIN_WAIT_STRETCH);	/* capped */
}

TEST(long_waits_sleep_at_once_and_probe_now_and_then)
{
	struct spin_wait w = { .budget = 1000 };
	int i, spins = 0;

	learn(&w, 1000 * SPIN_WAIT_STRETCH * 4);
	for (i = 0; i < 4 * SPIN_WAIT_PROBE; i++)
		spins += spin_of(&w) != 0;
	CHECK(spins == 4);
}

TEST(a_short_wait_after_long_ones_brings_spinning_back)
{
	struct spin_wait w = { .budget = 1000 };

	learn(&w, 1000 * SPIN_WAIT_STRETCH * 4);
	CHECK(spin_of(&w) == 0);
	learn(&w, 100);
	CHECK(spin_of(&w) == 1000);
}

TEST(end_learns_the_length_of_a_wait)
{
	struct spin_wait w = { .budget = 1000 };

	spin_wait_begin(&w);
	w.start = spin_wait_tsc() - 8000;	/* it began 8000 ticks ago */
	spin_wait_end(&w);
	/* An eighth of it, or more if this process was preempted. */
	CHECK(w.avg >= 1000);
}

int main(void)
{
	return check_run_all();
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A unit-test harness in one header. TEST(name) { ... } defines a test and
 * registers it before main runs; main calls check_run_all(). CHECK records
 * a failure and carries on, REQUIRE also leaves the test (use it when what
 * follows would crash). Output is one "ok NAME" or "FAIL NAME: file:line:
 * expr" line per check that decides, then "N passed, N failed"; the exit
 * status is non-zero if anything failed. Include it from one file only.
 */
#ifndef COLINUX_CHECK_H
#define COLINUX_CHECK_H

#include <stdio.h>
#include <string.h>

struct check_test {
	const char *name;
	void (*fn)(void);
	struct check_test *next;
};

static struct check_test *check_head, **check_tail = &check_head;
static const char *check_name;	/* the running test */
static int check_failed;	/* the running test has failed a check */

#define TEST(name)							\
	static void test_##name(void);					\
	static struct check_test check_t_##name = { #name, test_##name, 0 }; \
	__attribute__((constructor)) static void check_reg_##name(void) \
	{								\
		*check_tail = &check_t_##name;				\
		check_tail = &check_t_##name.next;			\
	}								\
	static void test_##name(void)

static inline int check_fail(const char *file, int line, const char *expr)
{
	printf("FAIL %s: %s:%d: %s\n", check_name, file, line, expr);
	check_failed = 1;
	return 0;
}

#define CHECK(cond) \
	((void)((cond) || check_fail(__FILE__, __LINE__, #cond)))
#define REQUIRE(cond) \
	do { if (!(cond) && !check_fail(__FILE__, __LINE__, #cond)) return; } \
	while (0)
/* Substring check that shows the actual string when it fails. */
#define CHECK_HAS(str, sub) \
	((void)(strstr((str), (sub)) || \
		(check_fail(__FILE__, __LINE__, #str " contains " #sub), \
		 printf("    got: \"%s\"\n", (str)))))

static inline int check_run_all(void)
{
	int passed = 0, failed = 0;
	struct check_test *t;

	for (t = check_head; t; t = t->next) {
		check_name = t->name;
		check_failed = 0;
		t->fn();
		if (check_failed) {
			failed++;
		} else {
			printf("ok %s\n", t->name);
			passed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#endif /* COLINUX_CHECK_H */

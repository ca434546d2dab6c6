// SPDX-License-Identifier: GPL-2.0
/*
 * The guest vDSO: present in the auxiliary vector, agreeing with the
 * system call, and fast (no trap). Prints what it measured; exits 0
 * only if all holds.
 */
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void)
{
	struct timespec a, b, c, t0, t1;
	int i, ok = 1;

	if (!getauxval(AT_SYSINFO_EHDR)) {
		printf("vdso: no AT_SYSINFO_EHDR\n");
		return 1;
	}
	for (i = 0; i < 100; i++) {
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &c);
		if (ns(&a) > ns(&b) || ns(&b) > ns(&c))
			ok = 0;
	}
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &a);
	clock_gettime(CLOCK_REALTIME, &b);
	if (ns(&b) - ns(&a) > 100000000LL || ns(&b) < ns(&a))
		ok = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100000; i++)
		clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("vdso: ordered=%d clock_gettime %lld ns per call\n", ok,
	       (ns(&t1) - ns(&t0)) / 100000);
	return ok ? 0 : 1;
}

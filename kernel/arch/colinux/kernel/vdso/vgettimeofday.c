// SPDX-License-Identifier: GPL-2.0
/*
 * The vDSO's functions, x86-64's set: the time ones from lib/vdso
 * (included by the Makefile), and getcpu, which on a one-CPU guest has
 * one answer.
 */
#include <linux/time.h>
#include <linux/types.h>

struct getcpu_cache;

int __vdso_clock_gettime(clockid_t clock, struct __kernel_timespec *ts)
{
	return __cvdso_clock_gettime(clock, ts);
}
int clock_gettime(clockid_t, struct __kernel_timespec *)
	__weak __alias(__vdso_clock_gettime);

int __vdso_gettimeofday(struct __kernel_old_timeval *tv, struct timezone *tz)
{
	return __cvdso_gettimeofday(tv, tz);
}
int gettimeofday(struct __kernel_old_timeval *, struct timezone *)
	__weak __alias(__vdso_gettimeofday);

__kernel_old_time_t __vdso_time(__kernel_old_time_t *t)
{
	return __cvdso_time(t);
}
__kernel_old_time_t time(__kernel_old_time_t *t)
	__weak __alias(__vdso_time);

int __vdso_clock_getres(clockid_t clock, struct __kernel_timespec *res)
{
	return __cvdso_clock_getres(clock, res);
}
int clock_getres(clockid_t, struct __kernel_timespec *)
	__weak __alias(__vdso_clock_getres);

long __vdso_getcpu(unsigned int *cpu, unsigned int *node,
		   struct getcpu_cache *unused)
{
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}
long getcpu(unsigned int *, unsigned int *, struct getcpu_cache *)
	__weak __alias(__vdso_getcpu);

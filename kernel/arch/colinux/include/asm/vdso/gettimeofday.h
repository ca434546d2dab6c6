/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic vDSO on the passage clock. The guest's clocksource counts
 * the host's CLOCK_MONOTONIC nanoseconds; guest code runs in a host
 * process (the stub) that holds the host's own vDSO at a fixed place, so
 * the guest vDSO reads that counter with a call into it, no trap. Where
 * the monitor could not set that up, the counter reads as U64_MAX and the
 * generic code falls back to the system call.
 */
#ifndef _ASM_COLINUX_VDSO_GETTIMEOFDAY_H
#define _ASM_COLINUX_VDSO_GETTIMEOFDAY_H

#ifndef __ASSEMBLY__

#include <asm/unistd.h>
#include <uapi/linux/time.h>
#include <linux/limits.h>
#include <asm/barrier.h>
#include <asm/vdso/colinux.h>

#define VDSO_HAS_CLOCK_GETRES	1
#define VDSO_HAS_TIME		1

static __always_inline long colinux_vdso_syscall2(long nr, long a, long b)
{
	long ret;

	asm volatile("syscall"
		     : "=a" (ret)
		     : "0" (nr), "D" (a), "S" (b)
		     : "rcx", "r11", "memory");
	return ret;
}

static __always_inline
long gettimeofday_fallback(struct __kernel_old_timeval *tv,
			   struct timezone *tz)
{
	return colinux_vdso_syscall2(__NR_gettimeofday, (long)tv, (long)tz);
}

static __always_inline
long clock_gettime_fallback(clockid_t clock, struct __kernel_timespec *ts)
{
	return colinux_vdso_syscall2(__NR_clock_gettime, clock, (long)ts);
}

static __always_inline
long clock_getres_fallback(clockid_t clock, struct __kernel_timespec *res)
{
	return colinux_vdso_syscall2(__NR_clock_getres, clock, (long)res);
}

static __always_inline u64 __arch_get_hw_counter(s32 clock_mode,
						 const struct vdso_data *vd)
{
	const struct colinux_vvar *cv = colinux_vvar_page();
	int (*host_gettime)(int clock, struct __kernel_timespec *ts);
	struct __kernel_timespec ts;

	host_gettime = (void *)(unsigned long)
		       READ_ONCE(cv->host_clock_gettime);
	if (clock_mode != VDSO_CLOCKMODE_PASSAGE || !host_gettime ||
	    host_gettime(CLOCK_MONOTONIC, &ts))
		return U64_MAX;
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

static inline bool vdso_cycles_ok(u64 cycles)
{
	return cycles != U64_MAX;
}
#define vdso_cycles_ok vdso_cycles_ok

static __always_inline const struct vdso_data *__arch_get_vdso_data(void)
{
	return _colinux_vdso_data;
}

#endif
#endif

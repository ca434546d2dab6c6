/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Busy waits are timed by the host's monotonic clock, not by a calibrated
 * loop: a vCPU's speed changes with what else the host runs.
 */
#ifndef _ASM_COLINUX_DELAY_H
#define _ASM_COLINUX_DELAY_H

void __udelay(unsigned long usecs);
void __ndelay(unsigned long nsecs);

#define udelay(n)	__udelay(n)
#define ndelay(n)	__ndelay(n)

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seccomp for guest programs: x86-64's system calls and audit arch, so
 * that the filters a distribution ships (systemd's, browsers') apply
 * unchanged. There is no 32-bit compat ABI.
 */
#ifndef _ASM_COLINUX_SECCOMP_H
#define _ASM_COLINUX_SECCOMP_H

#include <uapi/linux/audit.h>
#include <asm/unistd.h>

#define SECCOMP_ARCH_NATIVE		AUDIT_ARCH_X86_64
#define SECCOMP_ARCH_NATIVE_NR		NR_syscalls
#define SECCOMP_ARCH_NATIVE_NAME	"x86_64"

#include <asm-generic/seccomp.h>

#endif

// SPDX-License-Identifier: GPL-2.0
/* The x86-64 system call table, generated from arch/x86's syscall_64.tbl. */
#include <linux/linkage.h>
#include <linux/sys.h>
#include <linux/cache.h>
#include <linux/syscalls.h>
#include <linux/errno.h>
#include <asm/syscall.h>

/* Numbers no system call has (and ones this kernel leaves out). */
long __x64_sys_ni_syscall(const struct pt_regs *regs)
{
	return -ENOSYS;
}

/* brk(2) goes through mm/fault.c, which fills a small growth at once. */
#define __x64_sys_brk colinux_sys_brk

#define __SYSCALL(nr, sym) extern long __x64_##sym(const struct pt_regs *);
#include <asm/syscalls_64.h>
#undef __SYSCALL

#define __SYSCALL(nr, sym) __x64_##sym,
const sys_call_ptr_t sys_call_table[] = {
#include <asm/syscalls_64.h>
};

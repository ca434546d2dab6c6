// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 system calls that are not generic: mmap's byte offset,
 * arch_prctl (TLS bases), and the I/O-port and LDT calls, which a guest
 * without hardware cannot have.
 */
#include <linux/syscalls.h>
#include <linux/mman.h>
#include <linux/uaccess.h>
#include <asm/prctl.h>

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags,
		unsigned long, fd, unsigned long, off)
{
	if (off & ~PAGE_MASK)
		return -EINVAL;
	return ksys_mmap_pgoff(addr, len, prot, flags, fd, off >> PAGE_SHIFT);
}

SYSCALL_DEFINE2(arch_prctl, int, option, unsigned long, arg2)
{
	struct thread_struct *t = &current->thread;

	switch (option) {
	case ARCH_SET_FS:
		if (arg2 >= TASK_SIZE)
			return -EPERM;
		t->fs_base = arg2;
		return 0;
	case ARCH_SET_GS:
		if (arg2 >= TASK_SIZE)
			return -EPERM;
		t->gs_base = arg2;
		return 0;
	case ARCH_GET_FS:
		return put_user(t->fs_base, (unsigned long __user *)arg2);
	case ARCH_GET_GS:
		return put_user(t->gs_base, (unsigned long __user *)arg2);
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE1(iopl, unsigned int, level)
{
	return -EPERM;
}

SYSCALL_DEFINE3(ioperm, unsigned long, from, unsigned long, num, int, on)
{
	return -EPERM;
}

SYSCALL_DEFINE3(modify_ldt, int, func, void __user *, ptr,
		unsigned long, bytecount)
{
	return -ENOSYS;
}

/* AT_HWCAP: CPUID.1:EDX, as x86-64 Linux reports it. */
unsigned int colinux_elf_hwcap(void)
{
	unsigned int a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a" (a), "=b" (b), "+c" (c), "=d" (d));
	return d;
}

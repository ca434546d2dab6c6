// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace of guest programs, in x86-64's terms: the general registers are
 * struct user_regs_struct (PTRACE_GETREGS, PTRACE_GETREGSET NT_PRSTATUS),
 * whose first 21 words are our struct pt_regs and whose FS and GS bases
 * are the thread's; PTRACE_PEEKUSER and POKEUSER reach the same words
 * at their offsets in x86-64's struct user. The vector registers are
 * x86's too: NT_PRFPREG (PTRACE_GETFPREGS) is the FXSAVE image and
 * NT_X86_XSTATE the XSAVE image, as the host saved them in the stub's
 * signal frame, with XCR0 where gdb looks for it. Single-stepping sets
 * the trap flag; the stub's host then traps after one instruction.
 * There are no hardware breakpoints.
 */
#include <linux/ptrace.h>
#include <linux/regset.h>
#include <linux/elf.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <asm/user.h>
#include "colinux.h"

/* x86-64's struct user: its size and where u_debugreg[8] sits. */
#define COLINUX_USER_SIZE	912
#define COLINUX_USER_DEBUGREG	848

/* The FXSAVE image: MXCSR and its mask, and the software bytes. */
#define FX_SIZE			512
#define FX_MXCSR		24
#define FX_MXCSR_MASK		28
#define FX_SW_BYTES		464
/* The XSAVE header after it: XSTATE_BV, XCOMP_BV, reserved. */
#define XSAVE_HDR		512
#define XSAVE_HDR_SIZE		64

enum colinux_regset { REGSET_GENERAL, REGSET_FP, REGSET_XSTATE };

void user_enable_single_step(struct task_struct *child)
{
	task_pt_regs(child)->flags |= X86_EFLAGS_TF;
	set_tsk_thread_flag(child, TIF_SINGLESTEP);
	set_task_syscall_work(child, SYSCALL_EXIT_TRAP);
}

void user_disable_single_step(struct task_struct *child)
{
	/* Only the trap flag we set: the program may use TF itself. */
	if (test_and_clear_tsk_thread_flag(child, TIF_SINGLESTEP))
		task_pt_regs(child)->flags &= ~X86_EFLAGS_TF;
	clear_task_syscall_work(child, SYSCALL_EXIT_TRAP);
}

void ptrace_disable(struct task_struct *child)
{
	user_disable_single_step(child);
}

static void colinux_get_user_regs(struct task_struct *task,
				  struct user_regs_struct *ur)
{
	memset(ur, 0, sizeof(*ur));
	memcpy(ur, task_pt_regs(task), sizeof(struct pt_regs));
	ur->fs_base = task->thread.fs_base;
	ur->gs_base = task->thread.gs_base;
}

static int colinux_set_user_regs(struct task_struct *task,
				 const struct user_regs_struct *ur)
{
	struct pt_regs *regs = task_pt_regs(task);
	unsigned long cs = regs->cs, ss = regs->ss;

	/* As x86-64: a base must be a user address. */
	if (ur->fs_base >= TASK_SIZE_MAX || ur->gs_base >= TASK_SIZE_MAX)
		return -EIO;
	memcpy(regs, ur, sizeof(struct pt_regs));
	task->thread.fs_base = ur->fs_base;
	task->thread.gs_base = ur->gs_base;
	/* A tracer must not make a user task look like kernel code. */
	regs->cs = cs;
	regs->ss = ss;
	return 0;
}

static int colinux_gpr_get(struct task_struct *target,
			   const struct user_regset *regset,
			   struct membuf to)
{
	struct user_regs_struct ur;

	colinux_get_user_regs(target, &ur);
	return membuf_write(&to, &ur, sizeof(ur));
}

static int colinux_gpr_set(struct task_struct *target,
			   const struct user_regset *regset,
			   unsigned int pos, unsigned int count,
			   const void *kbuf, const void __user *ubuf)
{
	struct user_regs_struct ur;
	int err;

	colinux_get_user_regs(target, &ur);
	err = user_regset_copyin(&pos, &count, &kbuf, &ubuf, &ur, 0,
				 sizeof(ur));
	if (err)
		return err;
	return colinux_set_user_regs(target, &ur);
}

/* The XSAVE image's size and features, from the frame's software bytes. */
static bool colinux_xsave_info(const u8 *img, u32 size, u32 *xsize, u64 *xfeat)
{
	const struct _fpx_sw_bytes *sw = (const void *)(img + FX_SW_BYTES);

	if (size <= FX_SIZE + XSAVE_HDR_SIZE || sw->magic1 != FP_XSTATE_MAGIC1 ||
	    sw->xstate_size > size || sw->xstate_size < FX_SIZE + XSAVE_HDR_SIZE)
		return false;
	*xsize = sw->xstate_size;
	*xfeat = sw->xfeatures;
	return true;
}

/* MXCSR as the host's sigreturn will take it: no reserved bits. */
static void colinux_fix_mxcsr(u8 *buf, const u8 *img)
{
	u32 mask, mxcsr;

	memcpy(&mask, img + FX_MXCSR_MASK, 4);
	memcpy(&mxcsr, buf + FX_MXCSR, 4);
	mxcsr &= mask ? mask : 0xffbf;
	memcpy(buf + FX_MXCSR, &mxcsr, 4);
	memcpy(buf + FX_MXCSR_MASK, &mask, 4);
}

/*
 * Store a tracer's image (the first len bytes of buf) for target: MXCSR
 * made acceptable and the software bytes kept the host's, since they
 * describe the frame; the stub loads it before target runs again.
 */
static void colinux_fpu_store(struct task_struct *target, u8 *buf,
			      const u8 *img, u32 len)
{
	u32 size;

	colinux_fix_mxcsr(buf, img);
	memcpy(buf + FX_SW_BYTES, img + FX_SW_BYTES, FX_SIZE - FX_SW_BYTES);
	memcpy(colinux_fpu_image(target, &size, true), buf, len);
}

static int colinux_fp_get(struct task_struct *target,
			  const struct user_regset *regset, struct membuf to)
{
	static const struct user_i387_struct init = {
		.cwd = 0x37f, .mxcsr = 0x1f80,
	};
	u32 size;
	const u8 *img = colinux_fpu_image(target, &size, false);

	if (!img || size < FX_SIZE)
		return membuf_write(&to, &init, sizeof(init));
	return membuf_write(&to, img, FX_SIZE);
}

static int colinux_fp_set(struct task_struct *target,
			  const struct user_regset *regset,
			  unsigned int pos, unsigned int count,
			  const void *kbuf, const void __user *ubuf)
{
	u8 buf[FX_SIZE];
	u32 size;
	u8 *img = colinux_fpu_image(target, &size, false);
	int err;

	if (!img || size < FX_SIZE)
		return -EIO;	/* nothing saved yet to change */
	memcpy(buf, img, FX_SIZE);
	err = user_regset_copyin(&pos, &count, &kbuf, &ubuf, buf, 0, FX_SIZE);
	if (err)
		return err;
	colinux_fpu_store(target, buf, img, FX_SIZE);
	return 0;
}

static int colinux_xstate_get(struct task_struct *target,
			      const struct user_regset *regset,
			      struct membuf to)
{
	u32 size, xsize;
	const u8 *img = colinux_fpu_image(target, &size, false);
	u64 xfeat, sw[(FX_SIZE - FX_SW_BYTES) / 8] = { 0 };

	if (!img || !colinux_xsave_info(img, size, &xsize, &xfeat))
		return -ENODEV;
	membuf_write(&to, img, FX_SW_BYTES);
	sw[0] = xfeat;		/* XCR0, where x86's ptrace puts it */
	membuf_write(&to, sw, sizeof(sw));
	membuf_write(&to, img + FX_SIZE, xsize - FX_SIZE);
	return membuf_zero(&to, to.left);
}

static int colinux_xstate_set(struct task_struct *target,
			      const struct user_regset *regset,
			      unsigned int pos, unsigned int count,
			      const void *kbuf, const void __user *ubuf)
{
	unsigned int whole = regset->n * regset->size;
	u32 size, xsize;
	u8 *img = colinux_fpu_image(target, &size, false);
	u64 xfeat, hdr[XSAVE_HDR_SIZE / 8];
	u8 *buf;
	int err, i;

	if (!img || !colinux_xsave_info(img, size, &xsize, &xfeat))
		return -ENODEV;
	if (pos || count != whole || xsize > whole)
		return -EFAULT;	/* as x86: the whole image at once */
	buf = kmalloc(whole, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	/* Beyond the host's frame (AMX it did not give us): ignored. */
	err = user_regset_copyin(&pos, &count, &kbuf, &ubuf, buf, 0, whole);
	if (err)
		goto out;
	/* The host's sigreturn refuses a bad header: refuse it here. */
	memcpy(hdr, buf + XSAVE_HDR, sizeof(hdr));
	err = -EINVAL;
	if (hdr[0] & ~xfeat)
		goto out;
	for (i = 1; i < XSAVE_HDR_SIZE / 8; i++)
		if (hdr[i])
			goto out;
	colinux_fpu_store(target, buf, img, xsize);
	err = 0;
out:
	kfree(buf);
	return err;
}

static struct user_regset colinux_regsets[] __ro_after_init = {
	[REGSET_GENERAL] = {
		.core_note_type = NT_PRSTATUS,
		.n = sizeof(struct user_regs_struct) / sizeof(long),
		.size = sizeof(long),
		.align = sizeof(long),
		.regset_get = colinux_gpr_get,
		.set = colinux_gpr_set,
	},
	[REGSET_FP] = {
		.core_note_type = NT_PRFPREG,
		.n = FX_SIZE / sizeof(long),
		.size = sizeof(long),
		.align = sizeof(long),
		.regset_get = colinux_fp_get,
		.set = colinux_fp_set,
	},
	[REGSET_XSTATE] = {
		.core_note_type = NT_X86_XSTATE,
		.size = sizeof(u64),
		.align = sizeof(u64),
		.regset_get = colinux_xstate_get,
		.set = colinux_xstate_set,
	},
};

/* The XSAVE regset is as large as the host's XSAVE area (CPUID 0xd). */
static int __init colinux_xstate_regset_init(void)
{
	unsigned int eax = 0xd, ebx, ecx = 0, edx;

	asm volatile("cpuid" : "+a" (eax), "=b" (ebx), "+c" (ecx), "=d" (edx));
	ebx = min_t(unsigned int, ebx, COLINUX_MAILBOX_FPU_MAX - 4);
	colinux_regsets[REGSET_XSTATE].n = ebx / sizeof(u64);
	return 0;
}
arch_initcall(colinux_xstate_regset_init);

static const struct user_regset_view colinux_regset_view = {
	.name = "x86_64",
	.e_machine = EM_X86_64,
	.regsets = colinux_regsets,
	.n = ARRAY_SIZE(colinux_regsets),
};

const struct user_regset_view *task_user_regset_view(struct task_struct *task)
{
	return &colinux_regset_view;
}

/* A word of struct user: the registers, zeros elsewhere (no debug regs). */
static int colinux_peek_user(struct task_struct *child, unsigned long addr,
			     unsigned long __user *data)
{
	struct user_regs_struct ur;
	unsigned long value = 0;

	if (addr % sizeof(long) || addr >= COLINUX_USER_SIZE)
		return -EIO;
	if (addr < sizeof(ur)) {
		colinux_get_user_regs(child, &ur);
		value = ((unsigned long *)&ur)[addr / sizeof(long)];
	}
	return put_user(value, data);
}

static int colinux_poke_user(struct task_struct *child, unsigned long addr,
			     unsigned long data)
{
	struct user_regs_struct ur;

	if (addr % sizeof(long) || addr >= COLINUX_USER_SIZE)
		return -EIO;
	if (addr < sizeof(ur)) {
		colinux_get_user_regs(child, &ur);
		((unsigned long *)&ur)[addr / sizeof(long)] = data;
		return colinux_set_user_regs(child, &ur);
	}
	/* No hardware breakpoints: clearing a debug register is all. */
	if (addr >= COLINUX_USER_DEBUGREG && !data)
		return 0;
	return -EIO;
}

long arch_ptrace(struct task_struct *child, long request,
		 unsigned long addr, unsigned long data)
{
	struct user_regs_struct ur;

	switch (request) {
	case PTRACE_PEEKUSR:
		return colinux_peek_user(child, addr,
					 (unsigned long __user *)data);
	case PTRACE_POKEUSR:
		return colinux_poke_user(child, addr, data);
	case PTRACE_GETREGS:
		colinux_get_user_regs(child, &ur);
		return copy_to_user((void __user *)data, &ur, sizeof(ur)) ?
			-EFAULT : 0;
	case PTRACE_SETREGS:
		if (copy_from_user(&ur, (void __user *)data, sizeof(ur)))
			return -EFAULT;
		return colinux_set_user_regs(child, &ur);
	case PTRACE_GETFPREGS:
		return copy_regset_to_user(child, &colinux_regset_view,
					   REGSET_FP, 0, FX_SIZE,
					   (void __user *)data);
	case PTRACE_SETFPREGS:
		return copy_regset_from_user(child, &colinux_regset_view,
					     REGSET_FP, 0, FX_SIZE,
					     (const void __user *)data);
	default:
		return ptrace_request(child, request, addr, data);
	}
}

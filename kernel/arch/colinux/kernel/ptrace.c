// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace of guest programs, in x86-64's terms: the general registers are
 * struct user_regs_struct (PTRACE_GETREGS, PTRACE_GETREGSET NT_PRSTATUS),
 * whose first 21 words are our struct pt_regs and whose FS and GS bases
 * are the thread's; PTRACE_PEEKUSER and POKEUSER reach the same words
 * at their offsets in x86-64's struct user.
 */
#include <linux/ptrace.h>
#include <linux/regset.h>
#include <linux/elf.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <asm/user.h>

/* x86-64's struct user: its size and where u_debugreg[8] sits. */
#define COLINUX_USER_SIZE	912
#define COLINUX_USER_DEBUGREG	848

void ptrace_disable(struct task_struct *child)
{
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

static const struct user_regset colinux_regsets[] = {
	{
		.core_note_type = NT_PRSTATUS,
		.n = sizeof(struct user_regs_struct) / sizeof(long),
		.size = sizeof(long),
		.align = sizeof(long),
		.regset_get = colinux_gpr_get,
		.set = colinux_gpr_set,
	},
};

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
	default:
		return ptrace_request(child, request, addr, data);
	}
}

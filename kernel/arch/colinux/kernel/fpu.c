// SPDX-License-Identifier: GPL-2.0
/*
 * Vector state of guest threads. A stub has one host thread per address
 * space, so the live vector registers belong to whichever thread of that
 * mm ran last; the mailbox holds their image from the last trap. When the
 * mm has more than one thread, each trap saves the image into the
 * thread's own buffer, and before a thread runs (or gets a signal frame)
 * its image goes back into the mailbox for the stub to load. A process
 * with one thread never pays for this.
 */
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/mmu_context.h>
#include "colinux.h"

static atomic64_t colinux_fpu_ids = ATOMIC64_INIT(0);

/* Ids are never reused, so an mm may name its owner without a pointer. */
static u64 colinux_fpu_id(struct thread_struct *t)
{
	if (!t->fpu_id)
		t->fpu_id = atomic64_inc_return(&colinux_fpu_ids);
	return t->fpu_id;
}

/*
 * The size of the image in the mailbox, read once: guest code can write
 * the mailbox, so a size past what it holds counts as no image.
 */
u32 colinux_mailbox_fpu_size(struct passage_mailbox *mb)
{
	u32 size = READ_ONCE(mb->fpu_size);

	return size <= COLINUX_MAILBOX_FPU_MAX ? size : 0;
}

static bool colinux_fpu_buffer(struct task_struct *t)
{
	if (!t->thread.fpu)
		t->thread.fpu = kmalloc(COLINUX_MAILBOX_FPU_MAX, GFP_ATOMIC);
	return t->thread.fpu;
}

/* After a trap of current: keep its image if its mm is shared. */
void colinux_fpu_trapped(struct mm_struct *mm, struct passage_mailbox *mb)
{
	struct thread_struct *t = &current->thread;
	u32 size = colinux_mailbox_fpu_size(mb);

	mm->context.fpu_owner = colinux_fpu_id(t);
	if (atomic_read(&mm->mm_users) < 2 && !t->fpu)
		return;
	if (!size || !colinux_fpu_buffer(current))
		return;
	memcpy(t->fpu, colinux_mailbox_fpu(mb), size);
	t->fpu_size = size;
}

/* Make the mailbox hold current's image (before it runs or gets a frame). */
void colinux_fpu_activate(struct mm_struct *mm, struct passage_mailbox *mb)
{
	struct thread_struct *t = &current->thread;

	if (mm->context.fpu_owner == colinux_fpu_id(t))
		return;
	mm->context.fpu_owner = t->fpu_id;
	if (t->fpu && t->fpu_size && t->fpu_size == mb->fpu_size) {
		memcpy(colinux_mailbox_fpu(mb), t->fpu, t->fpu_size);
		mb->fpu_dirty = 1;
	}
}

/* clone(CLONE_VM): the new thread starts with its parent's registers. */
void colinux_fpu_fork(struct task_struct *p)
{
	struct mm_struct *mm = current->mm;
	struct passage_mailbox *mb = mm ? mm->context.mb : NULL;
	u32 size = mb ? colinux_mailbox_fpu_size(mb) : 0;

	p->thread.fpu = NULL;
	p->thread.fpu_size = 0;
	p->thread.fpu_id = 0;
	colinux_fpu_id(&p->thread);
	if (!size || !colinux_fpu_buffer(p))
		return;
	colinux_fpu_activate(mm, mb);
	memcpy(p->thread.fpu, colinux_mailbox_fpu(mb), size);
	p->thread.fpu_size = size;
}

/*
 * The vector image of task t, stopped in the kernel (for ptrace): the
 * mailbox's if t's registers are the ones its stub holds, else t's own
 * buffer; NULL if t has not trapped since its exec. With @write the
 * caller changes it, and the stub loads it before t runs again.
 */
void *colinux_fpu_image(struct task_struct *t, u32 *size, bool write)
{
	struct mm_struct *mm = t->mm;
	struct passage_mailbox *mb = mm ? mm->context.mb : NULL;
	struct thread_struct *th = &t->thread;

	if (mb && colinux_mailbox_fpu_size(mb) && th->fpu_id &&
	    mm->context.fpu_owner == th->fpu_id) {
		*size = colinux_mailbox_fpu_size(mb);
		if (!*size)
			return NULL;
		if (write)
			mb->fpu_dirty = 1;
		return colinux_mailbox_fpu(mb);
	}
	if (th->fpu && th->fpu_size) {
		*size = th->fpu_size;
		return th->fpu;
	}
	return NULL;
}

void exit_thread(struct task_struct *tsk)
{
	kfree(tsk->thread.fpu);
	tsk->thread.fpu = NULL;
}

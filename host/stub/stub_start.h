/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the monitor starts stubs, shared by the two: the descriptors it
 * hands over, the requests it makes of the stub factory, and the exit
 * status that names the start-up step that failed.
 *
 * The monitor starts one stub process as the factory (argv[1] "factory")
 * and asks it for each new stub: the factory has already joined the
 * sandbox, moved the host vDSO and set up its handlers, so a new stub
 * is one fork of a small process instead of an exec, two setns and a
 * seccomp filter to compile. The child is the monitor's (CLONE_PARENT).
 */
#ifndef COLINUX_STUB_START_H
#define COLINUX_STUB_START_H

/* Guest RAM's memfd is COLINUX_STUB_MEM_FD (3, passage.h). */
#define STUB_USERNS_FD	4	/* the sandbox's user namespace, if any */
#define STUB_MNTNS_FD	5	/* the sandbox's mount namespace */
#define STUB_FACTORY_FD	6	/* the factory's end of its socket */

/* The monitor asks for a stub: the offset in the RAM memfd of its control page. */
struct stub_request {
	unsigned long long ctl_offset;
};

/* The factory answers with the new stub's pid, or -errno. */
struct stub_reply {
	long long pid;
};

/*
 * A stub has two threads. Its guest thread runs guest code and traps; it
 * may make no host call but futex, rt_sigreturn, arch_prctl and exit, so
 * guest code that jumps into the stub's text can do nothing more. Its
 * mapper thread, the process's first, runs no guest code and is the only
 * one that maps guest RAM: a loop of a few instructions that keeps all
 * its state in registers (guest code can write every writable page of
 * the process) and reads its orders from pages guest code can only read.
 *
 * The monitor gives it orders in the stub's control page: one page per
 * stub in the RAM memfd above guest RAM, read-only at STUB_CTL_ADDR. It
 * writes the order, then bumps the doorbell (the mapper's futex word).
 * The mapper answers by copying the doorbell to `ack` with pwrite on the
 * memfd, a host call the guest thread cannot make: an answer guest code
 * could forge would let the kernel reuse pages the stub still maps. The
 * monitor gives no order before the last one is answered.
 */
#define STUB_CTL_ADDR	(COLINUX_STUB_BASE + 0xf0000ULL)

enum stub_order {
	/* Map the mailbox and edit page at mailbox_phys and edits_phys;
	 * the answer starts the guest thread that waits for them. */
	STUB_ORDER_ASSIGN = 1,
	/* Apply the edit page's edits, then set the mailbox's state to
	 * COLINUX_MB_KERNEL (a flush) or COLINUX_MB_USER (a resume). */
	STUB_ORDER_FLUSH,
	STUB_ORDER_RESUME,
	/* Answer once the guest thread is gone, then drop every page and
	 * prepare the next guest thread in wiped memory. */
	STUB_ORDER_RETIRE,
};

struct stub_ctl {
	volatile unsigned int doorbell;	/* bumped per order; a futex word */
	unsigned int order;		/* enum stub_order */
	volatile unsigned int ack;	/* the doorbell last answered */
	/* The guest thread's tid, written by the mapper as it starts it. */
	volatile unsigned int guest_tid;
	unsigned long long mailbox_phys, edits_phys;
	/* The guest thread's spin budget in TSC ticks (spin_wait.h). */
	unsigned long long spin_ticks;
};

/*
 * Mailbox states only the monitor and the stub use, beside
 * COLINUX_MB_KERNEL and COLINUX_MB_USER. EDITS: the mapper has an order;
 * a guest thread spinning in its trap handler wakes it (on their shared
 * CPU, the cheap way) and sleeps until the state changes. RETIRE: the
 * kernel ended the address space; the guest thread exits.
 *
 * Stubs are recycled: a retired stub keeps its mapper thread, which
 * answers only once the old guest thread is gone (tgkill finds it no
 * more: the guest cannot fake that). It then wipes its writable memory
 * and starts the next guest thread, which sets up its signal stack and
 * filter while no address space is assigned, and waits in the stub's
 * own code for the ASSIGN's answer: so no register or page of the old
 * process reaches the next one, and an ASSIGN costs two mmaps, not a
 * thread start.
 */
#define STUB_MB_EDITS	0x45
#define STUB_MB_RETIRE	0x52
/*
 * The EDITS state carries its order's doorbell, so that a guest thread
 * that woke the mapper for one order and sleeps until the state changes
 * does not sleep through the next order's.
 */
#define STUB_MB_EDITS_FOR(doorbell)	(STUB_MB_EDITS | (doorbell) << 8)
#define STUB_MB_IS_EDITS(state)		(((state) & 0xff) == STUB_MB_EDITS)
/*
 * The vCPU sleeps on the mailbox word with this futex bitset, and the
 * mapper, when it lets the guest thread run on, wakes only the others
 * (STUB_WAKE_GUEST): the state it leaves is not the vCPU's to act on,
 * and a wake would only make the vCPU take the CPU from the mapper to
 * sleep again. Plain waits and wakes match every bit.
 */
#define STUB_WAKE_VCPU	1u
#define STUB_WAKE_GUEST	2u

enum stub_exit_code {
	STUB_EXIT_ARGS = 2,		/* not started by the monitor */
	STUB_EXIT_PARENT = 3,		/* the monitor is already gone */
	STUB_EXIT_MAILBOX = 4,		/* could not map the mailbox */
	STUB_EXIT_FIRST_TRAP = 5,	/* the first trap returned */
	STUB_EXIT_VDSO_LAYOUT = 6,	/* bad host vDSO layout argument */
	STUB_EXIT_VDSO_MOVE = 7,	/* mremap of the host vDSO failed */
	STUB_EXIT_SANDBOX = 8,		/* joining the sandbox failed */
	STUB_EXIT_SIGSTACK = 10,	/* sigaltstack failed */
	STUB_EXIT_SIGACTION = 11,	/* rt_sigaction failed */
	STUB_EXIT_NO_NEW_PRIVS = 12,	/* prctl(PR_SET_NO_NEW_PRIVS) failed */
	STUB_EXIT_FILTER = 13,		/* seccomp filter refused */
	STUB_EXIT_FACTORY = 14,		/* the factory's socket failed */
	STUB_EXIT_CONTROL = 15,		/* could not map its control page */
	STUB_EXIT_EDITS = 16,		/* could not map its edit page */
	STUB_EXIT_THREAD = 17,		/* could not start its guest thread */
	STUB_EXIT_ACK = 18,		/* could not answer the monitor */
};

#endif

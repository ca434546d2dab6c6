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

/*
 * The monitor asks for a stub: the guest-physical address of its
 * mailbox, and the offset in the RAM memfd of its control page.
 */
struct stub_request {
	unsigned long long mailbox_phys;
	unsigned long long ctl_offset;
};

/* The factory answers with the new stub's pid, or -errno. */
struct stub_reply {
	long long pid;
};

/*
 * Stubs are recycled. When the kernel ends an address space, the monitor
 * sets its mailbox's state to STUB_MB_RETIRE instead of killing the stub:
 * the stub leaves the mailbox, says so in its control page (one page
 * per stub, kept in the RAM memfd above guest RAM, at STUB_CTL_ADDR in
 * the stub), drops every guest mapping and register, and waits there
 * until the monitor hands it the mailbox of a new address space. That
 * saves a host process's creation and teardown per guest mm.
 */
#define STUB_MB_RETIRE	0x52	/* beside COLINUX_MB_KERNEL and _USER */
#define STUB_CTL_ADDR	(COLINUX_STUB_BASE + 0xf0000ULL)

enum stub_ctl_state {
	STUB_CTL_BUSY = 0,	/* serving an address space */
	STUB_CTL_IDLE,		/* retired, waiting */
	STUB_CTL_ASSIGNED,	/* the monitor gave it mailbox_phys */
};

struct stub_ctl {
	volatile unsigned int state;	/* enum stub_ctl_state, a futex word */
	unsigned int pad;
	unsigned long long mailbox_phys;
};

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
	STUB_EXIT_RECYCLE = 16,		/* its vector state changed size */
};

#endif

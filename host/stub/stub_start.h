/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the monitor starts a stub, shared by the two: the descriptors it
 * hands over, and the exit status that names the start-up step that
 * failed.
 */
#ifndef COLINUX_STUB_START_H
#define COLINUX_STUB_START_H

/* Guest RAM's memfd is COLINUX_STUB_MEM_FD (3, passage.h). */
#define STUB_USERNS_FD	4	/* the sandbox's user namespace, if any */
#define STUB_MNTNS_FD	5	/* the sandbox's mount namespace */

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
};

#endif

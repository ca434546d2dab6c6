// SPDX-License-Identifier: GPL-2.0
/*
 * The stubs' shared sandbox (sandbox.h). A short-lived child of the
 * monitor enters a new user and mount namespace, mounts an empty
 * read-only tmpfs, pivots into it and detaches the host's tree; the
 * monitor opens the child's namespaces through /proc and ends the child.
 * The open descriptors keep the namespaces alive for the stubs to join.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sandbox.h"

/* In the child: only system calls, and the step that failed as status. */
static int enter_empty_root(void)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return 1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 2;
	if (mount("colinux-stub", "/tmp", "tmpfs",
		  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,mode=0111"))
		return 3;
	if (chdir("/tmp") || syscall(SYS_pivot_root, ".", "."))
		return 4;
	if (umount2(".", MNT_DETACH) || chdir("/"))
		return 5;
	return 0;
}

int sandbox_prepare(int *userns_fd, int *mntns_fd, char *why, size_t len)
{
	static const char *const step[] = {
		"", "unshare(CLONE_NEWUSER | CLONE_NEWNS)",
		"making / private", "mounting a tmpfs on /tmp", "pivot_root",
		"detaching the host's tree",
	};
	int ready[2], status, ret = 0;
	char path[64], st = 0;
	pid_t pid;

	*userns_fd = *mntns_fd = -1;
	if (pipe2(ready, O_CLOEXEC) < 0) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		snprintf(why, len, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		char r = (char)enter_empty_root();

		close(ready[0]);
		if (write(ready[1], &r, 1) == 1 && !r)
			/* Keep the namespaces alive until the monitor holds them. */
			for (;;)
				pause();
		_exit(0);
	}
	close(ready[1]);
	ready[1] = -1;
	if (read(ready[0], &st, 1) != 1) {
		ret = -ECHILD;
		snprintf(why, len, "the namespace helper died");
		goto reap;
	}
	if (st) {
		ret = -EPERM;
		snprintf(why, len, "%s failed in the namespace helper",
			 step[(unsigned char)st < 6 ? st : 0]);
		goto reap;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	*userns_fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	*mntns_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*userns_fd < 0 || *mntns_fd < 0) {
		ret = -errno;
		snprintf(why, len, "%s: %s", path, strerror(errno));
		if (*userns_fd >= 0)
			close(*userns_fd);
		if (*mntns_fd >= 0)
			close(*mntns_fd);
		*userns_fd = *mntns_fd = -1;
	}
reap:
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
out:
	close(ready[0]);
	if (ready[1] >= 0)
		close(ready[1]);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stubs' sandbox: one user and mount namespace, made once per
 * monitor, whose root is an empty read-only tmpfs. Every stub joins it
 * with setns(), which costs microseconds; making a namespace per stub
 * cost milliseconds (mount tree copies and RCU grace periods).
 */
#ifndef COLINUX_ENGINE_SANDBOX_H
#define COLINUX_ENGINE_SANDBOX_H

#include <stddef.h>

/*
 * Make the namespace. On success *userns_fd and *mntns_fd hold it
 * (close-on-exec) and 0 is returned; where the host does not allow
 * unprivileged user namespaces, a negative errno and why names it.
 */
int sandbox_prepare(int *userns_fd, int *mntns_fd, char *why, size_t len);

#endif

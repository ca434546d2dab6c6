// SPDX-License-Identifier: GPL-2.0
/*
 * The user's job (colinux run --exec): a shell command the monitor puts in
 * the boot block. init reads it from /sys/module/colinux/parameters/exec,
 * so it reaches an initramfs and a disk root alike, and it cannot be set
 * from the kernel command line or by a guest program.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <asm/page.h>
#include "colinux.h"

static int colinux_job_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static int colinux_job_get(char *buffer, const struct kernel_param *kp)
{
	if (!colinux_boot)
		return 0;
	return scnprintf(buffer, PAGE_SIZE, "%.*s", COLINUX_EXEC_MAX - 1,
			 colinux_boot->exec);
}

static const struct kernel_param_ops colinux_job_ops = {
	.set = colinux_job_set,
	.get = colinux_job_get,
};

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "colinux."
module_param_cb(exec, &colinux_job_ops, NULL, 0444);

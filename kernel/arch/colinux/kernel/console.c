// SPDX-License-Identifier: GPL-2.0
/*
 * printk's console: each record goes straight to the monitor, which puts
 * it on its standard output. It works from the first line of setup_arch
 * and in panic, as it takes no lock and needs no interrupt.
 */
#include <linux/console.h>
#include <linux/init.h>
#include "colinux.h"

static void colinux_console_write(struct console *con, const char *s,
				  unsigned int n)
{
	colinux_host->console_write(s, n);
}

static struct console colinux_console = {
	.name	= "passage",
	.write	= colinux_console_write,
	.flags	= CON_PRINTBUFFER | CON_ANYTIME,
	.index	= -1,
};

void __init colinux_console_init(void)
{
	register_console(&colinux_console);
}

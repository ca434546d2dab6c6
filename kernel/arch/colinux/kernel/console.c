// SPDX-License-Identifier: GPL-2.0
/*
 * The passage console: printk records and the tty ttyP0 (which is
 * /dev/console) both write straight to the monitor, which puts them on
 * its standard output. printk works from the first line of setup_arch
 * and in panic: it takes no lock and needs no interrupt. Input arrives as
 * COLINUX_IRQ_CONSOLE; the handler drains what the monitor holds into
 * the tty.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include "colinux.h"

#define CONSOLE_IRQ	COLINUX_IRQ_CONSOLE

static struct tty_driver *colinux_tty_driver;
static struct tty_port colinux_tty_port;

static void colinux_console_write(struct console *con, const char *s,
				  unsigned int n)
{
	colinux_host->console_write(s, n);
}

static struct tty_driver *colinux_console_device(struct console *c,
						 int *index)
{
	*index = 0;
	return colinux_tty_driver;
}

static struct console colinux_console = {
	.name	= "ttyP",
	.write	= colinux_console_write,
	.device	= colinux_console_device,
	.flags	= CON_PRINTBUFFER | CON_ANYTIME,
	.index	= -1,
};

void __init colinux_console_init(void)
{
	register_console(&colinux_console);
}

static int colinux_tty_open(struct tty_struct *tty, struct file *filp)
{
	return tty_port_open(&colinux_tty_port, tty, filp);
}

static void colinux_tty_close(struct tty_struct *tty, struct file *filp)
{
	tty_port_close(&colinux_tty_port, tty, filp);
}

static int colinux_tty_write(struct tty_struct *tty, const unsigned char *buf,
			     int count)
{
	colinux_host->console_write((const char *)buf, count);
	return count;
}

static unsigned int colinux_tty_write_room(struct tty_struct *tty)
{
	return 4096;
}

static const struct tty_operations colinux_tty_ops = {
	.open		= colinux_tty_open,
	.close		= colinux_tty_close,
	.write		= colinux_tty_write,
	.write_room	= colinux_tty_write_room,
};

static irqreturn_t colinux_console_interrupt(int irq, void *dev)
{
	char buf[256];
	long n;

	while ((n = colinux_host->console_read(buf, sizeof(buf))) > 0)
		tty_insert_flip_string(&colinux_tty_port, buf, n);
	tty_flip_buffer_push(&colinux_tty_port);
	return IRQ_HANDLED;
}

static const struct tty_port_operations colinux_port_ops;

static int __init colinux_tty_init(void)
{
	struct tty_driver *d;
	int err;

	d = tty_alloc_driver(1, TTY_DRIVER_REAL_RAW);
	if (IS_ERR(d))
		return PTR_ERR(d);
	d->driver_name = "passage";
	d->name = "ttyP";
	d->major = 0;	/* dynamic */
	d->type = TTY_DRIVER_TYPE_CONSOLE;
	/*
	 * Plain \n out: the monitor's terminal adds the \r when it is a
	 * terminal, and a pipe or file gets the guest's text unchanged.
	 */
	d->init_termios = tty_std_termios;
	d->init_termios.c_oflag &= ~ONLCR;
	tty_set_operations(d, &colinux_tty_ops);
	tty_port_init(&colinux_tty_port);
	colinux_tty_port.ops = &colinux_port_ops;
	tty_port_link_device(&colinux_tty_port, d, 0);
	err = tty_register_driver(d);
	if (err) {
		tty_driver_kref_put(d);
		return err;
	}
	colinux_tty_driver = d;
	return request_irq(CONSOLE_IRQ, colinux_console_interrupt, 0,
			   "console", NULL);
}
device_initcall(colinux_tty_init);

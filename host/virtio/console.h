/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-console: the guest's hvc0 on the monitor's terminal. Output is
 * written to standard output as the guest sends it; input comes from the
 * monitor's console thread (engine/console.c).
 */
#ifndef COLINUX_VIRTIO_CONSOLE_H
#define COLINUX_VIRTIO_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include "mmio.h"

struct virtio_device *vconsole_device(void);

/*
 * Give the guest up to len bytes of input. Returns how many it took
 * (0 while it has no receive buffer posted), or -1 if the guest driver
 * is not running: then the input belongs to the passage console.
 */
long vconsole_input(const char *buf, size_t len);

/* The driver posted receive buffers: the console thread may retry. */
void vconsole_set_rx_ready(void (*fn)(void));

#endif

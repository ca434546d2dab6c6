/* SPDX-License-Identifier: GPL-2.0 */
/* Writing small newc cpio archives (the kernel's initramfs format). */
#ifndef COLINUX_ENGINE_CPIO_H
#define COLINUX_ENGINE_CPIO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Append one regular file (mode e.g. 0644) to the archive in buf[*len..cap),
 * or the trailer when name is NULL. Returns 0 or -ENOSPC.
 */
int cpio_append(uint8_t *buf, size_t cap, size_t *len, const char *name,
		const void *data, size_t size, unsigned int mode);

#endif

// SPDX-License-Identifier: GPL-2.0
/* newc cpio: a 110-byte ASCII header, the name, the data, 4-byte padded. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cpio.h"

#define PAD4(n)	(((n) + 3) & ~(size_t)3)

int cpio_append(uint8_t *buf, size_t cap, size_t *len, const char *name,
		const void *data, size_t size, unsigned int mode)
{
	const char *n = name ? name : "TRAILER!!!";
	size_t namesize = strlen(n) + 1;
	size_t need = PAD4(110 + namesize) + PAD4(size);
	char hdr[111];

	if (!name)
		size = 0;
	if (*len > cap || need > cap - *len || size > 0xffffffffu)
		return -ENOSPC;
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 name ? 1u : 0u, name ? (0100000u | mode) : 0u, 0u, 0u,
		 name ? 1u : 0u, 0u, (unsigned int)size, 0u, 0u, 0u, 0u,
		 (unsigned int)namesize, 0u);
	memset(buf + *len, 0, need);
	memcpy(buf + *len, hdr, 110);
	memcpy(buf + *len + 110, n, namesize);
	if (size)
		memcpy(buf + *len + PAD4(110 + namesize), data, size);
	*len += need;
	return 0;
}

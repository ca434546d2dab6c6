/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sizes typed by the user ("256M", "1G", "512MiB") and the rules a guest
 * RAM size must obey. Parsing only: nothing here prints or exits.
 */
#ifndef COLINUX_CLI_SIZE_H
#define COLINUX_CLI_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Guest RAM is mapped in host pages, and a kernel needs room to boot. */
#define MEM_SIZE_PAGE	4096ULL
#define MEM_SIZE_MIN	(16ULL << 20)

/*
 * Parse a decimal byte count with an optional binary suffix K, M, G or T
 * (any case, optionally followed by "B" or "iB"), or a bare "B". Returns 0
 * and sets *out, or -EINVAL with a message in err.
 */
int size_parse(const char *text, uint64_t *out, char *err, size_t errlen);

/*
 * Check that bytes can be guest RAM: a whole number of pages, at least
 * MEM_SIZE_MIN and at most COLINUX_MEM_MAX. text is what the user typed,
 * quoted back in the message; NULL formats bytes instead. Returns 0 or
 * -EINVAL with a message starting "--mem TEXT:".
 */
int mem_size_check(const char *text, uint64_t bytes, char *err,
		   size_t errlen);

/*
 * Write bytes in the largest suffix that keeps it exact ("32G", "4K",
 * "1000"), so a message quotes sizes the way a user would type them.
 */
void size_format(uint64_t bytes, char *buf, size_t len);

#endif /* COLINUX_CLI_SIZE_H */

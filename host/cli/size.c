// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes typed by the user: size_parse turns "256M" into bytes and
 * mem_size_check says whether a byte count can be guest RAM. Both refuse
 * anything doubtful rather than guess (no "1.5G", no trailing junk, no
 * silent wrap-around), because a mistyped size should stop the command
 * with a message, not boot a guest of some other size. This file never
 * prints; messages go to the caller's buffer.
 */
#include "cli/size.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include <colinux/passage.h>

#define SIZE_HINT \
	"use a number with an optional K, M, G or T suffix, e.g. 256M"

static void __attribute__((format(printf, 3, 4)))
size_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Shift for a K/M/G/T suffix letter, or -1 if c is not one. */
static int suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K':
		return 10;
	case 'm': case 'M':
		return 20;
	case 'g': case 'G':
		return 30;
	case 't': case 'T':
		return 40;
	default:
		return -1;
	}
}

static int is_b(char c)
{
	return c == 'b' || c == 'B';
}

int size_parse(const char *text, uint64_t *out, char *err, size_t errlen)
{
	const char *p = text;
	uint64_t val = 0;
	int shift = 0;

	if (!text || !*text) {
		size_err(err, errlen, "empty size (" SIZE_HINT ")");
		return -EINVAL;
	}
	if (*p == '-') {
		size_err(err, errlen,
			 "\"%s\" is not a size: sizes cannot be negative ("
			 SIZE_HINT ")", text);
		return -EINVAL;
	}
	/* Digits first: this also refuses signs, spaces and "0x". */
	if (*p < '0' || *p > '9')
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = *p - '0';

		if (val > (UINT64_MAX - d) / 10)
			goto too_big;
		val = val * 10 + d;
	}

	if (*p) {
		shift = suffix_shift(*p);
		if (shift > 0) {
			p++;
			if ((*p == 'i' || *p == 'I') && is_b(p[1]))
				p += 2;
			else if (is_b(*p))
				p++;
		} else if (is_b(*p)) {
			shift = 0;
			p++;
		} else {
			goto bad;
		}
	}
	if (*p)
		goto bad;

	if (val > (UINT64_MAX >> shift))
		goto too_big;
	*out = val << shift;
	return 0;

bad:
	size_err(err, errlen, "\"%s\" is not a size (" SIZE_HINT ")", text);
	return -EINVAL;
too_big:
	size_err(err, errlen,
		 "\"%s\" is too large to be a size (at most 16 EiB; "
		 SIZE_HINT ")", text);
	return -EINVAL;
}

void size_format(uint64_t bytes, char *buf, size_t len)
{
	static const char suffix[] = "KMGT";
	int i = -1;

	while (i < 3 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%" PRIu64, bytes);
	else
		snprintf(buf, len, "%" PRIu64 "%c", bytes, suffix[i]);
}

int mem_size_check(const char *text, uint64_t bytes, char *err,
		   size_t errlen)
{
	char own[32], lim[32];

	if (!text) {
		size_format(bytes, own, sizeof(own));
		text = own;
	}
	if (bytes < MEM_SIZE_MIN) {
		size_format(MEM_SIZE_MIN, lim, sizeof(lim));
		size_err(err, errlen,
			 "--mem %s: too small, the guest needs at least %s",
			 text, lim);
		return -EINVAL;
	}
	if (bytes > COLINUX_MEM_MAX) {
		size_format(COLINUX_MEM_MAX, lim, sizeof(lim));
		size_err(err, errlen,
			 "--mem %s: more than the %s a guest can have",
			 text, lim);
		return -EINVAL;
	}
	if (bytes % MEM_SIZE_PAGE) {
		/* Rounding down stays >= MEM_SIZE_MIN, a page multiple. */
		size_format(bytes - bytes % MEM_SIZE_PAGE, lim, sizeof(lim));
		size_err(err, errlen,
			 "--mem %s: not a multiple of %llu bytes, the page size guest RAM is mapped in (try --mem %s)",
			 text, MEM_SIZE_PAGE, lim);
		return -EINVAL;
	}
	return 0;
}

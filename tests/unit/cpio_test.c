// SPDX-License-Identifier: GPL-2.0
/* The newc writer that carries --exec: layout, padding, and no overrun. */
#include <errno.h>
#include <string.h>
#include "check.h"
#include "engine/cpio.h"

TEST(one_file_and_trailer)
{
	uint8_t buf[512];
	size_t len = 0;

	memset(buf, 0xaa, sizeof(buf));
	REQUIRE(cpio_append(buf, sizeof(buf), &len, ".colinux-exec", "echo hi",
			    7, 0644) == 0);
	/* 110-byte header + 14-byte name, padded to 124; data 7 -> 8. */
	CHECK(len == 124 + 8);
	CHECK(!memcmp(buf, "070701", 6));
	CHECK(!memcmp(buf + 54, "00000007", 8));	/* c_filesize */
	CHECK(!memcmp(buf + 110, ".colinux-exec", 14));
	CHECK(!memcmp(buf + 124, "echo hi", 7));
	CHECK(buf[131] == 0);	/* padding is zeroed */
	REQUIRE(cpio_append(buf, sizeof(buf), &len, NULL, NULL, 0, 0) == 0);
	CHECK(!memcmp(buf + 132 + 110, "TRAILER!!!", 11));
	CHECK(len % 4 == 0);
	CHECK(buf[len] == 0xaa);	/* nothing written past the end */
}

TEST(too_small_is_enospc_and_untouched)
{
	uint8_t buf[128];
	size_t len = 0;

	memset(buf, 0x55, sizeof(buf));
	/* 112 bytes of header and name + 20 of padded data: 4 too many. */
	CHECK(cpio_append(buf, sizeof(buf), &len, "f", "0123456789abcdefg", 17,
			  0644) == -ENOSPC);
	CHECK(len == 0);
	CHECK(buf[0] == 0x55 && buf[127] == 0x55);
	len = 200;	/* a length already past the buffer */
	CHECK(cpio_append(buf, sizeof(buf), &len, NULL, NULL, 0, 0) ==
	      -ENOSPC);
	CHECK(len == 200);
}

int main(void)
{
	return check_run_all();
}

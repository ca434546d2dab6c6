// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for host/cli/size.c: what size_parse accepts and refuses, and the
 * limits and messages of mem_size_check.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <colinux/passage.h>
#include "cli/size.h"
#include "check.h"

static char err[256];

/* Parse text, expecting success; returns the value or a poison. */
static uint64_t parse_ok(const char *text)
{
	uint64_t v = 0xdeadbeef;

	err[0] = 0;
	if (size_parse(text, &v, err, sizeof(err)) != 0) {
		printf("    size_parse(\"%s\") failed: %s\n", text, err);
		return 0xdeadbeef;
	}
	return v;
}

/* Parse text, expecting -EINVAL, a message and *out left alone. */
static int parse_bad(const char *text)
{
	uint64_t v = 77;

	err[0] = 0;
	return size_parse(text, &v, err, sizeof(err)) == -EINVAL &&
	       v == 77 && err[0];
}

TEST(plain_bytes)
{
	CHECK(parse_ok("0") == 0);
	CHECK(parse_ok("1") == 1);
	CHECK(parse_ok("4096") == 4096);
	CHECK(parse_ok("0256") == 256);
	CHECK(parse_ok("100B") == 100);
	CHECK(parse_ok("100b") == 100);
	CHECK(parse_ok("18446744073709551615") == UINT64_MAX);
}

TEST(suffixes)
{
	CHECK(parse_ok("1K") == 1024);
	CHECK(parse_ok("1k") == 1024);
	CHECK(parse_ok("256M") == 256ULL << 20);
	CHECK(parse_ok("256m") == 256ULL << 20);
	CHECK(parse_ok("1G") == 1ULL << 30);
	CHECK(parse_ok("2g") == 2ULL << 30);
	CHECK(parse_ok("3T") == 3ULL << 40);
	CHECK(parse_ok("3t") == 3ULL << 40);
	CHECK(parse_ok("512MiB") == 512ULL << 20);
	CHECK(parse_ok("512mib") == 512ULL << 20);
	CHECK(parse_ok("512MIB") == 512ULL << 20);
	CHECK(parse_ok("16MB") == 16ULL << 20);
	CHECK(parse_ok("16mb") == 16ULL << 20);
	CHECK(parse_ok("4KiB") == 4096);
	CHECK(parse_ok("1TiB") == 1ULL << 40);
	CHECK(parse_ok("0G") == 0);
	/* The largest value each suffix can carry. */
	CHECK(parse_ok("16777215T") == 16777215ULL << 40);
	CHECK(parse_ok("17179869183G") == 17179869183ULL << 30);
}

TEST(junk_refused)
{
	static const char *const bad[] = {
		"banana", "12Q", "1.5G", "G", "K", "B", "iB", "1GG", "1iB",
		"1GiBx", "1GBB", "1Gi", "0x10", "1 G", " 1G", "1G ", "+1G",
		"1e9", "1,5G", "1_000", "1P", "1E", "MiB", "\t", "1\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!parse_bad(bad[i]))
			printf("    \"%s\" was not refused\n", bad[i]);
		CHECK(parse_bad(bad[i]));
	}
}

TEST(junk_message)
{
	CHECK(parse_bad("banana"));
	CHECK(!strcmp(err, "\"banana\" is not a size (use a number with an optional K, M, G or T suffix, e.g. 256M)"));
	CHECK(parse_bad("12Q"));
	CHECK_HAS(err, "\"12Q\"");
	CHECK_HAS(err, "e.g. 256M");
	CHECK(parse_bad("1.5G"));
	CHECK_HAS(err, "\"1.5G\" is not a size");
}

TEST(empty_refused)
{
	uint64_t v = 5;

	CHECK(parse_bad(""));
	CHECK_HAS(err, "empty");
	CHECK_HAS(err, "e.g. 256M");
	CHECK(size_parse(NULL, &v, err, sizeof(err)) == -EINVAL);
	CHECK(v == 5);
}

TEST(negative_refused)
{
	CHECK(parse_bad("-1"));
	CHECK_HAS(err, "\"-1\"");
	CHECK_HAS(err, "negative");
	CHECK(parse_bad("-256M"));
	CHECK(parse_bad("-0"));
}

TEST(overflow_refused)
{
	CHECK(parse_bad("18446744073709551616"));
	CHECK_HAS(err, "too large");
	CHECK_HAS(err, "\"18446744073709551616\"");
	CHECK(parse_bad("99999999999999999999999"));
	CHECK(parse_bad("16777216T"));
	CHECK_HAS(err, "too large");
	CHECK(parse_bad("17179869184G"));
	CHECK(parse_bad("18014398509481984K"));
	CHECK(parse_bad("18446744073709551615K"));
}

TEST(null_or_short_err_buffer)
{
	uint64_t v;
	char tiny[4] = "xyz";

	CHECK(size_parse("banana", &v, NULL, 0) == -EINVAL);
	CHECK(size_parse("banana", &v, tiny, sizeof(tiny)) == -EINVAL);
	CHECK(!strcmp(tiny, "\"ba"));
	CHECK(mem_size_check("1K", 1024, NULL, 0) == -EINVAL);
}

TEST(format)
{
	char buf[32];

	size_format(0, buf, sizeof(buf));
	CHECK(!strcmp(buf, "0"));
	size_format(1000, buf, sizeof(buf));
	CHECK(!strcmp(buf, "1000"));
	size_format(4096, buf, sizeof(buf));
	CHECK(!strcmp(buf, "4K"));
	size_format(16ULL << 20, buf, sizeof(buf));
	CHECK(!strcmp(buf, "16M"));
	size_format(COLINUX_MEM_MAX, buf, sizeof(buf));
	CHECK(!strcmp(buf, "32G"));
	size_format(1ULL << 50, buf, sizeof(buf));
	CHECK(!strcmp(buf, "1024T"));
	size_format((1ULL << 30) + 4096, buf, sizeof(buf));
	CHECK(!strcmp(buf, "1048580K"));
}

TEST(mem_good)
{
	CHECK(mem_size_check("16M", 16ULL << 20, err, sizeof(err)) == 0);
	CHECK(mem_size_check("256M", 256ULL << 20, err, sizeof(err)) == 0);
	CHECK(mem_size_check("32G", COLINUX_MEM_MAX, err, sizeof(err)) == 0);
	CHECK(mem_size_check(NULL, (16ULL << 20) + 4096, err,
			     sizeof(err)) == 0);
}

TEST(mem_too_small)
{
	CHECK(mem_size_check("1K", 1024, err, sizeof(err)) == -EINVAL);
	CHECK(!strcmp(err, "--mem 1K: too small, the guest needs at least 16M"));
	CHECK(mem_size_check("0", 0, err, sizeof(err)) == -EINVAL);
	CHECK_HAS(err, "--mem 0:");
	CHECK_HAS(err, "too small");
	CHECK(mem_size_check(NULL, (16ULL << 20) - 4096, err,
			     sizeof(err)) == -EINVAL);
	CHECK_HAS(err, "--mem 16380K:");
	/* Too small wins over not page-aligned. */
	CHECK(mem_size_check("1000", 1000, err, sizeof(err)) == -EINVAL);
	CHECK_HAS(err, "too small");
}

TEST(mem_too_big)
{
	CHECK(mem_size_check("10T", 10ULL << 40, err, sizeof(err)) == -EINVAL);
	CHECK(!strcmp(err, "--mem 10T: more than the 32G a guest can have"));
	CHECK(mem_size_check(NULL, COLINUX_MEM_MAX + 4096, err,
			     sizeof(err)) == -EINVAL);
	CHECK_HAS(err, "--mem 33554436K:");
	CHECK_HAS(err, "32G");
	CHECK(mem_size_check(NULL, UINT64_MAX, err, sizeof(err)) == -EINVAL);
	CHECK_HAS(err, "more than");
}

TEST(mem_not_page_multiple)
{
	uint64_t bytes = (256ULL << 20) + 100;

	CHECK(mem_size_check("268435556", bytes, err, sizeof(err)) == -EINVAL);
	CHECK_HAS(err, "--mem 268435556:");
	CHECK_HAS(err, "multiple of 4096");
	CHECK_HAS(err, "try --mem 256M");
	CHECK(mem_size_check(NULL, (16ULL << 20) + 1, err, sizeof(err)) ==
	      -EINVAL);
	CHECK_HAS(err, "--mem 16777217:");
	CHECK_HAS(err, "try --mem 16M");
}

/* What run.c will do: parse, then check, with the user's own text. */
TEST(parse_then_check)
{
	uint64_t v;

	CHECK(size_parse("512MiB", &v, err, sizeof(err)) == 0);
	CHECK(mem_size_check("512MiB", v, err, sizeof(err)) == 0);
	CHECK(size_parse("64T", &v, err, sizeof(err)) == 0);
	CHECK(mem_size_check("64T", v, err, sizeof(err)) == -EINVAL);
	CHECK_HAS(err, "--mem 64T: more than the 32G");
}

int main(void)
{
	return check_run_all();
}

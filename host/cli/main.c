// SPDX-License-Identifier: GPL-2.0
/* colinux: the command, and the table of its subcommands. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <colinux/passage.h>
#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "boot a guest" },
	{ "image", cmd_image, "make a bootable disk image" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: colinux COMMAND [OPTIONS]\n\n"
		   "Cooperative Linux: run a Linux guest beside this system, unprivileged.\n\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n`colinux COMMAND --help` describes a command.\n");
}

char **cli_argv;

const char *cli_exe_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		return ".";
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return dir;
}

int main(int argc, char **argv)
{
	size_t i;

	cli_argv = argv;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("colinux (passage version %u)\n", COLINUX_PASSAGE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "colinux: unknown command '%s' (see `colinux --help`)\n",
		argv[1]);
	return EXIT_USAGE;
}

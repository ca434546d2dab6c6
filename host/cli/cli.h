/* SPDX-License-Identifier: GPL-2.0 */
/* The colinux subcommands, one file each. */
#ifndef COLINUX_CLI_H
#define COLINUX_CLI_H

/* Exit statuses of the monitor (see README "Exit status"). */
#define EXIT_GUEST_OK		0	/* the guest powered off */
#define EXIT_GUEST_FAILED	1	/* kernel panic, or stopped by force */
#define EXIT_USAGE		2	/* bad arguments or files: nothing ran */

int cmd_run(int argc, char **argv);
int cmd_image(int argc, char **argv);

/* main's argv, for re-executing the monitor. */
extern char **cli_argv;

/* The directory holding the running colinux binary, for its defaults. */
const char *cli_exe_dir(void);

#endif

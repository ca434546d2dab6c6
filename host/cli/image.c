// SPDX-License-Identifier: GPL-2.0
/*
 * colinux image: make a bootable disk image for `colinux run --disk`.
 * This file checks what the user asked for (the kind, OUT, --size) and
 * finds our files; the image itself is built by images/busybox/mkdisk.sh
 * (mkfs.ext4 -d, no root, no loop mount), run as a child:
 *
 *   bash mkdisk.sh OUT SIZE-BYTES INIT PROFILE
 *
 * It must never touch an existing file unless --force says so, and never
 * leave a half-made OUT (the script builds OUT.tmp and renames it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "size.h"

#define DEFAULT_SIZE	"256M"
#define IMAGE_SIZE_MIN	(32ULL << 20)
#define IMAGE_SIZE_MAX	(1ULL << 40)
#define IMAGE_SIZE_UNIT	(1ULL << 20)
#define EXIT_IMAGE_FAILED	1	/* the build failed: nothing written */

extern char **environ;

static const char *const image_kinds[] = { "busybox" };

struct image_options {
	const char *kind;
	const char *out;
	const char *size_text;
	uint64_t size;
	int force;
};

static void image_usage(FILE *f)
{
	fprintf(f,
"usage: colinux image busybox OUT [--size SIZE] [--force]\n"
"\n"
"Make OUT, a raw disk image holding an ext4 file system with the default\n"
"busybox system (the same user land as the default initramfs, with our\n"
"init as /sbin/init), ready for `colinux run --disk OUT`. No root is\n"
"needed: the file system is written with mkfs.ext4 -d (e2fsprogs), and\n"
"every file in it belongs to root. OUT is sparse: blocks nothing uses\n"
"take no room on the host.\n"
"\n"
"Options:\n"
"  --size SIZE   the disk's size, e.g. 512M or 2G: %lluM to %lluT, a\n"
"                multiple of 1M (default %s)\n"
"  --force       replace OUT if it exists (otherwise an existing OUT is\n"
"                refused and left alone)\n"
"  -h, --help    this text\n"
"\n"
"OUT appears only when it is complete; a failed build leaves nothing.\n"
"\n"
"Exit status: 0 OUT is ready; 1 the build failed (the reason is on\n"
"stderr); 2 bad arguments (nothing was written).\n",
		IMAGE_SIZE_MIN >> 20, IMAGE_SIZE_MAX >> 40, DEFAULT_SIZE);
}

static void kinds_list(char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(image_kinds) / sizeof(image_kinds[0]); i++)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
			      i ? ", " : "", image_kinds[i]);
}

static int known_kind(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(image_kinds) / sizeof(image_kinds[0]); i++)
		if (!strcmp(kind, image_kinds[i]))
			return 1;
	return 0;
}

static int parse_args(int argc, char **argv, struct image_options *o)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char kinds[128];
	int c;

	o->size_text = DEFAULT_SIZE;
	opterr = 0;	/* getopt would say "image:", not "colinux image:" */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->size_text = optarg;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'h':
			image_usage(stdout);
			exit(0);
		case ':':
			fprintf(stderr, "colinux image: %s needs a value (see `colinux image --help`)\n",
				argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(stderr, "colinux image: unknown option '%s' (see `colinux image --help`)\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	kinds_list(kinds, sizeof(kinds));
	if (optind >= argc) {
		fprintf(stderr, "colinux image: which image? (kinds: %s; see `colinux image --help`)\n",
			kinds);
		return -EINVAL;
	}
	o->kind = argv[optind++];
	if (!known_kind(o->kind)) {
		fprintf(stderr, "colinux image: unknown image kind '%s' (kinds: %s)\n",
			o->kind, kinds);
		return -EINVAL;
	}
	if (optind >= argc) {
		fprintf(stderr, "colinux image %s: missing OUT, the image file to make (e.g. `colinux image %s disk.img`)\n",
			o->kind, o->kind);
		return -EINVAL;
	}
	o->out = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "colinux image: unexpected argument '%s' (see `colinux image --help`)\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static int check_size(struct image_options *o)
{
	char err[256], lim[32];

	if (size_parse(o->size_text, &o->size, err, sizeof(err))) {
		fprintf(stderr, "colinux image: --size %s: %s\n",
			o->size_text, err);
		return -EINVAL;
	}
	if (o->size < IMAGE_SIZE_MIN) {
		size_format(IMAGE_SIZE_MIN, lim, sizeof(lim));
		fprintf(stderr, "colinux image: --size %s: too small, an image needs at least %s (try --size %s)\n",
			o->size_text, lim, lim);
		return -EINVAL;
	}
	if (o->size > IMAGE_SIZE_MAX) {
		size_format(IMAGE_SIZE_MAX, lim, sizeof(lim));
		fprintf(stderr, "colinux image: --size %s: too large, an image can be at most %s\n",
			o->size_text, lim);
		return -EINVAL;
	}
	if (o->size % IMAGE_SIZE_UNIT) {
		/* Rounding up stays within the limits, both whole MiB. */
		size_format((o->size / IMAGE_SIZE_UNIT + 1) * IMAGE_SIZE_UNIT,
			    lim, sizeof(lim));
		fprintf(stderr, "colinux image: --size %s: not a whole number of MiB (try --size %s)\n",
			o->size_text, lim);
		return -EINVAL;
	}
	return 0;
}

/* OUT must be new (or --force over a regular file) in a writable directory. */
static int check_out(const struct image_options *o)
{
	char dir[PATH_MAX];
	struct stat st;

	if (lstat(o->out, &st) == 0) {
		if (!o->force) {
			fprintf(stderr, "colinux image: %s exists (use --force to overwrite it)\n",
				o->out);
			return -EEXIST;
		}
		if (!S_ISREG(st.st_mode)) {
			fprintf(stderr, "colinux image: %s exists and is not a regular file: not overwriting it, even with --force\n",
				o->out);
			return -EEXIST;
		}
	} else if (errno != ENOENT) {
		fprintf(stderr, "colinux image: %s: %s\n", o->out,
			strerror(errno));
		return -errno;
	}
	if (strlen(o->out) >= sizeof(dir) - 4) {
		fprintf(stderr, "colinux image: %s: name too long\n", o->out);
		return -ENAMETOOLONG;
	}
	strcpy(dir, o->out);
	if (access(dirname(dir), W_OK | X_OK) < 0) {
		int e = errno;

		strcpy(dir, o->out);
		fprintf(stderr, "colinux image: %s: cannot write in %s: %s\n",
			o->out, dirname(dir), strerror(e));
		return -e;
	}
	return 0;
}

/*
 * A file of ours: next to the binary, in the source tree when the binary
 * is build/colinux (src_dir, relative to the repository), or where
 * `make install` put it. NULL, with the places tried in err, if none is.
 */
static const char *our_file(const char *name, const char *src_dir,
			    char *err, size_t errlen)
{
	static char path[3][PATH_MAX];
	static int next;
	const char *dir = cli_exe_dir();
	char *p = path[next++ % 3];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	if (access(p, R_OK) == 0)
		return p;
	if (src_dir) {
		snprintf(p, PATH_MAX, "%s/../%s/%s", dir, src_dir, name);
		if (access(p, R_OK) == 0)
			return p;
	}
	snprintf(p, PATH_MAX, "%s/../lib/colinux/%s", dir, name);
	if (access(p, R_OK) == 0)
		return p;
	snprintf(err, errlen, "%s not found in %s%s%s%s%s or %s/../lib/colinux (build it with make, or install colinux with make install)",
		 name, dir, src_dir ? ", " : "", src_dir ? dir : "",
		 src_dir ? "/../" : "", src_dir ? src_dir : "", dir);
	return NULL;
}

static volatile pid_t script_pid;

/* Ctrl-C reaches the script too (same process group); kill(1) may not. */
static void forward_signal(int sig)
{
	if (script_pid > 0)
		kill(script_pid, sig);
}

/*
 * Run argv (bash SCRIPT ARGS...) and wait: 0 if it exited 0, else -1
 * with the reason said. A SIGINT, SIGTERM or SIGHUP meanwhile goes to
 * the script, so its trap removes what it made before we report.
 */
static int run_script(char *const argv[])
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = forward_signal }, old[3];
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	pid_t pid;
	int status, err, ret = -1;
	size_t i;

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (i = 0; i < 3; i++)
		sigaddset(&dfl, sigs[i]);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
					POSIX_SPAWN_SETSIGDEF);
	/* No SA_RESTART: waitpid returns EINTR and is called again. */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	fflush(stdout);
	fflush(stderr);
	err = posix_spawn(&pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err) {
		fprintf(stderr, "colinux image: cannot run %s: %s\n", argv[0],
			strerror(err));
		goto out;
	}
	script_pid = pid;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "colinux image: waitpid: %s\n",
				strerror(errno));
			goto out;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		ret = 0;
	else if (WIFSIGNALED(status))
		fprintf(stderr, "colinux image: %s was killed by signal %d: no image written\n",
			argv[1], WTERMSIG(status));
	else
		fprintf(stderr, "colinux image: %s failed (exit status %d): no image written\n",
			argv[1], WEXITSTATUS(status));
out:
	script_pid = 0;
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return ret;
}

int cmd_image(int argc, char **argv)
{
	struct image_options o = { 0 };
	const char *script, *init, *profile;
	char err[PATH_MAX * 4 + 256], bytes[32];

	if (parse_args(argc, argv, &o) || check_size(&o) || check_out(&o))
		return EXIT_USAGE;

	script = our_file("mkdisk.sh", "images/busybox", err, sizeof(err));
	init = script ? our_file("colinux-init", NULL, err, sizeof(err)) :
			NULL;
	profile = init ? our_file("profile", "images/busybox", err,
				  sizeof(err)) : NULL;
	if (!profile) {
		fprintf(stderr, "colinux image: %s\n", err);
		return EXIT_IMAGE_FAILED;
	}
	snprintf(bytes, sizeof(bytes), "%" PRIu64, o.size);
	{
		char *const args[] = {
			"/bin/bash", (char *)script, (char *)o.out, bytes,
			(char *)init, (char *)profile, NULL,
		};

		if (run_script(args))
			return EXIT_IMAGE_FAILED;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * colinux run: check every input before anything runs (memory size,
 * kernel ELF, initrd), lay out guest RAM, start the vCPU, then wait on
 * the main thread for the guest to end or for the user to stop it.
 * The main thread owns SIGINT/SIGTERM/SIGHUP (through a signalfd); the
 * vCPU thread owns the guest's signals; the exit status says how the
 * guest ended.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "size.h"
#include "engine/elf_load.h"
#include "engine/devices.h"
#include "engine/guest.h"

#define DEFAULT_MEM	"256M"
#define STOP_GRACE_MS	5000	/* a clean shutdown gets this long */
/*
 * The least a side spins before it sleeps, in microseconds: about what a
 * sleep and a wake-up across CPUs cost on our hosts (trap-bench: 14-63
 * us). spin_wait.h stretches it to fit the waits it sees.
 */
#define HANDOFF_SPIN_US		30
#define HANDOFF_SPIN_US_MAX	10000

struct run_options {
	const char *kernel;
	const char *mem;
	const char *initrd;
	const char *exec;
	int initrd_given;
	int root_disk_ro;	/* the first --disk had ,ro */
	unsigned long handoff_spin;
	int handoff_given;
	char cmdline[COLINUX_CMDLINE_MAX];
};

static void run_usage(FILE *f)
{
	fprintf(f,
"usage: colinux run [OPTIONS] [-- KERNEL-CMDLINE...]\n"
"\n"
"Boot a guest kernel on this host, unprivileged. Its consoles use standard\n"
"input and output: the kernel log on ttyP0, the shell or the --exec job on\n"
"the virtio console hvc0.\n"
"\n"
"Options:\n"
"  --kernel FILE   guest kernel (vmlinux of ARCH=colinux); default: the\n"
"                  vmlinux installed next to this program\n"
"  --mem SIZE      guest RAM, e.g. 128M or 2G (16M to 32G; default %s)\n"
"  --initrd FILE   initramfs (cpio, optionally gzip-compressed); default:\n"
"                  the busybox image built by make, installed next to\n"
"                  this program, unless --disk is given: then the root\n"
"                  file system is the first disk (root=/dev/vda)\n"
"  --disk FILE[,ro]\n"
"                  a raw disk image (a regular file, a multiple of 512\n"
"                  bytes) as virtio disk vda, then vdb, ... (repeatable,\n"
"                  at most %d); ,ro makes it read-only. A disk in use by\n"
"                  another colinux is refused. `colinux image busybox\n"
"                  FILE` makes a bootable one\n"
"  --exec CMD      run CMD with /bin/sh -c as the guest's job, print its\n"
"                  output, power off, and exit with CMD's exit status\n"
"                  (at most %d bytes)\n"
"  --handoff MODE  how a guest thread and the kernel hand the CPU over:\n"
"                  spin (the default where a second CPU is free: stubs\n"
"                  whose system calls return quickly run on that CPU,\n"
"                  and each side spins about twice its recent waits,\n"
"                  30 to 240 us, before it sleeps; the others share the\n"
"                  vCPU's CPU, blocking), spin:US (US\n"
"                  instead of 30, 1 to %d) or block (one host CPU,\n"
"                  futex: slower system calls, no second CPU busy)\n"
"  -h, --help      this text\n"
"\n"
"Words after -- are appended to the kernel command line.\n"
"\n"
"SIGTERM, SIGHUP or SIGINT (Ctrl-C when the console is not a terminal)\n"
"asks the guest to shut down cleanly; a second one, or %d s without an\n"
"answer, stops it at once.\n"
"\n"
"On a terminal, the console is in raw mode: keys, Ctrl-C included, go to\n"
"the guest. Ctrl-A x stops the guest; Ctrl-A Ctrl-A sends a Ctrl-A.\n"
"\n"
"A reboot in the guest starts it again in the same monitor process.\n"
"\n"
"Exit status: 0 the guest powered off (with --exec: CMD's status); 1 it\n"
"panicked or was stopped by force; 2 bad arguments or files (nothing ran).\n",
		DEFAULT_MEM, DEVICES_DISKS_MAX, COLINUX_EXEC_MAX - 1,
		HANDOFF_SPIN_US_MAX, STOP_GRACE_MS / 1000);
}

/* "block", "spin" or "spin:US". */
static int parse_handoff(const char *mode, unsigned long *spin_us)
{
	char *end;

	if (!strcmp(mode, "block")) {
		*spin_us = 0;
		return 0;
	}
	if (!strcmp(mode, "spin")) {
		*spin_us = HANDOFF_SPIN_US;
		return 0;
	}
	if (!strncmp(mode, "spin:", 5)) {
		errno = 0;
		*spin_us = strtoul(mode + 5, &end, 10);
		if (!errno && end != mode + 5 && !*end && *spin_us &&
		    *spin_us <= HANDOFF_SPIN_US_MAX)
			return 0;
	}
	fprintf(stderr, "colinux run: --handoff %s: not a mode (use block, spin or spin:US with US 1 to %d)\n",
		mode, HANDOFF_SPIN_US_MAX);
	return -1;
}

static int parse_args(int argc, char **argv, struct run_options *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "mem", required_argument, NULL, 'm' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "exec", required_argument, NULL, 'e' },
		{ "disk", required_argument, NULL, 'd' },
		{ "handoff", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t len = 0;
	int c, i;

	o->mem = DEFAULT_MEM;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o->kernel = optarg;
			break;
		case 'm':
			o->mem = optarg;
			break;
		case 'i':
			o->initrd = optarg;
			o->initrd_given = 1;
			break;
		case 'd': {
			struct blk_spec spec;
			char err[512];

			if (blk_spec_parse(optarg, &spec, err, sizeof(err)) ||
			    devices_open_disk(&spec, err, sizeof(err))) {
				fprintf(stderr, "colinux: %s\n", err);
				return -EINVAL;
			}
			if (devices_ndisks() == 1)
				o->root_disk_ro = spec.ro;
			break;
		}
		case 'e':
			o->exec = optarg;
			break;
		case 'H':
			if (parse_handoff(optarg, &o->handoff_spin))
				return -EINVAL;
			o->handoff_given = 1;
			break;
		case 'h':
			run_usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "colinux run: see `colinux run --help`\n");
			return -EINVAL;
		}
	}
	for (i = optind; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (len + n + 2 > sizeof(o->cmdline)) {
			fprintf(stderr, "colinux run: kernel command line longer than %d bytes\n",
				COLINUX_CMDLINE_MAX - 1);
			return -E2BIG;
		}
		if (len)
			o->cmdline[len++] = ' ';
		memcpy(o->cmdline + len, argv[i], n);
		len += n;
		o->cmdline[len] = '\0';
	}
	return 0;
}

/* Put the initrd at the top of RAM, page aligned, clear of the kernel. */
static int load_initrd(struct guest *g, const char *path, uint64_t kernel_end)
{
	size_t size;
	struct stat st;
	uint64_t start;
	size_t done = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = -errno;
		fprintf(stderr, "colinux: --initrd %s: %s\n", path,
			strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		fprintf(stderr, "colinux: --initrd %s: not a regular file\n",
			path);
		goto out;
	}
	size = ((size_t)st.st_size + 3) & ~(size_t)3;
	start = ((g->mem_size - size) & ~4095ULL);
	if ((uint64_t)st.st_size > g->mem_size / 2 || start < kernel_end) {
		ret = -EFBIG;
		fprintf(stderr, "colinux: --initrd %s: %lld bytes do not fit in half of --mem %llu MiB (give more --mem)\n",
			path, (long long)st.st_size,
			(unsigned long long)(g->mem_size >> 20));
		goto out;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, g->ram + start + done,
				 (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			fprintf(stderr, "colinux: --initrd %s: read: %s\n",
				path, n < 0 ? strerror(errno) : "file shrank");
			goto out;
		}
		done += (size_t)n;
	}
	memset(g->ram + start + done, 0, size - done);
	g->boot->initrd_start = start;
	g->boot->initrd_size = size;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

/* A file of ours: next to the binary (build/), or where `make install` put it. */
static const char *installed_file(const char *name)
{
	static char path[4][PATH_MAX];
	static int next;
	const char *dir = cli_exe_dir();
	char *p = path[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	if (access(p, R_OK) == 0)
		return p;
	snprintf(p, PATH_MAX, "%s/../lib/colinux/%s", dir, name);
	return p;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

/* Wait for the guest to end; turn the user's signals into a shutdown. */
static int wait_for_guest(struct guest *g, int sig_fd)
{
	struct pollfd fds[2] = {
		{ .fd = g->end_fd, .events = POLLIN },
		{ .fd = sig_fd, .events = POLLIN },
	};
	int64_t deadline = -1;

	for (;;) {
		int timeout = deadline < 0 ? -1 : (int)(deadline - now_ms());
		struct signalfd_siginfo si;

		if (deadline >= 0 && timeout <= 0) {
			fprintf(stderr, "colinux: the guest did not shut down within %d s: stopped by force\n",
				STOP_GRACE_MS / 1000);
			return EXIT_GUEST_FAILED;
		}
		if (poll(fds, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			perror("colinux: poll");
			return EXIT_GUEST_FAILED;
		}
		if (fds[0].revents)
			break;
		if (!fds[1].revents ||
		    read(sig_fd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (deadline >= 0) {
			fprintf(stderr, "colinux: %s again: guest stopped by force\n",
				signal_name((int)si.ssi_signo));
			return EXIT_GUEST_FAILED;
		}
		fprintf(stderr, "colinux: %s: asking the guest to shut down (repeat to force)\n",
			signal_name((int)si.ssi_signo));
		vcpu_raise_irq(g, COLINUX_IRQ_SHUTDOWN);
		deadline = now_ms() + STOP_GRACE_MS;
	}

	switch (g->end) {
	case GUEST_POWER_OFF:
		return g->exit_status;
	case GUEST_REBOOT:
		return EXIT_GUEST_OK;
	case GUEST_PANIC:
		fprintf(stderr, "colinux: guest kernel panic: %s\n",
			g->panic_msg);
		return EXIT_GUEST_FAILED;
	default:
		return EXIT_GUEST_FAILED;
	}
}

/* Append words to the kernel command line; -E2BIG if they do not fit. */
static int append_cmdline(char *cmdline, const char *words)
{
	size_t len = strlen(cmdline), n = strlen(words);

	if (!n)
		return 0;
	if (len + n + 2 > COLINUX_CMDLINE_MAX)
		return -E2BIG;
	if (len)
		cmdline[len++] = ' ';
	memcpy(cmdline + len, words, n + 1);
	return 0;
}

/*
 * The guest rebooted: boot it again in this same process. Re-executing
 * the monitor gives the new boot a clean slate (RAM, vCPU, devices)
 * with the same arguments; the old guest's stubs go first, and the
 * terminal is restored for the new monitor to set up again. Disk locks
 * drop with their descriptors at exec and are taken again at once.
 */
static void restart(void)
{
	stubs_kill_all();
	console_restore();
	fprintf(stderr, "colinux: the guest rebooted: starting it again\n");
	execv("/proc/self/exe", cli_argv);
	fprintf(stderr, "colinux: cannot restart the monitor: %s\n",
		strerror(errno));
}

int cmd_run(int argc, char **argv)
{
	static struct guest guest = { .mem_fd = -1, .end_fd = -1 };
	struct guest *g = &guest;
	struct run_options o = { .handoff_spin = HANDOFF_SPIN_US };
	struct kernel_image img = { 0 };
	char err[512];
	uint64_t mem;
	sigset_t mask;
	int sig_fd, ret;

	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	if (size_parse(o.mem, &mem, err, sizeof(err)) ||
	    mem_size_check(o.mem, mem, err, sizeof(err))) {
		fprintf(stderr, "colinux: --mem %s: %s\n", o.mem, err);
		return EXIT_USAGE;
	}
	if (!o.kernel)
		o.kernel = installed_file("vmlinux");
	if (o.exec && strlen(o.exec) >= COLINUX_EXEC_MAX) {
		fprintf(stderr, "colinux: --exec: command too long (%zu bytes; at most %d)\n",
			strlen(o.exec), COLINUX_EXEC_MAX - 1);
		return EXIT_USAGE;
	}
	/* With a disk and no initramfs asked for, the disk is the root. */
	if (!o.initrd && !devices_ndisks())
		o.initrd = installed_file("initramfs.cpio.gz");
	if (o.initrd && access(o.initrd, R_OK) < 0) {
		fprintf(stderr, "colinux: --initrd %s: %s (build the default image with `make`)\n",
			o.initrd, strerror(errno));
		return EXIT_USAGE;
	}
	if (stubs_init(installed_file("colinux-stub"), err, sizeof(err))) {
		fprintf(stderr, "colinux: %s\n", err);
		return EXIT_USAGE;
	}
	if (kernel_image_open(o.kernel, &img, err, sizeof(err)) ||
	    kernel_image_check_fits(&img, mem, err, sizeof(err))) {
		fprintf(stderr, "colinux: %s\n", err);
		return EXIT_USAGE;
	}

	/* Only the vCPU takes SIGALRM; only the main thread the user's. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGALRM);
	sigaddset(&mask, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	sigdelset(&mask, SIGALRM);
	sigdelset(&mask, SIGUSR2);
	sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	g->end_fd = eventfd(0, EFD_CLOEXEC);
	if (sig_fd < 0 || g->end_fd < 0) {
		perror("colinux: signalfd/eventfd");
		return EXIT_GUEST_FAILED;
	}

	guest_current = g;
	if (guest_memory_init(g, mem, err, sizeof(err))) {
		fprintf(stderr, "colinux: %s\n", err);
		return EXIT_GUEST_FAILED;
	}
	kernel_image_load(&img, g->ram);
	g->entry = img.entry;
	g->handoff_spin = o.handoff_spin;
	g->handoff_given = o.handoff_given;

	g->boot = calloc(1, sizeof(*g->boot));
	if (!g->boot) {
		fprintf(stderr, "colinux: out of memory\n");
		return EXIT_GUEST_FAILED;
	}
	g->boot->magic = COLINUX_PASSAGE_MAGIC;
	g->boot->version = COLINUX_PASSAGE_VERSION;
	g->boot->mem_size = mem;
	g->boot->host = &host_ops;
	g->boot->vcpu = &g->vcpu;
	g->boot->host_clock_gettime = stubs_host_clock_gettime();
	g->boot->host_minsigstksz = getauxval(AT_MINSIGSTKSZ);
	if (o.exec)
		strcpy(g->boot->exec, o.exec);	/* length checked above */
	if (devices_attach(g, g->boot->cmdline, sizeof(g->boot->cmdline),
			   err, sizeof(err))) {
		fprintf(stderr, "colinux: %s\n", err);
		return EXIT_GUEST_FAILED;
	}
	if (append_cmdline(g->boot->cmdline, !o.initrd ?
			   (o.root_disk_ro ? "root=/dev/vda ro" :
					     "root=/dev/vda rw") : "") ||
	    append_cmdline(g->boot->cmdline, o.cmdline)) {
		fprintf(stderr, "colinux: kernel command line longer than %d bytes\n",
			COLINUX_CMDLINE_MAX - 1);
		return EXIT_USAGE;
	}
	if (o.initrd && load_initrd(g, o.initrd, img.load_end))
		return EXIT_USAGE;
	kernel_image_close(&img);

	if (console_start(g, err, sizeof(err)) ||
	    vcpu_start(g, err, sizeof(err))) {
		fprintf(stderr, "colinux: %s\n", err);
		return EXIT_GUEST_FAILED;
	}
	ret = wait_for_guest(g, sig_fd);
	if (g->end == GUEST_REBOOT)
		restart();
	return ret;
}

/* guestbench: syscall, process and memory workloads for comparing a guest
 * (coLinux, QEMU TCG, User-mode Linux, ...) with the native host.
 *
 * One static binary (gcc -O2 -static) that needs nothing but the kernel and,
 * for forkexec, a `true` program. Each workload runs RUNS times (default 5)
 * and prints its median:
 *
 *     RESULT <name> <value> <unit>
 *
 * with the single runs on a comment line "# runs <name> v1 v2 ...".
 *
 * usage: guestbench [--quick] [--runs N] [--true PATH] [--compute-iters N]
 *                   [WORKLOAD...]
 *   WORKLOAD: getppid forkexec pipe pagefault compute (default: all)
 *   --quick   fewer iterations for slow (emulated) guests; every figure is
 *             still per operation, compute is extrapolated to the full loop
 *   --compute-iters N  run the compute loop N times instead of 300M (30M
 *             with --quick); the figure is still extrapolated to 300M
 *   --true    program that forkexec executes (argv[0] is "true", so a
 *             busybox binary works); default /bin/true, else /usr/bin/true
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 15
#define COMPUTE_ITERS 300000000L /* about 1 s natively */

static int quick;
static long compute_iters; /* 0: COMPUTE_ITERS, a tenth with --quick */
static int runs = 5;
static const char *true_path;

static void die(const char *what)
{
	fprintf(stderr, "guestbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Time budget and iteration cap of one run. */
struct budget {
	uint64_t ns;
	long max_iters;
};

/* --- getppid: one syscall round trip ------------------------------------ */

static double run_getppid(void)
{
	struct budget b = quick ? (struct budget){ 50000000ull, 20000 }
				: (struct budget){ 300000000ull, 200000 };
	const long chunk = 500;
	long n = 0;
	pid_t expect = getppid();

	for (int i = 0; i < chunk; i++) /* warm-up */
		syscall(SYS_getppid);
	uint64_t t0 = now_ns(), t;
	do {
		for (long i = 0; i < chunk; i++)
			if (syscall(SYS_getppid) != expect)
				die("getppid changed");
		n += chunk;
		t = now_ns();
	} while (t - t0 < b.ns && n < b.max_iters);
	return (double)(t - t0) / (double)n;
}

/* --- forkexec: fork + execve(true) + waitpid ------------------------------ */

static void spawn_true(void)
{
	static char *const argv[] = { "true", NULL };
	static char *const envp[] = { "PATH=/bin:/usr/bin", NULL };
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execve(true_path, argv, envp);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "guestbench: %s did not exit 0 (status %#x)\n",
			true_path, st);
		exit(1);
	}
}

static double run_forkexec(void)
{
	struct budget b = quick ? (struct budget){ 500000000ull, 20 }
				: (struct budget){ 2000000000ull, 200 };
	long n = 0;

	if (access(true_path, X_OK)) {
		fprintf(stderr, "guestbench: forkexec: cannot execute %s: %s (use --true PATH)\n",
			true_path, strerror(errno));
		exit(1);
	}
	spawn_true(); /* warm-up: page cache, first exec */
	uint64_t t0 = now_ns(), t;
	do {
		spawn_true();
		n++;
		t = now_ns();
	} while (t - t0 < b.ns && n < b.max_iters);
	return (double)(t - t0) / (double)n / 1000.0;
}

/* --- pipe: 1-byte ping-pong between parent and child ---------------------- */

static void xwrite1(int fd)
{
	char c = 'x';
	while (write(fd, &c, 1) != 1)
		if (errno != EINTR)
			die("pipe write");
}

/* Returns 0 at end of file. */
static int xread1(int fd)
{
	char c;
	for (;;) {
		ssize_t r = read(fd, &c, 1);
		if (r == 1)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			die("pipe read");
	}
}

static double run_pipe(void)
{
	struct budget b = quick ? (struct budget){ 100000000ull, 5000 }
				: (struct budget){ 300000000ull, 100000 };
	const long chunk = 50;
	int ping[2], pong[2];

	if (pipe(ping) || pipe(pong))
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(ping[1]);
		close(pong[0]);
		while (xread1(ping[0]))
			xwrite1(pong[1]);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);

	for (int i = 0; i < chunk; i++) { /* warm-up */
		xwrite1(ping[1]);
		if (!xread1(pong[0]))
			die("pipe child gone");
	}
	long n = 0;
	uint64_t t0 = now_ns(), t;
	do {
		for (long i = 0; i < chunk; i++) {
			xwrite1(ping[1]);
			if (!xread1(pong[0]))
				die("pipe child gone");
		}
		n += chunk;
		t = now_ns();
	} while (t - t0 < b.ns && n < b.max_iters);

	close(ping[1]); /* child sees EOF and exits */
	close(pong[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return (double)(t - t0) / (double)n;
}

/* --- pagefault: first write to each 4 KiB page of a fresh mapping --------- */

static double run_pagefault(void)
{
	const size_t page = 4096;
	size_t len = (quick ? 16u : 64u) << 20;

	uint64_t t0 = now_ns();
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	/* Count 4 KiB faults, not transparent huge pages. A kernel without
	 * THP fails this with EINVAL, which is fine. */
	(void)madvise(p, len, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < len; off += page)
		((volatile char *)p)[off] = 1;
	if (munmap(p, len))
		die("munmap");
	uint64_t t = now_ns();
	return (double)(t - t0) / (double)(len / page);
}

/* --- compute: LCG + sqrt, no system call in the loop ---------------------- */

static volatile double compute_sink;

static double run_compute(void)
{
	long n = compute_iters ? compute_iters
			       : quick ? COMPUTE_ITERS / 10 : COMPUTE_ITERS;
	uint64_t x = 88172645463325252ull;
	double acc = 0.0;

	uint64_t t0 = now_ns();
	for (long i = 0; i < n; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		acc += sqrt((double)(x >> 11));
		if ((x >> 60) == 7)
			acc *= 0.5;
	}
	uint64_t t = now_ns();
	compute_sink = acc + (double)x;
	/* Always ms for the full COMPUTE_ITERS loop. */
	return (double)(t - t0) / 1e6 * ((double)COMPUTE_ITERS / (double)n);
}

/* ------------------------------------------------------------------------- */

struct workload {
	const char *name;
	const char *unit;
	double (*run)(void);
};

static const struct workload workloads[] = {
	{ "getppid", "ns/op", run_getppid },
	{ "forkexec", "us/op", run_forkexec },
	{ "pipe", "ns/roundtrip", run_pipe },
	{ "pagefault", "ns/page", run_pagefault },
	{ "compute", "ms", run_compute },
};
#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void measure(const struct workload *w)
{
	double v[MAX_RUNS], sorted[MAX_RUNS];

	for (int i = 0; i < runs; i++)
		v[i] = w->run();
	memcpy(sorted, v, sizeof(v[0]) * (size_t)runs);
	qsort(sorted, (size_t)runs, sizeof(sorted[0]), cmp_double);
	double med = runs % 2 ? sorted[runs / 2]
			      : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
	printf("# runs %s", w->name);
	for (int i = 0; i < runs; i++)
		printf(" %.1f", v[i]);
	printf("\nRESULT %s %.1f %s\n", w->name, med, w->unit);
	fflush(stdout);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: guestbench [--quick] [--runs N] [--true PATH] [--compute-iters N]\n"
		   "                  [WORKLOAD...]\n"
		   "  WORKLOAD: getppid forkexec pipe pagefault compute (default: all)\n");
}

int main(int argc, char **argv)
{
	int selected[NWORKLOADS] = { 0 };
	int any = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--quick")) {
			quick = 1;
		} else if (!strcmp(a, "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
			if (runs < 1 || runs > MAX_RUNS) {
				fprintf(stderr, "guestbench: --runs must be 1..%d\n", MAX_RUNS);
				return 2;
			}
		} else if (!strcmp(a, "--compute-iters") && i + 1 < argc) {
			compute_iters = atol(argv[++i]);
			if (compute_iters < 1000) {
				fprintf(stderr, "guestbench: --compute-iters must be >= 1000\n");
				return 2;
			}
		} else if (!strcmp(a, "--true") && i + 1 < argc) {
			true_path = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			size_t k;
			for (k = 0; k < NWORKLOADS; k++)
				if (!strcmp(a, workloads[k].name))
					break;
			if (k == NWORKLOADS) {
				fprintf(stderr, "guestbench: unknown argument '%s'\n", a);
				usage(stderr);
				return 2;
			}
			selected[k] = any = 1;
		}
	}

	if (!true_path)
		true_path = access("/bin/true", X_OK) == 0 ? "/bin/true" : "/usr/bin/true";

	printf("# guestbench: %d runs, %s mode, forkexec runs %s, compute %ld iterations\n",
	       runs, quick ? "quick" : "full", true_path,
	       compute_iters ? compute_iters : quick ? COMPUTE_ITERS / 10 : COMPUTE_ITERS);
	fflush(stdout);
	for (size_t k = 0; k < NWORKLOADS; k++)
		if (!any || selected[k])
			measure(&workloads[k]);
	return 0;
}

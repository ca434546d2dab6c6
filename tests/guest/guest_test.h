/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness of the guest test programs, one header included by each
 * tests/guest/NAME_test.c (each program is one C file plus this header, and
 * needs nothing else at run time).
 *
 * A program is a table of checks. Each check is a void function run in a
 * forked process of its own (its own process group), with a deadline, so
 * that a check which crashes, hangs or leaves processes behind costs that
 * one check and nothing else. The check reports through FAIL/SKIP (or by
 * returning: ok); the parent prints exactly one line per check:
 *
 *	ok AREA-FLAVOR.CHECK
 *	FAIL AREA-FLAVOR.CHECK: why
 *	skip AREA-FLAVOR.CHECK: why
 *
 * FLAVOR is "static" or "dynamic", read from the running binary itself
 * (does it have a PT_INTERP?). The exit status is 1 if any check failed.
 *
 * Arguments: run only the named checks (an argument that is no check's
 * full name chooses every check it is a prefix of).
 * Environment: GT_TIMEOUT=SECONDS changes the per-check deadline (default
 * 30); GT_NOFORK=1 runs the checks in the one process, in order, with no
 * deadline (for a guest whose fork is what is broken).
 *
 * Processes a check forks are its own business: they report through their
 * exit status, never through FAIL. They are killed with the check's
 * process group when the check ends.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct gt_case {
	const char *name;
	void (*fn)(void);
};

#define GT_CASE(n) { #n, t_##n }
#define GT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What main received; set by gt_main (or by a program's child mode). */
static int gt_argc __attribute__((unused));
static char **gt_argv __attribute__((unused));
static char **gt_envp __attribute__((unused));

/* The check's verdict: 0 none yet (ok), 'F' failed, 'S' skipped. */
static int gt_verdict;
static char gt_reason[512];
static int gt_result_fd = -1;

static inline void gt_vset(int kind, const char *fmt, va_list ap)
{
	/* First verdict wins; callable from any thread of the check. */
	int none = 0;

	if (!__atomic_compare_exchange_n(&gt_verdict, &none, -1, 0,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	vsnprintf(gt_reason, sizeof(gt_reason), fmt, ap);
	for (char *p = gt_reason; *p; p++)
		if (*p == '\n')
			*p = ' ';
	__atomic_store_n(&gt_verdict, kind, __ATOMIC_SEQ_CST);
}

__attribute__((format(printf, 1, 2)))
static inline void gt_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gt_vset('F', fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 1, 2)))
static inline void gt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gt_vset('S', fmt, ap);
	va_end(ap);
}

static inline int gt_failed(void)
{
	return __atomic_load_n(&gt_verdict, __ATOMIC_SEQ_CST) != 0;
}

/* In a check function (returning void): */
#define FAIL(...) do { gt_fail(__VA_ARGS__); return; } while (0)
#define SKIP(...) do { gt_skip(__VA_ARGS__); return; } while (0)
#define CHECK(cond) do {						\
		if (!(cond))						\
			FAIL("line %d: %s", __LINE__, #cond);		\
	} while (0)
#define CHECKF(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)
/* A system call or libc call returning -1 on error; yields its value. */
#define SYS(expr) ({							\
		long gt_r_ = (long)(expr);				\
		if (gt_r_ == -1) {					\
			gt_fail("line %d: %s: %s", __LINE__, #expr,	\
				strerror(errno));			\
			return;						\
		}							\
		gt_r_;							\
	})
/* A pthread-style call returning an error number. */
#define PT(expr) do {							\
		int gt_e_ = (expr);					\
		if (gt_e_)						\
			FAIL("line %d: %s: %s", __LINE__, #expr,	\
			     strerror(gt_e_));				\
	} while (0)
/* After calling a helper that may have failed. */
#define RETURN_IF_FAILED() do { if (gt_failed()) return; } while (0)

/* ---- small helpers ---- */

static inline double gt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void gt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Describe a wait status, e.g. "exit 3", "killed by SIGSEGV". */
static inline const char *gt_status_str(int status)
{
	static __thread char buf[64];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by SIG%s%s",
			 sigabbrev_np(WTERMSIG(status)) ?
			 sigabbrev_np(WTERMSIG(status)) : "?",
			 WCOREDUMP(status) ? " (core)" : "");
	else if (WIFSTOPPED(status))
		snprintf(buf, sizeof(buf), "stopped by SIG%s",
			 sigabbrev_np(WSTOPSIG(status)) ?
			 sigabbrev_np(WSTOPSIG(status)) : "?");
	else
		snprintf(buf, sizeof(buf), "status 0x%x", status);
	return buf;
}

/*
 * Wait for child pid for at most timeout seconds; on timeout kill it
 * (SIGKILL), reap it and return -1. Else store its status, return 0.
 */
static inline int gt_wait_timeout(pid_t pid, int *status, double timeout)
{
	double end = gt_now() + timeout;
	long nap_us = 200;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r == -1 && errno != EINTR)
			return -2;
		if (gt_now() > end) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) == -1 && errno == EINTR)
				;
			return -1;
		}
		usleep(nap_us);
		if (nap_us < 10000)
			nap_us *= 2;
	}
}

/*
 * Wait (5 s at most) for a child the check forked; FAIL unless it exited
 * with want. Use as: WAIT_EXIT(pid, 0, "what the child did");
 */
#define WAIT_EXIT(pid, want, what) do {					\
		int gt_st_;						\
		int gt_w_ = gt_wait_timeout((pid), &gt_st_, 5.0);	\
		if (gt_w_ == -1)					\
			FAIL("%s: child did not finish in 5 s", (what)); \
		if (gt_w_ < 0)						\
			FAIL("%s: waitpid: %s", (what), strerror(errno)); \
		if (!WIFEXITED(gt_st_) || WEXITSTATUS(gt_st_) != (want)) \
			FAIL("%s: child %s, expected exit %d", (what),	\
			     gt_status_str(gt_st_), (want));		\
	} while (0)

/* Does this binary have a program interpreter (is it dynamic)? */
static inline int gt_is_dynamic(void)
{
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);

	if (!ph)
		return -1;
	for (unsigned long i = 0; i < n; i++)
		if (ph[i].p_type == PT_INTERP)
			return 1;
	return 0;
}

static inline const char *gt_flavor(void)
{
	return gt_is_dynamic() ? "dynamic" : "static";
}

/* The path of the running binary: /proc/self/exe, else argv[0]. */
static inline const char *gt_self_path(void)
{
	static char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n > 0) {
		buf[n] = 0;
		return buf;
	}
	return gt_argv ? gt_argv[0] : NULL;
}

/*
 * The binary of the given flavor of this program: this one, or its sibling
 * (NAME-static <-> NAME-dynamic in the same directory). NULL if absent.
 */
static inline const char *gt_flavor_path(int dynamic)
{
	static char buf[PATH_MAX + 16];
	const char *self = gt_self_path();
	const char *from = dynamic ? "-static" : "-dynamic";
	const char *to = dynamic ? "-dynamic" : "-static";
	size_t n, fl;

	if (!self)
		return NULL;
	if (gt_is_dynamic() == dynamic)
		return self;
	n = strlen(self);
	fl = strlen(from);
	if (n < fl || strcmp(self + n - fl, from) || n + 16 > sizeof(buf))
		return NULL;
	memcpy(buf, self, n - fl);
	strcpy(buf + n - fl, to);
	return access(buf, X_OK) == 0 ? buf : NULL;
}

/* A directory where files can be made: $TMPDIR, /tmp, /dev/shm, "." */
static inline const char *gt_tmpdir(void)
{
	const char *c[] = { getenv("TMPDIR"), "/tmp", "/var/tmp", "/dev/shm",
			    "." };

	for (size_t i = 0; i < GT_COUNT(c); i++)
		if (c[i] && *c[i] && access(c[i], W_OK | X_OK) == 0)
			return c[i];
	return ".";
}

/* Make and open a new empty temporary file; its path goes to path. */
static inline int gt_tmpfile(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/gt.XXXXXX", gt_tmpdir());
	fd = mkstemp(path);
	return fd;
}

/*
 * Faults, caught: gt_probe(addr, write) touches one byte and returns 0,
 * or the signal number (SIGSEGV/SIGBUS) it raised, with its siginfo in
 * gt_probe_info.
 */
static sigjmp_buf gt_probe_jmp;
static volatile sig_atomic_t gt_probe_armed;
static volatile siginfo_t gt_probe_info;	/* written by a handler */

static inline void gt_probe_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!gt_probe_armed) {
		signal(sig, SIG_DFL);
		return;	/* re-faults and dies */
	}
	gt_probe_info = *si;
	gt_probe_armed = 0;
	siglongjmp(gt_probe_jmp, sig);
}

static inline int gt_probe(volatile void *addr, int write)
{
	struct sigaction sa, old_segv, old_bus;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = gt_probe_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	gt_probe_info.si_signo = gt_probe_info.si_code = 0;
	gt_probe_info.si_addr = NULL;
	sig = sigsetjmp(gt_probe_jmp, 1);
	if (sig == 0) {
		gt_probe_armed = 1;
		if (write)
			*(volatile char *)addr = *(volatile char *)addr;
		else
			(void)*(volatile char *)addr;
		gt_probe_armed = 0;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

/* Read a whole (small) file into buf; returns its length or -1. */
static inline ssize_t gt_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got + 1 < size) {
		ssize_t n = read(fd, buf + got, size - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = 0;
	return got;
}

/* Pin the calling thread to one CPU it may run on (the first); 0 if ok. */
static inline int gt_pin_one_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set)) {
			CPU_ZERO(&set);
			CPU_SET(c, &set);
			return sched_setaffinity(0, sizeof(set), &set);
		}
	return -1;
}

/* ---- the runner ---- */

static inline void gt_report(const char *area, const char *name, int kind,
			     const char *why)
{
	const char *fl = gt_flavor();

	if (kind == 'F')
		printf("FAIL %s-%s.%s: %s\n", area, fl, name, why);
	else if (kind == 'S')
		printf("skip %s-%s.%s: %s\n", area, fl, name, why);
	else
		printf("ok %s-%s.%s\n", area, fl, name);
	fflush(stdout);
}

/* Child side: run the check, send "KIND reason" to the parent. */
static inline void gt_run_child(const struct gt_case *c)
{
	char msg[sizeof(gt_reason) + 4];
	int kind, len;
	pid_t me = getpid();

	setpgid(0, 0);
	c->fn();
	if (getpid() != me)	/* a process the check forked came back */
		_exit(111);
	kind = __atomic_load_n(&gt_verdict, __ATOMIC_SEQ_CST);
	if (kind == -1) {	/* a thread is still writing its reason */
		usleep(100000);
		kind = __atomic_load_n(&gt_verdict, __ATOMIC_SEQ_CST);
	}
	len = snprintf(msg, sizeof(msg), "%c%s", kind > 0 ? kind : 'O',
		       kind > 0 ? gt_reason : "");
	if (len > (int)sizeof(msg) - 1)
		len = sizeof(msg) - 1;
	while (write(gt_result_fd, msg, len) == -1 && errno == EINTR)
		;
	_exit(0);
}

static inline int gt_run_one(const char *area, const struct gt_case *c,
			     double timeout)
{
	char msg[sizeof(gt_reason) + 4], why[sizeof(gt_reason) + 64];
	int p[2], status = 0, kind;
	ssize_t n = 0;
	siginfo_t si;
	double end;
	long nap_us = 100;
	pid_t pid;

	if (getenv("GT_NOFORK") && *getenv("GT_NOFORK") &&
	    strcmp(getenv("GT_NOFORK"), "0")) {
		gt_verdict = 0;
		gt_reason[0] = 0;
		c->fn();
		kind = gt_verdict > 0 ? gt_verdict : 'O';
		gt_report(area, c->name, kind, gt_reason);
		return kind == 'F';
	}
	fflush(stdout);
	fflush(stderr);
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(why, sizeof(why), "harness: pipe: %s",
			 strerror(errno));
		gt_report(area, c->name, 'F', why);
		return 1;
	}
	pid = fork();
	if (pid == -1) {
		snprintf(why, sizeof(why), "harness: fork: %s",
			 strerror(errno));
		gt_report(area, c->name, 'F', why);
		close(p[0]);
		close(p[1]);
		return 1;
	}
	if (pid == 0) {
		close(p[0]);
		gt_result_fd = p[1];
		gt_run_child(c);
	}
	close(p[1]);
	setpgid(pid, pid);	/* also done by the child; whoever is first */
	end = gt_now() + timeout;
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pid)
			break;
		if (gt_now() > end) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(p[0]);
			snprintf(why, sizeof(why),
				 "timed out after %g s (killed)", timeout);
			gt_report(area, c->name, 'F', why);
			return 1;
		}
		usleep(nap_us);
		if (nap_us < 20000)
			nap_us *= 2;
	}
	/* The zombie keeps its pid: the group kill cannot hit a stranger. */
	kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	n = read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	if (n <= 0) {
		snprintf(why, sizeof(why), "check process %s without a verdict",
			 gt_status_str(status));
		gt_report(area, c->name, 'F', why);
		return 1;
	}
	msg[n] = 0;
	kind = msg[0];
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, sizeof(why), "check process %s after its verdict",
			 gt_status_str(status));
		gt_report(area, c->name, 'F', why);
		return 1;
	}
	gt_report(area, c->name, kind, msg + 1);
	return kind == 'F';
}

/*
 * Does argument arg choose check name (with name NULL: any check)? An
 * argument chooses the check it names exactly, else all it prefixes.
 */
static inline int gt_matches(const struct gt_case *cases, size_t ncases,
			     const char *arg, const char *name)
{
	int exact = 0, any = 0;

	for (size_t i = 0; i < ncases; i++)
		if (!strcmp(cases[i].name, arg))
			exact = 1;
	for (size_t i = 0; i < ncases; i++)
		if (exact ? !strcmp(cases[i].name, arg)
			  : !strncmp(cases[i].name, arg, strlen(arg))) {
			any = 1;
			if (name && !strcmp(cases[i].name, name))
				return 1;
		}
	return name ? 0 : any;
}

static inline int gt_main(const char *area, const struct gt_case *cases,
			  size_t ncases, int argc, char **argv, char **envp)
{
	double timeout = 30;
	const char *t = getenv("GT_TIMEOUT");
	int failed = 0;

	gt_argc = argc;
	gt_argv = argv;
	gt_envp = envp;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (t && atof(t) > 0)
		timeout = atof(t);
	for (int a = 1; a < argc; a++) {
		if (!gt_matches(cases, ncases, argv[a], NULL)) {
			fprintf(stderr, "%s: no check named %s\n", argv[0],
				argv[a]);
			return 2;
		}
	}
	for (size_t i = 0; i < ncases; i++) {
		int chosen = argc < 2;

		for (int a = 1; a < argc; a++)
			if (gt_matches(cases, ncases, argv[a], cases[i].name))
				chosen = 1;
		if (chosen)
			failed |= gt_run_one(area, &cases[i], timeout);
	}
	return failed ? 1 : 0;
}

#endif /* GUEST_TEST_H */

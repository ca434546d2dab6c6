// SPDX-License-Identifier: GPL-2.0
/*
 * Processes: fork, vfork, clone3, wait4/waitid statuses, execve of a
 * static and a dynamic binary (this program, or its -static/-dynamic
 * sibling, run with --gt-child), #! scripts, reparenting, pids, the
 * initial stack (argv, envp, auxv), uname.
 */
#include "guest_test.h"

#include <linux/sched.h>	/* struct clone_args */
#include <poll.h>
#include <pthread.h>
#include <grp.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int main_argc;
static char **main_argv, **main_envp;

/* ---- child modes (after execve) ---- */

static void dummy_handler(int sig)
{
	(void)sig;
}

static int sig_disposition_is(int sig, void (*want)(int))
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == want;
}

/*
 * --gt-child verify FLAVOR PID CLOEXEC_FD KEEP_FD EXECFN "a b" ""
 * Exits 42 if everything an execve promises holds, else a code naming
 * the first thing that does not.
 */
static int child_verify(int argc, char **argv, char **envp)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	int n_env = 0, flags;
	sigset_t mask;

	if (argc != 10)
		return 10;
	if (strcmp(argv[8], "a b") || strcmp(argv[9], ""))
		return 11;
	if (strcmp(argv[3], gt_flavor()))
		return 12;
	if (atol(argv[4]) != getpid())
		return 13;
	if (fcntl(atoi(argv[5]), F_GETFD) != -1 || errno != EBADF)
		return 14;	/* O_CLOEXEC fd survived exec */
	flags = fcntl(atoi(argv[6]), F_GETFD);
	if (flags == -1 || (flags & FD_CLOEXEC))
		return 15;	/* inherited fd lost */
	for (char **e = envp; *e; e++)
		n_env++;
	if (n_env != 2 || !getenv("GT_TOKEN") ||
	    strcmp(getenv("GT_TOKEN"), "xyz=1"))
		return 16;
	if (!execfn || strcmp(execfn, argv[7]))
		return 17;
	if (!sig_disposition_is(SIGUSR1, SIG_DFL))
		return 18;	/* a caught signal stays caught */
	if (!sig_disposition_is(SIGUSR2, SIG_IGN))
		return 19;	/* an ignored signal is no longer ignored */
	if (sigprocmask(SIG_BLOCK, NULL, &mask) ||
	    !sigismember(&mask, SIGWINCH) || sigismember(&mask, SIGURG))
		return 20;	/* the signal mask was not kept */
	return 42;
}

/* #!INTERP --gt-shebang  => argv: INTERP --gt-shebang SCRIPT extra */
static int child_shebang(int argc, char **argv)
{
	if (argc != 4)
		return 10;
	if (strcmp(argv[3], "extra-arg"))
		return 11;
	if (!strstr(argv[2], "gt."))
		return 12;
	return 43;
}

/*
 * --gt-child dumpable: some work that needs the new program's own pages
 * (a write to its data, a fork, a page of heap), then exit 50 + what
 * PR_GET_DUMPABLE says, or 30 + which step failed.
 */
static int child_dumpable(void)
{
	static volatile int data = 7;
	char *heap = malloc(4096);
	int status;
	pid_t pid;

	data += 1;
	if (data != 8)
		return 30;
	if (!heap)
		return 31;
	memset(heap, 0x5a, 4096);
	pid = fork();
	if (pid < 0)
		return 32;
	if (pid == 0)
		_exit(heap[4095] == 0x5a && data == 8 ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return 33;
	return 50 + prctl(PR_GET_DUMPABLE);
}

static int child_main(int argc, char **argv, char **envp)
{
	if (argc >= 3 && !strcmp(argv[2], "verify"))
		return child_verify(argc, argv, envp);
	if (argc >= 4 && !strcmp(argv[2], "exit"))
		return atoi(argv[3]);
	if (argc >= 3 && !strcmp(argv[2], "dumpable"))
		return child_dumpable();
	return 99;
}

/* ---- fork and wait ---- */

static void t_fork_wait4(void)
{
	int p[2], status;
	pid_t ids[2], pid, r;
	struct rusage ru;

	SYS(pipe(p));
	pid = SYS(fork());
	if (pid == 0) {
		ids[0] = getpid();
		ids[1] = getppid();
		if (write(p[1], ids, sizeof(ids)) != sizeof(ids))
			_exit(1);
		_exit(7);
	}
	close(p[1]);
	CHECKF(read(p[0], ids, sizeof(ids)) == sizeof(ids),
	       "no pid report from the child");
	CHECKF(ids[0] == pid, "child getpid() %d, fork returned %d", ids[0],
	       pid);
	CHECKF(ids[1] == getpid(), "child getppid() %d, parent is %d", ids[1],
	       getpid());
	memset(&ru, 0xff, sizeof(ru));
	r = SYS(wait4(pid, &status, 0, &ru));
	CHECKF(r == pid, "wait4 returned %d, not %d", r, pid);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 7,
	       "child %s, expected exit 7", gt_status_str(status));
	CHECKF(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 &&
	       ru.ru_utime.tv_usec < 1000000 && ru.ru_maxrss >= 0,
	       "wait4 rusage not filled in");
}

static void t_fork_many(void)
{
	enum { N = 40 };
	pid_t pids[N];
	int seen[N] = { 0 };

	for (int i = 0; i < N; i++) {
		pids[i] = SYS(fork());
		if (pids[i] == 0) {
			if (i % 2)
				sched_yield();
			_exit(i + 1);
		}
	}
	for (int k = 0; k < N; k++) {
		int status, i;
		pid_t r = waitpid(-1, &status, 0);

		CHECKF(r > 0, "waitpid(-1) #%d: %s", k, strerror(errno));
		for (i = 0; i < N && pids[i] != r; i++)
			;
		CHECKF(i < N, "waitpid(-1) returned unknown pid %d", r);
		CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == i + 1,
		       "child %d: %s, expected exit %d", i,
		       gt_status_str(status), i + 1);
		CHECKF(!seen[i], "child %d reaped twice", i);
		seen[i] = 1;
	}
	errno = 0;
	CHECKF(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
	       "waitpid after reaping all: expected ECHILD, got %s",
	       strerror(errno));
}

static volatile int vfork_shared;

static void t_vfork(void)
{
	pid_t pid;
	int status;

	vfork_shared = 1;
	pid = vfork();
	if (pid == 0) {
		vfork_shared = 1234;	/* the parent's memory */
		_exit(5);
	}
	CHECKF(pid > 0, "vfork: %s", strerror(errno));
	CHECKF(vfork_shared == 1234,
	       "parent does not see the vfork child's store (%d)",
	       vfork_shared);
	CHECKF(waitpid(pid, &status, 0) == pid, "waitpid: %s",
	       strerror(errno));
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 5,
	       "vfork child %s, expected exit 5", gt_status_str(status));
}

static void t_vfork_exec(void)
{
	static char *argv[] = { NULL, "--gt-child", "exit", "9", NULL };
	const char *self = gt_self_path();
	pid_t pid;

	CHECKF(self, "cannot find this program's path");
	argv[0] = (char *)self;
	pid = vfork();
	if (pid == 0) {
		execve(self, argv, main_envp);
		_exit(127);
	}
	CHECKF(pid > 0, "vfork: %s", strerror(errno));
	WAIT_EXIT(pid, 9, "vfork+execve of self");
}

static void t_wait_signaled(void)
{
	int status;
	pid_t pid;

	/* Killed by its own SIGTERM. */
	pid = SYS(fork());
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(1);
	}
	SYS(waitpid(pid, &status, 0));
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	       "self-SIGTERM child: %s", gt_status_str(status));

	/* Killed by the parent's SIGKILL while blocked in pause(). */
	pid = SYS(fork());
	if (pid == 0) {
		for (;;)
			pause();
	}
	gt_sleep_ms(10);
	SYS(kill(pid, SIGKILL));
	SYS(waitpid(pid, &status, 0));
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	       "SIGKILLed child: %s", gt_status_str(status));

	/* abort() without a core file. */
	pid = SYS(fork());
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_CORE, &rl);
		abort();
	}
	SYS(waitpid(pid, &status, 0));
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	       "abort()ing child: %s", gt_status_str(status));
}

static void t_waitid_exited(void)
{
	siginfo_t si;
	pid_t pid = SYS(fork());

	if (pid == 0)
		_exit(3);
	memset(&si, 0, sizeof(si));
	SYS(waitid(P_PID, pid, &si, WEXITED));
	CHECKF(si.si_signo == SIGCHLD, "si_signo %d", si.si_signo);
	CHECKF(si.si_code == CLD_EXITED, "si_code %d, not CLD_EXITED",
	       si.si_code);
	CHECKF(si.si_status == 3, "si_status %d, not 3", si.si_status);
	CHECKF(si.si_pid == pid, "si_pid %d, not %d", si.si_pid, pid);
	CHECKF(si.si_uid == getuid(), "si_uid %d, not %d", si.si_uid,
	       getuid());
}

static void t_waitid_killed(void)
{
	siginfo_t si;
	pid_t pid = SYS(fork());

	if (pid == 0) {
		for (;;)
			pause();
	}
	SYS(kill(pid, SIGKILL));
	memset(&si, 0, sizeof(si));
	SYS(waitid(P_PID, pid, &si, WEXITED));
	CHECKF(si.si_code == CLD_KILLED, "si_code %d, not CLD_KILLED",
	       si.si_code);
	CHECKF(si.si_status == SIGKILL, "si_status %d, not SIGKILL",
	       si.si_status);
	CHECKF(si.si_pid == pid, "si_pid %d, not %d", si.si_pid, pid);
}

static void t_waitid_stop_continue(void)
{
	siginfo_t si;
	int status;
	pid_t pid = SYS(fork());

	if (pid == 0) {
		raise(SIGSTOP);
		_exit(4);
	}
	memset(&si, 0, sizeof(si));
	SYS(waitid(P_PID, pid, &si, WSTOPPED));
	CHECKF(si.si_code == CLD_STOPPED && si.si_status == SIGSTOP,
	       "stop: si_code %d si_status %d", si.si_code, si.si_status);
	SYS(kill(pid, SIGCONT));
	memset(&si, 0, sizeof(si));
	SYS(waitid(P_PID, pid, &si, WCONTINUED));
	CHECKF(si.si_code == CLD_CONTINUED && si.si_status == SIGCONT,
	       "continue: si_code %d si_status %d", si.si_code, si.si_status);
	SYS(waitpid(pid, &status, 0));
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 4,
	       "after SIGCONT: %s", gt_status_str(status));
}

static void t_waitid_wnowait(void)
{
	siginfo_t si;
	int status;
	pid_t pid = SYS(fork());

	if (pid == 0)
		_exit(6);
	memset(&si, 0, sizeof(si));
	SYS(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	CHECKF(si.si_pid == pid && si.si_status == 6,
	       "WNOWAIT: si_pid %d si_status %d", si.si_pid, si.si_status);
	CHECKF(waitpid(pid, &status, 0) == pid,
	       "the WNOWAIT-peeked child is gone: %s", strerror(errno));
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 6, "%s",
	       gt_status_str(status));
}

static void t_wait_nohang_echild(void)
{
	int p[2], status;
	char c;
	pid_t pid;

	errno = 0;
	CHECKF(waitpid(-1, &status, 0) == -1 && errno == ECHILD,
	       "wait without children: %s", strerror(errno));
	SYS(pipe(p));
	pid = SYS(fork());
	if (pid == 0) {
		close(p[1]);
		(void)!read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	CHECKF(waitpid(pid, &status, WNOHANG) == 0,
	       "WNOHANG on a running child did not return 0");
	close(p[1]);
	WAIT_EXIT(pid, 0, "child blocked on a pipe");
}

static void t_rusage_children(void)
{
	struct rusage ru;
	double used;
	pid_t pid = SYS(fork());

	if (pid == 0) {
		/* 0.2 s of CPU time by its own clock, 3 s real time at most */
		double end = gt_now() + 3;
		struct timespec ts;

		do
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
		while (ts.tv_sec * 1e9 + ts.tv_nsec < 2e8 && gt_now() < end);
		_exit(0);
	}
	WAIT_EXIT(pid, 0, "spinning child");
	SYS(getrusage(RUSAGE_CHILDREN, &ru));
	used = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	CHECKF(used >= 0.15 && used < 5,
	       "child spun 0.2 s of CPU, RUSAGE_CHILDREN says %.3f s", used);
}

/* ---- execve ---- */

static void exec_check(int dynamic)
{
	char pidbuf[32], fd1[16], fd2[16];
	const char *path;
	int p1[2], p2[2];
	pid_t pid;

	if (gt_is_dynamic() == dynamic) {
		/* This binary: through /proc/self/exe when there is one. */
		path = access("/proc/self/exe", X_OK) == 0 ? "/proc/self/exe"
							   : gt_self_path();
		CHECKF(path, "cannot find this program's path");
	} else {
		path = gt_flavor_path(dynamic);
		if (!path)
			SKIP("no %s sibling of %s", dynamic ? "-dynamic"
			     : "-static", gt_self_path());
	}
	SYS(pipe2(p1, O_CLOEXEC));
	SYS(pipe(p2));
	pid = SYS(fork());
	if (pid == 0) {
		char *argv[] = { (char *)path, "--gt-child", "verify",
				 dynamic ? "dynamic" : "static", pidbuf, fd1,
				 fd2, (char *)path, "a b", "", NULL };
		char *envp[] = { "GT_TOKEN=xyz=1", "PATH=/bin:/usr/bin",
				 NULL };
		struct sigaction sa = { .sa_handler = SIG_IGN };
		sigset_t set;

		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		snprintf(fd1, sizeof(fd1), "%d", p1[0]);
		snprintf(fd2, sizeof(fd2), "%d", p2[0]);
		sigaction(SIGUSR2, &sa, NULL);
		sa.sa_handler = dummy_handler;
		sigaction(SIGUSR1, &sa, NULL);
		sigemptyset(&set);
		sigaddset(&set, SIGWINCH);
		sigprocmask(SIG_SETMASK, &set, NULL);
		execve(path, argv, envp);
		_exit(127);
	}
	close(p1[0]);
	close(p2[0]);
	{
		int status;
		int w = gt_wait_timeout(pid, &status, 10);
		static const char *const why[] = {
			[10] = "wrong argc", [11] = "argv strings wrong",
			[12] = "wrong flavor ran",
			[13] = "pid changed across execve",
			[14] = "O_CLOEXEC fd survived execve",
			[15] = "inherited fd lost",
			[16] = "environment wrong",
			[17] = "AT_EXECFN wrong",
			[18] = "caught signal not reset to SIG_DFL",
			[19] = "ignored signal not kept SIG_IGN",
			[20] = "signal mask not kept",
		};

		close(p1[1]);
		close(p2[1]);
		CHECKF(w == 0, "execve'd child did not finish in 10 s");
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			FAIL("execve(%s) failed in the child", path);
		if (WIFEXITED(status) && WEXITSTATUS(status) < 21 &&
		    why[WEXITSTATUS(status)])
			FAIL("exec'd %s: %s", path, why[WEXITSTATUS(status)]);
		CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 42,
		       "exec'd %s: %s", path, gt_status_str(status));
	}
}

static void t_execve_static(void)
{
	exec_check(0);
}

static void t_execve_dynamic(void)
{
	exec_check(1);
}

static int write_file(const char *path, const char *data, size_t len,
		      mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	fchmod(fd, mode);
	return close(fd);
}

static void t_execve_errors(void)
{
	char path[PATH_MAX];
	char *argv[] = { path, NULL };
	char *envp[] = { NULL };
	int fd;

	fd = gt_tmpfile(path, sizeof(path));
	CHECKF(fd >= 0, "mkstemp in %s: %s", gt_tmpdir(), strerror(errno));
	close(fd);

	errno = 0;
	execve("/nonexistent/gt-binary", argv, envp);
	CHECKF(errno == ENOENT, "missing file: %s, expected ENOENT",
	       strerror(errno));

	CHECK(write_file(path, "#!/bin/sh\n", 10, 0644) == 0);
	errno = 0;
	execve(path, argv, envp);
	CHECKF(errno == EACCES, "mode 0644 file: %s, expected EACCES",
	       strerror(errno));

	CHECK(write_file(path, "\x7f" "ELX garbage\0\1\2\3", 16, 0755) == 0);
	errno = 0;
	execve(path, argv, envp);
	CHECKF(errno == ENOEXEC, "garbage file: %s, expected ENOEXEC",
	       strerror(errno));

	CHECK(write_file(path, "#!/nonexistent/interp\n", 22, 0755) == 0);
	errno = 0;
	execve(path, argv, envp);
	CHECKF(errno == ENOENT, "#! missing interpreter: %s, expected ENOENT",
	       strerror(errno));

	errno = 0;
	execve("/", argv, envp);
	CHECKF(errno == EACCES, "directory: %s, expected EACCES",
	       strerror(errno));
	unlink(path);
}

static void t_execve_shebang(void)
{
	char path[PATH_MAX], script[PATH_MAX + 64];
	const char *self = gt_self_path();
	pid_t pid;
	int fd, len;

	CHECKF(self && self[0] == '/', "no absolute path for this program");
	fd = gt_tmpfile(path, sizeof(path));
	CHECKF(fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
	len = snprintf(script, sizeof(script), "#!%s --gt-shebang\n", self);
	CHECK(write_file(path, script, len, 0755) == 0);
	pid = SYS(fork());
	if (pid == 0) {
		char *argv[] = { path, "extra-arg", NULL };
		char *envp[] = { NULL };

		execve(path, argv, envp);
		_exit(127);
	}
	{
		int status;

		CHECKF(gt_wait_timeout(pid, &status, 10) == 0,
		       "script did not finish");
		unlink(path);
		CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 43,
		       "#! script: %s, expected exit 43",
		       gt_status_str(status));
	}
}

/*
 * An exec hands the old program's stub process to the new one, unless
 * the new one is not dumpable: then it gets a stub of its own. Both, as
 * user 65534: a copy of this program with mode 0711, which that user
 * may run but not read (not dumpable), and with mode 0755 (dumpable).
 */
static int copy_self(const char *to, mode_t mode)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY), out;
	ssize_t n = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_TRUNC);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	close(in);
	if (out < 0 || n < 0 || fchmod(out, mode) || close(out))
		return -1;
	return 0;
}

static int exec_as_nobody(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = { (char *)path, "--gt-child", "dumpable", NULL };
		char *envp[] = { NULL };

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(126);
		execve(path, argv, envp);
		_exit(127);
	}
	if (gt_wait_timeout(pid, &status, 10))
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void t_execve_nondumpable(void)
{
	char path[PATH_MAX];
	int fd, r;

	if (geteuid() != 0)
		SKIP("needs root to run a program as another user");
	fd = gt_tmpfile(path, sizeof(path));
	CHECKF(fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
	CHECKF(copy_self(path, 0711) == 0, "copy to %s: %s", path,
	       strerror(errno));
	r = exec_as_nobody(path);
	CHECKF(r == 50, "mode 0711 as user 65534: exit %d, expected 50 "
	       "(not dumpable; 126: setuid, 127: exec, 30-33: step)", r);
	CHECKF(chmod(path, 0755) == 0, "chmod: %s", strerror(errno));
	r = exec_as_nobody(path);
	CHECKF(r == 51, "mode 0755 as user 65534: exit %d, expected 51 "
	       "(dumpable)", r);
	unlink(path);
}

/*
 * execve from a second thread while two others sleep in the kernel and
 * one computes: the exec ends them all, and the new program runs in the
 * old one's place (its stub, its pid).
 */
static void *exec_sleeper(void *p)
{
	(void)p;
	for (;;)
		pause();
	return NULL;
}

static void *exec_spinner(void *p)
{
	volatile unsigned long *n = p;

	for (;;)
		(*n)++;
	return NULL;
}

static void *exec_caller(void *p)
{
	const char *self = p;
	char *argv[] = { (char *)self, "--gt-child", "exit", "42", NULL };
	char *envp[] = { NULL };

	gt_sleep_ms(20);	/* the others are running or asleep by now */
	execve(self, argv, envp);
	_exit(127);
}

static void t_execve_from_thread(void)
{
	const char *self = access("/proc/self/exe", X_OK) == 0 ?
			   "/proc/self/exe" : gt_self_path();
	int status;
	pid_t pid;

	CHECKF(self, "cannot find this program's path");
	pid = SYS(fork());
	if (pid == 0) {
		static volatile unsigned long spins;
		pthread_t t;

		if (pthread_create(&t, NULL, exec_sleeper, NULL) ||
		    pthread_create(&t, NULL, exec_sleeper, NULL) ||
		    pthread_create(&t, NULL, exec_spinner, (void *)&spins) ||
		    pthread_create(&t, NULL, exec_caller, (void *)self))
			_exit(126);
		for (;;)
			pause();
	}
	CHECKF(gt_wait_timeout(pid, &status, 10) == 0,
	       "the exec'ing process did not finish in 10 s");
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 42,
	       "execve from a thread: %s, expected exit 42 (126: "
	       "pthread_create, 127: execve)", gt_status_str(status));
}

/* ---- clone3 ---- */

static long do_clone3(struct clone_args *args)
{
	return syscall(SYS_clone3, args, sizeof(*args));
}

static void t_clone3_plain(void)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	long pid = do_clone3(&args);

	if (pid == 0)
		_exit(21);
	CHECKF(pid > 0, "clone3: %s", strerror(errno));
	WAIT_EXIT(pid, 21, "clone3 child");
}

static void t_clone3_vfork(void)
{
	struct clone_args args = { .flags = CLONE_VFORK,
				   .exit_signal = SIGCHLD };
	double t0;
	int p[2];
	char c;
	long pid;

	SYS(pipe2(p, O_NONBLOCK));
	t0 = gt_now();
	pid = do_clone3(&args);
	if (pid == 0) {
		struct timespec ts = { 0, 30000000 };

		nanosleep(&ts, NULL);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		_exit(22);
	}
	CHECKF(pid > 0, "clone3(CLONE_VFORK): %s", strerror(errno));
	CHECKF(read(p[0], &c, 1) == 1,
	       "parent resumed before the CLONE_VFORK child exited (%.1f ms)",
	       (gt_now() - t0) * 1e3);
	CHECKF(gt_now() - t0 >= 0.025,
	       "parent resumed after %.1f ms, child slept 30 ms",
	       (gt_now() - t0) * 1e3);
	WAIT_EXIT(pid, 22, "clone3(CLONE_VFORK) child");
}

static void t_clone3_pidfd(void)
{
	int pidfd = -1;
	struct clone_args args = { .flags = CLONE_PIDFD,
				   .pidfd = (uintptr_t)&pidfd,
				   .exit_signal = SIGCHLD };
	struct pollfd pfd;
	siginfo_t si;
	long pid = do_clone3(&args);

	if (pid == 0) {
		struct timespec ts = { 0, 50000000 };

		nanosleep(&ts, NULL);
		_exit(23);
	}
	CHECKF(pid > 0, "clone3(CLONE_PIDFD): %s", strerror(errno));
	CHECKF(pidfd >= 0, "no pidfd returned");
	pfd.fd = pidfd;
	pfd.events = POLLIN;
	CHECKF(poll(&pfd, 1, 0) == 0, "pidfd readable before the child exited");
	CHECKF(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN),
	       "pidfd not readable after the child exited");
	memset(&si, 0, sizeof(si));
	SYS(waitid(P_PIDFD, pidfd, &si, WEXITED));
	CHECKF(si.si_pid == pid && si.si_code == CLD_EXITED &&
	       si.si_status == 23,
	       "waitid(P_PIDFD): pid %d code %d status %d", si.si_pid,
	       si.si_code, si.si_status);
}

/* ---- identities ---- */

static void t_pids(void)
{
	pid_t pid = getpid(), r;
	int p[2];
	pid_t got[3];

	CHECK(pid > 0);
	CHECK(syscall(SYS_getpid) == pid);
	CHECKF(syscall(SYS_gettid) == pid, "main thread's tid %ld != pid %d",
	       syscall(SYS_gettid), pid);
	CHECK(getppid() == syscall(SYS_getppid));
	CHECK(getppid() > 0);
	CHECK(getpgid(0) == getpgrp());
	/* 0 is fine: init's session, when nobody called setsid(). */
	CHECKF(getsid(0) >= 0 && getsid(0) == getsid(getpid()),
	       "getsid(0) %d, getsid(getpid()) %d", getsid(0),
	       getsid(getpid()));
	SYS(pipe(p));
	r = SYS(fork());
	if (r == 0) {
		got[0] = getpid();
		got[1] = getppid();
		got[2] = syscall(SYS_gettid);
		(void)!write(p[1], got, sizeof(got));
		_exit(0);
	}
	CHECK(read(p[0], got, sizeof(got)) == sizeof(got));
	CHECKF(got[0] == r && got[2] == r && got[1] == pid,
	       "child: pid %d tid %d ppid %d; expected %d %d %d", got[0],
	       got[2], got[1], r, r, pid);
	CHECKF(got[0] != pid, "child has the parent's pid");
	WAIT_EXIT(r, 0, "child");
}

static void t_reparent_subreaper(void)
{
	pid_t me = getpid(), mid, grand;
	int p[2];

	SYS(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	SYS(pipe(p));
	mid = SYS(fork());
	if (mid == 0) {
		pid_t g = fork();

		if (g == 0) {
			/* Wait to be orphaned; then we must be ours. */
			double end = gt_now() + 5;

			while (getppid() != me && gt_now() < end)
				usleep(1000);
			_exit(getppid() == me ? 0 : 1);
		}
		(void)!write(p[1], &g, sizeof(g));
		_exit(g > 0 ? 0 : 2);
	}
	close(p[1]);
	CHECK(read(p[0], &grand, sizeof(grand)) == sizeof(grand));
	CHECKF(grand > 0, "middle child's fork failed");
	WAIT_EXIT(mid, 0, "middle child");
	WAIT_EXIT(grand, 0, "orphaned grandchild (reparented to subreaper)");
}

static void t_prctl_name(void)
{
	char name[32] = "", comm[64];

	SYS(prctl(PR_SET_NAME, "gt-name-check-long", 0, 0, 0));
	SYS(prctl(PR_GET_NAME, name, 0, 0, 0));
	CHECKF(!strcmp(name, "gt-name-check-l"),
	       "PR_GET_NAME \"%s\", expected the 15-char truncation", name);
	if (gt_read_file("/proc/self/comm", comm, sizeof(comm)) > 0)
		CHECKF(!strcmp(comm, "gt-name-check-l\n"),
		       "/proc/self/comm \"%s\"", comm);
}

/* ---- the initial stack: argv, envp, auxv ---- */

/*
 * An auxv entry as the kernel wrote it on the initial stack (glibc's
 * getauxval(AT_HWCAP) on x86 answers glibc's own idea of the hwcaps).
 */
static unsigned long stack_auxval(unsigned long type)
{
	char **e = main_envp;
	ElfW(auxv_t) *av;

	while (*e)
		e++;
	for (av = (ElfW(auxv_t) *)(e + 1); av->a_type != AT_NULL; av++)
		if (av->a_type == type)
			return av->a_un.a_val;
	return 0;
}

static void t_auxv(void)
{
	const unsigned char *rnd = (const void *)getauxval(AT_RANDOM);
	unsigned long hwcap = stack_auxval(AT_HWCAP);
	unsigned int eax = 1, ebx, ecx = 0, edx;
	unsigned long pagesz = getauxval(AT_PAGESZ);
	const unsigned char *vdso = (const void *)getauxval(AT_SYSINFO_EHDR);
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	int nonzero = 0;

	CHECKF(rnd, "AT_RANDOM missing");
	for (int i = 0; i < 16; i++)
		nonzero |= rnd[i];
	CHECKF(nonzero, "AT_RANDOM's 16 bytes are all zero");
	CHECKF(hwcap, "AT_HWCAP missing or zero");
	CHECKF((hwcap & 1) && (hwcap & (1UL << 26)),
	       "AT_HWCAP 0x%lx lacks FPU or SSE2", hwcap);
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	CHECKF((hwcap & ~(unsigned long)edx) == 0,
	       "AT_HWCAP 0x%lx has bits CPUID.1:EDX 0x%x lacks", hwcap, edx);
	CHECKF(pagesz == 4096, "AT_PAGESZ %lu", pagesz);
	CHECKF((long)pagesz == sysconf(_SC_PAGESIZE),
	       "AT_PAGESZ %lu != sysconf %ld", pagesz,
	       sysconf(_SC_PAGESIZE));
	CHECKF(vdso, "AT_SYSINFO_EHDR missing (no vDSO)");
	CHECKF(((uintptr_t)vdso & 4095) == 0, "vDSO at %p not page aligned",
	       (void *)vdso);
	CHECKF(!memcmp(vdso, ELFMAG, SELFMAG), "no ELF header at the vDSO");
	CHECKF(getauxval(AT_PHDR) && getauxval(AT_PHNUM) > 0,
	       "AT_PHDR/AT_PHNUM missing");
	CHECKF(getauxval(AT_PHENT) == sizeof(ElfW(Phdr)), "AT_PHENT %lu",
	       getauxval(AT_PHENT));
	CHECKF(getauxval(AT_ENTRY), "AT_ENTRY missing");
	CHECKF(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) ==
	       geteuid() && getauxval(AT_GID) == getgid() &&
	       getauxval(AT_EGID) == getegid(), "AT_[E]UID/[E]GID wrong");
	CHECKF(getauxval(AT_SECURE) == 0, "AT_SECURE set");
	CHECKF(getauxval(AT_CLKTCK) > 0 &&
	       (long)getauxval(AT_CLKTCK) == sysconf(_SC_CLK_TCK),
	       "AT_CLKTCK %lu", getauxval(AT_CLKTCK));
	CHECKF(plat && !strcmp(plat, "x86_64"), "AT_PLATFORM \"%s\"",
	       plat ? plat : "(none)");
	CHECKF(execfn && *execfn, "AT_EXECFN missing");
	if (gt_is_dynamic())
		CHECKF(getauxval(AT_BASE), "dynamic binary without AT_BASE");
}

/* Where the kernel put auxv: after envp's NULL on the initial stack. */
static ElfW(auxv_t) *stack_auxv(void)
{
	char **e = main_envp;

	while (*e)
		e++;
	return (ElfW(auxv_t) *)(e + 1);
}

static void t_auxv_proc(void)
{
	unsigned long buf[1024];
	const ElfW(auxv_t) *av = stack_auxv();
	size_t count = 0;
	int fd = open("/proc/self/auxv", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		SKIP("/proc/self/auxv: %s", strerror(errno));
	n = read(fd, buf, sizeof(buf));
	close(fd);
	while (av[count].a_type != AT_NULL)
		count++;
	count++;		/* with the AT_NULL */
	CHECKF(n > 0 && n % 16 == 0, "/proc/self/auxv read %zd bytes", n);
	CHECKF((size_t)n == count * 16, "/proc/self/auxv has %zd entries, the "
	       "stack %zu", n / 16, count);
	for (size_t i = 0; i < count; i++)
		CHECKF(buf[2 * i] == av[i].a_type &&
		       buf[2 * i + 1] == av[i].a_un.a_val,
		       "/proc/self/auxv entry %zu is %lu=0x%lx, the stack has "
		       "%lu=0x%lx", i, buf[2 * i], buf[2 * i + 1],
		       (unsigned long)av[i].a_type,
		       (unsigned long)av[i].a_un.a_val);
}

static void t_stack_layout(void)
{
	long *sp = (long *)main_argv - 1;	/* where the kernel put argc */
	char **e;
	ElfW(auxv_t) *av;
	int found = 0;

	CHECKF(main_argc >= 1 && main_argv[0], "argc %d", main_argc);
	CHECKF(main_argv[main_argc] == NULL, "argv[argc] not NULL");
	CHECKF(*sp == main_argc, "argc %ld on the stack, main got %d", *sp,
	       main_argc);
	CHECKF(((uintptr_t)sp & 15) == 0,
	       "initial stack pointer %p not 16-byte aligned", (void *)sp);
	CHECKF(main_envp == main_argv + main_argc + 1,
	       "envp %p does not follow argv's NULL (%p)", (void *)main_envp,
	       (void *)(main_argv + main_argc + 1));
	for (e = main_envp; *e; e++)
		CHECKF(strchr(*e, '='), "environment string without '='");
	for (av = (ElfW(auxv_t) *)(e + 1); av->a_type != AT_NULL; av++) {
		CHECKF(av->a_type < 4096, "implausible auxv type %lu",
		       (unsigned long)av->a_type);
		if (av->a_type == AT_PAGESZ || av->a_type == AT_RANDOM ||
		    av->a_type == AT_PHDR || av->a_type == AT_ENTRY) {
			CHECKF(av->a_un.a_val == getauxval(av->a_type),
			       "stack auxv type %lu != getauxval",
			       (unsigned long)av->a_type);
			found++;
		}
	}
	CHECKF(found == 4, "auxv after envp lacks entries (%d of 4)", found);
	/* The strings live above the vectors. */
	CHECK((void *)main_argv[0] > (void *)av);
	CHECK((void *)getauxval(AT_RANDOM) > (void *)av);
}

static void t_uname(void)
{
	struct utsname u;
	char rel[128];

	SYS(uname(&u));
	CHECKF(!strcmp(u.sysname, "Linux"), "sysname \"%s\"", u.sysname);
	CHECKF(!strcmp(u.machine, "x86_64"), "machine \"%s\"", u.machine);
	CHECKF(u.release[0] >= '1' && u.release[0] <= '9' &&
	       strchr(u.release, '.'), "release \"%s\"", u.release);
	CHECKF(u.version[0], "empty version");
	/* Any nodename, even "", but the same one /proc shows. */
	CHECKF(strnlen(u.nodename, sizeof(u.nodename)) < sizeof(u.nodename),
	       "nodename not NUL-terminated");
	if (gt_read_file("/proc/sys/kernel/osrelease", rel, sizeof(rel)) > 0) {
		rel[strcspn(rel, "\n")] = 0;
		CHECKF(!strcmp(rel, u.release),
		       "/proc/sys/kernel/osrelease \"%s\" != \"%s\"", rel,
		       u.release);
	}
	if (gt_read_file("/proc/sys/kernel/hostname", rel, sizeof(rel)) > 0) {
		rel[strcspn(rel, "\n")] = 0;
		CHECKF(!strcmp(rel, u.nodename),
		       "/proc/sys/kernel/hostname \"%s\" != nodename \"%s\"",
		       rel, u.nodename);
	}
	CHECKF(personality(0xffffffff) == 0, "personality 0x%x",
	       personality(0xffffffff));
}

static const struct gt_case cases[] = {
	GT_CASE(fork_wait4),
	GT_CASE(fork_many),
	GT_CASE(vfork),
	GT_CASE(vfork_exec),
	GT_CASE(wait_signaled),
	GT_CASE(waitid_exited),
	GT_CASE(waitid_killed),
	GT_CASE(waitid_stop_continue),
	GT_CASE(waitid_wnowait),
	GT_CASE(wait_nohang_echild),
	GT_CASE(rusage_children),
	GT_CASE(execve_static),
	GT_CASE(execve_dynamic),
	GT_CASE(execve_errors),
	GT_CASE(execve_shebang),
	GT_CASE(execve_nondumpable),
	GT_CASE(execve_from_thread),
	GT_CASE(clone3_plain),
	GT_CASE(clone3_vfork),
	GT_CASE(clone3_pidfd),
	GT_CASE(pids),
	GT_CASE(reparent_subreaper),
	GT_CASE(prctl_name),
	GT_CASE(auxv),
	GT_CASE(auxv_proc),
	GT_CASE(stack_layout),
	GT_CASE(uname),
};

int main(int argc, char **argv, char **envp)
{
	if (argc >= 2 && !strcmp(argv[1], "--gt-child"))
		return child_main(argc, argv, envp);
	if (argc >= 2 && !strcmp(argv[1], "--gt-shebang"))
		return child_shebang(argc, argv);
	main_argc = argc;
	main_argv = argv;
	main_envp = envp;
	return gt_main("proc", cases, GT_COUNT(cases), argc, argv, envp);
}

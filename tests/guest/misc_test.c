// SPDX-License-Identifier: GPL-2.0
/*
 * Everything else a shell and its programs lean on: 8 MiB through a pipe
 * between processes, pipe edge cases, /proc/self (maps, status, stat,
 * cmdline, fd), ptys (posix_openpt, openpty, line discipline) and job
 * control on a pty (setsid, controlling tty, SIGTTIN, tcsetpgrp, ^C),
 * poll/select/epoll on pipes, eventfd, Unix sockets (SCM_RIGHTS, abstract
 * addresses), files and directories, descriptors, getrandom, and the
 * rdtsc/rdtscp/cpuid instructions.
 */
#include "guest_test.h"

#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(int argc, char **argv, char **envp);

/* ---- pipes ---- */

static uint64_t xs_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void fill(uint64_t *s, unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(xs_next(s) >> 24);
}

static void t_pipe_8mib(void)
{
	const size_t total = 8 << 20;
	static unsigned char buf[65536], want[65536];
	uint64_t gen = 0x1234567890abcdefULL, chk = gen, sizes = 42;
	uint64_t fnv = 0xcbf29ce484222325ULL, fnv_want = fnv;
	size_t got = 0;
	int p[2], rep[2];
	pid_t pid;

	SYS(pipe(p));
	SYS(pipe(rep));
	pid = SYS(fork());
	if (pid == 0) {
		/* Writes of random sizes, 1 byte to 64 KiB. */
		size_t sent = 0;

		close(p[0]);
		while (sent < total) {
			size_t n = 1 + xs_next(&sizes) % sizeof(buf);

			if (n > total - sent)
				n = total - sent;
			fill(&gen, buf, n);
			for (size_t off = 0; off < n;) {
				ssize_t w = write(p[1], buf + off, n - off);

				if (w <= 0)
					_exit(1);
				off += w;
			}
			for (size_t i = 0; i < n; i++)
				fnv = (fnv ^ buf[i]) * 0x100000001b3ULL;
			sent += n;
		}
		(void)!write(rep[1], &fnv, sizeof(fnv));
		_exit(0);
	}
	close(p[1]);
	close(rep[1]);
	for (;;) {
		size_t want_n = 1 + xs_next(&sizes) % sizeof(buf);
		ssize_t n = read(p[0], buf, want_n);

		CHECKF(n >= 0, "read: %s", strerror(errno));
		if (n == 0)
			break;
		fill(&chk, want, n);
		for (ssize_t i = 0; i < n; i++) {
			CHECKF(buf[i] == want[i], "byte %zu differs (0x%02x, "
			       "expected 0x%02x)", got + i, buf[i], want[i]);
			fnv_want = (fnv_want ^ buf[i]) * 0x100000001b3ULL;
		}
		got += n;
		CHECKF(got <= total, "more than 8 MiB came through");
	}
	CHECKF(got == total, "%zu of %zu bytes came through", got, total);
	CHECK(read(rep[0], &fnv, sizeof(fnv)) == sizeof(fnv));
	CHECKF(fnv == fnv_want, "checksum 0x%016llx, writer's 0x%016llx",
	       (unsigned long long)fnv_want, (unsigned long long)fnv);
	WAIT_EXIT(pid, 0, "writer");
}

static void t_pipe_edges(void)
{
	char buf[4096] = { 0 };
	int p[2], status, size;
	long n = 0;
	ssize_t r;
	pid_t pid;

	SYS(pipe2(p, O_NONBLOCK));
	size = SYS(fcntl(p[0], F_GETPIPE_SZ));
	CHECKF(size >= 4096, "F_GETPIPE_SZ %d", size);
	errno = 0;
	CHECKF(read(p[0], buf, 1) == -1 && errno == EAGAIN,
	       "empty O_NONBLOCK read: %s", strerror(errno));
	while ((r = write(p[1], buf, sizeof(buf))) > 0)
		n += r;
	CHECKF(r == -1 && errno == EAGAIN, "full O_NONBLOCK write: %s",
	       strerror(errno));
	CHECKF(n >= size && n <= size + 4096, "pipe took %ld bytes, size %d",
	       n, size);
	SYS(fcntl(p[0], F_SETFL, 0));
	while (n > 0) {
		r = read(p[0], buf, sizeof(buf));
		CHECK(r > 0);
		n -= r;
	}
	close(p[1]);
	CHECKF(read(p[0], buf, 1) == 0, "read at EOF did not return 0");
	close(p[0]);

	/* Writing with no reader: EPIPE when SIGPIPE is ignored... */
	SYS(pipe(p));
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	CHECKF(write(p[1], "x", 1) == -1 && errno == EPIPE,
	       "write without a reader: %s", strerror(errno));
	signal(SIGPIPE, SIG_DFL);
	/* ...and death by SIGPIPE when it is not. */
	pid = SYS(fork());
	if (pid == 0) {
		(void)!write(p[1], "x", 1);
		_exit(0);
	}
	CHECK(gt_wait_timeout(pid, &status, 5) == 0);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
	       "writer without a reader: %s", gt_status_str(status));
	close(p[1]);
}

/* ---- /proc/self ---- */

static void t_proc_self_maps(void)
{
	static char maps[1 << 16];
	char *anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char want[64], self[PATH_MAX];
	uintptr_t vdso = getauxval(AT_SYSINFO_EHDR), text = (uintptr_t)main;
	int found_anon = 0, found_ro = 0, found_text = 0;
	ssize_t n;

	CHECK(anon != MAP_FAILED);
	SYS(mprotect(anon + 4096, 4096, PROT_READ));
	n = gt_read_file("/proc/self/maps", maps, sizeof(maps));
	CHECKF(n > 0, "/proc/self/maps: %s (is /proc mounted?)",
	       strerror(errno));
	CHECKF(strstr(maps, "[stack]"), "no [stack] in /proc/self/maps");
	snprintf(want, sizeof(want), "%lx-", (unsigned long)vdso);
	if (vdso)	/* no vDSO at all is proc_test's and time_test's FAIL */
		CHECKF(strstr(maps, "[vdso]") && strstr(maps, want),
		       "no [vdso] at AT_SYSINFO_EHDR %s in /proc/self/maps",
		       want);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECKF(n > 0, "readlink /proc/self/exe: %s", strerror(errno));
	self[n] = 0;
	for (char *line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			FAIL("unparsable maps line \"%s\"", line);
		if (lo == (uintptr_t)anon && hi == lo + 4096 &&
		    !strcmp(perms, "rw-p"))
			found_anon++;
		if (lo == (uintptr_t)anon + 4096 && hi == lo + 4096 &&
		    !strcmp(perms, "r--p"))
			found_ro++;
		if (lo == (uintptr_t)anon + 8192 && hi == lo + 4096 &&
		    !strcmp(perms, "rw-p"))
			found_anon++;
		if (text >= lo && text < hi) {
			CHECKF(perms[0] == 'r' && perms[2] == 'x',
			       "main's code mapped \"%s\"", perms);
			CHECKF(strstr(line, self), "main's mapping \"%s\" does "
			       "not name %s", line, self);
			found_text = 1;
		}
	}
	CHECKF(found_anon == 2 && found_ro == 1, "an mmap split in three by "
	       "mprotect is not three lines in /proc/self/maps");
	CHECKF(found_text, "no mapping holds main()");
	munmap(anon, 3 * 4096);
}

static const char *status_field(const char *status, const char *name)
{
	static char val[256];
	const char *p = status;
	size_t len = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == ':') {
			p += len + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			snprintf(val, sizeof(val), "%.*s", (int)strcspn(p, "\n"),
				 p);
			return val;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static void t_proc_self_status(void)
{
	static char buf[8192];
	char comm[32], path[64], link[PATH_MAX];
	const char *v;
	sigset_t s;
	int fd, pid;
	char state, name[64];
	ssize_t n;

	CHECKF(gt_read_file("/proc/self/status", buf, sizeof(buf)) > 0,
	       "/proc/self/status: %s (is /proc mounted?)", strerror(errno));
	CHECK(gt_read_file("/proc/self/comm", comm, sizeof(comm)) > 0);
	comm[strcspn(comm, "\n")] = 0;
	CHECKF((v = status_field(buf, "Name")) && !strcmp(v, comm),
	       "Name: %s, comm %s", v ? v : "(none)", comm);
	CHECKF((v = status_field(buf, "Pid")) && atoi(v) == getpid(),
	       "Pid: %s, getpid %d", v ? v : "(none)", getpid());
	CHECKF((v = status_field(buf, "PPid")) && atoi(v) == getppid(),
	       "PPid: %s, getppid %d", v ? v : "(none)", getppid());
	CHECKF((v = status_field(buf, "Tgid")) && atoi(v) == getpid(),
	       "Tgid: %s", v ? v : "(none)");
	CHECKF((v = status_field(buf, "Threads")) && atoi(v) == 1,
	       "Threads: %s", v ? v : "(none)");
	CHECKF((v = status_field(buf, "Uid")) && atoi(v) == (int)getuid(),
	       "Uid: %s", v ? v : "(none)");
	CHECKF((v = status_field(buf, "VmRSS")) && atol(v) > 0,
	       "VmRSS: %s", v ? v : "(none)");
	/* The blocked mask as the kernel sees it. */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGTERM);
	sigprocmask(SIG_SETMASK, &s, NULL);
	CHECK(gt_read_file("/proc/self/status", buf, sizeof(buf)) > 0);
	CHECKF((v = status_field(buf, "SigBlk")) &&
	       strtoull(v, NULL, 16) == ((1ULL << (SIGUSR1 - 1)) |
					 (1ULL << (SIGTERM - 1))),
	       "SigBlk: %s with SIGUSR1 and SIGTERM blocked",
	       v ? v : "(none)");
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);

	/* /proc/self/stat */
	CHECK(gt_read_file("/proc/self/stat", buf, sizeof(buf)) > 0);
	CHECKF(sscanf(buf, "%d (%63[^)]) %c", &pid, name, &state) == 3 &&
	       pid == getpid() && !strcmp(name, comm) && state == 'R',
	       "/proc/self/stat: \"%.60s\"", buf);

	/* /proc/self/cmdline is argv, NUL-separated. */
	n = gt_read_file("/proc/self/cmdline", buf, sizeof(buf));
	CHECKF(n > 0 && !strcmp(buf, gt_argv[0]),
	       "/proc/self/cmdline starts \"%s\", argv[0] \"%s\"", buf,
	       gt_argv[0]);

	/* /proc/self/fd/N names what N is open on. */
	fd = SYS(open("/proc/self/status", O_RDONLY));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	CHECKF(n > 0, "readlink %s: %s", path, strerror(errno));
	link[n] = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	CHECKF(!strcmp(link, path), "/proc/self/fd/%d -> %s, expected %s",
	       fd, link, path);
	close(fd);
}

/* ---- ptys ---- */

static ssize_t read_timeout(int fd, char *buf, size_t size, int ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };

	if (poll(&pfd, 1, ms) != 1)
		return -2;
	return read(fd, buf, size);
}

/*
 * Read what a pty side sends until it ends in end (or 2 s pass): output
 * may come in pieces. Returns the length read, NUL-terminated.
 */
static ssize_t read_until(int fd, char *buf, size_t size, const char *end)
{
	size_t got = 0, el = strlen(end);
	double stop = gt_now() + 2;

	while (got + 1 < size && gt_now() < stop) {
		ssize_t n = read_timeout(fd, buf + got, size - 1 - got, 100);

		if (n == -2)
			continue;
		if (n <= 0)
			break;
		got += n;
		buf[got] = 0;
		if (got >= el && !memcmp(buf + got - el, end, el))
			break;
	}
	buf[got] = 0;
	return got;
}

static void t_pty(void)
{
	char buf[256], *name;
	struct termios tio;
	struct winsize ws = { 24, 80, 0, 0 }, ws2;
	int m, s, m2, s2;
	ssize_t n;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECKF(m >= 0, "posix_openpt: %s (is devpts mounted on /dev/pts?)",
	       strerror(errno));
	SYS(grantpt(m));
	SYS(unlockpt(m));
	name = ptsname(m);
	CHECKF(name && !strncmp(name, "/dev/pts/", 9), "ptsname: %s",
	       name ? name : strerror(errno));
	s = open(name, O_RDWR | O_NOCTTY);
	CHECKF(s >= 0, "open %s: %s", name, strerror(errno));
	CHECKF(isatty(s) && isatty(m), "isatty false on a pty");

	/* Canonical mode with echo: the master sees the echo, CR-LF. */
	CHECK(write(m, "hello\n", 6) == 6);
	n = read_timeout(s, buf, sizeof(buf), 2000);
	CHECKF(n == 6 && !memcmp(buf, "hello\n", 6), "slave read %zd \"%.*s\"",
	       n, n > 0 ? (int)n : 0, buf);
	n = read_until(m, buf, sizeof(buf), "\r\n");
	CHECKF(!strcmp(buf, "hello\r\n"), "echo on the master: \"%s\"", buf);
	CHECK(write(s, "out\n", 4) == 4);
	n = read_until(m, buf, sizeof(buf), "\r\n");
	CHECKF(!strcmp(buf, "out\r\n"), "slave output on the master: \"%s\"",
	       buf);
	/* Line editing: backspace (VERASE) before the newline. */
	CHECK(write(m, "abX\x7f" "c\n", 6) == 6);
	n = read_timeout(s, buf, sizeof(buf), 2000);
	CHECKF(n == 4 && !memcmp(buf, "abc\n", 4), "after erase: %zd \"%.*s\"",
	       n, n > 0 ? (int)n : 0, buf);
	n = read_until(m, buf, sizeof(buf), "\r\n");
	CHECKF(!strcmp(buf, "abX\b \bc\r\n"), "echo of an erase: \"%s\"",
	       buf);

	/* Raw mode: bytes as they come, no echo. */
	SYS(tcgetattr(s, &tio));
	cfmakeraw(&tio);
	SYS(tcsetattr(s, TCSANOW, &tio));
	CHECK(write(m, "x", 1) == 1);
	n = read_timeout(s, buf, sizeof(buf), 2000);
	CHECKF(n == 1 && buf[0] == 'x', "raw read: %zd", n);
	CHECKF(read_timeout(m, buf, sizeof(buf), 50) == -2,
	       "raw mode still echoed");
	CHECK(write(s, "r\n", 2) == 2);
	n = read_until(m, buf, sizeof(buf), "\n");
	CHECKF(!strcmp(buf, "r\n"), "raw output was translated: \"%s\"", buf);

	SYS(ioctl(m, TIOCSWINSZ, &ws));
	SYS(ioctl(s, TIOCGWINSZ, &ws2));
	CHECKF(ws2.ws_row == 24 && ws2.ws_col == 80, "TIOCGWINSZ %dx%d",
	       ws2.ws_col, ws2.ws_row);
	close(s);
	close(m);

	SYS(openpty(&m2, &s2, buf, NULL, &ws));
	CHECKF(isatty(s2), "openpty slave is not a tty");
	CHECK(write(s2, "z", 1) == 1);
	n = read_until(m2, buf, sizeof(buf), "z");
	CHECKF(!strcmp(buf, "z"), "openpty pair: \"%s\"", buf);
	close(s2);
	close(m2);
}

/*
 * In a new session on the pty slave: the leader C has it as controlling
 * tty; its child G in another process group is stopped by SIGTTIN reading
 * it, is made the foreground group, reads a line the master sends, and is
 * killed by the ^C the master sends next. Exit codes name the failing
 * step (see job_steps).
 */
static const char *const job_steps[] = {
	[10] = "setsid failed",
	[11] = "opening the slave failed",
	[12] = "the slave did not become the controlling tty",
	[13] = "tcgetpgrp/tcgetsid of the new session wrong",
	[14] = "/dev/tty did not open",
	[15] = "a background read was not stopped by SIGTTIN",
	[16] = "tcsetpgrp failed",
	[17] = "tcgetpgrp does not show the new foreground group",
	[18] = "the foreground reader did not get the line",
	[19] = "^C did not kill the foreground group with SIGINT",
	[20] = "fork failed",
};

static int job_leader(const char *slave, int ready_fd, int gpid_fd)
{
	char buf[64];
	int fd, tty, status;
	pid_t g;

	if (setsid() != getpid())
		return 10;
	fd = open(slave, O_RDWR);	/* no O_NOCTTY: becomes ours */
	if (fd < 0)
		return 11;
	if (tcgetsid(fd) != getpid())
		if (ioctl(fd, TIOCSCTTY, 0) || tcgetsid(fd) != getpid())
			return 12;
	if (tcgetpgrp(fd) != getpid() || getsid(0) != getpid())
		return 13;
	tty = open("/dev/tty", O_RDWR);
	if (tty < 0)
		return 14;
	close(tty);
	g = fork();
	if (g < 0)
		return 20;
	if (g == 0) {
		ssize_t n;

		setpgid(0, 0);
		n = read(fd, buf, sizeof(buf));	/* SIGTTIN, then data */
		if (n == 5 && !memcmp(buf, "ping\n", 5)) {
			(void)!write(ready_fd, "g", 1);
			for (;;)
				pause();
		}
		_exit(1);
	}
	setpgid(g, g);
	(void)!write(gpid_fd, &g, sizeof(g));
	if (waitpid(g, &status, WUNTRACED) != g || !WIFSTOPPED(status) ||
	    WSTOPSIG(status) != SIGTTIN)
		return 15;
	if (tcsetpgrp(fd, g))
		return 16;
	if (tcgetpgrp(fd) != g)
		return 17;
	kill(g, SIGCONT);
	(void)!write(ready_fd, "c", 1);
	if (waitpid(g, &status, 0) != g)
		return 18;
	if (WIFEXITED(status))
		return 18;
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGINT)
		return 19;
	return 0;
}

static void t_pty_job_control(void)
{
	int m, ready[2], gp[2], status, w;
	pid_t c, g = 0;
	char *name, ch;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECKF(m >= 0, "posix_openpt: %s", strerror(errno));
	SYS(grantpt(m));
	SYS(unlockpt(m));
	name = ptsname(m);
	CHECK(name);
	SYS(pipe(ready));
	SYS(pipe(gp));
	c = SYS(fork());
	if (c == 0) {
		close(m);
		_exit(job_leader(name, ready[1], gp[1]));
	}
	close(ready[1]);
	close(gp[1]);
	/* Wait for "c" (G is foreground, reading); then talk to it. */
	if (read_timeout(ready[0], &ch, 1, 5000) == 1 && ch == 'c') {
		CHECK(write(m, "ping\n", 5) == 5);
		if (read_timeout(ready[0], &ch, 1, 5000) == 1 && ch == 'g')
			CHECK(write(m, "\x03", 1) == 1);
	}
	if (read_timeout(gp[0], (char *)&g, sizeof(g), 100) != sizeof(g))
		g = 0;
	w = gt_wait_timeout(c, &status, 5);
	if (g > 0)
		kill(g, SIGKILL);	/* another session: not our group */
	close(m);
	CHECKF(w == 0, "the session leader hung");
	if (WIFEXITED(status) && WEXITSTATUS(status) < GT_COUNT(job_steps) &&
	    job_steps[WEXITSTATUS(status)])
		FAIL("%s", job_steps[WEXITSTATUS(status)]);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "session leader: %s", gt_status_str(status));
}

/* ---- poll, select, epoll ---- */

static short poll1(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static void t_poll_select(void)
{
	int p[2];
	char c;
	fd_set rd;
	struct timeval tv = { 0, 0 };

	SYS(pipe(p));
	CHECKF(poll1(p[0], POLLIN) == 0, "empty pipe polls readable");
	CHECKF(poll1(p[1], POLLOUT) == POLLOUT, "empty pipe not writable");
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CHECKF(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0,
	       "select: empty pipe readable");
	CHECK(write(p[1], "a", 1) == 1);
	CHECKF(poll1(p[0], POLLIN) == POLLIN, "pipe with data: revents 0x%x",
	       poll1(p[0], POLLIN));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CHECKF(select(p[0] + 1, &rd, NULL, NULL, &tv) == 1 &&
	       FD_ISSET(p[0], &rd), "select: pipe with data not readable");
	CHECK(read(p[0], &c, 1) == 1);
	close(p[1]);
	CHECKF(poll1(p[0], POLLIN) & POLLHUP, "no POLLHUP after the writer "
	       "closed (revents 0x%x)", poll1(p[0], POLLIN));
	close(p[0]);
	SYS(pipe(p));
	close(p[0]);
	CHECKF(poll1(p[1], POLLOUT) & POLLERR, "no POLLERR after the reader "
	       "closed (revents 0x%x)", poll1(p[1], POLLOUT));
	close(p[1]);
}

static void *late_write(void *arg)
{
	gt_sleep_ms(30);
	(void)!write((int)(long)arg, "w", 1);
	return NULL;
}

static void t_epoll(void)
{
	int p[2], q[2], ep;
	struct epoll_event ev, out[4];
	pthread_t th;
	char buf[8];
	double t0;

	SYS(pipe(p));
	SYS(pipe(q));
	ep = SYS(epoll_create1(EPOLL_CLOEXEC));
	ev.events = EPOLLIN;
	ev.data.u64 = 0x1111;
	SYS(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u64 = 0x2222;
	SYS(epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev));
	errno = 0;
	CHECKF(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 &&
	       errno == EEXIST, "adding an fd twice: %s", strerror(errno));
	CHECKF(epoll_wait(ep, out, 4, 0) == 0, "events on empty pipes");

	/* Level-triggered: reported until drained. */
	CHECK(write(p[1], "ab", 2) == 2);
	CHECKF(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 0x1111 &&
	       (out[0].events & EPOLLIN), "level-triggered event missing");
	CHECKF(epoll_wait(ep, out, 4, 0) == 1, "level-triggered event not "
	       "repeated");
	CHECK(read(p[0], buf, 2) == 2);
	CHECKF(epoll_wait(ep, out, 4, 0) == 0, "event after draining");

	/* Edge-triggered: once per arrival. */
	CHECK(write(q[1], "a", 1) == 1);
	CHECKF(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 0x2222,
	       "edge-triggered event missing");
	CHECKF(epoll_wait(ep, out, 4, 0) == 0, "edge-triggered event repeated");
	CHECK(write(q[1], "b", 1) == 1);
	CHECKF(epoll_wait(ep, out, 4, 0) == 1, "new data did not re-trigger "
	       "the edge");

	/* One-shot: disarmed after one event until EPOLL_CTL_MOD. */
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u64 = 0x3333;
	SYS(epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &ev));
	CHECKF(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 0x3333,
	       "one-shot event missing");
	CHECKF(epoll_wait(ep, out, 4, 0) == 0, "one-shot event repeated");
	SYS(epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &ev));
	CHECKF(epoll_wait(ep, out, 4, 0) == 1, "EPOLL_CTL_MOD did not re-arm");
	SYS(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL));
	CHECKF(epoll_wait(ep, out, 4, 0) == 0, "event after EPOLL_CTL_DEL");

	/* Blocking wait, woken by another thread's write. */
	PT(pthread_create(&th, NULL, late_write, (void *)(long)p[1]));
	t0 = gt_now();
	CHECKF(epoll_wait(ep, out, 4, 5000) == 1 && out[0].data.u64 == 0x1111,
	       "blocking epoll_wait not woken by a write");
	CHECKF(gt_now() - t0 >= 0.02, "woken after %.1f ms, write at 30 ms",
	       (gt_now() - t0) * 1e3);
	PT(pthread_join(th, NULL));
	close(ep);
}

/* ---- eventfd ---- */

static void *late_add(void *arg)
{
	uint64_t v = 5;

	gt_sleep_ms(30);
	(void)!write((int)(long)arg, &v, 8);
	return NULL;
}

static void t_eventfd(void)
{
	uint64_t v;
	pthread_t th;
	int fd = SYS(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));

	errno = 0;
	CHECKF(read(fd, &v, 8) == -1 && errno == EAGAIN,
	       "read of a zero eventfd: %s", strerror(errno));
	CHECKF(poll1(fd, POLLIN | POLLOUT) == POLLOUT, "zero eventfd: revents "
	       "0x%x", poll1(fd, POLLIN | POLLOUT));
	v = 3;
	CHECK(write(fd, &v, 8) == 8);
	v = 4;
	CHECK(write(fd, &v, 8) == 8);
	CHECKF(poll1(fd, POLLIN) == POLLIN, "nonzero eventfd not readable");
	CHECKF(read(fd, &v, 8) == 8 && v == 7, "counter %lu, expected 3+4",
	       (unsigned long)v);
	v = ~0ULL;
	errno = 0;
	CHECKF(write(fd, &v, 8) == -1 && errno == EINVAL,
	       "writing 2^64-1: %s", strerror(errno));
	errno = 0;
	CHECKF(write(fd, &v, 4) == -1 && errno == EINVAL,
	       "a 4-byte write: %s", strerror(errno));
	close(fd);

	fd = SYS(eventfd(2, EFD_SEMAPHORE));
	CHECK(read(fd, &v, 8) == 8 && v == 1);
	CHECK(read(fd, &v, 8) == 8 && v == 1);
	/* Now zero: a blocking read waits for another thread's write. */
	PT(pthread_create(&th, NULL, late_add, (void *)(long)fd));
	CHECKF(read(fd, &v, 8) == 8 && v == 1, "blocking semaphore read");
	PT(pthread_join(th, NULL));
	close(fd);
}

/* ---- sockets ---- */

static void t_unix_sockets(void)
{
	int sv[2], p[2], lfd, cfd, afd;
	char buf[64], cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	struct sockaddr_un sa;
	socklen_t len;
	pid_t pid;

	/* SCM_RIGHTS: a pipe's write end to another process. */
	CHECKF(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0,
	       "socketpair(AF_UNIX): %s%s", strerror(errno),
	       errno == ENOSYS ? " (a kernel without CONFIG_NET?)" :
	       errno == EAFNOSUPPORT ? " (a kernel without CONFIG_UNIX?)" :
	       "");
	SYS(pipe(p));
	pid = SYS(fork());
	if (pid == 0) {
		int fd = -1;

		close(sv[0]);
		close(p[1]);
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = 1;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[1], &msg, 0) != 1)
			_exit(1);
		cm = CMSG_FIRSTHDR(&msg);
		if (!cm || cm->cmsg_type != SCM_RIGHTS)
			_exit(2);
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
		_exit(write(fd, "via fd", 6) == 6 ? 0 : 3);
	}
	close(sv[1]);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = "F";
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
	CHECK(sendmsg(sv[0], &msg, 0) == 1);
	close(p[1]);
	WAIT_EXIT(pid, 0, "receiver of the fd");
	CHECKF(read(p[0], buf, 6) == 6 && !memcmp(buf, "via fd", 6),
	       "nothing came through the passed fd");
	close(p[0]);
	close(sv[0]);

	/* SOCK_SEQPACKET keeps message boundaries. */
	SYS(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	CHECK(send(sv[0], "one", 3, 0) == 3 && send(sv[0], "two!", 4, 0) == 4);
	CHECKF(recv(sv[1], buf, sizeof(buf), 0) == 3 &&
	       recv(sv[1], buf, sizeof(buf), 0) == 4,
	       "SOCK_SEQPACKET merged or split messages");
	close(sv[0]);
	close(sv[1]);

	/* Abstract-namespace listen/connect/accept. */
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	len = offsetof(struct sockaddr_un, sun_path) + 1 +
	      snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "gt-%d",
		       getpid());
	lfd = SYS(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	SYS(bind(lfd, (struct sockaddr *)&sa, len));
	SYS(listen(lfd, 4));
	cfd = SYS(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	SYS(connect(cfd, (struct sockaddr *)&sa, len));
	afd = SYS(accept4(lfd, NULL, NULL, SOCK_CLOEXEC));
	CHECK(write(cfd, "hi", 2) == 2);
	CHECKF(read(afd, buf, sizeof(buf)) == 2, "accepted socket got nothing");
	close(cfd);
	CHECKF(read(afd, buf, sizeof(buf)) == 0, "no EOF after the peer "
	       "closed");
	close(afd);
	close(lfd);
}

/* ---- files and descriptors ---- */

static void t_files(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], path2[PATH_MAX + 16];
	char link[PATH_MAX + 16], buf[64];
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd, seen = 0;

	snprintf(dir, sizeof(dir), "%s/gt-dir.XXXXXX", gt_tmpdir());
	CHECKF(mkdtemp(dir), "mkdtemp in %s: %s", gt_tmpdir(),
	       strerror(errno));
	snprintf(path, sizeof(path), "%s/a", dir);
	snprintf(path2, sizeof(path2), "%s/b", dir);
	fd = SYS(open(path, O_RDWR | O_CREAT | O_EXCL, 0640));
	CHECK(write(fd, "0123456789", 10) == 10);
	CHECK(pwrite(fd, "AB", 2, 4) == 2);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(pread(fd, buf, 10, 0) == 10 && !memcmp(buf, "0123AB6789", 10));
	CHECK(lseek(fd, 100, SEEK_SET) == 100 && write(fd, "Z", 1) == 1);
	SYS(fstat(fd, &st));
	CHECKF(st.st_size == 101 && S_ISREG(st.st_mode) &&
	       (st.st_mode & 0777) == (0640 & ~umask(022)),
	       "fstat: size %ld mode 0%o", (long)st.st_size, st.st_mode);
	CHECK(pread(fd, buf, 5, 50) == 5 && !memcmp(buf, "\0\0\0\0\0", 5));
	SYS(ftruncate(fd, 3));
	SYS(fstat(fd, &st));
	CHECKF(st.st_size == 3, "size %ld after ftruncate(3)",
	       (long)st.st_size);
	SYS(fsync(fd));
	close(fd);
	fd = SYS(open(path, O_WRONLY | O_APPEND));
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "xy", 2) == 2);
	close(fd);
	CHECK(gt_read_file(path, buf, sizeof(buf)) == 5 &&
	      !strcmp(buf, "012xy"));
	SYS(rename(path, path2));
	errno = 0;
	CHECK(stat(path, &st) == -1 && errno == ENOENT);
	SYS(symlink("b", path));
	CHECK(readlink(path, link, sizeof(link)) == 1 && link[0] == 'b');
	SYS(stat(path, &st));
	CHECK(S_ISREG(st.st_mode));
	SYS(lstat(path, &st));
	CHECK(S_ISLNK(st.st_mode));
	snprintf(link, sizeof(link), "%s/sub", dir);
	SYS(mkdir(link, 0755));
	d = opendir(dir);
	CHECKF(d, "opendir: %s", strerror(errno));
	while ((de = readdir(d)))
		if (!strcmp(de->d_name, "a") || !strcmp(de->d_name, "b") ||
		    !strcmp(de->d_name, "sub") || !strcmp(de->d_name, ".") ||
		    !strcmp(de->d_name, ".."))
			seen++;
	closedir(d);
	CHECKF(seen == 5, "readdir found %d of 5 entries", seen);
	errno = 0;
	CHECK(rmdir(dir) == -1 && errno == ENOTEMPTY);
	SYS(rmdir(link));
	SYS(unlink(path));
	SYS(unlink(path2));
	SYS(rmdir(dir));
}

static void t_descriptors(void)
{
	int p[2], a, b, flags;
	char c;

	SYS(pipe(p));
	a = SYS(dup(p[1]));
	CHECK(write(a, "1", 1) == 1 && read(p[0], &c, 1) == 1 && c == '1');
	b = SYS(dup2(p[1], 100));
	CHECK(b == 100);
	CHECK(SYS(fcntl(100, F_GETFD)) == 0);
	SYS(dup3(p[1], 101, O_CLOEXEC));
	CHECK(SYS(fcntl(101, F_GETFD)) == FD_CLOEXEC);
	b = SYS(fcntl(p[1], F_DUPFD_CLOEXEC, 200));
	CHECKF(b >= 200 && (fcntl(b, F_GETFD) & FD_CLOEXEC),
	       "F_DUPFD_CLOEXEC gave fd %d", b);
	flags = SYS(fcntl(p[0], F_GETFL));
	SYS(fcntl(p[0], F_SETFL, flags | O_NONBLOCK));
	CHECK(SYS(fcntl(p[0], F_GETFL)) & O_NONBLOCK);
	errno = 0;
	CHECK(read(p[0], &c, 1) == -1 && errno == EAGAIN);
	close(a);
	close(100);
	close(101);
	close(b);
	close(p[1]);
	CHECKF(read(p[0], &c, 1) == 0, "EOF not seen after closing every "
	       "duplicate of the write end");
	errno = 0;
	CHECK(close(p[1]) == -1 && errno == EBADF);
	close(p[0]);
}

static void t_getrandom(void)
{
	unsigned char a[64], b[64];
	int nz = 0, fd;

	CHECKF(getrandom(a, sizeof(a), 0) == sizeof(a), "getrandom: %s",
	       strerror(errno));
	CHECK(getrandom(b, sizeof(b), GRND_NONBLOCK) == sizeof(b));
	for (size_t i = 0; i < sizeof(a); i++)
		nz += a[i] != 0;
	CHECKF(nz > 32, "getrandom bytes mostly zero");
	CHECKF(memcmp(a, b, sizeof(a)), "two getrandom calls gave the same "
	       "bytes");
	fd = open("/dev/urandom", O_RDONLY);
	if (fd >= 0) {
		CHECK(read(fd, b, sizeof(b)) == sizeof(b));
		CHECK(memcmp(a, b, sizeof(a)));
		close(fd);
	}
}

/* ---- instructions ---- */

static unsigned long rdtsc(void)
{
	unsigned lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long)hi << 32) | lo;
}

static void cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static void t_rdtsc_cpuid(void)
{
	unsigned r[4];
	char vendor[13];
	unsigned long t0, t1;
	double w0, w1, mhz;

	cpuid(0, 0, r);
	CHECKF(r[0] >= 1, "CPUID max leaf %u", r[0]);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = 0;
	for (int i = 0; i < 12; i++)
		CHECKF(vendor[i] >= ' ' && vendor[i] < 127,
		       "CPUID vendor \"%s\" not printable", vendor);
	cpuid(1, 0, r);
	CHECKF(((r[0] >> 8) & 0xf) != 0, "CPUID family 0 (eax 0x%x)", r[0]);
	CHECKF((r[3] >> 4) & 1, "CPUID says no TSC");
	cpuid(0x80000000, 0, r);
	CHECKF(r[0] >= 0x80000001, "CPUID max extended leaf 0x%x", r[0]);

	t0 = rdtsc();
	w0 = gt_now();
	gt_sleep_ms(20);
	t1 = rdtsc();
	w1 = gt_now();
	CHECKF(t1 > t0, "rdtsc went from %lu to %lu", t0, t1);
	mhz = (t1 - t0) / (w1 - w0) / 1e6;
	CHECKF(mhz > 100 && mhz < 100000, "TSC runs at %.0f MHz", mhz);

	cpuid(0x80000001, 0, r);
	if ((r[3] >> 27) & 1) {
		unsigned aux, lo, hi, cpu;

		if (gt_pin_one_cpu() == 0 &&
		    syscall(SYS_getcpu, &cpu, NULL, NULL) == 0) {
			__asm__ volatile("rdtscp"
					 : "=a"(lo), "=d"(hi), "=c"(aux));
			CHECKF((aux & 0xfff) == cpu, "rdtscp TSC_AUX 0x%x on "
			       "CPU %u", aux, cpu);
		}
	}
}


/* ---- seccomp filters (systemd and browsers install them) ---- */

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1	/* si_code of a seccomp SIGSYS */
#endif

static volatile siginfo_t seccomp_info;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	seccomp_info = *si;
}

#define SECCOMP_NR_IS(nr, action) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, (action))

/*
 * In a child: getppid fails with errno 42, getpgrp raises SIGSYS (with
 * the number, the arch and the call address), getuid kills the process;
 * everything else is allowed.
 */
static int seccomp_child(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		SECCOMP_NR_IS(SYS_getppid, SECCOMP_RET_ERRNO | 42),
		SECCOMP_NR_IS(SYS_getpgrp, SECCOMP_RET_TRAP | 7),
		SECCOMP_NR_IS(SYS_getuid, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	long r;

	sigaction(SIGSYS, &sa, NULL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return 10;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 11;
	errno = 0;
	r = syscall(SYS_getppid);
	if (r != -1 || errno != 42)
		return 12;
	r = syscall(SYS_getpgrp);
	if (seccomp_info.si_signo != SIGSYS || seccomp_info.si_code != SYS_SECCOMP ||
	    seccomp_info.si_syscall != SYS_getpgrp ||
	    seccomp_info.si_arch != AUDIT_ARCH_X86_64 ||
	    seccomp_info.si_errno != 7 || !seccomp_info.si_call_addr)
		return 13;
	if (getpid() <= 0)	/* allowed */
		return 14;
	syscall(SYS_getuid);
	return 15;		/* not reached: killed by SIGSYS */
}

static void t_seccomp(void)
{
	int st;
	pid_t pid = SYS(fork());

	if (pid == 0)
		_exit(seccomp_child());
	CHECKF(gt_wait_timeout(pid, &st, 5.0) == 0, "seccomp child hung");
	CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	       "seccomp child: %s (10 prctl, 11 seccomp, 12 no errno 42, 13 bad SIGSYS info, 15 getuid not killed)",
	       gt_status_str(st));
}

static const struct gt_case cases[] = {
	GT_CASE(pipe_8mib),
	GT_CASE(pipe_edges),
	GT_CASE(proc_self_maps),
	GT_CASE(proc_self_status),
	GT_CASE(pty),
	GT_CASE(pty_job_control),
	GT_CASE(poll_select),
	GT_CASE(epoll),
	GT_CASE(eventfd),
	GT_CASE(unix_sockets),
	GT_CASE(files),
	GT_CASE(descriptors),
	GT_CASE(getrandom),
	GT_CASE(rdtsc_cpuid),
	GT_CASE(seccomp),
};

int main(int argc, char **argv, char **envp)
{
	return gt_main("misc", cases, GT_COUNT(cases), argc, argv, envp);
}

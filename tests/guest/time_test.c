// SPDX-License-Identifier: GPL-2.0
/*
 * Time: clocks (monotonic, also across CPUs; plausible wall time; CPU-time
 * clocks), the vDSO (its ELF exports __vdso_clock_gettime and friends,
 * calling them works, and glibc's clock_gettime/gettimeofday/time make no
 * system call — checked with a seccomp filter), gettimeofday, time,
 * getcpu, sleep accuracy (nanosleep, clock_nanosleep, select, poll,
 * epoll), EINTR with the remaining time, timerfd, POSIX timers, and
 * timers preempting user code: a spinning child killed by alarm() after
 * 1 s and by RLIMIT_CPU.
 */
#include "guest_test.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>

static double ts_sec(const struct timespec *ts)
{
	return ts->tv_sec + ts->tv_nsec / 1e9;
}

static double fabs_diff(double a, double b)
{
	return a > b ? a - b : b - a;
}

static double clock_sec(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts_sec(&ts);
}

static long ts_cmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	return a->tv_nsec < b->tv_nsec ? -1 : a->tv_nsec > b->tv_nsec;
}

/* ---- clocks ---- */

static void t_clocks(void)
{
	static const struct { clockid_t id; const char *name; } clocks[] = {
		{ CLOCK_REALTIME, "REALTIME" },
		{ CLOCK_MONOTONIC, "MONOTONIC" },
		{ CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" },
		{ CLOCK_BOOTTIME, "BOOTTIME" },
		{ CLOCK_REALTIME_COARSE, "REALTIME_COARSE" },
		{ CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE" },
		{ CLOCK_TAI, "TAI" },
		{ CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID" },
		{ CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID" },
	};
	struct timespec a, b, res;

	for (size_t c = 0; c < GT_COUNT(clocks); c++) {
		CHECKF(clock_gettime(clocks[c].id, &a) == 0,
		       "clock_gettime(CLOCK_%s): %s", clocks[c].name,
		       strerror(errno));
		CHECKF(a.tv_nsec >= 0 && a.tv_nsec < 1000000000,
		       "CLOCK_%s tv_nsec %ld", clocks[c].name, a.tv_nsec);
		for (int i = 0; i < 20000; i++) {
			clock_gettime(clocks[c].id, &b);
			CHECKF(clocks[c].id == CLOCK_REALTIME ||
			       clocks[c].id == CLOCK_REALTIME_COARSE ||
			       clocks[c].id == CLOCK_TAI || ts_cmp(&a, &b) <= 0,
			       "CLOCK_%s went back: %ld.%09ld -> %ld.%09ld",
			       clocks[c].name, a.tv_sec, a.tv_nsec, b.tv_sec,
			       b.tv_nsec);
			a = b;
		}
		CHECKF(clock_getres(clocks[c].id, &res) == 0,
		       "clock_getres(CLOCK_%s): %s", clocks[c].name,
		       strerror(errno));
	}
	SYS(clock_getres(CLOCK_MONOTONIC, &res));
	CHECKF(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10000000,
	       "CLOCK_MONOTONIC resolution %ld.%09ld s", res.tv_sec,
	       res.tv_nsec);
	CHECKF(clock_sec(CLOCK_REALTIME) > 1577836800.0,
	       "CLOCK_REALTIME %.0f is before 2020: no wall-clock time",
	       clock_sec(CLOCK_REALTIME));
	CHECKF(clock_sec(CLOCK_BOOTTIME) + 0.001 >= clock_sec(CLOCK_MONOTONIC),
	       "BOOTTIME < MONOTONIC");
	CHECKF(clock_sec(CLOCK_MONOTONIC) > 0, "MONOTONIC is zero");
	errno = 0;
	CHECKF(clock_gettime((clockid_t)12345, &a) == -1 && errno == EINVAL,
	       "a bogus clock id: %s", strerror(errno));
}

static void t_monotonic_across_cpus(void)
{
	cpu_set_t all, one;
	struct timespec last = { 0, 0 }, now;
	int ncpu = 0, moves = 0;

	SYS(sched_getaffinity(0, sizeof(all), &all));
	ncpu = CPU_COUNT(&all);
	if (ncpu < 2)
		SKIP("only one CPU to run on");
	for (int round = 0; round < 50; round++)
		for (int c = 0; c < CPU_SETSIZE; c++) {
			if (!CPU_ISSET(c, &all))
				continue;
			CPU_ZERO(&one);
			CPU_SET(c, &one);
			SYS(sched_setaffinity(0, sizeof(one), &one));
			clock_gettime(CLOCK_MONOTONIC, &now);
			CHECKF(ts_cmp(&last, &now) <= 0,
			       "CLOCK_MONOTONIC went back moving to CPU %d: "
			       "%ld.%09ld -> %ld.%09ld", c, last.tv_sec,
			       last.tv_nsec, now.tv_sec, now.tv_nsec);
			last = now;
			moves++;
		}
	CHECK(moves >= 100);
}

static void t_cpu_clocks(void)
{
	struct tms t0, t1;
	double p0 = clock_sec(CLOCK_PROCESS_CPUTIME_ID);
	double th0 = clock_sec(CLOCK_THREAD_CPUTIME_ID);
	double w0 = gt_now(), dp, dth, dw;
	clock_t c0 = times(&t0), c1;
	long hz = sysconf(_SC_CLK_TCK), ticks;

	/* Spin for 0.2 s of CPU time (2 s of real time at most). */
	while (clock_sec(CLOCK_PROCESS_CPUTIME_ID) - p0 < 0.2 &&
	       gt_now() - w0 < 2)
		;
	dp = clock_sec(CLOCK_PROCESS_CPUTIME_ID) - p0;
	dth = clock_sec(CLOCK_THREAD_CPUTIME_ID) - th0;
	dw = gt_now() - w0;
	c1 = times(&t1);
	CHECKF(dp >= 0.2, "PROCESS_CPUTIME advanced only %.3f s in %.3f s of "
	       "spinning", dp, dw);
	CHECKF(dp <= dw + 0.01, "PROCESS_CPUTIME advanced %.3f s in %.3f s of "
	       "real time", dp, dw);
	CHECKF(dth >= dp - 0.01 && dth <= dp + 0.01,
	       "THREAD_CPUTIME advanced %.3f s, PROCESS_CPUTIME %.3f s", dth,
	       dp);
	CHECKF(hz > 0, "_SC_CLK_TCK %ld", hz);
	CHECKF(c1 - c0 >= dw * hz * 0.5 && c1 - c0 <= dw * hz * 1.5 + 2,
	       "times() advanced %ld ticks in %.3f s (%ld Hz)",
	       (long)(c1 - c0), dw, hz);
	ticks = (t1.tms_utime + t1.tms_stime) - (t0.tms_utime + t0.tms_stime);
	CHECKF(ticks >= 0.1 * hz, "tms_utime+tms_stime grew %ld ticks in "
	       "%.3f s of CPU time", ticks, dp);

	/* Sleeping costs no CPU time. */
	p0 = clock_sec(CLOCK_PROCESS_CPUTIME_ID);
	gt_sleep_ms(100);
	dp = clock_sec(CLOCK_PROCESS_CPUTIME_ID) - p0;
	CHECKF(dp < 0.03, "a 100 ms sleep used %.1f ms of CPU time", dp * 1e3);
}

static void t_gettimeofday_time(void)
{
	struct timeval tv;
	struct timespec ts;
	time_t t, t2;

	SYS(gettimeofday(&tv, NULL));
	SYS(clock_gettime(CLOCK_REALTIME, &ts));
	t = time(&t2);
	CHECKF(tv.tv_usec >= 0 && tv.tv_usec < 1000000, "tv_usec %ld",
	       (long)tv.tv_usec);
	CHECKF(t == t2, "time() returned %ld, stored %ld", (long)t, (long)t2);
	CHECKF(fabs_diff(tv.tv_sec + tv.tv_usec / 1e6, ts_sec(&ts)) < 0.01,
	       "gettimeofday %ld.%06ld vs CLOCK_REALTIME %ld.%09ld",
	       (long)tv.tv_sec, (long)tv.tv_usec, ts.tv_sec, ts.tv_nsec);
	CHECKF(t >= ts.tv_sec - 1 && t <= ts.tv_sec + 1,
	       "time() %ld vs CLOCK_REALTIME %ld", (long)t, ts.tv_sec);
	SYS(syscall(SYS_gettimeofday, &tv, NULL));
	CHECKF(fabs_diff(tv.tv_sec + tv.tv_usec / 1e6, ts_sec(&ts)) < 1,
	       "gettimeofday system call disagrees with the vDSO by %.3f s",
	       tv.tv_sec + tv.tv_usec / 1e6 - ts_sec(&ts));
}

/* ---- the vDSO ---- */

struct vdso {
	uintptr_t bias;
	const ElfW(Sym) *sym;
	const char *str;
	size_t nsym;
	const char *err;
};

static size_t gnu_hash_count(const uint32_t *h)
{
	uint32_t nbuckets = h[0], symoffset = h[1], bloom = h[2];
	const uint32_t *buckets = h + 4 + bloom * (sizeof(ElfW(Addr)) / 4);
	const uint32_t *chain = buckets + nbuckets;
	uint32_t last = 0;

	for (uint32_t b = 0; b < nbuckets; b++)
		if (buckets[b] > last)
			last = buckets[b];
	if (last < symoffset)
		return symoffset;
	while (!(chain[last - symoffset] & 1))
		last++;
	return last + 1;
}

static struct vdso vdso_open(void)
{
	struct vdso v = { 0 };
	uintptr_t base = getauxval(AT_SYSINFO_EHDR);
	const ElfW(Ehdr) *eh = (const void *)base;
	const ElfW(Phdr) *ph;
	const ElfW(Dyn) *dyn = NULL;
	int have_load = 0;

	if (!base) {
		v.err = "no AT_SYSINFO_EHDR";
		return v;
	}
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_DYN ||
	    eh->e_machine != EM_X86_64) {
		v.err = "the vDSO is not an x86-64 ELF shared object";
		return v;
	}
	ph = (const void *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			v.bias = base + ph[i].p_offset - ph[i].p_vaddr;
			have_load = 1;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const void *)(base + ph[i].p_offset);
		}
	}
	if (!have_load || !dyn) {
		v.err = "the vDSO has no PT_LOAD or no PT_DYNAMIC";
		return v;
	}
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = v.bias + dyn->d_un.d_ptr;

		if (dyn->d_tag == DT_SYMTAB)
			v.sym = (const void *)p;
		else if (dyn->d_tag == DT_STRTAB)
			v.str = (const void *)p;
		else if (dyn->d_tag == DT_HASH)
			v.nsym = ((const uint32_t *)p)[1];
		else if (dyn->d_tag == DT_GNU_HASH && !v.nsym)
			v.nsym = gnu_hash_count((const void *)p);
	}
	if (!v.sym || !v.str || !v.nsym)
		v.err = "the vDSO has no symbol table or hash table";
	return v;
}

static void *vdso_sym(const struct vdso *v, const char *name)
{
	for (size_t i = 0; i < v->nsym; i++) {
		const ElfW(Sym) *s = &v->sym[i];

		if (s->st_shndx != SHN_UNDEF &&
		    ELF64_ST_TYPE(s->st_info) == STT_FUNC &&
		    (ELF64_ST_BIND(s->st_info) == STB_GLOBAL ||
		     ELF64_ST_BIND(s->st_info) == STB_WEAK) &&
		    !strcmp(v->str + s->st_name, name))
			return (void *)(v->bias + s->st_value);
	}
	return NULL;
}

static void t_vdso(void)
{
	static const char *const names[] = {
		"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
		"__vdso_getcpu", "__vdso_clock_getres",
	};
	struct vdso v = vdso_open();
	int (*vgettime)(clockid_t, struct timespec *);
	int (*vgtod)(struct timeval *, void *);
	time_t (*vtime)(time_t *);
	long (*vgetcpu)(unsigned *, unsigned *, void *);
	struct timespec before, mid, after;
	struct timeval tv;
	unsigned cpu = ~0U, node = ~0U;
	time_t t;

	CHECKF(!v.err, "%s", v.err);
	for (size_t i = 0; i < GT_COUNT(names); i++)
		CHECKF(vdso_sym(&v, names[i]), "the vDSO does not export %s",
		       names[i]);
	vgettime = (int (*)(clockid_t, struct timespec *))
		vdso_sym(&v, "__vdso_clock_gettime");
	vgtod = (int (*)(struct timeval *, void *))
		vdso_sym(&v, "__vdso_gettimeofday");
	vtime = (time_t (*)(time_t *))vdso_sym(&v, "__vdso_time");
	vgetcpu = (long (*)(unsigned *, unsigned *, void *))
		vdso_sym(&v, "__vdso_getcpu");

	for (int i = 0; i < 1000; i++) {
		SYS(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &before));
		CHECKF(vgettime(CLOCK_MONOTONIC, &mid) == 0,
		       "__vdso_clock_gettime failed");
		SYS(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &after));
		CHECKF(ts_cmp(&before, &mid) <= 0 && ts_cmp(&mid, &after) <= 0,
		       "__vdso_clock_gettime(MONOTONIC) %ld.%09ld is not "
		       "between system calls' %ld.%09ld and %ld.%09ld",
		       mid.tv_sec, mid.tv_nsec, before.tv_sec, before.tv_nsec,
		       after.tv_sec, after.tv_nsec);
	}
	SYS(syscall(SYS_clock_gettime, CLOCK_REALTIME, &before));
	CHECKF(vgettime(CLOCK_REALTIME, &mid) == 0, "__vdso_clock_gettime "
	       "(REALTIME) failed");
	CHECKF(fabs_diff(ts_sec(&mid), ts_sec(&before)) < 0.01,
	       "vDSO and system call REALTIME differ by %.3f s",
	       ts_sec(&mid) - ts_sec(&before));
	CHECKF(vgtod(&tv, NULL) == 0, "__vdso_gettimeofday failed");
	CHECKF(fabs_diff(tv.tv_sec + tv.tv_usec / 1e6, ts_sec(&before)) < 0.01,
	       "__vdso_gettimeofday off by %.3f s",
	       tv.tv_sec + tv.tv_usec / 1e6 - ts_sec(&before));
	t = vtime(NULL);
	CHECKF(t >= before.tv_sec - 1 && t <= before.tv_sec + 1,
	       "__vdso_time %ld vs %ld", (long)t, before.tv_sec);
	CHECKF(vgetcpu(&cpu, &node, NULL) == 0 && cpu < CPU_SETSIZE &&
	       node < 1024, "__vdso_getcpu: cpu %u node %u", cpu, node);
}

static void t_vdso_no_syscall(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clock_gettime, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_gettimeofday, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_time, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getcpu, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = { GT_COUNT(f), f };
	struct vdso v = vdso_open();
	long (*vgetcpu)(unsigned *, unsigned *, void *);
	struct timespec ts;
	struct timeval tv;
	unsigned cpu;

	CHECKF(!v.err, "%s", v.err);
	vgetcpu = (long (*)(unsigned *, unsigned *, void *))
		vdso_sym(&v, "__vdso_getcpu");
	CHECKF(vgetcpu, "no __vdso_getcpu");
	SYS(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0))
		SKIP("seccomp filters unavailable (%s): cannot tell a vDSO "
		     "call from a system call", strerror(errno));
	errno = 0;
	CHECKF(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) == -1 &&
	       errno == EPERM, "the seccomp filter does not work");
	errno = 0;
	CHECKF(clock_gettime(CLOCK_MONOTONIC, &ts) == 0,
	       "clock_gettime(MONOTONIC) made a system call (%s): no vDSO "
	       "fast path (clocksource without vDSO support?)",
	       strerror(errno));
	CHECKF(clock_gettime(CLOCK_REALTIME, &ts) == 0,
	       "clock_gettime(REALTIME) made a system call");
	CHECKF(gettimeofday(&tv, NULL) == 0, "gettimeofday made a system call");
	CHECKF(time(NULL) != (time_t)-1, "time() made a system call");
	CHECKF(vgetcpu(&cpu, NULL, NULL) == 0,
	       "__vdso_getcpu made a system call");
}

/* ---- getcpu ---- */

static void t_getcpu(void)
{
	cpu_set_t all, one;
	unsigned cpu, node;
	int tried = 0;

	SYS(sched_getaffinity(0, sizeof(all), &all));
	SYS(syscall(SYS_getcpu, &cpu, &node, NULL));
	CHECKF(cpu < CPU_SETSIZE && CPU_ISSET(cpu, &all),
	       "getcpu says CPU %u, not in the affinity mask", cpu);
	for (int c = 0; c < CPU_SETSIZE && tried < 8; c++) {
		if (!CPU_ISSET(c, &all))
			continue;
		tried++;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		SYS(sched_setaffinity(0, sizeof(one), &one));
		SYS(syscall(SYS_getcpu, &cpu, &node, NULL));
		CHECKF((int)cpu == c, "pinned to CPU %d, getcpu says %u", c,
		       cpu);
		CHECKF(sched_getcpu() == c, "pinned to CPU %d, sched_getcpu "
		       "says %d", c, sched_getcpu());
	}
	CHECKF(tried > 0, "empty affinity mask");
	CHECKF(sysconf(_SC_NPROCESSORS_ONLN) >= CPU_COUNT(&all),
	       "%ld CPUs online, %d in the affinity mask",
	       sysconf(_SC_NPROCESSORS_ONLN), CPU_COUNT(&all));
}

/* ---- sleeping ---- */

static void t_sleep_accuracy(void)
{
	struct timespec ts = { 0, 50000000 }, abs;
	struct timeval tv;
	struct pollfd pfd;
	struct epoll_event ev;
	int p[2], ep;
	double t0, d;
	const char *what[] = { "nanosleep", "clock_nanosleep relative",
			       "clock_nanosleep TIMER_ABSTIME",
			       "clock_nanosleep REALTIME", "usleep",
			       "select timeout", "poll timeout",
			       "epoll_wait timeout" };

	SYS(pipe(p));
	ep = SYS(epoll_create1(EPOLL_CLOEXEC));
	ev.events = EPOLLIN;
	ev.data.u64 = 1;
	SYS(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	for (size_t i = 0; i < GT_COUNT(what); i++) {
		int r = 0;

		t0 = gt_now();
		switch (i) {
		case 0:
			r = nanosleep(&ts, NULL);
			break;
		case 1:
			r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
			break;
		case 2:
			clock_gettime(CLOCK_MONOTONIC, &abs);
			abs.tv_nsec += 50000000;
			if (abs.tv_nsec >= 1000000000) {
				abs.tv_sec++;
				abs.tv_nsec -= 1000000000;
			}
			r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
					    &abs, NULL);
			break;
		case 3:
			r = clock_nanosleep(CLOCK_REALTIME, 0, &ts, NULL);
			break;
		case 4:
			r = usleep(50000);
			break;
		case 5:
			tv.tv_sec = 0;
			tv.tv_usec = 50000;
			r = select(0, NULL, NULL, NULL, &tv);
			break;
		case 6:
			pfd.fd = p[0];
			pfd.events = POLLIN;
			r = poll(&pfd, 1, 50);
			break;
		case 7:
			r = epoll_wait(ep, &ev, 1, 50);
			break;
		}
		d = gt_now() - t0;
		CHECKF(r == 0, "%s returned %d (%s)", what[i], r,
		       strerror(errno));
		CHECKF(d >= 0.050 && d < 0.150,
		       "%s of 50 ms took %.1f ms (want 50..150)", what[i],
		       d * 1e3);
	}
	close(ep);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void t_sleep_eintr(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 30000 } };
	struct timespec req = { 0, 200000000 }, rem = { 0, 0 };
	double t0;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	SYS(setitimer(ITIMER_REAL, &it, NULL));
	t0 = gt_now();
	errno = 0;
	r = nanosleep(&req, &rem);
	CHECKF(r == -1 && errno == EINTR, "nanosleep with a 30 ms timer: %d "
	       "%s, expected EINTR", r, strerror(errno));
	CHECKF(alarms == 1, "%d SIGALRMs", (int)alarms);
	CHECKF(gt_now() - t0 >= 0.025 && gt_now() - t0 < 0.15,
	       "interrupted after %.1f ms", (gt_now() - t0) * 1e3);
	CHECKF(ts_sec(&rem) > 0.1 && ts_sec(&rem) < 0.18,
	       "remaining %.1f ms after ~30 ms of a 200 ms sleep",
	       ts_sec(&rem) * 1e3);
}

/* ---- timers ---- */

static void t_timerfd(void)
{
	struct itimerspec its = { { 0, 20000000 }, { 0, 20000000 } }, cur;
	uint64_t n = 0;
	struct pollfd pfd;
	double t0;
	int fd = SYS(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));

	t0 = gt_now();
	SYS(timerfd_settime(fd, 0, &its, NULL));
	SYS(timerfd_gettime(fd, &cur));
	CHECKF(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	       cur.it_value.tv_nsec <= 20000000 &&
	       cur.it_interval.tv_nsec == 20000000,
	       "timerfd_gettime: value %ld ns interval %ld ns",
	       cur.it_value.tv_nsec, cur.it_interval.tv_nsec);
	CHECK(read(fd, &n, 8) == 8);
	CHECKF(n >= 1 && gt_now() - t0 >= 0.019,
	       "first expiry: %lu after %.1f ms", (unsigned long)n,
	       (gt_now() - t0) * 1e3);
	gt_sleep_ms(100);
	CHECK(read(fd, &n, 8) == 8);
	CHECKF(n >= 3 && n <= 8, "%lu expirations of a 20 ms timer in "
	       "~100 ms", (unsigned long)n);
	close(fd);

	/* One-shot, absolute, non-blocking, polled. */
	fd = SYS(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
	clock_gettime(CLOCK_MONOTONIC, &its.it_value);
	its.it_value.tv_nsec += 30000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	its.it_interval.tv_nsec = 0;
	t0 = gt_now();
	SYS(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	errno = 0;
	CHECKF(read(fd, &n, 8) == -1 && errno == EAGAIN,
	       "unexpired non-blocking timerfd: %s", strerror(errno));
	pfd.fd = fd;
	pfd.events = POLLIN;
	CHECKF(poll(&pfd, 1, 2000) == 1 && (pfd.revents & POLLIN),
	       "poll on a timerfd never became readable");
	CHECKF(gt_now() - t0 >= 0.025, "30 ms absolute timerfd fired after "
	       "%.1f ms", (gt_now() - t0) * 1e3);
	CHECK(read(fd, &n, 8) == 8 && n == 1);
	close(fd);
}

static void t_posix_timer(void)
{
	struct sigevent sev;
	struct itimerspec its = { { 0, 0 }, { 0, 30000000 } };
	timer_t tid;
	sigset_t set;
	siginfo_t si;
	double t0;
	int sig = SIGRTMIN + 2;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	sev.sigev_value.sival_int = 4242;
	SYS(timer_create(CLOCK_MONOTONIC, &sev, &tid));
	t0 = gt_now();
	SYS(timer_settime(tid, 0, &its, NULL));
	CHECKF(sigwaitinfo(&set, &si) == sig, "sigwaitinfo: %s",
	       strerror(errno));
	CHECKF(gt_now() - t0 >= 0.025 && gt_now() - t0 < 0.5,
	       "30 ms POSIX timer fired after %.1f ms", (gt_now() - t0) * 1e3);
	CHECKF(si.si_code == SI_TIMER && si.si_value.sival_int == 4242,
	       "timer signal: si_code %d value %d", si.si_code,
	       si.si_value.sival_int);
	CHECKF(timer_getoverrun(tid) == 0, "overrun %d",
	       timer_getoverrun(tid));
	SYS(timer_delete(tid));
}

/* A child spinning in user mode must be stopped by a timer signal. */
static void spin_child_check(int use_rlimit)
{
	double t0 = gt_now(), took;
	int status, w;
	pid_t pid = SYS(fork());

	if (pid == 0) {
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_CORE, &rl);
		if (use_rlimit) {
			rl.rlim_cur = 1;
			rl.rlim_max = 3;
			setrlimit(RLIMIT_CPU, &rl);
		} else {
			alarm(1);
		}
		for (volatile unsigned long i = 0;; i++)
			;
	}
	w = gt_wait_timeout(pid, &status, 4);
	took = gt_now() - t0;
	CHECKF(w == 0, "the spinning child was still running after 4 s "
	       "(%s never preempted it)", use_rlimit ? "RLIMIT_CPU" : "alarm");
	CHECKF(WIFSIGNALED(status) &&
	       WTERMSIG(status) == (use_rlimit ? SIGXCPU : SIGALRM),
	       "spinning child: %s", gt_status_str(status));
	CHECKF(took >= 0.9 && took < 2.5, "a 1 s %s ended the child after "
	       "%.2f s", use_rlimit ? "CPU limit" : "alarm", took);
}

static void t_alarm_kills_spinner(void)
{
	spin_child_check(0);
}

static void t_rlimit_cpu_kills_spinner(void)
{
	spin_child_check(1);
}

static void t_proc_uptime(void)
{
	char buf[128];
	double up, boot = clock_sec(CLOCK_BOOTTIME);

	if (gt_read_file("/proc/uptime", buf, sizeof(buf)) <= 0)
		SKIP("/proc/uptime: %s", strerror(errno));
	up = atof(buf);
	CHECKF(fabs_diff(up, boot) < 1.5, "/proc/uptime %.2f vs "
	       "CLOCK_BOOTTIME %.2f", up, boot);
}

static const struct gt_case cases[] = {
	GT_CASE(clocks),
	GT_CASE(monotonic_across_cpus),
	GT_CASE(cpu_clocks),
	GT_CASE(gettimeofday_time),
	GT_CASE(vdso),
	GT_CASE(vdso_no_syscall),
	GT_CASE(getcpu),
	GT_CASE(sleep_accuracy),
	GT_CASE(sleep_eintr),
	GT_CASE(timerfd),
	GT_CASE(posix_timer),
	GT_CASE(alarm_kills_spinner),
	GT_CASE(rlimit_cpu_kills_spinner),
	GT_CASE(proc_uptime),
};

int main(int argc, char **argv, char **envp)
{
	return gt_main("time", cases, GT_COUNT(cases), argc, argv, envp);
}

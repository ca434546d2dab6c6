// SPDX-License-Identifier: GPL-2.0
/*
 * Signals: siginfo for kill/sigqueue/tgkill/SIGCHLD, real-time queueing
 * and order, sigaltstack (also for a stack overflow), SA_RESTART vs EINTR,
 * ucontext contents (RIP, RSP, CR2, modifying the context), signals
 * interrupting a thread or a process stuck in a tight loop, synchronous
 * faults (SIGSEGV with si_addr in a child, SIGFPE, SIGILL, SIGTRAP, #GP
 * of a privileged instruction),
 * masks, pending sets, sigsuspend, sigtimedwait, signalfd, sigaction
 * flags, and all general registers and flags surviving signal delivery.
 */
#include "guest_test.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <ucontext.h>

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *),
			int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void block(int sig, int how)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

/* ---- siginfo ---- */

/* volatile: kill() and friends are leaf functions to the compiler. */
static volatile siginfo_t last_info;
static volatile sig_atomic_t hits;

static void record(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	last_info = *si;
	hits++;
}

static void t_siginfo_sources(void)
{
	set_handler(SIGUSR1, record, 0);
	hits = 0;
	SYS(kill(getpid(), SIGUSR1));
	CHECKF(hits == 1, "kill() to self: handler ran %d times before kill "
	       "returned", (int)hits);
	CHECKF(last_info.si_signo == SIGUSR1 && last_info.si_code == SI_USER,
	       "kill: si_signo %d si_code %d", last_info.si_signo,
	       last_info.si_code);
	CHECKF(last_info.si_pid == getpid() && last_info.si_uid == getuid(),
	       "kill: si_pid %d si_uid %d", last_info.si_pid,
	       last_info.si_uid);

	SYS(sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 1234 }));
	CHECKF(hits == 2 && last_info.si_code == SI_QUEUE &&
	       last_info.si_value.sival_int == 1234 &&
	       last_info.si_pid == getpid(),
	       "sigqueue: hits %d si_code %d value %d", (int)hits,
	       last_info.si_code, last_info.si_value.sival_int);

	SYS(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1));
	CHECKF(hits == 3 && last_info.si_code == SI_TKILL &&
	       last_info.si_pid == getpid(),
	       "tgkill: hits %d si_code %d", (int)hits, last_info.si_code);

	/* SIGCHLD from a child's exit. */
	set_handler(SIGCHLD, record, 0);
	block(SIGCHLD, SIG_BLOCK);
	{
		pid_t pid = SYS(fork());
		siginfo_t si;

		if (pid == 0)
			_exit(9);
		memset(&si, 0, sizeof(si));
		SYS(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
		block(SIGCHLD, SIG_UNBLOCK);
		CHECKF(hits == 4, "no SIGCHLD after the child exited");
		CHECKF(last_info.si_signo == SIGCHLD &&
		       last_info.si_code == CLD_EXITED &&
		       last_info.si_status == 9 && last_info.si_pid == pid,
		       "SIGCHLD: code %d status %d pid %d", last_info.si_code,
		       last_info.si_status, last_info.si_pid);
		waitpid(pid, NULL, 0);
	}
}

/* ---- queueing and order ---- */

static volatile int order_log[32], order_val[32];
static volatile int order_n;

static void log_order(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (order_n < 32) {
		order_log[order_n] = sig;
		order_val[order_n] = si->si_value.sival_int;
		order_n++;
	}
}

static void t_rt_queue_order(void)
{
	const int rt1 = SIGRTMIN + 1, rt3 = SIGRTMIN + 3;
	sigset_t s, pend;
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int n_rt1 = 0, n_rt3 = 0, n_usr2 = 0, next = 0;

	set_handler(rt1, log_order, 0);
	set_handler(rt3, log_order, 0);
	set_handler(SIGUSR2, log_order, 0);
	sigemptyset(&s);
	sigaddset(&s, rt1);
	sigaddset(&s, rt3);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);

	/* Dequeued by sigtimedwait: lowest number first, RT ones FIFO. */
	for (int round = 0; round < 2; round++) {
		SYS(sigqueue(getpid(), rt3,
			     (union sigval){ .sival_int = 100 }));
		for (int i = 0; i < 10; i++)
			SYS(sigqueue(getpid(), rt1,
				     (union sigval){ .sival_int = i }));
		for (int i = 0; i < 3; i++)
			SYS(kill(getpid(), SIGUSR2));
		SYS(sigpending(&pend));
		CHECKF(sigismember(&pend, rt1) && sigismember(&pend, rt3) &&
		       sigismember(&pend, SIGUSR2),
		       "sigpending lacks a queued signal");
		if (round == 1)
			break;
		CHECKF(sigtimedwait(&s, &si, &zero) == SIGUSR2,
		       "first dequeued is not SIGUSR2 (lowest number)");
		for (int i = 0; i < 10; i++) {
			int r = sigtimedwait(&s, &si, &zero);

			CHECKF(r == rt1 && si.si_value.sival_int == i,
			       "dequeue %d: signal %d value %d, expected "
			       "SIGRTMIN+1 value %d", i + 1, r,
			       si.si_value.sival_int, i);
		}
		CHECKF(sigtimedwait(&s, &si, &zero) == rt3 &&
		       si.si_value.sival_int == 100,
		       "last dequeued is not SIGRTMIN+3");
		errno = 0;
		CHECKF(sigtimedwait(&s, &si, &zero) == -1 && errno == EAGAIN,
		       "SIGUSR2 was queued more than once, or more RT "
		       "signals were queued than sent");
	}

	/* Delivered to handlers on unblocking: all of them, RT in order. */
	CHECKF(order_n == 0, "a blocked signal was delivered");
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	CHECKF(order_n == 12, "%d deliveries, expected 12 (SIGUSR2 once, "
	       "10 x SIGRTMIN+1, SIGRTMIN+3 once)", order_n);
	for (int i = 0; i < 12; i++) {
		if (order_log[i] == rt1) {
			CHECKF(order_val[i] == next,
			       "SIGRTMIN+1 #%d carried value %d", next,
			       order_val[i]);
			next++;
			n_rt1++;
		}
		n_rt3 += order_log[i] == rt3;
		n_usr2 += order_log[i] == SIGUSR2;
	}
	CHECKF(n_rt1 == 10 && n_rt3 == 1 && n_usr2 == 1,
	       "delivered: %d x SIGRTMIN+1, %d x SIGRTMIN+3, %d x SIGUSR2",
	       n_rt1, n_rt3, n_usr2);
}

/* ---- sigaltstack ---- */

static char *alt_base;
static size_t alt_size;
static volatile int alt_ok, alt_flags;

static void on_alt(int sig, siginfo_t *si, void *uc)
{
	char local;
	stack_t cur;

	(void)sig;
	(void)si;
	(void)uc;
	alt_ok = &local >= alt_base && &local < alt_base + alt_size;
	sigaltstack(NULL, &cur);
	alt_flags = cur.ss_flags;
}

static void overflow_handler(int sig, siginfo_t *si, void *uc)
{
	char local;

	(void)sig;
	(void)si;
	(void)uc;
	_exit(&local >= alt_base && &local < alt_base + alt_size ? 42 : 43);
}

static volatile unsigned long overflow_limit = ~0UL;

static unsigned long overflow(unsigned long n)
{
	volatile char pad[4096];

	pad[0] = (char)n;
	if (n == overflow_limit)	/* never: the stack runs out first */
		return 0;
	return overflow(n + 1) + pad[0];
}

static void t_sigaltstack(void)
{
	stack_t ss, old;
	pid_t pid;

	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	CHECK(alt_base);
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	ss.ss_flags = 0;
	SYS(sigaltstack(&ss, NULL));
	set_handler(SIGUSR1, on_alt, SA_ONSTACK);
	raise(SIGUSR1);
	CHECKF(alt_ok, "SA_ONSTACK handler did not run on the alternate stack");
	CHECKF(alt_flags & SS_ONSTACK,
	       "sigaltstack() in the handler lacks SS_ONSTACK (0x%x)",
	       alt_flags);
	SYS(sigaltstack(NULL, &old));
	CHECKF(!(old.ss_flags & SS_ONSTACK) && old.ss_sp == alt_base,
	       "after the handler: flags 0x%x sp %p", old.ss_flags, old.ss_sp);
	/* Without SA_ONSTACK: the normal stack. */
	set_handler(SIGUSR1, on_alt, 0);
	raise(SIGUSR1);
	CHECKF(!alt_ok, "a handler without SA_ONSTACK ran on the alt stack");

	/* A stack overflow, caught on the alternate stack. */
	pid = SYS(fork());
	if (pid == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };

		setrlimit(RLIMIT_STACK, &rl);
		set_handler(SIGSEGV, overflow_handler, SA_ONSTACK);
		_exit((int)overflow(0) & 1);
	}
	WAIT_EXIT(pid, 42, "stack overflow child (43: handler not on the "
		  "alternate stack)");
}

/*
 * AT_MINSIGSTKSZ is what the kernel needs to deliver a signal: a stack
 * of that size plus what the handler itself uses must do, and the frame
 * must not spill below it.
 */
static void t_sigaltstack_minsigstksz(void)
{
	const size_t handler_use = 4096, guard = 4096;
	unsigned long minsig = getauxval(AT_MINSIGSTKSZ);
	unsigned char *mem;
	stack_t ss;
	size_t i;

	CHECKF(minsig >= 1024 && minsig <= 64 * 1024,
	       "AT_MINSIGSTKSZ %lu (missing, or not a frame size)", minsig);
	mem = malloc(guard + minsig + handler_use);
	CHECK(mem);
	memset(mem, 0xa5, guard);
	alt_base = (char *)mem + guard;
	alt_size = minsig + handler_use;
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	ss.ss_flags = 0;
	SYS(sigaltstack(&ss, NULL));
	set_handler(SIGUSR1, on_alt, SA_ONSTACK);
	alt_ok = 0;
	raise(SIGUSR1);
	CHECKF(alt_ok, "handler not on a stack of AT_MINSIGSTKSZ (%lu) + %zu",
	       minsig, handler_use);
	for (i = 0; i < guard; i++)
		if (mem[i] != 0xa5)
			break;
	CHECKF(i == guard, "the signal frame wrote %zu bytes below a stack of AT_MINSIGSTKSZ + %zu",
	       guard - i, handler_use);
	ss.ss_flags = SS_DISABLE;
	SYS(sigaltstack(&ss, NULL));
	free(mem);
}

/* ---- SA_RESTART ---- */

static void count_alarm(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	hits++;
}

static void set_timer(long first_us, long interval_us)
{
	struct itimerval it = {
		{ interval_us / 1000000, interval_us % 1000000 },
		{ first_us / 1000000, first_us % 1000000 },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

static void t_sa_restart(void)
{
	int p[2];
	char c;
	ssize_t n;
	double t0;
	pid_t pid;
	struct pollfd pfd;

	SYS(pipe(p));
	/* Without SA_RESTART: EINTR. */
	set_handler(SIGALRM, count_alarm, 0);
	hits = 0;
	t0 = gt_now();
	set_timer(30000, 0);
	errno = 0;
	n = read(p[0], &c, 1);
	CHECKF(n == -1 && errno == EINTR,
	       "read interrupted without SA_RESTART: %zd %s, expected EINTR",
	       n, strerror(errno));
	CHECKF(hits == 1, "%d SIGALRMs", (int)hits);
	CHECKF(gt_now() - t0 >= 0.025, "interrupted after %.1f ms, timer 30",
	       (gt_now() - t0) * 1e3);

	/* With SA_RESTART: restarted until data arrives 150 ms later. */
	set_handler(SIGALRM, count_alarm, SA_RESTART);
	hits = 0;
	pid = SYS(fork());
	if (pid == 0) {
		gt_sleep_ms(150);
		_exit(write(p[1], "d", 1) == 1 ? 0 : 1);
	}
	set_timer(20000, 20000);
	errno = 0;
	n = read(p[0], &c, 1);
	set_timer(0, 0);
	CHECKF(n == 1 && c == 'd', "read with SA_RESTART: %zd %s", n,
	       n < 0 ? strerror(errno) : "");
	CHECKF(hits >= 2, "only %d SIGALRMs during a 150 ms read (20 ms timer)",
	       (int)hits);
	WAIT_EXIT(pid, 0, "writer");

	/* poll() is never restarted after a handler (signal(7)). */
	hits = 0;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	set_timer(20000, 0);
	errno = 0;
	n = poll(&pfd, 1, 2000);
	CHECKF(n == -1 && errno == EINTR,
	       "poll with an SA_RESTART handler: %zd %s, expected EINTR", n,
	       strerror(errno));
}

/* ---- ucontext ---- */

static volatile unsigned long uc_fault_rip, uc_after_rip, uc_rsp;
static volatile unsigned long uc_seen_rip, uc_seen_rsp, uc_seen_rax;
static volatile unsigned long uc_seen_cr2, uc_seen_trapno, uc_seen_err;
static volatile int uc_fpregs;
static void *uc_addr;

static void uc_segv(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	(void)si;
	uc_seen_rip = g[REG_RIP];
	uc_seen_rsp = g[REG_RSP];
	uc_seen_rax = g[REG_RAX];
	uc_seen_cr2 = g[REG_CR2];
	uc_seen_trapno = g[REG_TRAPNO];
	uc_seen_err = g[REG_ERR];
	uc_fpregs = uc->uc_mcontext.fpregs != NULL;
	/* Resume after the faulting instruction, with a changed rbx. */
	g[REG_RIP] = uc_after_rip;
	g[REG_RBX] = 0x1234abcd;
}

static volatile unsigned long kill_rip, kill_rsp;

static void uc_kill(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;

	(void)sig;
	(void)si;
	kill_rip = uc->uc_mcontext.gregs[REG_RIP];
	kill_rsp = uc->uc_mcontext.gregs[REG_RSP];
}

static void t_ucontext(void)
{
	char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	unsigned long rbx_after, here;
	const unsigned char *ip;

	CHECKF(page != MAP_FAILED, "mmap: %s", strerror(errno));
	uc_addr = page + 0x40;
	set_handler(SIGSEGV, uc_segv, 0);
	__asm__ volatile(
		"lea 1f(%%rip), %%rax\n\t"
		"mov %%rax, %[rf]\n\t"
		"lea 2f(%%rip), %%rax\n\t"
		"mov %%rax, %[ra]\n\t"
		"mov %%rsp, %[rs]\n\t"
		"movabs $0x1122334455667788, %%rax\n\t"
		"xor %%ebx, %%ebx\n"
		"1:\tmovb $1, (%[bad])\n"
		"2:\tmov %%rbx, %[rb]\n\t"
		: [rf] "=m"(uc_fault_rip), [ra] "=m"(uc_after_rip),
		  [rs] "=m"(uc_rsp), [rb] "=r"(rbx_after)
		: [bad] "r"(uc_addr)
		: "rax", "rbx", "memory");
	signal(SIGSEGV, SIG_DFL);
	CHECKF(uc_seen_rip == uc_fault_rip,
	       "uc RIP 0x%lx, the faulting instruction is at 0x%lx",
	       uc_seen_rip, uc_fault_rip);
	CHECKF(uc_seen_rsp == uc_rsp, "uc RSP 0x%lx, was 0x%lx", uc_seen_rsp,
	       uc_rsp);
	CHECKF(uc_seen_rax == 0x1122334455667788UL, "uc RAX 0x%lx",
	       uc_seen_rax);
	CHECKF(uc_seen_cr2 == (unsigned long)uc_addr, "uc CR2 0x%lx, fault "
	       "at %p", uc_seen_cr2, uc_addr);
	CHECKF(uc_seen_trapno == 14, "uc TRAPNO %lu, expected 14 (#PF)",
	       uc_seen_trapno);
	CHECKF((uc_seen_err & 6) == 6, "uc ERR 0x%lx lacks write|user",
	       uc_seen_err);
	CHECKF(rbx_after == 0x1234abcd,
	       "rbx 0x%lx after the handler set it to 0x1234abcd in the "
	       "context", rbx_after);

	/* A signal arriving at a syscall's return. */
	set_handler(SIGUSR1, uc_kill, 0);
	__asm__ volatile("mov %%rsp, %0" : "=r"(here));
	kill(getpid(), SIGUSR1);
	ip = (const unsigned char *)kill_rip;
	CHECKF(ip && ip[-2] == 0x0f && ip[-1] == 0x05,
	       "uc RIP %p for a kill() to self is not just after a syscall "
	       "instruction", (void *)ip);
	CHECKF(kill_rsp < here && kill_rsp > here - 65536,
	       "uc RSP 0x%lx not just below the caller's 0x%lx", kill_rsp,
	       here);
	CHECKF(uc_fpregs, "uc_mcontext.fpregs is NULL (no FPU state in the "
	       "signal frame)");
	munmap(page, 4096);
}

/* ---- interrupting tight loops ---- */

static atomic_int spin_stop, spin_handler_tid;
static atomic_long spin_count;

static void stop_spin(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	atomic_store(&spin_handler_tid, (int)syscall(SYS_gettid));
	atomic_store(&spin_stop, 1);
}

static void *spinner(void *p)
{
	(void)p;
	while (!atomic_load_explicit(&spin_stop, memory_order_relaxed))
		atomic_fetch_add_explicit(&spin_count, 1,
					  memory_order_relaxed);
	return (void *)syscall(SYS_gettid);
}

static void t_signal_spinning_thread(void)
{
	pthread_t th;
	struct timespec ts;
	void *tid;
	double end;
	int r;

	set_handler(SIGUSR1, stop_spin, 0);
	PT(pthread_create(&th, NULL, spinner, NULL));
	end = gt_now() + 5;
	while (atomic_load(&spin_count) < 1000 && gt_now() < end)
		sched_yield();
	CHECKF(atomic_load(&spin_count) >= 1000,
	       "the spinning thread never ran");
	gt_sleep_ms(20);
	PT(pthread_kill(th, SIGUSR1));
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	r = pthread_timedjoin_np(th, &tid, &ts);
	if (r == ETIMEDOUT) {
		atomic_store(&spin_stop, 1);
		pthread_join(th, NULL);
		FAIL("pthread_kill did not interrupt a spinning thread in 5 s");
	}
	PT(r);
	CHECKF(atomic_load(&spin_handler_tid) == (long)tid,
	       "the handler ran in tid %d, the spinner is %ld",
	       atomic_load(&spin_handler_tid), (long)tid);
}

static volatile sig_atomic_t timer_fired;

static void timer_flag(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	timer_fired = sig;
}

static unsigned long rdtsc(void)
{
	unsigned lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long)hi << 32) | lo;
}

static unsigned long tsc_per_5s;

/*
 * Spin without a single system call (gt_now() may be one, without a
 * vDSO) until the flag is set or about 5 s of TSC pass; returns the
 * seconds it took.
 */
static double spin_until_flag(void)
{
	double t0 = gt_now();
	unsigned long start = rdtsc();

	while (!timer_fired && rdtsc() - start < tsc_per_5s)
		;
	return gt_now() - t0;
}

static void t_timer_spinning_process(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	unsigned long c0 = rdtsc();
	double took, w0 = gt_now();

	gt_sleep_ms(50);
	tsc_per_5s = (unsigned long)((rdtsc() - c0) / (gt_now() - w0) * 5);
	set_handler(SIGALRM, timer_flag, 0);
	timer_fired = 0;
	set_timer(100000, 0);
	took = spin_until_flag();
	CHECKF(timer_fired == SIGALRM,
	       "ITIMER_REAL 100 ms never interrupted a spinning loop (5 s)");
	CHECKF(took >= 0.09 && took < 1, "ITIMER_REAL 100 ms fired after "
	       "%.1f ms", took * 1e3);

	/* CPU-time timers: only user-mode spinning makes them expire. */
	set_handler(SIGVTALRM, timer_flag, 0);
	set_handler(SIGPROF, timer_flag, 0);
	timer_fired = 0;
	it.it_value.tv_usec = 50000;
	SYS(setitimer(ITIMER_VIRTUAL, &it, NULL));
	took = spin_until_flag();
	CHECKF(timer_fired == SIGVTALRM,
	       "ITIMER_VIRTUAL 50 ms did not fire in 5 s of spinning");
	CHECKF(took >= 0.045 && took < 1, "ITIMER_VIRTUAL 50 ms fired after "
	       "%.1f ms", took * 1e3);
	timer_fired = 0;
	SYS(setitimer(ITIMER_PROF, &it, NULL));
	took = spin_until_flag();
	CHECKF(timer_fired == SIGPROF,
	       "ITIMER_PROF 50 ms did not fire in 5 s of spinning");
	CHECKF(took >= 0.045 && took < 1, "ITIMER_PROF 50 ms fired after "
	       "%.1f ms", took * 1e3);
}

/* ---- synchronous faults ---- */

static volatile char *segv_target;
static volatile uintptr_t null_page_addr = 16;

static void segv_report(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	_exit(si->si_addr == (void *)segv_target &&
	      si->si_code == SEGV_MAPERR && si->si_signo == SIGSEGV ? 42 : 43);
}

static void t_segv_child(void)
{
	int status;
	pid_t pid;

	/* A handler reports si_addr through its exit status. */
	pid = SYS(fork());
	if (pid == 0) {
		char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		munmap(p + 4096, 4096);
		segv_target = p + 4096 + 0x123;
		set_handler(SIGSEGV, segv_report, 0);
		*segv_target = 1;
		_exit(44);
	}
	WAIT_EXIT(pid, 42, "faulting child with a handler (43: wrong "
		  "si_addr/si_code, 44: no fault)");
	/* Without a handler: killed by SIGSEGV. */
	pid = SYS(fork());
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_CORE, &rl);
		*(volatile char *)null_page_addr = 1;
		_exit(44);
	}
	CHECK(gt_wait_timeout(pid, &status, 5) == 0);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	       "faulting child without a handler: %s", gt_status_str(status));
}

static sigjmp_buf trap_jmp;
static volatile siginfo_t trap_info;
static volatile unsigned long trap_rip, trap_label;

static void trap_catch(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;

	trap_info = *si;
	trap_rip = uc->uc_mcontext.gregs[REG_RIP];
	if (sig != SIGTRAP)
		siglongjmp(trap_jmp, sig);
}

static void catch_traps(void)
{
	set_handler(SIGFPE, trap_catch, SA_NODEFER);
	set_handler(SIGILL, trap_catch, SA_NODEFER);
	set_handler(SIGSEGV, trap_catch, SA_NODEFER);
	set_handler(SIGTRAP, trap_catch, SA_NODEFER);
}

static void t_sigfpe_divide(void)
{
	int sig;

	catch_traps();
	sig = sigsetjmp(trap_jmp, 1);
	if (!sig)
		__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
				 "mov %%rax, %0\n\t"
				 "xor %%edx, %%edx\n\t"
				 "xor %%ecx, %%ecx\n\t"
				 "mov $1, %%eax\n"
				 "1:\tdiv %%ecx\n\t"
				 : "=m"(trap_label) : : "rax", "rcx", "rdx",
				   "memory");
	CHECKF(sig == SIGFPE && trap_info.si_code == FPE_INTDIV &&
	       trap_info.si_addr == (void *)trap_label &&
	       trap_rip == trap_label,
	       "divide by zero: SIG%s si_code %d si_addr %p rip 0x%lx (div "
	       "at 0x%lx; expected SIGFPE FPE_INTDIV %d)",
	       sig ? sigabbrev_np(sig) : "NONE", trap_info.si_code,
	       trap_info.si_addr, trap_rip, trap_label, FPE_INTDIV);
}

static void t_sigill_ud2(void)
{
	int sig;

	catch_traps();
	sig = sigsetjmp(trap_jmp, 1);
	if (!sig)
		__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
				 "mov %%rax, %0\n"
				 "1:\tud2\n\t"
				 : "=m"(trap_label) : : "rax", "memory");
	CHECKF(sig == SIGILL && trap_info.si_code == ILL_ILLOPN &&
	       trap_info.si_addr == (void *)trap_label &&
	       trap_rip == trap_label,
	       "ud2: SIG%s si_code %d si_addr %p rip 0x%lx (ud2 at 0x%lx; "
	       "expected SIGILL ILL_ILLOPN %d)",
	       sig ? sigabbrev_np(sig) : "NONE", trap_info.si_code,
	       trap_info.si_addr, trap_rip, trap_label, ILL_ILLOPN);
}

static void t_sigsegv_privileged(void)
{
	int sig;

	catch_traps();
	sig = sigsetjmp(trap_jmp, 1);
	if (!sig)
		__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
				 "mov %%rax, %0\n"
				 "1:\thlt\n\t"
				 : "=m"(trap_label) : : "rax", "memory");
	CHECKF(sig == SIGSEGV && trap_info.si_code == SI_KERNEL &&
	       trap_rip == trap_label,
	       "hlt (a #GP in user mode): SIG%s si_code %d rip 0x%lx (hlt at "
	       "0x%lx; expected SIGSEGV si_code SI_KERNEL %d)",
	       sig ? sigabbrev_np(sig) : "NONE", trap_info.si_code, trap_rip,
	       trap_label, SI_KERNEL);
}

static void t_sigtrap_int3(void)
{
	/* int3 is a trap: the handler returns to after the instruction. */
	catch_traps();
	trap_info.si_signo = 0;
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, %0\n\t"
			 "int3\n"
			 "1:\n\t"
			 : "=m"(trap_label) : : "rax", "memory");
	CHECKF(trap_info.si_signo == SIGTRAP && trap_rip == trap_label,
	       "int3: signal %d rip 0x%lx (after the int3: 0x%lx)",
	       trap_info.si_signo, trap_rip, trap_label);
	CHECKF(trap_info.si_code == SI_KERNEL, "int3: si_code %d, expected "
	       "SI_KERNEL %d", trap_info.si_code, SI_KERNEL);
}

/* ---- masks and waiting ---- */

static void t_mask_pending(void)
{
	sigset_t s, pend, old;
	siginfo_t si;
	struct timespec ts = { 0, 20000000 };
	struct signalfd_siginfo fdsi;
	struct sigaction sa;
	double t0;
	int fd, r;
	pid_t pid;

	set_handler(SIGUSR1, record, 0);
	hits = 0;
	block(SIGUSR1, SIG_BLOCK);
	raise(SIGUSR1);
	CHECKF(hits == 0, "a blocked signal was delivered");
	SYS(sigpending(&pend));
	CHECKF(sigismember(&pend, SIGUSR1), "blocked signal not pending");
	block(SIGUSR1, SIG_UNBLOCK);
	CHECKF(hits == 1, "unblocking a pending signal did not deliver it "
	       "before sigprocmask returned");
	SYS(sigpending(&pend));
	CHECKF(!sigismember(&pend, SIGUSR1), "delivered signal still pending");

	/* SIGKILL and SIGSTOP cannot be blocked or caught. */
	sigfillset(&s);
	SYS(sigprocmask(SIG_BLOCK, &s, &old));
	SYS(sigprocmask(SIG_BLOCK, NULL, &s));
	CHECKF(!sigismember(&s, SIGKILL) && !sigismember(&s, SIGSTOP),
	       "SIGKILL or SIGSTOP in the blocked mask");
	SYS(sigprocmask(SIG_SETMASK, &old, NULL));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	errno = 0;
	CHECKF(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL,
	       "sigaction(SIGKILL): %s", strerror(errno));

	/* sigsuspend, woken by another process. */
	block(SIGUSR1, SIG_BLOCK);
	hits = 0;
	pid = SYS(fork());
	if (pid == 0) {
		gt_sleep_ms(20);
		_exit(kill(getppid(), SIGUSR1) ? 1 : 0);
	}
	sigemptyset(&s);
	errno = 0;
	r = sigsuspend(&s);
	CHECKF(r == -1 && errno == EINTR && hits == 1,
	       "sigsuspend: %d %s, %d deliveries", r, strerror(errno),
	       (int)hits);
	WAIT_EXIT(pid, 0, "signalling child");

	/* sigtimedwait: timeout, then a pending signal. */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	t0 = gt_now();
	errno = 0;
	r = sigtimedwait(&s, &si, &ts);
	CHECKF(r == -1 && errno == EAGAIN, "sigtimedwait with nothing "
	       "pending: %d %s", r, strerror(errno));
	CHECKF(gt_now() - t0 >= 0.015, "sigtimedwait 20 ms returned after "
	       "%.1f ms", (gt_now() - t0) * 1e3);
	SYS(sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 77 }));
	r = sigtimedwait(&s, &si, &ts);
	CHECKF(r == SIGUSR1 && si.si_code == SI_QUEUE &&
	       si.si_value.sival_int == 77, "sigtimedwait: %d code %d val %d",
	       r, si.si_code, si.si_value.sival_int);
	CHECKF(hits == 1, "the handler ran for a sigtimedwait'ed signal");

	/* signalfd. */
	fd = SYS(signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK));
	errno = 0;
	CHECKF(read(fd, &fdsi, sizeof(fdsi)) == -1 && errno == EAGAIN,
	       "empty signalfd: %s", strerror(errno));
	SYS(kill(getpid(), SIGUSR1));
	CHECKF(read(fd, &fdsi, sizeof(fdsi)) == sizeof(fdsi),
	       "signalfd read: %s", strerror(errno));
	CHECKF(fdsi.ssi_signo == SIGUSR1 && fdsi.ssi_code == SI_USER &&
	       fdsi.ssi_pid == (uint32_t)getpid(),
	       "signalfd: signo %u code %d pid %u", fdsi.ssi_signo,
	       fdsi.ssi_code, fdsi.ssi_pid);
	close(fd);
	block(SIGUSR1, SIG_UNBLOCK);
}

static volatile int nest_depth, nest_max, nest_calls;

/* Raises its signal again from its first run only. */
static void nesting(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	nest_depth++;
	if (nest_depth > nest_max)
		nest_max = nest_depth;
	if (nest_calls++ == 0)
		raise(sig);
	nest_depth--;
}

static void t_sigaction_flags(void)
{
	struct sigaction sa;
	pid_t pid;

	/* SA_RESETHAND: once, then SIG_DFL. */
	set_handler(SIGURG, record, SA_RESETHAND);
	hits = 0;
	raise(SIGURG);
	raise(SIGURG);	/* default: ignored */
	CHECKF(hits == 1, "SA_RESETHAND handler ran %d times", (int)hits);
	sigaction(SIGURG, NULL, &sa);
	CHECKF(sa.sa_handler == SIG_DFL, "SA_RESETHAND left the handler");

	/* Without SA_NODEFER the signal waits; with it, it nests. */
	nest_max = nest_calls = 0;
	set_handler(SIGUSR2, nesting, 0);
	raise(SIGUSR2);
	CHECKF(nest_max == 1 && nest_calls == 2,
	       "without SA_NODEFER: depth %d, %d runs (expected 1, 2)",
	       nest_max, nest_calls);
	nest_max = nest_calls = 0;
	set_handler(SIGUSR2, nesting, SA_NODEFER);
	raise(SIGUSR2);
	CHECKF(nest_max == 2 && nest_calls == 2,
	       "with SA_NODEFER: depth %d, %d runs (expected 2, 2)", nest_max,
	       nest_calls);

	/* SIGCHLD ignored: children are reaped by the kernel. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGCHLD, &sa, NULL);
	pid = SYS(fork());
	if (pid == 0)
		_exit(0);
	errno = 0;
	CHECKF(waitpid(pid, NULL, 0) == -1 && errno == ECHILD,
	       "with SIGCHLD ignored, waitpid: %s, expected ECHILD",
	       strerror(errno));
	signal(SIGCHLD, SIG_DFL);

	/* kill(pid, 0) probes for existence. */
	CHECK(kill(getpid(), 0) == 0);
	errno = 0;
	CHECKF(kill(pid, 0) == -1 && errno == ESRCH,
	       "kill(reaped pid, 0): %s", strerror(errno));
}

/* ---- all registers survive signal delivery ---- */

static volatile long regs_hits;

static void clobber_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	regs_hits++;
	/* Leave every caller-saved register garbage. */
	__asm__ volatile("mov $-1, %%rax\n\tmov $-1, %%rcx\n\t"
			 "mov $-1, %%rdx\n\tmov $-1, %%rsi\n\t"
			 "mov $-1, %%rdi\n\tmov $-1, %%r8\n\t"
			 "mov $-1, %%r9\n\tmov $-1, %%r10\n\t"
			 "mov $-1, %%r11\n\t"
			 : : : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
			   "r10", "r11");
}

static unsigned long regs_out[14];

static void t_sigreturn_registers(void)
{
	static const unsigned long want[13] = {
		0x1111111111111111UL, 0x2222222222222222UL,
		0x3333333333333333UL, 0x4444444444444444UL,
		0x5555555555555555UL, 0x6666666666666666UL,
		0x7777777777777777UL, 0x8888888888888888UL,
		0x9999999999999999UL, 0xaaaaaaaaaaaaaaaaUL,
		0xbbbbbbbbbbbbbbbbUL, 0xccccccccccccccccUL,
		0xddddddddddddddddUL,
	};
	static const char *const names[13] = {
		"rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
		"r12", "r13", "r14", "r15",
	};
	double end = gt_now() + 3;
	int chunks = 0;

	set_handler(SIGALRM, clobber_handler, 0);
	regs_hits = 0;
	set_timer(1000, 1000);
	while (regs_hits < 100 && gt_now() < end) {
		chunks++;
		__asm__ volatile(
			"movabs $0x1111111111111111, %%rbx\n\t"
			"movabs $0x2222222222222222, %%rcx\n\t"
			"movabs $0x3333333333333333, %%rdx\n\t"
			"movabs $0x4444444444444444, %%rsi\n\t"
			"movabs $0x5555555555555555, %%rdi\n\t"
			"movabs $0x6666666666666666, %%r8\n\t"
			"movabs $0x7777777777777777, %%r9\n\t"
			"movabs $0x8888888888888888, %%r10\n\t"
			"movabs $0x9999999999999999, %%r11\n\t"
			"movabs $0xaaaaaaaaaaaaaaaa, %%r12\n\t"
			"movabs $0xbbbbbbbbbbbbbbbb, %%r13\n\t"
			"movabs $0xcccccccccccccccc, %%r14\n\t"
			"movabs $0xdddddddddddddddd, %%r15\n\t"
			"mov $20000000, %%eax\n\t"
			"std\n"
			"1:\tdec %%rax\n\t"
			"jnz 1b\n\t"
			"sub $128, %%rsp\n\t"	/* step over the red zone */
			"pushfq\n\t"
			"popq %%rax\n\t"
			"add $128, %%rsp\n\t"
			"cld\n\t"
			"mov %%rbx, %[o0]\n\tmov %%rcx, %[o1]\n\t"
			"mov %%rdx, %[o2]\n\tmov %%rsi, %[o3]\n\t"
			"mov %%rdi, %[o4]\n\tmov %%r8, %[o5]\n\t"
			"mov %%r9, %[o6]\n\tmov %%r10, %[o7]\n\t"
			"mov %%r11, %[o8]\n\tmov %%r12, %[o9]\n\t"
			"mov %%r13, %[o10]\n\tmov %%r14, %[o11]\n\t"
			"mov %%r15, %[o12]\n\tmov %%rax, %[o13]\n\t"
			: [o0] "=m"(regs_out[0]), [o1] "=m"(regs_out[1]),
			  [o2] "=m"(regs_out[2]), [o3] "=m"(regs_out[3]),
			  [o4] "=m"(regs_out[4]), [o5] "=m"(regs_out[5]),
			  [o6] "=m"(regs_out[6]), [o7] "=m"(regs_out[7]),
			  [o8] "=m"(regs_out[8]), [o9] "=m"(regs_out[9]),
			  [o10] "=m"(regs_out[10]), [o11] "=m"(regs_out[11]),
			  [o12] "=m"(regs_out[12]), [o13] "=m"(regs_out[13])
			:
			: "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8",
			  "r9", "r10", "r11", "r12", "r13", "r14", "r15",
			  "cc", "memory");
		for (int i = 0; i < 13; i++)
			if (regs_out[i] != want[i]) {
				set_timer(0, 0);
				FAIL("%s = 0x%lx after signals, expected 0x%lx",
				     names[i], regs_out[i], want[i]);
			}
		if (!(regs_out[13] & 0x400)) {
			set_timer(0, 0);
			FAIL("the direction flag was lost across a signal");
		}
	}
	set_timer(0, 0);
	CHECKF(regs_hits >= 100, "only %ld timer signals in 3 s (%d loops)",
	       (long)regs_hits, chunks);
}

static const struct gt_case cases[] = {
	GT_CASE(siginfo_sources),
	GT_CASE(rt_queue_order),
	GT_CASE(sigaltstack),
	GT_CASE(sigaltstack_minsigstksz),
	GT_CASE(sa_restart),
	GT_CASE(ucontext),
	GT_CASE(signal_spinning_thread),
	GT_CASE(timer_spinning_process),
	GT_CASE(segv_child),
	GT_CASE(sigfpe_divide),
	GT_CASE(sigill_ud2),
	GT_CASE(sigsegv_privileged),
	GT_CASE(sigtrap_int3),
	GT_CASE(mask_pending),
	GT_CASE(sigaction_flags),
	GT_CASE(sigreturn_registers),
};

int main(int argc, char **argv, char **envp)
{
	return gt_main("signal", cases, GT_COUNT(cases), argc, argv, envp);
}

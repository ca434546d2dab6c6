// SPDX-License-Identifier: GPL-2.0
/*
 * Threads: contended pthread and raw-futex locks, futex ping-pong (private
 * and process-shared), futex timeouts and requeue, TLS and the fs/gs
 * bases, condition variables, robust mutexes (owner thread or process
 * dies), PI mutexes, rwlocks, barriers, thread creation at scale,
 * tgkill, exit from a thread, pthread_exit of the main thread.
 */
#include "guest_test.h"

#include <asm/prctl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>

static long futex(atomic_int *uaddr, int op, int val,
		  const struct timespec *ts, atomic_int *uaddr2, int val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

/* Start n threads running fn(arg_i) with a common barrier; join all. */
struct team {
	pthread_barrier_t start;
	void *(*fn)(void *);
	void *arg;
	int n;
};

struct member {
	struct team *team;
	int id;
	void *ret;
};

static void *member_main(void *p)
{
	struct member *m = p;

	pthread_barrier_wait(&m->team->start);
	return m->team->fn(m);
}

/* Returns 0 or an error number; each member's return value in ret. */
static int run_team(int n, void *(*fn)(void *), void *arg,
		    struct member *members)
{
	struct team team = { .fn = fn, .arg = arg, .n = n };
	pthread_t th[256];
	int err = 0, started = 0;

	if (n > 256)
		return EINVAL;
	pthread_barrier_init(&team.start, NULL, n);
	for (int i = 0; i < n; i++) {
		members[i].team = &team;
		members[i].id = i;
		members[i].ret = NULL;
		err = pthread_create(&th[i], NULL, member_main, &members[i]);
		if (err)
			break;
		started++;
	}
	if (err) {
		/* The barrier would never open: let nobody wait forever. */
		fprintf(stderr, "pthread_create #%d: %s\n", started,
			strerror(err));
		_exit(3);
	}
	for (int i = 0; i < n; i++)
		pthread_join(th[i], &members[i].ret);
	pthread_barrier_destroy(&team.start);
	return 0;
}

/* ---- contended locks ---- */

enum { NTHREADS = 64, NINCR = 10000 };

static pthread_mutex_t counter_mutex = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *mutex_incr(void *p)
{
	(void)p;
	for (int i = 0; i < NINCR; i++) {
		pthread_mutex_lock(&counter_mutex);
		long v = counter;

		if (i % 1000 == 0)
			sched_yield();	/* hold the lock across a switch */
		counter = v + 1;
		pthread_mutex_unlock(&counter_mutex);
	}
	return NULL;
}

static void t_mutex_counter(void)
{
	static struct member m[NTHREADS];

	counter = 0;
	PT(run_team(NTHREADS, mutex_incr, NULL, m));
	CHECKF(counter == (long)NTHREADS * NINCR,
	       "counter %ld after %d x %d locked increments", counter,
	       NTHREADS, NINCR);
}

/* Drepper's futex mutex: 0 free, 1 locked, 2 locked with waiters. */
static atomic_int flock_word;
static atomic_long futex_waits;

static void flock_lock(atomic_int *w)
{
	int c = 0;

	if (atomic_compare_exchange_strong(w, &c, 1))
		return;
	if (c != 2)
		c = atomic_exchange(w, 2);
	while (c != 0) {
		futex(w, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		atomic_fetch_add(&futex_waits, 1);
		c = atomic_exchange(w, 2);
	}
}

static void flock_unlock(atomic_int *w)
{
	if (atomic_fetch_sub(w, 1) != 1) {
		atomic_store(w, 0);
		futex(w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
}

static void *futex_incr(void *p)
{
	(void)p;
	for (int i = 0; i < NINCR; i++) {
		flock_lock(&flock_word);
		long v = counter;

		if (i % 1000 == 0)
			sched_yield();
		counter = v + 1;
		flock_unlock(&flock_word);
	}
	return NULL;
}

static void t_futex_lock_counter(void)
{
	static struct member m[NTHREADS];

	counter = 0;
	atomic_store(&flock_word, 0);
	PT(run_team(NTHREADS, futex_incr, NULL, m));
	CHECKF(counter == (long)NTHREADS * NINCR,
	       "counter %ld after %d x %d futex-locked increments", counter,
	       NTHREADS, NINCR);
	CHECKF(atomic_load(&futex_waits) > 0,
	       "no thread ever slept in FUTEX_WAIT: no contention seen");
}

/* ---- futex ping-pong ---- */

enum { ROUNDS = 10000 };

struct pingpong {
	atomic_int turn;	/* whose turn: 0 or 1 */
	atomic_int bad;
	long log[2];		/* rounds played by each side */
	int priv;
};

static void play(struct pingpong *pp, int me)
{
	int wait_op = pp->priv ? FUTEX_WAIT_PRIVATE : FUTEX_WAIT;
	int wake_op = pp->priv ? FUTEX_WAKE_PRIVATE : FUTEX_WAKE;

	for (int i = 0; i < ROUNDS; i++) {
		while (atomic_load(&pp->turn) != me)
			futex(&pp->turn, wait_op, !me, NULL, NULL, 0);
		/* The other side is parked or about to be: check. */
		if (pp->log[!me] != i + (me == 1 ? 1 : 0))
			atomic_store(&pp->bad, 1);
		pp->log[me]++;
		atomic_store(&pp->turn, !me);
		futex(&pp->turn, wake_op, 1, NULL, NULL, 0);
	}
}

static void *pong(void *p)
{
	play(p, 1);
	return NULL;
}

static void t_futex_pingpong(void)
{
	static struct pingpong pp;
	pthread_t th;

	memset(&pp, 0, sizeof(pp));
	pp.priv = 1;
	PT(pthread_create(&th, NULL, pong, &pp));
	play(&pp, 0);
	PT(pthread_join(th, NULL));
	CHECKF(!atomic_load(&pp.bad), "turns not strictly alternating");
	CHECKF(pp.log[0] == ROUNDS && pp.log[1] == ROUNDS,
	       "rounds %ld/%ld of %d", pp.log[0], pp.log[1], ROUNDS);
}

static void t_futex_pingpong_shared(void)
{
	struct pingpong *pp = mmap(NULL, sizeof(*pp), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	CHECKF(pp != MAP_FAILED, "mmap: %s", strerror(errno));
	pp->priv = 0;
	pid = SYS(fork());
	if (pid == 0) {
		play(pp, 1);
		_exit(0);
	}
	play(pp, 0);
	WAIT_EXIT(pid, 0, "ping-pong partner process");
	CHECKF(!atomic_load(&pp->bad), "turns not strictly alternating");
	CHECKF(pp->log[0] == ROUNDS && pp->log[1] == ROUNDS,
	       "rounds %ld/%ld of %d", pp->log[0], pp->log[1], ROUNDS);
}

static void t_futex_wait_errors(void)
{
	static atomic_int w;
	struct timespec ts = { 0, 20000000 }, abs;
	double t0;
	long r;

	atomic_store(&w, 5);
	errno = 0;
	r = futex(&w, FUTEX_WAIT_PRIVATE, 6, &ts, NULL, 0);
	CHECKF(r == -1 && errno == EAGAIN,
	       "FUTEX_WAIT on a changed value: %ld %s, expected EAGAIN", r,
	       strerror(errno));
	t0 = gt_now();
	errno = 0;
	r = futex(&w, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0);
	CHECKF(r == -1 && errno == ETIMEDOUT,
	       "FUTEX_WAIT 20 ms: %ld %s, expected ETIMEDOUT", r,
	       strerror(errno));
	CHECKF(gt_now() - t0 >= 0.019 && gt_now() - t0 < 1,
	       "20 ms FUTEX_WAIT took %.1f ms", (gt_now() - t0) * 1e3);
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 20000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	t0 = gt_now();
	errno = 0;
	r = futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 5, &abs, NULL,
		  FUTEX_BITSET_MATCH_ANY);
	CHECKF(r == -1 && errno == ETIMEDOUT,
	       "FUTEX_WAIT_BITSET absolute: %ld %s, expected ETIMEDOUT", r,
	       strerror(errno));
	CHECKF(gt_now() - t0 >= 0.015 && gt_now() - t0 < 1,
	       "FUTEX_WAIT_BITSET 20 ms absolute took %.1f ms",
	       (gt_now() - t0) * 1e3);
	r = futex(&w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	CHECKF(r == 0, "FUTEX_WAKE without waiters woke %ld", r);
}

static atomic_int rq_from, rq_to, rq_awake;

static void *rq_waiter(void *p)
{
	(void)p;
	while (atomic_load(&rq_from) == 0)
		futex(&rq_from, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	atomic_fetch_add(&rq_awake, 1);
	return NULL;
}

static void t_futex_requeue(void)
{
	enum { N = 4 };
	pthread_t th[N];
	long r, woken = 0, moved = 0;
	double end;

	for (int i = 0; i < N; i++)
		PT(pthread_create(&th[i], NULL, rq_waiter, NULL));
	/* Let them all block. Wake one, move the others to rq_to. */
	end = gt_now() + 5;
	do {
		gt_sleep_ms(20);
		/* wake 0, requeue up to N; repeat until all N are queued */
		r = futex(&rq_from, FUTEX_CMP_REQUEUE_PRIVATE, 0,
			  (void *)(long)N, &rq_to, 0);
		CHECKF(r >= 0, "FUTEX_CMP_REQUEUE: %s", strerror(errno));
		moved += r;
	} while (moved < N && gt_now() < end);
	CHECKF(moved == N, "requeued %ld of %d waiters", moved, N);
	CHECKF(atomic_load(&rq_awake) == 0, "a requeued waiter woke up");
	atomic_store(&rq_from, 1);
	/* Waking rq_from wakes nobody now; waking rq_to wakes them all. */
	r = futex(&rq_from, FUTEX_WAKE_PRIVATE, N, NULL, NULL, 0);
	CHECKF(r == 0, "FUTEX_WAKE on the old word woke %ld", r);
	r = futex(&rq_to, FUTEX_WAKE_PRIVATE, N, NULL, NULL, 0);
	woken = r;
	for (int i = 0; i < N; i++)
		PT(pthread_join(th[i], NULL));
	CHECKF(woken == N, "FUTEX_WAKE on the requeue target woke %ld of %d",
	       woken, N);
}

/* ---- TLS and segment bases ---- */

static __thread int tls_init = 42;
static __thread char tls_zero[4096];
static __thread unsigned long tls_id;

static unsigned long fs_base(void)
{
	unsigned long fs = 0;

	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	return fs;
}

static uintptr_t tls_addr[16];

static void *tls_worker(void *p)
{
	struct member *m = p;
	unsigned long fs = fs_base(), self;
	uintptr_t a = (uintptr_t)&tls_id;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(self));
	if (tls_init != 42)
		return "initialized __thread variable not copied";
	for (size_t i = 0; i < sizeof(tls_zero); i++)
		if (tls_zero[i])
			return "zero __thread variable not zero";
	if (fs != (unsigned long)pthread_self())
		return "ARCH_GET_FS != pthread_self()";
	if (self != fs)
		return "%fs:0 is not the fs base (TCB self pointer)";
	if (a >= fs || a < fs - 65536)
		return "__thread variable not just below the fs base";
	tls_id = m->id + 1000;
	tls_init = m->id;
	for (int i = 0; i < 20; i++) {
		sched_yield();
		if (i % 5 == 0)
			gt_sleep_ms(1);
		if (tls_id != (unsigned long)m->id + 1000 ||
		    tls_init != m->id)
			return "__thread value changed by another thread";
		if (fs_base() != fs)
			return "fs base changed across a context switch";
	}
	tls_addr[m->id] = a;
	return NULL;
}

static void t_tls(void)
{
	enum { N = 16 };
	static struct member m[N];

	PT(run_team(N, tls_worker, NULL, m));
	for (int i = 0; i < N; i++) {
		CHECKF(!m[i].ret, "thread %d: %s", i, (const char *)m[i].ret);
		for (int j = 0; j < i; j++)
			CHECKF(tls_addr[i] != tls_addr[j],
			       "threads %d and %d share a __thread variable",
			       i, j);
	}
	CHECKF(tls_init == 42, "main thread's __thread variable changed");
	CHECKF(fs_base() == (unsigned long)pthread_self(),
	       "main: ARCH_GET_FS != pthread_self()");
}

static void *gs_worker(void *p)
{
	struct member *m = p;
	unsigned long *area = malloc(64), got = 0, val;

	if (!area)
		return "malloc";
	area[0] = 0x6500 + m->id;
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)area))
		return "ARCH_SET_GS failed";
	for (int i = 0; i < 50; i++) {
		sched_yield();
		if (i % 10 == 0)
			gt_sleep_ms(1);
		if (syscall(SYS_arch_prctl, ARCH_GET_GS, &got) ||
		    got != (unsigned long)area)
			return "ARCH_GET_GS does not return what was set";
		__asm__ volatile("mov %%gs:0, %0" : "=r"(val));
		if (val != 0x6500UL + m->id)
			return "%gs:0 does not read through the gs base";
	}
	return NULL;
}

static void t_gs_base(void)
{
	enum { N = 4 };
	static struct member m[N];
	static unsigned long area[8] = { 0x6565 };
	unsigned long got = 0, val = 0;
	int sig;

	/* Once in this thread, with a fault caught, to say what breaks. */
	SYS(syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)area));
	SYS(syscall(SYS_arch_prctl, ARCH_GET_GS, &got));
	CHECKF(got == (unsigned long)area, "ARCH_GET_GS 0x%lx after "
	       "ARCH_SET_GS %p", got, (void *)area);
	{
		struct sigaction sa, old;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = gt_probe_handler;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigaction(SIGSEGV, &sa, &old);
		sig = sigsetjmp(gt_probe_jmp, 1);
		if (!sig) {
			gt_probe_armed = 1;
			__asm__ volatile("mov %%gs:0, %0" : "=r"(val));
			gt_probe_armed = 0;
		}
		sigaction(SIGSEGV, &old, NULL);
	}
	CHECKF(!sig, "reading %%gs:0 after ARCH_SET_GS raised SIG%s",
	       sigabbrev_np(sig));
	CHECKF(val == 0x6565, "%%gs:0 read 0x%lx, not the word at the gs "
	       "base", val);

	PT(run_team(N, gs_worker, NULL, m));
	for (int i = 0; i < N; i++)
		CHECKF(!m[i].ret, "thread %d: %s", i, (const char *)m[i].ret);
}

/* ---- condition variables ---- */

enum { QSIZE = 16, ITEMS = 20000, PRODUCERS = 4, CONSUMERS = 4 };

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	long items[QSIZE];
	int head, count, produced_done;
	long sum;
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	PTHREAD_COND_INITIALIZER, { 0 }, 0, 0, 0, 0 };

static void *producer(void *p)
{
	struct member *m = p;

	for (long i = 0; i < ITEMS / PRODUCERS; i++) {
		pthread_mutex_lock(&q.lock);
		while (q.count == QSIZE)
			pthread_cond_wait(&q.not_full, &q.lock);
		q.items[(q.head + q.count++) % QSIZE] =
			i * PRODUCERS + (m->id) + 1;
		pthread_cond_signal(&q.not_empty);
		pthread_mutex_unlock(&q.lock);
	}
	return NULL;
}

static void *consumer(void *p)
{
	long taken = 0;

	(void)p;
	for (;;) {
		pthread_mutex_lock(&q.lock);
		while (q.count == 0 && !q.produced_done)
			pthread_cond_wait(&q.not_empty, &q.lock);
		if (q.count == 0) {
			pthread_mutex_unlock(&q.lock);
			return (void *)taken;
		}
		q.sum += q.items[q.head];
		q.head = (q.head + 1) % QSIZE;
		q.count--;
		taken++;
		pthread_cond_signal(&q.not_full);
		pthread_mutex_unlock(&q.lock);
	}
}

static void t_cond_queue(void)
{
	pthread_t prod[PRODUCERS], cons[CONSUMERS];
	long total = 0;
	const long want = (long)ITEMS * (ITEMS + 1) / 2;

	for (int i = 0; i < CONSUMERS; i++)
		PT(pthread_create(&cons[i], NULL, consumer, NULL));
	for (int i = 0; i < PRODUCERS; i++) {
		static struct member m[PRODUCERS];

		m[i].id = i;
		PT(pthread_create(&prod[i], NULL, producer, &m[i]));
	}
	for (int i = 0; i < PRODUCERS; i++)
		PT(pthread_join(prod[i], NULL));
	pthread_mutex_lock(&q.lock);
	q.produced_done = 1;
	pthread_cond_broadcast(&q.not_empty);
	pthread_mutex_unlock(&q.lock);
	for (int i = 0; i < CONSUMERS; i++) {
		void *r;

		PT(pthread_join(cons[i], &r));
		total += (long)r;
	}
	CHECKF(total == ITEMS, "consumed %ld of %d items", total, ITEMS);
	CHECKF(q.sum == want, "sum of items %ld, expected %ld", q.sum, want);
}

static void t_cond_timedwait(void)
{
	pthread_condattr_t ca;
	pthread_cond_t c;
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	struct timespec abs;
	double t0;
	int r;

	PT(pthread_condattr_init(&ca));
	PT(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC));
	PT(pthread_cond_init(&c, &ca));
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 30000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	t0 = gt_now();
	do
		r = pthread_cond_timedwait(&c, &m, &abs);
	while (r == 0);
	pthread_mutex_unlock(&m);
	CHECKF(r == ETIMEDOUT, "pthread_cond_timedwait: %s", strerror(r));
	CHECKF(gt_now() - t0 >= 0.025 && gt_now() - t0 < 1,
	       "30 ms timed wait took %.1f ms", (gt_now() - t0) * 1e3);
}

/* ---- robust and PI mutexes ---- */

static int init_mutex(pthread_mutex_t *m, int robust, int pshared,
		      int protocol)
{
	pthread_mutexattr_t a;
	int e;

	pthread_mutexattr_init(&a);
	if (robust && (e = pthread_mutexattr_setrobust(&a,
						       PTHREAD_MUTEX_ROBUST)))
		return e;
	if (pshared && (e = pthread_mutexattr_setpshared(&a,
						PTHREAD_PROCESS_SHARED)))
		return e;
	if (protocol && (e = pthread_mutexattr_setprotocol(&a, protocol)))
		return e;
	e = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return e;
}

static void *lock_and_vanish(void *p)
{
	pthread_mutex_lock(p);
	return NULL;	/* exits holding the lock */
}

static void check_owner_dead(pthread_mutex_t *m, const char *who)
{
	int r = pthread_mutex_lock(m);

	if (r != EOWNERDEAD)
		FAIL("lock after the owner %s: %s, expected EOWNERDEAD", who,
		     r ? strerror(r) : "success");
	PT(pthread_mutex_consistent(m));
	PT(pthread_mutex_unlock(m));
	r = pthread_mutex_lock(m);
	CHECKF(r == 0, "relock after recovery: %s", strerror(r));
	PT(pthread_mutex_unlock(m));
}

static void t_robust_mutex_thread(void)
{
	static pthread_mutex_t m;
	pthread_t th;

	PT(init_mutex(&m, 1, 0, 0));
	PT(pthread_create(&th, NULL, lock_and_vanish, &m));
	PT(pthread_join(th, NULL));
	check_owner_dead(&m, "thread exited");
}

static void t_robust_mutex_process(void)
{
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int p[2], status;
	char c;
	pid_t pid;

	CHECKF(m != MAP_FAILED, "mmap: %s", strerror(errno));
	PT(init_mutex(m, 1, 1, 0));
	/* The owner exits. */
	pid = SYS(fork());
	if (pid == 0)
		_exit(pthread_mutex_lock(m) ? 1 : 0);
	WAIT_EXIT(pid, 0, "locking child");
	check_owner_dead(m, "process exited");
	RETURN_IF_FAILED();
	/* The owner is killed while it holds the lock. */
	SYS(pipe(p));
	pid = SYS(fork());
	if (pid == 0) {
		pthread_mutex_lock(m);
		(void)!write(p[1], "L", 1);
		for (;;)
			pause();
	}
	CHECK(read(p[0], &c, 1) == 1);
	SYS(kill(pid, SIGKILL));
	SYS(waitpid(pid, &status, 0));
	check_owner_dead(m, "process was SIGKILLed");
}

static pthread_mutex_t pi_mutex;

static void *pi_incr(void *p)
{
	(void)p;
	for (int i = 0; i < 5000; i++) {
		int r = pthread_mutex_lock(&pi_mutex);

		if (r)
			return (void *)(long)r;
		counter++;
		if (i % 500 == 0)
			sched_yield();
		pthread_mutex_unlock(&pi_mutex);
	}
	return NULL;
}

static void *pi_trylock(void *p)
{
	(void)p;
	return (void *)(long)pthread_mutex_trylock(&pi_mutex);
}

static void t_pi_mutex(void)
{
	enum { N = 8 };
	static struct member m[N];
	pthread_t th;
	void *r;

	PT(init_mutex(&pi_mutex, 0, 0, PTHREAD_PRIO_INHERIT));
	PT(pthread_mutex_lock(&pi_mutex));
	PT(pthread_create(&th, NULL, pi_trylock, NULL));
	PT(pthread_join(th, &r));
	CHECKF((long)r == EBUSY, "trylock of a held PI mutex: %s",
	       strerror((long)r));
	PT(pthread_mutex_unlock(&pi_mutex));
	counter = 0;
	PT(run_team(N, pi_incr, NULL, m));
	for (int i = 0; i < N; i++)
		CHECKF(!m[i].ret, "PI mutex lock: %s",
		       strerror((long)m[i].ret));
	CHECKF(counter == N * 5000L, "counter %ld after %d x 5000 PI-locked "
	       "increments", counter, N);
}

/* ---- rwlock, barrier ---- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b;

static void *rw_worker(void *p)
{
	struct member *m = p;

	for (int i = 0; i < 3000; i++) {
		if (m->id % 3 == 0) {
			pthread_rwlock_wrlock(&rw);
			rw_a++;
			if (i % 300 == 0)
				sched_yield();
			rw_b++;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			if (rw_a != rw_b) {
				pthread_rwlock_unlock(&rw);
				return "reader saw a half-done write";
			}
			pthread_rwlock_unlock(&rw);
		}
	}
	return NULL;
}

static void t_rwlock(void)
{
	enum { N = 12 };
	static struct member m[N];

	PT(run_team(N, rw_worker, NULL, m));
	for (int i = 0; i < N; i++)
		CHECKF(!m[i].ret, "%s", (const char *)m[i].ret);
	CHECKF(rw_a == 4 * 3000 && rw_b == rw_a, "writes %ld/%ld", rw_a, rw_b);
}

static pthread_barrier_t round_barrier;
static atomic_int round_arrived;

static void *barrier_worker(void *p)
{
	struct member *m = p;

	for (int r = 0; r < 300; r++) {
		atomic_fetch_add(&round_arrived, 1);
		pthread_barrier_wait(&round_barrier);
		/* Everybody arrived for round r before anyone passed. */
		if (atomic_load(&round_arrived) < (r + 1) * m->team->n)
			return "passed a barrier before all arrived";
		pthread_barrier_wait(&round_barrier);
	}
	return NULL;
}

static void t_barrier(void)
{
	enum { N = 16 };
	static struct member m[N];

	PT(pthread_barrier_init(&round_barrier, NULL, N));
	PT(run_team(N, barrier_worker, NULL, m));
	for (int i = 0; i < N; i++)
		CHECKF(!m[i].ret, "%s", (const char *)m[i].ret);
}

/* ---- lifecycle ---- */

static atomic_int detached_done;

static void *ret_arg(void *p)
{
	return (void *)((uintptr_t)p * 3);
}

static void *detached_fn(void *p)
{
	(void)p;
	atomic_fetch_add(&detached_done, 1);
	return NULL;
}

static void t_thread_churn(void)
{
	pthread_attr_t a;
	double end;

	for (uintptr_t i = 1; i <= 300; i++) {
		pthread_t th;
		void *r;

		PT(pthread_create(&th, NULL, ret_arg, (void *)i));
		PT(pthread_join(th, &r));
		CHECKF((uintptr_t)r == i * 3, "thread %lu returned %lu",
		       (unsigned long)i, (unsigned long)(uintptr_t)r);
	}
	PT(pthread_attr_init(&a));
	PT(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED));
	for (int i = 0; i < 100; i++) {
		pthread_t th;

		PT(pthread_create(&th, &a, detached_fn, NULL));
	}
	end = gt_now() + 5;
	while (atomic_load(&detached_done) < 100 && gt_now() < end)
		gt_sleep_ms(1);
	CHECKF(atomic_load(&detached_done) == 100,
	       "%d of 100 detached threads ran", atomic_load(&detached_done));
}

static void *deep_stack(void *p)
{
	size_t n = (size_t)p;
	volatile char *buf = __builtin_alloca(n);

	for (size_t i = 0; i < n; i += 4096)
		buf[i] = (char)i;
	for (size_t i = 0; i < n; i += 4096)
		if (buf[i] != (char)i)
			return "stack contents lost";
	return NULL;
}

static void t_thread_stacks(void)
{
	size_t sizes[] = { 64 << 10, 16 << 20 };

	for (size_t i = 0; i < GT_COUNT(sizes); i++) {
		pthread_attr_t a;
		pthread_t th;
		void *r;

		PT(pthread_attr_init(&a));
		PT(pthread_attr_setstacksize(&a, sizes[i]));
		PT(pthread_create(&th, &a, deep_stack,
				  (void *)(sizes[i] - (32 << 10))));
		PT(pthread_join(th, &r));
		CHECKF(!r, "%zu-byte stack: %s", sizes[i], (const char *)r);
	}
}

static atomic_int sig_tid;

static void record_tid(int sig)
{
	(void)sig;
	atomic_store(&sig_tid, (int)syscall(SYS_gettid));
}

static atomic_int worker_tid, worker_stop;

static void *tid_worker(void *p)
{
	(void)p;
	atomic_store(&worker_tid, (int)syscall(SYS_gettid));
	while (!atomic_load(&worker_stop))
		gt_sleep_ms(1);
	return (void *)(long)getpid();
}

static void t_tid_tgkill(void)
{
	pthread_t th;
	void *r;
	double end;
	int tid;

	signal(SIGUSR1, record_tid);
	PT(pthread_create(&th, NULL, tid_worker, NULL));
	end = gt_now() + 5;
	while (!atomic_load(&worker_tid) && gt_now() < end)
		gt_sleep_ms(1);
	tid = atomic_load(&worker_tid);
	CHECKF(tid > 0 && tid != getpid(), "thread tid %d (pid %d)", tid,
	       getpid());
	SYS(syscall(SYS_tgkill, getpid(), tid, SIGUSR1));
	end = gt_now() + 5;
	while (!atomic_load(&sig_tid) && gt_now() < end)
		gt_sleep_ms(1);
	atomic_store(&worker_stop, 1);
	PT(pthread_join(th, &r));
	CHECKF(atomic_load(&sig_tid) == tid,
	       "tgkill to tid %d ran the handler in tid %d", tid,
	       atomic_load(&sig_tid));
	CHECKF((long)r == getpid(), "getpid() in a thread %ld, main %d",
	       (long)r, getpid());
	errno = 0;
	CHECKF(syscall(SYS_tgkill, getpid(), tid, 0) == -1 && errno == ESRCH,
	       "tgkill to an exited thread: %s, expected ESRCH",
	       strerror(errno));
}

static void *exit_five(void *p)
{
	(void)p;
	gt_sleep_ms(10);
	exit(5);
}

static void *block_forever(void *p)
{
	while (p || !p)
		pause();
	return NULL;
}

static void *late_writer(void *p)
{
	int fd = (int)(long)p;

	gt_sleep_ms(50);
	(void)!write(fd, "w", 1);
	return NULL;
}

static void t_exit_paths(void)
{
	int p[2], status;
	char c;
	pid_t pid;

	/* exit() in a thread ends the whole process. */
	pid = SYS(fork());
	if (pid == 0) {
		pthread_t t1, t2;

		pthread_create(&t1, NULL, block_forever, NULL);
		pthread_create(&t2, NULL, exit_five, NULL);
		for (;;)
			pause();
	}
	WAIT_EXIT(pid, 5, "exit(5) from a thread");
	/* The main thread's pthread_exit leaves the process running. */
	SYS(pipe(p));
	pid = SYS(fork());
	if (pid == 0) {
		pthread_t t;

		close(p[0]);
		pthread_create(&t, NULL, late_writer, (void *)(long)p[1]);
		pthread_exit(NULL);
	}
	close(p[1]);
	CHECKF(read(p[0], &c, 1) == 1,
	       "a thread died with the main thread's pthread_exit");
	CHECK(gt_wait_timeout(pid, &status, 5) == 0);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "process after its last thread returned: %s",
	       gt_status_str(status));
}

static const struct gt_case cases[] = {
	GT_CASE(mutex_counter),
	GT_CASE(futex_lock_counter),
	GT_CASE(futex_pingpong),
	GT_CASE(futex_pingpong_shared),
	GT_CASE(futex_wait_errors),
	GT_CASE(futex_requeue),
	GT_CASE(tls),
	GT_CASE(gs_base),
	GT_CASE(cond_queue),
	GT_CASE(cond_timedwait),
	GT_CASE(robust_mutex_thread),
	GT_CASE(robust_mutex_process),
	GT_CASE(pi_mutex),
	GT_CASE(rwlock),
	GT_CASE(barrier),
	GT_CASE(thread_churn),
	GT_CASE(thread_stacks),
	GT_CASE(tid_tgkill),
	GT_CASE(exit_paths),
};

int main(int argc, char **argv, char **envp)
{
	return gt_main("thread", cases, GT_COUNT(cases), argc, argv, envp);
}

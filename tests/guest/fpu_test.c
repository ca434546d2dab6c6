// SPDX-License-Identifier: GPL-2.0
/*
 * FPU/SIMD state: two processes on one CPU, each holding its own values
 * in xmm (and ymm, and zmm/k when the CPU and kernel have AVX/AVX-512)
 * registers plus its own MXCSR and x87 control word, yielding and being
 * preempted for a while, must each find their registers intact. Signal
 * handlers get a clean FPU state and a saved copy of the interrupted one,
 * may clobber everything, and the interrupted code must not notice —
 * also with a 1 ms timer firing into a register-checking loop.
 *
 * The register work is all inside single asm statements: nothing the
 * compiler emits runs between loading the values and checking them.
 */
#include "guest_test.h"

#include <sys/time.h>
#include <ucontext.h>

#define RUN_SECONDS 1.0

/* ---- CPU and kernel features ---- */

static void cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static unsigned long xcr0(void)
{
	unsigned lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((unsigned long)hi << 32) | lo;
}

static int has_osxsave(void)
{
	unsigned r[4];

	cpuid(1, 0, r);
	return (r[2] >> 27) & 1;
}

/* Why AVX is unusable, or NULL if it is usable. */
static const char *avx_missing(void)
{
	static char why[96];
	unsigned r[4];

	cpuid(1, 0, r);
	if (!((r[2] >> 28) & 1))
		return "CPUID says no AVX";
	if (!has_osxsave())
		return "CPUID says no OSXSAVE";
	if ((xcr0() & 6) != 6) {
		snprintf(why, sizeof(why), "the kernel did not enable AVX "
			 "state in XCR0 (0x%lx)", xcr0());
		return why;
	}
	return NULL;
}

static const char *avx512_missing(void)
{
	static char why[96];
	unsigned r[4];

	if (avx_missing())
		return avx_missing();
	cpuid(0, 0, r);
	if (r[0] < 7)
		return "CPUID has no leaf 7: no AVX-512";
	cpuid(7, 0, r);
	if (!((r[1] >> 16) & 1))
		return "CPUID says no AVX-512F";
	if ((xcr0() & 0xe6) != 0xe6) {
		snprintf(why, sizeof(why), "the kernel did not enable "
			 "AVX-512 state in XCR0 (0x%lx)", xcr0());
		return why;
	}
	return NULL;
}

static void t_xsave_features(void)
{
	unsigned r[4];

	cpuid(1, 0, r);
	CHECKF((r[3] >> 25) & 1 && (r[3] >> 26) & 1, "CPUID lacks SSE/SSE2");
	if (!has_osxsave())
		SKIP("CPUID says no OSXSAVE: XCR0 cannot be read");
	CHECKF((xcr0() & 3) == 3, "XCR0 0x%lx lacks x87|SSE state", xcr0());
	if ((r[2] >> 28) & 1)
		CHECKF(xcr0() & 4, "CPU has AVX, XCR0 0x%lx does not enable it",
		       xcr0());
}

/* ---- control words ---- */

/* MXCSR without the sticky exception flags (C arithmetic sets them). */
static unsigned get_mxcsr(void)
{
	unsigned m;

	__asm__ volatile("stmxcsr %0" : "=m"(m));
	return m & ~0x3fU;
}

static void set_mxcsr(unsigned m)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
}

static unsigned short get_fcw(void)
{
	unsigned short c;

	__asm__ volatile("fnstcw %0" : "=m"(c));
	return c;
}

static void set_fcw(unsigned short c)
{
	__asm__ volatile("fldcw %0" : : "m"(c));
}

/* ---- the register-holding loops ---- */

#define IRP15 ".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14\n\t"
#define IRP16 ".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
#define IRP31 ".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19," \
	      "20,21,22,23,24,25,26,27,28,29,30\n\t"

static unsigned char pat[32 * 64] __attribute__((aligned(64)));
static unsigned short kpat[8];

static void make_pattern(int who)
{
	for (size_t i = 0; i < sizeof(pat); i++)
		pat[i] = (unsigned char)((i * 7 + 1) ^ (who * 0x5b) ^
					 (i >> 6) * 13);
	for (int i = 0; i < 8; i++)
		kpat[i] = (unsigned short)(0x1111 * (i + 1) ^ (who * 0x0f0f));
}

/*
 * Load xmm0-14 with pat, then outer times: spin inner iterations, yield,
 * check every register against pat. 0 if all stayed, else 1 + the number
 * of the first changed register.
 */
static int sse_chunk(long outer, long inner)
{
	long bad;

	__asm__ volatile(
		IRP15 "movdqa \\i*16(%[p]), %%xmm\\i\n\t.endr\n"
		"2:\n\t"
		"mov %[inner], %%rcx\n"
		"3:\tdec %%rcx\n\tjnz 3b\n\t"
		"mov $24, %%eax\n\tsyscall\n\t"	/* sched_yield */
		IRP15
		"movdqa %%xmm\\i, %%xmm15\n\t"
		"pcmpeqb \\i*16(%[p]), %%xmm15\n\t"
		"pmovmskb %%xmm15, %%eax\n\t"
		"mov $\\i+1, %%edx\n\t"
		"cmp $0xffff, %%eax\n\t"
		"jne 8f\n\t"
		".endr\n\t"
		"dec %[outer]\n\tjnz 2b\n\t"
		"xor %%edx, %%edx\n"
		"8:\n\t"
		: "=d"(bad), [outer] "+D"(outer)
		: [p] "S"(pat), [inner] "m"(inner)
		: "rax", "rcx", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		  "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		  "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
	return (int)bad;
}

static int avx_chunk(long outer, long inner)
{
	long bad;

	__asm__ volatile(
		IRP15 "vmovdqu \\i*32(%[p]), %%ymm\\i\n\t.endr\n"
		"2:\n\t"
		"mov %[inner], %%rcx\n"
		"3:\tdec %%rcx\n\tjnz 3b\n\t"
		"mov $24, %%eax\n\tsyscall\n\t"
		IRP15
		"vpcmpeqb \\i*32(%[p]), %%ymm\\i, %%ymm15\n\t"
		"vpmovmskb %%ymm15, %%eax\n\t"
		"mov $\\i+1, %%edx\n\t"
		"cmp $-1, %%eax\n\t"
		"jne 8f\n\t"
		".endr\n\t"
		"dec %[outer]\n\tjnz 2b\n\t"
		"xor %%edx, %%edx\n"
		"8:\n\t"
		"vzeroupper\n\t"
		: "=d"(bad), [outer] "+D"(outer)
		: [p] "S"(pat), [inner] "m"(inner)
		: "rax", "rcx", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		  "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		  "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
	return (int)bad;
}

/*
 * zmm0-30 and k1-k7; zmm31 and k0 are scratch. Registers 16-31 and the
 * k registers are not known to the compiler (no -mavx512f), so it keeps
 * nothing there: they need no clobbers.
 */
static int avx512_chunk(long outer, long inner)
{
	long bad;

	__asm__ volatile(
		IRP31 "vmovdqu64 \\i*64(%[p]), %%zmm\\i\n\t.endr\n\t"
		".irp i,1,2,3,4,5,6,7\n\tkmovw \\i*2(%[kp]), %%k\\i\n\t.endr\n"
		"2:\n\t"
		"mov %[inner], %%rcx\n"
		"3:\tdec %%rcx\n\tjnz 3b\n\t"
		"mov $24, %%eax\n\tsyscall\n\t"
		IRP31
		"vpcmpeqd \\i*64(%[p]), %%zmm\\i, %%k0\n\t"
		"mov $\\i+1, %%edx\n\t"
		"kortestw %%k0, %%k0\n\t"
		"jnc 8f\n\t"
		".endr\n\t"
		".irp i,1,2,3,4,5,6,7\n\t"
		"kmovw %%k\\i, %%eax\n\t"
		"mov $\\i+100, %%edx\n\t"
		"cmpw \\i*2(%[kp]), %%ax\n\t"
		"jne 8f\n\t"
		".endr\n\t"
		"dec %[outer]\n\tjnz 2b\n\t"
		"xor %%edx, %%edx\n"
		"8:\n\t"
		"vzeroupper\n\t"
		: "=d"(bad), [outer] "+D"(outer)
		: [p] "S"(pat), [kp] "b"(kpat), [inner] "m"(inner)
		: "rax", "rcx", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		  "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		  "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
	return (int)bad;
}

/*
 * Run chunk() for RUN_SECONDS with this process's values. Returns 0, or
 * a code: 1..31 register, 101..107 k register, 200 MXCSR, 201 x87 CW.
 */
static int hold_registers(int who, int (*chunk)(long, long))
{
	unsigned mx = who ? 0x5f80 : 0x3f80;	/* RC: down / up */
	unsigned short cw = who ? 0x027f : 0x0f7f;	/* PC 53 / RC 0 */
	double end = gt_now() + RUN_SECONDS;
	int bad;

	make_pattern(who);
	set_mxcsr(mx);
	set_fcw(cw);
	do {
		bad = chunk(10, 300000);
		if (bad)
			return bad;
		if (get_mxcsr() != mx)
			return 200;
		if (get_fcw() != cw)
			return 201;
	} while (gt_now() < end);
	return 0;
}

static const char *what_bad(int code, const char *reg)
{
	static char buf[64];

	if (code == 200)
		return "MXCSR";
	if (code == 201)
		return "the x87 control word";
	if (code > 100)
		snprintf(buf, sizeof(buf), "k%d", code - 100);
	else
		snprintf(buf, sizeof(buf), "%s%d", reg, code - 1);
	return buf;
}

static void two_processes(int (*chunk)(long, long), const char *reg)
{
	int status, bad;
	pid_t pid;

	gt_pin_one_cpu();	/* both on one CPU: they must take turns */
	pid = SYS(fork());
	if (pid == 0)
		_exit(hold_registers(1, chunk));
	bad = hold_registers(0, chunk);
	CHECKF(gt_wait_timeout(pid, &status, 10) == 0, "child hung");
	CHECKF(!bad, "parent: %s changed while it shared the CPU",
	       what_bad(bad, reg));
	CHECKF(WIFEXITED(status), "child %s", gt_status_str(status));
	CHECKF(WEXITSTATUS(status) == 0,
	       "child: %s changed while it shared the CPU",
	       what_bad(WEXITSTATUS(status), reg));
}

static void t_sse_two_processes(void)
{
	two_processes(sse_chunk, "xmm");
}

static void t_avx_two_processes(void)
{
	if (avx_missing())
		SKIP("%s", avx_missing());
	two_processes(avx_chunk, "ymm");
}

static void t_avx512_two_processes(void)
{
	if (avx512_missing())
		SKIP("%s", avx512_missing());
	two_processes(avx512_chunk, "zmm");
}

/* ---- signals ---- */

static volatile unsigned h_mxcsr, h_saved_mxcsr;
static volatile unsigned short h_fcw;
static volatile int h_saved_xmm_ok, h_hits;
static volatile int h_wide;	/* 0 sse, 1 avx, 2 avx512 */

/* A handler that checks the state it got, then wrecks every register. */
static void fpu_handler(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;
	static const unsigned char junk[64] __attribute__((aligned(64))) = {
		0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
	};

	(void)sig;
	(void)si;
	h_hits++;
	h_mxcsr = get_mxcsr();
	h_fcw = get_fcw();
	if (uc->uc_mcontext.fpregs) {
		h_saved_mxcsr = uc->uc_mcontext.fpregs->mxcsr & ~0x3fU;
		h_saved_xmm_ok = !memcmp(&uc->uc_mcontext.fpregs->_xmm[3],
					 pat + 3 * (16 << h_wide), 16);
	}
	__asm__ volatile(IRP16 "movdqa (%0), %%xmm\\i\n\t.endr\n\t"
			 : : "r"(junk)
			 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
			   "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
			   "xmm12", "xmm13", "xmm14", "xmm15");
	if (h_wide >= 1)
		__asm__ volatile(IRP16 "vmovdqu (%0), %%ymm\\i\n\t.endr\n\t"
				 : : "r"(junk)
				 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
				   "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
				   "xmm10", "xmm11", "xmm12", "xmm13",
				   "xmm14", "xmm15");
	if (h_wide >= 2)
		__asm__ volatile(IRP31 "vmovdqu64 (%0), %%zmm\\i\n\t.endr\n\t"
				 "kxnorw %%k1, %%k1, %%k1\n\t"
				 "kxnorw %%k7, %%k7, %%k7\n\t"
				 "vzeroupper\n\t"
				 : : "r"(junk)
				 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
				   "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
				   "xmm10", "xmm11", "xmm12", "xmm13",
				   "xmm14", "xmm15");
	set_mxcsr(0x7f80);	/* round toward zero */
	set_fcw(0x007f);	/* single precision */
}

static unsigned char out[32 * 64] __attribute__((aligned(64)));

/*
 * Load registers of the given width from pat, send ourselves SIGUSR1 with
 * a raw tgkill (the handler runs at its return), store the registers.
 */
static void signal_roundtrip(int wide)
{
	long tid = syscall(SYS_gettid), pid = getpid();

	if (wide == 0)
		__asm__ volatile(
			IRP16 "movdqa \\i*16(%[p]), %%xmm\\i\n\t.endr\n\t"
			"mov $234, %%eax\n\tsyscall\n\t"
			IRP16 "movdqa %%xmm\\i, \\i*16(%[o])\n\t.endr\n\t"
			: "+D"(pid), "+S"(tid)
			: [p] "b"(pat), [o] "r"(out), "d"(SIGUSR1)
			: "rax", "rcx", "r11", "xmm0", "xmm1", "xmm2", "xmm3",
			  "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
			  "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
			  "xmm15", "memory");
	else if (wide == 1)
		__asm__ volatile(
			IRP16 "vmovdqu \\i*32(%[p]), %%ymm\\i\n\t.endr\n\t"
			"mov $234, %%eax\n\tsyscall\n\t"
			IRP16 "vmovdqu %%ymm\\i, \\i*32(%[o])\n\t.endr\n\t"
			"vzeroupper\n\t"
			: "+D"(pid), "+S"(tid)
			: [p] "b"(pat), [o] "r"(out), "d"(SIGUSR1)
			: "rax", "rcx", "r11", "xmm0", "xmm1", "xmm2", "xmm3",
			  "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
			  "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
			  "xmm15", "memory");
	else
		__asm__ volatile(
			IRP31 "vmovdqu64 \\i*64(%[p]), %%zmm\\i\n\t.endr\n\t"
			"vmovdqu64 30*64(%[p]), %%zmm31\n\t"
			"mov $234, %%eax\n\tsyscall\n\t"
			IRP31 "vmovdqu64 %%zmm\\i, \\i*64(%[o])\n\t.endr\n\t"
			"vmovdqu64 %%zmm31, 31*64(%[o])\n\t"
			"vzeroupper\n\t"
			: "+D"(pid), "+S"(tid)
			: [p] "b"(pat), [o] "r"(out), "d"(SIGUSR1)
			: "rax", "rcx", "r11", "xmm0", "xmm1", "xmm2", "xmm3",
			  "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
			  "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
			  "xmm15", "memory");
}

static void signal_check(int wide, const char *reg)
{
	const int size = 16 << wide, n = wide == 2 ? 32 : 16;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fpu_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	make_pattern(2);
	if (wide == 2)	/* zmm31 gets register 30's value */
		memcpy(pat + 31 * 64, pat + 30 * 64, 64);
	memset(out, 0, sizeof(out));
	h_wide = wide;
	h_hits = 0;
	set_mxcsr(0x3f80);
	set_fcw(0x0f7f);
	signal_roundtrip(wide);
	CHECKF(h_hits == 1, "the handler ran %d times", h_hits);
	CHECKF(get_mxcsr() == 0x3f80, "MXCSR 0x%x after the handler, was "
	       "0x3f80", get_mxcsr());
	CHECKF(get_fcw() == 0x0f7f, "x87 control word 0x%x after the "
	       "handler, was 0x0f7f", get_fcw());
	set_mxcsr(0x1f80);
	set_fcw(0x037f);
	for (int i = 0; i < n; i++)
		CHECKF(!memcmp(out + i * size, pat + i * size, size),
		       "%s%d changed across a signal handler", reg, i);
	CHECKF(h_mxcsr == 0x1f80, "the handler started with MXCSR 0x%x, "
	       "not the default 0x1f80", h_mxcsr);
	CHECKF(h_fcw == 0x037f, "the handler started with x87 control word "
	       "0x%x, not the default 0x037f", h_fcw);
	CHECKF(h_saved_mxcsr == 0x3f80, "the signal frame saved MXCSR 0x%x, "
	       "expected the interrupted 0x3f80", h_saved_mxcsr);
	CHECKF(h_saved_xmm_ok, "the signal frame's saved xmm3 is not the "
	       "interrupted value");
}

static void t_sse_signal(void)
{
	signal_check(0, "xmm");
}

static void t_avx_signal(void)
{
	if (avx_missing())
		SKIP("%s", avx_missing());
	signal_check(1, "ymm");
}

static void t_avx512_signal(void)
{
	if (avx512_missing())
		SKIP("%s", avx512_missing());
	signal_check(2, "zmm");
}

/* A 1 ms timer whose handler wrecks the registers, into a checking loop. */
static void t_async_signals(void)
{
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	struct sigaction sa;
	int (*chunk)(long, long) = sse_chunk;
	const char *reg = "xmm";
	double end = gt_now() + 0.5;
	int bad = 0, wide = 0;

	if (!avx512_missing()) {
		chunk = avx512_chunk;
		reg = "zmm";
		wide = 2;
	} else if (!avx_missing()) {
		chunk = avx_chunk;
		reg = "ymm";
		wide = 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fpu_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	make_pattern(3);
	h_wide = wide;
	h_hits = 0;
	set_mxcsr(0x3f80);
	setitimer(ITIMER_REAL, &it, NULL);
	while (!bad && gt_now() < end) {
		bad = chunk(5, 1000000);
		if (!bad && get_mxcsr() != 0x3f80)
			bad = 200;
	}
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	set_mxcsr(0x1f80);
	CHECKF(!bad, "%s changed under timer signals (%d signals)",
	       what_bad(bad, reg), h_hits);
	CHECKF(h_hits >= 20, "only %d timer signals in 0.5 s", h_hits);
}

/* ---- a new process starts clean ---- */

/*
 * A process that dies with marked vector registers must not pass them
 * on: every new process (fork, then exec) starts with the x87 and SSE
 * control words at their defaults and none of the marks. On coLinux the
 * next address space may well be served by the same host process.
 */
#define MARK_BYTE	0xa5
#define PROBE_ENV	"FPU_TEST_PROBE"

static __attribute__((noreturn)) void mark_and_exit(int avx)
{
	static uint8_t m[32] __attribute__((aligned(32)));
	const uint16_t fcw = 0x27f;		/* double precision */
	const uint32_t mxcsr = 0x7f80;		/* round toward zero */

	memset(m, MARK_BYTE, sizeof(m));
	if (avx)
		__asm__ volatile(
			"vmovdqa (%0), %%ymm0\n vmovdqa (%0), %%ymm1\n"
			"vmovdqa (%0), %%ymm2\n vmovdqa (%0), %%ymm3\n"
			"vmovdqa (%0), %%ymm4\n vmovdqa (%0), %%ymm5\n"
			"vmovdqa (%0), %%ymm6\n vmovdqa (%0), %%ymm7\n"
			"vmovdqa (%0), %%ymm8\n vmovdqa (%0), %%ymm9\n"
			"vmovdqa (%0), %%ymm10\n vmovdqa (%0), %%ymm11\n"
			"vmovdqa (%0), %%ymm12\n vmovdqa (%0), %%ymm13\n"
			"vmovdqa (%0), %%ymm14\n vmovdqa (%0), %%ymm15\n"
			: : "r"(m) : "memory");
	else
		__asm__ volatile(
			"movdqa (%0), %%xmm0\n movdqa (%0), %%xmm1\n"
			"movdqa (%0), %%xmm2\n movdqa (%0), %%xmm3\n"
			"movdqa (%0), %%xmm4\n movdqa (%0), %%xmm5\n"
			"movdqa (%0), %%xmm6\n movdqa (%0), %%xmm7\n"
			"movdqa (%0), %%xmm8\n movdqa (%0), %%xmm9\n"
			"movdqa (%0), %%xmm10\n movdqa (%0), %%xmm11\n"
			"movdqa (%0), %%xmm12\n movdqa (%0), %%xmm13\n"
			"movdqa (%0), %%xmm14\n movdqa (%0), %%xmm15\n"
			: : "r"(m) : "memory");
	__asm__ volatile("fldcw %0\n ldmxcsr %1" : : "m"(fcw), "m"(mxcsr));
	/* No libc on the way out: it could touch the registers. */
	for (;;)
		__asm__ volatile("syscall" : : "a"(SYS_exit_group), "D"(0)
				 : "rcx", "r11", "memory");
}

/*
 * In the new process: exit 0 if clean, 1-16 for the first register
 * still marked (xmm or, with AVX, its upper ymm half), 20 for the x87
 * control word, 21 for MXCSR's control bits.
 */
static __attribute__((noinline)) int probe_vectors(int avx)
{
	static uint8_t r[16][32] __attribute__((aligned(32)));
	uint16_t fcw;
	uint32_t mxcsr;
	int i, j, marked;

	__asm__ volatile("fnstcw %0\n stmxcsr %1" : "=m"(fcw), "=m"(mxcsr));
	if (avx)
		__asm__ volatile(
			"vmovdqa %%ymm0, 0(%0)\n vmovdqa %%ymm1, 32(%0)\n"
			"vmovdqa %%ymm2, 64(%0)\n vmovdqa %%ymm3, 96(%0)\n"
			"vmovdqa %%ymm4, 128(%0)\n vmovdqa %%ymm5, 160(%0)\n"
			"vmovdqa %%ymm6, 192(%0)\n vmovdqa %%ymm7, 224(%0)\n"
			"vmovdqa %%ymm8, 256(%0)\n vmovdqa %%ymm9, 288(%0)\n"
			"vmovdqa %%ymm10, 320(%0)\n vmovdqa %%ymm11, 352(%0)\n"
			"vmovdqa %%ymm12, 384(%0)\n vmovdqa %%ymm13, 416(%0)\n"
			"vmovdqa %%ymm14, 448(%0)\n vmovdqa %%ymm15, 480(%0)\n"
			: : "r"(r) : "memory");
	else
		__asm__ volatile(
			"movdqa %%xmm0, 0(%0)\n movdqa %%xmm1, 32(%0)\n"
			"movdqa %%xmm2, 64(%0)\n movdqa %%xmm3, 96(%0)\n"
			"movdqa %%xmm4, 128(%0)\n movdqa %%xmm5, 160(%0)\n"
			"movdqa %%xmm6, 192(%0)\n movdqa %%xmm7, 224(%0)\n"
			"movdqa %%xmm8, 256(%0)\n movdqa %%xmm9, 288(%0)\n"
			"movdqa %%xmm10, 320(%0)\n movdqa %%xmm11, 352(%0)\n"
			"movdqa %%xmm12, 384(%0)\n movdqa %%xmm13, 416(%0)\n"
			"movdqa %%xmm14, 448(%0)\n movdqa %%xmm15, 480(%0)\n"
			: : "r"(r) : "memory");
	for (i = 0; i < 16; i++) {
		/* Four marked bytes in a row: libc's own values never are. */
		for (j = 0, marked = 0; j < (avx ? 32 : 16); j++) {
			marked = r[i][j] == MARK_BYTE ? marked + 1 : 0;
			if (marked == 4)
				return i + 1;
		}
	}
	if (fcw != 0x37f)
		return 20;
	if ((mxcsr & ~0x3fu) != 0x1f80)
		return 21;
	return 0;
}

static void t_exec_starts_clean(void)
{
	int avx = !avx_missing();
	int round, status, code;
	pid_t pid;
	char arg[2] = { avx ? '1' : '0', 0 };

	if (access("/proc/self/exe", X_OK))
		SKIP("no /proc/self/exe to execute: %s", strerror(errno));
	for (round = 0; round < 20; round++) {
		pid = fork();
		CHECK(pid >= 0);
		if (!pid)
			mark_and_exit(avx);
		CHECKF(gt_wait_timeout(pid, &status, 10) == 0, "marker hung");
		pid = fork();
		CHECK(pid >= 0);
		if (!pid) {
			setenv(PROBE_ENV, arg, 1);
			execl("/proc/self/exe", "fpu_test", (char *)NULL);
			_exit(99);
		}
		CHECKF(gt_wait_timeout(pid, &status, 10) == 0, "probe hung");
		CHECKF(WIFEXITED(status), "probe %s", gt_status_str(status));
		code = WEXITSTATUS(status);
		CHECKF(code != 99, "round %d: cannot execute /proc/self/exe",
		       round);
		CHECKF(code < 1 || code > 16,
		       "round %d: %s%d of a dead process reached a new one",
		       round, avx ? "ymm" : "xmm", code - 1);
		CHECKF(code != 20, "round %d: x87 control word not the default",
		       round);
		CHECKF(code != 21, "round %d: MXCSR not the default", round);
		CHECKF(code == 0, "round %d: probe exited %d", round, code);
	}
}

static const struct gt_case cases[] = {
	GT_CASE(xsave_features),
	GT_CASE(sse_two_processes),
	GT_CASE(avx_two_processes),
	GT_CASE(avx512_two_processes),
	GT_CASE(sse_signal),
	GT_CASE(avx_signal),
	GT_CASE(avx512_signal),
	GT_CASE(async_signals),
	GT_CASE(exec_starts_clean),
};

int main(int argc, char **argv, char **envp)
{
	const char *probe = getenv(PROBE_ENV);

	if (probe)
		return probe_vectors(probe[0] == '1');
	return gt_main("fpu", cases, GT_COUNT(cases), argc, argv, envp);
}

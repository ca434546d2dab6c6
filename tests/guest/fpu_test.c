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

static const struct gt_case cases[] = {
	GT_CASE(xsave_features),
	GT_CASE(sse_two_processes),
	GT_CASE(avx_two_processes),
	GT_CASE(avx512_two_processes),
	GT_CASE(sse_signal),
	GT_CASE(avx_signal),
	GT_CASE(avx512_signal),
	GT_CASE(async_signals),
};

int main(int argc, char **argv, char **envp)
{
	return gt_main("fpu", cases, GT_COUNT(cases), argc, argv, envp);
}

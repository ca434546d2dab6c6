// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: brk, anonymous and file-backed mmap (shared, private/COW,
 * SIGBUS past EOF), MAP_FIXED, munmap, mremap, mprotect with exact fault
 * addresses, PROT_EXEC and NX, madvise(MADV_DONTNEED), mincore, stack
 * growth, kernel access to user memory (faulting in, EFAULT), a sparse
 * 1 GiB mapping, and copy-on-write across fork, small and with 200 MiB.
 */
#include "guest_test.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

#define PAGE 4096UL
#define MiB (1024UL * 1024)

static unsigned long tag(unsigned long i, unsigned long who)
{
	return (i + 1) * 0x9E3779B97F4A7C15UL ^ (who << 56);
}

static void *map_anon(size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

/* FAIL unless touching addr raises sig with si_code code at addr. */
#define EXPECT_FAULT(addr, write, sig, code, what) do {			\
		volatile char *a_ = (volatile char *)(addr);		\
		int s_ = gt_probe(a_, (write));				\
		CHECKF(s_ == (sig), "%s: %s at %p, expected SIG%s",	\
		       (what), s_ ? sigabbrev_np(s_) : "no fault",	\
		       (void *)a_, sigabbrev_np(sig));			\
		CHECKF(gt_probe_info.si_addr == (void *)a_,		\
		       "%s: si_addr %p, fault was at %p", (what),	\
		       gt_probe_info.si_addr, (void *)a_);		\
		CHECKF(gt_probe_info.si_code == (code),			\
		       "%s: si_code %d, expected %d", (what),		\
		       gt_probe_info.si_code, (code));			\
	} while (0)

#define EXPECT_NO_FAULT(addr, write, what) do {				\
		int s_ = gt_probe((addr), (write));			\
		CHECKF(s_ == 0, "%s: SIG%s at %p", (what),		\
		       sigabbrev_np(s_), (void *)(addr));		\
	} while (0)

/* ---- brk ---- */

static void t_brk(void)
{
	const size_t grow = 16 * MiB;
	char *old = sbrk(0), *p, *gone;

	CHECKF(old != (void *)-1, "sbrk(0): %s", strerror(errno));
	p = sbrk(grow);
	CHECKF(p == old, "sbrk(+16 MiB) returned %p, break was %p",
	       (void *)p, (void *)old);
	CHECKF(sbrk(0) == old + grow, "break did not move by 16 MiB");
	for (size_t off = 0; off < grow; off += PAGE)
		CHECKF(p[off] == 0 && p[off + PAGE - 1] == 0,
		       "new brk memory not zero at +%zu", off);
	for (size_t off = 0; off < grow; off += PAGE)
		*(unsigned long *)(p + off) = tag(off / PAGE, 1);
	for (size_t off = 0; off < grow; off += PAGE)
		CHECKF(*(unsigned long *)(p + off) == tag(off / PAGE, 1),
		       "brk memory lost a write at +%zu", off);
	CHECKF(sbrk(-(intptr_t)grow) == old + grow && sbrk(0) == old,
	       "shrinking the break failed");
	gone = (char *)(((uintptr_t)old + 2 * PAGE - 1) & ~(PAGE - 1));
	EXPECT_FAULT(gone + 8, 0, SIGSEGV, SEGV_MAPERR,
		     "read above a shrunk break");
	p = sbrk(grow);
	CHECKF(p == old, "regrowing the break failed");
	for (size_t off = PAGE; off < grow; off += PAGE)
		CHECKF(*(unsigned long *)(p + off) == 0,
		       "regrown brk memory not zero at +%zu (stale data)", off);
	sbrk(-(intptr_t)grow);
}

/* ---- anonymous mappings ---- */

static void t_mmap_anon_private(void)
{
	const size_t len = 64 * MiB;
	unsigned long *p = map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	CHECKF(p != MAP_FAILED, "mmap 64 MiB: %s", strerror(errno));
	CHECKF(((uintptr_t)p & (PAGE - 1)) == 0, "unaligned mapping %p",
	       (void *)p);
	for (size_t i = 0; i < len / 8; i += PAGE / 8)
		CHECKF(p[i] == 0 && p[i + PAGE / 8 - 1] == 0,
		       "fresh anonymous page %zu not zero", i / (PAGE / 8));
	for (size_t i = 0; i < len / 8; i += 64)
		p[i] = tag(i, 2);
	for (size_t i = 0; i < len / 8; i += 64)
		CHECKF(p[i] == tag(i, 2), "lost write at word %zu", i);
	SYS(munmap(p, len));
	EXPECT_FAULT((char *)p + 5 * PAGE + 17, 0, SIGSEGV, SEGV_MAPERR,
		     "read after munmap");
}

static void t_mmap_anon_shared(void)
{
	const size_t len = MiB;
	unsigned long *p = map_anon(len, PROT_READ | PROT_WRITE, MAP_SHARED);
	int go[2];
	char c;
	pid_t pid;

	CHECKF(p != MAP_FAILED, "mmap: %s", strerror(errno));
	SYS(pipe(go));
	pid = SYS(fork());
	if (pid == 0) {
		/* Child writes the odd words, then checks the parent's. */
		for (size_t i = 1; i < len / 8; i += 2)
			p[i] = tag(i, 3);
		(void)!write(go[1], "c", 1);
		usleep(1000);
		for (double end = gt_now() + 5; gt_now() < end;) {
			if (p[len / 8 - 2] == tag(len / 8 - 2, 4)) {
				for (size_t i = 0; i < len / 8; i += 2)
					if (p[i] != tag(i, 4))
						_exit(2);
				_exit(0);
			}
			usleep(1000);
		}
		_exit(1);
	}
	CHECK(read(go[0], &c, 1) == 1);
	for (size_t i = 1; i < len / 8; i += 2)
		CHECKF(p[i] == tag(i, 3), "child's write to word %zu not seen",
		       i);
	for (size_t i = 0; i < len / 8; i += 2)
		p[i] = tag(i, 4);
	WAIT_EXIT(pid, 0, "child checking the parent's writes");
}

/* ---- file mappings ---- */

static int make_file(char *path, size_t size, size_t len)
{
	int fd = gt_tmpfile(path, size);

	if (fd < 0)
		return -1;
	unlink(path);	/* nobody else needs the name */
	if (ftruncate(fd, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void t_mmap_file_shared(void)
{
	char path[PATH_MAX], buf[64];
	const size_t len = 3 * PAGE;
	int fd = make_file(path, sizeof(path), len);
	char *p, *p2;

	CHECKF(fd >= 0, "temporary file in %s: %s", gt_tmpdir(),
	       strerror(errno));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECKF(p != MAP_FAILED, "mmap MAP_SHARED: %s", strerror(errno));
	p2 = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	CHECKF(p2 != MAP_FAILED, "second mmap: %s", strerror(errno));
	CHECKF(p[0] == 0 && p[len - 1] == 0, "file mapping not zero");
	memcpy(p + PAGE + 10, "written via the mapping", 24);
	CHECKF(!memcmp(p2 + PAGE + 10, "written via the mapping", 24),
	       "second mapping of the file does not see the write");
	CHECK(pread(fd, buf, 24, PAGE + 10) == 24);
	CHECKF(!memcmp(buf, "written via the mapping", 24),
	       "read() does not see the mapping's write (before msync)");
	SYS(msync(p, len, MS_SYNC));
	CHECK(pwrite(fd, "written via write()", 20, 2 * PAGE + 5) == 20);
	CHECKF(!memcmp(p + 2 * PAGE + 5, "written via write()", 20),
	       "the mapping does not see write()");
	SYS(munmap(p, len));
	SYS(munmap(p2, len));
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	CHECKF(p != MAP_FAILED, "re-mmap: %s", strerror(errno));
	CHECKF(!memcmp(p + PAGE + 10, "written via the mapping", 24),
	       "write through an unmapped mapping lost");
	munmap(p, len);
	close(fd);
}

static void t_mmap_file_private(void)
{
	char path[PATH_MAX], buf[32];
	const size_t len = 2 * PAGE;
	int fd = make_file(path, sizeof(path), len), rofd;
	char *priv, *shared, *p;

	CHECKF(fd >= 0, "temporary file in %s: %s", gt_tmpdir(),
	       strerror(errno));
	CHECK(pwrite(fd, "file data", 10, 100) == 10);
	priv = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECKF(priv != MAP_FAILED, "mmap MAP_PRIVATE: %s", strerror(errno));
	shared = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	CHECKF(shared != MAP_FAILED, "mmap MAP_SHARED: %s", strerror(errno));
	CHECKF(!memcmp(priv + 100, "file data", 10),
	       "private mapping does not show the file");
	memcpy(priv + 100, "COW  data", 10);
	CHECKF(!memcmp(priv + 100, "COW  data", 10), "private write lost");
	CHECK(pread(fd, buf, 10, 100) == 10);
	CHECKF(!memcmp(buf, "file data", 10),
	       "a MAP_PRIVATE write reached the file");
	CHECKF(!memcmp(shared + 100, "file data", 10),
	       "a MAP_PRIVATE write reached a MAP_SHARED mapping");
	SYS(msync(priv, len, MS_SYNC));
	CHECK(pread(fd, buf, 10, 100) == 10);
	CHECKF(!memcmp(buf, "file data", 10),
	       "a MAP_PRIVATE write reached the file after msync");
	munmap(priv, len);
	munmap(shared, len);

	/* A read-only fd: private+writable is fine, shared+writable not. */
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	rofd = open(buf, O_RDONLY);
	if (rofd < 0)
		rofd = dup(fd);	/* no /proc: skip the read-only part */
	else {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, rofd,
			 0);
		CHECKF(p == MAP_FAILED && errno == EACCES,
		       "writable MAP_SHARED of an O_RDONLY fd: %s",
		       p == MAP_FAILED ? strerror(errno) : "allowed");
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 rofd, 0);
		CHECKF(p != MAP_FAILED,
		       "writable MAP_PRIVATE of an O_RDONLY fd: %s",
		       strerror(errno));
		p[0] = 1;
		munmap(p, len);
	}
	close(rofd);
	close(fd);
}

static void t_mmap_file_sigbus(void)
{
	char path[PATH_MAX];
	int fd = make_file(path, sizeof(path), PAGE);
	char *p;

	CHECKF(fd >= 0, "temporary file in %s: %s", gt_tmpdir(),
	       strerror(errno));
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECKF(p != MAP_FAILED, "mmap: %s", strerror(errno));
	EXPECT_NO_FAULT(p + 100, 1, "inside the file");
	EXPECT_FAULT(p + PAGE + 100, 0, SIGBUS, BUS_ADRERR,
		     "read past the end of the file");
	SYS(ftruncate(fd, 2 * PAGE));
	EXPECT_NO_FAULT(p + PAGE + 100, 1, "after the file grew");
	EXPECT_FAULT(p + 2 * PAGE, 1, SIGBUS, BUS_ADRERR,
		     "write past the new end of the file");
	munmap(p, 3 * PAGE);
	close(fd);
}

/* ---- fixed mappings, unmapping, remapping ---- */

static void t_map_fixed(void)
{
	char *base = map_anon(8 * PAGE, PROT_NONE, MAP_PRIVATE), *p, *q;

	CHECKF(base != MAP_FAILED, "mmap: %s", strerror(errno));
	p = mmap(base + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECKF(p == base + 2 * PAGE, "MAP_FIXED returned %p, asked %p",
	       (void *)p, (void *)(base + 2 * PAGE));
	memset(p, 0x77, 2 * PAGE);
	EXPECT_FAULT(base + PAGE + 8, 0, SIGSEGV, SEGV_ACCERR,
		     "PROT_NONE page next to the MAP_FIXED one");
	EXPECT_FAULT(base + 4 * PAGE, 1, SIGSEGV, SEGV_ACCERR,
		     "PROT_NONE page after the MAP_FIXED one");
	/* MAP_FIXED over live data replaces it. */
	q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + PAGE);
	CHECKF(q[0] == 0 && q[PAGE - 1] == 0,
	       "MAP_FIXED over old data did not zero it");
	CHECKF(p[0] == 0x77 && p[PAGE - 1] == 0x77,
	       "MAP_FIXED clobbered the neighbouring page");
	errno = 0;
	q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	CHECKF(q == MAP_FAILED && errno == EEXIST,
	       "MAP_FIXED_NOREPLACE on a used range: %s",
	       q == MAP_FAILED ? strerror(errno) : "mapped");
	q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECKF(q != MAP_FAILED && q != p,
	       "a hint on a used range must map elsewhere (%p)", (void *)q);
	CHECKF(p[0] == 0x77, "hinted mmap clobbered the range");
	munmap(q, PAGE);
	munmap(base, 8 * PAGE);
}

static void t_munmap_partial(void)
{
	char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	CHECKF(p != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(p, 0x33, 3 * PAGE);
	SYS(munmap(p + PAGE, PAGE));
	EXPECT_FAULT(p + PAGE + 99, 0, SIGSEGV, SEGV_MAPERR,
		     "read of the unmapped middle page");
	CHECKF(p[0] == 0x33 && p[PAGE - 1] == 0x33 && p[2 * PAGE] == 0x33 &&
	       p[3 * PAGE - 1] == 0x33, "the pages around the hole changed");
	SYS(munmap(p, 3 * PAGE));	/* a range with a hole is fine */
	EXPECT_FAULT(p, 0, SIGSEGV, SEGV_MAPERR, "read after full munmap");
}

static void t_mremap(void)
{
	unsigned long *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE), *q, *r;
	char *target, *blocked;
	const size_t big = 1024 * PAGE;

	CHECKF(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t i = 0; i < 4 * PAGE / 8; i++)
		p[i] = tag(i, 5);
	q = mremap(p, 4 * PAGE, big, MREMAP_MAYMOVE);
	CHECKF(q != MAP_FAILED, "mremap grow: %s", strerror(errno));
	for (size_t i = 0; i < 4 * PAGE / 8; i++)
		CHECKF(q[i] == tag(i, 5), "mremap grow lost word %zu", i);
	for (size_t i = 4 * PAGE / 8; i < big / 8; i += 512)
		CHECKF(q[i] == 0, "grown part not zero at word %zu", i);
	q[big / 8 - 1] = 1;
	if (q != p)
		EXPECT_FAULT(p, 0, SIGSEGV, SEGV_MAPERR,
			     "old address after mremap moved it");

	/* Shrink in place. */
	r = mremap(q, big, 2 * PAGE, 0);
	CHECKF(r == q, "mremap shrink moved or failed: %s", strerror(errno));
	EXPECT_FAULT((char *)q + 3 * PAGE, 0, SIGSEGV, SEGV_MAPERR,
		     "beyond a shrunk mapping");

	/* Move to a chosen address. */
	target = map_anon(2 * PAGE, PROT_NONE, MAP_PRIVATE);
	CHECK(target != MAP_FAILED);
	r = mremap(q, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   target);
	CHECKF(r == (void *)target, "mremap MREMAP_FIXED: %s",
	       r == MAP_FAILED ? strerror(errno) : "wrong address");
	for (size_t i = 0; i < 2 * PAGE / 8; i++)
		CHECKF(r[i] == tag(i, 5), "MREMAP_FIXED lost word %zu", i);
	EXPECT_FAULT(q, 0, SIGSEGV, SEGV_MAPERR, "old address after a move");

	/* Growing in place into a used range fails without MAYMOVE. */
	blocked = mmap(target + 2 * PAGE, PAGE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0);
	if (blocked == target + 2 * PAGE) {
		errno = 0;
		q = mremap(r, 2 * PAGE, 4 * PAGE, 0);
		CHECKF(q == MAP_FAILED && errno == ENOMEM,
		       "blocked in-place mremap: %s",
		       q == MAP_FAILED ? strerror(errno) : "succeeded");
		munmap(blocked, PAGE);
	}
	munmap(r, 2 * PAGE);
}

/* ---- protections ---- */

static const char rodata_string[] = "read-only data";

static void t_mprotect_segv(void)
{
	char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	CHECKF(p != MAP_FAILED, "mmap: %s", strerror(errno));
	p[123] = 'x';
	p[PAGE + 5] = 'y';
	SYS(mprotect(p, PAGE, PROT_READ));
	EXPECT_FAULT(p + 123, 1, SIGSEGV, SEGV_ACCERR,
		     "write to a PROT_READ page");
	EXPECT_FAULT(p + 4095, 1, SIGSEGV, SEGV_ACCERR,
		     "write to the last byte of a PROT_READ page");
	CHECKF(p[123] == 'x', "PROT_READ page lost its data");
	EXPECT_NO_FAULT(p + PAGE + 5, 1, "the still-writable next page");
	SYS(mprotect(p, PAGE, PROT_NONE));
	EXPECT_FAULT(p + 77, 0, SIGSEGV, SEGV_ACCERR, "read of PROT_NONE");
	SYS(mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	EXPECT_NO_FAULT(p + 123, 1, "after PROT_READ|PROT_WRITE again");
	CHECKF(p[123] == 'x', "data lost across mprotect");
	EXPECT_FAULT(rodata_string + 3, 1, SIGSEGV, SEGV_ACCERR,
		     "write to .rodata");
	munmap(p, 2 * PAGE);
}

static void t_bad_addresses(void)
{
	int s;

	EXPECT_FAULT((char *)8, 0, SIGSEGV, SEGV_MAPERR, "read of address 8");
	EXPECT_FAULT((char *)0x7ffffffff000UL, 1, SIGSEGV, SEGV_MAPERR,
		     "write to the top user page");
	EXPECT_FAULT((char *)0xffff800000001000UL, 0, SIGSEGV, SEGV_MAPERR,
		     "read of a kernel address");
	/* A non-canonical address is a #GP: SI_KERNEL, no address. */
	s = gt_probe((char *)0x8000000000001000UL, 0);
	CHECKF(s == SIGSEGV && gt_probe_info.si_code == SI_KERNEL &&
	       gt_probe_info.si_addr == NULL,
	       "read of a non-canonical address: SIG%s si_code %d si_addr %p, "
	       "expected SIGSEGV si_code SI_KERNEL (%d) and no address",
	       s ? sigabbrev_np(s) : "NONE", gt_probe_info.si_code,
	       gt_probe_info.si_addr, SI_KERNEL);
}

static volatile sig_atomic_t nx_armed;
static sigjmp_buf nx_jmp;
static siginfo_t nx_info;

static void nx_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!nx_armed) {
		signal(sig, SIG_DFL);
		return;
	}
	nx_info = *si;
	nx_armed = 0;
	siglongjmp(nx_jmp, sig);
}

static void t_mprotect_exec(void)
{
	/* mov $42, %eax; ret */
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	unsigned char *p = map_anon(PAGE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE);
	int (*fn)(void);
	struct sigaction sa = { .sa_sigaction = nx_handler,
				.sa_flags = SA_SIGINFO };
	int sig, r;

	CHECKF(p != MAP_FAILED, "mmap: %s", strerror(errno));
	memcpy(p, code, sizeof(code));
	fn = (int (*)(void))p;
	SYS(mprotect(p, PAGE, PROT_READ | PROT_EXEC));
	r = fn();
	CHECKF(r == 42, "code in a PROT_EXEC page returned %d", r);
	/* Rewrite it: the new code must run, not a stale copy. */
	SYS(mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	p[1] = 43;
	SYS(mprotect(p, PAGE, PROT_READ | PROT_EXEC));
	r = fn();
	CHECKF(r == 43, "rewritten code returned %d, expected 43", r);
	/* Without PROT_EXEC it must not run (NX). */
	SYS(mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	sigaction(SIGSEGV, &sa, NULL);
	sig = sigsetjmp(nx_jmp, 1);
	if (sig == 0) {
		nx_armed = 1;
		r = fn();
		nx_armed = 0;
		FAIL("code in a page without PROT_EXEC ran (returned %d)", r);
	}
	CHECKF(sig == SIGSEGV && nx_info.si_addr == (void *)p &&
	       nx_info.si_code == SEGV_ACCERR,
	       "executing a non-exec page: SIG%s si_addr %p si_code %d",
	       sigabbrev_np(sig), nx_info.si_addr, nx_info.si_code);
	munmap(p, PAGE);
}

/* ---- madvise, mincore ---- */

static void t_madvise_dontneed(void)
{
	const size_t len = 16 * PAGE;
	char path[PATH_MAX];
	unsigned char *priv = map_anon(len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE);
	unsigned char *shared = map_anon(len, PROT_READ | PROT_WRITE,
					 MAP_SHARED);
	unsigned char *f;
	int fd;

	CHECKF(priv != MAP_FAILED && shared != MAP_FAILED, "mmap: %s",
	       strerror(errno));
	memset(priv, 0xab, len);
	memset(shared, 0xcd, len);
	SYS(madvise(priv + 4 * PAGE, 8 * PAGE, MADV_DONTNEED));
	for (size_t i = 0; i < len; i += 512) {
		int in = i >= 4 * PAGE && i < 12 * PAGE;

		CHECKF(priv[i] == (in ? 0 : 0xab),
		       "private anon +%zu after MADV_DONTNEED: 0x%x", i,
		       priv[i]);
	}
	SYS(madvise(shared, len, MADV_DONTNEED));
	for (size_t i = 0; i < len; i += 512)
		CHECKF(shared[i] == 0xcd,
		       "shared anon memory lost at +%zu by MADV_DONTNEED", i);

	/* A private file mapping reverts to the file's contents. */
	fd = make_file(path, sizeof(path), 0);
	CHECKF(fd >= 0, "temporary file: %s", strerror(errno));
	CHECK(pwrite(fd, "FILE", 4, 0) == 4);
	SYS(ftruncate(fd, PAGE));
	f = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECKF(f != MAP_FAILED, "mmap: %s", strerror(errno));
	memcpy(f, "COW!", 4);
	SYS(madvise(f, PAGE, MADV_DONTNEED));
	CHECKF(!memcmp(f, "FILE", 4),
	       "private file page after MADV_DONTNEED: \"%.4s\"", f);
	munmap(f, PAGE);
	close(fd);
	munmap(priv, len);
	munmap(shared, len);
}

static void t_mincore(void)
{
	const size_t n = 32;
	unsigned char vec[32];
	char *p = map_anon(n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	CHECKF(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t i = 0; i < n; i += 2)
		p[i * PAGE] = 1;
	SYS(mincore(p, n * PAGE, vec));
	for (size_t i = 0; i < n; i++)
		CHECKF((vec[i] & 1) == !(i % 2),
		       "mincore page %zu: %d (touched: %s)", i, vec[i] & 1,
		       i % 2 ? "no" : "yes");
	errno = 0;
	CHECKF(mincore(p + 1, PAGE, vec) == -1 && errno == EINVAL,
	       "mincore at an unaligned address: %s", strerror(errno));
	munmap(p, n * PAGE);
	errno = 0;
	CHECKF(mincore(p, PAGE, vec) == -1 && errno == ENOMEM,
	       "mincore of unmapped memory: %s", strerror(errno));
}

static void t_sparse_1g(void)
{
	const size_t len = 1024 * MiB;
	char *p = map_anon(len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_NORESERVE);

	CHECKF(p != MAP_FAILED, "mmap 1 GiB MAP_NORESERVE: %s",
	       strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);	/* 4 KiB per touch, not 2 MiB */
	for (size_t off = 0; off < len; off += 8 * MiB + PAGE)
		*(unsigned long *)(p + off) = tag(off, 6);
	for (size_t off = 0; off < len; off += 8 * MiB + PAGE)
		CHECKF(*(unsigned long *)(p + off) == tag(off, 6),
		       "sparse write at +%zu lost", off);
	CHECKF(p[len - 1] == 0, "last byte of 1 GiB not zero");
	SYS(munmap(p, len));
}

/* ---- stack ---- */

static unsigned long recurse(int depth, unsigned long seed)
{
	volatile unsigned char frame[60 * 1024];
	unsigned long sum;

	for (size_t i = 0; i < sizeof(frame); i += 1024)
		frame[i] = (unsigned char)(seed + i);
	sum = depth ? recurse(depth - 1, seed * 31 + 7) : 0;
	for (size_t i = 0; i < sizeof(frame); i += 1024)
		if (frame[i] != (unsigned char)(seed + i))
			return ~0UL;
	return sum == ~0UL ? sum : sum + frame[0];
}

static void t_stack_growth(void)
{
	struct rlimit rl;
	unsigned long r;

	SYS(getrlimit(RLIMIT_STACK, &rl));
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 6 * MiB)
		SKIP("RLIMIT_STACK is %lu KiB, under 6 MiB",
		     (unsigned long)rl.rlim_cur / 1024);
	r = recurse(70, 1);	/* 70 x 60 KiB: about 4 MiB of stack */
	CHECKF(r != ~0UL, "stack frames corrupted while growing the stack");
}

/* ---- kernel access to user memory ---- */

static void t_uaccess(void)
{
	char *fresh = map_anon(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *ro = map_anon(PAGE, PROT_READ, MAP_PRIVATE);
	char *gone = map_anon(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char big[3 * PAGE];
	int p[2];
	ssize_t n;

	CHECKF(fresh != MAP_FAILED && ro != MAP_FAILED && gone != MAP_FAILED,
	       "mmap: %s", strerror(errno));
	munmap(gone, PAGE);
	SYS(pipe(p));
	memset(big, 'z', sizeof(big));
	/* read() into never-touched pages: the kernel faults them in. */
	CHECK(write(p[1], big, sizeof(big)) == (ssize_t)sizeof(big));
	n = read(p[0], fresh + 100, sizeof(big));
	CHECKF(n == (ssize_t)sizeof(big), "read into untouched pages: %zd %s",
	       n, n < 0 ? strerror(errno) : "");
	CHECKF(fresh[100] == 'z' && fresh[100 + sizeof(big) - 1] == 'z',
	       "data read into untouched pages is wrong");
	/* write() from a never-touched page: zeroes. */
	CHECK(write(p[1], fresh + 3 * PAGE + 1024, 64) == 64);
	CHECK(read(p[0], big, 64) == 64);
	for (int i = 0; i < 64; i++)
		CHECKF(big[i] == 0, "write() from an untouched page: nonzero");
	/* Bad buffers are EFAULT, not a crash. */
	CHECK(write(p[1], "abc", 3) == 3);
	errno = 0;
	n = read(p[0], ro, 3);
	CHECKF(n == -1 && errno == EFAULT, "read into PROT_READ: %zd %s", n,
	       strerror(errno));
	errno = 0;
	n = read(p[0], gone, 3);
	CHECKF(n == -1 && errno == EFAULT, "read into unmapped: %zd %s", n,
	       strerror(errno));
	errno = 0;
	n = write(p[1], gone, 3);
	CHECKF(n == -1 && errno == EFAULT, "write from unmapped: %zd %s", n,
	       strerror(errno));
	errno = 0;
	n = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)ro);
	CHECKF(n == -1 && errno == EFAULT,
	       "clock_gettime into PROT_READ: %zd %s", n, strerror(errno));
	errno = 0;
	n = syscall(SYS_clock_gettime, CLOCK_MONOTONIC,
		    (void *)0xffff800000000000UL);
	CHECKF(n == -1 && errno == EFAULT,
	       "clock_gettime into a kernel address: %zd %s", n,
	       strerror(errno));
	errno = 0;
	n = open(gone, O_RDONLY);
	CHECKF(n == -1 && errno == EFAULT, "open(unmapped path): %zd %s", n,
	       strerror(errno));
	CHECK(read(p[0], big, 3) == 3 && !memcmp(big, "abc", 3));
	munmap(fresh, 4 * PAGE);
	munmap(ro, PAGE);
}

/* ---- copy-on-write across fork ---- */

static void t_fork_cow(void)
{
	const size_t len = 4 * MiB, words = len / 8;
	unsigned long *p = map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	int go[2], done[2];
	char c;
	pid_t pid;

	CHECKF(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t i = 0; i < words; i++)
		p[i] = tag(i, 7);
	SYS(pipe(go));
	SYS(pipe(done));
	pid = SYS(fork());
	if (pid == 0) {
		for (size_t i = 0; i < words; i++)
			if (p[i] != tag(i, 7))
				_exit(1);
		for (size_t i = 0; i < words; i++)
			p[i] = tag(i, 8);
		(void)!write(done[1], "d", 1);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		for (size_t i = 0; i < words; i++)
			if (p[i] != tag(i, 8))
				_exit(3);	/* saw the parent's write */
		_exit(0);
	}
	CHECK(read(done[0], &c, 1) == 1);
	for (size_t i = 0; i < words; i++)
		CHECKF(p[i] == tag(i, 7), "parent sees the child's write "
		       "at word %zu", i);
	for (size_t i = 0; i < words; i++)
		p[i] = tag(i, 9);
	CHECK(write(go[1], "g", 1) == 1);
	WAIT_EXIT(pid, 0, "child (1: saw wrong data before writing, "
		  "3: saw the parent's write)");
	for (size_t i = 0; i < words; i++)
		CHECKF(p[i] == tag(i, 9), "parent's own write lost at %zu", i);
}

/*
 * The same for small private mappings, which a fork keeps mapped
 * read-only in the parent's stub rather than unmapping them: a global in
 * the program's data, one in its bss, and a 4-page heap-like mapping.
 * The parent writes each after the child has read it; the child must
 * still see the value from before the fork.
 */
static unsigned long cow_data[64] = { 1 };
static unsigned long cow_bss[64];

static void t_fork_cow_small(void)
{
	unsigned long *m = map_anon(4 * PAGE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE);
	unsigned long *where[3] = { cow_data, cow_bss, m };
	int go[2], done[2];
	char c;
	pid_t pid;
	int i;

	CHECKF(m != MAP_FAILED, "mmap: %s", strerror(errno));
	for (i = 0; i < 3; i++)
		where[i][5] = tag(i, 1);
	SYS(pipe(go));
	SYS(pipe(done));
	pid = SYS(fork());
	if (pid == 0) {
		for (i = 0; i < 3; i++)
			if (where[i][5] != tag(i, 1))
				_exit(1);
		(void)!write(done[1], "d", 1);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		for (i = 0; i < 3; i++)
			if (where[i][5] != tag(i, 1))
				_exit(3 + i);	/* saw the parent's write */
		_exit(0);
	}
	CHECK(read(done[0], &c, 1) == 1);
	for (i = 0; i < 3; i++)
		where[i][5] = tag(i, 2);
	CHECK(write(go[1], "g", 1) == 1);
	WAIT_EXIT(pid, 0, "child (1: wrong data before the write; 3, 4, "
		  "5: saw the parent's write to data, bss, mapping)");
	for (i = 0; i < 3; i++)
		CHECKF(where[i][5] == tag(i, 2), "parent's write lost in %d", i);
}

static long mem_available_mib(void)
{
	char buf[4096], *s;
	struct sysinfo si;

	if (gt_read_file("/proc/meminfo", buf, sizeof(buf)) > 0 &&
	    (s = strstr(buf, "MemAvailable:")))
		return atol(s + 13) / 1024;
	if (sysinfo(&si) == 0)
		return (long)((si.freeram + si.bufferram) * si.mem_unit / MiB);
	return -1;
}

/*
 * 200 MiB, all written before fork. The parent writes every 16th page
 * (i % 16 == 3), the child others (i % 16 == 1), in turn; each must see
 * its own writes and the original everywhere else. Peak: 225 MiB.
 */
static void t_fork_cow_200m(void)
{
	const size_t len = 200 * MiB, pages = len / PAGE, w = PAGE / 8;
	const long need = 260;
	long avail = mem_available_mib();
	unsigned long *p;
	int go[2], done[2];
	char c;
	pid_t pid;

	if (avail >= 0 && avail < need)
		SKIP("needs about %ld MiB free, the system has %ld MiB "
		     "(run with more memory)", need, avail);
	/* MAP_POPULATE: demand faults are tested elsewhere, and slow. */
	p = map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE);
	CHECKF(p != MAP_FAILED, "mmap 200 MiB: %s", strerror(errno));
	memset(p, 0x5a, len);
	for (size_t i = 0; i < pages; i++)
		p[i * w] = p[i * w + w / 2] = tag(i, 10);
	SYS(pipe(go));
	SYS(pipe(done));
	pid = SYS(fork());
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		for (size_t i = 0; i < pages; i++)
			if (p[i * w] != tag(i, 10) ||
			    p[i * w + w / 2] != tag(i, 10) ||
			    p[i * w + 7] != 0x5a5a5a5a5a5a5a5aUL)
				_exit(3);	/* parent's writes leaked */
		for (size_t i = 1; i < pages; i += 16)
			p[i * w] = p[i * w + w / 2] = tag(i, 11);
		for (size_t i = 0; i < pages; i++) {
			unsigned long want = tag(i, i % 16 == 1 ? 11 : 10);

			if (p[i * w] != want || p[i * w + w / 2] != want)
				_exit(4);
		}
		_exit(0);
	}
	for (size_t i = 3; i < pages; i += 16)
		p[i * w] = p[i * w + w / 2] = tag(i, 12);
	CHECK(write(go[1], "g", 1) == 1);
	{
		int status, r = gt_wait_timeout(pid, &status, 30);

		CHECKF(r == 0, "child did not finish in 30 s");
		CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		       "child: %s (3: saw the parent's writes, 4: lost its "
		       "own)", gt_status_str(status));
	}
	for (size_t i = 0; i < pages; i++) {
		unsigned long want = tag(i, i % 16 == 3 ? 12 : 10);

		CHECKF(p[i * w] == want && p[i * w + w / 2] == want,
		       "parent: page %zu holds %s", i,
		       p[i * w] == tag(i, 11) ? "the child's write"
					      : "wrong data");
	}
	munmap(p, len);
}

static const struct gt_case cases[] = {
	GT_CASE(brk),
	GT_CASE(mmap_anon_private),
	GT_CASE(mmap_anon_shared),
	GT_CASE(mmap_file_shared),
	GT_CASE(mmap_file_private),
	GT_CASE(mmap_file_sigbus),
	GT_CASE(map_fixed),
	GT_CASE(munmap_partial),
	GT_CASE(mremap),
	GT_CASE(mprotect_segv),
	GT_CASE(bad_addresses),
	GT_CASE(mprotect_exec),
	GT_CASE(madvise_dontneed),
	GT_CASE(mincore),
	GT_CASE(sparse_1g),
	GT_CASE(stack_growth),
	GT_CASE(uaccess),
	GT_CASE(fork_cow),
	GT_CASE(fork_cow_small),
	GT_CASE(fork_cow_200m),
};

int main(int argc, char **argv, char **envp)
{
	return gt_main("mem", cases, GT_COUNT(cases), argc, argv, envp);
}

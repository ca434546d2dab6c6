/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The passage: the one narrow door between the coLinux guest kernel and the
 * host monitor. Both sides include this header and nothing else of each
 * other's. It holds only fixed-width types, constants and plain structs, so
 * it compiles both under the kernel (no libc) and in the monitor (no kernel
 * headers).
 *
 * The monitor calls the kernel's ELF entry point on a vCPU thread with a
 * pointer to a struct passage_boot. Everything the kernel asks of the host
 * goes through the function table in passage_boot.host; everything the host
 * tells the kernel asynchronously (interrupts) goes through the pending word
 * in struct passage_vcpu. Bump COLINUX_PASSAGE_VERSION on any change here.
 */
#ifndef COLINUX_PASSAGE_H
#define COLINUX_PASSAGE_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef u64 passage_u64;
typedef u32 passage_u32;
#else
#include <stdint.h>
typedef uint64_t passage_u64;
typedef uint32_t passage_u32;
#endif

#define COLINUX_PASSAGE_MAGIC	0x73736170u	/* "pass" */
#define COLINUX_PASSAGE_VERSION	12u

/*
 * Address layout inside the monitor's address space. Guest physical address
 * 0 sits at COLINUX_PHYS_BASE: the kernel image is linked there and the
 * memfd holding guest RAM is mapped there, so the kernel's direct map is one
 * subtraction. The vmalloc window above it is reserved (PROT_NONE) by the
 * monitor and filled on request through passage_host_ops.map.
 */
#define COLINUX_PHYS_BASE	0x40000000ULL
#define COLINUX_MEM_MAX		(32ULL << 30)
#define COLINUX_VMALLOC_START	0x1000000000ULL
#define COLINUX_VMALLOC_END	0x2000000000ULL

#define COLINUX_CMDLINE_MAX	2048
#define COLINUX_EXEC_MAX	4096	/* bytes of the job command, with NUL */

/*
 * Devices. Each virtio-mmio device has a register window of
 * COLINUX_MMIO_STRIDE bytes at guest-physical COLINUX_MMIO_BASE +
 * n * COLINUX_MMIO_STRIDE (above the largest RAM) and interrupt line
 * COLINUX_IRQ_VIRTIO + n; the monitor names them on the kernel command
 * line (virtio_mmio.device=). The windows are never mapped: ioremap
 * hands out addresses at COLINUX_IOREMAP_BASE + phys that fault if
 * touched, and the kernel's MMIO accessors reach the registers through
 * passage_host_ops.mmio_read and mmio_write.
 */
#define COLINUX_MMIO_BASE	0x800000000ULL
#define COLINUX_MMIO_STRIDE	0x1000ULL
#define COLINUX_MMIO_DEVICES	16
#define COLINUX_IOREMAP_BASE	0x2000000000ULL

/*
 * The kernel ELF carries its passage version in a note (name "coLinux",
 * type COLINUX_NOTE_PASSAGE, a 4-byte descriptor holding the version), so
 * the monitor refuses a kernel built against another passage before it runs
 * a single instruction of it.
 */
#define COLINUX_NOTE_NAME	"coLinux"
#define COLINUX_NOTE_PASSAGE	1

/* Interrupt lines the monitor raises in passage_vcpu.irq_pending. */
#define COLINUX_IRQ_TIMER	0
#define COLINUX_IRQ_SHUTDOWN	1	/* the user asked the guest to stop */
#define COLINUX_IRQ_CONSOLE	2	/* console input arrived */
#define COLINUX_IRQ_VIRTIO	3	/* device n raises line 3 + n */
#define COLINUX_IRQ_NR		32

/* Reasons for passage_host_ops.halt. */
#define COLINUX_HALT_POWER_OFF	0
#define COLINUX_HALT_REBOOT	1
#define COLINUX_HALT_PANIC	2

/* Protection bits for passage_host_ops.map. */
#define COLINUX_PROT_READ	1
#define COLINUX_PROT_WRITE	2
#define COLINUX_PROT_EXEC	4

/*
 * Registers of an interrupted context, in the order of x86-64's struct
 * pt_regs (and so of user_regs_struct up to ss). The monitor fills one from
 * a host signal's ucontext when the kernel itself faults.
 */
struct passage_regs {
	passage_u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	passage_u64 rax, rcx, rdx, rsi, rdi, orig_rax;
	passage_u64 rip, cs, eflags, rsp, ss;
};

/* A synchronous fault taken by kernel code on a vCPU thread. */
struct passage_trap {
	struct passage_regs regs;
	passage_u64 trapno;	/* x86 vector: 14 page fault, 13 GP, 6 UD, ... */
	passage_u64 error_code;	/* x86 page-fault error code when known */
	passage_u64 address;	/* faulting address (cr2) */
	passage_u64 signo;	/* host signal that reported it */
};

/*
 * User space. Each guest address space (mm) is one host process, the
 * stub, holding nothing but guest pages and the stub's own pages at
 * COLINUX_STUB_BASE (just above the guest's TASK_SIZE). A guest thread
 * runs in the stub's guest thread; when it traps (system call, fault,
 * preemption) the stub saves its registers in the mm's mailbox, a few
 * pages of guest RAM also mapped in the stub, and hands the vCPU back to
 * the kernel. The mailbox is writable by guest code: the kernel copies
 * what it needs out of it and trusts none of it, not even that the
 * guest thread stopped.
 *
 * The mm's edits (struct passage_mm_edits) are another page, read-only
 * in the stub: only the stub's mapper thread, which runs no guest code
 * and is the only one allowed to map guest RAM, reads them.
 */
#define COLINUX_STUB_BASE	0x7fffffefe000ULL
#define COLINUX_STUB_END	0x7fffffffe000ULL
#define COLINUX_STUB_MAILBOX	(COLINUX_STUB_BASE + 0x80000ULL)
#define COLINUX_MAILBOX_PAGES	4	/* mailbox page + vector state */
#define COLINUX_STUB_EDITS	(COLINUX_STUB_BASE + 0x88000ULL)
/*
 * The guest thread's vector state, as the host wrote it in the stub's
 * signal frame (x86 signal-frame fpstate: FXSAVE image, then the XSAVE
 * header and components, with its sw_reserved sizes), copied here on
 * every trap, so the kernel can put it in guest signal frames.
 */
#define COLINUX_MAILBOX_FPU	4096ULL	/* offset in the mailbox */
#define COLINUX_MAILBOX_FPU_MAX	(3 * 4096ULL)
#define COLINUX_STUB_MEM_FD	3	/* guest RAM's memfd in the stub */
/*
 * The host's own vDSO and its data pages, moved by each stub to this
 * fixed place in its area, so that the guest's vDSO can read the host
 * clock the passage clocksource reads, without a trap: see
 * passage_boot.host_clock_gettime.
 */
#define COLINUX_STUB_HOST_VDSO	(COLINUX_STUB_BASE + 0xc0000ULL)
#define COLINUX_STUB_HOST_VDSO_MAX	0x30000ULL

/* Mailbox ownership, also its futex word. */
#define COLINUX_MB_KERNEL	0	/* trapped: the kernel owns the thread */
#define COLINUX_MB_USER		1	/* the stub runs guest code */

/* Why a guest thread came back to the kernel. */
#define COLINUX_TRAP_SYSCALL	1
#define COLINUX_TRAP_FAULT	2	/* SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP */
#define COLINUX_TRAP_PREEMPT	3	/* the host stopped it for an interrupt */

/*
 * Address-space edits: the kernel queues them in the mm's edit page; the
 * stub applies them, in order, before the guest thread next runs
 * (user_run), or at once (stub_sync). Either call returns with ncmds 0.
 * A MAP fills the host's page tables at once (MAP_POPULATE): a host page
 * fault costs a hypervisor exit where the host is a VM, tens of
 * microseconds, and a populated page a fraction of one.
 */
#define COLINUX_MM_MAP		1	/* phys..+len of guest RAM at addr */
#define COLINUX_MM_UNMAP	2
/*
 * Take access away from what the stub maps at addr..+len: prot is what
 * is left. One host call for a range the stub maps page by page; where
 * the stub maps nothing at some page of it, it unmaps the whole range
 * instead (guest code then faults it back in).
 */
#define COLINUX_MM_PROTECT	3
#define COLINUX_MM_CMDS		127	/* the edit page must fit a page */

struct passage_mm_cmd {
	passage_u32 op;
	passage_u32 prot;	/* COLINUX_PROT_* */
	passage_u64 addr, len, phys;
};

struct passage_mm_edits {
	passage_u32 ncmds;
	passage_u32 pad;
	struct passage_mm_cmd cmds[COLINUX_MM_CMDS];
};

struct passage_mailbox {
	volatile passage_u32 state;	/* COLINUX_MB_*, a futex word */
	volatile passage_u32 kernel_waiting;
	volatile passage_u32 stub_waiting;
	/* Set when the kernel switched to another address space: a stub
	 * spinning for this thread's resume should sleep instead. */
	volatile passage_u32 kernel_busy;
	passage_u32 trap;		/* COLINUX_TRAP_* */
	struct passage_regs regs;
	passage_u64 fs_base, gs_base;
	/* For COLINUX_TRAP_FAULT: the host signal and x86 fault data. */
	passage_u64 signo, si_code, trapno, error_code, address;
	/* Bytes of vector state at COLINUX_MAILBOX_FPU (0: none saved). */
	passage_u32 fpu_size;
	/* Set by the kernel: load the vector state back before resuming. */
	passage_u32 fpu_dirty;
};

/* Per-vCPU words shared between the vCPU thread and host signal handlers. */
struct passage_vcpu {
	/* Bit n set: interrupt line n is pending. Set by the host, cleared
	 * by the kernel with an atomic exchange. Also a futex word. */
	volatile passage_u32 irq_pending;
};

/*
 * Host services. Each runs on the calling vCPU thread, on the kernel's
 * stack, and returns 0 or a negative errno. They never call back into the
 * kernel.
 */
struct passage_host_ops {
	void (*console_write)(const char *buf, passage_u64 len);
	passage_u64 (*clock_monotonic_ns)(void);
	passage_u64 (*clock_realtime_ns)(void);
	/* Arm the vCPU's one-shot timer delta_ns from now; 0 disarms it. */
	int (*timer_set)(passage_u64 delta_ns);
	/* Sleep until irq_pending is non-zero. */
	void (*idle)(void);
	/* Map guest-physical [phys, phys+len) at kernel address vaddr. */
	int (*map)(passage_u64 vaddr, passage_u64 phys, passage_u64 len,
		   int prot);
	/* Make [vaddr, vaddr+len) inaccessible again. */
	int (*unmap)(passage_u64 vaddr, passage_u64 len);
	/*
	 * Stop the guest with exit status `status` (power off); msg is the
	 * panic text for COLINUX_HALT_PANIC.
	 */
	void (*halt)(int reason, int status, const char *msg)
		__attribute__((noreturn));
	/*
	 * Start a stub process for a new guest address space, with its
	 * mailbox (COLINUX_MAILBOX_PAGES) and edit page at these
	 * guest-physical addresses. Returns a handle (> 0) or -errno.
	 */
	long (*stub_create)(passage_u64 mailbox_phys, passage_u64 edits_phys);
	/*
	 * End a stub: after it returns no guest code runs in it again, so
	 * the pages it mapped (guest pages, mailbox, edit page) may be freed.
	 */
	void (*stub_destroy)(long stub);
	/*
	 * Apply the stub's queued edits, then run the mailbox's thread in
	 * it until it traps; 0 or -errno.
	 */
	int (*user_run)(long stub, struct passage_mailbox *mb);
	/*
	 * Apply the stub's queued edits now, whatever its guest thread is
	 * doing: a flush, after which the removed pages may be reused.
	 * 0, or -errno if the stub is gone (then it maps nothing).
	 */
	int (*stub_sync)(long stub);
	/* Read console input: up to len bytes, 0 if none is waiting. */
	long (*console_read)(char *buf, passage_u64 len);
	/* A device register access of size 1, 2, 4 or 8 bytes at phys. */
	passage_u64 (*mmio_read)(passage_u64 phys, passage_u32 size);
	void (*mmio_write)(passage_u64 phys, passage_u32 size,
			   passage_u64 value);
};

struct passage_boot {
	passage_u32 magic;		/* COLINUX_PASSAGE_MAGIC */
	passage_u32 version;		/* COLINUX_PASSAGE_VERSION */
	passage_u64 mem_size;		/* bytes of guest RAM from phys 0 */
	passage_u64 initrd_start;	/* guest-physical, 0 if none */
	passage_u64 initrd_size;
	char cmdline[COLINUX_CMDLINE_MAX];
	/*
	 * The job the user gave with --exec, a NUL-terminated shell command
	 * (empty: none). The kernel shows it to init as the read-only
	 * /sys/module/colinux/parameters/exec, whatever the root file system.
	 */
	char exec[COLINUX_EXEC_MAX];
	/*
	 * Address, in every stub, of the host vDSO's clock_gettime (an
	 * int (*)(int clock, struct timespec *)), or 0 if the monitor could
	 * not place the host vDSO there: then the guest vDSO makes system
	 * calls. Read with CLOCK_MONOTONIC it gives what clock_monotonic_ns
	 * gives the kernel.
	 */
	passage_u64 host_clock_gettime;
	/*
	 * The host's AT_MINSIGSTKSZ (0 if it gives none). Guest signal
	 * frames carry the vector state as the host saved it, so they are
	 * as large as the host's and the guest reports the same minimum.
	 */
	passage_u64 host_minsigstksz;
	const struct passage_host_ops *host;
	struct passage_vcpu *vcpu;

	/*
	 * Filled by the kernel before it enables interrupts: where the
	 * monitor sends a vCPU that faulted in kernel code. The monitor
	 * writes a struct passage_trap at the 16-byte aligned stack address
	 * it passes in %rdi and at %rsp, and jumps there.
	 */
	void (*kernel_trap_entry)(struct passage_trap *trap);
};

/* The kernel ELF's entry point. */
typedef void (*passage_entry_fn)(struct passage_boot *boot);

#endif /* COLINUX_PASSAGE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Guest programs are x86-64 ELF binaries, loaded as x86-64 Linux does. */
#ifndef _ASM_COLINUX_ELF_H
#define _ASM_COLINUX_ELF_H

#include <asm/ptrace.h>
#include <asm/user.h>

#define ELF_CLASS	ELFCLASS64
#define ELF_DATA	ELFDATA2LSB
#define ELF_ARCH	EM_X86_64
#define elf_check_arch(x)	((x)->e_machine == EM_X86_64)

typedef unsigned long elf_greg_t;
#define ELF_NGREG	(sizeof(struct user_regs_struct) / sizeof(elf_greg_t))
typedef elf_greg_t elf_gregset_t[ELF_NGREG];
typedef struct user_i387_struct elf_fpregset_t;

#define ELF_EXEC_PAGESIZE	4096
#define ELF_ET_DYN_BASE		(TASK_SIZE / 3 * 2)
unsigned int colinux_elf_hwcap(void);
#define ELF_HWCAP		colinux_elf_hwcap()
#define ELF_PLATFORM		("x86_64")
#define CORE_DUMP_USE_REGSET

/* The vDSO (kernel/vdso.c), as on x86-64. */
#define ARCH_HAS_SETUP_ADDITIONAL_PAGES 1
struct linux_binprm;
int arch_setup_additional_pages(struct linux_binprm *bprm, int uses_interp);
unsigned long colinux_minsigstksz(void);

#define ARCH_DLINFO							\
do {									\
	NEW_AUX_ENT(AT_MINSIGSTKSZ, colinux_minsigstksz());		\
	if (current->mm->context.vdso)					\
		NEW_AUX_ENT(AT_SYSINFO_EHDR,				\
			    (unsigned long)current->mm->context.vdso);	\
} while (0)

#define SET_PERSONALITY(ex)	set_personality(PER_LINUX | \
					(current->personality & ~PER_MASK))

#endif

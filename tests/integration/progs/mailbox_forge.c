// SPDX-License-Identifier: GPL-2.0
/*
 * A guest program writes a mapping edit into its own mailbox (its stub
 * maps the mailbox where guest code can write it), naming the first page
 * of guest RAM, the kernel's, then makes a system call. The kernel must
 * drop the edit: the page must not appear in the program's memory.
 * Exit 0 and "dropped" if so; 1 if the page could be read.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <colinux/passage.h>

static sigjmp_buf env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

int main(void)
{
	struct passage_mailbox *mb = (void *)COLINUX_STUB_MAILBOX;
	volatile unsigned char *target = (void *)0x500000000000ULL;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(env, 1)) {
		printf("mailbox_forge: no mailbox to write here\n");
		return 2;
	}
	mb->cmds[0] = (struct passage_mm_cmd){
		.op = COLINUX_MM_MAP, .prot = COLINUX_PROT_READ,
		.addr = (unsigned long)target, .len = 4096, .phys = 0,
	};
	mb->ncmds = 1;
	syscall(SYS_getppid);
	if (sigsetjmp(env, 1)) {
		printf("mailbox_forge: the forged edit was dropped\n");
		return 0;
	}
	printf("mailbox_forge: FORGED MAPPING READABLE (first byte %02x)\n",
	       target[0]);
	return 1;
}

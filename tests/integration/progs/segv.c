/* Writes to an unmapped address; reports si_addr from its handler. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BAD_ADDR ((int *)0x1234)

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	char msg[64];
	int n;

	(void)ctx;
	n = snprintf(msg, sizeof(msg), "SIGSEGV si_addr=%p code=%d\n",
		     si->si_addr, si->si_code);
	if (write(1, msg, n) != n)
		_exit(2);
	_exit(sig == SIGSEGV && si->si_addr == BAD_ADDR ? 42 : 1);
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	if (argc > 1) {	/* "catch": handle it; else die of it */
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_segv;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
	}
	*(volatile int *)BAD_ADDR = 1;
	return 0;
}

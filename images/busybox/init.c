// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the default colinux image. Mounts the kernel's file systems,
 * runs the job (the --exec command with /bin/sh -c, or a login shell on
 * the console with job control), reaps orphans, and powers off when the
 * job ends, with its exit status as the monitor's. busybox's poweroff,
 * reboot and halt signal init (SIGUSR2, SIGTERM, SIGUSR1); so does the
 * kernel when the host asks for a shutdown. Then every process is asked
 * to end, the file systems are synced, / is made read-only (it may be a
 * disk), and the machine goes down. The job comes from the kernel's
 * colinux.exec parameter, filled from the monitor's --exec.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define EXEC_FILE	"/sys/module/colinux/parameters/exec"
#define STATUS_FILE	"/sys/module/colinux/parameters/exit_status"

static volatile sig_atomic_t requested;	/* RB_* from a signal, or 0 */

static void on_request(int sig)
{
	requested = sig == SIGTERM ? RB_AUTOBOOT :
		    sig == SIGUSR1 ? RB_HALT_SYSTEM : RB_POWER_OFF;
}

static void mounts(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mkdir("/dev/pts", 0755);
	mkdir("/tmp", 01777);
	mkdir("/root", 0700);
	mount("devpts", "/dev/pts", "devpts", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	sethostname("colinux", 7);
}

static char *read_exec(void)
{
	static char cmd[65536];
	int fd = open(EXEC_FILE, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, cmd, sizeof(cmd) - 1);
	close(fd);
	if (n <= 0)
		return NULL;	/* no --exec: a login shell */
	cmd[n] = '\0';
	return cmd;
}

/*
 * The job's terminal: the virtio console when the guest has one (the
 * kernel's own messages stay on /dev/console). Like the passage console,
 * it leaves newline translation to the host terminal.
 */
static void use_hvc0(void)
{
	struct termios t;
	int fd = open("/dev/hvc0", O_RDWR);

	if (fd < 0)
		return;
	if (tcgetattr(fd, &t) == 0) {
		t.c_oflag &= ~ONLCR;
		tcsetattr(fd, TCSANOW, &t);
	}
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static pid_t start_job(const char *cmd)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	/* The child: default signals, its own session on the console. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	setsid();
	use_hvc0();
	ioctl(0, TIOCSCTTY, 1);
	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
	setenv("HOME", "/root", 1);
	if (!getenv("TERM"))
		setenv("TERM", "linux", 1);
	if (cmd) {
		if (chdir("/root") < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	} else {
		if (chdir("/") < 0)
			_exit(127);
		execl("/bin/sh", "-sh", (char *)NULL);
	}
	_exit(127);
}

static void write_status(int status)
{
	FILE *f = fopen(STATUS_FILE, "w");

	if (f) {
		fprintf(f, "%d\n", status);
		fclose(f);
	}
}

static void go_down(int how)
{
	/* Give what is left a moment to end cleanly, if anything is left. */
	if (kill(-1, SIGTERM) == 0)
		usleep(100000);
	kill(-1, SIGKILL);
	sync();
	/* A disk root must be clean for the next boot: unmount what we
	 * mounted, then make / read-only, which writes everything back. */
	umount2("/tmp", MNT_DETACH);
	umount2("/dev/pts", MNT_DETACH);
	mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL);
	sync();
	reboot(how);
}

int main(void)
{
	struct sigaction sa;
	int status = 0;
	pid_t job;

	if (getpid() != 1) {
		fprintf(stderr, "init: must run as pid 1\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_request;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGINT, SIG_IGN);

	mounts();
	job = start_job(read_exec());
	while (!requested) {
		int st;
		pid_t pid = wait(&st);

		if (pid < 0 && errno == ECHILD)
			break;
		if (pid == job) {
			status = WIFEXITED(st) ? WEXITSTATUS(st) :
				 128 + WTERMSIG(st);
			break;
		}
	}
	write_status(requested ? 0 : status);
	go_down(requested ? (int)requested : RB_POWER_OFF);
	return 0;
}

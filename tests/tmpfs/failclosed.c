/*
 * Fail closed on the host side: a guest whose cwd is in the mount at
 * argv[1] makes relative calls ukcov does not trap (mount(2), acct(2),
 * chroot(2) are not in its table), run from the host directory it left,
 * which holds a directory "d" and a file "f". None may reach that
 * directory: each must fail (the host cwd is then a dead directory, where
 * Linux finds no name, ENOENT, whoever asks). Exit 0 pass, 1 fail, 77 skip
 * (not root: the calls need privileges).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int bad;

static void expect_fail(const char *what, long r)
{
	if (r == 0) {
		fprintf(stderr, "FAIL: %s reached the host directory\n", what);
		bad = 1;
	} else {
		printf("%s: %s\n", what, strerror(errno));
	}
}

static void untrapped_calls(void)
{
	/* The host kernel resolves these relative to the process's real cwd. */
	if (mount("none", "d", "tmpfs", 0, NULL) == 0) {
		umount2("d", MNT_DETACH);
		errno = 0;
		expect_fail("mount(d)", 0);
	} else {
		expect_fail("mount(d)", -1);
	}
	if (mount("none", "../d", "tmpfs", 0, NULL) == 0) {
		umount2("../d", MNT_DETACH);
		expect_fail("mount(../d)", 0);
	} else {
		expect_fail("mount(../d)", -1);
	}
	if (syscall(SYS_acct, "f") == 0) {
		syscall(SYS_acct, NULL);
		expect_fail("acct(f)", 0);
	} else {
		expect_fail("acct(f)", -1);
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * chdir in and out of the mount under a 10 kHz SA_RESTART timer (a chdir
 * is restarted whenever a signal comes first): every chdir lands, and the
 * host cwd left in the mount is still a dead one.
 */
static void signal_storm(const char *mnt)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 100 }, { 0, 100 } }, off = { 0 };
	char cwd[4096];

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < 300; i++) {
		if (chdir(mnt) || !getcwd(cwd, sizeof(cwd)) || strcmp(cwd, mnt) || chdir("/") ||
		    !getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/")) {
			fprintf(stderr, "FAIL: chdir under signals, round %d: %s\n", i, strerror(errno));
			bad = 1;
			break;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
}

int main(int argc, char **argv)
{
	pid_t pid;
	int st;

	if (argc != 2)
		return 2;
	if (geteuid() != 0)
		return 77;
	if (mkdir("d", 0755) && errno != EEXIST)
		return perror("mkdir d"), 1;
	if (close(open("f", O_CREAT | O_WRONLY, 0644)))
		return perror("create f"), 1;
	if (chdir(argv[1]))
		return perror("chdir into the mount"), 1;
	untrapped_calls();
	fflush(stdout);
	/* A child inherits the cwd; so does a grandchild that made no trapped call. */
	pid = fork();
	if (pid == 0) {
		untrapped_calls();
		fflush(stdout);
		_exit(bad);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		bad = 1;
	signal_storm(argv[1]);
	if (chdir(argv[1]))
		return perror("chdir into the mount"), 1;
	/* From the mount, "../HOSTDIR/d" is not the way back to the host: the host cwd is dead. */
	untrapped_calls();
	return bad;
}

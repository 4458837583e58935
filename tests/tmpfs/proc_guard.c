/*
 * A walk that leaves the mount at argv[1] into /proc is finished for the
 * guest, and must give exactly what the same open gives the guest directly
 * (which the host kernel judges): "/proc/self" there is the guest, and no
 * spelling (/proc/./self/mem, /proc/./PID/maps, symlink chains) lends the
 * supervisor's identity. Each target is opened both ways as root, as root
 * with every capability dropped, and as uid 65534. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NTARGETS 14

static char targets[NTARGETS][128];
static const char *mnt;
static pid_t supervisor; /* the guest's parent */

static void make_targets(void)
{
	pid_t pp = getppid();
	int i = 0;

	snprintf(targets[i++], 128, "/proc/self/status");
	snprintf(targets[i++], 128, "/proc/self/mem");
	snprintf(targets[i++], 128, "/proc/./self/mem");
	snprintf(targets[i++], 128, "/proc/thread-self/mem");
	snprintf(targets[i++], 128, "/proc/self/../self/maps");
	snprintf(targets[i++], 128, "/proc/%d/mem", pp);
	snprintf(targets[i++], 128, "/proc/./%d/mem", pp);
	snprintf(targets[i++], 128, "/proc/./%d/maps", pp);
	snprintf(targets[i++], 128, "/proc/%d/../%d/environ", pp, pp);
	snprintf(targets[i++], 128, "/proc/./1/maps");
	snprintf(targets[i++], 128, "/proc/1/./environ");
	snprintf(targets[i++], 128, "/proc/./%d/fd/0", pp);
	snprintf(targets[i++], 128, "%s/chain", mnt); /* -> m13 -> /proc/./PPID/mem */
	snprintf(targets[i++], 128, "/proc/sys/kernel/hostname");
}

/* The guest's answer to open(path): "ok" or its errno. */
static const char *outcome(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		return strerror(errno);
	close(fd);
	return "ok";
}

static int compare(const char *who)
{
	static const int modes[] = { O_RDONLY, O_RDWR, O_WRONLY };
	char link[4096];
	int bad = 0;

	for (int i = 0; i < NTARGETS; i++) {
		snprintf(link, sizeof(link), "%s/m%d", mnt, i);
		for (int m = 0; m < 3; m++) {
			char direct[64];

			/* The chain is a mount path itself: compare with its last target. */
			snprintf(direct, sizeof(direct), "%s",
				 outcome(i == NTARGETS - 2 ? targets[6] : targets[i], modes[m]));
			const char *via = outcome(link, modes[m]);

			if (strcmp(direct, via)) {
				fprintf(stderr, "FAIL %s: open(%s, %d): directly %s, through the mount %s\n",
					who, targets[i], modes[m], direct, via);
				bad = 1;
			}
		}
	}
	return bad;
}

/*
 * readlink and stat of the supervisor's links through the mount, against
 * the direct calls (not for a root with capabilities, which Linux lets
 * through and ukcov refuses: docs/proc-view.md).
 */
static int compare_names(const char *who)
{
	char path[3][64], link[4096], a[4096], b[4096];
	struct stat st;
	int bad = 0;

	snprintf(path[0], 64, "/proc/%d/cwd", supervisor);
	snprintf(path[1], 64, "/proc/./%d/fd/0", supervisor);
	snprintf(path[2], 64, "/proc/./self/cwd");
	for (int i = 0; i < 3; i++) {
		ssize_t n;

		/* n0 -> /proc/SUP, n1 -> /proc/./SUP/fd, n2 -> /proc/./self: the link is reached through them. */
		snprintf(link, sizeof(link), "%s/n%d/%s", mnt, i, i == 1 ? "0" : "cwd");
		n = readlink(path[i], a, sizeof(a) - 1);
		snprintf(a, sizeof(a), "%s", n < 0 ? strerror(errno) : "ok");
		n = readlink(link, b, sizeof(b) - 1);
		snprintf(b, sizeof(b), "%s", n < 0 ? strerror(errno) : "ok");
		if (strcmp(a, b)) {
			fprintf(stderr, "FAIL %s: readlink(%s): directly %s, through the mount %s\n", who, path[i], a, b);
			bad = 1;
		}
		snprintf(a, sizeof(a), "%s", stat(path[i], &st) ? strerror(errno) : "ok");
		snprintf(b, sizeof(b), "%s", stat(link, &st) ? strerror(errno) : "ok");
		if (strcmp(a, b)) {
			fprintf(stderr, "FAIL %s: stat(%s): directly %s, through the mount %s\n", who, path[i], a, b);
			bad = 1;
		}
	}
	return bad;
}

static int drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };

	return (int)syscall(SYS_capset, &h, d);
}

static int as(const char *who, int kind)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (kind == 1 && drop_caps())
			_exit(2);
		if (kind == 2 && (syscall(SYS_setgroups, 0, NULL) || syscall(SYS_setresgid, 65534, 65534, 65534) ||
				  syscall(SYS_setresuid, 65534, 65534, 65534)))
			_exit(2);
		_exit(compare(who) | (kind ? compare_names(who) : 0));
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int main(int argc, char **argv)
{
	char link[4096], buf[4096] = { 0 }, want[32];
	int fd, bad = 0;

	if (argc != 2)
		return 2;
	mnt = argv[1];
	supervisor = getppid();
	make_targets();
	for (int i = 0; i < NTARGETS; i++) {
		snprintf(link, sizeof(link), "%s/m%d", mnt, i);
		if (symlink(i == NTARGETS - 2 ? "m13x" : targets[i], link))
			return perror("symlink"), 1;
	}
	snprintf(link, sizeof(link), "%s/m13x", mnt);
	if (symlink(targets[6], link))
		return perror("symlink"), 1;
	for (int i = 0; i < 3; i++) {
		char target[64];

		snprintf(link, sizeof(link), "%s/n%d", mnt, i);
		if (i == 0)
			snprintf(target, sizeof(target), "/proc/%d", supervisor);
		else if (i == 1)
			snprintf(target, sizeof(target), "/proc/./%d/fd", supervisor);
		else
			snprintf(target, sizeof(target), "/proc/./self");
		if (symlink(target, link))
			return perror("symlink"), 1;
	}
	/* /proc/self through the mount is the guest. */
	snprintf(link, sizeof(link), "%s/m0", mnt);
	fd = open(link, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return perror("open /proc/self/status through the mount"), 1;
	close(fd);
	snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
	if (!strstr(buf, want)) {
		fprintf(stderr, "FAIL: /proc/self through the mount is not the guest (want%s)\n", want);
		bad = 1;
	}
	if (geteuid() == 0) {
		bad |= as("root", 0);
		bad |= as("root without capabilities", 1);
		bad |= as("uid 65534", 2);
	} else {
		bad |= compare("unprivileged");
	}
	return bad;
}

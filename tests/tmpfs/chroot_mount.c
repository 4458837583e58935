/*
 * Guest (--tmpfs=/mnt/t, as root): chroot(2) to a path in a mount answers
 * Linux's lookup errors (ENOENT, ENOTDIR, EACCES for a directory the caller
 * may not search; compared with /dev/shm), then EPERM for a directory
 * (documented: a guest's root cannot move into a mount). It reached the
 * host (ENOENT for everything). Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* errno of chroot(path) in a child (as uid, if not 0), 0 on success */
static int chroot_errno(const char *path, uid_t uid)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (uid && setresuid(uid, uid, uid))
			_exit(255);
		_exit(chroot(path) ? errno : 0);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void cases(const char *base, int *out)
{
	char d[256], f[256], locked[256], in[300];

	snprintf(d, sizeof(d), "%s/ukcov-chroot", base);
	snprintf(f, sizeof(f), "%s/file", d);
	snprintf(locked, sizeof(locked), "%s/locked", d);
	snprintf(in, sizeof(in), "%s/inner", locked);
	mkdir(d, 0755);
	close(open(f, O_CREAT | O_WRONLY, 0644));
	mkdir(locked, 0700);
	mkdir(in, 0755);
	out[0] = chroot_errno(f, 0);
	out[1] = chroot_errno(d, 65534) == EPERM; /* unprivileged: EPERM after the lookup */
	out[2] = chroot_errno(in, 65534);
	snprintf(in, sizeof(in), "%s/missing", d);
	out[3] = chroot_errno(in, 0);
	snprintf(in, sizeof(in), "%s/inner", locked);
	rmdir(in), rmdir(locked), unlink(f), rmdir(d);
}

int main(void)
{
	int l[4], u[4], fails = 0;

	cases("/dev/shm", l);
	cases("/mnt/t", u);
	for (int i = 0; i < 4; i++)
		if (l[i] != u[i])
			printf("case %d: Linux %d, ukcov %d\n", i, l[i], u[i]), fails++;
	if (chroot_errno("/mnt/t", 0) != EPERM)
		printf("chroot into the mount as root: not EPERM\n"), fails++;
	printf("%s\n", fails ? "FAIL" : "ok");
	return fails != 0;
}

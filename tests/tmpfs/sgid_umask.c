/*
 * Guest (--tmpfs=/mnt/t, as root): a setgid, group-executable file created
 * in a setgid directory by someone outside its group loses setgid before the
 * umask is applied, as vfs_prepare_mode() does (LTP's creat09 with
 * umask(S_IXGRP)): compared with Linux's tmpfs on /dev/shm. It kept setgid.
 * Exit 0 pass, 1 fail, 77 skip.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* the new files' modes (umask 0, then umask S_IXGRP) as the child saw them, or -1 */
static long modes(const char *base)
{
	char dir[256], f[300];
	int status;
	pid_t pid;
	long out = -1;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/ukcov-sgid", base);
	mkdir(dir, 0777);
	if (chown(dir, 65534, 54321) || chmod(dir, 02777))
		return -1;
	pid = fork();
	if (pid == 0) {
		long m = 0;

		if (setgid(65534) || setgroups(0, NULL) || setreuid(-1, 65534))
			_exit(2);
		for (int i = 0; i < 2; i++) {
			umask(i ? S_IXGRP : 0);
			snprintf(f, sizeof(f), "%s/f%d", dir, i);
			close(open(f, O_CREAT | O_EXCL | O_RDWR, 02777));
			if (stat(f, &st))
				_exit(3);
			m = m << 16 | (st.st_mode & 07777);
		}
		_exit(m == 0 ? 4 : (int)((m >> 16 & S_ISGID ? 1 : 0) | (m & S_ISGID ? 2 : 0)) + 10);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		out = WEXITSTATUS(status);
	for (int i = 0; i < 2; i++)
		snprintf(f, sizeof(f), "%s/f%d", dir, i), unlink(f);
	rmdir(dir);
	return out;
}

int main(void)
{
	long l = modes("/dev/shm"), u = modes("/mnt/t");

	if (l < 10)
		return printf("skip: the check could not run on /dev/shm (%ld)\n", l), 77;
	printf("setgid kept (bit 0: umask 0, bit 1: umask S_IXGRP): Linux %ld, ukcov %ld\n", l - 10, u - 10);
	return l == u ? (puts("ok"), 0) : (puts("FAIL"), 1);
}

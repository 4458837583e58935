/*
 * Guest (--tmpfs=/mnt/t): getdents(2), the old record format (LTP's
 * getdents01 uses it), lists a mount directory as Linux's tmpfs does: the
 * same names with the same d_type (in the record's last byte), the same
 * answer to a buffer too small for one record and to a non-directory.
 * It answered EINVAL. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct linux_dirent {
	unsigned long d_ino, d_off;
	unsigned short d_reclen;
	char d_name[];
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "name:type" lines of dir, sorted, then the small-buffer and ENOTDIR answers, in out */
static void listing(const char *dir, char *out, size_t len)
{
	char path[256], buf[4096], *names[16];
	int n = 0, fd, o = 0;
	long r;

	snprintf(path, sizeof(path), "%s/ukcov-getdents", dir);
	mkdir(path, 0755);
	snprintf(buf, sizeof(buf), "%s/file", path), close(open(buf, O_CREAT | O_WRONLY, 0644));
	snprintf(buf, sizeof(buf), "%s/subdir", path), mkdir(buf, 0755);
	snprintf(buf, sizeof(buf), "%s/link", path), symlink("file", buf);
	snprintf(buf, sizeof(buf), "%s/fifo", path), mkfifo(buf, 0644);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	r = syscall(SYS_getdents, fd, buf, sizeof(buf));
	for (long off = 0; off < r && n < 16;) {
		struct linux_dirent *d = (struct linux_dirent *)(buf + off);

		if (asprintf(&names[n], "%s:%d", d->d_name, buf[off + d->d_reclen - 1]) > 0)
			n++;
		off += d->d_reclen;
	}
	qsort(names, (size_t)n, sizeof(names[0]), cmp);
	for (int i = 0; i < n; i++)
		o += snprintf(out + o, len - (size_t)o, "%s ", names[i]), free(names[i]);
	lseek(fd, 0, SEEK_SET);
	r = syscall(SYS_getdents, fd, buf, 10);
	o += snprintf(out + o, len - (size_t)o, "small:%ld/%d ", r, r < 0 ? errno : 0);
	close(fd);
	snprintf(buf, sizeof(buf), "%s/file", path);
	fd = open(buf, O_RDONLY);
	r = syscall(SYS_getdents, fd, buf, sizeof(buf));
	snprintf(out + o, len - (size_t)o, "notdir:%ld/%d", r, r < 0 ? errno : 0);
	close(fd);
	for (const char *const *e = (const char *const[]){ "file", "link", "fifo", NULL }; *e; e++)
		snprintf(buf, sizeof(buf), "%s/%s", path, *e), unlink(buf);
	snprintf(buf, sizeof(buf), "%s/subdir", path), rmdir(buf);
	rmdir(path);
}

int main(void)
{
	char l[1024], u[1024];

	listing("/dev/shm", l, sizeof(l));
	listing("/mnt/t", u, sizeof(u));
	if (strcmp(l, u)) {
		printf("Linux: %s\nukcov: %s\nFAIL\n", l, u);
		return 1;
	}
	printf("%s\nok\n", u);
	return 0;
}

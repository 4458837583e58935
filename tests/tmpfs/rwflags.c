/*
 * Guest (DIR = a tmpfs directory): preadv2/pwritev2 flags and O_APPEND as
 * Linux's tmpfs answers them (test_rwflags.sh compares with /dev/shm).
 * Found by a probe: RWF_APPEND wrote at the given offset (abc + Z gave
 * Zbc, Linux abcZ), and every flag was accepted.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "transcript.h"

static void show(int fd, const char *what)
{
	char b[64] = { 0 };
	long n = pread(fd, b, sizeof(b) - 1, 0);

	SAY("%s: content %s (%ld bytes), offset %ld", what, b, n, (long)lseek(fd, 0, SEEK_CUR));
}

static void pw2(int fd, const char *data, long off, int flags)
{
	struct iovec v = { (void *)data, strlen(data) };

	SAY("pwritev2(%s, off %ld, %#x) = %s", data, off, flags, res(pwritev2(fd, &v, 1, off, flags)));
}

static void pr2(int fd, long off, int flags, size_t len)
{
	char b[8];
	struct iovec v = { b, len };

	SAY("preadv2(len %zu, off %ld, %#x) = %s", len, off, flags, res(preadv2(fd, &v, 1, off, flags)));
}

int main(int argc, char **argv)
{
	/* every flag bit up to RWF_NOSIGNAL (6.16) but it, and two unknown ones */
	static const int flags[] = { 0x1, 0x2, 0x4, 0x8, 0x40, 0x80, 0x200, 0x40000000 };
	int fd, ap;

	if (argc < 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	fd = open(path("f"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	SAY("write abc = %s", res(write(fd, "abc", 3)));
	pw2(fd, "Z", 0, RWF_APPEND);
	show(fd, "RWF_APPEND at offset 0");
	pw2(fd, "Y", -1, RWF_APPEND);
	show(fd, "RWF_APPEND at the file offset");
	pw2(fd, "X", 1, 0);
	show(fd, "no flag at offset 1");
	for (unsigned int i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		pr2(fd, 0, flags[i], 1);
		pw2(fd, "w", 0, flags[i]);
	}
	pr2(fd, 0, RWF_NOWAIT, 0);
	pr2(fd, 0, 0x40000000, 0);
	pr2(fd, -2, 0x40000000, 1);
	show(fd, "after the flags");
	ap = open(path("f"), O_RDWR | O_APPEND);
	SAY("pwrite(O_APPEND, P, off 0) = %s", res(pwrite(ap, "P", 1, 0)));
	show(ap, "O_APPEND pwrite at offset 0");
	pw2(ap, "N", 0, RWF_NOAPPEND);
	show(ap, "O_APPEND with RWF_NOAPPEND at offset 0");
	pw2(ap, "M", -1, RWF_NOAPPEND);
	show(ap, "O_APPEND with RWF_NOAPPEND at the file offset");
	SAY("write(O_APPEND, E) = %s", res(write(ap, "E", 1)));
	show(ap, "O_APPEND write");
	close(ap);
	close(fd);
	fd = open(path("f"), O_RDONLY);
	pw2(fd, "r", 0, 0x40000000);
	close(fd);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	pr2(fd, 0, 0x40000000, 1);
	pr2(fd, 0, 0, 0);
	close(fd);
	return 0;
}

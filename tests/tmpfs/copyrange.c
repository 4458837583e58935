/*
 * Guest (--tmpfs=/mnt/t): copy_file_range(2), sendfile(2), splice(2), tee(2)
 * and vmsplice(2) with mount files on either side, run in the mount and in
 * a fresh directory of the host's /dev/shm, transcripts compared: counts,
 * offsets, errnos (O_APPEND, O_PATH, a directory, tee and vmsplice on a
 * file), and what the core then sees of a file the host wrote (size, data
 * read back, SEEK_END, blocks, mtime moving). Between the mount and
 * /dev/shm (two tmpfs instances) copy_file_range is EXDEV, as between any
 * two tmpfs instances. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "two_sides.h"

static char out[2][8192];
static size_t outlen[2];
static int side;

static void say(const char *what, long r)
{
	outlen[side] += (size_t)snprintf(out[side] + outlen[side], sizeof(out[side]) - outlen[side],
					 "%s: %ld\n", what, r < 0 ? -errno : r);
}

static int at(const char *dir, const char *name, int flags)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return open(p, flags, 0644);
}

static void show(const char *what, int fd)
{
	struct stat st;
	char buf[64] = { 0 };
	long n = pread(fd, buf, sizeof(buf) - 1, 0);

	fstat(fd, &st);
	outlen[side] += (size_t)snprintf(out[side] + outlen[side], sizeof(out[side]) - outlen[side],
					 "%s: size %ld blocks %ld read %ld [%s] end %ld\n", what,
					 (long)st.st_size, (long)st.st_blocks, n, buf,
					 (long)lseek(fd, 0, SEEK_END));
}

static void run(const char *dir)
{
	int src = at(dir, "src", O_CREAT | O_RDWR), dst = at(dir, "dst", O_CREAT | O_RDWR);
	int app = at(dir, "app", O_CREAT | O_WRONLY | O_APPEND), p[2], q[2], d, op;
	loff_t oi = 2, oo = 5;
	off_t so = 3;
	struct stat a, b;
	struct iovec iov = { "vm", 2 };

	say("write src", write(src, "0123456789abcdef", 16));
	lseek(src, 0, SEEK_SET);
	fstat(dst, &a);
	usleep(20000);
	say("copy_file_range", copy_file_range(src, NULL, dst, NULL, 10, 0));
	say("src pos", lseek(src, 0, SEEK_CUR));
	say("dst pos", lseek(dst, 0, SEEK_CUR));
	fstat(dst, &b);
	say("dst mtime moved", b.st_mtim.tv_sec != a.st_mtim.tv_sec || b.st_mtim.tv_nsec != a.st_mtim.tv_nsec);
	show("dst", dst);
	say("copy_file_range offsets", copy_file_range(src, &oi, dst, &oo, 100, 0));
	say("off_in", oi);
	say("off_out", oo);
	show("dst", dst);
	say("copy_file_range past end", copy_file_range(src, &oi, dst, &oo, 100, 0));
	say("copy_file_range flags", copy_file_range(src, NULL, dst, NULL, 1, 1));
	say("copy_file_range O_APPEND", copy_file_range(src, NULL, app, NULL, 1, 0));
	say("copy_file_range same range", copy_file_range(src, &oi, src, &oi, 1, 0));
	pipe(p);
	say("sendfile file->pipe", sendfile(p[1], src, &so, 6));
	say("sendfile offset", so);
	say("splice pipe->file", splice(p[0], NULL, dst, NULL, 6, 0));
	show("dst", dst);
	write(p[1], "PIPE", 4);
	oo = 40;
	say("splice pipe->file at 40", splice(p[0], NULL, dst, &oo, 4, 0));
	show("dst", dst);
	say("read dst at 40", pread(dst, (char[8]){ 0 }, 8, 40));
	say("sendfile file->file", sendfile(dst, src, NULL, 4));
	say("sendfile to O_APPEND", sendfile(app, src, NULL, 4));
	say("splice file->pipe", splice(src, NULL, p[1], NULL, 3, 0));
	pipe(q);
	say("tee pipe->pipe", tee(p[0], q[1], 3, 0));
	say("tee file->pipe", tee(src, q[1], 3, 0));
	say("tee pipe->file", tee(p[0], dst, 3, 0));
	say("vmsplice file", vmsplice(dst, &iov, 1, 0));
	d = open(dir, O_RDONLY | O_DIRECTORY);
	say("sendfile from a directory", sendfile(p[1], d, NULL, 3));
	say("copy_file_range from a directory", copy_file_range(d, NULL, dst, NULL, 3, 0));
	op = at(dir, "src", O_PATH);
	say("sendfile from O_PATH", sendfile(p[1], op, NULL, 3));
	say("copy_file_range to O_PATH", copy_file_range(src, NULL, op, NULL, 3, 0));
	say("write dst after", pwrite(dst, "W", 1, 0));
	show("dst", dst);
	close(d), close(op), close(p[0]), close(p[1]), close(q[0]), close(q[1]);
	close(src), close(dst), close(app);
}

int main(void)
{
	char host[] = "/dev/shm/ukcov-copy.XXXXXX";
	int m, h;

	if (!mkdtemp(host)) {
		printf("skip: no /dev/shm\n");
		return 77;
	}
	run(host);
	side = 1;
	run("/mnt/t");
	m = open("/mnt/t/src", O_RDONLY);
	h = at(host, "src", O_RDWR);
	errno = 0;
	printf("copy_file_range mount -> /dev/shm: %s\n",
	       copy_file_range(m, NULL, h, NULL, 4, 0) < 0 ? strerror(errno) : "copied");
	printf("copy_file_range /dev/shm -> mount: %s\n",
	       copy_file_range(h, NULL, open("/mnt/t/dst", O_WRONLY), NULL, 4, 0) < 0 ? strerror(errno) : "copied");
	if (two_sides_compare(host, out[0], out[1]))
		return 1;
	printf("%s", out[0]);
	if (errno != EXDEV) {
		printf("FAIL: copy_file_range between two tmpfs instances must be EXDEV\n");
		return 1;
	}
	printf("ok\n");
	return 0;
}

/*
 * Guest (DIR = a tmpfs directory): smaller file calls a probe found
 * answering differently in a mount (test_fileattrs.sh compares with
 * /dev/shm): one device number for stat and statx, FIONREAD on a regular
 * file, F_GET_SEALS/F_ADD_SEALS on a tmpfs file that is no memfd, statfs's
 * f_ffree as files come and go, openat2(RESOLVE_IN_ROOT) with absolute
 * paths and symlinks, renameat2(RENAME_WHITEOUT), fdinfo's mnt_id and ino.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <unistd.h>

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x1000U
#endif

#include "transcript.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

static void devices(void)
{
	struct stat st;
	struct statx sx;
	int fd = open(path("f"), O_RDONLY);

	stat(path("f"), &st);
	statx(AT_FDCWD, path("f"), 0, STATX_BASIC_STATS, &sx);
	SAY("stat and statx: same device %s, same inode %s",
	    makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev ? "yes" : "no",
	    sx.stx_ino == st.st_ino ? "yes" : "no");
	statx(AT_FDCWD, path("f"), 0, STATX_BASIC_STATS | STATX_MNT_ID, &sx);
	/* (in /proc/self/mountinfo on Linux only: docs/tmpfs-deviations.md) */
	SAY("statx: STATX_MNT_ID %s, a mount id %s", sx.stx_mask & STATX_MNT_ID ? "yes" : "no",
	    sx.stx_mnt_id ? "yes" : "no");
	fstat(fd, &st);
	statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx);
	SAY("fstat and statx(fd): same device %s", makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev ? "yes" : "no");
	close(fd);
}

/* /proc/self/fdinfo/N and /proc/PID/fdinfo/N say what statx says (LTP's statx01) */
static void fdinfo(void)
{
	char p[64], line[128];
	unsigned long long mnt_id = 0, ino = 0;
	unsigned int flags = 0;
	struct statx sx;
	int fd = open(path("f"), O_RDONLY | O_NOATIME);
	FILE *f;

	statx(fd, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &sx);
	for (int pid = 0; pid < 2; pid++) {
		if (pid)
			snprintf(p, sizeof(p), "/proc/%d/fdinfo/%d", (int)getpid(), fd);
		else
			snprintf(p, sizeof(p), "/proc/self/fdinfo/%d", fd);
		f = fopen(p, "re");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "mnt_id: %llu", &mnt_id) + sscanf(line, "ino: %llu", &ino) +
			    sscanf(line, "flags: %o", &flags) == 0)
				continue;
		if (f)
			fclose(f);
		SAY("%s fdinfo: mnt_id as statx %s, ino as statx %s, flags %o", pid ? "/proc/PID" : "/proc/self",
		    mnt_id == sx.stx_mnt_id ? "yes" : "no", ino == sx.stx_ino ? "yes" : "no", flags);
	}
	close(fd);
}

static void fionread(void)
{
	int fd = open(path("f"), O_RDWR), n = -1, d = open(dir, O_RDONLY | O_DIRECTORY);

	SAY("write 10 = %s", res(write(fd, "0123456789", 10)));
	lseek(fd, 3, SEEK_SET);
	SAY("FIONREAD at 3 = %s, %d", res(ioctl(fd, FIONREAD, &n)), n);
	lseek(fd, 20, SEEK_SET);
	n = -1;
	SAY("FIONREAD past the end = %s, %d", res(ioctl(fd, FIONREAD, &n)), n);
	SAY("FIONREAD bad pointer = %s", res(ioctl(fd, FIONREAD, (void *)8)));
	n = -1;
	SAY("FIONREAD directory = %s, %d", res(ioctl(d, FIONREAD, &n)), n);
	close(fd);
	close(d);
}

static void seals(void)
{
	int fd = open(path("f"), O_RDWR), ro = open(path("f"), O_RDONLY);

	SAY("F_GET_SEALS = %s", res(fcntl(fd, F_GET_SEALS)));
	SAY("F_ADD_SEALS(F_SEAL_WRITE) = %s", res(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)));
	SAY("F_ADD_SEALS(0) = %s", res(fcntl(fd, F_ADD_SEALS, 0)));
	SAY("F_ADD_SEALS(bad) = %s", res(fcntl(fd, F_ADD_SEALS, 0x4000)));
	SAY("F_ADD_SEALS(read-only fd) = %s", res(fcntl(ro, F_ADD_SEALS, F_SEAL_WRITE)));
	SAY("F_GET_SEALS(read-only fd) = %s", res(fcntl(ro, F_GET_SEALS)));
	close(fd);
	close(ro);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	SAY("F_GET_SEALS(directory) = %s", res(fcntl(fd, F_GET_SEALS)));
	close(fd);
}

static long ffree(void)
{
	struct statfs sf;

	statfs(dir, &sf);
	return (long)sf.f_ffree;
}

/*
 * f_ffree is the whole file system's: on /dev/shm other processes (a
 * fuzzer, a parallel test) make and remove files meanwhile, so the native
 * side takes the first of a few tries that no one else disturbed; a mount
 * of ukcov's is the guest's alone, and a wrong count fails every try.
 */
static void inodes(void)
{
	long a, b, c;
	bool back;

	for (int tries = 0;; tries++) {
		a = ffree();
		close(open(path("n1"), O_CREAT | O_WRONLY, 0644));
		mkdir(path("n2"), 0755);
		symlink("x", path("n3"));
		b = ffree();
		link(path("n1"), path("n4"));
		c = ffree();
		unlink(path("n1"));
		unlink(path("n4"));
		rmdir(path("n2"));
		unlink(path("n3"));
		back = ffree() == a;
		if ((a - b == 3 && b == c && back) || tries == 10)
			break;
		usleep(10000);
	}
	SAY("f_ffree: 3 new inodes took %ld, a hard link %ld", a - b, b - c);
	SAY("f_ffree back after removing them: %s", back ? "yes" : "no");
}

static void in_root(void)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT };
	int root = open(dir, O_RDONLY | O_DIRECTORY);
	long r;

	mkdir(path("sub"), 0755);
	close(open(path("sub/g"), O_CREAT | O_WRONLY, 0644));
	symlink("/sub/g", path("abs"));
	symlink("../../../../sub/g", path("up"));
	static const char *const names[] = { "/sub/g", "/f", "abs", "up", "/../sub/g", "/sub/../f", "/missing", "/" };
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		r = syscall(SYS_openat2, root, names[i], &how, sizeof(how));
		SAY("openat2(RESOLVE_IN_ROOT, %s) = %s", names[i], res(r < 0 ? r : 0));
		if (r >= 0)
			close((int)r);
	}
	close(root);
}

/* renameat2(DIR/a, DIR/b, flags) (path() has one buffer) */
static long ren(const char *a, const char *b, unsigned int flags)
{
	char from[4200];

	snprintf(from, sizeof(from), "%s", path(a));
	return renameat2(AT_FDCWD, from, AT_FDCWD, path(b), flags);
}

static void whiteout(void)
{
	struct stat st;

	close(open(path("w"), O_CREAT | O_WRONLY, 0644));
	SAY("RENAME_WHITEOUT w -> w2 = %s", res(ren("w", "w2", RENAME_WHITEOUT)));
	if (!lstat(path("w"), &st))
		SAY("  w: mode %o, rdev %u:%u, size %ld", st.st_mode, major(st.st_rdev), minor(st.st_rdev), (long)st.st_size);
	else
		SAY("  w: %s", res(-1));
	SAY("RENAME_WHITEOUT|RENAME_EXCHANGE = %s",
	    res(ren("w2", "w", RENAME_WHITEOUT | RENAME_EXCHANGE)));
	SAY("RENAME_WHITEOUT|RENAME_NOREPLACE onto w = %s",
	    res(ren("w2", "w", RENAME_WHITEOUT | RENAME_NOREPLACE)));
	SAY("RENAME_WHITEOUT onto w = %s", res(ren("w2", "w", RENAME_WHITEOUT)));
	if (!lstat(path("w2"), &st))
		SAY("  w2: mode %o, rdev %u:%u", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	SAY("RENAME_WHITEOUT of a directory = %s",
	    res(ren("sub", "sub2", RENAME_WHITEOUT)));
	if (!lstat(path("sub"), &st))
		SAY("  sub: mode %o", st.st_mode);
	SAY("RENAME_WHITEOUT of a missing name = %s",
	    res(ren("missing", "m2", RENAME_WHITEOUT)));
	/* no CAP_MKNOD needed since Linux 5.8: the lookup's EACCES, not EPERM */
	mkdir(path("locked"), 0700);
	close(open(path("locked/x"), O_CREAT | O_WRONLY, 0644));
	if (fork() == 0) {
		if (setuid(65534))
			_exit(1);
		SAY("RENAME_WHITEOUT as nobody = %s", res(ren("locked/x", "locked/y", RENAME_WHITEOUT)));
		_exit(0);
	}
	wait(NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	close(open(path("f"), O_CREAT | O_WRONLY, 0644));
	devices();
	fdinfo();
	fionread();
	seals();
	inodes();
	in_root();
	whiteout();
	return 0;
}

/*
 * Guest (DIR = a tmpfs directory): FS_IOC_GETFLAGS/FS_IOC_SETFLAGS
 * (chattr) as Linux's tmpfs has them, immutable and append-only enforced
 * (test_chattr.sh compares with /dev/shm): the flags tmpfs takes, EPERM
 * without ownership or CAP_LINUX_IMMUTABLE, and what each flag refuses.
 * Found by a probe: ENOTTY.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <unistd.h>

#include "transcript.h"

static const char *p2(const char *name)
{
	static char buf[4200];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static long setfl(const char *name, int flags)
{
	int fd = open(path(name), O_RDONLY), r = ioctl(fd, FS_IOC_SETFLAGS, &flags), e = errno;

	close(fd);
	errno = e;
	return r;
}

static const char *getfl(const char *name)
{
	static char buf[96];
	int fd = open(path(name), O_RDONLY), flags = -1, r = ioctl(fd, FS_IOC_GETFLAGS, &flags);
	struct statx sx = { 0 };

	/* statx's attributes say the same (LTP's statx08) */
	statx(AT_FDCWD, path(name), 0, STATX_BASIC_STATS, &sx);
	snprintf(buf, sizeof(buf), "%s, flags %#x, statx %#llx of %#llx", res(r), flags,
		 (unsigned long long)(sx.stx_attributes & 0x70), (unsigned long long)(sx.stx_attributes_mask & 0x70));
	close(fd);
	return buf;
}

static long opn(const char *name, int flags)
{
	int fd = open(path(name), flags, 0644);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static long fsx(const char *name, unsigned int cmd, struct fsxattr *fa)
{
	int fd = open(path(name), O_RDONLY), r = ioctl(fd, cmd, fa), e = errno;

	close(fd);
	errno = e;
	return r;
}

/* The same flags as struct fsxattr (FS_IOC_FSGETXATTR/FSSETXATTR). */
static void xattr_flags(void)
{
	struct fsxattr fa = { 0 };

	setfl("f", FS_NODUMP_FL);
	SAY("FSGETXATTR = %s, xflags %#x extsize %u", res(fsx("f", FS_IOC_FSGETXATTR, &fa)), fa.fsx_xflags, fa.fsx_extsize);
	fa = (struct fsxattr){ .fsx_xflags = FS_XFLAG_NOATIME | FS_XFLAG_APPEND };
	SAY("FSSETXATTR noatime|append = %s, then %s", res(fsx("f", FS_IOC_FSSETXATTR, &fa)), getfl("f"));
	fa = (struct fsxattr){ .fsx_xflags = FS_XFLAG_SYNC };
	SAY("FSSETXATTR sync = %s", res(fsx("f", FS_IOC_FSSETXATTR, &fa)));
	fa = (struct fsxattr){ .fsx_xflags = 0, .fsx_extsize = 4096 };
	SAY("FSSETXATTR extsize = %s", res(fsx("f", FS_IOC_FSSETXATTR, &fa)));
	fa = (struct fsxattr){ .fsx_xflags = FS_XFLAG_NODEFRAG | FS_XFLAG_APPEND };
	SAY("FSSETXATTR nodefrag|append = %s", res(fsx("f", FS_IOC_FSSETXATTR, &fa)));
	fa = (struct fsxattr){ 0 };
	SAY("FSSETXATTR 0 = %s, then %s", res(fsx("f", FS_IOC_FSSETXATTR, &fa)), getfl("f"));
	SAY("FSGETXATTR bad pointer = %s", res(fsx("f", FS_IOC_FSGETXATTR, (void *)8)));
	SAY("FSSETXATTR bad pointer = %s", res(fsx("f", FS_IOC_FSSETXATTR, (void *)8)));
}

static void common_refusals(const char *name)
{
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };
	/* an access ACL of mode 0644: version 2; USER_OBJ, GROUP_OBJ, OTHER */
	static const uint32_t acl[] = { 2, 0x1 | 6 << 16, ~0u, 0x4 | 4 << 16, ~0u, 0x20 | 4 << 16, ~0u };

	SAY("  open O_WRONLY = %s", res(opn(name, O_WRONLY)));
	SAY("  open O_WRONLY|O_APPEND = %s", res(opn(name, O_WRONLY | O_APPEND)));
	SAY("  open O_RDWR|O_APPEND|O_TRUNC = %s", res(opn(name, O_RDWR | O_APPEND | O_TRUNC)));
	SAY("  open O_RDONLY = %s", res(opn(name, O_RDONLY)));
	SAY("  access W_OK = %s", res(access(path(name), W_OK)));
	SAY("  chmod = %s", res(chmod(path(name), 0600)));
	SAY("  chown -1 -1 = %s", res(chown(path(name), -1, -1)));
	SAY("  chown 0 0 = %s", res(chown(path(name), 0, 0)));
	SAY("  utimes(times) = %s", res(utimes(path(name), tv)));
	SAY("  utimes(NULL) = %s", res(utimes(path(name), NULL)));
	SAY("  truncate = %s", res(truncate(path(name), 0)));
	SAY("  link = %s", res(link(path(name), p2("lnk"))));
	SAY("  rename = %s", res(rename(path(name), p2("moved"))));
	SAY("  unlink = %s", res(unlink(path(name))));
	SAY("  setxattr user. = %s", res(setxattr(path(name), "user.k", "v", 1, 0)));
	SAY("  setxattr trusted. = %s", res(setxattr(path(name), "trusted.k", "v", 1, 0)));
	SAY("  setxattr security. = %s", res(setxattr(path(name), "security.k", "v", 1, 0)));
	SAY("  removexattr user. = %s", res(removexattr(path(name), "user.old")));
	SAY("  getxattr user. = %s", res(getxattr(path(name), "user.old", NULL, 0)));
	SAY("  setxattr system.posix_acl_access = %s",
	    res(setxattr(path(name), "system.posix_acl_access", acl, sizeof(acl), 0)));
}

static void append_only(void)
{
	int fd, fl;
	struct iovec v = { "N", 1 };

	SAY("FS_APPEND_FL on f = %s", res(setfl("f", FS_APPEND_FL)));
	SAY("  get: %s", getfl("f"));
	common_refusals("f");
	fd = open(path("f"), O_RDWR | O_APPEND);
	SAY("  write = %s", res(write(fd, "A", 1)));
	SAY("  pwrite at 0 = %s (appends)", res(pwrite(fd, "B", 1, 0)));
	SAY("  pwritev2(RWF_NOAPPEND) = %s", res(pwritev2(fd, &v, 1, 0, RWF_NOAPPEND)));
	fl = fcntl(fd, F_GETFL);
	SAY("  F_SETFL without O_APPEND = %s", res(fcntl(fd, F_SETFL, fl & ~O_APPEND)));
	SAY("  F_SETFL with O_NONBLOCK = %s", res(fcntl(fd, F_SETFL, fl | O_NONBLOCK)));
	SAY("  ftruncate = %s", res(ftruncate(fd, 0)));
	SAY("  size %ld", (long)lseek(fd, 0, SEEK_END));
	close(fd);
	SAY("clear = %s", res(setfl("f", 0)));
}

static void immutable(void)
{
	int fd = open(path("f"), O_RDWR);

	SAY("FS_IMMUTABLE_FL on f = %s", res(setfl("f", FS_IMMUTABLE_FL)));
	SAY("  get: %s", getfl("f"));
	common_refusals("f");
	SAY("  write through an fd opened before = %s", res(write(fd, "w", 1)));
	close(fd);
	SAY("clear = %s", res(setfl("f", 0)));
}

static void directories(void)
{
	mkdir(path("d"), 0755);
	close(open(path("d/old"), O_CREAT | O_WRONLY, 0644));
	SAY("FS_IMMUTABLE_FL on d = %s", res(setfl("d", FS_IMMUTABLE_FL)));
	SAY("  create in it = %s", res(opn("d/new", O_CREAT | O_WRONLY)));
	SAY("  mkdir in it = %s", res(mkdir(path("d/sub"), 0755)));
	SAY("  unlink in it = %s", res(unlink(path("d/old"))));
	SAY("  write to a file in it = %s", res(opn("d/old", O_WRONLY)));
	SAY("FS_APPEND_FL on d = %s", res(setfl("d", FS_APPEND_FL)));
	SAY("  create in it = %s", res(opn("d/new", O_CREAT | O_WRONLY)));
	SAY("  unlink in it = %s", res(unlink(path("d/old"))));
	SAY("  rename in it = %s", res(rename(path("d/old"), p2("d/old2"))));
	SAY("FS_NODUMP_FL|FS_NOATIME_FL on d = %s", res(setfl("d", FS_NODUMP_FL | FS_NOATIME_FL)));
	close(open(path("d/inherits"), O_CREAT | O_WRONLY, 0644));
	SAY("  a new file's flags: %s", getfl("d/inherits"));
	SAY("clear = %s", res(setfl("d", 0)));
}

static void as_nobody(void)
{
	close(open(path("mine"), O_CREAT | O_WRONLY, 0644));
	chown(path("mine"), 65534, 65534);
	chmod(dir, 0777);
	if (fork() == 0) {
		if (setuid(65534))
			_exit(1);
		SAY("nobody: FS_NODUMP_FL on root's f = %s", res(setfl("f", FS_NODUMP_FL)));
		SAY("nobody: FS_NODUMP_FL on its own file = %s", res(setfl("mine", FS_NODUMP_FL)));
		SAY("nobody: FS_IMMUTABLE_FL on its own file = %s", res(setfl("mine", FS_IMMUTABLE_FL)));
		SAY("nobody: FS_APPEND_FL on its own file = %s", res(setfl("mine", FS_APPEND_FL | FS_NODUMP_FL)));
		SAY("nobody: clear its own = %s", res(setfl("mine", 0)));
		_exit(0);
	}
	wait(NULL);
}

int main(int argc, char **argv)
{
	int fd, flags = 0;

	if (argc < 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	fd = open(path("f"), O_CREAT | O_RDWR, 0644);
	write(fd, "data", 4);
	SAY("FS_IOC_GETFLAGS new file = %s", getfl("f"));
	SAY("FS_IOC_GETFLAGS bad pointer = %s", res(ioctl(fd, FS_IOC_GETFLAGS, (void *)8)));
	SAY("FS_IOC_SETFLAGS bad pointer = %s", res(ioctl(fd, FS_IOC_SETFLAGS, (void *)8)));
	close(fd);
	SAY("FS_IOC_GETFLAGS directory = %s", getfl("."));
	SAY("FS_EXTENT_FL = %s", res(setfl("f", FS_EXTENT_FL)));
	SAY("FS_SYNC_FL = %s", res(setfl("f", FS_SYNC_FL)));
	SAY("FS_NODUMP_FL = %s", res(setfl("f", FS_NODUMP_FL)));
	SAY("  get: %s", getfl("f"));
	SAY("FS_NOATIME_FL = %s", res(setfl("f", FS_NOATIME_FL)));
	SAY("  get: %s", getfl("f"));
	fd = open(path("f"), O_PATH);
	SAY("FS_IOC_GETFLAGS on O_PATH = %s", res(ioctl(fd, FS_IOC_GETFLAGS, &flags)));
	close(fd);
	xattr_flags();
	SAY("setxattr user.old = %s", res(setxattr(path("f"), "user.old", "o", 1, 0)));
	append_only();
	immutable();
	directories();
	as_nobody();
	return 0;
}

/* fsscript's operations on what a scratch root holds besides files and
 * directories, and on the process around it: unix sockets bound in it,
 * resource limits, guest-memory faults, the *xattrat calls and the ioctls
 * a tmpfs file answers. See tests/tmpfs/README for the language:
 *
 *   socket TYPE -> $s       socket(AF_UNIX, TYPE, 0)
 *   bind $s PATH            connect $s PATH        listen $s
 *   accept $s -> $c         send $s DATA           sendto $s DATA PATH
 *   recv $s N               (MSG_DONTWAIT: never waits; data printed)
 *   rlimit RLIMIT_FSIZE N   the soft limit (SIGXFSZ ignored: EFBIG is the answer)
 *   rlimit RLIMIT_NOFILE +K the soft limit leaving K free fd numbers below it
 *   fault CALL PTR $f PATH  CALL with one pointer argument PTR: NULL, ONE,
 *                           EDGE (one readable byte before an unmapped page),
 *                           GUARD (the unmapped page), HIGH (kernel space)
 *   setxattrat D PATH AT NAME DATA FLAGS    getxattrat D PATH AT NAME N
 *   listxattrat D PATH AT N                 removexattrat D PATH AT NAME
 *   ioctl $f REQUEST        an int (or struct fsxattr) argument, printed
 *
 * Socket paths are relative to the cwd (sun_path holds 108 bytes; a
 * scratch root lies deeper than that).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "fsscript.h"

/* Linux 6.13's *xattrat calls: numbers of x86-64, which older headers lack */
#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#define SYS_getxattrat 464
#define SYS_listxattrat 465
#define SYS_removexattrat 466
#endif

#define L(x) ((long)(x))
#define DEV_BUF 65536

#define NV(x) FSI_NAME(x)
static const struct fsi_name names[] = {
	NV(SOCK_STREAM), NV(SOCK_DGRAM), NV(SOCK_SEQPACKET), NV(SOCK_RAW),
	NV(SOCK_NONBLOCK), NV(SOCK_CLOEXEC),
	NV(RLIMIT_FSIZE), NV(RLIMIT_NOFILE),
	NV(FIONREAD), NV(FIOQSIZE), NV(FIGETBSZ), NV(FIBMAP), NV(FIONBIO),
	NV(FIOCLEX), NV(FIONCLEX), NV(FIOASYNC), NV(FS_IOC_GETVERSION),
	NV(FS_IOC_FSGETXATTR), NV(FS_IOC_FSSETXATTR), NV(TCGETS),
	NV(AT_SYMLINK_NOFOLLOW), NV(AT_EMPTY_PATH), NV(AT_REMOVEDIR),
	NV(AT_SYMLINK_FOLLOW), NV(AT_EACCESS), NV(AT_NO_AUTOMOUNT),
	NV(AT_STATX_DONT_SYNC), NV(AT_FDCWD),
	{ "XATTR_CREATE", 1 }, { "XATTR_REPLACE", 2 },
	{ NULL, 0 }
};

/* NAME|NAME|number: this file's names, then the interpreter's */
static long num(struct interp *in, int i)
{
	return fsi_arg_names(in, i, names);
}

static char *buf(void)
{
	static char *b;

	if (!b)
		b = calloc(1, DEV_BUF);
	return b;
}

static size_t len_arg(struct interp *in, int i)
{
	long n = num(in, i);

	return n < 0 || n > DEV_BUF ? DEV_BUF : (size_t)n;
}

/* ---- sockets ---- */

static socklen_t sun_of(struct interp *in, int i, struct sockaddr_un *sun)
{
	const char *p = fsi_arg_path(in, i);
	size_t n = p ? strlen(p) : 0;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n > sizeof(sun->sun_path))
		n = sizeof(sun->sun_path) + 1; /* too long: Linux's EINVAL */
	else if (p)
		memcpy(sun->sun_path, p, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

static void op_socket(struct interp *in, const char *name)
{
	(void)name;
	fsi_out_fd(in, fsi_sys(in, SYS_socket, AF_UNIX, num(in, 1), 0, 0, 0, 0));
}

/* bind, connect: a path; listen: a backlog of 4 */
static void op_sockaddr(struct interp *in, const char *name)
{
	struct sockaddr_un sun;
	long fd = fsi_arg_fd(in, 1), r;

	if (!strcmp(name, "listen")) {
		r = fsi_sys(in, SYS_listen, fd, 4, 0, 0, 0, 0);
	} else {
		socklen_t len = sun_of(in, 2, &sun);

		r = fsi_sys(in, !strcmp(name, "bind") ? SYS_bind : SYS_connect, fd,
			    L(&sun), len, 0, 0, 0);
	}
	fsi_out_ret(in, r);
}

static void op_accept(struct interp *in, const char *name)
{
	(void)name;
	fsi_out_fd(in, fsi_sys(in, SYS_accept4, fsi_arg_fd(in, 1), 0, 0, 0, 0, 0));
}

/* send $s DATA, sendto $s DATA PATH, recv $s N: never waiting, never SIGPIPE */
static void op_sendrecv(struct interp *in, const char *name)
{
	struct sockaddr_un sun;
	long fd = fsi_arg_fd(in, 1), r;
	size_t len;

	if (!strcmp(name, "recv")) {
		r = fsi_sys(in, SYS_recvfrom, fd, L(buf()), (long)len_arg(in, 2),
			    MSG_DONTWAIT, 0, 0);
		fsi_out_ret(in, r);
		if (r > 0)
			fsi_out_data(in, buf(), (size_t)r);
		return;
	}
	char *data = fsi_arg_str(in, 2, &len);
	socklen_t alen = !strcmp(name, "sendto") ? sun_of(in, 3, &sun) : 0;

	r = fsi_sys(in, SYS_sendto, fd, L(data), (long)len, MSG_DONTWAIT | MSG_NOSIGNAL,
		    alen ? L(&sun) : 0, alen);
	fsi_out_ret(in, r);
}

/* ---- resource limits ---- */

static struct rlimit saved[RLIMIT_NLIMITS];
static unsigned char changed[RLIMIT_NLIMITS];

void fsi_dev_reset(void)
{
	for (int r = 0; r < RLIMIT_NLIMITS; r++)
		if (changed[r] && setrlimit(r, &saved[r]) == 0)
			changed[r] = 0;
}

/*
 * The limit below which K fd numbers are free: the two sides' processes
 * hold different fds of their own (the guest's kcov, AFL++'s pipes), so
 * a plain number would leave them a different room.
 */
static long nofile_room(struct interp *in, long k)
{
	long fd;

	for (fd = 0; fd < 1024; fd++)
		if (fsi_sys(in, SYS_fcntl, fd, F_GETFD, 0, 0, 0, 0) == -EBADF && k-- == 0)
			break;
	return fd;
}

static void op_rlimit(struct interp *in, const char *name)
{
	long res = num(in, 1), r;
	const char *v = fsi_arg_tok(in, 2);
	struct rlimit rl;

	(void)name;
	if (res < 0 || res >= RLIMIT_NLIMITS || getrlimit((int)res, &rl) < 0) {
		fsi_out_ret(in, -EINVAL);
		return;
	}
	if (!changed[res])
		saved[res] = rl;
	changed[res] = 1;
	/* Linux sends SIGXFSZ with EFBIG: ignored on both sides, EFBIG is compared */
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = v[0] == '+' ? (rlim_t)nofile_room(in, strtol(v + 1, NULL, 0))
				  : (rlim_t)num(in, 2);
	r = fsi_sys(in, SYS_setrlimit, res, L(&rl), 0, 0, 0, 0);
	fsi_out_ret(in, r);
}

/* ---- guest-memory faults ---- */

/* a page of zeros, then one never mapped: EDGE is the first's last byte */
static char *edge_pages(void)
{
	static char *p;

	if (!p) {
		p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED || mprotect(p + 4096, 4096, PROT_NONE) < 0)
			abort();
	}
	return p;
}

static long bad_ptr(struct interp *in, int i)
{
	const char *s = fsi_arg_tok(in, i);
	char *p = edge_pages();

	/* a run writes into it: each use starts from the same byte */
	p[4095] = 'a';
	if (!strcmp(s, "NULL"))
		return 0;
	if (!strcmp(s, "ONE"))
		return 1;
	if (!strcmp(s, "EDGE"))
		return L(p + 4095);
	if (!strcmp(s, "GUARD"))
		return L(p + 4096);
	return -4096L; /* HIGH: the kernel's half */
}

/* fault CALL PTR $f PATH: the pointer argument of CALL is PTR */
static void op_fault(struct interp *in, const char *name)
{
	const char *call = fsi_arg_tok(in, 1);
	long ptr = bad_ptr(in, 2), fd = fsi_arg_fd(in, 3), path = L(fsi_arg_path(in, 4)), r;
	static const struct { const char *n; long nr; int shape; } t[] = {
		{ "open", SYS_open, 0 }, { "mkdir", SYS_mkdir, 0 },
		{ "stat", SYS_stat, 1 }, { "lstat", SYS_lstat, 1 }, { "statfs", SYS_statfs, 1 },
		{ "fstat", SYS_fstat, 2 }, { "read", SYS_read, 3 }, { "write", SYS_write, 3 },
		{ "getdents", SYS_getdents64, 3 }, { "readlink", SYS_readlink, 4 },
		{ "listxattr", SYS_listxattr, 4 }, { "getxattr", SYS_getxattr, 5 },
		{ "setxattr", SYS_setxattr, 6 }, { "rename", SYS_rename, 1 },
		{ "symlink", SYS_symlink, 7 }, { "statx", SYS_statx, 8 },
		{ "utimensat", SYS_utimensat, 8 }, { "readv", SYS_readv, 9 },
		{ "pread", SYS_pread64, 10 }, { "openat2", SYS_openat2, 11 },
		{ "getlk", SYS_fcntl, 12 }, { "fionread", SYS_ioctl, 13 },
		{ "truncate", SYS_truncate, 14 },
	};
	size_t k = 0;

	(void)name;
	while (k < sizeof(t) / sizeof(t[0]) - 1 && strcmp(t[k].n, call))
		k++;
	switch (t[k].shape) {
	case 0: r = fsi_sys(in, t[k].nr, ptr, 0644, 0, 0, 0, 0); break;
	case 1: r = fsi_sys(in, t[k].nr, path, ptr, 0, 0, 0, 0); break;
	case 2: r = fsi_sys(in, t[k].nr, fd, ptr, 0, 0, 0, 0); break;
	case 3: r = fsi_sys(in, t[k].nr, fd, ptr, 10, 0, 0, 0); break;
	case 4: r = fsi_sys(in, t[k].nr, path, ptr, 10, 0, 0, 0); break;
	case 5: r = fsi_sys(in, t[k].nr, path, L("user.a"), ptr, 10, 0, 0); break;
	case 6: r = fsi_sys(in, t[k].nr, path, ptr, L("v"), 1, 0, 0); break;
	case 7: r = fsi_sys(in, t[k].nr, ptr, path, 0, 0, 0, 0); break;
	case 8: r = !strcmp(call, "statx") ?
		    fsi_sys(in, t[k].nr, AT_FDCWD, path, 0, STATX_BASIC_STATS, ptr, 0) :
		    fsi_sys(in, t[k].nr, AT_FDCWD, path, ptr, 0, 0, 0);
		break;
	case 9: r = fsi_sys(in, t[k].nr, fd, ptr, 1, 0, 0, 0); break;
	case 10: r = fsi_sys(in, t[k].nr, fd, ptr, 10, 0, 0, 0); break;
	case 11: r = fsi_sys(in, t[k].nr, AT_FDCWD, path, ptr, 24, 0, 0); break;
	case 12: r = fsi_sys(in, t[k].nr, fd, F_GETLK, ptr, 0, 0, 0); break;
	case 13: r = fsi_sys(in, t[k].nr, fd, FIONREAD, ptr, 0, 0, 0); break;
	default: r = fsi_sys(in, t[k].nr, ptr, 0, 0, 0, 0, 0); break;
	}
	fsi_out_ret(in, r);
}

/* ---- *xattrat (Linux 6.13) ---- */

struct xattr_args_ {
	uint64_t value;
	uint32_t size, flags;
};

static long at_obj(struct interp *in)
{
	return L(fsi_arg_path(in, 2));
}

static void op_xattrat(struct interp *in, const char *name)
{
	long dfd = fsi_arg_fd(in, 1), path = at_obj(in), at = num(in, 3), r;
	struct xattr_args_ args = { 0 };
	size_t len = 0, n;

	if (!strcmp(name, "listxattrat")) {
		n = len_arg(in, 4);
		r = fsi_sys(in, SYS_listxattrat, dfd, path, at, L(buf()), (long)n, 0);
		fsi_out_ret(in, r);
		if (r > 0 && n)
			fsi_out_data(in, buf(), (size_t)r);
		return;
	}
	char *xname = fsi_arg_str(in, 4, &len);

	if (!strcmp(name, "removexattrat")) {
		fsi_out_ret(in, fsi_sys(in, SYS_removexattrat, dfd, path, at, L(xname), 0, 0));
		return;
	}
	if (!strcmp(name, "setxattrat")) {
		args.value = (uint64_t)L(fsi_arg_str(in, 5, &len));
		args.size = (uint32_t)len;
		args.flags = (uint32_t)num(in, 6);
		r = fsi_sys(in, SYS_setxattrat, dfd, path, at, L(xname), L(&args), sizeof(args));
		fsi_out_ret(in, r);
		return;
	}
	n = len_arg(in, 5);
	args.value = (uint64_t)L(buf());
	args.size = (uint32_t)n;
	r = fsi_sys(in, SYS_getxattrat, dfd, path, at, L(xname), L(&args), sizeof(args));
	fsi_out_ret(in, r);
	if (r > 0 && n)
		fsi_out_data(in, buf(), (size_t)r);
}

/* ---- ioctls ---- */

/*
 * ioctl $f REQUEST: the argument an int 1 (FIONBIO, FIOASYNC: set), a
 * zeroed struct fsxattr (FS_IOC_FS*XATTR) or none; what the call wrote is
 * printed. Not FS_IOC_GETVERSION's value: tmpfs draws an inode's
 * generation at random.
 */
static void op_ioctl(struct interp *in, const char *name)
{
	long fd = fsi_arg_fd(in, 1), req = num(in, 2), r;
	struct fsxattr fsx = { 0 };
	long long v = 0;

	(void)name;
	if (req == FIONBIO || req == FIOASYNC)
		v = 1;
	if (req == (long)FS_IOC_FSGETXATTR || req == (long)FS_IOC_FSSETXATTR) {
		r = fsi_sys(in, SYS_ioctl, fd, req, L(&fsx), 0, 0, 0);
		fsi_out_ret(in, r);
		if (r == 0 && req == (long)FS_IOC_FSGETXATTR)
			fsi_outf(in, " xflags=0x%x extsize=%u nextents=%u projid=%u cowextsize=%u",
				 fsx.fsx_xflags, fsx.fsx_extsize, fsx.fsx_nextents,
				 fsx.fsx_projid, fsx.fsx_cowextsize);
		return;
	}
	r = fsi_sys(in, SYS_ioctl, fd, req, L(&v), 0, 0, 0);
	fsi_out_ret(in, r);
	if (r == 0 && (req == FIONREAD || req == FIGETBSZ || req == FIBMAP))
		fsi_outf(in, " v=%d", (int)v);
	else if (r == 0 && req == FIOQSIZE)
		fsi_outf(in, " v=%lld", v);
}

const struct fsi_op fsi_dev_ops[] = {
	{ "socket", op_socket }, { "bind", op_sockaddr }, { "connect", op_sockaddr },
	{ "listen", op_sockaddr }, { "accept", op_accept }, { "send", op_sendrecv },
	{ "sendto", op_sendrecv }, { "recv", op_sendrecv },
	{ "rlimit", op_rlimit }, { "fault", op_fault },
	{ "setxattrat", op_xattrat }, { "getxattrat", op_xattrat },
	{ "listxattrat", op_xattrat }, { "removexattrat", op_xattrat },
	{ "ioctl", op_ioctl },
	{ NULL, NULL }
};

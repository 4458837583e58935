// SPDX-License-Identifier: MIT
/*
 * The fuzz guest's vocabulary (see vocab.h): the operation table is data,
 * one entry per call; the argument kinds are data too, each a letter, the
 * bytes it consumes and the tokens it decodes into.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vocab.h"

/*
 * The operations, in the script language's own words. Argument letters:
 *   P path   T symlink target   D dirfd   F fd   B binds the new fd
 *   O open flags   M mode   Q mknod mode and device   N length
 *   X offset   W whence   R rename flags   A AT_* flags   V RESOLVE_*
 *   I statx mask   U uid   G gid   L groups   K access mode   H times
 *   Y fcntl command   Z fd number   E dup3 flags   S data
 *   C flock operation   J xattr name   l lock command and type
 *   p mmap protection   r RWF_* flags   v an fd variable to bind (pipe)
 *   q pipe2 flags   k splice flags   i FS_*_FL inode flags (chattr)
 *   j stat, lstat or statx   m a /proc link   n an executable's kind
 *   o exec's way
 *   a mount flags   b tmpfs options (built)   c umount2 flags   d bind flags
 *   s socket type   w socket path (cwd-relative)   u rlimit resource and value
 *   x a bad pointer   y the call it is given to   z AT_* flags of *xattrat
 *   t ioctl request
 *   e inotify mask   f inotify_init1 flags   g an inotify instance
 *   h a watch descriptor   > binds the new instance to $i
 *   % setxattr's flags   # a fault site (failnth)   & a file system type
 * Operations marked FZ_UNSERVED are decoded only with --all-ops: the tmpfs
 * answers them with an error Linux does not give (its syscall table says
 * which), so they would be findings on every input. Each leaves this list
 * in the commit that makes the tmpfs serve it.
 */
const struct fz_op fz_ops[] = {
	{ "open", "POMB", FZ_SHAPE, NULL },
	{ "openat", "DPOMB", FZ_SHAPE, NULL },
	{ "openat2", "DPOMVB", 0, NULL },
	{ "creat", "PMB", FZ_SHAPE, NULL },
	{ "close", "F", 0, NULL },
	{ "read", "FN", 0, NULL },
	{ "pread", "FNX", 0, NULL },
	{ "write", "FS", 0, NULL },
	{ "pwrite", "FSX", 0, NULL },
	{ "readv", "FNN", 0, NULL },
	{ "preadv", "FXNN", 0, NULL },
	{ "writev", "FSS", 0, NULL },
	{ "pwritev", "FXSS", 0, NULL },
	{ "lseek", "FXW", 0, NULL },
	{ "ftruncate", "FX", 0, NULL },
	{ "truncate", "PX", 0, NULL },
	{ "mkdir", "PM", FZ_SHAPE, NULL },
	{ "mkdirat", "DPM", FZ_SHAPE, NULL },
	{ "rmdir", "P", FZ_SHAPE, NULL },
	{ "unlink", "P", FZ_SHAPE, NULL },
	{ "unlinkat", "DPA", FZ_SHAPE, NULL },
	{ "rename", "PP", FZ_SHAPE, NULL },
	{ "renameat", "DPDP", FZ_SHAPE, NULL },
	{ "renameat2", "DPDPR", FZ_SHAPE, NULL },
	{ "link", "PP", FZ_SHAPE, NULL },
	{ "linkat", "DPDPA", FZ_SHAPE, NULL },
	{ "symlink", "TP", FZ_SHAPE, NULL },
	{ "symlinkat", "TDP", FZ_SHAPE, NULL },
	{ "readlink", "PN", 0, NULL },
	{ "readlinkat", "DPN", 0, NULL },
	{ "getdents", "FN", 0, NULL },
	{ "stat", "P", 0, NULL },
	{ "lstat", "P", 0, NULL },
	{ "fstat", "F", 0, NULL },
	{ "fstatat", "DPA", 0, NULL },
	{ "statx", "DPAI", 0, NULL },
	{ "chmod", "PM", 0, NULL },
	{ "fchmod", "FM", 0, NULL },
	{ "fchmodat", "DPM", 0, NULL },
	{ "chown", "PUG", 0, NULL },
	{ "lchown", "PUG", 0, NULL },
	{ "fchown", "FUG", 0, NULL },
	{ "fchownat", "DPUGA", 0, NULL },
	{ "utimensat", "DPHA", 0, NULL },
	{ "futimens", "FH", 0, NULL },
	{ "access", "PK", 0, NULL },
	{ "faccessat", "DPK", 0, NULL },
	{ "faccessat2", "DPKA", 0, NULL },
	{ "fsync", "F", 0, NULL },
	{ "fdatasync", "F", 0, NULL },
	{ "dup", "FB", 0, NULL },
	{ "dup2", "FZB", 0, NULL },
	{ "dup3", "FZEB", 0, NULL },
	{ "fcntl", "FY", 0, NULL },
	{ "chdir", "P", 0, NULL },
	{ "fchdir", "F", 0, NULL },
	{ "getcwd", "", 0, NULL },
	{ "mknod", "PQ", 0, NULL },
	{ "mknodat", "DPQ", 0, NULL },
	{ "umask", "M", 0, NULL },
	{ "su", "UGL", 0, NULL },
	{ "statfs", "P", 0, NULL },
	{ "fstatfs", "F", 0, NULL },
	{ "lock", "FlXX", 0, NULL },
	{ "mmap", "FXNp", 0, NULL },
	{ "mwrite", "FXS", 0, NULL },
	{ "flock", "FC", 0, NULL },
	{ "fallocate", "FCXX", 0, NULL },
	{ "setxattr", "PJS%", 0, NULL },
	{ "getxattr", "PJN", 0, NULL },
	{ "listxattr", "PN", 0, NULL },
	{ "removexattr", "PJ", 0, NULL },
	{ "copy_file_range", "FFN", 0, NULL },
	{ "sendfile", "FFN", 0, NULL },
	{ "lsetxattr", "PJS%", 0, NULL },
	{ "fsetxattr", "FJS%", 0, NULL },
	{ "lgetxattr", "PJN", 0, NULL },
	{ "fgetxattr", "FJN", 0, NULL },
	{ "llistxattr", "PN", 0, NULL },
	{ "flistxattr", "FN", 0, NULL },
	{ "lremovexattr", "PJ", 0, NULL },
	{ "fremovexattr", "FJ", 0, NULL },
	{ "fchmodat2", "DPMA", 0, NULL },
	{ "preadv2", "FXrNN", 0, NULL },
	{ "pwritev2", "FXrSS", 0, NULL },
	{ "pipe", "vvq", 0, NULL },
	{ "splice", "FFNk", 0, NULL },
	{ "tee", "FFNk", 0, NULL },
	{ "getflags", "F", 0, NULL },
	{ "setflags", "Fi", 0, NULL },
	{ "fork", "", 0, NULL },
	{ "join", "", 0, NULL },
	/*
	 * fuzzproc: /proc's views of the files (the fd, cwd and root links,
	 * fdinfo, a reopen through the fd link, stat through the links, linkat
	 * of an fd link) and exec from the mount, in a child
	 * (tests/tmpfs/fsscript_proc.c). An fd link is read only in an input
	 * that makes no hard link (fz_decode()). exec runs a process: one slot
	 * each, against the name space's three. fexec and exec's by-fd ways
	 * are execveat(2) of a mount file (fexecve(3)).
	 */
	{ "fdlink", "F", 0, NULL },
	{ "proclink", "m", 0, NULL },
	{ "fdinfo", "F", 0, NULL },
	{ "reopen", "FOMB", 0, NULL },
	{ "fdstat", "jF", 0, NULL },
	{ "cwdstat", "jP", 0, NULL },
	{ "fdlinkat", "FP", 0, NULL },
	{ "mkexec", "Pn", 0, NULL },
	{ "exec", "Po", 0, NULL },
	{ "fexec", "F", 0, NULL },
	/*
	 * fuzzmount: mount(2) of a tmpfs (options, MS_REMOUNT, propagation),
	 * bind mounts, umount2(2), statfs(2) of mounts (fsscript_mount.c).
	 * MS_MOVE is left out: ukcov answers EPERM (docs/mounts.md). Bind
	 * mounts are aliases of a path in ukcov, not of a dentry (its
	 * documented deviations: ".." from their root, getcwd and mnt_id
	 * inside, a source above the target, a remount): most inputs with one
	 * would differ for that alone.
	 */
	{ "mount", "Pab", FZ_MOUNT, NULL },
	/* another file system (ukcov grafts the host's: vfs/graft.c) */
	{ "mountfs", "P&a", FZ_MOUNT, NULL },
	{ "umount", "Pc", FZ_MOUNT, NULL },
	{ "mountbind", "PPd", FZ_MOUNT | FZ_UNSERVED,
	  "bind mounts are path aliases (docs/mounts.md, deviations)" },
	{ "statvfs", "P", 0, NULL },
	{ "fstatvfs", "F", 0, NULL },
	/* mountinfo's line of a mount, less ids and paths (fsscript_mount.c) */
	{ "mountinfo", "P", FZ_MOUNT, NULL },
	/*
	 * fuzzdev: unix sockets bound in the scratch root, resource limits,
	 * guest-memory faults, the *xattrat calls and the ioctls of a tmpfs
	 * file (tests/tmpfs/fsscript_dev.c); device nodes are Q's. Not send
	 * (sendto without an address): it stays native under ukcov, so on an
	 * O_PATH fd of a mount file it is ENOTSOCK where Linux says EBADF
	 * (docs/tmpfs-deviations.md); write moves a stream's data instead.
	 */
	{ "socket", "sB", 0, NULL },
	{ "bind", "Fw", 0, NULL },
	{ "listen", "F", 0, NULL },
	{ "connect", "Fw", 0, NULL },
	{ "accept", "FB", 0, NULL },
	{ "sendto", "FSw", 0, NULL },
	{ "recv", "FN", 0, NULL },
	{ "rlimit", "u", 0, NULL },
	{ "fault", "yxFP", 0, NULL },
	{ "setxattrat", "DPzJS%", 0, NULL },
	{ "getxattrat", "DPzJN", 0, NULL },
	{ "listxattrat", "DPzN", 0, NULL },
	{ "removexattrat", "DPzJ", 0, NULL },
	{ "ioctl", "Ft", 0, NULL },
	/*
	 * inotify (tests/tmpfs/fsscript_notify.c): its own instance $i, which
	 * no other operation names (a read of its raw bytes would print a
	 * rename's cookie, a host-wide counter). No IN_OPEN, IN_CLOSE_* or
	 * IN_EXCL_UNLINK in a mask: docs/tmpfs-deviations.md.
	 */
	{ "inotify_init", "f>", 0, NULL },
	{ "inotify_add_watch", "gPe", 0, NULL },
	{ "inotify_rm_watch", "gh", 0, NULL },
	{ "inotify_read", "gN", 0, NULL },
	/*
	 * Fault injection (guest.c's fault_arm()): the next line's Nth fault
	 * site fails (ukcov run --fault-injection); the /dev/shm side skips a
	 * line that failed so, which must have changed nothing.
	 */
	{ "failnth", "#", 0, NULL },
	{ NULL, NULL, 0, NULL }
};

/*
 * Device nodes (Q): an open of a node opens the host's device on both
 * sides, so only devices whose reads and writes touch nothing are named:
 * /dev/null (1:3), /dev/zero (1:5), /dev/full (1:7), no device (0:0) and
 * a major no driver has (240:1, character and block: ENXIO). Not a real
 * block device (it would be written to), not /dev/random or urandom (a
 * read, or a splice into a pipe read later, prints data that differs
 * between the sides), not /dev/tty (5:0: with a controlling terminal a
 * read waits for the user and a write reaches the terminal).
 */

/*
 * Path components: a few names, so that operations meet each other's
 * files; "s" is a symlink to "." that a scratch root starts with when
 * the script names it (guest.c), so that walks through a symlink are one component away.
 */
static const char *const comps[8] = { "a", "b", "c", "d", ".", "..", "e", "s" };

/* ---- table kinds: a byte (or two) picks one token, or a set of bits ---- */

enum kmode { ONE, BITS };

struct kind {
	char letter;
	int nbytes;
	enum kmode mode;
	const char *const *atoms;
	int natoms;
	unsigned unserved; /* atoms decoded only with all_ops (ONE: as the first) */
};

#define ATOMS_U(unserved, ...) (const char *const[]){ __VA_ARGS__ }, \
	(int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)), unserved
#define ATOMS(...) ATOMS_U(0, __VA_ARGS__)

static const struct kind kinds[] = {
	{ 'O', 2, BITS, ATOMS("O_WRONLY", "O_RDWR", "O_CREAT", "O_EXCL", "O_TRUNC",
		"O_APPEND", "O_DIRECTORY", "O_NOFOLLOW", "O_PATH", "O_CLOEXEC",
		"O_NONBLOCK", "O_NOATIME", "O_TMPFILE", "O_SYNC", "O_DSYNC", "O_NOCTTY") },
	{ 'M', 1, ONE, ATOMS("0644", "0755", "0", "0777", "0600", "0444", "01777",
		"04755", "02755", "0700", "0111", "0222", "0200", "02000", "07777", "0400") },
	{ 'Q', 1, ONE, ATOMS("S_IFIFO|0644 0", "S_IFIFO|0 0", "S_IFREG|0600 0",
		"S_IFSOCK|0644 0", "S_IFCHR|0644 0x103", "0644 0", "S_IFDIR|0755 0",
		"S_IFBLK|0600 0", "S_IFCHR|0666 0x105", "S_IFCHR|0666 0x107",
		"S_IFCHR|0644 0xf001", "S_IFBLK|0600 0xf001") },
	{ 'N', 1, ONE, ATOMS("0", "1", "3", "10", "100", "4096", "65536", "2") },
	{ 'X', 1, ONE, ATOMS("0", "1", "5", "100", "4095", "4096", "4097", "1048576",
		"-1", "8192", "2", "0x7fffffffffffffff", "3", "65536", "1099511627776", "7") },
	{ 'W', 1, ONE, ATOMS("SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE", "5") },
	{ 'R', 1, ONE, ATOMS("0", "RENAME_NOREPLACE", "RENAME_EXCHANGE",
		"RENAME_WHITEOUT", "RENAME_NOREPLACE|RENAME_EXCHANGE", "8", "RENAME_WHITEOUT|RENAME_NOREPLACE") },
	{ 'A', 1, BITS, ATOMS("AT_SYMLINK_NOFOLLOW", "AT_EMPTY_PATH", "AT_REMOVEDIR",
		"AT_SYMLINK_FOLLOW", "AT_EACCESS", "AT_NO_AUTOMOUNT", "0x10000", "AT_STATX_DONT_SYNC") },
	{ 'V', 1, BITS, ATOMS("RESOLVE_BENEATH", "RESOLVE_IN_ROOT", "RESOLVE_NO_SYMLINKS",
		"RESOLVE_NO_MAGICLINKS", "RESOLVE_NO_XDEV", "0x40") },
	{ 'I', 1, ONE, ATOMS("STATX_BASIC_STATS", "STATX_ALL", "STATX_TYPE", "0",
		"STATX_SIZE|STATX_MODE", "STATX_BTIME", "STATX_NLINK|STATX_INO") },
	{ 'U', 1, ONE, ATOMS("0", "1000", "1001", "65534", "-1") },
	{ 'G', 1, ONE, ATOMS("0", "1000", "1001", "65534", "-1") },
	{ 'L', 1, ONE, ATOMS("", "1000", "1001,1000", "0", "65534") },
	{ 'K', 1, ONE, ATOMS("F_OK", "R_OK", "W_OK", "X_OK", "R_OK|W_OK", "R_OK|W_OK|X_OK", "8") },
	{ 'H', 1, ONE, ATOMS("NULL", "NOW NOW", "OMIT OMIT", "100.5 OMIT", "OMIT 200.0",
		"NOW OMIT", "1.999999999 2.0", "5.1000000000 OMIT") },
	/*
	 * Leases and dnotify: their SIGIO is ignored on both sides (fsi_open()),
	 * so what is compared is what the calls answer; a break that waits is
	 * cut by the line's timer on both sides. Not F_SETSIG of a signal
	 * (EINVAL without the private store, a documented deviation), nor
	 * O_ASYNC.
	 */
	{ 'Y', 1, ONE, ATOMS("F_GETFL", "F_SETFL O_APPEND", "F_SETFL O_NONBLOCK|O_APPEND",
		"F_GETFD", "F_SETFD FD_CLOEXEC", "F_SETFL 0", "F_SETFL O_NOATIME", "1000",
		"F_GETOWN", "F_SETOWN 0", "F_GETSIG", "F_SETSIG 0", "F_GETLEASE",
		"F_SETLEASE F_UNLCK", "F_GET_SEALS", "F_ADD_SEALS F_SEAL_WRITE",
		"F_ADD_SEALS F_SEAL_SEAL|F_SEAL_GROW", "F_SETLEASE F_RDLCK", "F_SETLEASE F_WRLCK",
		"F_NOTIFY DN_CREATE", "F_NOTIFY DN_MODIFY|DN_DELETE|DN_RENAME|DN_MULTISHOT",
		"F_NOTIFY DN_ACCESS|DN_ATTRIB", "F_NOTIFY 0") },
	{ 'Z', 1, ONE, ATOMS("100", "101", "$f0", "$f1", "102", "$w") },
	{ 'E', 1, ONE, ATOMS("0", "O_CLOEXEC", "O_APPEND") },
	{ 'C', 1, ONE, ATOMS("0", "1", "2", "3", "8", "6", "4", "5") },
	{ 'l', 1, ONE, ATOMS("F_SETLK F_WRLCK", "F_SETLK F_RDLCK", "F_SETLK F_UNLCK",
		"F_GETLK F_WRLCK", "F_OFD_SETLK F_WRLCK", "F_OFD_SETLK F_RDLCK",
		"F_OFD_GETLK F_WRLCK", "F_OFD_SETLK F_UNLCK", "F_SETLK 7") },
	{ 'p', 1, ONE, ATOMS("PROT_READ", "PROT_READ|PROT_WRITE", "PROT_WRITE", "0") },
	{ 'r', 1, ONE, ATOMS("0", "RWF_HIPRI", "RWF_DSYNC", "RWF_SYNC", "RWF_NOWAIT", "RWF_APPEND",
		"RWF_NOAPPEND", "RWF_ATOMIC", "RWF_DONTCACHE", "RWF_APPEND|RWF_DSYNC", "0x40000000",
		"RWF_APPEND|RWF_NOAPPEND") },
	/*
	 * Mostly non-blocking: a read of an empty blocking pipe waits for the
	 * 50 ms timer (guest.c), which would slow every such input down.
	 */
	{ 'q', 1, ONE, ATOMS("O_NONBLOCK", "O_NONBLOCK|O_CLOEXEC", "0", "O_NONBLOCK|O_DIRECT") },
	{ 'k', 1, ONE, ATOMS("SPLICE_F_NONBLOCK", "0", "SPLICE_F_MOVE|SPLICE_F_NONBLOCK",
		"SPLICE_F_MORE|SPLICE_F_NONBLOCK") },
	/*
	 * Not FS_IMMUTABLE_FL nor FS_APPEND_FL: a file carrying either cannot
	 * be unlinked, and the scratch roots must be emptied after each input
	 * (scratch.c clears no flags).
	 */
	{ 'i', 1, BITS, ATOMS("FS_SYNC_FL", "FS_NODUMP_FL", "FS_NOATIME_FL", "FS_DIRSYNC_FL",
		"FS_SECRM_FL", "FS_COMPR_FL", "FS_PROJINHERIT_FL", "FS_CASEFOLD_FL") },
	/*
	 * setxattr's XATTR_CREATE (1) and XATTR_REPLACE (2), mostly valid:
	 * any other bit is EINVAL before the name is looked at, so an ACL
	 * would rarely be set with flock's operations (C) here.
	 */
	{ '%', 1, ONE, ATOMS("0", "1", "2", "0", "3", "1", "8", "0") },
	{ 'J', 1, ONE, ATOMS("user.a", "user.b", "trusted.t", "security.s", "bogus.x", "user.",
		"system.posix_acl_access", "system.posix_acl_default") },
	/* fuzzproc: stat's way, a /proc link, an executable's kind, exec's way */
	{ 'j', 1, ONE, ATOMS("stat", "lstat", "statx") },
	/* the fault site of the next line (most calls have 1 to 6) */
	{ '#', 1, ONE, ATOMS("1", "2", "3", "4", "5", "6", "7", "9") },
	{ 'm', 1, ONE, ATOMS("self/cwd", "self/root", "thread-self/cwd", "self/fd/../cwd", "self/cwd/s",
		"self/fd") },
	{ 'o', 1, ONE, ATOMS("execve", "nofollow", "fexecve", "opath") },
	/* fuzzmount: flags and options of mount(2) and umount2(2) */
	{ 'a', 1, ONE, ATOMS("0", "MS_RDONLY", "MS_NOEXEC|MS_NOSUID|MS_NODEV", "MS_REMOUNT",
		"MS_REMOUNT|MS_RDONLY", "MS_PRIVATE", "MS_SHARED|MS_REC", "MS_SLAVE",
		"MS_UNBINDABLE", "MS_NOATIME", "MS_REMOUNT|MS_NOEXEC", "MS_PRIVATE|MS_SHARED",
		"MS_PRIVATE|MS_RDONLY", "MS_DIRSYNC|MS_SYNCHRONOUS", "MS_STRICTATIME", "MS_REC|MS_PRIVATE",
		"MS_NOSYMFOLLOW", "MS_REMOUNT|MS_NOSYMFOLLOW", "MS_LAZYTIME|MS_NODIRATIME",
		"MS_REMOUNT|MS_RDONLY|MS_SYNCHRONOUS") },
	/* mountfs: ramfs mostly (the host's on both sides); an unknown type, one needing a device */
	{ '&', 1, ONE, ATOMS("ramfs", "ramfs", "ramfs", "bogusfs", "ramfs", "ext2", "ramfs", "ramfs") },
	{ 'c', 1, ONE, ATOMS("0", "MNT_DETACH", "MNT_FORCE", "MNT_EXPIRE", "UMOUNT_NOFOLLOW",
		"MNT_EXPIRE|MNT_DETACH", "MNT_DETACH|UMOUNT_NOFOLLOW", "0x10") },
	{ 'd', 1, ONE, ATOMS("0", "MS_REC", "MS_RDONLY") },
	/* fuzzdev's kinds (fsscript_dev.c) */
	{ 's', 1, ONE, ATOMS("SOCK_STREAM|SOCK_NONBLOCK", "SOCK_DGRAM|SOCK_NONBLOCK",
		"SOCK_SEQPACKET|SOCK_NONBLOCK", "SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET",
		"SOCK_RAW", "SOCK_DGRAM|SOCK_CLOEXEC") },
	/* relative to the cwd, which the guard keeps inside the root; no "..": sun_path is short */
	{ 'w', 1, ONE, ATOMS("=a", "=b", "=c/a", "=s/b", "=a/", "=e", "=d/a/b", "=s") },
	/*
	 * RLIMIT_NOFILE only with --all-ops: below ukcov's cwd slot (the top
	 * of the fd table) a chdir into the mount is EMFILE, a documented
	 * deviation (docs/tmpfs.md), and the guard's own chdir after a rename
	 * or chdir would meet it on the mount's side only.
	 */
	{ 'u', 1, ONE, ATOMS_U(0xe0, "RLIMIT_FSIZE 0", "RLIMIT_FSIZE 1", "RLIMIT_FSIZE 4096",
		"RLIMIT_FSIZE 5000", "RLIMIT_FSIZE 1048576", "RLIMIT_NOFILE +0",
		"RLIMIT_NOFILE +1", "RLIMIT_NOFILE +3") },
	{ 'x', 1, ONE, ATOMS("NULL", "ONE", "EDGE", "GUARD", "HIGH") },
	{ 'y', 1, ONE, ATOMS("open", "mkdir", "stat", "lstat", "statfs", "fstat", "read",
		"write", "getdents", "readlink", "listxattr", "getxattr", "setxattr", "rename",
		"symlink", "statx", "utimensat", "readv", "pread", "openat2", "getlk",
		"fionread", "truncate") },
	{ 'z', 1, ONE, ATOMS("0", "AT_SYMLINK_NOFOLLOW", "AT_EMPTY_PATH",
		"AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH", "AT_REMOVEDIR", "0x10000") },
	{ 't', 1, ONE, ATOMS("FIONREAD", "FIOQSIZE", "FIGETBSZ", "FIBMAP", "FIONBIO",
		"FIOCLEX", "FIONCLEX", "FS_IOC_GETVERSION", "FS_IOC_FSGETXATTR",
		"FS_IOC_FSSETXATTR", "TCGETS", "0x1234", "FIOASYNC") },
	/* inotify's kinds (fsscript_notify.c) */
	{ 'e', 2, BITS, ATOMS("IN_ACCESS", "IN_MODIFY", "IN_ATTRIB", "IN_MOVED_FROM",
		"IN_MOVED_TO", "IN_CREATE", "IN_DELETE", "IN_DELETE_SELF", "IN_MOVE_SELF",
		"IN_ONLYDIR", "IN_DONT_FOLLOW", "IN_MASK_ADD", "IN_ONESHOT", "IN_MASK_CREATE",
		"IN_ISDIR") },
	{ 'f', 1, ONE, ATOMS("IN_NONBLOCK", "0", "IN_CLOEXEC", "IN_NONBLOCK|IN_CLOEXEC", "0x1") },
	{ 'g', 1, ONE, ATOMS("$i", "$i", "$i", "$i", "$i", "$i", "$f0", "999") },
	{ 'h', 1, ONE, ATOMS("1", "2", "3", "4", "0", "-1") },
};

static const struct kind *kind_of(char letter)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].letter == letter)
			return &kinds[i];
	return NULL;
}

/* bytes consumed by an argument kind */
static int kind_bytes(char letter)
{
	const struct kind *k = kind_of(letter);

	if (k)
		return k->nbytes;
	return letter == 'P' ? 3 : letter == 'T' || letter == 'S' ? 2 : letter == '>' ? 0 : 1;
}

/* ---- decoding ---- */

struct cursor {
	const unsigned char *p;
	size_t len, at;
};

static unsigned take(struct cursor *c)
{
	return c->at < c->len ? c->p[c->at++] : 0;
}

static unsigned take_n(struct cursor *c, int n)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++)
		v |= take(c) << (8 * i);
	return v;
}

static int decode_all_ops;

/* prints a table kind's token; returns it when it is one atom (ONE) */
static const char *put_table(const struct kind *k, unsigned v, FILE *out)
{
	int any = 0;

	if (!decode_all_ops)
		v &= ~k->unserved;
	if (k->mode == ONE) {
		const char *atom;

		v %= (unsigned)k->natoms;
		atom = k->atoms[!decode_all_ops && (k->unserved & (1u << v)) ? 0 : v];
		fputs(atom, out);
		return atom;
	}
	for (int i = 0; i < k->natoms; i++) {
		if (!(v & (1u << i)))
			continue;
		fprintf(out, "%s%s", any ? "|" : "", k->atoms[i]);
		any = 1;
	}
	if (!any)
		fputc('0', out);
	return NULL;
}

static void put_comps(unsigned bits, int n, FILE *out)
{
	for (int i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "/" : "", comps[(bits >> (3 * i)) & 7]);
}

/*
 * A path: form byte (bits 0-1: components - 1; bits 2-3: under ROOT, under
 * ROOT, relative to the cwd, special; bit 4: trailing slash; bits 5-6 pick
 * the special) and 12 bits of components.
 */
static void put_path(struct cursor *c, FILE *out)
{
	unsigned form = take(c), bits = take_n(c, 2);
	int n = (int)(form & 3) + 1;

	switch ((form >> 2) & 3) {
	case 3:
		fputs((const char *const[]){ "\"\"", "@", "@/", "x{256}" }[(form >> 5) & 3], out);
		return;
	case 2:
		fputc('=', out);
		break;
	}
	put_comps(bits, n, out);
	if (form & 0x10)
		fputc('/', out);
}

/* A symlink target: literal, at most two components, or under ROOT (@/). */
static void put_target(struct cursor *c, FILE *out)
{
	unsigned form = take(c), bits = take(c);

	switch ((form >> 1) & 3) {
	case 3:
		fputs("\"\"", out);
		return;
	case 2:
		fputs("@/", out);
		break;
	}
	put_comps(bits, (int)(form & 1) + 1, out);
}

/*
 * POSIX ACLs as setxattr(system.posix_acl_*) takes them (struct
 * posix_acl_xattr_header, then 8-byte {tag, perm, id} entries,
 * little-endian), built from the input bytes after the data byte that
 * picks one. Most of the tmpfs's acl.c runs only for a valid ACL (a named
 * entry's permission under su, chmod's rewrite, a default ACL inherited by
 * a create, an ACL the mode can say), so most values are valid and in the
 * kernel's order; posix_acl_from_xattr()'s and posix_acl_valid()'s EINVAL
 * and EOPNOTSUPP stay a bit flip away.
 *   1st byte: bits 0-2 the form (7: free, else canonical); bits 3-5: 7
 *     version 3 (EOPNOTSUPP), 6 the value a byte short (EINVAL), else
 *     version 2;
 *   canonical: a byte of shape (bits 0-1 named users, 2-3 named groups,
 *     0 1 2 0 of each; bits 4-7: 15 no mask with named entries, 12 or more
 *     a mask without), a byte of the owner's (bits 0-2) and the owning
 *     group's (3-5) perms, one of other's (0-2) and the mask's (3-5), then
 *     a byte per named entry: perm (0-2) and id (3-5, of acl_named_ids);
 *   free: a count byte (bits 0-2: 0 to 7 entries), then per entry a byte
 *     of tag (0-2, of acl_tags: the six, an unknown one, 0) and id (3-5,
 *     of acl_any_ids) and one of perm (0-2, 3 in bits 3-4 adds an invalid
 *     bit): other orders, duplicates, ids on unnamed entries.
 * The ids are those su and chown take (0, 1000, 1001, 65534), two no
 * script's identity has (1002, 2002), and ACL_UNDEFINED_ID (EINVAL on a
 * named entry).
 */
#define FZ_ACL_DATA 248
#define ACL_UNDEFINED 0xffffffffu
#define ACL_MAX_VALUE (4 + 8 * 8)

enum { A_USER_OBJ = 1, A_USER = 2, A_GROUP_OBJ = 4, A_GROUP = 8, A_MASK = 0x10, A_OTHER = 0x20 };

static const unsigned acl_tags[8] = { A_USER_OBJ, A_USER, A_GROUP_OBJ, A_GROUP, A_MASK, A_OTHER,
				      0x40, 0 };
static const uint32_t acl_named_ids[8] = { 1000, 1001, 0, 65534, 1000, 1001, 2002, 1002 };
static const uint32_t acl_any_ids[8] = { ACL_UNDEFINED, 1000, 1001, 0, 65534, 2002, 1002,
					 ACL_UNDEFINED };

struct acl_value {
	unsigned char b[ACL_MAX_VALUE];
	size_t n;
};

static void acl_put(struct acl_value *a, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes && a->n < sizeof(a->b); i++)
		a->b[a->n++] = (unsigned char)(v >> (8 * i));
}

static void acl_entry(struct acl_value *a, unsigned tag, unsigned perm, uint32_t id)
{
	acl_put(a, tag, 2);
	acl_put(a, perm, 2);
	acl_put(a, id, 4);
}

static void acl_named(struct cursor *c, struct acl_value *a, unsigned tag, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned e = take(c);

		acl_entry(a, tag, e & 7, acl_named_ids[(e >> 3) & 7]);
	}
}

static void acl_canonical(struct cursor *c, struct acl_value *a)
{
	static const unsigned nnamed[4] = { 0, 1, 2, 0 };
	unsigned shape = take(c), own = take(c), rest = take(c);
	unsigned users = nnamed[shape & 3], groups = nnamed[(shape >> 2) & 3];
	int mask = users + groups ? shape >> 4 != 15 : shape >> 4 >= 12;

	acl_entry(a, A_USER_OBJ, own & 7, ACL_UNDEFINED);
	acl_named(c, a, A_USER, users);
	acl_entry(a, A_GROUP_OBJ, (own >> 3) & 7, ACL_UNDEFINED);
	acl_named(c, a, A_GROUP, groups);
	if (mask)
		acl_entry(a, A_MASK, (rest >> 3) & 7, ACL_UNDEFINED);
	acl_entry(a, A_OTHER, rest & 7, ACL_UNDEFINED);
}

static void acl_free(struct cursor *c, struct acl_value *a)
{
	unsigned n = take(c) & 7;

	for (unsigned i = 0; i < n; i++) {
		unsigned t = take(c), p = take(c);

		acl_entry(a, acl_tags[t & 7], (p & 7) | (((p >> 3) & 3) == 3 ? 8 : 0),
			  acl_any_ids[(t >> 3) & 7]);
	}
}

static void acl_decode(struct cursor *c, struct acl_value *a)
{
	unsigned h = take(c), v = (h >> 3) & 7;

	a->n = 0;
	acl_put(a, v == 7 ? 3 : 2, 4);
	if ((h & 7) == 7)
		acl_free(c, a);
	else
		acl_canonical(c, a);
	if (v == 6)
		a->n--;
}

static void put_acl(struct cursor *c, FILE *out)
{
	struct acl_value a;

	acl_decode(c, &a);
	fputc('"', out);
	for (size_t i = 0; i < a.n; i++)
		fprintf(out, "\\x%02x", a.b[i]);
	fputc('"', out);
}

/* set by a J argument that names an ACL: the S after it is one, mostly */
static int data_is_acl;

/*
 * Data: a letter repeated (the lengths straddle a page and a small file),
 * or an ACL: mostly after an ACL's name, one byte in 32 elsewhere.
 */
static void put_data(struct cursor *c, FILE *out)
{
	static const unsigned lens[] = { 0, 1, 2, 3, 5, 8, 100, 4095, 4096, 4097, 8192, 65537 };
	unsigned ch = take(c), n;

	if (data_is_acl ? ch >= 0x20 : ch >= FZ_ACL_DATA) {
		put_acl(c, out);
		return;
	}
	n = lens[take(c) % 12];
	ch = "abcxyzAZ"[ch & 7];
	if (n == 0)
		fputs("\"\"", out);
	else if (n < 8)
		for (unsigned i = 0; i < n; i++)
			fputc((int)ch, out);
	else
		fprintf(out, "%c{%u}", ch, n);
}

/*
 * tmpfs's mount options (kernel/fs/tmpfs/options.c parses them as Linux
 * does): a byte below MOPT_BUILT picks a whole string of mount_opt_atoms,
 * one at or above it builds one or two options (bit 0) from two bytes
 * each: a key of mopt_keys, then a value of the key's kind (the low three
 * bits a number, the next three a suffix, bit 6 an empty value). Only what
 * Linux 6.1 and today's kernels answer alike: no uid= in hex (6.13), no
 * noswap (6.4), no nr_inodes= past 2^54 (6.6), no "=x".
 */
#define MOPT_BUILT 0xa0

static const char *const mount_opt_atoms[] = {
	"-", "size=1m", "size=64k,nr_inodes=8", "mode=0700", "uid=1000,gid=1000", "nr_inodes=2",
	"size=0", "mode=01777,size=1%", "bogus=1", "size=4k", "nr_inodes=0", "mode=0755,uid=0", "ro",
	"huge=never", "size=1g,nr_inodes=1k", "size=x", "size=1t,nr_inodes=0x10", "size=1m,2",
	"sync,dirsync,lazytime", "ro=1", "huge=always", "size=0%", "mode=+700", "rw,async",
};

enum mopt_kind { MK_SIZE, MK_INODES, MK_MODE, MK_ID, MK_HUGE, MK_FLAG, MK_SOURCE };

static const struct {
	const char *key;
	enum mopt_kind kind;
} mopt_keys[16] = {
	{ "size", MK_SIZE }, { "nr_inodes", MK_INODES }, { "mode", MK_MODE }, { "uid", MK_ID },
	{ "gid", MK_ID }, { "huge", MK_HUGE }, { "ro", MK_FLAG }, { "rw", MK_FLAG },
	{ "sync", MK_FLAG }, { "dirsync", MK_FLAG }, { "lazytime", MK_FLAG }, { "inode64", MK_FLAG },
	{ "size", MK_FLAG }, { "source", MK_SOURCE }, { "nosuid", MK_FLAG }, { "mpol", MK_SOURCE },
};

static const char *const mopt_values[][8] = {
	[MK_SIZE] = { "0", "1", "4096", "4097", "64", "100", "0x10", "010" },
	[MK_INODES] = { "0", "1", "2", "8", "1k", "0x10", "64", "100" },
	[MK_MODE] = { "0700", "0755", "+700", "0", "7777777", "08", "01777", "0x7" },
	[MK_ID] = { "0", "1000", "1001", "65534", "4294967295", "x", "5", "-1" },
	[MK_HUGE] = { "never", "always", "within_size", "advise", "bogus", "never", "always", "NEVER" },
	/* source= (EINVAL: fsscript's mount(2) names one) and mpol= (default, or EINVAL on NUMA) */
	[MK_SOURCE] = { "x", "default", "tmpfs", "bogus", "x", "default", "y", "z" },
};
static const char *const mopt_suffixes[8] = { "", "k", "m", "g", "t", "%", "x", "k%" };

static void put_mount_opt(struct cursor *c, FILE *out)
{
	unsigned key = take(c) & 15, val = take(c);
	enum mopt_kind k = mopt_keys[key].kind;

	fputs(mopt_keys[key].key, out);
	if (k == MK_FLAG) {
		if (val & 0x40) /* a flag given a value: EINVAL, or the key alone (ro=1) */
			fputs("=1", out);
		return;
	}
	fputc('=', out);
	if (val & 0x40)
		return;
	fputs(mopt_values[k][val & 7], out);
	if (k == MK_SIZE || (k == MK_INODES && ((val >> 3) & 7) < 4))
		fputs(mopt_suffixes[(val >> 3) & 7], out);
}

static void put_mount_opts(struct cursor *c, FILE *out)
{
	unsigned form = take(c);

	if (form < MOPT_BUILT) {
		fputs(mount_opt_atoms[form % (sizeof(mount_opt_atoms) / sizeof(mount_opt_atoms[0]))], out);
		return;
	}
	put_mount_opt(c, out);
	if (form & 1) {
		fputc(',', out);
		put_mount_opt(c, out);
	}
}

/*
 * An executable's kind (mkexec, tests/tmpfs/fsscript_proc.c): one of
 * exec_kinds, or, for a byte at or above KIND_BUILT, a "#!" line built
 * from the next two bytes, for binfmt_script's parse (script_parse() in
 * kernel/syscalls/sys_exec.c): blanks before and after the interpreter,
 * an argument, and the line's end (a newline, a NUL, a carriage return,
 * the file's end, a second line). The interpreter is one of a fixed few
 * that do nothing with their arguments (/bin/true, /bin/false), name no
 * program (a directory, a missing path, "", a file as a directory) or
 * the script itself ("a", ELOOP): the bytes never name a program.
 *   1st byte: bits 0-2 the blanks before, 3-5 the interpreter, 6-7 the
 *     argument;
 *   2nd byte: bits 0-2 the blanks after, 3-5 the end.
 */
#define KIND_BUILT 0xe0

static const char *const exec_kinds[] = { "sh", "nest", "elf", "long", "missing", "dirinterp",
					  "garbage", "badelf", "empty" };
static const char *const shebang_blanks[8] = {
	"", " ", "\\t", "  ", " \\t", "\\t \\t ", "                 ",
	"\\t\\t\\t\\t\\t\\t\\t\\t\\t\\t\\t\\t\\t\\t\\t\\t\\t" };
static const char *const shebang_interps[8] = { "/bin/true", "/bin/false", "/bin/true", "a", "/",
						"/nonexistent/ukcov-interp", "", "/bin/true/" };
static const char *const shebang_args[4] = { "", " x", "\\t-x y", " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" };
static const char *const shebang_ends[8] = { "\\n", "\\n", "\\0", "", "\\n#!/bin/false\\n", "\\r\\n",
					     "\\0\\n", "\\n\\n" };

static void put_shebang(unsigned b1, unsigned b2, FILE *out)
{
	fprintf(out, "\"#!%s%s%s%s%s\"", shebang_blanks[b1 & 7], shebang_interps[(b1 >> 3) & 7],
		shebang_args[b1 >> 6 & 3], shebang_blanks[b2 & 7], shebang_ends[(b2 >> 3) & 7]);
}

static void put_exec_kind(struct cursor *c, FILE *out)
{
	unsigned v = take(c), b1;

	if (v < KIND_BUILT) {
		fputs(exec_kinds[v % (sizeof(exec_kinds) / sizeof(exec_kinds[0]))], out);
		return;
	}
	b1 = take(c);
	put_shebang(b1, take(c), out);
}

/* fds: the session's bindings $f0..$f5, the scratch root $w, a closed fd */
static void put_fd(unsigned v, int dirfd, FILE *out)
{
	v %= 8;
	if (dirfd && v == 0)
		fputs("AT_FDCWD", out);
	else if (v == 7)
		fputs("$w", out);
	else if (v == 6)
		fputs(dirfd ? "999" : "999", out);
	else
		fprintf(out, "$f%u", (v - (unsigned)dirfd) % FZ_NVARS);
}

static void put_arg(char letter, struct cursor *c, FILE *out)
{
	const struct kind *k = kind_of(letter);

	if (k) {
		const char *atom = put_table(k, take_n(c, k->nbytes), out);

		if (letter == 'J')
			data_is_acl = atom && !strncmp(atom, "system.posix_acl_", 17);
		return;
	}
	switch (letter) {
	case 'P': put_path(c, out); break;
	case 'T': put_target(c, out); break;
	case 'S': put_data(c, out); break;
	case 'n': put_exec_kind(c, out); break;
	case 'b': put_mount_opts(c, out); break;
	case 'D': put_fd(take(c), 1, out); break;
	case 'F': put_fd(take(c), 0, out); break;
	case 'v': fprintf(out, "$f%u", take(c) % FZ_NVARS); break;
	}
}

/*
 * The operations that shape the name space (create, remove, rename, link
 * names) take three slots of the byte that picks an operation, the others
 * one: the calls that look at a tree need one built first, and a rename
 * over a non-empty directory through a symlink (make check-fuzz's plant)
 * needs several of them in a row. A grammar's weights, as syzkaller
 * gives its calls priorities; AFL++'s mutations then find such trees
 * about twice as often (7% of picks are renames instead of 3%).
 */
static unsigned op_slots(const struct fz_op *op)
{
	return (op->flags & FZ_SHAPE) ? 3 : 1;
}

static int decode_mounts;

void fz_set_mounts(int on)
{
	decode_mounts = on;
}

static int op_decoded(const struct fz_op *op, int all_ops)
{
	if ((op->flags & FZ_MOUNT) && !decode_mounts)
		return 0;
	return all_ops || !(op->flags & FZ_UNSERVED);
}

/* the slots of the operations decoded */
static unsigned served_count(int all_ops)
{
	unsigned n = 0;

	for (const struct fz_op *op = fz_ops; op->name; op++)
		n += op_decoded(op, all_ops) ? op_slots(op) : 0;
	return n;
}

/* the operation of slot k among those decoded */
static const struct fz_op *nth_op(unsigned k, int all_ops)
{
	for (const struct fz_op *op = fz_ops; op->name; op++) {
		if (!op_decoded(op, all_ops))
			continue;
		if (k < op_slots(op))
			return op;
		k -= op_slots(op);
	}
	return NULL;
}

static int starts_line(const char *script, const char *word)
{
	size_t n = strlen(word);

	if (!strncmp(script, word, n))
		return 1;
	for (const char *p = script; (p = strchr(p, '\n')); p++)
		if (!strncmp(p + 1, word, n))
			return 1;
	return 0;
}

/*
 * ukcov prints an fd link by a name of the file, Linux by the name it was
 * opened by (a dentry: " (deleted)" once that name is gone, whatever other
 * names the file has; docs/tmpfs-deviations.md). An input that makes a hard
 * link reads its fds' fdinfo instead (same arguments, same length).
 */
static void no_fdlink_with_hardlinks(char *script)
{
	if (!starts_line(script, "link ") && !starts_line(script, "linkat ") &&
	    !starts_line(script, "fdlinkat "))
		return;
	if (!strncmp(script, "fdlink ", 7))
		memcpy(script, "fdinfo", 6);
	for (char *p = script; (p = strstr(p, "\nfdlink ")); p++)
		memcpy(p + 1, "fdinfo", 6);
}

/*
 * ukcov's O_PATH description of a mount file is a readable host one (an
 * O_PATH fd cannot be installed into a guest): lstat of its fd link shows
 * r-x where Linux shows no permission (docs/proc-view.md). An input that
 * opens with O_PATH stats its fd links, not the links themselves.
 */
static void no_fd_lstat_with_opath(char *script)
{
	if (!strstr(script, "O_PATH"))
		return;
	for (char *p = script; (p = strstr(p, "fdstat lstat ")); p++)
		memcpy(p + 7, " stat", 5);
}

/*
 * reopen with O_PATH|O_NOFOLLOW opens /proc's fd link itself: an fd of a
 * /proc symlink, through whose own fd link ukcov's walk answers ENOTDIR
 * where Linux lands on that symlink (docs/proc-view.md), and which the
 * guard judges differently per side. reopen takes no O_NOFOLLOW with O_PATH.
 */
static void no_reopen_of_the_link(char *script)
{
	for (char *p = script; (p = strstr(p, "reopen ")); p++) {
		char *end = strchr(p, '\n'), *nf = strstr(p, "O_NOFOLLOW|O_PATH");

		if (nf && (!end || nf < end))
			memmove(nf, nf + 11, strlen(nf + 11) + 1);
	}
}

/* a "symlink" or "symlinkat" line whose target has a ".." component */
static int links_up(const char *script)
{
	for (const char *p = script; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *end = p + strcspn(p, "\n"), *dots = strstr(p, "..");

		if ((!strncmp(p, "symlink ", 8) || !strncmp(p, "symlinkat ", 10)) && dots && dots < end)
			return 1;
	}
	return 0;
}

/*
 * Which inputs watch nothing (their inotify_add_watch lines become
 * comments), and which watches are left out:
 *  - ukcov reports a watched file's events by its latest name, and its
 *    IN_DELETE_SELF when the inode dies; Linux by the name (dentry) it was
 *    opened by, and when the last dentry dies, which an open description
 *    of another name of the file does not delay: no watches in an input
 *    that makes a hard link;
 *  - nor in one with an O_TMPFILE file, whose events Linux reports to its
 *    directory by a name of its inode number ("#N"), ukcov not at all
 *    (docs/tmpfs-deviations.md);
 *  - nor of anything above the scratch root W: its levels outlive the
 *    input, and a watched directory stays watched in ukcov (the host does
 *    not say when the guest's watch goes), so every later input would run
 *    differently (its coverage, AFL++'s stability). A watch with ".." in
 *    its path is left out, and every watch of an input whose symlinks
 *    point up.
 */
static void no_watches(char **script)
{
	char *out = NULL, *line, *save = NULL;
	size_t n = 0;
	FILE *f;
	int none;

	if (!starts_line(*script, "inotify_add_watch "))
		return;
	none = starts_line(*script, "link ") || starts_line(*script, "linkat ") ||
	       starts_line(*script, "fdlinkat ") || strstr(*script, "O_TMPFILE") || links_up(*script);
	if (!(f = open_memstream(&out, &n)))
		return;
	for (line = strtok_r(*script, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(f, "%s%s\n", strncmp(line, "inotify_add_watch ", 18) ||
			(!none && !strstr(line, "..")) ? "" : "# ", line);
	fclose(f);
	free(*script);
	*script = out;
}

/*
 * A description of a mount file whose opener (another process or fsuid:
 * fork, exec, su) or kind (O_NOFOLLOW) is new to the file is opened by a
 * new name of its data file in the private store, a link, which the host
 * reports as IN_ATTRIB to a watch of the file (docs/tmpfs-deviations.md).
 * An input that can make one watches without IN_ATTRIB.
 */
static void no_attrib_with_store_names(char *script)
{
	if (!strstr(script, "O_NOFOLLOW") && !starts_line(script, "su ") &&
	    !starts_line(script, "fork") && !starts_line(script, "exec "))
		return;
	for (char *p = script; (p = strstr(p, "inotify_add_watch ")); p++) {
		char *end = p + strcspn(p, "\n"), *a;

		while ((a = strstr(p, "IN_ATTRIB")) && a < end) {
			size_t n = strlen("IN_ATTRIB");

			if (a[n] == '|')
				n++; /* IN_ATTRIB|X */
			else if (a[-1] == '|')
				a--, n++; /* X|IN_ATTRIB */
			else
				a[0] = '0', a++, n--; /* IN_ATTRIB alone: 0 */
			memmove(a, a + n, strlen(a + n) + 1);
			end -= n;
		}
	}
}

/*
 * ukcov moves a read's or a write's data through a 64 KiB buffer, a host
 * call on the data file per 64 KiB, each of which the host reports
 * (docs/tmpfs-deviations.md): an input that watches writes at most 64 KiB
 * at once.
 */
static void no_long_writes_with_watches(char *script)
{
	if (!starts_line(script, "inotify_add_watch "))
		return;
	for (char *p = script; (p = strstr(p, "{65537}")); p++)
		p[5] = '6';
}

/*
 * ukcov knows a lease's holder by the fd it was set through: once that fd
 * is closed, a dup or a fork child's copy of the description no longer
 * holds it (Linux: the description does, to its last close;
 * docs/tmpfs-deviations.md). An input that dups or forks takes no lease:
 * its F_SETLEASE of a lease asks F_GETLEASE instead.
 */
static void no_leases_with_dups(char *script)
{
	static const char *const set[] = { "F_SETLEASE F_RDLCK", "F_SETLEASE F_WRLCK" };

	/*
	 * Nor with an open of access mode 3 (O_WRONLY|O_RDWR): Linux counts
	 * such a description nowhere, ukcov among a lease's readers
	 * (docs/tmpfs-deviations.md).
	 */
	if (!starts_line(script, "dup") && !starts_line(script, "fork") && !strstr(script, "O_WRONLY|O_RDWR"))
		return;
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		for (char *p = script; (p = strstr(p, set[i]));) {
			memcpy(p, "F_GETLEASE", 10);
			memmove(p + 10, p + strlen(set[i]), strlen(p + strlen(set[i])) + 1);
		}
}

/*
 * openat2(RESOLVE_BENEATH or RESOLVE_IN_ROOT) does not follow its walk down
 * into another mount in ukcov (EXDEV, ENOENT; docs/tmpfs-deviations.md): in
 * an input that mounts, openat2 takes neither.
 */
static void no_beneath_with_mounts(char *script)
{
	static const char *const flags[] = { "RESOLVE_BENEATH", "RESOLVE_IN_ROOT" };

	if (!starts_line(script, "mount ") && !starts_line(script, "mountfs "))
		return;
	for (char *p = script; (p = strstr(p, "openat2 ")); p++) {
		char *end = strchr(p, '\n');

		if (p != script && p[-1] != '\n')
			continue;
		for (size_t i = 0; i < 2; i++)
			for (char *f; (f = strstr(p, flags[i])) && (!end || f < end);) {
				f[0] = '0';
				memmove(f + 1, f + 15, strlen(f + 15) + 1);
				end = strchr(p, '\n');
			}
	}
}

/*
 * A graft (mountfs) takes no mount onto or inside it (EPERM: the host's
 * part of the tree, docs/mounts.md), and a cwd in it does not keep it
 * busy (umount2 succeeds where Linux says EBUSY), and an O_PATH open in it
 * is a read-only open (docs/mounts.md). An input that makes one makes no
 * mount after it (statvfs instead), no chdir (stat instead), no O_PATH.
 */
static void no_mounts_over_grafts(char *script)
{
	char *g = strstr(script, "mountfs ");

	while (g && g != script && g[-1] != '\n')
		g = strstr(g + 1, "mountfs ");
	if (!g)
		return;
	for (char *p = strchr(g, '\n'); p; p = strchr(p + 1, '\n')) {
		char *line = p + 1, *arg, *end;

		if (strncmp(line, "mount ", 6) && strncmp(line, "mountfs ", 8))
			continue;
		/* "mount P ..." -> "statvfs P" (shorter: the line is cut after P) */
		arg = strchr(line, ' ') + 1;
		end = arg + strcspn(arg, " \n");
		memmove(line + 8, arg, (size_t)(end - arg));
		memcpy(line, "statvfs ", 8);
		memmove(line + 8 + (end - arg), end + strcspn(end, "\n"), strlen(end + strcspn(end, "\n")) + 1);
	}
	/*
	 * a rename whose name ends in "." or "..": its parents are compared
	 * by the walk, which ".." at a graft's root leaves (EXDEV where Linux
	 * says EBUSY): the line becomes a comment
	 */
	for (char *p = script; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *end = p + strcspn(p, "\n"), *t;

		if (strncmp(p, "rename", 6))
			continue;
		for (t = p; t < end; t++)
			if (*t == '.' && (t + 1 == end || t[1] == ' ' || t[1] == '/') &&
			    (t[-1] == ' ' || t[-1] == '/' || t[-1] == '=' ||
			     (t[-1] == '.' && (t[-2] == ' ' || t[-2] == '/' || t[-2] == '='))))
				break;
		if (t < end)
			p[0] = '#';
	}
	/* a graft file's /proc fd link names it from the graft's own root: no linkat of one */
	for (char *p = strstr(script, "fdlinkat "); p; p = strstr(p + 1, "fdlinkat ")) {
		char *f = p + 9, *end = f + strcspn(f, " \n");

		if (p != script && p[-1] != '\n')
			continue;
		memcpy(p, "fdinfo ", 7);
		memmove(p + 7, f, (size_t)(end - f));
		memmove(p + 7 + (end - f), end + strcspn(end, "\n"), strlen(end + strcspn(end, "\n")) + 1);
	}
	/* an O_PATH open in a graft is a read-only one (the host fd cannot be O_PATH): none at all */
	for (char *p = script; (p = strstr(p, "O_PATH"));) {
		p[0] = '0';
		memmove(p + 1, p + 6, strlen(p + 6) + 1);
	}
	for (char *p = script; (p = strstr(p, "chdir ")); p++)
		if (p == script || p[-1] == '\n')
			memcpy(p, "stat  ", 6);
		else if (p - script >= 1 && p[-1] == 'f' && (p - 1 == script || p[-2] == '\n'))
			memcpy(p - 1, "fstat  ", 7);
}

/*
 * linkat(AT_EMPTY_PATH) by another identity than the dirfd's opener is
 * ENOENT (path_init()'s LOOKUP_LINKAT_EMPTY check); ukcov knows the opener
 * of a mount file's description, not of a pipe's or a socket's, which the
 * host made without a trap, nor of a graft file's, which the supervisor
 * opened (docs/tmpfs-deviations.md). An input that makes one and changes
 * identity (su) takes no AT_EMPTY_PATH in linkat.
 */
static void no_empty_linkat_of_host_fds(char *script)
{
	if (!starts_line(script, "su ") ||
	    (!starts_line(script, "pipe ") && !starts_line(script, "socket ") &&
	     !starts_line(script, "accept ") && !starts_line(script, "mountfs ")))
		return;
	for (char *p = script; (p = strstr(p, "linkat ")); p++) {
		char *end = strchr(p, '\n'), *f = strstr(p, "AT_EMPTY_PATH");

		if ((p == script || p[-1] == '\n') && f && (!end || f < end)) {
			f[0] = '0';
			memmove(f + 1, f + 13, strlen(f + 13) + 1);
		}
	}
}

/*
 * No fault injection in an input that watches (inotify, dnotify): an
 * event the supervisor cannot allocate is lost, where Linux queues
 * IN_Q_OVERFLOW (docs/fault-injection.md); the word stays, disarmed.
 */
static void no_faults_with_events(char *script)
{
	if (!starts_line(script, "inotify_init") && !strstr(script, "F_NOTIFY"))
		return;
	for (char *p = script; (p = strstr(p, "failnth "));) {
		size_t n = strcspn(p + 8, "\n");

		p[8] = '0';
		memmove(p + 9, p + 8 + n, strlen(p + 8 + n) + 1);
		p += 9;
	}
}

static int decode_ops(const unsigned char *buf, size_t len, int all_ops, FILE *out);

int fz_decode(const unsigned char *buf, size_t len, int all_ops, FILE *out)
{
	char *script = NULL;
	size_t slen = 0;
	FILE *f = open_memstream(&script, &slen);
	int lines;

	if (!f)
		return 0;
	lines = decode_ops(buf, len, all_ops, f);
	fclose(f);
	no_fdlink_with_hardlinks(script);
	no_fd_lstat_with_opath(script);
	no_reopen_of_the_link(script);
	no_attrib_with_store_names(script);
	no_long_writes_with_watches(script);
	no_leases_with_dups(script);
	no_empty_linkat_of_host_fds(script);
	no_mounts_over_grafts(script);
	no_beneath_with_mounts(script);
	no_faults_with_events(script);
	no_watches(&script);
	if (script)
		fputs(script, out);
	free(script);
	return lines;
}

static int decode_ops(const unsigned char *buf, size_t len, int all_ops, FILE *out)
{
	struct cursor c = { buf, len, 0 };
	unsigned nops = served_count(all_ops);
	int lines = 0;

	decode_all_ops = all_ops;
	while (c.at < c.len && lines < FZ_MAX_OPS) {
		const struct fz_op *op = nth_op(take(&c) % nops, all_ops);
		unsigned bind = 0;
		int binds = 0;

		data_is_acl = 0;
		fputs(op->name, out);
		for (const char *a = op->args; *a; a++) {
			if (*a == 'B') {
				bind = take(&c) % FZ_NVARS;
				binds = 1;
				continue;
			}
			if (*a == '>') {
				binds = 2;
				continue;
			}
			fputc(' ', out);
			put_arg(*a, &c, out);
		}
		if (binds == 1)
			fprintf(out, " -> $f%u", bind);
		else if (binds == 2)
			fputs(" -> $i", out);
		fputc('\n', out);
		lines++;
	}
	return lines;
}

/* ---- encoding: script lines back into bytes, best effort ---- */

struct sink {
	unsigned char *p;
	size_t len, cap;
};

static void emit(struct sink *s, unsigned v)
{
	if (s->len < s->cap)
		s->p[s->len++] = (unsigned char)v;
}

static void emit_n(struct sink *s, unsigned v, int n)
{
	for (int i = 0; i < n; i++)
		emit(s, (v >> (8 * i)) & 0xff);
}

static int atom_index(const struct kind *k, const char *tok, size_t n)
{
	for (int i = 0; i < k->natoms; i++)
		if (strlen(k->atoms[i]) == n && !strncmp(k->atoms[i], tok, n))
			return i;
	return -1;
}

static unsigned enc_table(const struct kind *k, const char *tok)
{
	unsigned v = 0;
	int i;

	if (k->mode == ONE)
		return (i = atom_index(k, tok, strlen(tok))) < 0 ? 0 : (unsigned)i;
	for (const char *s = tok; *s;) {
		size_t n = strcspn(s, "|");

		if ((i = atom_index(k, s, n)) >= 0)
			v |= 1u << i;
		s += n + (s[n] == '|');
	}
	return v;
}

static unsigned comp_index(const char *s, size_t n)
{
	for (unsigned i = 0; i < 8; i++)
		if (strlen(comps[i]) == n && !strncmp(comps[i], s, n))
			return i;
	/* another name: one of the plain names, chosen by its first letter */
	return n ? (unsigned)s[0] % 4 : 0;
}

/* components of a path, at most max; returns how many */
static int enc_comps(const char *s, int max, unsigned *bits, int *slash)
{
	int n = 0;

	*bits = 0;
	*slash = 0;
	while (*s && n < max) {
		size_t len = strcspn(s, "/");

		if (len) {
			*bits |= comp_index(s, len) << (3 * n);
			n++;
		}
		s += len;
		if (*s == '/') {
			s++;
			*slash = !*s;
		}
	}
	return n ? n : 1;
}

static void enc_path(struct sink *s, const char *tok)
{
	unsigned bits, form = 0;
	int n, slash;

	if (!strcmp(tok, "\"\"") || !strcmp(tok, "@") || !strcmp(tok, "@/")) {
		form = 3u << 2 | (unsigned)(tok[0] == '"' ? 0 : tok[1] ? 2 : 1) << 5;
		emit(s, form);
		emit_n(s, 0, 2);
		return;
	}
	if (tok[0] == '=') {
		form = 2u << 2;
		tok++;
	}
	while (*tok == '@' || *tok == '/')
		tok++;
	n = enc_comps(tok, FZ_MAX_COMPS, &bits, &slash);
	emit(s, form | (unsigned)(n - 1) | (slash ? 0x10u : 0));
	emit_n(s, bits, 2);
}

static void enc_target(struct sink *s, const char *tok)
{
	unsigned bits, form = 0;
	int slash, n;

	if (tok[0] == '@') {
		form = 2u << 1;
		tok++;
	}
	if (tok[0] == '"')
		tok++;
	n = enc_comps(tok, FZ_MAX_TARGET_COMPS, &bits, &slash);
	emit(s, form | (unsigned)(n - 1));
	emit(s, bits);
}

/* a quoted value of \xNN escapes alone (an ACL as scripts write it) into bytes */
static int acl_parse(const char *tok, struct acl_value *a)
{
	size_t len = strlen(tok);

	a->n = 0;
	if (len < 2 || tok[0] != '"' || tok[len - 1] != '"' || (len - 2) % 4)
		return -EINVAL;
	for (const char *p = tok + 1; p < tok + len - 1; p += 4) {
		char hex[3] = { p[2], p[3], 0 }, *end;

		if (p[0] != '\\' || p[1] != 'x' || a->n == sizeof(a->b))
			return -EINVAL;
		a->b[a->n++] = (unsigned char)strtoul(hex, &end, 16);
		if (*end)
			return -EINVAL;
	}
	return a->n >= 3 ? 0 : -EINVAL;
}

static unsigned acl_u16(const struct acl_value *a, size_t at)
{
	return at + 1 < a->n ? a->b[at] | (unsigned)a->b[at + 1] << 8 : 0;
}

static uint32_t acl_u32(const struct acl_value *a, size_t at)
{
	return (uint32_t)acl_u16(a, at) | (uint32_t)acl_u16(a, at + 2) << 16;
}

static unsigned acl_index(const uint32_t *ids, uint32_t id)
{
	for (unsigned i = 0; i < 8; i++)
		if (ids[i] == id)
			return i;
	return 0;
}

/* the free form's bytes for value @v: each entry as it is */
static size_t acl_enc_free(const struct acl_value *v, unsigned char *out)
{
	size_t n = 0, count = (v->n - 4) / 8;

	out[n++] = (unsigned char)count;
	for (size_t e = 0; e < count && e < 7; e++) {
		unsigned tag = acl_u16(v, 4 + 8 * e), perm = acl_u16(v, 6 + 8 * e), t = 0;

		while (t < 7 && acl_tags[t] != tag)
			t++;
		out[n++] = (unsigned char)(t | acl_index(acl_any_ids, acl_u32(v, 8 + 8 * e)) << 3);
		out[n++] = (unsigned char)((perm & 7) | (perm & 8 ? 0x18 : 0));
	}
	return n;
}

/*
 * The canonical form's bytes for @v, read as if it were one: entries not
 * in its order give bytes that decode to another value, which the caller
 * sees.
 */
static size_t acl_enc_canonical(const struct acl_value *v, unsigned char *out)
{
	unsigned users = 0, groups = 0, own, rest = 0, mask = 0, named[4];
	size_t e, count = (v->n - 4) / 8;

	own = acl_u16(v, 6) & 7;
	for (e = 1; e < count && acl_u16(v, 4 + 8 * e) == A_USER && users < 2; e++)
		named[users++] = (acl_u16(v, 6 + 8 * e) & 7) |
				 acl_index(acl_named_ids, acl_u32(v, 8 + 8 * e)) << 3;
	own |= (acl_u16(v, 6 + 8 * e++) & 7) << 3;
	for (; e < count && acl_u16(v, 4 + 8 * e) == A_GROUP && groups < 2; e++)
		named[users + groups++] = (acl_u16(v, 6 + 8 * e) & 7) |
					  acl_index(acl_named_ids, acl_u32(v, 8 + 8 * e)) << 3;
	if (e < count && acl_u16(v, 4 + 8 * e) == A_MASK) {
		rest = (acl_u16(v, 6 + 8 * e++) & 7) << 3;
		mask = 1;
	}
	rest |= acl_u16(v, 6 + 8 * e) & 7;
	out[0] = (unsigned char)(users | groups << 2 | (mask == !(users + groups) ? 15 << 4 : 0));
	out[1] = (unsigned char)own;
	out[2] = (unsigned char)rest;
	for (unsigned i = 0; i < users + groups; i++)
		out[3 + i] = (unsigned char)named[i];
	return 3 + users + groups;
}

/* whether @b, the bytes after the data byte, decode into exactly @want */
static int acl_decodes_to(const unsigned char *b, size_t n, const struct acl_value *want)
{
	struct cursor c = { b, n, 0 };
	struct acl_value got;

	acl_decode(&c, &got);
	return c.at == n && got.n == want->n && !memcmp(got.b, want->b, got.n);
}

/*
 * An ACL value of a script into the bytes that decode into it: the
 * canonical form if it is one, else the free form; a value a byte short is
 * tried with that byte as 0, then as 0xff. Returns 0, or -EINVAL for a
 * value neither form makes (the caller encodes it as plain data).
 */
static int enc_acl(struct sink *s, const char *tok)
{
	struct acl_value want, v;
	unsigned char b[2 + 2 * 7]; /* the free form at its longest: form byte, count, 7 entries */
	int cut;

	if (acl_parse(tok, &want) < 0)
		return -EINVAL;
	cut = want.n % 8 == 3;
	for (int pad = 0; pad < 1 + cut; pad++) {
		uint32_t version;
		unsigned h;

		v = want;
		if (cut)
			v.b[v.n++] = pad ? 0xff : 0;
		version = acl_u32(&v, 0);
		if (v.n % 8 != 4 || (version != 2 && version != 3))
			return -EINVAL;
		if (version == 3 && cut)
			return -EINVAL;
		h = version == 3 ? 7u << 3 : cut ? 6u << 3 : 0;
		for (unsigned form = 0; form < 2; form++) {
			size_t n;

			b[0] = (unsigned char)(h | (form ? 7 : 0));
			n = 1 + (form ? acl_enc_free(&v, b + 1) : acl_enc_canonical(&v, b + 1));
			if (!acl_decodes_to(b, n, &want))
				continue;
			emit(s, FZ_ACL_DATA);
			for (size_t i = 0; i < n; i++)
				emit(s, b[i]);
			return 0;
		}
	}
	return -EINVAL;
}

static void enc_data(struct sink *s, const char *tok)
{
	static const unsigned lens[] = { 0, 1, 2, 3, 5, 8, 100, 4095, 4096, 4097, 8192, 65537 };
	const char *letters = "abcxyzAZ", *brace = strchr(tok, '{');
	unsigned n = brace ? (unsigned)strtoul(brace + 1, NULL, 10) : (unsigned)strlen(tok);
	unsigned best = 0;

	if (enc_acl(s, tok) == 0)
		return;
	if (tok[0] == '"')
		n = n >= 2 ? n - 2 : 0;
	for (unsigned i = 0; i < 12; i++)
		if ((lens[i] > n ? lens[i] - n : n - lens[i]) <
		    (lens[best] > n ? lens[best] - n : n - lens[best]))
			best = i;
	const char *at = strchr(letters, tok[tok[0] == '"']);
	emit(s, at && *at ? (unsigned)(at - letters) : 0);
	emit(s, best);
}

/* a string of mount_opt_atoms, else one option built (found by decoding each), else "-" */
static void enc_mount_opts(struct sink *s, const char *tok)
{
	const size_t n = sizeof(mount_opt_atoms) / sizeof(mount_opt_atoms[0]);
	char buf[64];

	for (size_t i = 0; i < n; i++)
		if (!strcmp(tok, mount_opt_atoms[i])) {
			emit(s, (unsigned)i);
			return;
		}
	for (unsigned key = 0; key < 16; key++)
		for (unsigned v = 0; v < 128; v++) {
			unsigned char b[2] = { (unsigned char)key, (unsigned char)v };
			struct cursor c = { b, 2, 0 };
			FILE *f = fmemopen(buf, sizeof(buf), "w");

			if (!f)
				continue;
			put_mount_opt(&c, f);
			fclose(f);
			if (!strcmp(buf, tok)) {
				emit(s, MOPT_BUILT);
				emit(s, key);
				emit(s, v);
				return;
			}
		}
	emit(s, 0);
}

/* a kind of exec_kinds, else the bytes of the "#!" line it spells (found by building each) */
static void enc_exec_kind(struct sink *s, const char *tok)
{
	char buf[256];

	for (unsigned i = 0; i < sizeof(exec_kinds) / sizeof(exec_kinds[0]); i++)
		if (!strcmp(tok, exec_kinds[i])) {
			emit(s, i);
			return;
		}
	for (unsigned b = 0; b < 1u << 16; b++) {
		FILE *f = fmemopen(buf, sizeof(buf), "w");

		if (!f)
			continue;
		put_shebang(b & 255, b >> 8, f);
		fclose(f);
		if (!strcmp(buf, tok)) {
			emit(s, KIND_BUILT);
			emit(s, b & 255);
			emit(s, b >> 8);
			return;
		}
	}
	emit(s, 0);
}

/* $names of the script get the slots in the order they are bound */
struct names {
	char name[FZ_NVARS * 4][32];
	int n;
};

static unsigned slot_of(struct names *nm, const char *tok)
{
	for (int i = 0; i < nm->n; i++)
		if (!strcmp(nm->name[i], tok))
			return (unsigned)i % FZ_NVARS;
	if (nm->n < FZ_NVARS * 4)
		snprintf(nm->name[nm->n++], sizeof(nm->name[0]), "%s", tok);
	return (unsigned)(nm->n - 1) % FZ_NVARS;
}

static void enc_fd(struct sink *s, struct names *nm, const char *tok, int dirfd)
{
	if (!strcmp(tok, "AT_FDCWD"))
		emit(s, 0);
	else if (!strcmp(tok, "$w"))
		emit(s, 7);
	else if (tok[0] != '$')
		emit(s, dirfd ? 6 : 6);
	else
		emit(s, slot_of(nm, tok + 1) + (unsigned)dirfd);
}

static void enc_arg(struct sink *s, struct names *nm, char letter, const char *tok)
{
	const struct kind *k = kind_of(letter);

	if (k) {
		emit_n(s, enc_table(k, tok), k->nbytes);
		return;
	}
	switch (letter) {
	case 'P': enc_path(s, tok); break;
	case 'T': enc_target(s, tok); break;
	case 'S': enc_data(s, tok); break;
	case 'n': enc_exec_kind(s, tok); break;
	case 'b': enc_mount_opts(s, tok); break;
	case 'D': enc_fd(s, nm, tok, 1); break;
	case 'F': enc_fd(s, nm, tok, 0); break;
	case 'v': emit(s, tok[0] == '$' ? slot_of(nm, tok + 1) : 0); break;
	}
}

/* splits a line into tokens in place ("quoted" kept with its quotes) */
static int split(char *line, char **tok, int max)
{
	int n = 0;

	for (char *p = line; *p && n < max;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		tok[n++] = p;
		if (*p == '"')
			for (p++; *p && *p != '"'; p += 1 + (*p == '\\' && p[1]))
				;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = 0;
	}
	return n;
}

/*
 * Arguments are matched by kind in order; a table kind that takes two
 * tokens (Q, H, Y) takes the next token too when it makes a known atom.
 */
static int join_two(char letter, char **tok, int i, int n, char *buf, size_t cap)
{
	const struct kind *k = kind_of(letter);

	if (!k || i + 1 >= n)
		return 0;
	snprintf(buf, cap, "%s %s", tok[i], tok[i + 1]);
	return atom_index(k, buf, strlen(buf)) >= 0;
}

static void enc_line(struct sink *s, struct names *nm, char *line, int all_ops)
{
	char *tok[64], two[256];
	int n = split(line, tok, 64), k = 0, i = 1, bind = -1;
	const struct fz_op *op;

	if (n == 0)
		return;
	if (n >= 3 && !strcmp(tok[n - 2], "->") && tok[n - 1][0] == '$') {
		bind = (int)slot_of(nm, tok[n - 1] + 1);
		n -= 2;
	}
	for (op = fz_ops; op->name; op++) {
		if (!op_decoded(op, all_ops))
			continue;
		if (!strcmp(op->name, tok[0]))
			break;
		k += (int)op_slots(op); /* its first slot */
	}
	if (!op->name)
		return;
	emit(s, (unsigned)k);
	for (const char *a = op->args; *a; a++) {
		if (*a == 'B') {
			emit(s, bind < 0 ? 0 : (unsigned)bind);
			continue;
		}
		if (*a == '>')
			continue;
		if (i >= n) {
			emit_n(s, 0, kind_bytes(*a));
			continue;
		}
		if (join_two(*a, tok, i, n, two, sizeof(two))) {
			enc_arg(s, nm, *a, two);
			i += 2;
		} else {
			enc_arg(s, nm, *a, tok[i++]);
		}
	}
}

size_t fz_encode(const char *script, unsigned char *buf, size_t cap, int all_ops)
{
	struct sink s = { buf, 0, cap };
	struct names nm = { .n = 0 };
	char *copy = strdup(script), *save = NULL;
	int lines = 0;

	for (char *l = strtok_r(copy, "\n", &save); l && lines < FZ_MAX_OPS;
	     l = strtok_r(NULL, "\n", &save)) {
		size_t before = s.len;

		enc_line(&s, &nm, l, all_ops);
		lines += s.len > before;
	}
	free(copy);
	return s.len;
}

/* one dictionary entry: @tok encoded as a path argument */
static void dict_path(FILE *out, const char *tok)
{
	static int n;
	unsigned char b[4];
	struct sink s = { b, 0, sizeof(b) };

	enc_path(&s, tok);
	/* (a label is letters, digits and '_' alone: the path goes in a comment) */
	fprintf(out, "# %s\npath_%d=\"", tok, n++);
	for (size_t i = 0; i < s.len; i++)
		fprintf(out, "\\x%02x", b[i]);
	fputs("\"\n", out);
}

/*
 * AFL++'s dictionary (-x): the encoded paths whose walks have structure --
 * through W's symlink "s" or "..", then one of the plain names, also with
 * a trailing slash -- as whole tokens: a byte mutation rarely turns one
 * path into another of two components, which takes the form byte and both
 * component fields changed at once. Few tokens: havoc draws one at random,
 * and each costs the others their turn.
 */
void fz_print_dict(FILE *out)
{
	static const char *const walk[] = { "s", ".." };
	char tok[32];

	for (int slash = 0; slash < 2; slash++)
		for (size_t w = 0; w < sizeof(walk) / sizeof(walk[0]); w++) {
			snprintf(tok, sizeof(tok), "%s%s", walk[w], slash ? "/" : "");
			dict_path(out, tok);
			for (int c = 0; c < 4; c++) {
				snprintf(tok, sizeof(tok), "%s/%s%s", walk[w], comps[c], slash ? "/" : "");
				dict_path(out, tok);
			}
		}
}

void fz_print_ops(FILE *out)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		for (int a = 0; a < kinds[i].natoms; a++)
			if (kinds[i].unserved & (1u << a))
				fprintf(out, "%-16s %-8c not yet served: never decoded without --all-ops\n",
					kinds[i].atoms[a], kinds[i].letter);
	for (const struct fz_op *op = fz_ops; op->name; op++)
		fprintf(out, "%-16s %-8s %s%s\n", op->name, op->args,
			op->flags & FZ_UNSERVED ? "not yet served: " : "served",
			op->why ? op->why : "");
}

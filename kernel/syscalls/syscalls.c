// SPDX-License-Identifier: MIT
/*
 * The syscall table, as data (after gVisor's Sentry): which syscalls the
 * seccomp filter sends to the supervisor, how, who serves them and how
 * completely. `ukcov syscalls` prints it. Every syscall not listed runs on
 * the host kernel, untouched and untrapped.
 */
#include <stddef.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "../sandbox.h"
#include "sys.h"

#define FD0 TRAP_FD0

const struct syscall_entry syscall_table[] = {
	{ SYS_open, "open", sys_open, TRAP_ALWAYS, SUPPORTED, "kcov path, mount paths; other paths run on the host" },
	{ SYS_openat, "openat", sys_openat, TRAP_ALWAYS, SUPPORTED, "as open" },
	{ SYS_openat2, "openat2", sys_openat2, TRAP_ALWAYS, SUPPORTED, "as open; RESOLVE_* inside mounts" },
	{ SYS_creat, "creat", sys_creat, TRAP_ALWAYS, SUPPORTED, "as open" },
	{ SYS_read, "read", sys_read, FD0, SUPPORTED, "" },
	{ SYS_write, "write", sys_write, FD0, SUPPORTED, "" },
	{ SYS_readv, "readv", sys_readv, FD0, SUPPORTED, "" },
	{ SYS_writev, "writev", sys_writev, FD0, SUPPORTED, "" },
	{ SYS_pread64, "pread64", sys_pread64, FD0, SUPPORTED, "" },
	{ SYS_pwrite64, "pwrite64", sys_pwrite64, FD0, SUPPORTED, "" },
	{ SYS_preadv, "preadv", sys_preadv, FD0, SUPPORTED, "" },
	{ SYS_pwritev, "pwritev", sys_pwritev, FD0, SUPPORTED, "" },
	{ SYS_preadv2, "preadv2", sys_preadv2, FD0, SUPPORTED, "" },
	{ SYS_pwritev2, "pwritev2", sys_pwritev2, FD0, SUPPORTED, "" },
	{ SYS_lseek, "lseek", sys_lseek, FD0, SUPPORTED, "" },
	{ SYS_ioctl, "ioctl", sys_ioctl, TRAP_IOCTL, SUPPORTED, "kcov commands trap on any fd; tmpfs files: FIONREAD, FIOQSIZE, FIGETBSZ, FS_IOC_[GS]ETFLAGS, FS_IOC_FS[GS]ETXATTR" },
	{ SYS_mmap, "mmap", sys_mmap, TRAP_MMAP_FILE, SUPPORTED, "kcov areas map; tmpfs regular files: the host maps their data memfd" },
	{ SYS_fstat, "fstat", sys_fstat, FD0, SUPPORTED, "" },
	{ SYS_newfstatat, "newfstatat", sys_newfstatat, FD0, SUPPORTED, "" },
	{ SYS_statx, "statx", sys_statx, FD0, SUPPORTED, "" },
	{ SYS_fcntl, "fcntl", sys_fcntl, FD0, PARTIAL, "record locks on tmpfs regular files and directories: the host's; F_SETOWN(_EX)/F_SETSIG the description's own (F_SETSIG of a signal: EINVAL without the private store); F_CREATED_QUERY; seals as shmem (F_SEAL_SEAL); leases on tmpfs regular files: ukcov's (vfs/lease.c, breaks signalled with SI_QUEUE); F_NOTIFY, leases and locks on other sandbox files: EINVAL" },
	{ SYS_close, "close", sys_fd_passthrough, TRAP_FD_WINDOW, PASSTHROUGH, "trapped only on the window and invalid fds, also with a mount (a trapped close could fail with EINTR; a placeholder's release comes from inotify)" },
	{ SYS_close_range, "close_range", sys_close_range, TRAP_VFS, PARTIAL, "bad flags or range: EINVAL; a range over the cwd slot: run by the guest's thread without the slot (redirect); ENOSYS when fds lie on both sides of the slot (callers close fd by fd)" },
	{ SYS_dup, "dup", sys_fd_passthrough, FD0, PASSTHROUGH, "the host acts on the fd table / placeholder" },
	{ SYS_dup2, "dup2", sys_fd_passthrough, FD0, PASSTHROUGH, "the host acts on the fd table / placeholder" },
	{ SYS_dup3, "dup3", sys_fd_passthrough, FD0, PASSTHROUGH, "the host acts on the fd table / placeholder" },
	{ SYS_syncfs, "syncfs", sys_fd_passthrough, FD0, PASSTHROUGH, "the host acts on the fd table / placeholder" },
	{ SYS_sync_file_range, "sync_file_range", sys_fd_passthrough, FD0, PASSTHROUGH, "the host acts on the fd table / placeholder" },
	{ SYS_readahead, "readahead", sys_fd_passthrough, FD0, PASSTHROUGH, "the host acts on the fd table / placeholder; O_PATH mount files: EBADF" },
	{ SYS_flock, "flock", sys_flock, FD0, PARTIAL, "tmpfs regular files, fifos, devices: the host's; directories: EOPNOTSUPP" },
	{ SYS_fchmod, "fchmod", sys_fchmod, FD0, SUPPORTED, "" },
	{ SYS_fchown, "fchown", sys_fchown, FD0, SUPPORTED, "" },
	{ SYS_fstatfs, "fstatfs", sys_fstatfs, FD0, PARTIAL, "kcov: the memfd file system" },
	{ SYS_fsync, "fsync", sys_fsync, FD0, SUPPORTED, "" },
	{ SYS_fdatasync, "fdatasync", sys_fsync, FD0, SUPPORTED, "" },
	{ SYS_ftruncate, "ftruncate", sys_ftruncate, FD0, SUPPORTED, "" },
	{ SYS_getdents, "getdents", sys_getdents, FD0, SUPPORTED, "the old record format, from getdents64's" },
	{ SYS_getdents64, "getdents64", sys_getdents, FD0, SUPPORTED, "" },
	{ SYS_fchdir, "fchdir", sys_fchdir, FD0, SUPPORTED, "" },
	{ SYS_fallocate, "fallocate", sys_fallocate, FD0, SUPPORTED, "tmpfs files: plain, KEEP_SIZE, PUNCH_HOLE as shmem (the data file's host does it; size= charged)" },
	{ SYS_fadvise64, "fadvise64", sys_fadvise64, FD0, SUPPORTED, "" },
	{ SYS_fgetxattr, "fgetxattr", sys_fgetxattr, FD0, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_fsetxattr, "fsetxattr", sys_fsetxattr, FD0, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_flistxattr, "flistxattr", sys_flistxattr, FD0, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_fremovexattr, "fremovexattr", sys_fremovexattr, FD0, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_stat, "stat", sys_stat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_lstat, "lstat", sys_lstat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_access, "access", sys_access, TRAP_VFS, SUPPORTED, "" },
	{ SYS_faccessat, "faccessat", sys_faccessat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_faccessat2, "faccessat2", sys_faccessat2, TRAP_VFS, SUPPORTED, "" },
	{ SYS_mkdir, "mkdir", sys_mkdir, TRAP_VFS, SUPPORTED, "" },
	{ SYS_mkdirat, "mkdirat", sys_mkdirat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_rmdir, "rmdir", sys_rmdir, TRAP_VFS, SUPPORTED, "" },
	{ SYS_unlink, "unlink", sys_unlink, TRAP_VFS, SUPPORTED, "" },
	{ SYS_unlinkat, "unlinkat", sys_unlinkat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_rename, "rename", sys_rename, TRAP_VFS, SUPPORTED, "" },
	{ SYS_renameat, "renameat", sys_renameat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_renameat2, "renameat2", sys_renameat2, TRAP_VFS, SUPPORTED, "" },
	{ SYS_link, "link", sys_link, TRAP_VFS, SUPPORTED, "" },
	{ SYS_linkat, "linkat", sys_linkat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_symlink, "symlink", sys_symlink, TRAP_VFS, SUPPORTED, "" },
	{ SYS_symlinkat, "symlinkat", sys_symlinkat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_readlink, "readlink", sys_readlink, TRAP_VFS, SUPPORTED, "" },
	{ SYS_readlinkat, "readlinkat", sys_readlinkat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_truncate, "truncate", sys_truncate, TRAP_VFS, SUPPORTED, "" },
	{ SYS_chmod, "chmod", sys_chmod, TRAP_VFS, SUPPORTED, "" },
	{ SYS_fchmodat, "fchmodat", sys_fchmodat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_chown, "chown", sys_chown, TRAP_VFS, SUPPORTED, "" },
	{ SYS_lchown, "lchown", sys_lchown, TRAP_VFS, SUPPORTED, "" },
	{ SYS_fchownat, "fchownat", sys_fchownat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_utimensat, "utimensat", sys_utimensat, TRAP_VFS, SUPPORTED, "" },
	{ SYS_chdir, "chdir", sys_chdir, TRAP_VFS, SUPPORTED, "" },
	{ SYS_chroot, "chroot", sys_chroot, TRAP_VFS, PARTIAL, "into a mount directory: its lookup errors, then EPERM (a guest's root cannot move into a mount)" },
	{ SYS_getcwd, "getcwd", sys_getcwd, TRAP_VFS, SUPPORTED, "" },
	{ SYS_statfs, "statfs", sys_statfs, TRAP_VFS, SUPPORTED, "" },
	{ SYS_mknod, "mknod", sys_mknod, TRAP_VFS, SUPPORTED, "every node type; devices need CAP_MKNOD" },
	{ SYS_bind, "bind", sys_bind, TRAP_VFS, SUPPORTED, "Unix socket paths in mounts: a socket node, the socket bound in the private directory" },
	{ SYS_connect, "connect", sys_connect, TRAP_VFS, SUPPORTED, "Unix socket paths in mounts: to the node's socket" },
	{ SYS_sendto, "sendto", sys_sendto, TRAP_VFS_ARG4, PARTIAL, "to a mount path: sent by the supervisor (a wait in a helper)" },
	{ SYS_sendmsg, "sendmsg", sys_sendmsg, TRAP_VFS, PARTIAL, "as sendto; ancillary data to a mount path: EOPNOTSUPP" },
	{ SYS_getsockname, "getsockname", sys_getsockname, TRAP_VFS, SUPPORTED, "a socket bound in a mount: its mount path" },
	{ SYS_getpeername, "getpeername", sys_getpeername, TRAP_VFS, SUPPORTED, "as getsockname" },
	{ SYS_listen, "listen", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_accept, "accept", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_accept4, "accept4", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_recvfrom, "recvfrom", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_recvmsg, "recvmsg", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_recvmmsg, "recvmmsg", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_sendmmsg, "sendmmsg", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_shutdown, "shutdown", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_getsockopt, "getsockopt", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_setsockopt, "setsockopt", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_setxattr, "setxattr", sys_setxattr, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_lsetxattr, "lsetxattr", sys_lsetxattr, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_getxattr, "getxattr", sys_getxattr, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_lgetxattr, "lgetxattr", sys_lgetxattr, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_listxattr, "listxattr", sys_listxattr, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_llistxattr, "llistxattr", sys_llistxattr, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_removexattr, "removexattr", sys_removexattr, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_lremovexattr, "lremovexattr", sys_lremovexattr, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ SYS_utime, "utime", sys_utime, TRAP_VFS, SUPPORTED, "as utimensat" },
	{ SYS_utimes, "utimes", sys_utimes, TRAP_VFS, SUPPORTED, "as utimensat" },
	{ SYS_mknodat, "mknodat", sys_mknodat, TRAP_VFS, SUPPORTED, "as mknod" },
	{ SYS_futimesat, "futimesat", sys_futimesat, TRAP_VFS, SUPPORTED, "as utimensat" },
	{ SYS_inotify_rm_watch, "inotify_rm_watch", sys_fd_passthrough, FD0, PASSTHROUGH, "O_PATH fds of mount files: EBADF" },
	{ SYS_inotify_add_watch, "inotify_add_watch", sys_inotify_add_watch, TRAP_VFS, PARTIAL, "inside mounts: a watch in the guest's own instance on a host object of the inode, events from real operations on it (docs/tmpfs-api.md); EOPNOTSUPP without a private store; a child's IN_CLOSE_* reaches its directory's watch after the file's own (docs/tmpfs-deviations.md)" },
	{ SYS_setuid, "setuid", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_setgid, "setgid", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_setreuid, "setreuid", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_setregid, "setregid", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_setresuid, "setresuid", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_setresgid, "setresgid", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_setfsuid, "setfsuid", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_setfsgid, "setfsgid", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_setgroups, "setgroups", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_capset, "capset", sys_setcred, TRAP_VFS, PASSTHROUGH, "the host changes credentials; the sandbox notes a new generation" },
	{ SYS_sendfile, "sendfile", sys_sendfile, FD0, SUPPORTED, "tmpfs files: the host moves the data on their data files (shmem's code); O_PATH: EBADF" },
	{ SYS_splice, "splice", sys_splice, FD0, SUPPORTED, "as sendfile" },
	{ SYS_tee, "tee", sys_tee, FD0, SUPPORTED, "as sendfile (pipes only: a mount file is EINVAL)" },
	{ SYS_copy_file_range, "copy_file_range", sys_copy_file_range, FD0, SUPPORTED, "as sendfile; EXDEV between mounts as between tmpfs instances" },
	{ SYS_execveat, "execveat", sys_execveat, TRAP_ALWAYS, PASSTHROUGH, "as execve; AT_EMPTY_PATH of a mount file's fd (fexecve): a copy of it (docs/exec.md)" },
	{ SYS_name_to_handle_at, "name_to_handle_at", sys_name_to_handle_at, TRAP_VFS, UNSUPPORTED, "mounts: EOPNOTSUPP" },
	{ SYS_open_tree, "open_tree", sys_open_tree, TRAP_VFS, UNSUPPORTED, "mounts: EOPNOTSUPP" },
	{ 452, "fchmodat2", sys_fchmodat2, TRAP_VFS, SUPPORTED, "AT_SYMLINK_NOFOLLOW (a symlink: EOPNOTSUPP), AT_EMPTY_PATH" },
	{ 463, "setxattrat", sys_setxattrat, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ 464, "getxattrat", sys_getxattrat, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ 465, "listxattrat", sys_listxattrat, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ 466, "removexattrat", sys_removexattrat, TRAP_VFS, SUPPORTED, "tmpfs: security.*, trusted.*, user.* as shmem; POSIX ACLs equivalent to the mode" },
	{ 468, "file_getattr", sys_at_flags3, TRAP_VFS, UNSUPPORTED, "mounts: EOPNOTSUPP" },
	{ 469, "file_setattr", sys_at_flags3, TRAP_VFS, UNSUPPORTED, "mounts: EOPNOTSUPP" },
	{ SYS_fanotify_mark, "fanotify_mark", sys_fanotify_mark, TRAP_VFS, UNSUPPORTED, "mounts: EOPNOTSUPP" },
	{ 451, "cachestat", sys_fd_unsupported, FD0, UNSUPPORTED, "sandbox files: EOPNOTSUPP" },
	{ SYS_io_uring_setup, "io_uring_setup", sys_io_uring_setup, TRAP_VFS, UNSUPPORTED, "with a mount: ENOSYS (its operations would bypass the traps)" },
	{ SYS_io_submit, "io_submit", sys_io_submit, TRAP_VFS, PARTIAL, "with a mount: iocbs on tmpfs files EINVAL (the host would bypass the tmpfs)" },
	{ SYS_getrlimit, "getrlimit", sys_getrlimit, TRAP_VFS, SUPPORTED, "RLIMIT_NOFILE without the cwd slot; other resources: the host's" },
	{ SYS_setrlimit, "setrlimit", sys_setrlimit, TRAP_VFS, SUPPORTED, "as getrlimit" },
	{ SYS_prlimit64, "prlimit64", sys_prlimit64, TRAP_VFS, PARTIAL, "as getrlimit for the caller's process; other processes: the host's numbers" },
	{ SYS_mount, "mount", sys_mount, TRAP_VFS, PARTIAL, "onto a mount's directory: a new tmpfs, MS_REMOUNT (MS_RDONLY), propagation flags; bind, move and other file system types: EPERM" },
	{ SYS_umount2, "umount2", sys_umount2, TRAP_VFS, SUPPORTED, "mounts the guest made (EBUSY while in use; MNT_DETACH detaches); --tmpfs mounts: EBUSY" },
	{ SYS_umask, "umask", sys_cred_changing, TRAP_VFS, PASSTHROUGH, "with a mount: cached credentials are read afresh after it" },
	{ SYS_execve, "execve", sys_execve, TRAP_ALWAYS, PASSTHROUGH, "a traced non-leader thread keeps its kcov as the new leader; files in mounts: a copy (docs/exec.md)" },
	{ SYS_unshare, "unshare", sys_cred_changing, TRAP_VFS, PASSTHROUGH, "with a mount: cached credentials are read afresh after it" },
	{ SYS_setns, "setns", sys_cred_changing, TRAP_VFS, PASSTHROUGH, "with a mount: cached credentials are read afresh after it" },
};
const unsigned int syscall_table_len = sizeof(syscall_table) / sizeof(syscall_table[0]);

#define MAX_NR 512
static const struct syscall_entry *by_nr[MAX_NR];

const struct syscall_entry *syscall_lookup(int nr)
{
	if (nr < 0 || nr >= MAX_NR)
		return NULL;
	if (!by_nr[SYS_read]) {
		for (unsigned int i = 0; i < syscall_table_len; i++)
			by_nr[syscall_table[i].nr] = &syscall_table[i];
	}
	return by_nr[nr];
}

int64_t syscall_dispatch(struct sys_call *c)
{
	const struct syscall_entry *e = syscall_lookup(c->nr);

	/* Only the table's syscalls trap; anything else is a filter bug, and the host is right. */
	c->name = e ? e->name : "?";
	return e ? e->handler(c) : SYS_CONTINUE;
}

void sandbox_print_syscalls(void)
{
	static const char *const trap[] = { "always", "fd", "fd+kcov-cmd", "file-mmap", "path", "fd-window",
					    "path-addr" };
	static const char *const support[] = { "supported", "partial", "passthrough", "unsupported" };

	printf("%-16s %-12s %-12s %s\n", "syscall", "trap", "support", "note");
	for (unsigned int i = 0; i < syscall_table_len; i++) {
		const struct syscall_entry *e = &syscall_table[i];

		printf("%-16s %-12s %-12s %s\n", e->name, trap[e->trap], support[e->support], e->note);
	}
}

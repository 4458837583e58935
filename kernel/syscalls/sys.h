/* SPDX-License-Identifier: MIT */
/*
 * kernel/syscalls/: the syscall table (syscalls.c, data: name, handler,
 * trap, support status, note) and the handlers, grouped by family in
 * sys_*.c. A handler decodes its arguments from guest memory, resolves fds
 * and paths, and calls the files.
 *
 * May call: fs/, vfs/, task/, the tmpfs core, lib/. Called by entry/.
 */
#ifndef UKCOV_SYS_H
#define UKCOV_SYS_H

#include "../kernel.h"
#include "../task/task.h"

extern const struct syscall_entry syscall_table[];
extern const unsigned int syscall_table_len;
const struct syscall_entry *syscall_lookup(int nr);
int64_t syscall_dispatch(struct sys_call *c);

sys_handler sys_open, sys_creat, sys_openat, sys_openat2;
sys_handler sys_read, sys_readv, sys_pread64, sys_preadv, sys_preadv2, sys_write, sys_writev,
	sys_pwrite64, sys_pwritev, sys_pwritev2, sys_lseek;
sys_handler sys_ioctl, sys_mmap, sys_fstat, sys_fcntl, sys_fd_passthrough, sys_close_range, sys_fsync,
	sys_ftruncate, sys_getdents, sys_fchdir, sys_fchmod, sys_fchown, sys_fstatfs, sys_fallocate,
	sys_fadvise64, sys_fd_unsupported, sys_flock;
sys_handler sys_stat, sys_lstat, sys_newfstatat, sys_statx, sys_access, sys_faccessat,
	sys_faccessat2, sys_mkdir, sys_mkdirat, sys_unlink, sys_rmdir, sys_unlinkat, sys_rename,
	sys_renameat, sys_renameat2, sys_link, sys_linkat, sys_symlink, sys_symlinkat, sys_readlink,
	sys_readlinkat, sys_truncate, sys_chmod, sys_fchmodat, sys_fchmodat2, sys_chown, sys_lchown, sys_fchownat,
	sys_utimensat, sys_utimes, sys_utime, sys_futimesat, sys_chdir, sys_chroot, sys_getcwd, sys_statfs, sys_path_unsupported,
	sys_path_unsupported_at, sys_path_unsupported_1;
sys_handler sys_setcred, sys_cred_changing;
sys_handler sys_getrlimit, sys_setrlimit, sys_prlimit64;
sys_handler sys_setxattr, sys_lsetxattr, sys_fsetxattr, sys_setxattrat, sys_getxattr, sys_lgetxattr,
	sys_fgetxattr, sys_getxattrat, sys_listxattr, sys_llistxattr, sys_flistxattr, sys_listxattrat,
	sys_removexattr, sys_lremovexattr, sys_fremovexattr, sys_removexattrat;
sys_handler sys_mount, sys_umount2;
sys_handler sys_inotify_add_watch;
sys_handler sys_mknod, sys_mknodat;
sys_handler sys_bind, sys_connect, sys_sendto, sys_sendmsg, sys_getsockname, sys_getpeername;
sys_handler sys_sendfile, sys_splice, sys_copy_file_range, sys_tee, sys_execveat, sys_name_to_handle_at, sys_open_tree,
	sys_at_flags3, sys_at_flags2, sys_fanotify_mark, sys_io_uring_setup, sys_io_submit, sys_execve;
/*
 * sys_exec.c: the execveat(2) an exec redirect left a thread at: its copy
 * is installed and SYS_CONTINUE returned (or -errno); 1 for any other call.
 */
int64_t sys_exec_redirected(struct sys_call *c);

#endif

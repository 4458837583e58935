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

#include "sandbox.h"
#include "sys.h"

#define FD0 TRAP_FD0

const struct syscall_entry syscall_table[] = {
	{ SYS_open, "open", sys_open, TRAP_ALWAYS, PARTIAL, "kcov path served; other paths run on the host" },
	{ SYS_openat, "openat", sys_openat, TRAP_ALWAYS, PARTIAL, "absolute kcov path served; other paths run on the host" },
	{ SYS_openat2, "openat2", sys_openat2, TRAP_ALWAYS, PARTIAL, "as openat" },
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
	{ SYS_ioctl, "ioctl", sys_ioctl, TRAP_IOCTL, SUPPORTED, "kcov commands trap on any fd" },
	{ SYS_mmap, "mmap", sys_mmap, TRAP_MMAP_FILE, SUPPORTED, "file-backed maps are checked, then mapped by the host" },
	{ SYS_fstat, "fstat", sys_fstat, FD0, SUPPORTED, "" },
	{ SYS_newfstatat, "newfstatat", sys_newfstatat, FD0, PARTIAL, "AT_EMPTY_PATH on sandbox files served; paths run on the host" },
	{ SYS_statx, "statx", sys_statx, FD0, PARTIAL, "as newfstatat" },
	{ SYS_close, "close", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_dup, "dup", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_dup2, "dup2", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_dup3, "dup3", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_fcntl, "fcntl", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_flock, "flock", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_fchmod, "fchmod", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_fchown, "fchown", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_fstatfs, "fstatfs", sys_fd_passthrough, FD0, PARTIAL, "kcov: shows the memfd's file system, not debugfs" },
	{ SYS_syncfs, "syncfs", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_sync_file_range, "sync_file_range", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_readahead, "readahead", sys_fd_passthrough, FD0, PASSTHROUGH, "" },
	{ SYS_fsync, "fsync", sys_fsync, FD0, SUPPORTED, "" },
	{ SYS_fdatasync, "fdatasync", sys_fsync, FD0, SUPPORTED, "" },
	{ SYS_ftruncate, "ftruncate", sys_ftruncate, FD0, PARTIAL, "kcov: accepted, size stays 0" },
	{ SYS_getdents, "getdents", sys_getdents, FD0, SUPPORTED, "" },
	{ SYS_getdents64, "getdents64", sys_getdents, FD0, SUPPORTED, "" },
	{ SYS_fchdir, "fchdir", sys_fchdir, FD0, SUPPORTED, "" },
	{ SYS_fallocate, "fallocate", sys_fallocate, FD0, SUPPORTED, "" },
	{ SYS_fadvise64, "fadvise64", sys_fadvise64, FD0, SUPPORTED, "" },
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
	static const char *const trap[] = { "always", "fd", "fd+kcov-cmd", "file-mmap" };
	static const char *const support[] = { "supported", "partial", "passthrough" };

	printf("%-16s %-12s %-12s %s\n", "syscall", "trap", "support", "note");
	for (unsigned int i = 0; i < syscall_table_len; i++) {
		const struct syscall_entry *e = &syscall_table[i];

		printf("%-16s %-12s %-12s %s\n", e->name, trap[e->trap], support[e->support], e->note);
	}
}

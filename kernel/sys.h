/* SPDX-License-Identifier: MIT */
/* The syscall handlers, grouped by family in sys_*.c. */
#ifndef UKCOV_SYS_H
#define UKCOV_SYS_H

#include "kernel.h"

sys_handler sys_open, sys_openat, sys_openat2;
sys_handler sys_read, sys_readv, sys_pread64, sys_preadv, sys_write, sys_writev, sys_pwrite64,
	sys_pwritev, sys_preadv2, sys_pwritev2, sys_lseek;
sys_handler sys_ioctl, sys_mmap, sys_fstat, sys_newfstatat, sys_statx;
sys_handler sys_fd_passthrough, sys_fsync, sys_ftruncate, sys_getdents, sys_fchdir, sys_fallocate,
	sys_fadvise64;

#endif

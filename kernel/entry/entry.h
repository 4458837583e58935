/* SPDX-License-Identifier: MIT */
/*
 * kernel/entry/: the way in. It owns the notification loop (supervisor.c:
 * launch the guest, receive a trapped syscall, find its task, dispatch,
 * flush coverage on the way out, respond), the seccomp filter built from
 * the syscall table (filter.c) and the exit watch (exitwatch.c).
 *
 * May call: every layer below (syscalls/, fs/, vfs/, task/, lib/). Nothing
 * below calls into entry/.
 * Built without coverage instrumentation (Linux's entry code).
 */
#ifndef UKCOV_ENTRY_H
#define UKCOV_ENTRY_H

#include "../syscalls/sys.h"
#include "../task/task.h"

/* entry/filter.c */
struct sock_fprog;
/*
 * With `all_fds` (some file system is mounted), fd syscalls trap on every fd
 * (its files may be dup2'd to any number, stdout included), but TRAP_FD_WINDOW
 * ones only on the window and invalid fds, and TRAP_VFS
 * syscalls trap; otherwise TRAP_VFS syscalls are not trapped at all.
 */
int filter_build(int fd_base, bool all_fds, struct sock_fprog *out);

/*
 * entry/exitwatch.c: an io_uring poll on a few fds (the tracked threads'
 * epoll set, the inotify fd of open files), NULL when io_uring is not
 * available. exitwatch_take(w, i): whether fd i may have become readable
 * since the last take of i (always true for NULL); no syscall while
 * nothing happened.
 */
#define EXITWATCH_MAX 4
enum { EXITWATCH_TASKS, EXITWATCH_FILES };
struct exitwatch *exitwatch_new(const int *targets, unsigned n);
bool exitwatch_take(struct exitwatch *w, unsigned i);
#endif

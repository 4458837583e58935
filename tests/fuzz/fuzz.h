/* SPDX-License-Identifier: MIT */
/*
 * The libFuzzer harness over the syscall layer (tests/fuzz/): what the
 * harness (fuzz_syscalls.c) and its entry shim (entry_shim.c) share.
 *
 * The harness process is its own guest: the simulated tasks are threads of
 * it, so their TIDs are real and process_vm_readv() and pidfd_getfd() work
 * on them for real; the "supervisor" is the fuzzer's thread.
 */
#ifndef UKCOV_FUZZ_H
#define UKCOV_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "../../kernel/kernel.h"

/*
 * Guest memory faults planned for the next call (0: none). Reads and writes
 * are counted from 1 within one syscall: read number fail_read answers
 * -EFAULT (the guest unmapped the buffer meanwhile); after read number
 * flip_read succeeds, the bytes just read are changed in guest memory (a
 * guest thread racing the handler: a second read sees other bytes).
 */
struct fuzz_fault {
	unsigned int fail_read, flip_read, fail_write;
	uint8_t flip_with;
};
extern struct fuzz_fault fuzz_fault;

/* Whether notification id's thread still waits (the harness's task table). */
bool fuzz_notif_alive(uint64_t id);
/* An fd the supervisor installed in the guest (the harness's own table): now the guest's. */
void fuzz_guest_fd_installed(int fd);

/*
 * entry_shim.c: serves one trapped syscall as supervisor.c's serve_one()
 * does, up to the response, which is the caller's: it returns the handler's
 * result (SYS_INSTALL with c->install set, SYS_CONTINUE, a value or -errno).
 */
int64_t fuzz_serve(struct sys_call *c);
/* The kernel task that releases files between syscalls (supervisor.c's scratch). */
struct ukcov_task *fuzz_kernel_task(void);
/*
 * UKCOV_FUZZ_BLOCKS=1: an observer kcov collects the coverage of every call
 * made by an untraced task, so that ukcov's own block count of the run can be
 * reported. fuzz_blocks_note() adds PCs to the union.
 */
void fuzz_blocks_init(void);
void fuzz_blocks_note(const uint64_t *pcs, uint64_t n);
void fuzz_blocks_report(void);

/*
 * deputy.c: the deputy oracle over a host fixture in the jail. Reset per
 * input (only when jailed); a snapshot before each call, and after it the
 * check for the calling task (installed: the fd the call installed, or -1).
 */
void deputy_fixture_reset(bool jailed);
void deputy_before(void);
void deputy_after(pid_t tid, const char *call, int installed);

#endif

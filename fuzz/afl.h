/* SPDX-License-Identifier: MIT */
/*
 * AFL++'s side of the fuzz guest: its forkserver protocol and coverage map
 * (afl.c), and the kcov file whose PCs fill that map (kcov.c).
 */
#ifndef UKCOV_FUZZ_AFL_H
#define UKCOV_FUZZ_AFL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* AFL++'s default map (MAP_SIZE); `ukcov fuzz` sets AFL_MAP_SIZE to it */
#define FZ_MAP_SIZE (1u << 16)

/*
 * The coverage map afl-fuzz shares through __AFL_SHM_ID, or a private
 * one when the guest runs on its own. Never NULL.
 */
unsigned char *afl_map(void);

/*
 * Runs AFL++'s forkserver when afl-fuzz started us (its control pipe is
 * open): returns in each child, never in the server. Returns at once,
 * without forking, otherwise. Returns 1 under AFL++, else 0. The server
 * calls @after_abnormal after a child that crashed, was killed or failed,
 * before the next one starts: it left its scratch state behind. A child
 * may run more inputs, calling afl_done() after each.
 */
int afl_forkserver(void (*after_abnormal)(void));

/* the forkserver's child: forked, or stopped after an input */
struct afl_child {
	pid_t pid;
	int stopped;
};

/*
 * One execution's start: resumes the stopped child, or (none, or
 * @was_killed) forks one. Returns 1 in a new child, 0 in the server, or
 * -errno.
 */
int afl_start(struct afl_child *c, int was_killed, void (*after_abnormal)(void));
/* waits until the child stopped or ended; its wait status or -errno */
int afl_wait(struct afl_child *c, void (*after_abnormal)(void));
/* in the child: this input is done; returns when the next one is there */
void afl_done(void);

struct fz_kcov {
	int fd;
	uint64_t *area;
	size_t words;
};

/* opens /sys/kernel/debug/kcov, sizes and maps it; returns 0 or -errno */
int fz_kcov_open(struct fz_kcov *k, size_t words);
/* enables KCOV_TRACE_PC for this thread and empties the area; 0 or -errno */
int fz_kcov_enable(struct fz_kcov *k);
int fz_kcov_disable(struct fz_kcov *k);
/*
 * Adds the area's PCs to the map: edges of consecutive PCs (trace mode,
 * where the area is an ordered trace) or blocks (counter mode, a set per
 * syscall). Returns the number of PCs read.
 */
size_t fz_kcov_feed(const struct fz_kcov *k, unsigned char *map, int edges);

#endif

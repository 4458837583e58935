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

/*
 * AFL++'s CmpLog map (its include/cmplog.h at 4.04c: afl-fuzz -c 0 runs the
 * target a second time with __AFL_CMPLOG_SHM_ID): a header per comparison
 * site, and the last CMP_MAP_H operand pairs each site saw.
 */
#define FZ_CMP_MAP_W 65536
#define FZ_CMP_MAP_H 32
#define FZ_CMP_TYPE_INS 1
#define FZ_CMP_IS_EQUAL 1

struct fz_cmp_header {
	unsigned hits : 24;
	unsigned id : 24;
	unsigned shape : 5; /* operand size - 1 */
	unsigned type : 2;
	unsigned attribute : 4;
	unsigned overflow : 1;
	unsigned reserved : 4;
} __attribute__((packed));

struct fz_cmp_operands {
	uint64_t v0, v1, v0_128, v1_128;
} __attribute__((packed));

struct fz_cmp_map {
	struct fz_cmp_header headers[FZ_CMP_MAP_W];
	struct fz_cmp_operands log[FZ_CMP_MAP_W][FZ_CMP_MAP_H];
};

/* afl-fuzz's CmpLog map when this is its CmpLog run (-c 0), else NULL */
struct fz_cmp_map *afl_cmplog_map(void);

struct fz_kcov {
	int fd;
	uint64_t *area;
	size_t words;
};

/* opens /sys/kernel/debug/kcov, sizes and maps it; returns 0 or -errno */
int fz_kcov_open(struct fz_kcov *k, size_t words);
/*
 * enables KCOV_TRACE_PC (or with @cmp KCOV_TRACE_CMP: the trace build's
 * comparison operands) for this thread and empties the area; 0 or -errno
 */
int fz_kcov_enable(struct fz_kcov *k, int cmp);
/* unmaps and closes what fz_kcov_open() opened */
void fz_kcov_close(struct fz_kcov *k);
int fz_kcov_disable(struct fz_kcov *k);
/*
 * Adds the area's PCs to the map: edges of consecutive PCs (trace mode,
 * where the area is an ordered trace) or blocks (counter mode, a set per
 * syscall). Returns the number of PCs read.
 */
size_t fz_kcov_feed(const struct fz_kcov *k, unsigned char *map, int edges);
/*
 * Adds the area's comparison records (KCOV_TRACE_CMP: type, the two
 * operands, the PC) to AFL++'s CmpLog map, a site per PC. Returns the
 * number of records read.
 */
size_t fz_kcov_feed_cmp(const struct fz_kcov *k, struct fz_cmp_map *map);

#endif

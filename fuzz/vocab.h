/* SPDX-License-Identifier: MIT */
/*
 * The fuzz guest's vocabulary: how AFL++'s bytes become lines of the
 * differential suite's script language (tests/tmpfs/README), and back.
 *
 * An input is a sequence of operations; each is one byte choosing an entry
 * of the operation table, then the bytes its arguments consume (a missing
 * byte reads as 0). Every argument kind decodes into a small, bounded set
 * of tokens: paths of at most FZ_MAX_COMPS components over a few names,
 * symlink targets of at most FZ_MAX_TARGET_COMPS, fds that are only the
 * session's own bindings. That bound is what keeps a walk inside the
 * scratch directories (scratch.c).
 */
#ifndef UKCOV_FUZZ_VOCAB_H
#define UKCOV_FUZZ_VOCAB_H

#include <stddef.h>
#include <stdio.h>

#define FZ_MAX_OPS 48
#define FZ_MAX_COMPS 4
#define FZ_MAX_TARGET_COMPS 2
#define FZ_NVARS 6

/* an operation the tmpfs does not serve yet: decoded only with all_ops */
#define FZ_UNSERVED 1u
/* an operation that shapes the name space: drawn three times as often (vocab.c) */
#define FZ_SHAPE 2u
/*
 * mount(2) and umount2(2): decoded only when both sides' mounts die with
 * the run (fz_set_mounts: the oracle's own mount namespace, oracle.c)
 */
#define FZ_MOUNT 4u

struct fz_op {
	const char *name; /* the script language's operation */
	const char *args; /* one letter per argument kind (vocab.c) */
	unsigned flags;
	const char *why;  /* for FZ_UNSERVED: what the tmpfs answers today */
};

extern const struct fz_op fz_ops[];

/*
 * Decodes @len bytes into script lines, one per operation, into @out
 * (NUL-terminated, each line ending in '\n'). all_ops: include the
 * operations marked FZ_UNSERVED. Returns the number of lines.
 */
int fz_decode(const unsigned char *buf, size_t len, int all_ops, FILE *out);

/*
 * Encodes a script (the suite's .fs files) into input bytes, best effort:
 * lines whose operation is not in the table are dropped, tokens outside a
 * kind's set take the kind's first value. Returns the number of bytes.
 */
size_t fz_encode(const char *script, unsigned char *buf, size_t cap, int all_ops);

/* decode the FZ_MOUNT operations (on) or leave them out (the default) */
void fz_set_mounts(int on);

/* the operation table as documentation: one line per entry */
void fz_print_ops(FILE *out);
/* AFL++'s dictionary of encoded path tokens (afl-fuzz -x; ukcov fuzz passes it) */
void fz_print_dict(FILE *out);

#endif

/* fsscript backends: one entry point shaped like syscall(2).
 *
 * The interpreter issues every operation as (nr, a0..a5) with host pointers
 * and receives the raw kernel convention back: a value >= 0 or -errno.  The
 * real backend forwards to the host kernel; the lib backend serves the call
 * from the in-memory tmpfs core, the way ukcov's syscall table will.
 */
#ifndef UKCOV_TESTS_FSSCRIPT_H
#define UKCOV_TESTS_FSSCRIPT_H

struct fs_backend {
	const char *name;
	/* returns the syscall result, or -errno */
	long (*sys)(void *ctx, long nr, long a0, long a1, long a2, long a3,
		    long a4, long a5);
	void *ctx;
};

/* real backend: the host kernel (syscall(2)) */
long fs_real_sys(void *ctx, long nr, long a0, long a1, long a2, long a3,
		 long a4, long a5);

/* lib backend (fsscript_lib.c): mount an empty tmpfs at @root.
 * returns 0, or -errno */
int fs_lib_backend_init(struct fs_backend *b, const char *root);
void fs_lib_backend_fini(struct fs_backend *b);

/* random script generator (fsgen.c): writes @nops operations to @out */
void fs_generate(unsigned long seed, int nops, void *out_file);

/*
 * The interpreter embedded in another program (the AFL++ guest, fuzz/):
 * a session per ROOT, fed one line at a time; its transcript lines go to
 * @tx.  Built from fsscript.c with -DFSSCRIPT_EMBED (no main).
 */
#include <stdio.h>
#define FSI_NO_CLOCK 1u /* no clock tick of its own per operation */
#define FSI_NO_TIMES 2u /* times relative to the last observation: not printed */
struct interp;
struct interp *fsi_open(struct fs_backend *b, const char *root, unsigned flags);
void fsi_line(struct interp *in, const char *line, FILE *tx);
/* the fd bound to $name, or -1 */
long fsi_var(struct interp *in, const char *name);
void fsi_set_var(struct interp *in, const char *name, long fd);
void fsi_close(struct interp *in);

/*
 * Operations served by files of their own (fsscript_dev.c: device nodes,
 * sockets, rlimits, guest-memory faults, *xattrat, ioctls), looked up
 * after fsscript.c's own; they use the interpreter through these parts.
 */
struct fsi_op {
	const char *name;
	void (*fn)(struct interp *in, const char *name);
};
const struct fsi_op *fsi_find_op(const struct fsi_op *t, const char *name);
int fsi_nargs(struct interp *in);
const char *fsi_tok(struct interp *in, int i);
long fsi_num(struct interp *in, int i);
long fsi_fd(struct interp *in, int i);
char *fsi_path(struct interp *in, int i);
char *fsi_str(struct interp *in, int i, size_t *len);
long fsi_sys(struct interp *in, long nr, long a0, long a1, long a2, long a3,
	     long a4, long a5);
void fsi_ret(struct interp *in, long r);
void fsi_fdret(struct interp *in, long r); /* "fd" (bindable) or the error */
void fsi_data(struct interp *in, const char *p, size_t n);
void fsi_outf(struct interp *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* fsscript_dev.c */
extern const struct fsi_op fsi_dev_ops[];
/* puts back the resource limits the rlimit op changed (between inputs) */
void fsi_dev_reset(void);

#endif

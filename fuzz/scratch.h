/* SPDX-License-Identifier: MIT */
/*
 * The fuzz guest's scratch directories, and the bound that keeps every
 * walk inside them.
 *
 * Each side (the host's /dev/shm, the ukcov mount) has a top directory T
 * and a root W = T/d/d/.../d/w, FZ_DEPTH levels down. Scripts name paths
 * under W, relative to the cwd, or through their own fds and symlinks, with
 * at most FZ_MAX_COMPS components per path and FZ_MAX_TARGET_COMPS per
 * symlink target (vocab.h); Linux follows at most 40 symlinks in one walk.
 * So one walk climbs at most FZ_MAX_COMPS + 40 * FZ_MAX_TARGET_COMPS
 * levels above the directory it starts from, and it starts from W, the cwd
 * or a directory fd. The guard keeps those inside W's subtree: after a
 * chdir, after an fd is bound, and after a rename (which can move a
 * directory up), the cwd and every bound directory fd are looked at, and
 * one that left W is closed (the cwd goes back to W). FZ_DEPTH exceeds the
 * climb: nothing above T is ever reached.
 */
#ifndef UKCOV_FUZZ_SCRATCH_H
#define UKCOV_FUZZ_SCRATCH_H

#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "vocab.h"

#define FZ_CLIMB (FZ_MAX_COMPS + 40 * FZ_MAX_TARGET_COMPS)
#define FZ_DEPTH (FZ_CLIMB + 4)

struct interp;

struct side {
	const char *name;     /* "/dev/shm" or "ukcov" */
	char top[PATH_MAX];   /* T */
	char root[PATH_MAX];  /* W */
	size_t pad;           /* the first level's extra d's */
	int su;               /* a script's su left root's file-system identity */
	struct stat level;    /* a level above W as made: only "d" in it */
	struct interp *in;    /* the script interpreter's session */
	char *tx;             /* its transcript (open_memstream) */
	size_t txlen;
	FILE *txf;
	/*
	 * failnth (guest.c): the mount side's fail-nth fd while a script
	 * runs; the line a fault made fail (-1: none) and its transcript
	 * bytes [fault_from, fault_to), which become "fault" as the other
	 * side's skipped line prints.
	 */
	int fault_fd, fault_line;
	size_t fault_from, fault_to;
};

/*
 * W's path under @top, @width characters longer than the longest top of
 * the two sides (the same length on both); creates the levels above it.
 * Returns 0 or -errno.
 */
int scratch_init(struct side *s, const char *name, const char *top, size_t width);
/* before each script line: @line may change the file-system identity (su, umask) */
void scratch_line(const char *line);
/* an empty W, made 01777 as the differential suite's ROOT; 0 or -errno */
int scratch_fresh(struct side *s);
/*
 * Back to root's identity, then empties W and the @up levels above it of
 * everything but the chain (what a walk up may have left there); with
 * @attrs, also of extended attributes and inode flags. 0 or -errno.
 */
int scratch_clean(struct side *s, int up, int attrs);
/*
 * The guard, after a script line: @what says which line ran (chdir, a
 * binding, a rename). Writes a "# guard" line to the transcript for what it
 * closed. Returns the number of fds (or the cwd) it had to bring back, or
 * -1 when the cwd is outside W and W is gone: the script must stop there.
 */
int scratch_guard(struct side *s, const char *line);
/* the script may set extended attributes or inode flags (for scratch_clean) */
int scratch_sets_attrs(const char *script);
/* the levels above W a script's lines may reach (for scratch_clean) */
int scratch_reach(const char *script);
/*
 * unmount.c: unmounts what a script mounted below T (newest first, lazily),
 * before scratch_clean; 0 or -errno. scratch_mounts: the script may mount.
 */
int scratch_unmount(const struct side *s);
/* root's file-system identity and umask back, if a script changed them */
void scratch_become_root(void);
int scratch_mounts(const char *script);

#endif

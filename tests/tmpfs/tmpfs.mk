# tests/tmpfs: fsscript (script interpreter, real and lib backends),
# fsgen (random scripts), unit_tmpfs, and the differential check.
# Needs TMPFS_SRCS from kernel/fs/tmpfs/tmpfs.mk.  Suggested wiring:
#
#   tests/unit_tmpfs: tests/unit_tmpfs.c $(TMPFS_SRCS)
#   	$(CC) $(CFLAGS) -Ikernel/fs/tmpfs -o $@ $^
#   tests/tmpfs/fsscript: $(FSSCRIPT_SRCS) $(TMPFS_SRCS)
#   	$(CC) $(CFLAGS) -Itests/tmpfs -o $@ $^
#   check: tests/unit_tmpfs tests/tmpfs/fsscript
#   	tests/unit_tmpfs
#   	FSSCRIPT=tests/tmpfs/fsscript tests/tmpfs/diff.sh   # seed 1, 3000 ops
#
# diff.sh needs root (permission scripts switch fsuid) and /dev/shm; it
# takes about 40 s (every operation waits for a clock tick of its own).
FSSCRIPT_SRCS := tests/tmpfs/fsscript.c tests/tmpfs/fsscript_proc.c tests/tmpfs/fsscript_mount.c \
	tests/tmpfs/fsscript_dev.c tests/tmpfs/fsscript_notify.c tests/tmpfs/fsscript_lib.c \
	tests/tmpfs/fsgen.c
UNIT_TMPFS_SRCS := tests/unit_tmpfs.c
TMPFS_SCRIPTS := $(wildcard tests/tmpfs/scripts/*.fs)

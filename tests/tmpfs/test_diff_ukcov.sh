#!/bin/sh
# ukcov run --tmpfs against Linux's tmpfs: the same scripts, run as a guest
# through seccomp, the supervisor, the VFS and the tmpfs.
B=${B:-build}
FSSCRIPT=$B/tests/tmpfs/fsscript exec sh tests/tmpfs/diff.sh -k "${UKCOV:-$B/bin/ukcov}"

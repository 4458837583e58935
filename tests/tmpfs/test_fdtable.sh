#!/bin/sh
# The fd table is as big as getrlimit(RLIMIT_NOFILE) says, with a mount
# (whose cwd slot ukcov keeps in every guest's table): fdtable.c, compared
# with /dev/shm, at a soft limit of 1024 below the hard one and after
# setrlimit.
ulimit -Sn 1024 2>/dev/null || { echo "skip: cannot set a soft fd limit of 1024"; exit 77; }
# (runs $UKCOV, default build/bin/ukcov: the forced-fallback suite runs it too)
. "$(dirname "$0")/vs_shm.sh"
vs_shm fdtable

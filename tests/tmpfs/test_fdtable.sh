#!/bin/sh
# The fd table is as big as getrlimit(RLIMIT_NOFILE) says, with a mount
# (whose cwd slot ukcov keeps in every guest's table): fdtable.c, compared
# with /dev/shm, at a soft limit of 1024 below the hard one and after
# setrlimit; then at 8191 below 8192 (above the old window ceiling of 4096;
# soft and hard equal, the guest gets one fd fewer without CAP_SYS_RESOURCE,
# a deviation).
# (runs $UKCOV, default build/bin/ukcov: the forced-fallback suite runs it too)
. "$(dirname "$0")/vs_shm.sh"
(ulimit -Sn 1024 2>/dev/null || { echo "skip: cannot set a soft fd limit of 1024"; exit 77; }
 vs_shm fdtable) || exit $?
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge 8192 ] || { echo "(hard fd limit $hard: not run at 8192)"; exit 0; }
ulimit -Sn 8191 && ulimit -Hn 8192 || exit 1
vs_shm fdtable

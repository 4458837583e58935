#!/bin/sh
# O_TMPFILE and its materialization (linkat through /proc/self/fd/N and
# with AT_EMPTY_PATH), compared with /dev/shm (tmpfile.c).
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/tmpfile"

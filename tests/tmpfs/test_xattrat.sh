#!/bin/sh
# The *xattrat calls and f*xattr on an open FIFO, compared with /dev/shm (xattrat.c).
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/xattrat"

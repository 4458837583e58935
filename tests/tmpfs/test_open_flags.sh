#!/bin/sh
# open(2) drops unknown flag bits in a mount as Linux does (F_GETFL compared with /dev/shm).
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/open_flags"

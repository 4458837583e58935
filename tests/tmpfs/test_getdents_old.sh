#!/bin/sh
# getdents(2)'s old records on a mount directory, as on /dev/shm.
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/getdents_old"

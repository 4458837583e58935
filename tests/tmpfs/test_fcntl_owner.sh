#!/bin/sh
# F_SETOWN/F_GETOWN(_EX)/F_SETSIG/F_GETSIG/F_CREATED_QUERY on mount files as on /dev/shm.
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
. "$(dirname "$0")/need_linux.sh"
need_linux 6 12 F_CREATED_QUERY
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/fcntl_owner"

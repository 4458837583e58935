#!/bin/sh
# mount(2)/umount2(2) of a tmpfs on a directory of a mount, step by step as Linux does on /dev/shm.
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "skip: mount(2) on /dev/shm to compare with needs root"; exit 77; }
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] || { echo "skip: /dev/shm is no tmpfs"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/mounts"

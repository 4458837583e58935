#!/bin/sh
# chroot(2) to mount paths: Linux's lookup errors (as on /dev/shm), then EPERM.
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "skip: needs root (switches uids)"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/chroot_mount"

#!/bin/sh
# inotify watches of mount files and directories: the event stream compared with /dev/shm's (inotify.c).
B=${B:-build}
# without a private store (an unprivileged supervisor, forced fallbacks) mount watches are EOPNOTSUPP
case "$UKCOV_FORCE_FALLBACKS" in 1|*tmpfs_store*) echo "skip: no private store"; exit 77;; esac
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/inotify"

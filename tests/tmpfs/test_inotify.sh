#!/bin/sh
# inotify watches of mount files and directories: the event stream compared with /dev/shm's (inotify.c).
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/inotify"

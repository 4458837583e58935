#!/bin/sh
# A FIFO in a graft, its reader and writer blocking in two processes while
# the supervisor goes on serving (tests/tmpfs/graft_fifo.c). Before, the
# supervisor itself waited in the open, and the whole sandbox hung (found
# by ukcov fuzz, its tenth run).
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "skip: mount(2) needs root"; exit 77; }
grep -qw ramfs /proc/filesystems || { echo "skip: no ramfs in this kernel"; exit 77; }
exec timeout 60 "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/graft_fifo"

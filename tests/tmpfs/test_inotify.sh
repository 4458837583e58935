#!/bin/sh
# inotify watches of mount files and directories: the event stream compared with /dev/shm's (inotify.c).
B=${B:-build}
# without a private store (an unprivileged supervisor, forced fallbacks) mount watches are EOPNOTSUPP
case "$UKCOV_FORCE_FALLBACKS" in 1|*tmpfs_store*) echo "skip: no private store"; exit 77;; esac
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
# The watched data file's IN_DELETE_SELF must come before the supervisor
# closes its own description of it; Linux 6.12 reports that close first
# (an extra IN_CLOSE_WRITE after a rename over a watched file), 6.18 does
# not (docs/tmpfs-deviations.md). Checked on those two.
rel=$(uname -r); maj=${rel%%.*}; min=${rel#*.}; min=${min%%[!0-9]*}
[ $((maj * 100 + min)) -ge 618 ] || { echo "skip: the event order this test compares holds on Linux 6.18, not 6.12 ($rel)"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/inotify"

#!/bin/sh
# setgid stripped before the umask in a setgid directory, as on /dev/shm (LTP creat09).
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "skip: needs root (switches uids)"; exit 77; }
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/sgid_umask"

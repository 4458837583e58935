#!/bin/sh
# An ext2 on a loop device mounted onto a mount's directory: grafted from the
# host, step by step as Linux does on /dev/shm (tests/tmpfs/graft.c).
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "skip: mount(2) needs root"; exit 77; }
command -v mkfs.ext2 >/dev/null && command -v losetup >/dev/null ||
	{ echo "skip: needs mkfs.ext2 (e2fsprogs) and losetup (mount)"; exit 77; }
grep -qw ext2 /proc/filesystems || modprobe ext2 2>/dev/null || modprobe ext4 2>/dev/null
grep -qw ext2 /proc/filesystems || { echo "skip: no ext2 in this kernel"; exit 77; }
img=$(mktemp /tmp/ukcov-graft.XXXXXX) || exit 1
trap 'rm -f "$img"; [ -n "${loop:-}" ] && losetup -d "$loop"' EXIT
truncate -s 16M "$img" && mkfs.ext2 -q "$img" || exit 1
loop=$(losetup -f --show "$img" 2>/dev/null) || { echo "skip: no free loop device"; exit 77; }
"${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/graft" "$loop"

#!/bin/sh
# mmap and file locks of tmpfs files (mmaplock.c: two processes sharing
# data through a mapping and pwrite, MAP_PRIVATE, EACCES, SIGBUS, msync,
# mprotect; POSIX, OFD and flock locks contended, waited for, interrupted,
# EDEADLK, released on close and exit): the transcript under ukcov is
# Linux's tmpfs's (/dev/shm) line for line.
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
ref=$(mktemp -d /dev/shm/ukcov-mmaplock.XXXXXX) || exit 1
trap 'rm -rf "$ref"' EXIT
want=$(timeout 30 "$B/tests/tmpfs/mmaplock" "$ref" 2>&1) || { echo "FAIL: mmaplock fails on Linux's tmpfs"; echo "$want"; exit 1; }
got=$(timeout 30 "$UKCOV" run --tmpfs=/mnt/ukcov-mmaplock -- "$B/tests/tmpfs/mmaplock" /mnt/ukcov-mmaplock 2>&1)
rc=$?
printf '%s\n' "$want" > "$ref/want"
printf '%s\n' "$got" > "$ref/got"
if [ $rc != 0 ] || ! diff -u "$ref/want" "$ref/got" > "$ref/diff"; then
	echo "FAIL: mmaplock under ukcov (exit $rc) differs from Linux's tmpfs:"
	sed 's/^/    /' "$ref/diff"
	exit 1
fi
cat "$ref/got"
echo "ok   mmaplock: $(wc -l < "$ref/got") lines as on /dev/shm"

#!/bin/sh
# Unix sockets bound and connected by paths in a mount: the guest passes on
# Linux's tmpfs (/dev/shm) and under ukcov run --tmpfs; then the private
# directory the supervisor bound them in is gone after the run.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
ref=$(mktemp -d /dev/shm/ukcov-sock.XXXXXX) || exit 1
trap 'rm -rf "$ref"' EXIT
fail=0
"$B/tests/tmpfs/unixsock" "$ref" || { echo "FAIL: the guest fails on Linux's tmpfs"; fail=1; }
tmp=$(mktemp -d /tmp/ukcov-sock-test.XXXXXX) || exit 1
TMPDIR=$tmp "$UKCOV" run --tmpfs=/mnt/ukcov-sock -- "$B/tests/tmpfs/unixsock" /mnt/ukcov-sock ||
	{ echo "FAIL: unixsock under ukcov"; fail=1; }
if [ -n "$(ls -A "$tmp")" ]; then
	echo "FAIL: the private directory is left behind:"; ls -lR "$tmp"; fail=1
fi
rmdir "$tmp"
exit $fail

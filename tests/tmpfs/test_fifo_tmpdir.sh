#!/bin/sh
# A fifo in a mount opens when ukcov's own TMPDIR is the mount's path (as a
# user sets it for the guest): the private directory of node objects then
# goes to /tmp, it was ENOENT.
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
out=$(cd / && TMPDIR=/mnt/t timeout 20 "$UKCOV" run --tmpfs=/mnt/t -- \
	sh -c 'mkfifo /mnt/t/ff && { echo hi >/mnt/t/ff & } && cat /mnt/t/ff' 2>&1)
[ "$out" = hi ] && { echo ok; exit 0; }
echo "FAIL: fifo round trip gave: $out"
exit 1

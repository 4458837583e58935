#!/bin/sh
# ukcov's own TMPDIR is the mount's path (as a user sets it for the guest,
# as LTP does): the host directories ukcov makes for itself (node objects, a
# fifo's; dead directories behind a cwd in a mount) then go to /tmp. Both
# were ENOENT: a fifo's open, and chdir into any mount directory.
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
out=$(cd / && TMPDIR=/mnt/t timeout 20 "$UKCOV" run --tmpfs=/mnt/t -- \
	sh -c 'mkfifo /mnt/t/ff && { echo hi >/mnt/t/ff & } && cat /mnt/t/ff' 2>&1)
[ "$out" = hi ] || { echo "FAIL: fifo round trip gave: $out"; exit 1; }
out=$(cd / && TMPDIR=/mnt/t timeout 20 "$UKCOV" run --tmpfs=/mnt/t -- \
	sh -c 'mkdir /mnt/t/d && cd /mnt/t/d && pwd' 2>&1)
[ "$out" = /mnt/t/d ] || { echo "FAIL: chdir into a mount directory gave: $out"; exit 1; }
echo ok

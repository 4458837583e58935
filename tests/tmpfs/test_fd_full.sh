#!/bin/sh
# The supervisor holds an fd per mount file with data: under a hard fd limit
# of 300 a mount holds about 300 such files, and past that (every call that
# needs an fd answers ENFILE, the guest's writes to its stdout included)
# ukcov says why, once, on its stderr (docs/tmpfs-deviations.md).
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
out=$(ulimit -n 300 && cd / && timeout 60 "$UKCOV" run --tmpfs=/mnt/t -- sh -c \
	'i=0; while [ $i -lt 400 ]; do echo x >/mnt/t/f$i 2>/dev/null; i=$((i + 1)); done' 2>&1)
n=$(printf '%s\n' "$out" | grep -c '^ukcov: out of file descriptors (RLIMIT_NOFILE 30[01])')
[ "$n" = 1 ] || { echo "FAIL: expected the warning once, got $n times in:"; printf '%s\n' "$out" | head -5; exit 1; }
echo ok

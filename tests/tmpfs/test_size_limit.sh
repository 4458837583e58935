#!/bin/sh
# --tmpfs=PATH:size=N: writing past N is ENOSPC (a short write, then the
# error), never a crash; bad specs are refused with a message and exit 2.
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

out=$("$UKCOV" run --tmpfs=/mnt/small:size=1m -- sh -c \
	'dd if=/dev/zero of=/mnt/small/f bs=64k count=32 2>&1; echo "dd=$?"; stat -c %s /mnt/small/f' 2>&1)
echo "$out" | grep -q 'No space left on device' || fail "no ENOSPC past 1 MiB: $out"
echo "$out" | grep -q 'dd=1' || fail "dd did not fail: $out"
size=$(echo "$out" | tail -n 1)
[ "$size" = 1048576 ] || fail "file size after ENOSPC: expected 1048576 got $size"
out=$("$UKCOV" run --tmpfs=/mnt/k:size=64k -- sh -c 'head -c 70000 /dev/zero > /mnt/k/f; echo rc=$?' 2>&1)
echo "$out" | grep -q 'rc=1' || fail "shell redirect past size=64k did not fail: $out"
for spec in relative /mnt/x:size=12q /mnt/x:color=red / /a/../b; do
	out=$("$UKCOV" run --tmpfs="$spec" -- true 2>&1); rc=$?
	[ $rc = 2 ] || fail "--tmpfs=$spec: expected exit 2 got $rc"
	echo "$out" | grep -q -- "--tmpfs=$spec" || fail "--tmpfs=$spec: message does not name it: $out"
done
out=$("$UKCOV" run --tmpfs=/mnt/a --tmpfs=/mnt/a/b -- true 2>&1); rc=$?
[ $rc = 2 ] || fail "nested mounts: expected exit 2 got $rc ($out)"
[ $fails = 0 ] && echo "size limit and spec checks passed"
exit $((fails > 0))

#!/bin/sh
# kcov sees tmpfs: the PCs of a stat() inside a --tmpfs mount include
# tmpfs's own blocks; a deeper walk executes more blocks than a shallow one;
# a failing lookup executes blocks a successful one does not (and back).
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
out=$("$UKCOV" run --tmpfs=/mnt/ukcov-t -- "$B/tests/tmpfs/kcov_paths" /mnt/ukcov-t) || {
	echo "FAIL: guest failed: $out"; exit 1; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
count() { echo "$out" | awk -v k="$1" '$1 == k { print $2 }'; }
pcs() { echo "$out" | awk -v k="$1" '$1 == k { for (i = 3; i <= NF; i++) print $i }' | sort -u; }
shallow=$(count shallow) deep=$(count deep)
[ "${deep:-0}" -gt "${shallow:-0}" ] || fail "deep walk: $deep PCs, not more than the shallow walk's $shallow"
pcs enoent >"$B/tests/tmpfs/enoent.pcs"
pcs found >"$B/tests/tmpfs/found.pcs"
only_enoent=$(comm -23 "$B/tests/tmpfs/enoent.pcs" "$B/tests/tmpfs/found.pcs" | wc -l)
only_found=$(comm -13 "$B/tests/tmpfs/enoent.pcs" "$B/tests/tmpfs/found.pcs" | wc -l)
[ "$only_enoent" -gt 0 ] || fail "ENOENT lookup executed no block of its own"
[ "$only_found" -gt 0 ] || fail "successful lookup executed no block of its own"
# The PCs symbolize into tmpfs's sources.
files=$(pcs deep | "$UKCOV" symbolize | grep -v '^0x' | cut -d: -f1 | sort -u)
echo "$files" | grep -q '^kernel/fs/tmpfs/' || fail "no PC of the deep walk is in kernel/fs/tmpfs/: $files"
[ $fails = 0 ] && echo "shallow $shallow PCs, deep $deep PCs; enoent-only $only_enoent, found-only $only_found blocks; files: $(echo $files)"
exit $((fails > 0))

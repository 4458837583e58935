#!/bin/sh
# Per-guest bookkeeping stays bounded (docs/security.md): 3000 binds of a
# socket in the mount, each closed and unlinked, leave at most a few hundred
# private names (the fallback private directory, in TMPDIR, is countable).
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
t=$(mktemp -d /tmp/ukcov-bounds.XXXXXX) || exit 1
trap 'rm -rf "$t"' EXIT
TMPDIR=$t UKCOV_FORCE_FALLBACKS=1 "$UKCOV" run --tmpfs=/mnt/ukcov-bounds -- sh -c \
	"'$B/tests/hostile/deputy/churn' /mnt/ukcov-bounds 3000 && ls -A '$t'/ukcov-* | wc -l" \
	>"$t/out" 2>&1 || { echo "FAIL: the guest failed:"; cat "$t/out"; exit 1; }
left=$(tail -n 1 "$t/out")
echo "private names left after 3000 binds: $left"
[ "$left" -le 256 ] || { echo "FAIL: unbounded"; exit 1; }

#!/bin/sh
# AFL++'s stability, without AFL++: every seed of `ukcov fuzz` (the
# differential suite's scripts and the findings' regression scripts, as
# inputs) runs 3 times, round robin, in one persistent forkserver child
# under ukcov run, as afl-fuzz runs them (--stability=3); the coverage of an
# input must not differ between its runs (AFL++'s bucketed hit counts of
# every map byte). Before the fixes it did: the first traced call of a
# thread re-read its credentials, the supervisor's data fd cache hit or
# missed, host inode numbers collided in the kfile table, the store's watch
# directory was made by the first watch, atime's comparison branched on
# whether two times fell in one second, a lazily unmounted mount stayed in
# the mount table for good (every later walk stepped over it), and the
# first "mkexec P elf" read /bin/true (docs/ukcov-fuzz.md, "Stability").
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
G=$B/bin/ukcov-fuzz-guest
[ "$(id -u)" = 0 ] || { echo "skip: scripts switch the fsuid: root only"; exit 77; }
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
tmp=$(mktemp -d /tmp/ukcov-afl-stability.XXXXXX) || exit 1
host=$(mktemp -d /dev/shm/ukcov-afl-stability.XXXXXX) || exit 1
trap 'rm -rf "$tmp" "$host"' EXIT
chmod 0711 "$host"
fail() { echo "FAIL: $*"; exit 1; }

for s in tests/tmpfs/scripts/*.fs tests/fuzz/findings/*.fs tests/fuzz/seeds/*.fs; do
	"$G" --encode < "$s" > "$tmp/$(basename "$s" .fs)" || fail "encode $s"
done
"$G" --with-oracle --host="$host" -- env TMPDIR=/dev/shm "$UKCOV" run --tmpfs=/mnt/fz --fault-injection -- \
	"$G" --host="$host" --mount=/mnt/fz --stability=3 "$tmp"/* > "$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] || {
	grep -v ' 0 of ' "$tmp/out"
	grep -o '0x[0-9a-f]*' "$tmp/out" | sort -u | "$UKCOV" symbolize | paste - - | sed 's/^/  /'
	fail "coverage differs between runs of one input (exit $rc)"
}
echo "ok   $(ls "$tmp" | grep -vc '^out$') seeds, 3 runs each in one persistent child: the same coverage"

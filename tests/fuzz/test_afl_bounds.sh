#!/bin/sh
# Nothing the fuzz guest does leaves its scratch directories, whatever the
# input: escape.fs (every way up the vocabulary has) and random inputs run
# with both tops inside one directory P, natively (both sides Linux's tmpfs,
# which must then agree on every input: in one process, and with the
# /dev/shm side in the oracle process, fuzz/oracle.h) and under ukcov run
# (the mount at P/m, the /dev/shm side in the oracle process, as `ukcov
# fuzz` runs it); afterwards P holds exactly what it held, and each top
# only its chain of levels.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
G=$B/bin/ukcov-fuzz-guest
N=${AFL_BOUNDS_INPUTS:-300}
[ "$(id -u)" = 0 ] || { echo "skip: scripts switch the fsuid: root only"; exit 77; }
[ -d /dev/shm ] || { echo "skip: no /dev/shm"; exit 77; }
P=$(mktemp -d /dev/shm/ukcov-afl-bounds.XXXXXX) || exit 1
tmp=$(mktemp -d /tmp/ukcov-afl-bounds.XXXXXX) || exit 1
trap 'chmod -R u+rwx "$P" 2>/dev/null; rm -rf "$P" "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
chmod 0711 "$P"
mkdir -p -m 0711 "$P/h" "$P/o"
mkdir -p "$P/outside/a/b"
echo canary > "$P/outside/a/b/file"
snapshot() { (cd "$P" && find . -path ./h -prune -o -path ./o -prune -o -path ./m -prune -o \
	-printf '%p %m %u %g %s %y\n' | sort); }
snapshot > "$tmp/before"

"$G" --encode < tests/fuzz/afl/escape.fs > "$tmp/escape" || fail encode
i=0
while [ $i -lt "$N" ]; do
	head -c $((16 + i % 300)) /dev/urandom > "$tmp/r$i"
	i=$((i + 1))
done
"$G" --no-kcov --replay --host="$P/h" --mount="$P/o" "$tmp/escape" "$tmp"/r* ||
	fail "natively, /dev/shm against /dev/shm differs"
echo "ok   natively: escape.fs and $N random inputs, both sides agree"
"$G" --with-oracle --host="$P/h" -- "$G" --no-kcov --replay --host="$P/h" --mount="$P/o" \
	"$tmp/escape" "$tmp"/r* || fail "natively, the oracle process against /dev/shm differs"
echo "ok   natively, the /dev/shm side in the oracle process: both sides agree"
"$G" --with-oracle --host="$P/h" -- "$UKCOV" run --tmpfs="$P/m" -- "$G" --replay --host="$P/h" \
	--mount="$P/m" "$tmp/escape" "$tmp"/r* > "$tmp/ukcov.out" 2>&1
echo "ok   under ukcov run: $(grep -c differs "$tmp/ukcov.out") of $((N + 1)) inputs differ (findings, not this test's concern)"

# A persistent child runs input after input: what one input does to the
# process (rlimit: RLIMIT_FSIZE 0, RLIMIT_NOFILE with no room) must not
# reach the next, whose first write and open would then fail on the
# mount's side only (the oracle runs each input in a fresh child).
printf 'open c O_RDWR|O_CREAT 0644 -> $f0\nwrite $f0 aaa\ndup $f0 -> $f1\nrlimit RLIMIT_FSIZE 0\nrlimit RLIMIT_NOFILE +0\nwrite $f0 aaa\nopen c 0 0644 -> $f2\n' |
	"$G" --encode --all-ops > "$tmp/limits" || fail encode
"$G" --with-oracle --host="$P/h" -- "$UKCOV" run --tmpfs="$P/m" -- "$G" --all-ops --bench=3 --persist=3 \
	--host="$P/h" --mount="$P/m" "$tmp/limits" > "$tmp/limits.out" 2>&1 ||
	fail "a persistent child kept an input's resource limits: $(cat "$tmp/limits.out")"
echo "ok   resource limits do not outlive their input in a persistent child"

snapshot > "$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "something outside the scratch tops changed"
for top in h o; do
	extra=$(cd "$P/$top" && find . -mindepth 1 ! -name 'd*' -printf '%p\n' | head -3)
	[ -z "$extra" ] || fail "$top holds more than its chain of levels: $extra"
	[ "$(find "$P/$top" -mindepth 1 -maxdepth 1 | wc -l)" = 1 ] || fail "$top: more than one level"
done
echo "ok   nothing outside the scratch roots changed; the tops hold their chains only"

#!/bin/sh
# Nothing the fuzz guest does leaves its scratch directories, whatever the
# input: escape.fs (every way up the vocabulary has) and random inputs run
# with both tops inside one directory P, natively (both sides Linux's tmpfs,
# which must then agree on every input: in one process, and with the
# /dev/shm side in the oracle process, fuzz/oracle.h) and under ukcov run
# (the mount at P/m, the /dev/shm side in the oracle process, as `ukcov
# fuzz` runs it); afterwards P holds exactly what it held, and each top
# only its chain of levels. mounts.fs mounts on every level a script can
# reach and leaves them mounted: the runs with the oracle process decode
# mount(2) (its private mount namespace, fuzz/oracle.c), and afterwards the
# host's namespace holds no mount below P, before, during or after.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
G=$B/bin/ukcov-fuzz-guest
N=${AFL_BOUNDS_INPUTS:-300}
[ "$(id -u)" = 0 ] || { echo "skip: scripts switch the fsuid: root only"; exit 77; }
[ -d /dev/shm ] || { echo "skip: no /dev/shm"; exit 77; }
P=$(mktemp -d /dev/shm/ukcov-afl-bounds.XXXXXX) || exit 1
tmp=$(mktemp -d /tmp/ukcov-afl-bounds.XXXXXX) || exit 1
trap 'chmod -R u+rwx "$P" 2>/dev/null; rm -rf "$P"; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
chmod 0711 "$P"
mkdir -p -m 0711 "$P/h" "$P/o"
mkdir -p "$P/outside/a/b"
echo canary > "$P/outside/a/b/file"
snapshot() { (cd "$P" && find . -path ./h -prune -o -path ./o -prune -o -path ./m -prune -o \
	-printf '%p %m %u %g %s %y\n' | sort); }
snapshot > "$tmp/before"
# the host's own mounts below P: none, at any time
no_host_mounts() {
	! grep -F " $P" /proc/self/mountinfo > "$tmp/mounted" || fail "mounted in the host's namespace ($1): $(head -3 "$tmp/mounted")"
}

"$G" --encode < tests/fuzz/afl/escape.fs > "$tmp/escape" || fail encode
# the ways up through /proc's links and exec (fuzzproc's operations)
"$G" --encode < tests/fuzz/afl/proc-escape.fs > "$tmp/proc-escape" || fail encode
"$G" --encode < tests/fuzz/afl/root-file.fs > "$tmp/root-file" || fail encode
"$G" --encode < tests/fuzz/afl/mounts.fs > "$tmp/mounts" || fail encode
[ "$("$G" --decode "$tmp/mounts" | grep -c '^mount ')" -ge 10 ] || fail "mounts.fs: its mount lines do not decode"
i=0
while [ $i -lt "$N" ]; do
	head -c $((16 + i % 300)) /dev/urandom > "$tmp/r$i"
	i=$((i + 1))
done
# the first input that differed, decoded on one line (random inputs are not kept)
first_diff() {
	f=$(sed -n 's/^ukcov-fuzz-guest: \(.*\): differs$/\1/p' "$1" | head -n 1)
	grep -m 1 'first difference' "$1"
	[ -n "$f" ] && echo "$(basename "$f") differs: $("$G" --decode "$f" | tr '\n' ';')"
}
"$G" --no-kcov --replay --host="$P/h" --mount="$P/o" "$tmp/root-file" "$tmp/escape" "$tmp/proc-escape" "$tmp"/r* \
	2> "$tmp/native.err" || { first_diff "$tmp/native.err"; fail "natively, /dev/shm against /dev/shm differs"; }
echo "ok   natively: escape.fs, proc-escape.fs and $N random inputs, both sides agree"
no_host_mounts "natively"
# while the replay runs (mounts.fs is its first input), the host sees none of its mounts
( sleep 1; no_host_mounts "during the replay" ) > "$tmp/during" 2>&1 &
watch=$!
"$G" --with-oracle --host="$P/h" -- "$G" --no-kcov --replay --host="$P/h" --mount="$P/o" \
	"$tmp/mounts" "$tmp/root-file" "$tmp/escape" "$tmp/proc-escape" "$tmp"/r* 2> "$tmp/oracle.err" ||
	{ first_diff "$tmp/oracle.err"; fail "natively, the oracle process against /dev/shm differs"; }
wait $watch || fail "$(cat "$tmp/during")"
grep -q 'no private mount namespace' "$tmp/oracle.err" &&
	echo "note: no private mount namespace here: mount(2) was left out of these runs"
echo "ok   natively, the /dev/shm side in the oracle process (mounts too): both sides agree"
no_host_mounts "natively, with the oracle process"
"$G" --with-oracle --host="$P/h" -- "$UKCOV" run --tmpfs="$P/m" -- "$G" --replay --host="$P/h" \
	--mount="$P/m" "$tmp/mounts" "$tmp/root-file" "$tmp/escape" "$tmp/proc-escape" "$tmp"/r* > "$tmp/ukcov.out" 2>&1
echo "ok   under ukcov run: $(grep -c differs "$tmp/ukcov.out") of $((N + 4)) inputs differ (findings, not this test's concern)"
no_host_mounts "under ukcov run"

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

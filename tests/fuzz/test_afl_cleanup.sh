#!/bin/sh
# The scratch clean-up between inputs unmounts what a script mounted: after
# an input whose mounts cover one another (stacked-mounts.fs: mounts onto .
# and .. of its cwd), a mount's listed path can run into a file of the
# covering tree (ENOTDIR) until that one is gone. The clean-up stopped
# there, the scratch root stayed mounted on, and the next inputs failed in
# the guest (`the mount's side: Device or resource busy`, run 9 of 7 Dec);
# now a later round unmounts it. Both inputs replayed in one guest, with the
# oracle: no failure, no difference.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
G=$B/bin/ukcov-fuzz-guest
[ "$(id -u)" = 0 ] || { echo "skip: scripts switch the fsuid: root only"; exit 77; }
unshare -m --propagation private true 2>/dev/null || { echo "skip: no mount namespace for the oracle"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d /tmp/ukcov-afl-cleanup.XXXXXX) || fail "no scratch directory in /tmp"
host=$(mktemp -d /dev/shm/ukcov-afl-cleanup.XXXXXX) || { rm -rf "$tmp"; fail "no scratch directory in /dev/shm"; }
trap 'rm -rf "$tmp" "$host"' EXIT
chmod 0711 "$host"
for s in stacked-mounts after-stacked su-mount; do
	"$G" --encode < "tests/fuzz/cleanup/$s.fs" > "$tmp/$s" || fail "encode $s"
done
"$G" --with-oracle --host="$host" -- "$UKCOV" run --tmpfs=/mnt/fz -- \
	"$G" --replay --host="$host" --mount=/mnt/fz "$tmp/stacked-mounts" "$tmp/after-stacked" \
	"$tmp/after-stacked" > "$tmp/out" 2>&1
rc=$?
grep -q "Device or resource busy\|: differs\|the mount's side\|the oracle" "$tmp/out" &&
	fail "replay (exit $rc): $(cat "$tmp/out")"
[ $rc = 0 ] || fail "replay exit $rc: $(cat "$tmp/out")"
echo "ok   3 inputs after stacked mounts: each scratch set up and cleaned, no difference"
# su-mount.fs: a mount under a root the script made unsearchable before its
# su; the clean-up unmounted with the script's identity (EACCES), and the
# next input met the mount ("Directory not empty"). Now it is root first.
"$G" --with-oracle --host="$host" -- "$UKCOV" run --tmpfs=/mnt/fz -- \
	"$G" --replay --host="$host" --mount=/mnt/fz "$tmp/su-mount" "$tmp/after-stacked" > "$tmp/out" 2>&1
rc=$?
grep -q "Directory not empty\|: differs\|the mount's side\|the oracle" "$tmp/out" &&
	fail "replay after su-mount (exit $rc): $(cat "$tmp/out")"
[ $rc = 0 ] || fail "replay after su-mount: exit $rc: $(cat "$tmp/out")"
echo "ok   an input after a mount under an unsearchable root and su: cleaned, no difference"

#!/bin/sh
# A script's fork child, and an exec's, has a kcov of its own (fuzz/child.c):
# calls made only by the child add to AFL++'s map. The same input, run once with the
# child's fold and once without (--no-child-kcov, the guest before it),
# must cover more map entries with it; and a script without fork must
# cover the same either way (the fold adds nothing of its own).
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
G=$B/bin/ukcov-fuzz-guest
[ "$(id -u)" = 0 ] || { echo "skip: scripts switch the fsuid: root only"; exit 77; }
P=$(mktemp -d /dev/shm/ukcov-fork-kcov.XXXXXX) || exit 1
trap 'rm -rf "$P"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
chmod 0711 "$P"
mkdir -m 0711 "$P/h"
# the child's calls: none of them is the parent's
printf '%s\n' 'mkdir a 0755' fork 'statfs a' 'fchmodat AT_FDCWD a 0700' \
	'getxattr a user.b 10' 'symlink a/b c' 'readlink c 10' join > "$P/fork.fs"
grep -v '^fork\|^join' "$P/fork.fs" | head -1 > "$P/plain.fs"
"$G" --encode < "$P/fork.fs" > "$P/fork.in" && "$G" --encode < "$P/plain.fs" > "$P/plain.in" ||
	fail encode
entries() { # entries INPUT [OPTION]: the map entries one run of INPUT sets
	"$UKCOV" run --tmpfs="$P/m" -- "$G" $2 --map-count --host="$P/h" --mount="$P/m" "$1" 2>&1 |
		sed -n 's/^ukcov-fuzz-guest: \([0-9]*\) map entries$/\1/p'
}
with=$(entries "$P/fork.in") without=$(entries "$P/fork.in" --no-child-kcov)
[ -n "$with" ] && [ -n "$without" ] || fail "no map count (with: '$with', without: '$without')"
[ "$with" -gt "$without" ] || fail "the child's calls add nothing: $with entries with its kcov, $without without"
echo "ok   fork child's calls: $with map entries with its kcov, $without without"
# An exec child's kcov is opened by the parent, enabled before the execve
# and read once the child is reaped: the exec and the exec'd script's calls
# (its interpreter's, from the mount) add to the map.
printf '%s\n' 'mkexec a sh' 'exec a execve' > "$P/exec.fs"
"$G" --encode < "$P/exec.fs" > "$P/exec.in" || fail encode
with=$(entries "$P/exec.in") without=$(entries "$P/exec.in" --no-child-kcov)
[ -n "$with" ] && [ -n "$without" ] || fail "no map count (exec; with: '$with', without: '$without')"
[ "$with" -gt "$without" ] || fail "the exec'd program's calls add nothing: $with entries with its kcov, $without without"
echo "ok   exec child's calls: $with map entries with its kcov, $without without"
with=$(entries "$P/plain.in") without=$(entries "$P/plain.in" --no-child-kcov)
[ "$with" = "$without" ] || fail "without fork the fold changed the map: $with against $without"
echo "ok   without fork: $with map entries either way"
# Under a soft RLIMIT_NOFILE below the guest's fd scan (1024; some CI hosts
# run with less): the fds open before the first input (kcov's) survive the
# clean-up between sides, so the map is the same.
low=$( (ulimit -S -n 512 && entries "$P/fork.in") )
with=$(entries "$P/fork.in")
[ "$low" = "$with" ] || fail "RLIMIT_NOFILE 512: $low map entries, $with at $(ulimit -S -n)"
echo "ok   RLIMIT_NOFILE 512: the same $low map entries"

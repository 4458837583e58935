#!/bin/sh
# The working directory across process trees inside a mount: a C guest that
# checks Linux's rules one by one (fork, unknown grandchildren, threads,
# exec, closing every fd), then a shell process tree (proctree.sh) whose
# output must match the same tree on Linux's tmpfs, and must leave nothing
# in the host directory ukcov was started from.
set -u
B=${B:-build}
UKCOV=$(realpath "${UKCOV:-$B/bin/ukcov}")
BA=$(realpath "$B")
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d) shm=$(mktemp -d /dev/shm/ukcov-tree.XXXXXX)
trap 'rm -rf "$tmp" "$shm"' EXIT
mkdir "$tmp/start"
here=$(pwd)

# 1. The rules, one by one (run from an empty host directory).
(cd "$tmp/start" && "$UKCOV" run --tmpfs=/mnt/ukcov-tree -- "$BA/tests/tmpfs/fsctx_tree" /mnt/ukcov-tree) ||
	fail "fsctx_tree guest"

# 2. A shell process tree: the same output as on Linux's tmpfs.
D=$shm sh "$here/tests/tmpfs/proctree.sh" >"$tmp/linux.out" 2>&1
(cd "$tmp/start" && "$UKCOV" run --tmpfs=/mnt/ukcov-tree -- env D=/mnt/ukcov-tree \
	sh "$here/tests/tmpfs/proctree.sh") >"$tmp/ukcov.out" 2>&1
if ! cmp -s "$tmp/linux.out" "$tmp/ukcov.out"; then
	fail "the process tree differs from Linux's tmpfs:"
	diff "$tmp/linux.out" "$tmp/ukcov.out" | sed 's/^/    /'
fi
left=$(ls -A "$tmp/start")
[ -z "$left" ] && echo "host start directory untouched" || fail "files landed on the host: $left"
[ $fails = 0 ] && echo "process tree: $(wc -l <"$tmp/ukcov.out") lines identical to Linux's tmpfs"
exit $((fails > 0))

#!/bin/sh
# Differential test of ukcov's tmpfs: run each script on the host's tmpfs
# (a fresh directory of /dev/shm) and on ukcov's tmpfs mounted at the same
# path, and diff the transcripts. The second side is, with -k UKCOV, the same
# fsscript binary as a guest under `UKCOV run --tmpfs=ROOT` (the whole
# syscall path: seccomp, supervisor, VFS, tmpfs); without it, the lib
# backend (fsscript calling the tmpfs core directly).
#
#   diff.sh [-v] [-r] [-k UKCOV] [SCRIPT...]
#                                  default: scripts/*.fs and random seed 1;
#                                  -r: the random script only
#   SEED=n NOPS=n diff.sh        change the random script
#   FSSCRIPT=path                the fsscript binary (default ./fsscript,
#                                then build/tmpfs-dev/gcc/fsscript)
# Exits 0 when every transcript matches, 1 on differences, 77 when not root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${FSSCRIPT:-$here/fsscript}
[ -x "$bin" ] || bin=$here/../../build/tmpfs-dev/gcc/fsscript
[ -x "$bin" ] || { echo "diff.sh: no fsscript binary (set FSSCRIPT)" >&2; exit 2; }
# permission scripts switch the fsuid: root only
[ "$(id -u)" = 0 ] || { echo "diff.sh: skipped, needs root" >&2; exit 77; }
seed=${SEED:-1}
nops=${NOPS:-3000}
verbose=0 random_only=0 ukcov=
while [ $# -gt 0 ]; do
	case $1 in
	-v) verbose=1 ;;
	-r) random_only=1 ;;
	-k) ukcov=$2; shift ;;
	*) break ;;
	esac
	shift
done

base=$(mktemp -d /dev/shm/fsdiff.XXXXXX) || exit 1
chmod 0755 "$base"
out=$(mktemp -d /tmp/fsdiff-out.XXXXXX) || exit 1
trap 'rm -rf "$base" "$out"' EXIT
trap 'exit 2' INT TERM PIPE
# a fresh empty ROOT, and beside it host/file for paths leaving the mount
fresh_root() {
	rm -rf "${base:?}"
	mkdir -m 0755 "$base"
	mkdir "$base/root" "$base/host"
	chmod 1777 "$base/root"
	printf 'host data\n' > "$base/host/file"
	chmod 0644 "$base/host/file"
}

if [ $# -eq 0 ]; then
	[ $random_only = 1 ] || set -- "$here"/scripts/*.fs
	"$bin" --gen "$seed" "$nops" > "$out/random-$seed.fs"
	set -- "$@" "$out/random-$seed.fs"
fi

fail=0 ops=0
for s in "$@"; do
	name=$(basename "$s")
	fresh_root
	"$bin" "$base/root" "$s" > "$out/real.out" 2>&1
	fresh_root
	if [ -n "$ukcov" ]; then
		"$ukcov" run --tmpfs="$base/root" -- "$bin" "$base/root" "$s" > "$out/lib.out" 2>&1
	else
		"$bin" --backend=lib "$base/root" "$s" > "$out/lib.out" 2>&1
	fi
	n=$(wc -l < "$out/real.out")
	ops=$((ops + n))
	if diff -u "$out/real.out" "$out/lib.out" > "$out/diff.out"; then
		echo "ok   $name ($n ops)"
	elif [ -n "$ukcov" ] && grep -qx "$name" "$here/ukcov-deviations"; then
		echo "KNOWN $name ($n ops, a documented deviation of ukcov run; see README)"
		sed 's/^/     /' "$out/diff.out" | tail -n +3
	else
		d=$(grep -c '^-[^-]' "$out/diff.out")
		echo "FAIL $name ($n ops, $d differ)"
		if [ $verbose = 1 ]; then cat "$out/diff.out"; else head -40 "$out/diff.out"; fi
		fail=1
	fi
done
against="the lib backend"; [ -n "$ukcov" ] && against="ukcov run --tmpfs"
echo "compared $ops operations in $# scripts (/dev/shm vs $against)"
exit $fail

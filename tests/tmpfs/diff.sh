#!/bin/sh
# Differential test of ukcov's tmpfs: run each script on the host's tmpfs
# (a fresh directory of /dev/shm) and on the lib backend (the tmpfs core
# mounted at the same path), and diff the transcripts.
#
#   diff.sh [-v] [-r] [SCRIPT...]  default: scripts/*.fs and random seed 1;
#                                  -r: the random script only
#   SEED=n NOPS=n diff.sh        change the random script
#   FSSCRIPT=path                the fsscript binary to use
# Exits 0 when every transcript matches.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${FSSCRIPT:-$here/../../build/tmpfs-dev/gcc/fsscript}
seed=${SEED:-1}
nops=${NOPS:-3000}
verbose=0 random_only=0
while [ $# -gt 0 ]; do
	case $1 in
	-v) verbose=1 ;;
	-r) random_only=1 ;;
	*) break ;;
	esac
	shift
done

base=$(mktemp -d /dev/shm/fsdiff.XXXXXX) || exit 1
chmod 0755 "$base"
out=$(mktemp -d /tmp/fsdiff-out.XXXXXX) || exit 1
trap 'rm -rf "$base" "$out"' EXIT
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
	"$bin" --backend=lib "$base/root" "$s" > "$out/lib.out" 2>&1
	n=$(wc -l < "$out/real.out")
	ops=$((ops + n))
	if diff -u "$out/real.out" "$out/lib.out" > "$out/diff.out"; then
		echo "ok   $name ($n ops)"
	else
		d=$(grep -c '^-[^-]' "$out/diff.out")
		echo "FAIL $name ($n ops, $d differ)"
		if [ $verbose = 1 ]; then cat "$out/diff.out"; else head -40 "$out/diff.out"; fi
		fail=1
	fi
done
echo "compared $ops operations in $# scripts"
exit $fail

#!/bin/sh
# Differential test of ukcov's tmpfs: run each script on the host's tmpfs
# (a fresh directory of /dev/shm) and on the lib backend (the tmpfs core
# mounted at the same path), and diff the transcripts.
#
#   diff.sh [-v] [SCRIPT...]     default: scripts/*.fs and random seed 1
#   SEED=n NOPS=n diff.sh        change the random script
#   FSSCRIPT=path                the fsscript binary to use
# Exits 0 when every transcript matches.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${FSSCRIPT:-$here/../../build/tmpfs-dev/gcc/fsscript}
seed=${SEED:-1}
nops=${NOPS:-3000}
verbose=0
[ "${1:-}" = "-v" ] && { verbose=1; shift; }

base=$(mktemp -d /dev/shm/fsdiff.XXXXXX) || exit 1
trap 'rm -rf "$base"' EXIT
mkdir "$base/host"
printf 'host data\n' > "$base/host/file"
chmod 0644 "$base/host/file"

fresh_root() {
	rm -rf "$base/root"
	mkdir "$base/root"
	chmod 1777 "$base/root"
}

if [ $# -eq 0 ]; then
	set -- "$here"/scripts/*.fs
	"$bin" --gen "$seed" "$nops" > "$base/random-$seed.fs"
	set -- "$@" "$base/random-$seed.fs"
fi

fail=0 ops=0
for s in "$@"; do
	name=$(basename "$s")
	fresh_root
	"$bin" "$base/root" "$s" > "$base/real.out" 2>&1
	fresh_root
	"$bin" --backend=lib "$base/root" "$s" > "$base/lib.out" 2>&1
	n=$(wc -l < "$base/real.out")
	ops=$((ops + n))
	if diff -u "$base/real.out" "$base/lib.out" > "$base/diff.out"; then
		echo "ok   $name ($n ops)"
	else
		d=$(grep -c '^-[^-]' "$base/diff.out")
		echo "FAIL $name ($n ops, $d differ)"
		if [ $verbose = 1 ]; then cat "$base/diff.out"; else head -40 "$base/diff.out"; fi
		fail=1
	fi
done
echo "compared $ops operations in $# scripts"
exit $fail

#!/bin/sh
# make bench, the fuzzer's part (docs/fuzzing.md):
# 1. executions per second of one ukcov-fuzz-guest (AFL++'s forkserver
#    loop without AFL++: fork, decode, the /dev/shm side, the ukcov side,
#    clean up, exit), on a long input (the differential suite's 05-rename,
#    48 operations) and a short one (its first 8 operations); where the time
#    goes; the CPU time of the whole tree (guest + supervisor) per execution,
#    which the load of a shared machine does not inflate; and the same input
#    natively with both sides on /dev/shm (the oracle and fork alone).
# 2. with FUZZ_OUT=DIR (a `ukcov fuzz --out DIR` run): the blocks of
#    kernel/fs, kernel/vfs and kernel/syscalls its corpus covers (replayed
#    with this build), against those the differential suite's own scripts
#    cover under ukcov run. BENCH_FUZZ_N=0 skips part 1.
set -eu
B=${1:-build}
UKCOV=$B/bin/ukcov
G=$B/bin/ukcov-fuzz-guest
N=${BENCH_FUZZ_N:-300}
tmp=$(mktemp -d /tmp/ukcov-bench-fuzz.XXXXXX)
host=$(mktemp -d /dev/shm/ukcov-bench-fuzz.XXXXXX)
chmod 0711 "$host"
trap 'rm -rf "$tmp" "$host"' EXIT
"$G" --encode < tests/tmpfs/scripts/05-rename.fs > "$tmp/long"
"$G" --decode "$tmp/long" | head -8 | "$G" --encode > "$tmp/short"
cpu() { # cpu LABEL COMMAND...: the command's output, then its tree's CPU time per execution
	label=$1; shift
	/usr/bin/time -f "%U %S" -o "$tmp/time" "$@" > "$tmp/out"
	sed 's/^/  /' "$tmp/out"
	awk -v n="$N" -v l="$label" '{ printf "  %s: CPU (user+sys, guest and supervisor) %.0f us per execution\n", l, ($1 + $2) * 1e6 / n }' "$tmp/time"
}
[ "$N" -gt 0 ] && for input in long short; do
	echo "fuzz guest, $input input ($("$G" --decode "$tmp/$input" | wc -l) operations), $N executions:"
	cpu "under ukcov run" "$UKCOV" run --tmpfs=/mnt/fz -- "$G" --bench="$N" --host="$host" --mount=/mnt/fz "$tmp/$input"
	mkdir -p "$host/m" && chmod 0711 "$host/m"
	cpu "natively, /dev/shm twice" "$G" --no-kcov --bench="$N" --host="$host" --mount="$host/m" "$tmp/$input"
	rm -rf "${host:?}/m"
done
[ "$N" -gt 0 ] && echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"

[ -n "${FUZZ_OUT:-}" ] || exit 0
# Per folder: blocks whose PC is in the file(s), of all blocks of the binary.
per_folder() { # per_folder PCS...
	"$UKCOV" symbolize --all | awk 'NR % 2 == 0' | sed 's/:.*//' > "$tmp/all.files"
	"$UKCOV" symbolize --all | awk 'NR % 2 == 1' > "$tmp/all.pcs"
	cat "$@" | sed 's/^0x//; s/^/0x/' | sort -u > "$tmp/hit.pcs"
	paste -d' ' "$tmp/all.pcs" "$tmp/all.files" | awk -v hits="$tmp/hit.pcs" '
		BEGIN { while ((getline l < hits) > 0) hit[l] = 1 }
		{ split($2, p, "/"); d = p[1] "/" p[2] "/"; total[d]++; if ($1 in hit) got[d]++ }
		END { for (d in total) printf "  %-18s %5d of %5d blocks (%.1f%%)\n", d, got[d], total[d], 100 * got[d] / total[d] }' | sort
}
# The corpus replayed with this build (PCs are stable for one binary only).
"$UKCOV" run --coverage="$tmp/corpus.pcs" --tmpfs=/mnt/fz -- "$G" --replay --host="$host" \
	--mount=/mnt/fz "$FUZZ_OUT"/corpus/* > /dev/null 2>&1 || true
echo "blocks the corpus of $FUZZ_OUT covers ($(ls "$FUZZ_OUT/corpus" | wc -l) inputs, replayed):"
per_folder "$tmp/corpus.pcs"
echo "blocks the differential suite's scripts cover (tests/tmpfs/scripts, ukcov run --coverage):"
for s in tests/tmpfs/scripts/*.fs; do
	root=$(mktemp -d /dev/shm/ukcov-bench-suite.XXXXXX)
	"$UKCOV" run --coverage="$tmp/suite.$(basename "$s").pcs" --tmpfs="$root/root" -- \
		"$B/tests/tmpfs/fsscript" "$root/root" "$s" > /dev/null 2>&1 || true
	rm -rf "$root"
done
per_folder "$tmp"/suite.*.pcs
echo "both together:"
per_folder "$tmp/corpus.pcs" "$tmp"/suite.*.pcs

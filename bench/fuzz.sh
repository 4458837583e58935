#!/bin/sh
# make bench, the fuzzer's part (docs/ukcov-fuzz.md, "Speed"):
# 1. executions per second of one ukcov-fuzz-guest under ukcov run (AFL++'s
#    forkserver loop without AFL++, the forkserver's own code), on a long
#    input (the differential suite's 05-rename, 48 operations) and a short
#    one (its first 8), in two designs, interleaved round by round:
#      old: the /dev/shm side in the sandboxed guest, a fork per input,
#           the supervisor's TMPDIR /tmp (ext4 here)
#      new: the /dev/shm side in the oracle process (--with-oracle), a
#           persistent child (1000 inputs), TMPDIR=/dev/shm as `ukcov fuzz`
#           sets it
#      new/tmp: new with TMPDIR=/tmp (what TMPDIR alone is worth)
#      base: new, with the ukcov and guest of another build
#           (BENCH_FUZZ_BASE=DIR, DIR/bin/ukcov: a build before a change)
#    (BENCH_FUZZ_DESIGNS picks some: "base new")
#    and, as the load of a shared machine inflates wall time, what it does
#    not: the CPU time of the whole tree (guest, supervisor, oracle) per
#    execution, and the trapped calls per execution (ukcov run -v). Then
#    where one execution's time goes, for each design.
# 2. with FUZZ_OUT=DIR (a `ukcov fuzz --out DIR` run): the blocks of
#    kernel/fs, kernel/vfs and kernel/syscalls its corpus covers (replayed
#    with this build), against those the differential suite's own scripts
#    cover under ukcov run. BENCH_FUZZ_N=0 skips part 1.
#    With CHECK_PCS=DIR (`UKCOV_COVERAGE_DIR=DIR make check` with this
#    build: every `ukcov run` of the tests writes its coverage there), also
#    what the whole test suite covers, and the corpus with it.
set -eu
B=${1:-build}
UKCOV=$B/bin/ukcov
G=$B/bin/ukcov-fuzz-guest
N=${BENCH_FUZZ_N:-300}
ROUNDS=${BENCH_FUZZ_ROUNDS:-3}
designs=${BENCH_FUZZ_DESIGNS:-"old new new/tmp${BENCH_FUZZ_BASE:+ base}"}
tmp=$(mktemp -d /tmp/ukcov-bench-fuzz.XXXXXX)
host=$(mktemp -d /dev/shm/ukcov-bench-fuzz.XXXXXX)
chmod 0711 "$host"
trap 'rm -rf "$tmp" "$host"' EXIT
"$G" --encode < tests/tmpfs/scripts/05-rename.fs > "$tmp/long"
"$G" --decode "$tmp/long" | head -8 | "$G" --encode > "$tmp/short"
design() { # design old|new N INPUT [ukcov run options]: the command line
	d=$1 n=$2 in=$3; shift 3
	case $d in
	old) echo "env TMPDIR=/tmp $UKCOV run $* --tmpfs=/mnt/fz -- $G --persist=1 --bench=$n --host=$host --mount=/mnt/fz $in" ;;
	new) echo "env TMPDIR=/dev/shm $G --with-oracle --host=$host -- $UKCOV run $* --tmpfs=/mnt/fz -- $G --bench=$n --host=$host --mount=/mnt/fz $in" ;;
	new/tmp) echo "env TMPDIR=/tmp $G --with-oracle --host=$host -- $UKCOV run $* --tmpfs=/mnt/fz -- $G --bench=$n --host=$host --mount=/mnt/fz $in" ;;
	base) bg=$BENCH_FUZZ_BASE/bin/ukcov-fuzz-guest
	      echo "env TMPDIR=/dev/shm $bg --with-oracle --host=$host -- $BENCH_FUZZ_BASE/bin/ukcov run $* --tmpfs=/mnt/fz -- $bg --bench=$n --host=$host --mount=/mnt/fz $in" ;;
	esac
}
one() { # one DESIGN INPUT: "execs/s cpu-us-per-exec", the phases into $tmp/phases.DESIGN.INPUT
	/usr/bin/time -f "%U %S" -o "$tmp/time" $(design "$1" "$N" "$tmp/$2") > "$tmp/out"
	cp "$tmp/out" "$tmp/phases.$(echo $1 | tr / _).$2"
	awk -v n="$N" 'NR == FNR { if (FNR == 1) r = $6; next } { printf "%s %.0f\n", r, ($1 + $2) * 1e6 / n }' \
		"$tmp/out" "$tmp/time"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
if [ "$N" -gt 0 ]; then
	echo "fuzz guest under ukcov run, $N executions a run, $ROUNDS rounds interleaved ($designs):"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		for input in long short; do
			for d in $designs; do
				one $d $input >> "$tmp/res.$(echo $d | tr / _).$input"
			done
		done
		r=$((r + 1))
	done
	for input in long short; do
		ops=$("$G" --decode "$tmp/$input" | wc -l)
		for d in $designs; do
			f=$tmp/res.$(echo $d | tr / _).$input
			# trapped calls per execution: ukcov run -v logs each one; 40
			# executions less 20, without the start's
			for n in 20 40; do
				$(design $d $n "$tmp/$input" -v) > /dev/null 2> "$tmp/v"
				echo "$(grep -c '^ukcov: \[' "$tmp/v" || true)"
			done > "$tmp/calls"
			printf '  %-7s %2d operations: %5s execs/s (median; runs: %s)  CPU %5s us/exec  %4d trapped calls/exec\n' \
				$d "$ops" "$(cut -d' ' -f1 "$f" | median)" \
				"$(cut -d' ' -f1 "$f" | tr '\n' ' ' | sed 's/ $//')" \
				"$(cut -d' ' -f2 "$f" | median)" $(( ($(sed -n 2p "$tmp/calls") - $(sed -n 1p "$tmp/calls")) / 20 ))
		done
	done
	for d in $designs; do
		[ "$d" != new/tmp ] || continue
		echo "where one execution's time goes, $d design, long input (last round):"
		sed 1d "$tmp/phases.$d.long"
	done
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
fi

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
# The corpus replayed with this build (PCs are stable for one binary only),
# with the oracle process as `ukcov fuzz` ran it (its mount namespace: the
# inputs' mount(2) lines decode only there).
"$G" --with-oracle --host="$host" -- "$UKCOV" run --coverage="$tmp/corpus.pcs" --tmpfs=/mnt/fz --fault-injection -- \
	"$G" --replay --host="$host" --mount=/mnt/fz "$FUZZ_OUT"/corpus/* > /dev/null 2>&1 || true
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
[ -n "${CHECK_PCS:-}" ] || exit 0
echo "blocks make check's runs cover ($(ls "$CHECK_PCS" | wc -l) ukcov runs, $CHECK_PCS):"
per_folder "$CHECK_PCS"/*.pcs
echo "make check's runs and the corpus together:"
per_folder "$CHECK_PCS"/*.pcs "$tmp/corpus.pcs"

#!/bin/sh
# make bench PROOT_SRC=DIR (after bench/run.sh): the probe syscall read(-1)
# under proot, timed by bench/roundtrip inside the tracee, in interleaved
# rounds of upstream proot, ukcov's proot without --kcov, with --kcov (the
# guest not tracing), and with --kcov and the guest tracing (TRACE_PC, the
# counter-mode build and the trace-mode one). With seccomp acceleration off
# (PROOT_NO_SECCOMP=1) every syscall stops in proot, the probe included; with
# it on, read() does not stop and costs what it costs natively, kcov or not.
# Prints, per variant, the smallest and the median ns per call with their
# ratios to upstream proot, and writes $B/bench-proot.txt.
# BENCH_REPORT_ONLY=1: the table from an existing $B/bench-proot.raw.
set -eu
B=${1:-build}
P=$B/integrations/proot
N=${BENCH_PROOT_N:-3000}
ROUNDS=${BENCH_ROUNDS:-5}
RAW=$B/bench-proot.raw
OUT=$B/bench-proot.txt
for f in proot proot-trace proot-upstream; do
	[ -x "$P/$f" ] || { echo "bench/proot.sh: $P/$f is not built (make proot PROOT_SRC=DIR)" >&2; exit 1; }
done
PIN=""
if [ "${BENCH_PIN:-1}" != 0 ] && command -v taskset >/dev/null 2>&1; then
	PIN="taskset -c $(($(nproc) - 1))"
fi
run() { # run TAG SECCOMP-OFF PROOT [ARGS]
	tag=$1 off=$2
	shift 2
	if [ "$off" = 1 ]; then
		PROOT_NO_SECCOMP=1 $PIN "$@" -r / "$B/bench/roundtrip" "$N" 2>/dev/null | sed "s/^/$tag /" >>"$RAW"
	else
		$PIN "$@" -r / "$B/bench/roundtrip" "$N" 2>/dev/null | sed "s/^/$tag /" >>"$RAW"
	fi
}
if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
: >"$RAW"
echo "bench: proot ($ROUNDS interleaved rounds, $N probes each)" >&2
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	run upstream 1 "$P/proot-upstream"
	run off 1 "$P/proot"
	run on 1 "$P/proot" --kcov
	run on-trace 1 "$P/proot-trace" --kcov
	run upstream-seccomp 0 "$P/proot-upstream"
	run on-seccomp 0 "$P/proot" --kcov
	r=$((r + 1))
done
fi
# The median of the rounds' medians (column 4), or the smallest min (column 3), of a figure.
med() { awk -v t="$1" -v f="$2" '$1 == t && $2 == f { print $4 }' "$RAW" | sort -n |
	awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
min() { awk -v t="$1" -v f="$2" '$1 == t && $2 == f { print $3 }' "$RAW" | sort -n | head -1; }
bmin=$(min upstream read-1) bmed=$(med upstream read-1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
{
	echo "proot: read(-1), ns per call (min and median of $ROUNDS rounds), ratios to upstream proot"
	printf '  %-42s %7s %5s %7s %5s\n' variant min ratio median ratio
	line() { # line NAME TAG FIGURE
		mi=$(min "$2" "$3") me=$(med "$2" "$3")
		printf '  %-42s %7s %5s %7s %5s\n' "$1" "$mi" "$(ratio "$mi" "$bmin")" "$me" "$(ratio "$me" "$bmed")"
	}
	line "upstream proot (every syscall stopped)" upstream read-1
	line "proot, no --kcov" off read-1
	line "proot --kcov, guest not tracing" on read-1
	line "proot --kcov, guest tracing (counters)" on read-1+kcov
	line "proot-trace --kcov, guest tracing" on-trace read-1+kcov
	line "upstream proot, seccomp on (not stopped)" upstream-seccomp read-1
	line "proot --kcov, seccomp on, tracing" on-seccomp read-1+kcov
	echo "  PCs per probe under proot --kcov: $(awk '$1 == "on" && $2 == "pcs-per-probe" { print $3; exit }' "$RAW")"
} | tee "$OUT"

#!/bin/sh
# make bench PROOT_SRC=DIR (after bench/run.sh): the probe syscall read(-1)
# under proot, timed by bench/roundtrip inside the tracee, in interleaved
# rounds of upstream proot, ukcov's proot without --kcov, with --kcov (the
# guest not tracing), and with --kcov and the guest tracing (TRACE_PC, the
# counter-mode build and the trace-mode one). With seccomp acceleration off
# (PROOT_NO_SECCOMP=1) every syscall stops in proot, the probe included; with
# it on, read() does not stop and costs what it costs natively, kcov or not.
# Prints "variant median-ns ratio-to-upstream" and writes $B/bench-proot.txt.
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
: >"$RAW"
run() { # run TAG SECCOMP-OFF PROOT [ARGS]
	tag=$1 off=$2
	shift 2
	if [ "$off" = 1 ]; then
		PROOT_NO_SECCOMP=1 $PIN "$@" -r / "$B/bench/roundtrip" "$N" 2>/dev/null | sed "s/^/$tag /" >>"$RAW"
	else
		$PIN "$@" -r / "$B/bench/roundtrip" "$N" 2>/dev/null | sed "s/^/$tag /" >>"$RAW"
	fi
}
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
# The median of the rounds' medians of one variant's figure.
med() { awk -v t="$1" -v f="$2" '$1 == t && $2 == f { print $4 }' "$RAW" | sort -n |
	awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
base=$(med upstream read-1)
{
	echo "proot: read(-1), ns per call (median of $ROUNDS rounds), ratio to upstream proot"
	printf '  %-40s %8s %6s\n' variant ns ratio
	line() { printf '  %-40s %8s %6s\n' "$1" "$2" "$(awk -v a="$2" -v b="$base" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"; }
	line "upstream proot (every syscall stopped)" "$base"
	line "proot, no --kcov" "$(med off read-1)"
	line "proot --kcov, guest not tracing" "$(med on read-1)"
	line "proot --kcov, guest tracing (counters)" "$(med on read-1+kcov)"
	line "proot-trace --kcov, guest tracing" "$(med on-trace read-1+kcov)"
	line "upstream proot, seccomp on (not stopped)" "$(med upstream-seccomp read-1)"
	line "proot --kcov, seccomp on, tracing" "$(med on-seccomp read-1+kcov)"
	echo "  PCs per probe under proot --kcov: $(awk '$1 == "on" && $2 == "pcs-per-probe" { print $3; exit }' "$RAW")"
} | tee "$OUT"

#!/bin/sh
# make bench: speed as ratios against baselines measured in the same script
# (this machine is noisy; absolute numbers are shown only as context).
set -eu
B=${1:-build}
UKCOV=$B/bin/ukcov
N=${BENCH_N:-20000}
get() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

native=$("$B/bench/roundtrip" "$N")
sync=$("$UKCOV" run -- "$B/bench/roundtrip" "$N")
nosync=$("$UKCOV" run --no-sync-wakeup -- "$B/bench/roundtrip" "$N")

g0=$(get "$native" getpid); r0=$(get "$native" read-1)
g1=$(get "$sync" getpid); r1=$(get "$sync" read-1); k1=$(get "$sync" read-1+kcov)
r2=$(get "$nosync" read-1); k2=$(get "$nosync" read-1+kcov)
echo "syscall round trips (median ns per call; ratios are what to compare)"
printf '  %-44s %8s ns\n' "native getpid" "$g0"
printf '  %-44s %8s ns   %5sx native getpid\n' "untrapped getpid under ukcov" "$g1" "$(ratio "$g1" "$g0")"
printf '  %-44s %8s ns\n' "native read(-1)" "$r0"
printf '  %-44s %8s ns   %5sx native read(-1)\n' "trapped read(-1), kcov off" "$r1" "$(ratio "$r1" "$r0")"
printf '  %-44s %8s ns   %5sx kcov off (%s PCs per call)\n' "trapped read(-1), kcov on" "$k1" "$(ratio "$k1" "$r1")" "$(get "$sync" pcs-per-probe)"
printf '  %-44s %8s ns   %5sx with SYNC_WAKE_UP\n' "trapped read(-1), kcov off, no SYNC_WAKE_UP" "$r2" "$(ratio "$r2" "$r1")"
printf '  %-44s %8s ns   %5sx with SYNC_WAKE_UP\n' "trapped read(-1), kcov on, no SYNC_WAKE_UP" "$k2" "$(ratio "$k2" "$k1")"

echo
echo "trace mode (ukcov run --mode=trace) against counter mode, same probe;"
echo "three runs of each mode, interleaved, the fastest of each figure (this machine is shared)"
cnt=""; trc=""
for i in 1 2 3; do
	cnt="$cnt
$("$UKCOV" run --mode=counters -- "$B/bench/roundtrip" "$N")"
	trc="$trc
$("$UKCOV" run --mode=trace -- "$B/bench/roundtrip" "$N")"
done
best() { echo "$1" | awk -v k="$2" '$1 == k && (m == "" || $2 < m) { m = $2 } END { print m }'; }
r1=$(best "$cnt" read-1); k1=$(best "$cnt" read-1+kcov); u1=$(best "$cnt" read-1+unique)
r3=$(best "$trc" read-1); k3=$(best "$trc" read-1+kcov); c3=$(best "$trc" read-1+cmp); u3=$(best "$trc" read-1+unique)
printf '  %-30s %14s %14s %12s %14s\n' "trapped read(-1)" "counters" "trace" "trace/count" "trace/native"
row() { printf '  %-30s %11s ns %11s ns %11sx %13sx\n' "$1" "$2" "$3" "$(ratio "$3" "$2")" "$(ratio "$3" "$r0")"; }
row "kcov off" "$r1" "$r3"
row "kcov TRACE_PC" "$k1" "$k3"
row "kcov UNIQUE (no new PC)" "$u1" "$u3"
printf '  %-30s %14s %11s ns %12s %13sx\n' "kcov TRACE_CMP" "ENOTSUPP" "$c3" "-" "$(ratio "$c3" "$r0")"
printf '  PCs per read(-1): counters %s (a set), trace %s (with repeats); CMP records per read(-1): %s\n' \
	"$(best "$cnt" pcs-per-probe)" "$(best "$trc" pcs-per-probe)" "$(best "$trc" cmps-per-probe)"
printf '  kcov on vs off: counters TRACE_PC %sx, UNIQUE %sx; trace TRACE_PC %sx, CMP %sx, UNIQUE %sx\n' \
	"$(ratio "$k1" "$r1")" "$(ratio "$u1" "$r1")" "$(ratio "$k3" "$r3")" "$(ratio "$c3" "$r3")" "$(ratio "$u3" "$r3")"

echo
echo "inside the kernel, libukcov alone (bench/hooks.c): one syscall running 16384 blocks (512 distinct)"
hc=$("$B/bench/hooks"); ht=$("$B/bench/hooks-trace")
printf '  %-34s %10s %10s %12s\n' "" "counters" "trace" "trace/count"
hrow() { printf '  %-34s %7s ns %7s ns %11sx\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"; }
hrow "kcov off (nobody traces)" "$(get "$hc" counters-off)" "$(get "$ht" trace-off)"
hrow "TRACE_PC" "$(get "$hc" counters-pc)" "$(get "$ht" trace-pc)"
hrow "UNIQUE (no new PC)" "$(get "$hc" counters-unique)" "$(get "$ht" trace-unique)"
printf '  %-34s %10s %7s ns\n' "TRACE_CMP" "ENOTSUPP" "$(get "$ht" trace-cmp)"
printf '  PC mode writes %s PCs per syscall in counter mode (a set), %s in trace mode (the trace)\n' \
	"$(get "$hc" counters-blocks)" "$(get "$ht" trace-blocks)"
printf '  trace mode per block executed: off %s ns, TRACE_PC %s ns (counter mode off: %s ns)\n' \
	"$(awk -v a="$(get "$ht" trace-off)" 'BEGIN { printf "%.1f", a / 16384 }')" \
	"$(awk -v a="$(get "$ht" trace-pc)" 'BEGIN { printf "%.1f", a / 16384 }')" \
	"$(awk -v a="$(get "$hc" counters-off)" 'BEGIN { printf "%.1f", a / 16384 }')"

echo
echo "file-system operations: ukcov's tmpfs (ukcov run --tmpfs) vs Linux's (/dev/shm), same binary"
shm=$(mktemp -d /dev/shm/ukcov-bench.XXXXXX)
linux=$("$B/bench/tmpfs_ops" "$shm")
ukcov=$("$UKCOV" run --tmpfs=/mnt/ukcov-bench -- "$B/bench/tmpfs_ops" /mnt/ukcov-bench)
rm -rf "$shm"
for op in stat-depth5 open+close pwrite-4k pread-4k create+unlink; do
	l=$(get "$linux" "$op"); u=$(get "$ukcov" "$op")
	printf '  %-16s Linux %7s ns   ukcov %7s ns   %6sx\n' "$op" "$l" "$u" "$(ratio "$u" "$l")"
done

echo
echo "the counter-mode flush (libukcov, one process): $(get "$($B/bench/flush)" blocks) blocks in 2048 functions"
fl=$("$B/bench/flush")
for e in 100 10 1; do
	sk=$(get "$fl" "skip-1/$e"); fu=$(get "$fl" "full-1/$e"); by=$(get "$fl" "bytes-1/$e")
	printf '  1/%-3s of the functions ran: entry-skip %6s ns, full word scan %6s ns, byte loop %6s ns: skip is %sx the byte loop\n' \
		"$e" "$sk" "$fu" "$by" "$(ratio "$by" "$sk")"
done

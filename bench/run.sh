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
nothread=$(UKCOV_FORCE_FALLBACKS=pidfd_thread "$UKCOV" run -- "$B/bench/roundtrip" "$N")

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
r3=$(get "$nothread" read-1); k3=$(get "$nothread" read-1+kcov)
printf '  %-44s %8s ns   %5sx with PIDFD_THREAD\n' "trapped read(-1), kcov off, no PIDFD_THREAD" "$r3" "$(ratio "$r3" "$r1")"
printf '  %-44s %8s ns   %5sx with PIDFD_THREAD\n' "trapped read(-1), kcov on, no PIDFD_THREAD" "$k3" "$(ratio "$k3" "$k1")"

echo
echo "file-system operations: ukcov's tmpfs (ukcov run --tmpfs) vs Linux's (/dev/shm), same binary"
shm=$(mktemp -d /dev/shm/ukcov-bench.XXXXXX)
linux=$("$B/bench/tmpfs_ops" "$shm")
ukcov=$("$UKCOV" run --tmpfs=/mnt/ukcov-bench -- "$B/bench/tmpfs_ops" /mnt/ukcov-bench)
# Before Linux 6.9: guest fds looked at through /proc/TID/fd/N, not pidfd_getfd.
old=$(UKCOV_FORCE_FALLBACKS=pidfd_thread "$UKCOV" run --tmpfs=/mnt/ukcov-bench -- "$B/bench/tmpfs_ops" /mnt/ukcov-bench)
rm -rf "$shm"
for op in stat-depth5 open+close pwrite-4k pread-4k create+unlink; do
	l=$(get "$linux" "$op"); u=$(get "$ukcov" "$op"); o=$(get "$old" "$op")
	printf '  %-16s Linux %7s ns   ukcov %7s ns   %6sx   without PIDFD_THREAD %7s ns (%sx)\n' \
		"$op" "$l" "$u" "$(ratio "$u" "$l")" "$o" "$(ratio "$o" "$u")"
done

echo
echo "the counter-mode flush (libukcov, one process): $(get "$($B/bench/flush)" blocks) blocks in 2048 functions"
fl=$("$B/bench/flush")
for e in 100 10 1; do
	sk=$(get "$fl" "skip-1/$e"); fu=$(get "$fl" "full-1/$e"); by=$(get "$fl" "bytes-1/$e")
	printf '  1/%-3s of the functions ran: entry-skip %6s ns, full word scan %6s ns, byte loop %6s ns: skip is %sx the byte loop\n' \
		"$e" "$sk" "$fu" "$by" "$(ratio "$by" "$sk")"
done

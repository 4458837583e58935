#!/bin/sh
# make soak: many short-lived kcov clients, threads and tmpfs operations in
# parallel under one `ukcov run` for SOAK_SECONDS (default 600). Every
# SOAK_INTERVAL seconds (default 60) the supervisor's open fds, resident
# memory and kcov instances (its kcov memfds) are sampled; after the first
# sample (warm-up) they must stay flat, the guest must see zero errors and
# every probe's coverage must stay exact (soak.c checks that).
set -u
B=${1:-build}
SECS=${SOAK_SECONDS:-600}
STEP=${SOAK_INTERVAL:-60}
UKCOV=$B/bin/ukcov
"$UKCOV" run --tmpfs=/mnt/ukcov-soak -- "$B/tests/soak/soak" /mnt/ukcov-soak "$SECS" &
pid=$!
sample() { # fds rss_kib kcovs
	fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	kcovs=$(for f in /proc/$pid/fd/*; do readlink "$f"; done 2>/dev/null | grep -c 'memfd:kcov')
	echo "$fds ${rss:-0} $kcovs"
}
printf '%8s %8s %10s %8s\n' "time s" "fds" "RSS KiB" "kcovs"
t=0 base="" worst=0 fails=0
while kill -0 "$pid" 2>/dev/null; do
	sleep "$STEP"
	t=$((t + STEP))
	kill -0 "$pid" 2>/dev/null || break
	set -- $(sample)
	printf '%8d %8d %10d %8d\n' "$t" "$1" "$2" "$3"
	if [ -z "$base" ]; then
		base="$1 $2 $3"
		continue
	fi
	set -- $base "$@"
	# Flat: fds other than kcov memfds within a small slack of the warm-up
	# sample; kcov instances within the collector's bound (unheld ones are
	# collected when their number doubles past 32, kcovfs.c); memory within
	# 25% (allocator noise).
	# The pidfd cache of recently served threads (64 slots, task/tasks.c) may
	# still be filling at the warm-up sample: it is part of the bound.
	[ $(( $4 - $6 )) -le $(( $1 - $3 + 64 + 16 )) ] || { echo "soak: supervisor fds grew: $1 -> $4"; fails=1; }
	kbound=$(( ($3 > 32 ? $3 : 32) * 2 + 8 ))
	[ "$6" -le "$kbound" ] || { echo "soak: kcov instances grew: $3 -> $6 (bound $kbound)"; fails=1; }
	[ "$5" -le $(( $2 + $2 / 4 + 1024 )) ] || { echo "soak: supervisor RSS grew: $2 -> $5 KiB"; fails=1; }
done
wait "$pid"
rc=$?
[ $rc = 0 ] || { echo "soak: the guest failed (exit $rc)"; fails=1; }
[ -n "$base" ] || echo "soak: note: shorter than two samples, nothing to compare (SOAK_SECONDS >= 2 * SOAK_INTERVAL)"
[ $fails = 0 ] && echo "soak: flat and exact for ${SECS}s"
exit $fails

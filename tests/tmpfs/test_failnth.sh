#!/bin/sh
# /proc/thread-self/fail-nth under ukcov run --fault-injection (failnth.c):
# the file's ABI, per-thread counters, and every fault site of 23 calls in
# a mount, each failed call ENOMEM with nothing changed. Without the option
# nothing is served: the guest gets the host's own answer.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
BIN=$B/tests/tmpfs/failnth
out=$("$UKCOV" run --fault-injection --tmpfs=/mnt/ukcov-fn -- "$BIN" /mnt/ukcov-fn) || {
	echo "$out"; echo "FAIL: failnth exited $?"; exit 1; }
echo "$out" | grep -v '^call '
if echo "$out" | grep -q FAIL; then
	exit 1
fi
# the sites are there: most calls have some, and they fail the call
sites=$(echo "$out" | awk '/^call / { s += $3 } END { print s + 0 }')
[ "$sites" -ge 40 ] || { echo "FAIL: only $sites fault sites in 23 calls"; exit 1; }
host=$("$BIN" --probe)
got=$("$UKCOV" run --tmpfs=/mnt/ukcov-fn -- "$BIN" --probe)
[ "$got" = "$host" ] || { echo "FAIL: without --fault-injection: $got, the host says $host"; exit 1; }
echo "ok: $sites fault sites; without the option the host's answer ($host)"

#!/bin/sh
# FIFOs in a mount behave as on Linux's tmpfs: the C guest (fork producer/
# consumer, a blocking open answered while another thread works, ENXIO,
# EPIPE, EINTR; 64 waiters killed or restarted) on /dev/shm and under ukcov, and shell pipelines through a
# fifo whose output must match /dev/shm's.
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
ref=$(mktemp -d /dev/shm/ukcov-fifo.XXXXXX) || exit 1
trap 'rm -rf "$ref"' EXIT
fail=0
"$B/tests/tmpfs/fifo" "$ref" || { echo "FAIL: the guest fails on Linux's tmpfs"; fail=1; }
rm -rf "$ref"/*
"$UKCOV" run --tmpfs=/mnt/ukcov-fifo -- "$B/tests/tmpfs/fifo" /mnt/ukcov-fifo || { echo "FAIL: fifo guest under ukcov"; fail=1; }
# Many waiters: killed with their process, restarted after SA_RESTART signals.
"$B/tests/tmpfs/fifo_waiters" "$ref" || { echo "FAIL: fifo_waiters fails on Linux's tmpfs"; fail=1; }
rm -rf "$ref"/*
"$UKCOV" run --tmpfs=/mnt/ukcov-fifo -- "$B/tests/tmpfs/fifo_waiters" /mnt/ukcov-fifo || { echo "FAIL: fifo_waiters under ukcov"; fail=1; }

# Each script gets D (a fresh directory) and prints what it sees. (The late
# writer lives on after its write: its exit's SIGCHLD must not land in the
# middle of the shell's byte-by-byte `read`, whose trapped reads it would
# interrupt: the EINTR deviation of docs/deviations.md, seen under QEMU's slow emulation.)
scripts='
cd "$D" && mkfifo p && (echo hi > "$D/p" &) ; cat "$D/p"
mkfifo "$D/q" && (seq 1 20000 > "$D/q" &) ; wc -l < "$D/q"
mkfifo "$D/r" && { (sleep 0.2; echo late > "$D/r"; sleep 0.5) & } ; read x < "$D/r"; echo "$x"; wait
mkfifo -m 0640 "$D/s"; stat -c "%F %a %s %h" "$D/s"; ln "$D/s" "$D/t"; mv "$D/t" "$D/u"; stat -c "%F %h" "$D/u"; ls -l "$D" | sed -n "s/^\(p[-rwx]*\) .* \([a-z]*\)$/\1 \2/p"
mkfifo "$D/v" && exec 3<>"$D/v" && echo through >&3 && head -n1 <&3 && exec 3>&-
mkfifo "$D/w"; (exec 4<"$D/w"; cat <&4) & sleep 0.1; echo a > "$D/w"; wait; echo done
mkfifo "$D/x"; test -p "$D/x" && echo is-fifo; [ -w "$D/x" ] && echo writable; rm "$D/x"; test -e "$D/x" || echo gone
'
printf "%s\n" "$scripts" | while IFS= read -r s; do
	[ -n "$s" ] || continue
	rm -rf "$ref" && mkdir -p "$ref"
	want=$(D=$ref timeout 10 sh -c "$s" 2>&1)
	got=$(D=/mnt/ukcov-fifo timeout 10 "$UKCOV" run --tmpfs=/mnt/ukcov-fifo -- sh -c "$s" 2>&1)
	if [ "$want" = "$got" ]; then
		printf "ok   %s\n" "$s"
	else
		printf "FAIL %s\n" "$s"
		echo "  /dev/shm: $want" | head -5
		echo "  ukcov:    $got" | head -5
		exit 1
	fi
done || fail=1

# Relative paths in a subshell's child (a process that made no trapped
# syscall of its own): its cwd is the mount's too (fsctx.c). Run from a
# scratch host directory, which must stay empty.
s='cd "$D" && mkfifo p && (echo hi > p &) ; cat p'
scratch=$(mktemp -d /tmp/ukcov-fifo-cwd.XXXXXX) || exit 1
rm -rf "$ref" && mkdir -p "$ref"
want=$(D=$ref timeout 10 sh -c "$s" 2>&1)
got=$(cd "$scratch" && D=/mnt/ukcov-fifo TMPDIR=$scratch timeout 5 "$UKCOV" run --tmpfs=/mnt/ukcov-fifo -- sh -c "$s" 2>&1)
if [ "$want" = "$got" ] && [ -z "$(ls -A "$scratch")" ]; then
	printf "ok   %s\n" "$s"
else
	printf "FAIL %s (got '%s'; host dir: %s)\n" "$s" "$got" "$(ls -A "$scratch")"
	fail=1
fi
rm -rf "$scratch"
exit $fail

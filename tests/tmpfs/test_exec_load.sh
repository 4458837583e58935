#!/bin/sh
# execve(2) of files inside a mount under load (exec_load.c), each case on
# Linux's tmpfs (/dev/shm) and inside `ukcov run --tmpfs`: exec loops,
# SA_RESTART signal streams, a vfork from a handler while other trapped calls
# are timed, PROG killed during exec (exit 137, no survivors), long names,
# small alternate stacks, the mask and pending signals a program exec'd
# by the leader or another thread starts with.
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
T=$B/tests/tmpfs/exec_load
M=/mnt/ukcov-exec-load
shm=$(mktemp -d /dev/shm/ukcov-exec-load.XXXXXX)
pidfile=$(mktemp /tmp/ukcov-exec-load.XXXXXX)
trap 'rm -rf "$shm" "$pidfile"' EXIT
fails=0
# make check runs a quarter of each count and a 1 s vfork window (about 6 s);
# UKCOV_TEST_FULL=1 the issue's full counts (200 execs under a signal stream,
# 30 kills, 3 s of vfork).
if [ -n "${UKCOV_TEST_FULL:-}" ]; then n=200 nl=50 nk=30 nv=3; else n=50 nl=15 nk=8 nv=1; fi

# both CASE ARGS...: natively on /dev/shm, then inside a mount (the status
# of each run kept in a file: a pipeline's is sed's).
both() {
	c=$1; shift
	rm -rf "${shm:?}"/*
	{ "$T" "$c" "$shm" "$@"; echo $? >"$pidfile.rc"; } | sed 's/^/  native: /'
	[ "$(cat "$pidfile.rc")" = 0 ] || { echo "FAIL: $c on Linux's tmpfs"; fails=$((fails + 1)); }
	{ "$UKCOV" run --tmpfs=$M -- "$T" "$c" $M "$@"; echo $? >"$pidfile.rc"; } | sed 's/^/  ukcov:  /'
	[ "$(cat "$pidfile.rc")" = 0 ] || { echo "FAIL: $c inside ukcov run --tmpfs"; fails=$((fails + 1)); }
	rm -f "$pidfile.rc"
}

both loop $n
both signals $n
both vfork $nv
both leaderexit $nl
both mask
both names
both altstack

# PROG killed by its own child while it execs itself from the mount, again
# and again: ukcov exits 137 as the shell does natively, and the child
# (asleep for 30 s) does not outlive it.
survivors=0 wrong=0
for i in $(seq 1 $nk); do
	"$UKCOV" run --tmpfs=$M -- "$T" killme $M "$pidfile"
	rc=$?
	[ $rc = 137 ] || { echo "  run $i: ukcov exited $rc"; wrong=$((wrong + 1)); }
	pid=$(cat "$pidfile")
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		survivors=$((survivors + 1))
		kill -9 "$pid"
	fi
done
rm -rf "${shm:?}"/*
# (In a shell of its own: ours would print "Killed".)
# (Into a file: a pipe would wait for the 30 s sleeper, which holds it open.)
sh -c '"$@"; echo $?' sh "$T" killme "$shm" "$pidfile" >"$pidfile.out" 2>/dev/null
rc=$(tail -n 1 "$pidfile.out")
rm -f "$pidfile.out"
kill -9 "$(cat "$pidfile")" 2>/dev/null
echo "killme: natively exit $rc; under ukcov $wrong of $nk runs not 137, $survivors survivors"
[ $rc = 137 ] || { echo "FAIL: natively killme exited $rc"; fails=$((fails + 1)); }
[ $wrong = 0 ] && [ $survivors = 0 ] || { echo "FAIL: killme under ukcov"; fails=$((fails + 1)); }
exit $((fails != 0))

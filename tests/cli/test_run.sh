#!/bin/sh
# ukcov run as a command: exit status, signals, exec errors, stdio, usage.
set -u
UKCOV=${UKCOV:-build/bin/ukcov}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$UKCOV" run -- sh -c 'exit 3'; rc=$?
[ $rc = 3 ] || fail "exit status: expected 3 got $rc"
"$UKCOV" run -- sh -c 'kill -KILL $$'; rc=$?
[ $rc = 137 ] || fail "killed by SIGKILL: expected 137 got $rc"
"$UKCOV" run -- sh -c 'kill -TERM $$'; rc=$?
[ $rc = 143 ] || fail "killed by SIGTERM: expected 143 got $rc"
out=$("$UKCOV" run -- /nonexistent/prog 2>&1); rc=$?
[ $rc = 127 ] || fail "missing program: expected 127 got $rc"
echo "$out" | grep -q "cannot execute '/nonexistent/prog': No such file or directory" ||
	fail "missing program: message was '$out'"
out=$("$UKCOV" run -- /etc/passwd 2>&1); rc=$?
[ $rc = 126 ] || fail "non-executable: expected 126 got $rc"
out=$(echo hello | "$UKCOV" run -- cat); [ "$out" = hello ] || fail "stdin/stdout: got '$out'"
out=$("$UKCOV" run -- sh -c 'echo err >&2' 2>&1 >/dev/null); [ "$out" = err ] || fail "stderr: got '$out'"
out=$("$UKCOV" run -- env A=1 sh -c 'echo $A'); [ "$out" = 1 ] || fail "arguments: got '$out'"
"$UKCOV" run >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "no program: expected 2 got $rc"
"$UKCOV" run --bogus -- true >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "unknown option: expected 2 got $rc"
"$UKCOV" frobnicate >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "unknown command: expected 2 got $rc"
"$UKCOV" syscalls | grep -q '^ioctl ' || fail "ukcov syscalls does not list ioctl"
# A shell pipeline of several processes, each trapping, all served.
out=$("$UKCOV" run -- sh -c 'ls / | grep -c . | cat' ); [ "$out" -gt 3 ] 2>/dev/null || fail "pipeline: got '$out'"
# When PROG exits, the rest of its process tree is killed (as a PID
# namespace's when its init exits), detached or not, and none is left behind.
for how in "" "setsid"; do
	rm -f "$tmp/orphan.pid"
	"$UKCOV" run -- sh -c "$how sh -c 'echo \$\$ > $tmp/orphan.pid; exec sleep 30' & sleep 0.3"
	rc=$?
	[ $rc = 0 ] || fail "tree with a ${how:-plain} background child: exit $rc"
	pid=$(cat "$tmp/orphan.pid" 2>/dev/null)
	[ -n "$pid" ] || { fail "the ${how:-plain} background child never ran"; continue; }
	sleep 0.1
	kill -0 "$pid" 2>/dev/null && { fail "${how:-plain} descendant $pid outlived ukcov run"; kill -9 "$pid"; }
done
[ $fails = 0 ] && echo "all ukcov run CLI checks passed"
exit $((fails > 0))

#!/bin/sh
# `ukcov fuzz` when an AFL++ instance ends before its time: the target's
# supervisor (`ukcov run`) is killed under the running instance, as a
# supervisor crash ends it. ukcov fuzz says which instance ended, when, and
# AFL++'s reason, points at the input AFL++ kept, still runs its wrap-up,
# and exits 1; nothing is left in its TMPDIR, and nothing of the run
# (afl-fuzz, ukcov run, the oracle) outlives it.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
command -v afl-fuzz >/dev/null ||
	{ echo "skip: AFL++ is not installed (FUZZ=1 sh scripts/deps.sh installs it)"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
out=$(mktemp -d /tmp/ukcov-fuzz-early.XXXXXX) || fail "no scratch directory in /tmp"
tmp=$(mktemp -d /dev/shm/ukcov-fuzz-early-tmp.XXXXXX) || { rm -rf "$out"; fail "no directory in /dev/shm"; }
trap 'kill -9 $fz 2>/dev/null; rm -rf "$out" "$tmp"' EXIT
# The run's processes: each names its scratch directory, /dev/shm/ukcov-fuzz.PID.0.
ours() {
	for p in $(pgrep -f -- "--host=/dev/shm/ukcov-fuzz.$fz.0"); do
		printf '%s %s\n' "$p" "$(cat /proc/$p/cmdline 2>/dev/null | tr '\0' ' ')"
	done
}
# start_fuzzing [VAR=VALUE...]: a 10-minute run in the background ($fz),
# back once its main instance fuzzes (fuzzer_stats written).
start_fuzzing() {
	rm -rf "$out/o"
	env "$@" TMPDIR="$tmp" "$UKCOV" fuzz --tmpfs=/mnt/ukcov-fuzz-early --out "$out/o" --time 10m \
		>"$out/log" 2>&1 &
	fz=$!
	i=0
	until [ -e "$out/o/afl/main/fuzzer_stats" ]; do
		i=$((i + 1))
		[ $i -le 240 ] || fail "the main instance did not start fuzzing in 120 s: $(cat "$out/log")"
		sleep 0.5
	done
}
# the run's supervisor, the `ukcov run` AFL++ started
supervisor() {
	sv=$(ours | awk '$2 ~ /\/ukcov$/ && $3 == "run" { print $1 }')
	[ -n "$sv" ] || fail "no ukcov run of this run: $(ours)"
}
# wait_end WHAT: ukcov fuzz ends within 180 s of WHAT; its status in $rc
wait_end() {
	i=0
	while kill -0 $fz 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 360 ] || { kill -CONT $sv 2>/dev/null; fail "ukcov fuzz still runs 180 s after $1"; }
		sleep 0.5
	done
	wait $fz
	rc=$?
}
start_fuzzing
supervisor
kill -9 $sv
wait_end "its supervisor was killed"
[ $rc = 1 ] || fail "exit $rc, want 1: $(tail -5 "$out/log")"
grep -q "^ukcov fuzz: instance main ended after [0-9]*:[0-9]* of 10:00 (exit [0-9]*): .*fork server" "$out/log" ||
	fail "no line saying why the instance ended: $(cat "$out/log")"
grep -q "main/.cur_input" "$out/log" || fail "no pointer to the input: $(cat "$out/log")"
grep -q "^ukcov fuzz: 1 instance ended before its time" "$out/log" || fail "no summary: $(tail -3 "$out/log")"
[ -d "$out/o/corpus" ] && [ -n "$(ls "$out/o/corpus")" ] || fail "no corpus written"
grep -A3 "^ukcov fuzz: instance main ended" "$out/log" | sed "s/^/ok   /"
# The progress line counts what the queue holds, not only AFL++'s stats
# files, which it first rewrites a minute into the run: the executions
# shown are at least those the newest entry's name gives ("execs:N").
shown=$(grep -o '  [0-9]* execs  ' "$out/log" | tail -n 1 | tr -dc 0-9)
newest=$(ls "$out/o/afl/main/queue" | sed -n 's/.*,execs:\([0-9]*\).*/\1/p' | sort -n | tail -n 1)
[ -n "$shown" ] && [ "$shown" -ge "${newest:-0}" ] ||
	fail "the last progress line shows ${shown:-no} executions, the queue's newest entry $newest"
echo "ok   the last progress line: $shown executions, the newest entry's $newest"
[ -z "$(ls -A "$tmp")" ] || fail "left in the run's TMPDIR: $(ls -A "$tmp")"
echo "ok   the run's TMPDIR empty after it"
sleep 1
[ -z "$(ours)" ] || fail "processes of the run outlived it: $(ours)"
echo "ok   no process of the run left"
# The supervisor stopped (SIGSTOP) under the running instance, as one that
# waits in a call for a guest: AFL++ waits for its forkserver, writes no
# stats, and its own timeout cannot help. ukcov fuzz says so after
# UKCOV_FUZZ_STALL_SECS, stops the instance, and exits 1.
start_fuzzing UKCOV_FUZZ_STALL_SECS=5
supervisor
kill -STOP $sv
wait_end "its supervisor was stopped"
[ $rc = 1 ] || fail "stopped supervisor: exit $rc, want 1: $(tail -5 "$out/log")"
grep -q "^ukcov fuzz: instance main made no progress for [0-9]* s: .*main/.cur_input" "$out/log" ||
	fail "no line saying the instance hung: $(cat "$out/log")"
echo "ok   $(grep -o '^ukcov fuzz: instance main made no progress for [0-9]* s' "$out/log"): stopped, exit 1"
sleep 1
[ -z "$(ours)" ] || fail "processes of the hung run outlived it: $(ours)"
[ -z "$(ls -A "$tmp")" ] || fail "left in the run's TMPDIR: $(ls -A "$tmp")"
echo "ok   nothing of the hung run left"
# ukcov fuzz itself killed (SIGKILL): its AFL++ instance, and what that
# runs, stop too (PR_SET_PDEATHSIG), rather than fuzz on for nobody.
start_fuzzing
kill -9 $fz
wait $fz 2>/dev/null
i=0
while [ -n "$(ours)" ]; do
	i=$((i + 1))
	[ $i -le 60 ] || fail "30 s after ukcov fuzz was killed, its processes run on: $(ours)"
	sleep 0.5
done
echo "ok   ukcov fuzz killed: its AFL++ instance and targets gone within $((i / 2)) s"
# (A run killed so cannot remove its scratch directory.)
rm -rf "/dev/shm/ukcov-fuzz.$fz.0"

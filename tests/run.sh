#!/bin/sh
# ukcov's test runner: every unit test, every conformance guest under
# `ukcov run`, every shell test in tests/*/ *.sh. Each test: exit 0 pass,
# 77 skip, anything else (or a timeout) fail. Last line: "N passed, N failed".
#   sh tests/run.sh BUILD_DIR [NAME-FILTER]
set -u
B=${1:-build}
filter=${2:-}
UKCOV=$B/bin/ukcov
TIMEOUT=${UKCOV_TEST_TIMEOUT:-120}
export B UKCOV
pass=0 fail=0 skip=0 failed=""
log=$B/test-logs
mkdir -p "$log"

run_one() { # run_one NAME COMMAND...
	name=$1; shift
	case "$name" in *"$filter"*) ;; *) return ;; esac
	mkdir -p "$(dirname "$log/$name.log")"
	start=$(date +%s%N)
	timeout "$TIMEOUT" "$@" >"$log/$name.log" 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	case $rc in
	0) pass=$((pass + 1)); printf '  PASS  %-40s %6d ms\n' "$name" "$ms" ;;
	77) skip=$((skip + 1)); printf '  SKIP  %-40s %s\n' "$name" "$(tail -n 1 "$log/$name.log")" ;;
	*) fail=$((fail + 1)); failed="$failed $name"
	   [ $rc = 124 ] && echo "timeout after ${TIMEOUT}s" >>"$log/$name.log"
	   printf '  FAIL  %-40s (exit %d)\n' "$name" "$rc"
	   sed 's/^/        | /' "$log/$name.log" | tail -n 15 ;;
	esac
}

echo "unit tests"
for t in "$B"/tests/unit_*; do
	[ -x "$t" ] || continue
	case "$t" in *.o) continue ;; esac
	run_one "unit/${t##*/}" "$t"
done

# The kcov guests and scripts, run once per mode (`--mode` defaults to
# $UKCOV_MODE): the same list of guests, the same expectations, except that
# trace mode has comparison operands (UKCOV_EXPECT_CMP=1).
kcov_suite() { # kcov_suite PREFIX
	echo "conformance guests under ukcov run${1:+ --mode=trace}"
	for t in "$B"/tests/conformance/*; do
		[ -x "$t" ] || continue
		run_one "$1conformance/${t##*/}" "$UKCOV" run -- "$t"
	done
	echo "hostile guests under ukcov run${1:+ --mode=trace} (the supervisor must survive and stay exact)"
	for t in "$B"/tests/hostile/*; do
		[ -x "$t" ] || continue
		run_one "$1hostile/${t##*/}" "$UKCOV" run -- "$t"
	done
}
kcov_scripts="tests/tmpfs/test_kcov_paths.sh tests/tmpfs/test_kcov_release.sh tests/tmpfs/test_kcov_remote.sh tests/tmpfs/test_fsctx_reap.sh
	tests/tmpfs/test_proc_guard.sh tests/cli/test_symbolize.sh"

export UKCOV_MODE=counters
unset UKCOV_EXPECT_CMP
kcov_suite ""
unset UKCOV_MODE

echo "shell tests"
for t in tests/*/test_*.sh; do
	[ -f "$t" ] || continue
	n=${t#tests/}
	run_one "${n%.sh}" sh "$t"
done

echo "trace mode: the kcov suite again"
export UKCOV_MODE=trace UKCOV_EXPECT_CMP=1
kcov_suite trace/
for t in $kcov_scripts; do
	n=${t#tests/}
	run_one "trace/${n%.sh}" sh "$t"
done
unset UKCOV_MODE UKCOV_EXPECT_CMP

[ -n "$failed" ] && echo "failed:$failed (logs in $log/)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]

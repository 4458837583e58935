#!/bin/sh
# ukcov's test runner: every unit test, every conformance guest under
# `ukcov run`, every shell test in tests/*/ *.sh; the kcov suite again in
# trace mode (`--mode=trace`: the same guests and scripts, with comparison
# operands expected); then the conformance, hostile and tmpfs suites again
# with every kernel-feature fallback forced (UKCOV_FORCE_FALLBACKS=1: the
# paths kernels before 6.9 take). Each test:
# exit 0 pass, 77 skip, anything else (or a timeout) fail. Last line:
# "N passed, N failed".
#   sh tests/run.sh BUILD_DIR [NAME-FILTER]   (substrings, "a|b": either)
#   UKCOV_SUITES="conformance hostile tmpfs" sh tests/run.sh BUILD_DIR
#       only those suites (default: unit conformance hostile shell trace forced;
#       tmpfs, kernels and fuzz are the shell tests of tests/tmpfs,
#       tests/kernels and tests/fuzz alone, shell all of them)
set -u
B=${1:-build}
filter=${2:-}
UKCOV=$B/bin/ukcov
TIMEOUT=${UKCOV_TEST_TIMEOUT:-120}
suites=" ${UKCOV_SUITES:-unit conformance hostile shell trace forced} "
export B UKCOV
pass=0 fail=0 skip=0 failed=""
log=$B/test-logs
mkdir -p "$log"

# NAME-FILTER: substrings of test names, "|" between alternatives.
selected() {
	[ -z "$filter" ] && return 0
	rest=$filter
	while :; do
		alt=${rest%%|*}
		case "$1" in *"$alt"*) return 0 ;; esac
		[ "$alt" = "$rest" ] && return 1
		rest=${rest#*|}
	done
}

want() { case "$suites" in *" $1 "*) return 0 ;; esac; return 1; }

# Milliseconds; busybox's date (in check-kernels' guests) has no %N: seconds then.
now_ms() {
	t=$(date +%s%N)
	case $t in *N) echo $(( ${t%%[!0-9]*} * 1000 )) ;; *) echo $(( t / 1000000 )) ;; esac
}

# Each test starts with no fd above 2, as on a CI host: fds a caller leaked
# (an agent shell's 10 and 251) once hid a fuzz guest bug that only showed
# there. perl-base is Essential in Debian; without perl (check-kernels'
# busybox guests) the fds are passed on as they are.
close_fds='use POSIX (); opendir(my $d, "/proc/self/fd") or die;
my @fds = grep { /^[0-9]+$/ && $_ > 2 } readdir($d); closedir($d);
POSIX::close($_) for @fds; exec { $ARGV[0] } @ARGV; exit 127;'
fresh_fds() { # fresh_fds COMMAND...
	if command -v perl >/dev/null 2>&1; then perl -e "$close_fds" "$@"; else "$@"; fi
}

run_one() { # run_one NAME COMMAND...
	name=$1; shift
	selected "$name" || return
	mkdir -p "$(dirname "$log/$name.log")"
	start=$(now_ms)
	fresh_fds timeout "$TIMEOUT" "$@" >"$log/$name.log" 2>&1
	rc=$?
	ms=$(( $(now_ms) - start ))
	case $rc in
	0) pass=$((pass + 1)); printf '  PASS  %-40s %6d ms\n' "$name" "$ms" ;;
	77) skip=$((skip + 1)); printf '  SKIP  %-40s %s\n' "$name" "$(tail -n 1 "$log/$name.log")" ;;
	*) fail=$((fail + 1)); failed="$failed $name"
	   [ $rc = 124 ] && echo "timeout after ${TIMEOUT}s" >>"$log/$name.log"
	   printf '  FAIL  %-40s (exit %d)\n' "$name" "$rc"
	   sed 's/^/        | /' "$log/$name.log" | tail -n 15 ;;
	esac
}

suite_conformance() { # PREFIX
	echo "conformance guests under ukcov run$2"
	for t in "$B"/tests/conformance/*; do
		[ -x "$t" ] || continue
		run_one "$1conformance/${t##*/}" "$UKCOV" run -- "$t"
	done
}

suite_hostile() { # PREFIX
	echo "hostile guests under ukcov run$2 (the supervisor must survive and stay exact)"
	for t in "$B"/tests/hostile/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		run_one "$1hostile/${t##*/}" "$UKCOV" run -- "$t"
	done
}

suite_shell() { # PREFIX TITLE DIRS [ukcov]: with "ukcov", only the tests that run it
	echo "shell tests$2"
	for t in $3; do
		[ -f "$t" ] || continue
		[ "${4:-}" = ukcov ] && ! grep -q UKCOV "$t" && continue
		n=${t#tests/}
		run_one "$1${n%.sh}" sh "$t"
	done
}

if want unit; then
	echo "unit tests"
	for t in "$B"/tests/unit_*; do
		[ -x "$t" ] || continue
		case "$t" in *.o) continue ;; esac
		run_one "unit/${t##*/}" "$t"
	done
fi
# The kcov guests run once per mode (`--mode` defaults to $UKCOV_MODE): the
# same list, the same expectations, except that trace mode has comparison
# operands (UKCOV_EXPECT_CMP=1).
export UKCOV_MODE=counters
unset UKCOV_EXPECT_CMP
want conformance && suite_conformance "" ""
want hostile && suite_hostile "" ""
unset UKCOV_MODE
if want shell; then
	suite_shell "" "" "tests/*/test_*.sh tests/hostile/deputy/test_*.sh"
else
	want tmpfs && suite_shell "" " (tmpfs)" "tests/tmpfs/test_*.sh"
	want kernels && suite_shell "" " (kernel features)" "tests/kernels/test_*.sh"
	want fuzz && suite_shell "" " (fuzz)" "tests/fuzz/test_*.sh"
fi
if want trace; then
	export UKCOV_MODE=trace UKCOV_EXPECT_CMP=1
	f=" --mode=trace"
	suite_conformance trace/ "$f"
	suite_hostile trace/ "$f"
	echo "kcov scripts$f"
	for t in tests/tmpfs/test_kcov_paths.sh tests/tmpfs/test_kcov_release.sh \
		tests/tmpfs/test_kcov_remote.sh tests/tmpfs/test_fsctx_reap.sh \
		tests/tmpfs/test_proc_guard.sh tests/cli/test_symbolize.sh; do
		n=${t#tests/}
		run_one "trace/${n%.sh}" sh "$t"
	done
	unset UKCOV_MODE UKCOV_EXPECT_CMP
fi
if want forced; then
	# The old kernels' paths, on this one: conformance, hostile and the
	# tmpfs tests that run ukcov, with every fallback forced.
	export UKCOV_FORCE_FALLBACKS=1 UKCOV_MODE=counters
	f=" (UKCOV_FORCE_FALLBACKS=1: as before Linux 6.6 and 6.9)"
	suite_conformance forced/ "$f"
	suite_hostile forced/ "$f"
	suite_shell forced/ "$f" "tests/tmpfs/test_*.sh tests/kernels/test_*.sh tests/hostile/deputy/test_*.sh" ukcov
	unset UKCOV_FORCE_FALLBACKS UKCOV_MODE
fi

[ -n "$failed" ] && echo "failed:$failed (logs in $log/)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]

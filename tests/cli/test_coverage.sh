#!/bin/sh
# ukcov run --coverage=FILE: every block that ran during the whole run (all
# processes, no kcov client needed), in the format `ukcov report` reads;
# composes with --tmpfs, --instrumentation-filter and --mode=trace; a kcov
# client's own PCs are among them; an unwritable FILE fails before PROG runs.
. tests/cli/common.sh
build_probe
prog='mkdir /mnt/ukcov-cov/d && echo hi > /mnt/ukcov-cov/d/f && cat /mnt/ukcov-cov/d/f'
for mode in counters trace; do
	out=$("$UKCOV" run --mode=$mode --coverage="$tmp/$mode.txt" --tmpfs=/mnt/ukcov-cov -- sh -c "$prog") ||
		fail "$mode: run failed"
	[ "$out" = hi ] || fail "$mode: the program printed '$out'"
	n=$(wc -l <"$tmp/$mode.txt")
	[ "$n" -gt 50 ] || fail "$mode: only $n blocks in the coverage file"
	files=$("$UKCOV" symbolize <"$tmp/$mode.txt" | grep -v '^0x' | cut -d: -f1 | sort -u)
	echo "$files" | grep -q '^kernel/fs/tmpfs/' || fail "$mode: no tmpfs block among: $files"
	"$UKCOV" report --lcov "$tmp/$mode.info" "$tmp/$mode.txt" || fail "$mode: report rejects the file"
	grep -q '^DA:' "$tmp/$mode.info" || fail "$mode: no DA lines in the report"
	echo "$mode: $n blocks in $(echo "$files" | wc -l) files"
done
# The filter applies: only the selected files.
"$UKCOV" run --coverage="$tmp/f.txt" --instrumentation-filter='kernel/fs/tmpfs/*' --tmpfs=/mnt/ukcov-cov -- \
	sh -c "$prog" >/dev/null || fail "filtered run failed"
files=$("$UKCOV" symbolize <"$tmp/f.txt" | grep -v '^0x' | cut -d: -f1 | sort -u)
[ -n "$files" ] && ! echo "$files" | grep -qv '^kernel/fs/tmpfs/' || fail "filter: blocks of $files"
# A kcov client's PCs are part of the whole run's.
"$UKCOV" run --coverage="$tmp/k.txt" -- "$B/tests/kcov_probe" >"$tmp/probe.pcs" || fail "probe run failed"
missing=$(grep '^0x' "$tmp/probe.pcs" | sort -u | comm -23 - "$(sort -u "$tmp/k.txt" >"$tmp/k.sorted"; echo "$tmp/k.sorted")" | wc -l)
[ "$missing" = 0 ] || fail "$missing of the probe's PCs are not in the whole-run coverage"
# Unwritable: an error before PROG runs.
"$UKCOV" run --coverage=/nonexistent/dir/c.txt -- sh -c "touch $tmp/ran" 2>"$tmp/err"; rc=$?
[ $rc != 0 ] && [ ! -e "$tmp/ran" ] && grep -q 'coverage' "$tmp/err" || fail "unwritable --coverage: rc $rc, $(cat "$tmp/err")"
# UKCOV_COVERAGE_DIR: each run without --coverage writes its own file
# there, which the program does not see; --coverage still wins.
mkdir "$tmp/dir"
UKCOV_COVERAGE_DIR="$tmp/dir" "$UKCOV" run --tmpfs=/mnt/ukcov-cov -- \
	sh -c 'echo x > /mnt/ukcov-cov/f; echo "env=${UKCOV_COVERAGE_DIR:-none}"' >"$tmp/dir.out" || fail "UKCOV_COVERAGE_DIR run failed"
UKCOV_COVERAGE_DIR="$tmp/dir" "$UKCOV" run -- true || fail "second UKCOV_COVERAGE_DIR run failed"
UKCOV_COVERAGE_DIR="$tmp/dir" "$UKCOV" run --coverage="$tmp/own.txt" -- true || fail "--coverage with UKCOV_COVERAGE_DIR failed"
n=$(ls "$tmp/dir" | grep -c '^ukcov-run\.[0-9]*\.pcs$')
[ "$n" = 2 ] && [ -s "$tmp/own.txt" ] || fail "UKCOV_COVERAGE_DIR: $n files ($(ls "$tmp/dir")), --coverage's $(wc -l <"$tmp/own.txt") lines"
grep -qx 'env=none' "$tmp/dir.out" || fail "the program sees UKCOV_COVERAGE_DIR: $(cat "$tmp/dir.out")"
files=$(cat "$tmp/dir"/*.pcs | "$UKCOV" symbolize | grep -v '^0x' | cut -d: -f1 | sort -u)
echo "$files" | grep -q '^kernel/fs/tmpfs/' || fail "UKCOV_COVERAGE_DIR: no tmpfs block among: $files"
[ $fails = 0 ] && echo "whole-run coverage checks passed"
exit $((fails > 0))

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
[ $fails = 0 ] && echo "whole-run coverage checks passed"
exit $((fails > 0))

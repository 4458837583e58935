#!/bin/sh
# ukcov report --lcov: a record for every instrumented file, line and
# function, hit or not; genhtml accepts it; text, count-prefixed and binary
# area inputs agree; unknown PCs are reported.
. tests/cli/common.sh

build_probe
"$UKCOV" run -- "$B/tests/kcov_probe" >"$tmp/pcs" || fail "ukcov run of the probe failed"
"$UKCOV" report --lcov "$tmp/cov.info" "$tmp/pcs" || fail "report --lcov failed"

# What the report must cover: the start line of every block.
"$UKCOV" symbolize --all | grep -v '^0x' | sed -E 's/\.[0-9]+(,[0-9]+\.[0-9]+)?$//' | sort -u >"$tmp/lines"
nfiles=$(cut -d: -f1 "$tmp/lines" | sort -u | wc -l)
[ "$(grep -c '^SF:' "$tmp/cov.info")" = "$nfiles" ] || fail "expected $nfiles SF records"
[ "$(grep -c '^end_of_record' "$tmp/cov.info")" = "$nfiles" ] || fail "expected $nfiles end_of_record"
[ "$(grep -c '^DA:' "$tmp/cov.info")" = "$(wc -l <"$tmp/lines")" ] ||
	fail "expected $(wc -l <"$tmp/lines") DA records, got $(grep -c '^DA:' "$tmp/cov.info")"
grep -q '^DA:[0-9]*,0$' "$tmp/cov.info" || fail "no uncovered line (DA:n,0)"
grep -q '^DA:[0-9]*,[1-9]' "$tmp/cov.info" || fail "no covered line"
grep -q '^FNDA:1,sys_read$' "$tmp/cov.info" || fail "sys_read is not a hit function"
grep -q '^FNDA:0,' "$tmp/cov.info" || fail "no function recorded as not hit"
grep '^SF:' "$tmp/cov.info" | sed 's/^SF://' | while read -r f; do
	[ -f "$f" ] || fail "SF $f does not exist"
done
# LH summed over files: the lines with a hit block, as the PCs say.
lh=$(awk -F: '/^LH:/ { s += $2 } END { print s }' "$tmp/cov.info")
want=$("$UKCOV" symbolize <"$tmp/pcs" | grep -v '^0x' | sed -E 's/\.[0-9]+(,[0-9]+\.[0-9]+)?$//' | sort -u | wc -l)
[ "$lh" = "$want" ] || fail "LH total $lh, expected $want lines with hit blocks"

if command -v genhtml >/dev/null; then
	genhtml -q -o "$tmp/genhtml" "$tmp/cov.info" >"$tmp/gen.log" 2>&1 ||
		fail "genhtml rejected the tracefile: $(tail -3 "$tmp/gen.log")"
	grep -qi 'warning\|error' "$tmp/gen.log" && fail "genhtml complained: $(head -3 "$tmp/gen.log")"
	[ -f "$tmp/genhtml/index.html" ] || fail "genhtml wrote no index.html"
else
	echo "note: genhtml (Debian package lcov) absent, tracefile not checked with it"
fi

# The same PCs as kcov_single's text (count first) and as a binary area dump.
{ grep -c . "$tmp/pcs"; cat "$tmp/pcs"; } >"$tmp/counted"
"$UKCOV" report --lcov "$tmp/counted.info" <"$tmp/counted" || fail "report of count-prefixed text failed"
cmp -s "$tmp/cov.info" "$tmp/counted.info" || fail "count-prefixed text gives another report"
perl -e 'my @p = map { chomp; hex } <STDIN>; print pack("Q*", scalar @p, @p)' <"$tmp/pcs" >"$tmp/area" ||
	fail "perl could not write the area dump"
"$UKCOV" report --lcov "$tmp/area.info" - <"$tmp/area" || fail "report of a binary area dump failed"
cmp -s "$tmp/cov.info" "$tmp/area.info" || fail "a binary area dump gives another report"

# Unknown PCs: said on stderr, report still written, exit 1. Malformed: usage error.
printf '0xffffffff81000001\n' | cat "$tmp/pcs" - >"$tmp/bad"
"$UKCOV" report --lcov "$tmp/bad.info" "$tmp/bad" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || fail "unknown PC: exit status $rc, expected 1"
grep -q '0xffffffff81000001 is not a block' "$tmp/err" || fail "unknown PC: message $(cat "$tmp/err")"
cmp -s "$tmp/cov.info" "$tmp/bad.info" || fail "unknown PC changed the report"
echo nonsense | "$UKCOV" report --lcov "$tmp/x.info" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "malformed input: exit status $rc, expected 2"
"$UKCOV" report "$tmp/pcs" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "no output option: exit status $rc, expected 2"
"$UKCOV" report --help | grep -q -- '--source-root' || fail "--help does not document --source-root"

# Sources: found from any directory through the DWARF compilation directory;
# an explicit --source-root with none of them is an error, one with some
# missing a warning (those pages show instrumented lines only).
abs=$(cd "$(dirname "$UKCOV")" && pwd)/$(basename "$UKCOV")
(cd "$tmp" && "$abs" report --html "$tmp/h1" "$tmp/pcs" 2>"$tmp/h1.err") || fail "report --html from another directory failed"
[ -s "$tmp/h1.err" ] && fail "report --html from another directory complained: $(head -2 "$tmp/h1.err")"
grep -l 'id="nosource"' "$tmp"/h1/*.html >/dev/null 2>&1 && fail "report from another directory lost sources"
"$UKCOV" report --html "$tmp/h2" --source-root "$tmp/none" "$tmp/pcs" 2>"$tmp/h2.err"; rc=$?
[ $rc = 2 ] || fail "--source-root without sources: exit $rc, expected 2"
grep -q -- '--source-root .*none of the' "$tmp/h2.err" || fail "--source-root without sources: $(cat "$tmp/h2.err")"
mkdir -p "$tmp/part/kernel/vfs" && cp kernel/vfs/fd.c "$tmp/part/kernel/vfs/"
"$UKCOV" report --html "$tmp/h3" --source-root "$tmp/part" "$tmp/pcs" 2>"$tmp/h3.err" ||
	fail "--source-root with some sources failed"
grep -q 'source files not found' "$tmp/h3.err" || fail "missing sources not reported: $(cat "$tmp/h3.err")"
grep -q 'id="nosource"' "$tmp"/h3/*kernel_syscalls_syscalls.c.html || fail "no 'source not found' note on a page"
grep -q 'id="nosource"' "$tmp"/h3/*kernel_vfs_fd.c.html && fail "kernel/vfs/fd.c was there but not shown"
[ $fails = 0 ] && echo "all report checks passed"
exit $((fails > 0))

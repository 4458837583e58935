#!/bin/sh
# ukcov report --html, checked in a real headless Chromium: the summary
# numbers on index.html, and one covered and one uncovered line marked on a
# source page. Skips (77) where Chromium is not installed.
. tests/cli/common.sh

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
	echo "SKIP: no Chromium (Debian: apt-get install chromium) to check the HTML report in"
	exit 77
fi

# dom FILE: the page's DOM after Chromium loaded it.
dom() {
	timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$tmp/profile" --dump-dom "file://$1" 2>"$tmp/chromium.log"
}

mkdir -p "$B/tests"
${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -O1 -o "$B/tests/kcov_probe" tests/cli/kcov_probe.c ||
	{ echo "FAIL: cannot build the probe guest"; exit 1; }
"$UKCOV" run -- "$B/tests/kcov_probe" >"$tmp/pcs" || fail "ukcov run of the probe failed"
"$UKCOV" report --html "$tmp/html" "$tmp/pcs" || fail "report --html failed"
[ -f "$tmp/html/index.html" ] || { echo "FAIL: no index.html"; exit 1; }

# The numbers the page must show, from symbolize.
strip='s/\.[0-9]+(,[0-9]+\.[0-9]+)?$//'
"$UKCOV" symbolize --all | grep -v '^0x' | sed -E "$strip" >"$tmp/all"
"$UKCOV" symbolize <"$tmp/pcs" | grep -v '^0x' | sed -E "$strip" | sort -u >"$tmp/hit"
nblocks=$(wc -l <"$tmp/all")
nhit=$(sort -u "$tmp/pcs" | wc -l)
nlines=$(sort -u "$tmp/all" | wc -l)
nlines_hit=$(wc -l <"$tmp/hit")

dom "$tmp/html/index.html" >"$tmp/index.dom"
grep -q '<table id="summary">' "$tmp/index.dom" ||
	{ echo "FAIL: Chromium did not render the index: $(tail -3 "$tmp/chromium.log")"; exit 1; }
value() { sed -n "s/.*id=\"$1\">\([^<]*\)<.*/\1/p" "$2" | head -1; }
[ "$(value total-blocks "$tmp/index.dom")" = "$nblocks" ] ||
	fail "index: total blocks '$(value total-blocks "$tmp/index.dom")', expected $nblocks"
[ "$(value total-blocks-hit "$tmp/index.dom")" = "$nhit" ] ||
	fail "index: blocks hit '$(value total-blocks-hit "$tmp/index.dom")', expected $nhit"
[ "$(value total-lines "$tmp/index.dom")" = "$nlines" ] ||
	fail "index: lines '$(value total-lines "$tmp/index.dom")', expected $nlines"
[ "$(value total-lines-hit "$tmp/index.dom")" = "$nlines_hit" ] ||
	fail "index: lines hit '$(value total-lines-hit "$tmp/index.dom")', expected $nlines_hit"
pct=$(awk -v h="$nhit" -v n="$nblocks" 'BEGIN { printf "%.1f%%", 100 * h / n }')
value total-blocks-pct "$tmp/index.dom" | grep -q "^$pct" || fail "index: percentage is not $pct"
grep -q 'data-path="kernel/syscalls/sys_rw.c"' "$tmp/index.dom" || fail "index: no row for kernel/syscalls/sys_rw.c"

# The page of kernel/syscalls/sys_rw.c: a line with a hit block is covered (or partly),
# a line none of whose blocks ran is uncovered.
page=$(grep -o 'href="[^"#]*kernel_syscalls_sys_rw\.c\.html"' "$tmp/index.dom" | head -1 | sed 's/href="//; s/"$//')
[ -n "$page" ] && [ -f "$tmp/html/$page" ] || { echo "FAIL: no page for kernel/syscalls/sys_rw.c"; exit 1; }
dom "$tmp/html/$page" >"$tmp/page.dom"
covered=$(grep '^kernel/syscalls/sys_rw.c:' "$tmp/hit" | head -1 | cut -d: -f2)
uncovered=$(grep '^kernel/syscalls/sys_rw.c:' "$tmp/all" | sort -u | grep -vxF -f "$tmp/hit" | head -1 | cut -d: -f2)
class() { sed -n "s/.*<tr id=\"L$1\" class=\"\([a-z]*\)\".*/\1/p" "$tmp/page.dom"; }
case $(class "$covered") in
covered | partial) ;;
*) fail "kernel/syscalls/sys_rw.c:$covered ran but is marked '$(class "$covered")'" ;;
esac
[ "$(class "$uncovered")" = uncovered ] ||
	fail "kernel/syscalls/sys_rw.c:$uncovered did not run but is marked '$(class "$uncovered")'"
grep -q 'class="covered"\|class="partial"' "$tmp/page.dom" || fail "the page marks no covered line"
grep -q 'int64_t sys_read(' "$tmp/page.dom" || fail "the page does not show the source"
echo "index: $nhit/$nblocks blocks, $nlines_hit/$nlines lines; kernel/syscalls/sys_rw.c:$covered $(class "$covered"), :$uncovered uncovered"
[ $fails = 0 ] && echo "all HTML report checks passed"
exit $((fails > 0))

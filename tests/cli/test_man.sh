#!/bin/sh
# The man pages: `mandoc -T lint` finds nothing (but references to pages
# this machine lacks); every page they cross-reference among ukcov's own
# exists; every function of the public headers is documented in libukcov(3);
# every subcommand has its page, and every long option of a subcommand is
# in that page. Skipped, with a message, where mandoc is not installed.
set -u
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
command -v mandoc >/dev/null ||
	{ echo "SKIP: no mandoc to lint the man pages (Debian: apt-get install mandoc)"; exit 77; }

pages=$(ls man/*.[1-8])
[ -n "$pages" ] || { echo "FAIL: no man pages in man/"; exit 1; }
for p in $pages; do
	mandoc -T lint "$p" 2>&1 | grep -v -e 'STYLE: referenced manual not found' -e 'mandoc\.db' >"${TMPDIR:-/tmp}/man-lint.$$"
	[ -s "${TMPDIR:-/tmp}/man-lint.$$" ] && fail "mandoc -T lint $p: $(cat "${TMPDIR:-/tmp}/man-lint.$$")"
	mandoc -T utf8 "$p" >/dev/null 2>&1 || fail "mandoc cannot render $p"
	# man-db renders with groff: no warning there either, at 80 columns.
	if command -v groff >/dev/null; then
		w=$(groff -mandoc -Tutf8 -rLL=80n -z "$p" 2>&1)
		[ -z "$w" ] || fail "groff $p: $w"
	fi
	# Our own cross-references point at pages we ship.
	grep -h '^\.Xr \(ukcov\|libukcov\)' "$p" | while read -r _ name sec _; do
		[ -f "man/$name.$sec" ] || echo "FAIL: $p refers to $name($sec), which is not in man/"
	done | grep . && fails=$((fails + 1))
done
rm -f "${TMPDIR:-/tmp}/man-lint.$$"

# libukcov(3) documents every function of the public headers, in NAME and in SYNOPSIS.
for f in $(sed -n 's/^[a-z].*[ *]\(ukcov_[a-z0-9_]*\)[(].*/\1/p' include/ukcov/*.h | sort -u); do
	grep -q "^\.Nm $f\( ,\)\?$" man/libukcov.3 || fail "man/libukcov.3: $f (include/ukcov/) is not in NAME"
	grep -q "^\.F[no] $f\( \|$\)" man/libukcov.3 || fail "man/libukcov.3: $f (include/ukcov/) is not in SYNOPSIS"
done

# One page per subcommand; each long option of a subcommand in its page.
for cmd in $(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", cmd_[a-z_]*,.*/\1/p' cli/main.c); do
	page=man/ukcov-$cmd.1
	[ -f "$page" ] || { fail "no man page $page for 'ukcov $cmd'"; continue; }
	grep -q "^\.Cm $cmd$" man/ukcov.1 || fail "man/ukcov.1 does not list 'ukcov $cmd'"
	src=cli/cmd_$cmd.c
	[ -f "$src" ] || continue # shares a file: its options are not told apart
	for opt in $(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", \(no\|required\|optional\)_argument.*/\1/p' "$src"); do
		grep -q "Fl \\\\-$(echo "$opt" | sed 's/-/\\\\-/g')" "$page" ||
			fail "$page does not document --$opt (from $src)"
	done
done
[ $fails = 0 ] && echo "man page checks passed ($(echo $pages | wc -w) pages)"
exit $((fails > 0))

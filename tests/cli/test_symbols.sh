#!/bin/sh
# libukcov's ABI is a committed list: lib/ukcov.sym names every symbol the
# shared library exports, with its version node. A symbol added or removed
# without editing the list fails here; so does a function declared in the
# public headers that the library does not export.
set -u
B=${B:-build}
so=$B/lib/libukcov.so
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
[ -f "$so" ] || { echo "FAIL: $so is not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' lib/ukcov.sym | LC_ALL=C sort >"$tmp/want"
nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | LC_ALL=C sort >"$tmp/got"
if ! cmp -s "$tmp/want" "$tmp/got"; then
	fail "$so exports another ABI than lib/ukcov.sym (edit the list if the change is meant):"
	diff "$tmp/want" "$tmp/got" | sed -n 's/^</  only in lib\/ukcov.sym:/p; s/^>/  only in the library:   /p'
fi
# Every function of the public headers (but the static inline ones) is exported.
sed -n 's/^[a-z].*[ *]\(ukcov_[a-z0-9_]*\)[(].*/\1/p' include/ukcov/*.h | LC_ALL=C sort -u >"$tmp/decl"
grep -h 'static inline' include/ukcov/*.h | sed -n 's/.*[ *]\(ukcov_[a-z0-9_]*\)[(].*/\1/p' >"$tmp/inline"
for f in $(grep -vxF -f "$tmp/inline" "$tmp/decl"); do
	grep -q "^$f@@" "$tmp/got" || fail "$f is declared in include/ukcov/ but $so does not export it"
done
[ $fails = 0 ] && echo "libukcov exports exactly lib/ukcov.sym ($(wc -l <"$tmp/want") symbols)"
exit $((fails > 0))

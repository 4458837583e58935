#!/bin/sh
# libukcov's ABI is a committed list: lib/ukcov.sym names every symbol the
# runtime library exports, lib/ukcov-srcmap.sym every symbol of the source
# map's library, with their version node. A symbol added or removed
# without editing the list fails here; so does a function declared in the
# public headers that its library does not export (srcmap.h: the source
# map's; the others: the runtime's).
set -u
B=${B:-build}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check LIBRARY LIST HEADERS...
	so=$1 list=$2
	shift 2
	[ -f "$so" ] || { fail "$so is not built"; return; }
	grep -v '^#' "$list" | LC_ALL=C sort >"$tmp/want"
	nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | LC_ALL=C sort >"$tmp/got"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		fail "$so exports another ABI than $list (edit the list if the change is meant):"
		diff "$tmp/want" "$tmp/got" | sed -n "s|^<|  only in $list:|p; s/^>/  only in the library:   /p"
	fi
	# Every function of its headers (but the static inline ones) is exported.
	sed -n 's/^[a-z].*[ *]\(ukcov_[a-z0-9_]*\)[(].*/\1/p' "$@" | LC_ALL=C sort -u >"$tmp/decl"
	grep -h 'static inline' "$@" | sed -n 's/.*[ *]\(ukcov_[a-z0-9_]*\)[(].*/\1/p' >"$tmp/inline"
	for f in $(grep -vxF -f "$tmp/inline" "$tmp/decl"); do
		grep -q "^$f@@" "$tmp/got" || fail "$f is declared in $* but $so does not export it"
	done
	echo "$so exports exactly $list ($(wc -l <"$tmp/want") symbols)"
}
check "$B/lib/libukcov.so" lib/ukcov.sym $(ls include/ukcov/*.h | grep -v srcmap.h)
check "$B/lib/libukcov-srcmap.so" lib/ukcov-srcmap.sym include/ukcov/srcmap.h
# The runtime needs neither libdw nor libelf: an embedder that only serves coverage gains no such dependency.
readelf -d "$B/lib/libukcov.so" | grep NEEDED | grep -e libdw -e libelf &&
	fail "libukcov.so depends on libdw/libelf"
nm "$B/lib/libukcov.a" | grep -q ' U dwarf_\| U elf_' && fail "libukcov.a refers to libdw/libelf"
readelf -d "$B/lib/libukcov-srcmap.so" | grep NEEDED | grep -q libdw || fail "libukcov-srcmap.so does not link libdw"
exit $((fails > 0))

#!/bin/sh
# ukcov symbolize/report --binary=FILE: PCs of another program that links
# libukcov (a minimal embedder built here, from its own directory, as
# proot builds: its DWARF names ./sub/work.c) map to its own lines, paths
# folded (sub/work.c); a binary of another build is refused when the PCs
# declare their build (--build-id or "# build-id:"), exit 2; a PIE and a
# non-PIE binary map alike (the PC table's relocations); a binary with no
# instrumented blocks is refused. The embedder links the runtime libukcov
# alone: no libdw, no libelf.
. tests/cli/common.sh

tree=$tmp/tree
mkdir -p "$tree/sub"
cat >"$tree/sub/work.c" <<'C'
int work(int x)
{
	int y = 0;

	if (x > 3)
		y = x * 2;
	else
		y = x + VARIANT;
	for (int i = 0; i < x; i++)
		y += i;
	return y;
}
C
abs=$(pwd)
build() { # build NAME VARIANT PIC LINK
	(cd "$tree" && clang ${SANFLAGS:-} -g -O1 -DVARIANT="$2" $3 -fsanitize-coverage=inline-bool-flag,pc-table \
		-c ./sub/work.c -o "$1.work.o" &&
	 clang ${SANFLAGS:-} -g -O1 -std=gnu11 -Wall -Wextra -Werror $3 -I"$abs/include" -c "$abs/tests/cli/embedder_main.c" \
		-o "$1.main.o" &&
	 clang ${SANFLAGS:-} $4 -Wl,--build-id -o "$1" "$1.main.o" "$1.work.o" "$abs/$B/lib/libukcov.a" -lpthread) ||
		{ echo "FAIL: cannot build the embedder $1"; exit 1; }
}
build emb 1 -fPIE -pie
build emb2 2 -fPIE -pie
build embnp 1 -fno-pie -no-pie
readelf -d "$tree/emb" | grep NEEDED | grep -q 'libdw\|libelf' && fail "the embedder needs libdw/libelf"

"$tree/emb" >"$tmp/pcs" || fail "the embedder got no coverage"
grep -q '^# build-id: [0-9a-f]\{16,\}$' "$tmp/pcs" || fail "no build-id line: $(head -1 "$tmp/pcs")"
npcs=$(grep -c '^0x' "$tmp/pcs")
[ "$npcs" -ge 2 ] || fail "only $npcs PCs"

# Every PC maps to the embedder's own file, its path folded.
"$UKCOV" symbolize --binary="$tree/emb" <"$tmp/pcs" >"$tmp/sym" 2>"$tmp/err" ||
	fail "symbolize --binary failed: $(cat "$tmp/err")"
[ "$(grep -c '^0x' "$tmp/sym")" = "$npcs" ] || fail "symbolized $(grep -c '^0x' "$tmp/sym") of $npcs PCs"
bad=$(grep -v '^0x' "$tmp/sym" | grep -v '^sub/work\.c:[1-9][0-9]*\.' | head -3)
[ -z "$bad" ] || fail "PCs not mapped to sub/work.c (folded): $bad"
grep -q '^\./' "$tmp/sym" && fail "unfolded ./ paths: $(grep '^\./' "$tmp/sym" | head -1)"
while IFS=: read -r file pos; do
	line=${pos%%.*}
	[ "$line" -le 11 ] || fail "sub/work.c:$line is past the end of the file"
done <<E
$(grep -v '^0x' "$tmp/sym")
E

# PIE and non-PIE: the same blocks at the same lines.
"$UKCOV" symbolize --binary="$tree/emb" --all | grep -v '^0x' >"$tmp/all-pie" || fail "--all (PIE)"
"$UKCOV" symbolize --binary="$tree/embnp" --all | grep -v '^0x' >"$tmp/all-nopie" || fail "--all (non-PIE)"
[ -s "$tmp/all-pie" ] && cmp -s "$tmp/all-pie" "$tmp/all-nopie" ||
	fail "PIE and non-PIE binaries map differently: $(diff "$tmp/all-pie" "$tmp/all-nopie" | head -4)"

# Another build: refused, by the input's build-id line and by --build-id.
"$UKCOV" symbolize --binary="$tree/emb2" <"$tmp/pcs" >/dev/null 2>"$tmp/err2"; rc=$?
[ $rc = 2 ] || fail "symbolize with another build: exit $rc, expected 2"
grep -q 'use that very binary' "$tmp/err2" || fail "no clear message for another build: $(cat "$tmp/err2")"
id=$(sed -n 's/^# build-id: //p' "$tmp/pcs")
grep '^0x' "$tmp/pcs" | "$UKCOV" symbolize --binary="$tree/emb2" --build-id="$id" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "symbolize --build-id of another build: exit $rc, expected 2"
grep '^0x' "$tmp/pcs" | "$UKCOV" symbolize --binary="$tree/emb" --build-id="$id" >/dev/null 2>&1 ||
	fail "symbolize --build-id of the same build failed"
"$UKCOV" report --binary="$tree/emb2" --lcov "$tmp/x.info" "$tmp/pcs" 2>/dev/null; rc=$?
[ $rc = 2 ] || fail "report with another build: exit $rc, expected 2"

# report --binary: an LCOV tracefile of the embedder's file, with hits.
"$UKCOV" report --binary="$tree/emb" --lcov "$tmp/emb.info" --html "$tmp/html" "$tmp/pcs" 2>"$tmp/rerr" ||
	fail "report --binary failed: $(cat "$tmp/rerr")"
grep -q "^SF:$tree/sub/work.c$" "$tmp/emb.info" || fail "report: no SF for sub/work.c: $(grep SF "$tmp/emb.info")"
grep -q '^DA:[0-9]*,[1-9]' "$tmp/emb.info" || fail "report: no line hit"
[ -f "$tmp/html/index.html" ] || fail "report --html wrote no index"

# Not instrumented, not ELF: refused.
"$UKCOV" symbolize --binary=/bin/true </dev/null 2>/dev/null; rc=$?
[ $rc = 2 ] || fail "symbolize --binary=/bin/true: exit $rc, expected 2"
"$UKCOV" symbolize --binary="$tree/sub/work.c" </dev/null 2>/dev/null; rc=$?
[ $rc = 2 ] || fail "symbolize --binary of a source file: exit $rc, expected 2"
[ $fails = 0 ] && echo "symbolize/report --binary: $npcs PCs of an embedder mapped to sub/work.c"
exit $((fails > 0))

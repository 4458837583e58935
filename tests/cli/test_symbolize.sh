#!/bin/sh
# ukcov symbolize: every PC a probe guest produces maps to file:line of a
# file in this repository; --all covers the whole block table; --json;
# malformed and unknown PCs. Run from the repository root (tests/run.sh).
. tests/cli/common.sh

build_probe

# Round trip: run -> symbolize, two lines per PC, the first echoing the PC.
"$UKCOV" run -- "$B/tests/kcov_probe" >"$tmp/pcs" || fail "ukcov run of the probe failed"
npcs=$(grep -c . "$tmp/pcs")
[ "$npcs" -gt 10 ] || fail "the probe produced only $npcs PCs"
"$UKCOV" symbolize <"$tmp/pcs" >"$tmp/sym" 2>"$tmp/err" || fail "symbolize failed: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && fail "symbolize wrote to stderr: $(head -3 "$tmp/err")"
[ "$(wc -l <"$tmp/sym")" = $((2 * npcs)) ] || fail "expected $((2 * npcs)) lines, got $(wc -l <"$tmp/sym")"
sed -n 'p;n' "$tmp/sym" | cmp -s - "$tmp/pcs" || fail "odd lines do not echo the input PCs"
sed -n 'n;p' "$tmp/sym" >"$tmp/locs"
bad=$(grep -Ev '^[^:]+:[1-9][0-9]*\.[0-9]+(,[1-9][0-9]*\.[0-9]+)?$' "$tmp/locs" | head -3)
[ -z "$bad" ] || fail "malformed locations: $bad"
while IFS=: read -r file pos; do
	line=${pos%%.*}
	[ -f "$file" ] || { fail "$file: not a file of the repository"; continue; }
	[ "$line" -le "$(wc -l <"$file")" ] || fail "$file:$line is past the end of the file"
done <"$tmp/locs"

# Without 0x, with blanks around, the same answer.
sed 's/^0x/  /; s/$/ /' "$tmp/pcs" | "$UKCOV" symbolize | cmp -s - "$tmp/sym" ||
	fail "PCs without 0x do not symbolize the same"

# --all: every block of the table, in PC order. The table is the binary's
# SanitizerCoverage PC table: 16 bytes ({pc, flags}) per block.
start=$(date +%s%N)
"$UKCOV" symbolize --all >"$tmp/all" || fail "symbolize --all failed"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
size=$(readelf -SW "$UKCOV" | awk '$2 == "__sancov_pcs" { print $6 }')
nblocks=$(( 0x$size / 16 ))
[ "$(grep -c '^0x' "$tmp/all")" = "$nblocks" ] ||
	fail "--all printed $(grep -c '^0x' "$tmp/all") blocks, the PC table has $nblocks"
first=$(head -1 "$tmp/all")
last=$(grep '^0x' "$tmp/all" | tail -1)
[ "$first" = 0xffffffff81000000 ] || fail "--all starts at $first"
# (shell arithmetic is signed 64-bit: compare the low 32 bits)
[ $(( 0x${last#0xffffffff} - 0x${first#0xffffffff} )) = $(( 4 * (nblocks - 1) )) ] ||
	fail "--all ends at $last"
grep -v '^0x' "$tmp/all" | grep -Ev '^[^:]+:[1-9][0-9]*\.[0-9]+(,[1-9][0-9]*\.[0-9]+)?$' | head -3 |
	while read -r l; do fail "--all: malformed location $l"; done
echo "symbolize --all: $nblocks blocks in $ms ms"

# --json: one object per line with every field.
"$UKCOV" symbolize --all --json >"$tmp/json" || fail "symbolize --all --json failed"
[ "$(wc -l <"$tmp/json")" = "$nblocks" ] || fail "--json printed $(wc -l <"$tmp/json") lines"
grep -Ev '^\{"pc":"0x[0-9a-f]+","file":"[^"]+","line":[1-9][0-9]*,"column":[0-9]+,"end":(null|\{"line":[0-9]+,"column":[0-9]+\}),"function":"[^"]+","from_decl":(true|false)\}$' \
	"$tmp/json" | head -3 | while read -r l; do fail "--json: unexpected $l"; done
if command -v python3 >/dev/null; then
	python3 -c 'import json, sys; [json.loads(l) for l in sys.stdin]' <"$tmp/json" ||
		fail "--json output is not JSON"
fi

# Unknown and malformed PCs: messages on stderr, the others still printed, exit 1.
printf '0xffffffff81000000\nzz\n0xffffffff81000001\n%s\n0x7\nffffffff81000004\n' \
	"$(printf '0xffffffff%08x' $(( 0x81000000 + 4 * nblocks )))" >"$tmp/mixed"
"$UKCOV" symbolize <"$tmp/mixed" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || fail "unknown PCs: exit status $rc, expected 1"
[ "$(grep -c '^0x' "$tmp/out")" = 2 ] || fail "unknown PCs: the 2 good PCs were not both printed"
grep -q "line 2: 'zz' is not a hex PC" "$tmp/err" || fail "no message for a malformed PC: $(cat "$tmp/err")"
[ "$(grep -c 'not a block of this binary' "$tmp/err")" = 3 ] ||
	fail "expected 3 'not a block' messages: $(cat "$tmp/err")"

"$UKCOV" symbolize --help | grep -q -- '--json' || fail "--help does not document --json"
"$UKCOV" symbolize --help | grep -q -- '--all' || fail "--help does not document --all"
"$UKCOV" symbolize extra </dev/null >/dev/null 2>&1; [ $? = 2 ] || fail "an argument is not a usage error"
[ $fails = 0 ] && echo "all symbolize checks passed"
exit $((fails > 0))

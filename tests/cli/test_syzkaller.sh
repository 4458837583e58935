#!/bin/sh
# syzkaller's gVisor coverage back end consumes ukcov unmodified: it runs
# `<kernel object> symbolize -all` (Go-style single dash) and parses each
# entry's second line with its regex, stopping at the first that does not
# match. Through scripts/ukcov-syzkaller (installed beside ukcov) every entry
# must match; plain `ukcov symbolize -all` gives the same blocks.
. tests/cli/common.sh
re='^(.*/)?(pkg/[^:]+):([0-9]+).([0-9]+),([0-9]+).([0-9]+)$'
UKCOV="$UKCOV" sh scripts/ukcov-syzkaller symbolize -all >"$tmp/all" || fail "ukcov-syzkaller symbolize -all failed"
n=$(awk 'NR % 2 == 1' "$tmp/all" | wc -l)
blocks=$("$UKCOV" symbolize --all | awk 'NR % 2 == 1' | wc -l)
[ "$n" -gt 100 ] && [ "$n" = "$blocks" ] || fail "$n entries, expected every block ($blocks)"
bad=$(awk 'NR % 2 == 0' "$tmp/all" | grep -cvE "$re")
[ "$bad" = 0 ] || fail "$bad entries do not match syzkaller's regex, e.g.: $(awk 'NR % 2 == 0' "$tmp/all" | grep -vE "$re" | head -3)"
awk 'NR % 2 == 1' "$tmp/all" | grep -qvE '^0x[0-9a-f]+$' && fail "a first line is not 0x<pc>"
# Single-dash long options in every subcommand, as runsc takes them.
"$UKCOV" symbolize -all -json | head -1 | grep -q '"file":' || fail "symbolize -all -json"
"$UKCOV" run -tmpfs=/mnt/ukcov-syz -- sh -c 'echo x > /mnt/ukcov-syz/f && cat /mnt/ukcov-syz/f' | grep -qx x ||
	fail "run -tmpfs=..."
[ $fails = 0 ] && echo "$n entries, all match syzkaller's gVisor regex"
exit $((fails > 0))

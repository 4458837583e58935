#!/bin/sh
# ukcov run --mode: the two kernel builds have the same blocks in the same
# order (the same PC is the same block: same function, same file), trace
# PCs symbolize and report with `ukcov symbolize`/`report` unchanged, the
# set of blocks a syscall runs is the same in both modes, and the option
# and its default ($UKCOV_MODE) behave.
. tests/cli/common.sh
unset UKCOV_MODE
TWIN=$(dirname "$UKCOV")/ukcov-trace
[ -x "$TWIN" ] || { echo "FAIL: $TWIN is not built"; exit 1; }

# Same block table: per PC, the same function and file in both builds.
key() { sed -E 's/.*"pc":"([^"]*)","file":"([^"]*)".*"function":"([^"]*)".*/\1 \2 \3/'; }
"$UKCOV" symbolize --all --json | key >"$tmp/counter.blocks"
UKCOV_TWIN_DWARF=1 "$TWIN" symbolize --all --json | key >"$tmp/trace.blocks"
[ -s "$tmp/counter.blocks" ] || fail "no blocks listed"
cmp -s "$tmp/counter.blocks" "$tmp/trace.blocks" ||
	fail "the builds' blocks differ: $(diff "$tmp/counter.blocks" "$tmp/trace.blocks" | head -4)"

# The same probe in both modes: the trace's distinct PCs are the counter set.
build_probe
"$UKCOV" run --mode=trace -- "$B/tests/kcov_probe" >"$tmp/trace.pcs" || fail "trace-mode run failed"
"$UKCOV" run --mode=counters -- "$B/tests/kcov_probe" >"$tmp/counter.pcs" || fail "counter-mode run failed"
[ "$(wc -l <"$tmp/trace.pcs")" -gt "$(sort -u "$tmp/trace.pcs" | wc -l)" ] ||
	fail "trace mode: expected repeated PCs (a trace), got a set"
sort -u "$tmp/trace.pcs" >"$tmp/t.set"
sort -u "$tmp/counter.pcs" >"$tmp/c.set"
cmp -s "$tmp/t.set" "$tmp/c.set" || fail "distinct PCs differ between modes: $(diff "$tmp/t.set" "$tmp/c.set" | head -4)"
"$UKCOV" symbolize <"$tmp/trace.pcs" >"$tmp/sym" || fail "symbolize of trace PCs failed"
grep -q '^kernel/syscalls/sys_rw.c:' "$tmp/sym" || fail "trace PCs: no kernel/syscalls/sys_rw.c block"
"$TWIN" symbolize <"$tmp/trace.pcs" | cmp -s - "$tmp/sym" || fail "ukcov-trace symbolize differs from ukcov symbolize"
"$UKCOV" report --lcov "$tmp/cov.info" "$tmp/trace.pcs" || fail "report of trace PCs failed"
grep -q '^FNDA:1,sys_read$' "$tmp/cov.info" || fail "report of trace PCs: sys_read not hit"

# The filter and comparison ips in trace mode: ips are block PCs of the filtered files.
"$UKCOV" run --mode=trace --instrumentation-filter=kernel/syscalls/sys_rw.c -- "$B/tests/kcov_probe" >"$tmp/f.pcs" ||
	fail "trace-mode run with a filter failed"
files=$("$UKCOV" symbolize <"$tmp/f.pcs" | grep -v '^0x' | cut -d: -f1 | sort -u)
[ "$files" = kernel/syscalls/sys_rw.c ] || fail "trace mode, filter kernel/syscalls/sys_rw.c: PCs in '$files'"
"$UKCOV" run --mode=trace --instrumentation-filter=kernel/syscalls/sys_rw.c -- "$B/examples/kcov_cmp" |
	sed -n 's/.*ip=//p' >"$tmp/ips"
[ -s "$tmp/ips" ] || fail "trace mode, filter: no comparison records"
files=$("$UKCOV" symbolize <"$tmp/ips" | grep -v '^0x' | cut -d: -f1 | sort -u)
[ "$files" = kernel/syscalls/sys_rw.c ] || fail "comparison ips with filter kernel/syscalls/sys_rw.c: in '$files'"

# The documentation's remote flow (examples/kcov_remote.c) under trace mode.
n=$("$UKCOV" run --mode=trace --tmpfs=/mnt/ukcov-ex -- "$B/examples/kcov_remote" /mnt/ukcov-ex | wc -l)
[ "$n" -gt 0 ] || fail "examples/kcov_remote under --mode=trace printed no PC"

# --mode and its default.
"$UKCOV" run --mode=bogus -- true 2>/dev/null; rc=$?
[ $rc = 2 ] || fail "--mode=bogus: expected exit 2 got $rc"
out=$("$UKCOV" run -- "$B/examples/kcov_cmp" | head -1)
[ "$out" = "comparison mode not supported (ENOTSUPP)" ] || fail "default mode: kcov_cmp said '$out'"
out=$(UKCOV_MODE=trace "$UKCOV" run -- "$B/examples/kcov_cmp" | head -1)
[ "$out" -gt 0 ] 2>/dev/null || fail "UKCOV_MODE=trace: kcov_cmp said '$out'"
out=$(UKCOV_MODE=trace "$UKCOV" run --mode=counters -- "$B/examples/kcov_cmp" | head -1)
[ "$out" = "comparison mode not supported (ENOTSUPP)" ] || fail "--mode=counters over UKCOV_MODE: '$out'"
out=$("$TWIN" run -- "$B/examples/kcov_cmp" | head -1)
[ "$out" = "comparison mode not supported (ENOTSUPP)" ] || fail "ukcov-trace run defaults to counters: '$out'"
"$UKCOV" run --mode=trace -- sh -c 'exit 5'; rc=$?
[ $rc = 5 ] || fail "trace mode exit status: expected 5 got $rc"

[ $fails = 0 ] && echo "all --mode checks passed"
exit $((fails > 0))

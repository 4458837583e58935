#!/bin/sh
# ukcov run --instrumentation-filter: the pattern semantics on the library
# function (filter_cases.c), then end to end: PCs of the selected files only,
# exclusion, order, and the no-match error listing the instrumented files.
. tests/cli/common.sh

mkdir -p "$B/tests"
${CC:-cc} ${SANFLAGS:-} -std=gnu11 -Wall -Wextra -Werror -Iinclude -o "$B/tests/filter_cases" \
	tests/cli/filter_cases.c "$B/lib/libukcov-srcmap.a" "$B/lib/libukcov.a" -ldw -lelf -lpthread ||
	{ echo "FAIL: cannot build filter_cases"; exit 1; }
"$B/tests/filter_cases" || fail "filter_cases"
${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -O1 -o "$B/tests/kcov_probe" tests/cli/kcov_probe.c ||
	{ echo "FAIL: cannot build the probe guest"; exit 1; }

# files_of FILTER: the sorted set of files the probe's PCs come from under FILTER.
files_of() {
	"$UKCOV" run --instrumentation-filter="$1" -- "$B/tests/kcov_probe" >"$tmp/pcs" ||
		{ fail "run with filter '$1' failed"; return; }
	"$UKCOV" symbolize <"$tmp/pcs" | grep -v '^0x' | cut -d: -f1 | sort -u
}

all=$("$UKCOV" run -- "$B/tests/kcov_probe" | "$UKCOV" symbolize | grep -v '^0x' | cut -d: -f1 | sort -u)
echo "$all" | grep -qx kernel/syscalls/sys_rw.c || fail "the probe does not reach kernel/syscalls/sys_rw.c: $all"
[ "$(echo "$all" | wc -l)" -ge 3 ] || fail "the probe reaches fewer than 3 files: $all"

# include one file: its PCs only, and some of them
got=$(files_of kernel/syscalls/sys_rw.c)
[ "$got" = kernel/syscalls/sys_rw.c ] || fail "filter kernel/syscalls/sys_rw.c gave PCs of: $got"
# exclude alone: everything else
got=$(files_of -kernel/syscalls/sys_rw.c)
[ "$got" = "$(echo "$all" | grep -vx kernel/syscalls/sys_rw.c)" ] || fail "filter -kernel/syscalls/sys_rw.c gave: $got"
# order: the last matching pattern wins
got=$(files_of 'kernel/*,-kernel/syscalls/sys_rw.c')
[ "$got" = "$(echo "$all" | grep -vx kernel/syscalls/sys_rw.c)" ] || fail "kernel/*,-kernel/syscalls/sys_rw.c gave: $got"
got=$(files_of '-kernel/syscalls/sys_rw.c,kernel/syscalls/sys_rw.c')
[ "$got" = "$all" ] || fail "-kernel/syscalls/sys_rw.c,kernel/syscalls/sys_rw.c gave: $got"
# a glob across directories selects nested files only
got=$(files_of 'kernel/fs/*')
echo "$got" | grep -qx kernel/fs/kcovfs.c || fail "kernel/fs/* lost kernel/fs/kcovfs.c: $got"
echo "$got" | grep -v '^kernel/fs/' | grep -q . && fail "kernel/fs/* gave PCs outside kernel/fs: $got"

# a pattern matching no instrumented file: error at start-up listing the files
"$UKCOV" run --instrumentation-filter='kernel/*,kernel/nope.c' -- true >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] || fail "no-match: exit status $rc, expected 2"
grep -q "'kernel/nope.c' matches no instrumented file" "$tmp/err" || fail "no-match message: $(head -2 "$tmp/err")"
"$UKCOV" symbolize --all | grep -v '^0x' | cut -d: -f1 | sort -u >"$tmp/files"
grep '^  ' "$tmp/err" | sed 's/^  //' | cmp -s - "$tmp/files" ||
	fail "no-match does not list exactly the instrumented files"
"$UKCOV" run --instrumentation-filter='kernel/*,,x' -- true >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "empty pattern: exit status $rc, expected 2"
[ $fails = 0 ] && echo "all filter checks passed"
exit $((fails > 0))

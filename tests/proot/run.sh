#!/bin/sh
# make check-proot: proot with ukcov's kcov extension (integrations/proot/),
# tried as its users would, in both modes:
#   sh tests/proot/run.sh BUILD_DIR      (after make proot PROOT_SRC=DIR)
# - kcovtrace /bin/true under `proot --kcov`: PCs, every one symbolized by
#   `ukcov symbolize --binary=` to a line of proot's own sources; `ukcov
#   report --binary= --html` over them; another build's binary refused;
# - without --kcov the kcov path is what upstream proot shows; with it, open
#   and stat of the path succeed;
# - the conformance guests (tests/conformance) under both builds with
#   seccomp acceleration off (PROOT_NO_SECCOMP=1: proot stops every
#   syscall, so every probe runs proot's code), the 2025 selftest 7/7 in
#   trace mode; the guests a tracer cannot satisfy are listed with the
#   reason (docs/embedding-proot.md) and must still fail the same way;
# - with seccomp acceleration on, kcovtrace still sees the syscalls proot stops;
# - a guest that opens and closes the kcov file 300 times leaves proot
#   holding at most two areas (the sweep of unreferenced kcovs).
# Last line: "N passed, N failed".
set -u
B=${1:-build}
P=$B/integrations/proot
UKCOV=$B/bin/ukcov
pass=0 fail=0 failed=""
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in proot proot-trace proot-upstream; do
	[ -x "$P/$f" ] || { echo "check-proot: $P/$f is not built (make proot PROOT_SRC=DIR)"; exit 1; }
done
ok() { pass=$((pass + 1)); printf '  PASS  %s\n' "$1"; }
ko() { fail=$((fail + 1)); failed="$failed $1"; printf '  FAIL  %s: %s\n' "$1" "$2"; }

# Guests: ordinary programs, the kcov ABI of <linux/kcov.h> only.
for g in kcovtrace kcov_path kcov_churn; do
	cc -std=gnu11 -Wall -Wextra -Werror -O1 -g "tests/proot/$g.c" -o "$B/tests/proot-$g" ||
		{ echo "check-proot: cannot build tests/proot/$g.c"; exit 1; }
done

echo "kcovtrace under proot --kcov, symbolized with --binary"
for mode in proot proot-trace; do
	name=$mode/kcovtrace
	PROOT_NO_SECCOMP=1 "$P/$mode" --kcov -r / "$B/tests/proot-kcovtrace" /bin/true >"$tmp/pcs" 2>"$tmp/err" ||
		{ ko "$name" "kcovtrace failed: $(tail -2 "$tmp/err")"; continue; }
	n=$(grep -c . "$tmp/pcs")
	[ "$n" -gt 50 ] || { ko "$name" "only $n PCs"; continue; }
	"$UKCOV" symbolize --binary="$P/$mode" <"$tmp/pcs" >"$tmp/sym" 2>"$tmp/err" ||
		{ ko "$name" "symbolize: $(head -2 "$tmp/err")"; continue; }
	tree=$P/src-$([ "$mode" = proot ] && echo counters || echo trace)/src
	bad=$(grep -v '^0x' "$tmp/sym" | while IFS=: read -r file pos; do
		[ -f "$tree/$file" ] && [ "${pos%%.*}" -le "$(wc -l <"$tree/$file")" ] || echo "$file:$pos"
	done | head -3)
	[ -z "$bad" ] || { ko "$name" "PCs not at lines of proot's sources: $bad"; continue; }
	grep -v '^0x' "$tmp/sym" | grep -q '^\(path\|syscall\|execve\)/' ||
		{ ko "$name" "no PC in path/, syscall/ or execve/"; continue; }
	grep -v '^0x' "$tmp/sym" | grep '^\(cli\|tracee\|loader\|extension/kcov\)/[^/]*\.c:' | head -1 | grep . &&
		{ ko "$name" "PCs in proot's uninstrumented entry, loop or glue"; continue; }
	ok "$name ($n PCs, $(sort -u "$tmp/pcs" | wc -l) blocks)"
	cp "$tmp/pcs" "$tmp/pcs-$mode"
done

name=proot/report-html
if "$UKCOV" report --binary="$P/proot" --html "$tmp/html" --lcov "$tmp/proot.info" "$tmp/pcs-proot" 2>"$tmp/err" &&
	grep -q 'path/canon.c' "$tmp/html/index.html" && grep -q '^DA:[0-9]*,[1-9]' "$tmp/proot.info"; then
	ok "$name"
else
	ko "$name" "$(head -2 "$tmp/err")"
fi

name=proot/build-id
id=$(PROOT_NO_SECCOMP=1 "$P/proot" -v 1 --kcov -r / /bin/true 2>&1 | sed -n 's/.*kcov: serving.*build-id: \([0-9a-f]*\).*/\1/p')
real=$(readelf -n "$P/proot" | sed -n 's/.*Build ID: //p')
if [ -n "$id" ] && [ "$id" = "$real" ] &&
	"$UKCOV" symbolize --binary="$P/proot" --build-id="$id" <"$tmp/pcs-proot" >/dev/null 2>&1 &&
	! "$UKCOV" symbolize --binary="$P/proot-trace" --build-id="$id" <"$tmp/pcs-proot" >/dev/null 2>&1; then
	ok "$name"
else
	ko "$name" "proot -v 1 says '$id', readelf '$real', or another build was not refused"
fi

name=proot/no-kcov-as-upstream
"$P/proot" -r / "$B/tests/proot-kcov_path" >"$tmp/ours" 2>&1
"$P/proot-upstream" -r / "$B/tests/proot-kcov_path" >"$tmp/upstream" 2>&1
"$P/proot" --kcov -r / "$B/tests/proot-kcov_path" >"$tmp/kcov" 2>&1
if cmp -s "$tmp/ours" "$tmp/upstream" && [ "$(cat "$tmp/kcov")" = "open: ok
stat: ok" ]; then
	ok "$name"
else
	ko "$name" "without --kcov: $(tr '\n' ' ' <"$tmp/ours"); upstream: $(tr '\n' ' ' <"$tmp/upstream"); with: $(tr '\n' ' ' <"$tmp/kcov")"
fi

name=proot/seccomp-on
if "$P/proot" --kcov -r / "$B/tests/proot-kcovtrace" /bin/true >"$tmp/pcs-sc" 2>"$tmp/err" &&
	[ "$(grep -c . "$tmp/pcs-sc")" -gt 50 ]; then
	ok "$name ($(grep -c . "$tmp/pcs-sc") PCs from the syscalls proot stops)"
else
	ko "$name" "$(grep -c . "$tmp/pcs-sc") PCs; $(tail -1 "$tmp/err")"
fi

name=proot/sweep
held=$("$P/proot" --kcov -r / "$B/tests/proot-kcov_churn" 300 2>"$tmp/err")
if [ -n "$held" ] && [ "$held" -le 2 ] && [ "$held" -ge 0 ]; then
	ok "$name (proot holds $held area after 300 open/close)"
else
	ko "$name" "proot holds '$held' kcov areas after 300 open/close: $(tail -1 "$tmp/err")"
fi

# Guests a tracer cannot satisfy, and why (docs/embedding-proot.md). They must fail, not pass:
# a pass means the limit is gone and the list is stale.
limit() { # limit GUEST MODE
	case $1 in
	exec_thread) echo "upstream proot cannot execve from a non-leader thread" ;;
	trace_order) echo "asks for ukcov's own kernel's path walk" ;;
	cmp_records) [ "$2" = proot-trace ] || return 1
		echo "the ioctl's comparisons are in the uninstrumented kcov glue" ;;
	*) return 1 ;;
	esac
}
echo "conformance guests under proot --kcov (PROOT_NO_SECCOMP=1)"
for mode in proot proot-trace; do
	for t in "$B"/tests/conformance/*; do
		[ -x "$t" ] || continue
		g=${t##*/} name=$mode/conformance/$g
		if [ "$mode" = proot-trace ]; then
			env PROOT_NO_SECCOMP=1 UKCOV_MODE=trace UKCOV_EXPECT_CMP=1 timeout 120 \
				"$P/$mode" --kcov -r / "$t" >"$tmp/log" 2>&1
		else
			env PROOT_NO_SECCOMP=1 UKCOV_MODE=counters timeout 120 "$P/$mode" --kcov -r / "$t" >"$tmp/log" 2>&1
		fi
		rc=$?
		why=$(limit "$g" "$mode")
		if [ -n "$why" ]; then
			[ $rc != 0 ] && [ $rc != 77 ] && ok "$name (fails as expected: $why)" ||
				ko "$name" "passes although listed as a tracer's limit ($why)"
			continue
		fi
		case $rc in
		0) ok "$name" ;;
		77) # Counter mode has no comparisons: the CMP variants skip, and only those.
			if [ "$mode" = proot ] && grep -q 'CMP\|comparison\|6 of 7 variants ran' "$tmp/log"; then
				ok "$name (skip: $(tail -1 "$tmp/log"))"
			else
				ko "$name" "skipped: $(tail -1 "$tmp/log")"
			fi ;;
		*) ko "$name" "exit $rc: $(grep -m1 FAIL "$tmp/log")" ;;
		esac
		[ "$g" = selftest_2025 ] && [ "$mode" = proot-trace ] &&
			{ grep -q '^7 of 7 variants ran$' "$tmp/log" || ko "$name" "not 7 of 7: $(tail -1 "$tmp/log")"; }
	done
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ $fail = 0 ]

#!/bin/sh
# make demo: an unmodified kcov client (examples/kcov_probes.c, written for
# Linux's /sys/kernel/debug/kcov) runs under ukcov's user-space kernel.
set -eu
B=${1:-build}
UKCOV=$B/bin/ukcov
echo "== ukcov run -- $B/examples/kcov_probes"
echo "   each probe: one syscall between resetting area[0] and reading it back"
echo
"$UKCOV" run -- "$B/examples/kcov_probes"
echo
if "$UKCOV" symbolize --help >/dev/null 2>&1; then
	echo "== the PCs of read(-1, NULL, 0), symbolized (ukcov symbolize)"
	"$UKCOV" run -- "$B/examples/kcov_single" | tail -n +2 | "$UKCOV" symbolize | paste - - | head -n 12
	echo
fi
echo "== kcovtrace style: the parent maps, a forked child enables and probes"
"$UKCOV" run -- "$B/examples/kcov_fork" | head -n 1 | sed 's/^/PCs seen by the parent: /'
echo
echo "== comparison mode (KCOV_TRACE_CMP): counter mode, then ukcov run --mode=trace"
"$UKCOV" run -- "$B/examples/kcov_cmp" || true
"$UKCOV" run --mode=trace -- "$B/examples/kcov_cmp" | head -n 6 || true
echo
echo "== trace mode: the PCs of read(-1, NULL, 0) in execution order (ukcov run --mode=trace)"
"$UKCOV" run --mode=trace -- "$B/examples/kcov_single" | tail -n +2 | tr '\n' ' ' | fold -w 100
echo
echo
echo "== remote coverage: a child's tmpfs file release lands in the parent's area"
"$UKCOV" run --mode=trace --tmpfs=/mnt/r -- "$B/examples/kcov_remote" /mnt/r |
	"$UKCOV" symbolize | grep -v '^0x' | cut -d: -f1 | sort | uniq -c | sort -rn | sed 's/^/   /'
echo
echo "== a user-space tmpfs: ukcov run --tmpfs=/mnt/t -- sh -c '...'"
"$UKCOV" run --tmpfs=/mnt/t -- sh -c 'mkdir /mnt/t/a && echo hi > /mnt/t/a/f && cat /mnt/t/a/f && ls -la /mnt/t/a'
echo
echo "== kcov over tmpfs: stat() of a shallow and a deep path, a miss and a hit"
"$UKCOV" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/kcov_paths" /mnt/t >"$B/demo-paths.txt"
awk '{ printf "  %-8s %3d PCs\n", $1, $2 }' "$B/demo-paths.txt"
echo "  the deep walk's PCs by source file (ukcov symbolize):"
awk '$1 == "deep" { for (i = 3; i <= NF; i++) print $i }' "$B/demo-paths.txt" |
	"$UKCOV" symbolize | grep -v '^0x' | cut -d: -f1 | sort | uniq -c | sort -rn | sed 's/^/   /'

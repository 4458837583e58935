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
echo "== comparison mode (KCOV_TRACE_CMP)"
"$UKCOV" run -- "$B/examples/kcov_cmp" || true

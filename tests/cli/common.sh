# Sourced by the shell tests in tests/cli/: the build dir, the binary, a
# failure counter, a scratch dir removed on exit, and the probe guest.
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
[ -x "$UKCOV" ] || { echo "FAIL: $UKCOV is not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A kcov client that prints the PCs of a few probes, one per line.
build_probe() {
	mkdir -p "$B/tests"
	${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -O1 -o "$B/tests/kcov_probe" tests/cli/kcov_probe.c ||
		{ echo "FAIL: cannot build the probe guest"; exit 1; }
}

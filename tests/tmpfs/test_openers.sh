#!/bin/sh
# Many openers of one file (openers.c): 24 processes with credentials of
# their own each open it, link their own description (linkat
# AT_EMPTY_PATH: allowed to the opener's credentials only, since Linux
# 6.10) and fail with ENOENT on the previous process's, and see O_NOFOLLOW
# in F_GETFL. The transcript under ukcov must be Linux's answer, kept
# here, which Linux's tmpfs (/dev/shm) gives on 6.10 and later (checked
# there too; older kernels refuse every such link to the unprivileged:
# ukcov follows the newest Linux, as in the differential suite).
# With the memfd store (an unprivileged supervisor's way, forced here by
# UKCOV_FORCE_FALLBACKS) a description's tag names 16 openers at most, a
# a deviation in docs/tmpfs.md: skipped there.
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
. "$(dirname "$0")/known.sh"
case ",${UKCOV_FORCE_FALLBACKS:-}," in
*,all,*|*,1,*|*,tmpfs_store,*) echo "skip: the memfd store's tag names 16 openers (forced fallback)"; exit 77 ;;
esac
[ "$(id -u)" = 0 ] || { echo "skip: needs root (setresuid)"; exit 77; }
ref=$(mktemp -d /dev/shm/ukcov-openers.XXXXXX) || exit 1
trap 'rm -rf "$ref"' EXIT
i=0
while [ $i -lt 24 ]; do
	echo "child $i: own description linked 1, F_GETFL O_NOFOLLOW 1, the previous child's: -ENOENT"
	i=$((i + 1))
done > "$ref/known"
rel=$(uname -r)
major=${rel%%.*} minor=${rel#*.}; minor=${minor%%[!0-9]*}
if [ "$major" -gt 6 ] || { [ "$major" = 6 ] && [ "$minor" -ge 10 ]; }; then
	chmod 755 "$ref" && mkdir "$ref/d"
	timeout 30 "$B/tests/tmpfs/openers" "$ref/d" > "$ref/linux" 2>&1
	if ! diff -u "$ref/known" "$ref/linux"; then
		echo "FAIL: the known answer is not this Linux's tmpfs's (above)"
		exit 1
	fi
fi
timeout 60 "$UKCOV" run --tmpfs=/mnt/ukcov-openers -- "$B/tests/tmpfs/openers" /mnt/ukcov-openers > "$ref/got" 2>&1
known_ok openers $? "$ref/known" "$ref/got" "Linux 6.10+"

#!/bin/sh
# Many openers of one file (openers.c): 24 processes with credentials of
# their own each open it, link their own description (linkat
# AT_EMPTY_PATH: allowed to the opener's credentials only) and fail with
# ENOENT on the previous process's, and see O_NOFOLLOW in F_GETFL: the
# transcript under ukcov is Linux's tmpfs's (/dev/shm) line for line.
# With the memfd store (an unprivileged supervisor's way, forced here by
# UKCOV_FORCE_FALLBACKS) a description's tag names 16 openers at most, a
# README deviation: skipped there.
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
case ",${UKCOV_FORCE_FALLBACKS:-}," in
*,all,*|*,1,*|*,tmpfs_store,*) echo "skip: the memfd store's tag names 16 openers (forced fallback)"; exit 77 ;;
esac
[ "$(id -u)" = 0 ] || { echo "skip: needs root (setresuid)"; exit 77; }
ref=$(mktemp -d /dev/shm/ukcov-openers.XXXXXX) || exit 1
trap 'rm -rf "$ref"' EXIT
chmod 755 "$ref" && mkdir "$ref/d"
want=$(timeout 30 "$B/tests/tmpfs/openers" "$ref/d" 2>&1) || { echo "FAIL: openers fails on Linux's tmpfs"; echo "$want"; exit 1; }
got=$(timeout 60 "$UKCOV" run --tmpfs=/mnt/ukcov-openers -- "$B/tests/tmpfs/openers" /mnt/ukcov-openers 2>&1)
rc=$?
printf '%s\n' "$want" > "$ref/want"
printf '%s\n' "$got" > "$ref/got"
if [ $rc != 0 ] || ! diff -u "$ref/want" "$ref/got" > "$ref/diff"; then
	echo "FAIL: openers under ukcov (exit $rc) differs from Linux's tmpfs:"
	sed 's/^/    /' "$ref/diff"
	exit 1
fi
echo "ok   openers: $(wc -l < "$ref/got") lines as on /dev/shm"

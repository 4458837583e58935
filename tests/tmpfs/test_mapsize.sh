#!/bin/sh
# size= and writable shared mappings (mapsize.c): a page first written
# through a mapping past size= is SIGBUS, a mapping's write moves
# mtime/ctime, MADV_REMOVE gives pages back. The transcript under
# `ukcov run --tmpfs=DIR:size=` is compared with a Linux tmpfs mounted with
# the same size (when we may mount one) and with Linux's known answer.
# UKCOV_FORCE_FALLBACKS=tmpfs_store (memfds, an unprivileged supervisor's
# way) cannot refuse a mapping's page: skipped there (a deviation in docs/tmpfs.md).
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
. "$(dirname "$0")/known.sh"
PAGES=10
case ",${UKCOV_FORCE_FALLBACKS:-}," in
*,all,*|*,1,*|*,tmpfs_store,*) echo "skip: memfd data (forced fallback) cannot refuse a mapping's page"; exit 77 ;;
esac
tmp=$(mktemp -d) || exit 1
trap 'umount "$tmp/mnt" 2>/dev/null; rm -rf "$tmp"' EXIT
cat > "$tmp/known" <<'KNOWN'
free pages at start: all
pages written through the mapping before SIGBUS: 10 of 20 (mount: 10)
st_blocks: 80, free pages: 0
mtime moved: 1, ctime moved: 1
write into a new page: -ENOSPC
write into a present page: 1
long symlink: -ENOSPC
short symlink: 0
MADV_REMOVE 4 pages: 0
st_blocks: 48, free pages: 4
long symlink now: 0
free pages: 3
pages written through the mapping again: 3
free pages: 0
read back page 1: m
free pages with the long symlink left: 9
free pages at the end: all
KNOWN
mkdir "$tmp/mnt"
if mount -t tmpfs -o "size=$((PAGES * 4096)),huge=never" tmpfs "$tmp/mnt" 2>/dev/null; then
	timeout 30 "$B/tests/tmpfs/mapsize" "$tmp/mnt" $PAGES > "$tmp/linux" 2>&1
	umount "$tmp/mnt"
	if ! diff -u "$tmp/known" "$tmp/linux"; then
		echo "FAIL: the known answer is not this Linux's tmpfs's (above)"
		exit 1
	fi
	echo "Linux tmpfs size=$PAGES pages: the known answer"
fi
timeout 30 "$UKCOV" run --tmpfs=/mnt/ukcov-mapsize:size=$((PAGES * 4))k -- \
	"$B/tests/tmpfs/mapsize" /mnt/ukcov-mapsize $PAGES > "$tmp/got" 2>&1
known_ok mapsize $? "$tmp/known" "$tmp/got" "on a Linux tmpfs of the same size"

#!/bin/sh
# The remote producer: a file release done for a child lands in the area of
# the KCOV_REMOTE_ENABLE client that passed the common handle, and the PCs
# symbolize to the tmpfs code that released it.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
out=$("$UKCOV" run --tmpfs=/mnt/ukcov-rm -- "$B/tests/tmpfs/kcov_remote" /mnt/ukcov-rm) || {
	echo "FAIL: kcov_remote exited $?"; exit 1; }
files=$(echo "$out" | "$UKCOV" symbolize | grep -v '^0x' | cut -d: -f1 | sort -u)
echo "release covered: $(echo "$out" | wc -l) PCs in" $files
echo "$files" | grep -q '^kernel/fs/tmpfs' || { echo "FAIL: no tmpfs code in the release"; exit 1; }
echo "$files" | grep -q '^kernel/vfs/fsctx.c' || { echo "FAIL: no cwd-record drop (kernel/vfs/fsctx.c)"; exit 1; }
exit 0

#!/bin/sh
# "#!" scripts executed from a mount get binfmt_script's argv (the script's
# own path as the interpreter's argument, so "$0" is it and `dirname "$0"`
# works as autoconf's configure needs): the transcript of exec_script.sh in
# a mount equals the one on Linux's tmpfs (/dev/shm).
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
S=tests/tmpfs/exec_script.sh
shm=$(mktemp -d /dev/shm/ukcov-exec-script.XXXXXX)
out=$(mktemp -d /tmp/ukcov-exec-script.XXXXXX)
trap 'rm -rf "$shm" "$out"' EXIT
sh "$S" "$shm" >"$out/native" 2>&1
"$UKCOV" run --tmpfs=/mnt/ukcov-exec-script -- sh "$S" /mnt/ukcov-exec-script >"$out/ukcov" 2>&1
if ! diff -u "$out/native" "$out/ukcov"; then
	echo "FAIL: the transcripts differ (- Linux's tmpfs, + ukcov)"
	exit 1
fi
cat "$out/ukcov"
grep -q "configure: srcdir=.$" "$out/ukcov" || { echo "FAIL: no configure line"; exit 1; }
echo "exec_script: the transcripts match ($(wc -l <"$out/ukcov") lines)"

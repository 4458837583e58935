#!/bin/sh
# execve of files inside a mount: the same checks pass on Linux's tmpfs
# (/dev/shm) and inside `ukcov run --tmpfs` (exec_mount.c).
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
shm=$(mktemp -d /dev/shm/ukcov-exec.XXXXXX)
trap 'rm -rf "$shm"' EXIT
fails=0
"$B/tests/tmpfs/exec_mount" "$shm" || { echo "FAIL: on Linux's tmpfs"; fails=1; }
"$UKCOV" run --tmpfs=/mnt/ukcov-exec -- "$B/tests/tmpfs/exec_mount" /mnt/ukcov-exec ||
	{ echo "FAIL: inside ukcov run --tmpfs"; fails=1; }
exit $fails

#!/bin/sh
# Device nodes in a mount open the host device of their number, where Linux
# would let the caller: the same shell scripts on /dev/shm and under ukcov.
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
[ "$(id -u)" = 0 ] || { echo "skipped: mknod of devices needs root"; exit 77; }
command -v setpriv >/dev/null || { echo "skipped: no setpriv"; exit 77; }
ref=$(mktemp -d /dev/shm/ukcov-dev.XXXXXX) || exit 1
trap 'rm -rf "$ref"' EXIT
# A block device the host has (its st_blksize is the device's minimum I/O size).
bdev=$(ls /sys/dev/block 2>/dev/null | head -n1)
bmaj=${bdev%%:*} bmin=${bdev##*:}
scripts='
mknod "$D/null" c 1 3 && echo hi > "$D/null"; echo rc=$?; cat "$D/null"; stat -c "%F %t:%T %a %h" "$D/null"
mknod "$D/zero" c 1 5 && head -c 4 "$D/zero" | od -An -tx1; stat -c "%F %t:%T %a %h" - < "$D/zero"
mknod "$D/nx" c 240 1; cat "$D/nx"; mknod "$D/wh" c 0 0; cat "$D/wh"; mknod "$D/bx" b 240 1; cat "$D/bx"
mknod "$D/null" c 1 3; chmod 600 "$D/null"; setpriv --reuid=1000 --regid=1000 --clear-groups sh -c "echo x > \"$D/null\"; echo rc=\$?"
mknod "$D/null" c 1 3; chmod 666 "$D/null"; setpriv --reuid=1000 --regid=1000 --clear-groups sh -c "echo x > \"$D/null\"; echo rc=\$?; mknod \"$D/n2\" c 1 3"
'
[ -n "$bdev" ] && scripts="$scripts
mknod \"\$D/b\" b $bmaj $bmin; stat -c \"%F %t:%T %o\" \"\$D/b\"; stat -c \"%o\" - < \"\$D/b\""
printf "%s\n" "$scripts" | while IFS= read -r s; do
	[ -n "$s" ] || continue
	rm -rf "$ref" && mkdir -p "$ref" && chmod 1777 "$ref"
	want=$(cd / && D=$ref timeout 10 sh -c "$s" 2>&1 | sed "s|$ref|D|g")
	got=$(cd / && D=/mnt/ukcov-dev timeout 10 "$UKCOV" run --tmpfs=/mnt/ukcov-dev -- sh -c "$s" 2>&1 | sed "s|/mnt/ukcov-dev|D|g")
	if [ "$want" = "$got" ]; then
		printf "ok   %s\n" "$s"
	else
		printf "FAIL %s\n  /dev/shm:\n%s\n  ukcov:\n%s\n" "$s" "$want" "$got"
		exit 1
	fi
done

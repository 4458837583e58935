#!/bin/sh
# Magic links (/proc/self/fd/N, /dev/fd/N, /dev/stdout...) to files and
# nodes of a mount lead to them, as on Linux: the same shell scripts on
# /dev/shm and under ukcov, outputs compared (coreutils' `mkfifo -m` and
# `mknod -m` set the mode through /proc/self/fd).
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
ref=$(mktemp -d /dev/shm/ukcov-fdl.XXXXXX) || exit 1
trap 'rm -rf "$ref"' EXIT
scripts='
umask 022; mkfifo -m 666 "$D/f"; mkfifo -m 1777 "$D/g"; stat -c "%n %a %F" "$D/f" "$D/g"
umask 077; mknod -m 644 "$D/n" c 1 3; mknod -m 666 "$D/s" p; stat -c "%n %a %F" "$D/n" "$D/s"
echo data > "$D/r"; exec 5<>"$D/r"; chmod 0620 /dev/fd/5; chown 7:8 /proc/self/fd/5; stat -c "%a %u %g %s" "$D/r"; stat -L -c "%F %s %a" /proc/self/fd/5 /dev/fd/5
sh -c "echo viastdout > /dev/stdout" > "$D/o"; cat "$D/o"; cat /dev/stdin < "$D/o"; cat /proc/self/fd/0 < "$D/o"
mkdir "$D/d"; exec 6<"$D/d"; touch /proc/self/fd/6/inside; ls "$D/d"; stat -c %F /dev/fd/6/; cd /dev/fd/6 && pwd -P
echo 12345 > "$D/t"; exec 7<"$D/t"; truncate -s 2 /dev/fd/7; cat "$D/t"; echo; stat -c %F /dev/fd/7/ 2>&1; test -w /dev/fd/7 && echo writable
mkfifo "$D/p"; exec 8<>"$D/p"; chmod 0600 /dev/fd/8; stat -c "%a" "$D/p"; echo through > /dev/fd/8; head -n1 /dev/fd/8
'
printf "%s\n" "$scripts" | while IFS= read -r s; do
	[ -n "$s" ] || continue
	rm -rf "$ref" && mkdir -p "$ref" && chmod 1777 "$ref"
	want=$(cd / && D=$ref timeout 10 sh -c "$s" 2>&1 | sed "s|$ref|D|g")
	got=$(cd / && D=/mnt/ukcov-fdl timeout 10 "$UKCOV" run --tmpfs=/mnt/ukcov-fdl -- sh -c "$s" 2>&1 | sed "s|/mnt/ukcov-fdl|D|g")
	if [ "$want" = "$got" ]; then
		printf "ok   %s\n" "$s"
	else
		printf "FAIL %s\n  /dev/shm:\n%s\n  ukcov:\n%s\n" "$s" "$want" "$got"
		exit 1
	fi
done

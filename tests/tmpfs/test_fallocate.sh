#!/bin/sh
# fallocate(1) (plain, -p punch, -d dig holes, -z zero range) in a full
# mount: what `ukcov run --tmpfs=DIR:size=64k` does, with the private store
# and with memfds (UKCOV_FORCE_FALLBACKS=1), must be what a Linux tmpfs
# mounted with size=64k does: the same ENOSPC, nothing left allocated by a
# refused range, the same blocks after digging holes, a full mount's write
# into pages fallocate allocated (no new page: it fits).
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
command -v fallocate >/dev/null || { echo "no fallocate(1)"; exit 77; }
fallocate --help 2>&1 | grep -q BusyBox && { echo "SKIP: busybox fallocate(1) has no -n, -d, -z (util-linux's does)"; exit 77; }
tmp=$(mktemp -d /tmp/ukcov-falloc.XXXXXX) || exit 1
trap 'umount "$tmp/m" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/m"
mount -t tmpfs -o size=64k tmpfs "$tmp/m" 2>/dev/null || { echo "cannot mount a Linux tmpfs to compare"; exit 77; }
probe='d=$1
fallocate -l 32k $d/a; echo a=$?; fallocate -l 48k $d/b; echo b=$?
ls -s $d; stat -f -c "free %f" $d
head -c 20000 /dev/urandom > $d/c; head -c 8192 /dev/zero >> $d/c
head -c 9000 /dev/urandom >> $d/c; du -k $d/c
fallocate -d $d/c; echo d=$?; du -k $d/c; stat -c %s $d/c
fallocate -o 1000 -l 100 -p $d/c; echo p=$?; fallocate -z -l 10 $d/c; echo z=$?
fallocate -n -l 1m $d/c; echo n=$?; stat -c "%s %b" $d/c
rm -f $d/a $d/b $d/c; fallocate -l 64k $d/f; echo f=$?
dd if=/dev/zero of=$d/f bs=64k count=1 conv=notrunc 2>&1 | tail -1 | cut -d" " -f1
fallocate -n -l 64k $d/f; echo n2=$?; fallocate -n -o 64k -l 4k $d/f; echo n3=$?'
want=$(sh -c "$probe" sh "$tmp/m" 2>&1 | sed "s#$tmp/m#/mnt/fa#g")
fails=0
for forced in "" 1; do
	got=$(UKCOV_FORCE_FALLBACKS=$forced "$UKCOV" run --tmpfs=/mnt/fa:size=64k -- sh -c "$probe" sh /mnt/fa 2>&1)
	if [ "$got" != "$want" ]; then
		echo "FAIL (UKCOV_FORCE_FALLBACKS=$forced): ukcov then Linux:"
		printf '%s\n' "$got" > "$tmp/got"; printf '%s\n' "$want" > "$tmp/want"
		diff "$tmp/got" "$tmp/want"
		fails=1
	fi
done
[ $fails = 0 ] && echo "fallocate in a full mount as on Linux's tmpfs"
exit $fails

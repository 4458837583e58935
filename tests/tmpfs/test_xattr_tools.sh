#!/bin/sh
# Extended attributes as a user meets them: setfattr/getfattr (package
# attr), cp -a keeping them, and nr_inodes= space running out (each
# attribute costs 40 + name + value bytes of it, as on Linux 6.6+), in
# `ukcov run --tmpfs=DIR:nr_inodes=6` against a Linux tmpfs mounted with the
# same option (root), with the private store and with memfds.
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
command -v setfattr >/dev/null && command -v getfattr >/dev/null || { echo "no setfattr/getfattr (apt-get install attr)"; exit 77; }
tmp=$(mktemp -d /tmp/ukcov-xattr.XXXXXX) || exit 1
trap 'umount "$tmp/m" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/m"
mount -t tmpfs -o nr_inodes=6 tmpfs "$tmp/m" 2>/dev/null || { echo "cannot mount a Linux tmpfs to compare"; exit 77; }
probe='d=$1; cd $d || exit 1
touch f; mkdir dir; ln -s f l
setfattr -n user.color -v blue f; echo set=$?
setfattr -n user.dir -v 0x00ff dir; echo dirset=$?
setfattr -h -n user.l -v x l 2>&1; echo lset=$?
setfattr -n trusted.t -v secret f; setfattr -n security.s -v s f
getfattr -d -m - --absolute-names f dir 2>&1
getfattr -n user.nothing f 2>&1; echo get=$?
setfattr -n user.big -v "$(head -c 900 /dev/zero | tr "\\0" x)" f 2>&1; echo big=$?
setfattr -n user.big2 -v "$(head -c 900 /dev/zero | tr "\\0" x)" f 2>&1; echo big2=$?
stat -f -c "ffree %d" .
setfattr -x user.big f; echo rm=$?
stat -f -c "ffree %d" .
cp -a f g 2>&1; echo cp=$?
getfattr -d -m - --absolute-names g 2>&1
setfattr -x user.nothing f 2>&1; echo rmnone=$?'
want=$(sh -c "$probe" sh "$tmp/m" 2>&1 | sed "s#$tmp/m#/mnt/xa#g")
fails=0
for forced in "" 1; do
	got=$(UKCOV_FORCE_FALLBACKS=$forced "$UKCOV" run --tmpfs=/mnt/xa:nr_inodes=6 -- sh -c "$probe" sh /mnt/xa 2>&1)
	if [ "$got" != "$want" ]; then
		echo "FAIL (UKCOV_FORCE_FALLBACKS=$forced): ukcov then Linux:"
		printf '%s\n' "$got" > "$tmp/got"; printf '%s\n' "$want" > "$tmp/want"
		diff "$tmp/got" "$tmp/want"
		fails=1
	fi
done
[ $fails = 0 ] && printf '%s\n' "$want" && echo "xattr tools as on Linux's tmpfs"
exit $fails

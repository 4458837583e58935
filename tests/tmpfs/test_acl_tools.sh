#!/bin/sh
# POSIX ACLs as a user meets them: setfacl/getfacl (package acl) on /dev/shm
# (Linux's tmpfs, CONFIG_TMPFS_POSIX_ACL) and in `ukcov run --tmpfs`, with
# the private store and with memfds: the same getfacl output, the mode's
# group bits as the mask (ls -l), chmod moving the mask, a default ACL
# inherited by new files and directories (the umask ignored there), and
# access as users and groups that named entries and the mask decide
# (setpriv, as root). The transcripts must be the same.
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
command -v setfacl >/dev/null && command -v getfacl >/dev/null || { echo "skip: no setfacl/getfacl (apt-get install acl)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root (setpriv to other users)"; exit 77; }
command -v setpriv >/dev/null || { echo "skip: no setpriv"; exit 77; }
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
tmp=$(mktemp -d /dev/shm/ukcov-acl.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
probe='d=$1; cd $d || exit 1; umask 022; chmod 755 .
as() { u=$1; g=$2; shift 2; setpriv --reuid=$u --regid=$g --clear-groups --inh-caps=-all --bounding-set=-all "$@" 2>/dev/null; echo "  $u:$g $*: $?"; }
echo data > f; chmod 640 f; mkdir d; chmod 750 d; echo x > d/g
getfacl -n f; ls -l f | cut -c1-11
setfacl -m u:1001:rw,g:2002:r f; echo set=$?
getfacl -n f; ls -l f | cut -c1-11
as 1001 3000 cat f; as 1001 3000 sh -c "echo more >> f"; as 1002 3000 cat f
as 1003 2002 cat f; as 1003 2002 sh -c "echo w >> f"; as 1004 3000 cat f
chmod 600 f; getfacl -n f; ls -l f | cut -c1-11
as 1001 3000 cat f
chmod 664 f; getfacl -n f; as 1001 3000 cat f
setfacl -m m::r f; getfacl -n f; ls -l f | cut -c1-11; as 1001 3000 sh -c "echo w >> f"
setfacl -x u:1001 f; getfacl -n f
setfacl -m g:2002:-,o::r f; as 1003 2002 cat f; as 1003 3000 cat f; as 1005 2002 cat f
setfacl -m g::-,o::r f; as 1004 0 cat f; as 1004 3000 cat f
setfacl -b f; getfacl -n f; ls -l f | cut -c1-11
setfacl -m u:1001:rx d; as 1001 3000 ls d; as 1002 3000 ls d; as 1001 3000 cat d/g
setfacl -d -m u:1001:rwx,g::r-x,o::- d; echo dset=$?; getfacl -n d
umask 077; touch d/new; mkdir d/sub; mkfifo d/p; ln -s new d/l; umask 022
getfacl -n d/new d/sub d/p; ls -ld d/new d/sub d/p | cut -c1-11
getfacl -n d/l 2>&1 | head -3
as 1001 3000 sh -c "echo hi > d/new"; echo cat=$(cat d/new)
setfacl -k d; getfacl -n d; touch d/after; ls -l d/after | cut -c1-11
setfacl -d -m u:1001:rw f 2>&1; echo dfile=$?
getfattr -d -m - --absolute-names f d d/sub 2>&1 | sed "s/=0s.*/=(binary)/"
setfattr -n system.posix_acl_access -v 0x020000000400040000000000010006000000000020000000ffffffff f 2>&1; echo badorder=$?
setfattr -n system.posix_acl_access -v 0x030000000100060000000000 f 2>&1; echo badversion=$?
as 1001 3000 setfacl -m u:1002:r f; echo notowner=$?
setfacl -m u:1001:rw,m::rw d/new; cp -a d/new d/copy; getfacl -n d/copy'
sh -c "$probe" sh "$tmp" > "$tmp.linux" 2>&1
sed -i "s#$tmp#/mnt/acl#g" "$tmp.linux"
fails=0
for forced in "" 1; do
	UKCOV_FORCE_FALLBACKS=$forced "$UKCOV" run --tmpfs=/mnt/acl -- sh -c "$probe" sh /mnt/acl > "$tmp.got" 2>&1
	if ! diff -u "$tmp.linux" "$tmp.got"; then
		echo "FAIL (UKCOV_FORCE_FALLBACKS=$forced): Linux's tmpfs (-) and the mount (+) differ"
		fails=1
	fi
done
[ $fails = 0 ] && cat "$tmp.linux" && echo "POSIX ACLs as on Linux's tmpfs"
rm -f "$tmp.linux" "$tmp.got"
exit $fails

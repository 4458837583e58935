#!/bin/sh
# --tmpfs=PATH:OPTIONS takes Linux tmpfs's options with Linux's defaults:
# size= half of RAM (size=N%, size=0 unlimited), nr_inodes= half of RAM's
# pages (0 unlimited; ENOSPC at the limit, a hard link costs an inode as in
# shmem_link()), mode=, uid=, gid= of the root. Each mount's statfs counts,
# root attributes and files-until-ENOSPC are compared with a Linux tmpfs
# mounted with the same options (root only; else with the values Linux
# computes from /proc/meminfo).
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d /tmp/ukcov-mountopts.XXXXXX) || exit 1
trap 'umount "$tmp/m" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/m"

# statfs blocks/free/files/ffree, root mode/uid/gid, then how many of 6
# files and 2 hard links could be made
probe='d=$1; stat -f -c "%b %f %c %d" "$d"; stat -c "%a %u %g" "$d"
n=0; for i in 1 2 3 4 5 6; do touch "$d/f$i" 2>/dev/null || break; n=$((n + 1)); done
for i in 1 2; do ln "$d/f1" "$d/l$i" 2>/dev/null || break; n=$((n + 1)); done
echo "made $n"; stat -f -c "%d" "$d"'

pages=$(awk '/^MemTotal:/ { print int($2 / 4) }' /proc/meminfo)
for o in "" size=10% nr_inodes=5,mode=0700,uid=5,gid=6 size=0,nr_inodes=0 \
	size=1m,nr_inodes=7 mode=0 nr_inodes=2k,size=3g size=0x100000,nr_inodes=010 \
	size=1t,mode=+750 size=1k%; do
	got=$("$UKCOV" run --tmpfs="/mnt/opts${o:+:$o}" -- sh -c "$probe" sh /mnt/opts 2>&1)
	if mount -t tmpfs -o "${o:-defaults}" tmpfs "$tmp/m" 2>/dev/null; then
		want=$(sh -c "$probe" sh "$tmp/m" 2>&1)
		umount "$tmp/m"
	else
		# unprivileged: only the default's known answer
		[ -n "$o" ] && continue
		want=$(printf '%s %s %s %s\n1777 0 0\nmade 8\n%s' $((pages / 2)) $((pages / 2)) \
			$((pages / 2)) $((pages / 2 - 1)) $((pages / 2 - 9)))
	fi
	[ "$got" = "$want" ] || fail "--tmpfs=/mnt/opts:$o: got [$got] want [$want] (Linux tmpfs)"
done
for spec in /mnt/x:size=12q /mnt/x:size=-1 /mnt/x:nr_inodes=1% /mnt/x:mode=9 \
	/mnt/x:uid=x /mnt/x:color=red /mnt/x:size=1m,2 /mnt/x:quota /mnt/x:nosuid /mnt/x:size; do
	out=$("$UKCOV" run --tmpfs="$spec" -- true 2>&1); rc=$?
	[ $rc = 2 ] || fail "--tmpfs=$spec: expected exit 2 got $rc"
	echo "$out" | grep -q -- "--tmpfs=$spec" || fail "--tmpfs=$spec: message does not name it: $out"
done
# the mount's line in mountinfo: the options that differ from the defaults,
# as Linux shows them; ro makes the mount read-only
got=$("$UKCOV" run --tmpfs=/mnt/opts:size=1m,mode=0700,huge=always,ro -- \
	sh -c 'grep " /mnt/opts " /proc/self/mountinfo | sed "s/.* - //"
		(: > /mnt/opts/f) 2>/dev/null && echo writable || echo refused' 2>&1)
want="tmpfs tmpfs ro,size=1024k,mode=700,huge=always
refused"
[ "$got" = "$want" ] || fail "--tmpfs=/mnt/opts:size=1m,mode=0700,huge=always,ro: got [$got] want [$want]"
[ $fails = 0 ] && echo "mount options as Linux's tmpfs"
exit $((fails > 0))

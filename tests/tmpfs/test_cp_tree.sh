#!/bin/sh
# `cp -a` of a 200 MiB tree into a mount made with no options, as a new user
# would: the default size is half of RAM as on Linux (it was 64 MiB, and
# this copy failed with ENOSPC), and the copy (coreutils' cp tries
# copy_file_range first, keeps modes, owners, times, symlinks, hard links,
# holes and xattrs) reads back exactly as the same copy on /dev/shm: the
# listing with every kept attribute, the bytes of every file, the blocks
# used, and the tree's xattrs.
# CP_TREE_MIB sets the size (default 200); CP_TREE_OPTS=:size=64m (the old
# default) shows the test failing.
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
# With every fallback forced (make check's second tmpfs pass) the paths are
# the same for any size: 20 MiB of data files and no /usr/include there
# keep make check short.
forced=${UKCOV_FORCE_FALLBACKS:-}
mib=${CP_TREE_MIB:-$([ -n "$forced" ] && echo 20 || echo 200)}
# The source, the /dev/shm copy and the mount's store hold the tree at once
# (QEMU's 1 GiB guests of make check-kernels cannot).
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
[ "${avail:-0}" -ge $((mib * 4)) ] || { echo "skip: ${avail:-?} MiB available, $((mib * 4)) needed"; exit 77; }
# What it reads back needs GNU find and du (-printf, --block-size), and the
# tree /usr/include: make check-kernels' busybox guests have neither (the
# copy's paths there are the host's make check ones).
find --version 2>/dev/null | grep -q GNU && [ -d /usr/include ] ||
	{ echo "skip: needs GNU find and /usr/include (busybox guest)"; exit 77; }
src=$(mktemp -d /tmp/ukcov-cptree.XXXXXX)
shm=$(mktemp -d /dev/shm/ukcov-cptree.XXXXXX)
trap 'rm -rf "$src" "$shm"' EXIT

# The tree: /usr/include as the machine has it (not when forced) (thousands of small files and
# symlinks), then files of known bytes up to $mib MiB, a hard link, a file
# with holes, an empty directory, odd modes and an xattr.
t=$src/tree
mkdir -p "$t/data/empty"
[ -n "$forced" ] || cp -a /usr/include "$t/include" 2>/dev/null || { echo "FAIL: copying /usr/include into the source tree"; exit 1; }
have=$(du -sm --apparent-size "$t" | cut -f1)
i=0
while [ "$have" -lt "$mib" ] || [ "$i" -lt 2 ]; do
	n=$(( mib - have < 1 ? 1 : mib - have < 8 ? mib - have : 8 ))
	yes "block $i of the cp -a tree" | head -c "$((n * 1048576 - i))" >"$t/data/f$i"
	have=$((have + n)); i=$((i + 1))
done
ln "$t/data/f0" "$t/data/f0.link"
truncate -s 10M "$t/data/holes" && printf middle | dd of="$t/data/holes" bs=1 seek=5000000 conv=notrunc 2>/dev/null
chmod 0751 "$t/data/f1" 2>/dev/null; chmod 1777 "$t/data/empty"
setfattr -n user.cptree -v kept "$t/data/f0" 2>/dev/null || true

# What a copy reads back as, from inside the directory $1 (one script for
# both sides: sh -c in the mount, the same natively).
# %s size, %b blocks, %m mode, %U/%G owner, %n links, %l target, %T@ mtime.
probe='cd "$1" && find . -printf "%p %y %s %b %m %U %G %n %l %T@\n" | LC_ALL=C sort &&
find . -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum &&
du -s --block-size=1K . && (getfattr -d -m user. data/f0 2>/dev/null || echo no getfattr)'

(cp -a "$t" "$shm/t" && sh -c "$probe" sh "$shm/t") >"$src/native" 2>&1 ||
	{ tail -5 "$src/native"; echo "FAIL: cp -a to /dev/shm"; exit 1; }
M=/mnt/ukcov-cptree; opts=${CP_TREE_OPTS:-}
t0=$(date +%s)
"$UKCOV" run --tmpfs=$M$opts -- sh -c "cp -a '$t' $M/t && sh -c '$probe' sh $M/t" sh >"$src/ukcov" 2>&1
rc=$?
t1=$(date +%s)
if [ $rc != 0 ] || ! cmp -s "$src/native" "$src/ukcov"; then
	diff -u "$src/native" "$src/ukcov" | head -30
	echo "FAIL: cp -a of a $mib MiB tree into a default mount (exit $rc; - /dev/shm, + ukcov)"
	exit 1
fi
echo "cp -a: $have MiB, $(wc -l <"$src/ukcov") lines read back, the same as on /dev/shm ($((t1 - t0)) s in the mount)"

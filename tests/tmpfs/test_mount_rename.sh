#!/bin/sh
# A rename of a directory above mount points moves the mounts with it (Linux
# hangs a mount on a dentry, not on a name): the same shell steps on a
# directory of /dev/shm (real mounts, in a private mount namespace) and in a
# `ukcov run --tmpfs` mount, compared. Before the fix the walk through the
# new name bounced between the two mounts and the supervisor spun forever.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
[ "$(id -u)" = 0 ] || { echo "skip: mount(2) on /dev/shm to compare with needs root"; exit 77; }
command -v unshare >/dev/null || { echo "skip: no unshare(1)"; exit 77; }
shm=$(mktemp -d /dev/shm/ukcov-mvmount.XXXXXX) || exit 1
out=$(mktemp -d) || exit 1
trap 'rm -rf "$shm" "$out"' EXIT
cat >"$out/steps.sh" <<'STEPS'
cd "$1" || exit 1
mkdir -p x/w && mount -t tmpfs -o size=1m none x/w && echo one > x/w/f
mkdir x/w/v && mount -t tmpfs -o size=1m none x/w/v && echo two > x/w/v/g
mv x y; echo "mv: $?"
ls y/w; cat y/w/f y/w/v/g
ls x 2>&1 | sed 's/^ls: //'
cd y/w/v && mv ../../../y ../../../z; echo "mv from inside: $?"; cat g; cd "$1"
mv z/w q 2>&1 | sed 's/^mv: //'; rmdir z/w 2>&1 | sed 's/^rmdir: //'
echo three > z/w/v/h; ls z/w/v
grep -o " $1/[^ ]*" /proc/self/mountinfo | sed "s| $1/||"
umount z/w/v && umount z/w && ls z/w; echo "umount: $?"
STEPS
# natively: in a mount namespace of its own, so nothing outlives the test
mkdir "$shm/d"
unshare -m --propagation private sh "$out/steps.sh" "$shm/d" >"$out/want" 2>&1
timeout 30 "$UKCOV" run --tmpfs=/mnt/mv -- sh "$out/steps.sh" /mnt/mv >"$out/got" 2>&1
sed -i "s|$shm/d|DIR|g" "$out/want"
sed -i "s|/mnt/mv|DIR|g" "$out/got"
if ! diff -u "$out/want" "$out/got"; then
	echo "FAIL: mounts under a renamed directory differ from Linux's (-Linux +ukcov)"
	exit 1
fi
cat "$out/got"
echo ok

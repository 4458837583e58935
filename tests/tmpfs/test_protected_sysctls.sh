#!/bin/sh
# fs.protected_symlinks, protected_regular and protected_fifos as a Debian
# system sets them (sysctl.d: 1) and as the kernel's default (0): each
# setting for the length of one differential run of 21-protected.fs, under
# ukcov run (the mount reads them from the host, kernel/vfs/mount.c) and
# with the lib backend, against /dev/shm; the values found are put back.
# Root with a writable /proc/sys only (the sysctls are the whole machine's).
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
[ "$(id -u)" = 0 ] || { echo "skip: sets the host's fs.protected_* sysctls: root only"; exit 77; }
S=/proc/sys/fs
for n in symlinks regular fifos; do
	[ -w "$S/protected_$n" ] || { echo "skip: $S/protected_$n is not writable"; exit 77; }
done
saved="$(cat $S/protected_symlinks) $(cat $S/protected_regular) $(cat $S/protected_fifos)"
set_all() { echo "$1" > $S/protected_symlinks && echo "$2" > $S/protected_regular && echo "$3" > $S/protected_fifos; }
trap 'set_all $saved' EXIT
# the guest's own tmpfs is the reference here (check-kernels records the host's with its settings)
unset FSDIFF_REF
rc=0
for v in "0 0 0" "1 1 1" "1 2 2"; do
	set_all $v || { echo "FAIL: cannot set fs.protected_* to $v"; exit 1; }
	for k in "-k $UKCOV" ""; do
		what="the lib backend"; [ -n "$k" ] && what="ukcov run"
		# shellcheck disable=SC2086
		out=$(FSSCRIPT=$B/tests/tmpfs/fsscript sh tests/tmpfs/diff.sh $k tests/tmpfs/scripts/21-protected.fs 2>&1) ||
			{ echo "$out"; echo "FAIL: fs.protected_symlinks, _regular, _fifos = $v ($what)"; rc=1; continue; }
		echo "ok   fs.protected_symlinks, _regular, _fifos = $v: $what as /dev/shm"
	done
done
exit $rc

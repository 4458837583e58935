#!/bin/sh
# make bench's real-work figure (issue 20): an autoconf package's
# configure and make, then git init/add/commit/gc of its tree, in a
# `ukcov run --tmpfs` mount and on Linux's tmpfs (/dev/shm), in interleaved
# rounds. Prints "linuxrw job NS" and "ukcovrw job NS" per round, then the
# trapped-syscall mix of one more run in the mount ("mix NAME COUNT", and
# "mix-total host|served COUNT": let through to the host kernel, or served
# by ukcov).
#   sh bench/realwork.sh BUILD_DIR [ROUNDS]
set -eu
B=${1:-build}
ROUNDS=${2:-${REALWORK_ROUNDS:-3}}
UKCOV=$B/bin/ukcov
here=$(cd "$(dirname "$0")" && pwd)
pkg=$(mktemp -d /tmp/ukcov-realwork.XXXXXX)
trap 'rm -rf "$pkg"' EXIT
cp -r "$here/realwork/." "$pkg"
(cd "$pkg" && autoreconf -i >/dev/null 2>&1) || { echo "realwork: autoreconf failed (apt-get install autoconf automake)" >&2; exit 1; }
# The job, run from the directory it is given ($1): the package copied in,
# configured, built and run, then its tree committed to a new git repository
# and packed.
job='set -e; cd "$1"; cp -r "$2" pkg; cd pkg; ./configure -q; make -s >/dev/null; ./realwork >/dev/null
git init -q; git add -A; git -c user.name=b -c user.email=b@b commit -qm realwork; git gc -q'
now() { date +%s%N; }
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	shm=$(mktemp -d /dev/shm/ukcov-realwork.XXXXXX)
	t0=$(now); sh -c "$job" sh "$shm" "$pkg"; t1=$(now)
	rm -rf "$shm"
	echo "linuxrw job $((t1 - t0))"
	t0=$(now); "$UKCOV" run --tmpfs=/mnt/ukcov-realwork -- sh -c "$job" sh /mnt/ukcov-realwork "$pkg"; t1=$(now)
	echo "ukcovrw job $((t1 - t0))"
	r=$((r + 1))
done
"$UKCOV" run -v --tmpfs=/mnt/ukcov-realwork -- sh -c "$job" sh /mnt/ukcov-realwork "$pkg" 2>&1 >/dev/null |
	awk '/^ukcov: \[[0-9]+\] [a-z0-9_]+\(/ {
		s = $3; sub(/\(.*/, "", s); n[s]++
		if ($NF == "(host)") host++; else served++
	}
	END { for (k in n) print "mix", k, n[k]; print "mix-total host", host + 0; print "mix-total served", served + 0 }' |
	sort -k3 -nr

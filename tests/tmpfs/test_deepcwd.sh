#!/bin/sh
# getcwd deeper than PATH_MAX (deepcwd.c, compared with /dev/shm): the
# syscall's ENAMETOOLONG, glibc's own walk; then Python's os.getcwd() 5,000
# bytes deep in a mount, which looped forever on ERANGE.
B=${B:-build}
ukcov=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
if command -v python3 >/dev/null; then
	tmp=$(mktemp -d) || exit 1
	cat > "$tmp/deep.py" <<'PY'
import os, sys
want = sys.argv[1]
os.chdir(want)
while len(want) < 5000:
    os.mkdir("p" * 200)
    os.chdir("p" * 200)
    want += "/" + "p" * 200
got = os.getcwd()
print("python3 os.getcwd() %d bytes deep: %s" % (len(want), "ok" if got == want else "wrong: " + got))
sys.exit(got != want)
PY
	mkdir "$tmp/mnt" "$tmp/cwd"
	# the mount point exists on the host: glibc's walk reads its parent
	(cd "$tmp/cwd" && timeout 30 "$ukcov" run --tmpfs="$tmp/mnt" -- python3 ../deep.py "$tmp/mnt")
	rc=$?
	rm -rf "$tmp"
	[ $rc = 0 ] || { echo "FAIL: python3's os.getcwd() in a mount (exit $rc, 124: it hung)"; exit 1; }
fi
. "$(dirname "$0")/vs_shm.sh"
vs_shm deepcwd

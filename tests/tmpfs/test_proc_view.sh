#!/bin/sh
# /proc's magic links of mount objects (cwd, fd/N in every spelling) behave
# as on Linux: proc_view's output on /dev/shm and under ukcov, compared;
# the host directories the guests start from stay empty.
B=${B:-build}
# A directory's fdinfo pos: tmpfs directories have had stable offsets
# since Linux 6.6 (simple_offset), and ukcov's are the host store's.
. "$(dirname "$0")/need_linux.sh"
need_linux 6 6 "directory offsets (simple_offset)"
# /dev/fd is the distribution's symlink (udev), absent from a bare initramfs.
[ -e /dev/fd ] || { echo "SKIP: no /dev/fd on this system"; exit 77; }
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
BIN=$(cd "$B/tests/tmpfs" && pwd)/proc_view
ref=$(mktemp -d /dev/shm/ukcov-pv.XXXXXX) || exit 1
empty=$(mktemp -d) || exit 1
links=$(mktemp -d) || exit 1
trap 'rm -rf "$ref" "$empty" "$links"' EXIT
pids='s|/proc/[0-9]*/|/proc/PID/|g; s|/task/[0-9]*/|/task/TID/|g'
want=$(cd "$empty" && "$BIN" "$ref" "$links" 2>&1 | sed "$pids")
got=$(cd "$empty" && "$UKCOV" run --tmpfs=/mnt/ukcov-pv -- "$BIN" /mnt/ukcov-pv "$links" 2>&1 | sed "$pids")
if [ "$want" != "$got" ]; then
	printf "FAIL: /dev/shm and ukcov differ\n"
	printf "%s\n" "$want" > "$empty.want"; printf "%s\n" "$got" > "$empty.got"
	diff "$empty.want" "$empty.got"; rm -f "$empty.want" "$empty.got"
	exit 1
fi
if [ -n "$(ls -A "$empty")" ]; then
	echo "FAIL: the host directory is not empty:"; ls -la "$empty"
	exit 1
fi
# A shell and a Python program write through /proc/self/cwd and
# /proc/self/fd/N from an empty host directory: all lands in the mount.
sh_prog='cd /mnt/ukcov-pv && mkdir s && cd s && echo 1 > /proc/self/cwd/f && echo 2 > /proc/$$/cwd/g &&
exec 5<. && echo 3 > /proc/self/fd/5/h && echo 4 > /dev/fd/5/i && exec 6>j && echo 5 >&6 && echo 6 > /proc/self/fd/6 &&
cat f g h i j && readlink /proc/self/cwd /proc/self/fd/5 /proc/self/fd/6 && ls'
py_prog='import os
os.makedirs("/mnt/ukcov-pv/p"); os.chdir("/mnt/ukcov-pv/p")
open("/proc/self/cwd/f", "w").write("py1\n")
d = os.open(".", os.O_RDONLY)
open("/proc/self/fd/%d/g" % d, "w").write("py2\n")
f = os.open("h", os.O_CREAT | os.O_WRONLY, 0o644)
os.write(os.open("/proc/self/fd/%d" % f, os.O_WRONLY), b"py3\n")
print(os.path.realpath("/proc/self/fd/%d" % f), os.path.realpath("/proc/self/cwd"), os.getcwd())
print(sorted(os.listdir(".")), [open(n).read() for n in sorted(os.listdir("."))])'
got=$(cd "$empty" && "$UKCOV" run --tmpfs=/mnt/ukcov-pv -- sh -c "$sh_prog" 2>&1)
want='1
2
3
4
6
/mnt/ukcov-pv/s
/mnt/ukcov-pv/s
/mnt/ukcov-pv/s/j
f
g
h
i
j'
[ "$got" = "$want" ] || { printf "FAIL: shell through /proc:\n%s\n" "$got"; exit 1; }
if command -v python3 >/dev/null; then
	got=$(cd "$empty" && "$UKCOV" run --tmpfs=/mnt/ukcov-pv -- python3 -c "$py_prog" 2>&1)
	want="/mnt/ukcov-pv/p/h /mnt/ukcov-pv/p /mnt/ukcov-pv/p
['f', 'g', 'h'] ['py1\\n', 'py2\\n', 'py3\\n']"
	[ "$got" = "$want" ] || { printf "FAIL: Python through /proc:\n%s\n" "$got"; exit 1; }
fi
if [ -n "$(ls -A "$empty")" ]; then
	echo "FAIL: the host directory is not empty after the shell and Python:"; ls -la "$empty"
	exit 1
fi
echo ok

#!/bin/sh
# open(O_CREAT) of a new name in a mount by a process whose fd table is full:
# EMFILE and no file, as on Linux, which takes the fd (get_unused_fd_flags())
# before it creates. ukcov installs the fd after it served the call: a file
# the open made is removed again when the install finds the table full
# (tmpfs_kfile.c's install_done()). Compared with the same on /dev/shm.
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
shm=$(mktemp -d /dev/shm/ukcov-emfile.XXXXXX) || { echo "FAIL: cannot make a directory in /dev/shm"; exit 1; }
trap 'rm -rf "$shm"' EXIT
probe='
import os, resource, sys
d = sys.argv[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 1024))
fds = []
try:
    while True:
        fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e:
    print("filled:", e.strerror)
for flags, name in ((os.O_CREAT | os.O_WRONLY, "new"), (os.O_CREAT | os.O_EXCL | os.O_RDWR, "excl"),
                    (os.O_CREAT | os.O_WRONLY, "old")):
    try:
        os.close(os.open(os.path.join(d, name), flags, 0o644))
        print(name, "opened")
    except OSError as e:
        print(name, e.strerror, "exists" if os.path.exists(os.path.join(d, name)) else "absent")
for f in fds:
    os.close(f)
print(sorted(os.listdir(d)))
'
touch "$shm/old"
want=$(python3 -c "$probe" "$shm" 2>&1)
got=$("$UKCOV" run --tmpfs=/mnt/emfile -- sh -c 'touch /mnt/emfile/old && python3 -c "$1" /mnt/emfile' sh "$probe" 2>&1)
[ "$got" = "$want" ] || { echo "FAIL: got [$got] want [$want] (Linux)"; exit 1; }
echo "open(O_CREAT) at EMFILE creates nothing, as on Linux"

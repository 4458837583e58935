#!/bin/sh
# Stand-alone build of the tmpfs core, fsscript and unit_tmpfs into
# build/tmpfs-dev/$CC/ (until the top-level Makefile includes tmpfs.mk).
#   CC=gcc|clang-14 tests/tmpfs/dev-build.sh
set -e
cd "$(dirname "$0")/../.."
CC=${CC:-gcc}
B=build/tmpfs-dev/$CC
mkdir -p $B
CF="-std=gnu11 -Wall -Wextra -Werror -O1 -g"
for f in kernel/fs/tmpfs/*.c; do $CC $CF -c $f -o $B/$(basename ${f%.c}).o; done
$CC $CF -Itests/tmpfs -o $B/fsscript tests/tmpfs/fsscript.c tests/tmpfs/fsscript_proc.c \
	tests/tmpfs/fsscript_mount.c tests/tmpfs/fsscript_dev.c tests/tmpfs/fsscript_notify.c \
	tests/tmpfs/fsscript_lib.c tests/tmpfs/fsgen.c $B/[a-z]*.o
$CC $CF -Ikernel/fs/tmpfs -o $B/unit_tmpfs tests/unit_tmpfs.c $B/[a-z]*.o

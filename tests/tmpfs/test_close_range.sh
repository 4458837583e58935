#!/bin/sh
# close_range(2) over every fd (the cwd slot's range) in a mount as on /dev/shm (close_range.c):
# closes and CLOEXEC marks everything, UNSHARE in a thread, the cwd kept.
# (runs $UKCOV, default build/bin/ukcov: the forced-fallback suite runs it too)
. "$(dirname "$0")/vs_shm.sh"
vs_shm close_range

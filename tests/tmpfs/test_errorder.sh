#!/bin/sh
# errno precedence and calls LTP found answering differently in a mount
# (errorder.c), compared with /dev/shm.
# (runs $UKCOV, default build/bin/ukcov: the forced-fallback suite runs it too)
. "$(dirname "$0")/vs_shm.sh"
vs_shm errorder

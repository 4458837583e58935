#!/bin/sh
# ETXTBSY both ways in a mount (txtbsy.c): exec of a file open for writing,
# writing the file of a running program; compared with /dev/shm.
# (runs $UKCOV, default build/bin/ukcov: the forced-fallback suite runs it too)
. "$(dirname "$0")/vs_shm.sh"
vs_shm txtbsy

#!/bin/sh
# errno precedence and calls LTP found answering differently in a mount
# (errorder.c), compared with /dev/shm.
. "$(dirname "$0")/vs_shm.sh"
vs_shm errorder

#!/bin/sh
# Divergences `ukcov fuzz` found, and the vocabulary's scripts, that only `ukcov run` serves (the
# differential suite's lib backend lacks what they need): each script on
# /dev/shm and under ukcov run --tmpfs, transcripts compared (diff.sh -k).
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "skip: diff.sh needs root"; exit 77; }
FSSCRIPT=$B/tests/tmpfs/fsscript exec sh tests/tmpfs/diff.sh -k "${UKCOV:-$B/bin/ukcov}" tests/fuzz/findings/*.fs

#!/bin/sh
# The tmpfs core against Linux's tmpfs: hand-written scripts and random seed 1.
B=${B:-build}
FSSCRIPT=$B/tests/tmpfs/fsscript exec sh tests/tmpfs/diff.sh

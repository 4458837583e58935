#!/bin/sh
# make check-fuzz: `ukcov fuzz` on a ukcov built with a planted divergence
# (UKCOV_FUZZ_PLANT: a rename over a non-empty directory whose lookups
# followed a symlink answers EEXIST, Linux ENOTEMPTY) must report it, with
# a minimized reproducer, within TIME, starting from the differential
# suite's scripts (tests/tmpfs/scripts: not the findings' regression
# scripts, which `ukcov fuzz` adds by default). Not part of make check
# (minutes). 22-rename-symlink.fs is left out: written after the plant, it
# renames through the symlink s onto directories, one mutation from it.
#   CHECK_FUZZ_JOBS=N (default 2) sh tests/fuzz/check-fuzz.sh BUILD_DIR [TIME]
B=${1:-build-plant}
T=${2:-10m}
J=${CHECK_FUZZ_JOBS:-2}
command -v afl-fuzz >/dev/null || { echo "check-fuzz: AFL++ is not installed. Run as root:  apt-get install -y afl++ gnuplot-nox"; exit 1; }
out=$(mktemp -d /tmp/ukcov-check-fuzz.XXXXXX) || exit 1
trap 'rm -rf "$out" "$seeds"' EXIT
seeds=$(mktemp -d /tmp/ukcov-check-fuzz-seeds.XXXXXX) || exit 1
cp "$(dirname "$0")"/../tmpfs/scripts/*.fs "$seeds"/ && rm -f "$seeds/22-rename-symlink.fs" || exit 1
start=$(date +%s)
# Only the planted difference counts (the tree may have real ones too), and
# AFL++ stops at the first input that shows it.
UKCOV_FUZZ_KEY='rename* -ENOTEMPTY -EEXIST' AFL_BENCH_UNTIL_CRASH=1 \
"$B/bin/ukcov" fuzz --tmpfs=/mnt/t --out "$out" --time "$T" --jobs "$J" \
	--seeds "$seeds" 2>&1 | tr '\r' '\n' | grep -v '^\[' 
took=$(( $(date +%s) - start ))
f=$(grep -l -A1 '^! /dev/shm  rename.* => -ENOTEMPTY$' "$out"/findings/finding-*.txt 2>/dev/null | head -1)
if [ -z "$f" ] || ! grep -A1 '^! /dev/shm  rename.* => -ENOTEMPTY$' "$f" | grep -q '^! ukcov      => -EEXIST$'; then
	echo "check-fuzz: FAIL: the planted divergence was not found in $T"
	exit 1
fi
echo "check-fuzz: found the planted divergence (run of $T, ${took}s in all); reproducer:"
cat "${f%.txt}.fs"
echo "--- both transcripts:"
cat "$f"

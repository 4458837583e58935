#!/bin/sh
# make check-fuzz: `ukcov fuzz` on a ukcov built with a planted divergence
# (UKCOV_FUZZ_PLANT: a rename over a non-empty directory whose lookups
# followed a symlink answers EEXIST, Linux ENOTEMPTY) must report it, with
# a minimized reproducer, within TIME, starting from the differential
# suite's scripts (tests/tmpfs/scripts: not the findings' regression
# scripts, which `ukcov fuzz` adds by default). Not part of make check
# (minutes). 22-rename-symlink.fs is left out: written after the plant, it
# renames through the symlink s onto directories, one mutation from it.
#   CHECK_FUZZ_JOBS=N (default 2) CHECK_FUZZ_ATTEMPTS=N (default 5) \
#   sh tests/fuzz/check-fuzz.sh BUILD_DIR [TIME per attempt, default 3m]
B=${1:-build-plant}
T=${2:-3m}
J=${CHECK_FUZZ_JOBS:-2}
command -v afl-fuzz >/dev/null || { echo "check-fuzz: AFL++ is not installed. Run as root:  apt-get install -y afl++ gnuplot-nox"; exit 1; }
out=$(mktemp -d /tmp/ukcov-check-fuzz.XXXXXX) || exit 1
trap 'rm -rf "$out" "$seeds" "$tmpdir"' EXIT
seeds=$(mktemp -d /tmp/ukcov-check-fuzz-seeds.XXXXXX) || exit 1
# The run's TMPDIR: what the supervisors AFL++ kills leave there (their
# private directories) must be gone when `ukcov fuzz` ends.
tmpdir=$(mktemp -d /dev/shm/ukcov-check-fuzz-tmp.XXXXXX) || exit 1
cp "$(dirname "$0")"/../tmpfs/scripts/*.fs "$seeds"/ && rm -f "$seeds/22-rename-symlink.fs" || exit 1
# A search finds the plant early or not at all: as AFL++'s queue grows, the
# seed it is one path token from gets ever less of the havoc (3 of 7 runs
# of 5 or 10 minutes found it, in 44, 56 and 105 s; none later). So the
# check is ATTEMPTS independent searches of TIME each, the first finding
# ending it, rather than one long one.
A=${CHECK_FUZZ_ATTEMPTS:-5}
f= attempt=0 start=$(date +%s)
while [ -z "$f" ] && [ $attempt -lt "$A" ]; do
	attempt=$((attempt + 1))
	rm -rf "$out" && mkdir "$out" || exit 1
	# Only the planted difference counts (the tree may have real ones too),
	# and AFL++ stops at the first input that shows it.
	UKCOV_FUZZ_KEY='rename* -ENOTEMPTY -EEXIST' AFL_BENCH_UNTIL_CRASH=1 TMPDIR=$tmpdir \
	"$B/bin/ukcov" fuzz --tmpfs=/mnt/t --out "$out" --time "$T" --jobs "$J" \
		--seeds "$seeds" 2>&1 | tr '\r' '\n' | grep -v '^\['
	left=$(ls -A "$tmpdir")
	[ -z "$left" ] || { echo "check-fuzz: FAIL: left in the run's TMPDIR: $left"; exit 1; }
	f=$(grep -l -A1 '^! /dev/shm  rename.* => -ENOTEMPTY$' "$out"/findings/finding-*.txt 2>/dev/null | head -1)
	[ -n "$f" ] && ! grep -A1 '^! /dev/shm  rename.* => -ENOTEMPTY$' "$f" | grep -q '^! ukcov      => -EEXIST$' && f=
	[ -n "$f" ] && break
	echo "check-fuzz: attempt $attempt of $A: not found in $T"
	# anything else that stopped AFL++ (a crash of another kind) is shown
	for g in "$out"/findings/finding-*.txt "$out"/afl/*/crashes/id:*; do
		[ -e "$g" ] || continue
		echo "check-fuzz: attempt $attempt also left $g:"
		case $g in *.txt) grep -m4 '^!' "$g" ;; *) "$B/bin/ukcov-fuzz-guest" --decode "$g" | head -20 ;; esac
	done
done
took=$(( $(date +%s) - start ))
if [ -z "$f" ]; then
	echo "check-fuzz: FAIL: the planted divergence was not found in $A attempts of $T"
	exit 1
fi
echo "check-fuzz: found the planted divergence (attempt $attempt of $A, runs of $T, ${took}s in all); reproducer:"
cat "${f%.txt}.fs"
echo "--- both transcripts:"
cat "$f"

#!/bin/sh
# git (init, add, commit, log, fsck), sqlite3 (a database written, read
# back, switched to WAL, integrity_check), Python's mmap and a C program
# compiled, linked and run: programs.sh in a mount under ukcov prints what
# it prints on Linux's tmpfs (/dev/shm). They map and lock their files.
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
for p in git sqlite3 python3 cc; do
	command -v $p >/dev/null || { echo "SKIP: no $p (scripts/deps.sh installs it)"; exit 77; }
done
ref=$(mktemp -d /dev/shm/ukcov-programs.XXXXXX) || exit 1
trap 'rm -rf "$ref"' EXIT
script=$(pwd)/tests/tmpfs/programs.sh
want=$(D=$ref timeout 60 sh "$script" 2>&1)
got=$(D=/mnt/ukcov-programs timeout 60 "$UKCOV" run --tmpfs=/mnt/ukcov-programs -- sh "$script" 2>&1)
if [ "$want" != "$got" ]; then
	echo "FAIL: programs.sh differs from Linux's tmpfs:"
	printf '%s\n' "$want" > "$ref/want"
	printf '%s\n' "$got" > "$ref/got"
	diff -u "$ref/want" "$ref/got" | sed 's/^/    /'
	exit 1
fi
printf '%s\n' "$got"
echo "ok   programs.sh: same output as on /dev/shm"

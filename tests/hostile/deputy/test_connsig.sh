#!/bin/sh
# Stream connects through a mount are made by the guest's own thread
# (docs/security.md): under signals and a full backlog they behave as
# Linux's, and leave no fd or mapping in the guest (connsig.c runs natively
# in /dev/shm and under ukcov; the transcripts must match).
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
t=$(mktemp -d /tmp/ukcov-connsig.XXXXXX) || exit 1
native=$(mktemp -d /dev/shm/ukcov-connsig.XXXXXX) || exit 1
trap 'rm -rf "$t" "$native"' EXIT
"$B/tests/hostile/deputy/connsig" "$native" >"$t/n" 2>"$t/n.err" || { cat "$t/n" "$t/n.err"; exit 1; }
"$UKCOV" run --tmpfs=/mnt/ukcov-connsig -- "$B/tests/hostile/deputy/connsig" /mnt/ukcov-connsig \
	>"$t/u" 2>"$t/u.err" || { echo "FAIL: the guest failed"; cat "$t/u" "$t/u.err"; exit 1; }
echo "natively: $(cat "$t/n.err"); through ukcov: $(cat "$t/u.err")"
if ! diff -u "$t/n" "$t/u"; then
	echo "FAIL: through ukcov (+) other than natively (-)"
	exit 1
fi
cat "$t/u"

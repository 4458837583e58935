#!/bin/sh
# The deputy suite (docs/security.md): guests at uid 65534, root with every
# capability dropped and in user namespaces of their own try host files,
# host sockets, sockets in the mount and the mount's private store through
# `ukcov run --tmpfs` with the supervisor root; each transcript line must be
# what the same operation gives natively (deputy.c runs both).
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
[ "$(id -u)" = 0 ] || { echo "needs root (the supervisor as root is the point)"; exit 77; }
unshare -U true 2>/dev/null || { echo "no unprivileged user namespaces here"; exit 77; }
t=$(mktemp -d /tmp/ukcov-deputy.XXXXXX) || exit 1
trap 'rm -rf "$t"' EXIT
chmod 0755 "$t"

# A fresh host fixture per run (the guests change it as Linux lets them).
fixture() { # DIR
	mkdir -p "$1" && chmod 0755 "$1"
	echo "root's secret" >"$1/secret" && chmod 0600 "$1/secret"
	echo "root's public" >"$1/pub" && chmod 0644 "$1/pub"
	echo "user 1000's" >"$1/u1000" && chown 1000:1000 "$1/u1000" && chmod 0600 "$1/u1000"
	mkdir "$1/private" && echo x >"$1/private/x" && chown -R 1000:1000 "$1/private" &&
		chmod 0700 "$1/private"
	mkdir "$1/open" && chmod 0777 "$1/open"
	mkdir "$1/ro" && echo keep >"$1/ro/keep"
	mkdir "$1/sticky" && chmod 01777 "$1/sticky" && echo u >"$1/sticky/u1000" &&
		chown 1000:1000 "$1/sticky/u1000"
}

fixture "$t/native-host"
native=$(mktemp -d /dev/shm/ukcov-deputy.XXXXXX) || exit 1
trap 'rm -rf "$t" "$native"' EXIT
chmod 0755 "$native"
"$B/tests/hostile/deputy/deputy" "$t/native-host" "$native" "$t/native-host" "$t/native-host" >"$t/native.out" 2>&1
fixture "$t/ukcov-host"
# The guest reaches the host fixture through a symlink in the mount.
"$UKCOV" run --tmpfs=/mnt/ukcov-deputy -- sh -c \
	"ln -s '$t/ukcov-host' /mnt/ukcov-deputy/h && chmod 0755 /mnt/ukcov-deputy &&
	 exec '$B/tests/hostile/deputy/deputy' /mnt/ukcov-deputy/h /mnt/ukcov-deputy '$t/ukcov-host' /mnt/ukcov-deputy" \
	>"$t/ukcov.out" 2>&1
sed "s|$t/ukcov-host|HOST|g" "$t/ukcov.out" >"$t/u"
sed "s|$t/native-host|HOST|g" "$t/native.out" >"$t/n"
if [ "$(wc -l <"$t/n")" -lt 100 ]; then
	echo "FAIL: the native run is short:"; cat "$t/n"; exit 1
fi
if ! diff -u "$t/n" "$t/u"; then
	echo "FAIL: through ukcov (+) a guest got other than natively (-)"
	exit 1
fi
echo "$(wc -l <"$t/n") operations as natively"

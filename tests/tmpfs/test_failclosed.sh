#!/bin/sh
# Untrapped relative calls of a guest whose cwd is in a mount fail instead
# of reaching the host directory it left (docs/proc-view.md).
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
BIN=$(cd "$B/tests/tmpfs" && pwd)/failclosed
[ "$(id -u)" = 0 ] || exit 77
host=$(mktemp -d) || exit 1
trap 'umount -l "$host/d" 2>/dev/null; rm -rf "$host"' EXIT
(cd "$host" && "$UKCOV" run --tmpfs=/mnt/ukcov-fc -- "$BIN" /mnt/ukcov-fc) || exit 1
if grep -q " $host/d " /proc/self/mounts; then
	echo "FAIL: a mount landed on the host directory"
	exit 1
fi
if [ -s "$host/f" ] || [ "$(ls -A "$host" | tr '\n' ' ')" != "d f " ]; then
	echo "FAIL: the host directory changed:"; ls -la "$host"
	exit 1
fi
echo ok

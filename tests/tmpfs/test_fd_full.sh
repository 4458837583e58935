#!/bin/sh
# The supervisor holds an fd per mount file with data. Under a hard fd limit
# of 300: with CAP_SYS_RESOURCE it raises its own limit to fs.nr_open once
# the guest is launched, and all 400 files are made; without it a mount
# holds about 300 such files, and past that (every call that needs an fd
# answers ENFILE, the guest's writes to its stdout included) ukcov says why,
# once, on its stderr (docs/tmpfs-deviations.md).
B=${B:-build}
UKCOV=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
out=$(ulimit -n 300 && cd / && timeout 60 "$UKCOV" run --tmpfs=/mnt/t -- sh -c \
	'i=0; while [ $i -lt 400 ]; do echo x >/mnt/t/f$i 2>/dev/null; i=$((i + 1)); done
	 echo "files: $(ls /mnt/t | wc -l)"' 2>&1)
n=$(printf '%s\n' "$out" | grep -c '^ukcov: out of file descriptors (RLIMIT_NOFILE 30[01])')
# CAP_SYS_RESOURCE is bit 24 of the effective set
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
if [ $(( (0x$capeff >> 24) & 1 )) = 1 ]; then
	printf '%s\n' "$out" | grep -qx 'files: *400' && [ "$n" = 0 ] ||
		{ echo "FAIL: with CAP_SYS_RESOURCE, expected 400 files and no warning:"; printf '%s\n' "$out" | head -5; exit 1; }
	echo "ok (CAP_SYS_RESOURCE: the supervisor's limit went up, 400 files)"
	exit 0
fi
[ "$n" = 1 ] || { echo "FAIL: expected the warning once, got $n times in:"; printf '%s\n' "$out" | head -5; exit 1; }
echo ok

#!/bin/sh
# Kernel features and their fallbacks (kernel/task/features.c): `ukcov run -v`
# names the path each feature takes; UKCOV_FORCE_FALLBACKS forces the
# fallbacks (all, or by name), never reaches the guest, and a bad name is a
# usage error; a kcov client and a tmpfs shell work on every path.
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
kver=$(uname -r)
major=${kver%%.*} rest=${kver#*.}
minor=${rest%%[!0-9]*}
v=$((major * 100 + minor))

# Without UKCOV_FORCE_FALLBACKS, the kernel decides (the run under make
# check's forced pass exports it: the plain case is tested with it unset).
out=$(env -u UKCOV_FORCE_FALLBACKS "$UKCOV" run -v -- true 2>&1)
echo "$out" | grep -q "^ukcov: host kernel Linux $kver\$" || fail "no kernel line in: $out"
if [ $v -ge 609 ]; then
	echo "$out" | grep -q '^ukcov: thread handles: PIDFD_THREAD' || fail "6.9+ without PIDFD_THREAD: $out"
else
	echo "$out" | grep -q '^ukcov: thread handles: /proc/TID.*fallback for PIDFD_THREAD' ||
		fail "before 6.9, no fallback named: $out"
fi
# The exit watch needs PIDFD_THREAD (6.9) and deferred io_uring task work
# (6.1); io_uring itself may be forbidden by the host (a sysctl), which the
# line then names.
if [ $v -ge 609 ] && [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ]; then
	echo "$out" | grep -q '^ukcov: exit watch: io_uring poll' || fail "6.9+ without the exit watch: $out"
fi
if [ $v -ge 606 ]; then
	echo "$out" | grep -q '^ukcov: supervisor wake-up: SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP' ||
		fail "6.6+ without SYNC_WAKE_UP: $out"
fi
echo "$out" | grep -q 'forced' && fail "forced without UKCOV_FORCE_FALLBACKS: $out"

for f in 1 all pidfd_thread,sync_wakeup; do
	out=$(UKCOV_FORCE_FALLBACKS=$f "$UKCOV" run -v -- true 2>&1)
	echo "$out" | grep -q '^ukcov: thread handles: /proc/TID.*(forced by UKCOV_FORCE_FALLBACKS)' ||
		[ $v -lt 609 ] || fail "UKCOV_FORCE_FALLBACKS=$f: PIDFD_THREAD not forced off: $out"
	echo "$out" | grep -q '^ukcov: supervisor wake-up: plain' ||
		fail "UKCOV_FORCE_FALLBACKS=$f: SYNC_WAKE_UP not forced off: $out"
done
out=$(UKCOV_FORCE_FALLBACKS=exit_watch "$UKCOV" run -v -- true 2>&1)
[ $v -lt 609 ] || echo "$out" | grep -q '^ukcov: exit watch: none, epoll asked per traced call (forced' ||
	fail "UKCOV_FORCE_FALLBACKS=exit_watch: the watch not forced off: $out"
out=$(UKCOV_FORCE_FALLBACKS=sync_wakeup "$UKCOV" run -v -- true 2>&1)
[ $v -lt 609 ] || echo "$out" | grep -q '^ukcov: thread handles: PIDFD_THREAD' ||
	fail "UKCOV_FORCE_FALLBACKS=sync_wakeup also turned PIDFD_THREAD off: $out"
out=$(UKCOV_FORCE_FALLBACKS=bogus "$UKCOV" run -- true 2>&1); rc=$?
[ $rc = 2 ] || fail "unknown feature name: expected exit 2 got $rc"
echo "$out" | grep -q "unknown feature 'bogus'" || fail "unknown feature name: message was '$out'"
out=$(UKCOV_FORCE_FALLBACKS=1 "$UKCOV" run -- sh -c 'echo "[${UKCOV_FORCE_FALLBACKS-unset}]"')
[ "$out" = "[unset]" ] || fail "the guest sees UKCOV_FORCE_FALLBACKS: $out"

# The symptoms of issue 13 on 6.1, on every path: a kcov client, a tmpfs shell.
for f in 0 1; do
	out=$(UKCOV_FORCE_FALLBACKS=$f "$UKCOV" run -- "$B/examples/kcov_single" 2>&1) ||
		fail "UKCOV_FORCE_FALLBACKS=$f: kcov_single failed: $out"
	n=$(echo "$out" | head -n 1)
	[ "${n:-0}" -gt 0 ] 2>/dev/null || fail "UKCOV_FORCE_FALLBACKS=$f: kcov_single counted '$n'"
	out=$(UKCOV_FORCE_FALLBACKS=$f "$UKCOV" run --tmpfs=/mnt/ukcov-k -- \
		sh -c 'mkdir /mnt/ukcov-k/a && echo hi > /mnt/ukcov-k/a/f && cat /mnt/ukcov-k/a/f' 2>&1)
	[ "$out" = hi ] || fail "UKCOV_FORCE_FALLBACKS=$f: tmpfs shell printed '$out'"
done
[ $fails = 0 ] && echo "ok"
exit $((fails > 0))

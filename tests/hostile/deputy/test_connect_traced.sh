#!/bin/sh
# A stream connect through a mount to a host socket by a thread a debugger
# traces cannot be made by the guest's own thread, and a helper of the
# supervisor would connect with the supervisor's pid (which a host daemon
# may take for an identity, polkit's unix-process): it fails closed, EPERM
# (docs/security.md). Untraced, the listener sees the guest's own pid.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
command -v strace >/dev/null || { echo "skip: no strace (the debugger)"; exit 77; }
t=$(mktemp -d /tmp/ukcov-conntr.XXXXXX) || exit 1
trap 'kill $lp 2>/dev/null; rm -rf "$t"' EXIT
chmod 0755 "$t"
# the host daemon: prints each peer's pid (SO_PEERCRED)
python3 - "$t/srv.sock" >"$t/peers" 2>&1 <<'PY' &
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(8)
while True:
    c, _ = s.accept()
    pid, uid, gid = struct.unpack("3i", c.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    print("peer", pid, flush=True)
    c.close()
PY
lp=$!
for i in $(seq 50); do [ -S "$t/srv.sock" ] && break; sleep 0.1; done
cat >"$t/client.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
    print("connected", os.getpid(), flush=True)
except OSError as e:
    print("connect:", e.strerror, flush=True)
PY
"$UKCOV" run --tmpfs=/mnt/ct -- sh -c '
	ln -s "$1/srv.sock" /mnt/ct/l || exit 1
	python3 "$1/client.py" /mnt/ct/l
	strace -f -o /dev/null python3 "$1/client.py" /mnt/ct/l
' sh "$t" >"$t/out" 2>&1
sleep 0.3
cat "$t/out" "$t/peers"
fails=0
pid=$(sed -n 's/^connected //p' "$t/out" | head -1)
[ -n "$pid" ] && grep -qx "peer $pid" "$t/peers" ||
	{ echo "FAIL: untraced, the listener did not see the guest's pid"; fails=1; }
grep -qx "connect: Operation not permitted" "$t/out" ||
	{ echo "FAIL: traced, the connect did not fail closed"; fails=1; }
[ "$(grep -c '^peer' "$t/peers")" = 1 ] ||
	{ echo "FAIL: the listener saw another peer (the supervisor's helper?)"; fails=1; }
[ $fails = 0 ] && echo ok
exit $fails

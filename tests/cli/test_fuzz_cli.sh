#!/bin/sh
# ukcov fuzz's options: each bad one is a clear message and exit 2, before
# anything is started or written; without AFL++ the message is the exact
# apt-get line.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
out=$(mktemp -d /tmp/ukcov-fuzz-cli.XXXXXX) || exit 1
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect() { # expect 'message part' ARGS...
	want=$1; shift
	msg=$("$UKCOV" fuzz "$@" 2>&1 >/dev/null); rc=$?
	[ $rc = 2 ] || fail "ukcov fuzz $*: exit $rc, want 2"
	case $msg in *"$want"*) ;; *) fail "ukcov fuzz $*: '$msg' lacks '$want'" ;; esac
	echo "ok   ukcov fuzz $*: $want"
}
expect "--tmpfs=PATH and --out DIR are required"
expect "--tmpfs=PATH and --out DIR are required" --tmpfs=/mnt/t
expect "an absolute path other than /" --tmpfs=rel --out "$out/o"
expect "an absolute path other than /" --tmpfs=/ --out "$out/o"
expect "a positive number of seconds" --tmpfs=/mnt/t --out "$out/o" --time 0
expect "a positive number of seconds" --tmpfs=/mnt/t --out "$out/o" --time 5x
expect "a number from 1 to 64" --tmpfs=/mnt/t --out "$out/o" --jobs 0
expect "counters or trace" --tmpfs=/mnt/t --out "$out/o" --mode=fast
expect "unrecognized option" --tmpfs=/mnt/t --out "$out/o" --bogus
expect "unexpected argument" --tmpfs=/mnt/t --out "$out/o" extra
# No AFL++ on the PATH (the binary is run by its absolute path).
abs=$(cd "$(dirname "$UKCOV")" && pwd)/$(basename "$UKCOV")
msg=$(PATH=/nonexistent "$abs" fuzz --tmpfs=/mnt/t --out "$out/o" 2>&1); rc=$?
[ $rc = 2 ] || fail "without AFL++: exit $rc"
case $msg in *"apt-get install -y afl++ gnuplot-nox"*) ;; *) fail "without AFL++: '$msg'" ;; esac
echo "ok   without AFL++: $msg"
[ ! -e "$out/o" ] || fail "a refused run wrote $out/o"
"$UKCOV" fuzz --help | grep -q -- '--jobs N' || fail "--help"
echo "ok   --help"

#!/bin/sh
# The AFL++ guest (fuzz/, `ukcov fuzz`) without AFL++, its /dev/shm side in
# the oracle process as `ukcov fuzz` runs it: under ukcov run, the
# differential suite's scripts, encoded as inputs, give the same transcript
# on /dev/shm and on the mount; a planted difference in the guest's mount
# backend (--plant: EEXIST for ENOTEMPTY from rename) makes a fixed input
# abort with both transcripts side by side; decoding an encoded script gives
# the script back.
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
G=$B/bin/ukcov-fuzz-guest
[ "$(id -u)" = 0 ] || { echo "skip: scripts switch the fsuid: root only"; exit 77; }
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
tmp=$(mktemp -d /tmp/ukcov-afl-guest.XXXXXX) || exit 1
host=$(mktemp -d /dev/shm/ukcov-afl-guest.XXXXXX) || exit 1
trap 'rm -rf "$tmp" "$host"' EXIT
chmod 0711 "$host"
fail() { echo "FAIL: $*"; exit 1; }
run() { "$G" --with-oracle --host="$host" -- "$UKCOV" run --tmpfs=/mnt/fz $FI -- "$G" --host="$host" --mount=/mnt/fz "$@"; }
FI=--fault-injection

for s in tests/tmpfs/scripts/*.fs tests/fuzz/findings/*.fs tests/fuzz/seeds/*.fs; do
	n=$(basename "$s" .fs)
	"$G" --encode < "$s" > "$tmp/$n" || fail "encode $s"
done
run --replay "$tmp"/* || fail "a seed differs between /dev/shm and the mount"
echo "ok   $(ls "$tmp" | wc -l) seeds: no difference"

# failnth (docs/fault-injection.md): the line a fault fails is "fault" on
# both sides (the oracle skips it), the lines after it compare as usual;
# without --fault-injection the word does nothing.
printf 'open a O_CREAT|O_WRONLY 0644 -> $f0\nfailnth 1\nrename a c\nstat a\nstat c\n' |
	"$G" --encode > "$tmp/fault"
run --repro "$tmp/fault" > "$tmp/fault.txt" || fail "fault injection: $(cat "$tmp/fault.txt")"
grep -q '^  fault$' "$tmp/fault.txt" && grep -q '^  stat c => -ENOENT$' "$tmp/fault.txt" ||
	fail "the failed rename is not skipped on both sides: $(cat "$tmp/fault.txt")"
FI= run --repro "$tmp/fault" > "$tmp/fault.txt" || fail "no fault injection: $(cat "$tmp/fault.txt")"
grep -q '^  rename a c => 0$' "$tmp/fault.txt" || fail "failnth without the option: $(cat "$tmp/fault.txt")"
# not in a fork child (the oracle would not know to skip its line), nor
# over a fork or join line (the guest's own pipes)
printf 'failnth 1\nfork\nfailnth 1\ncreat a 0700 -> $f0\nstat a\njoin\nstat a\n' | "$G" --encode > "$tmp/fault-fork"
run --repro "$tmp/fault-fork" > "$tmp/fault.txt" || fail "failnth in a fork child: $(cat "$tmp/fault.txt")"
# a failnth last in its input leaves nothing armed for the guest's clean-up
printf 'mkdir b 0755\nmount b 0 -\nopen b/c O_CREAT|O_RDWR 0644 -> $f0\nfailnth 1\n' | "$G" --encode > "$tmp/fault-last"
printf 'mkdir b 0755\nstat b\n' | "$G" --encode > "$tmp/after"
run --replay "$tmp/fault-last" "$tmp/after" "$tmp/fault-last" "$tmp/after" > "$tmp/fault.txt" 2>&1 ||
	fail "an input after a trailing failnth: $(cat "$tmp/fault.txt")"
echo "ok   failnth: a failed line is skipped on the /dev/shm side, a no-op without --fault-injection"

# What a script sets on the levels above the root (extended attributes,
# inode flags) goes with it: a second `ukcov run`, a fresh mount as
# afl-tmin's, meets none of it on /dev/shm either.
printf 'setxattr .. user.b abcdefgh 0\nopen .. O_RDONLY|O_DIRECTORY -> $f0\nsetflags $f0 FS_NODUMP_FL\n' |
	"$G" --encode > "$tmp/attrs-set"
printf 'lgetxattr .. user.b 100\nllistxattr .. 100\nopen .. O_RDONLY|O_DIRECTORY -> $f0\ngetflags $f0\n' |
	"$G" --encode > "$tmp/attrs-get"
run --repro "$tmp/attrs-set" > "$tmp/attrs.txt" || fail "attributes set: $(cat "$tmp/attrs.txt")"
run --repro "$tmp/attrs-get" > "$tmp/attrs.txt" || fail "attributes left above the root: $(cat "$tmp/attrs.txt")"
echo "ok   no extended attribute or inode flag outlives its input"

# The encoding keeps a script of the vocabulary as it is.
cat > "$tmp/plant.fs" <<'FS'
mkdir a 0755
mkdir b 0755
mkdir b/c 0755
open b O_DIRECTORY 0644 -> $f0
rename a b
stat b/c
FS
"$G" --encode < "$tmp/plant.fs" > "$tmp/plant" || fail "encode"
"$G" --decode "$tmp/plant" | cmp -s - "$tmp/plant.fs" || {
	"$G" --decode "$tmp/plant"; fail "decode(encode(script)) is not the script"; }
echo "ok   decode(encode(script)) == script"

# Every ACL value a seed sets (fuzz/vocab.c builds ACLs from the input's
# bytes) is encoded into bytes that decode into that same value.
nacl=0
for s in tests/tmpfs/scripts/*.fs tests/fuzz/findings/*.fs; do
	grep 'posix_acl_[a-z]* "\\x' "$s" > "$tmp/acl.fs" || continue
	"$G" --encode < "$tmp/acl.fs" > "$tmp/acl" || fail "encode the ACLs of $s"
	grep -o '"\\x[^"]*"' "$tmp/acl.fs" > "$tmp/acl.want"
	"$G" --decode "$tmp/acl" | grep -o '"\\x[^"]*"' > "$tmp/acl.got"
	cmp -s "$tmp/acl.want" "$tmp/acl.got" || {
		diff "$tmp/acl.want" "$tmp/acl.got"; fail "$s: an ACL value changed by encode|decode"; }
	nacl=$((nacl + $(wc -l < "$tmp/acl.want")))
done
[ "$nacl" -ge 20 ] || fail "only $nacl ACL values found in the seeds"
echo "ok   $nacl ACL values of the seeds: decode(encode(value)) == value"

# Mount options built from bytes (fuzz/vocab.c) keep their spelling through
# encode|decode; linkat(AT_EMPTY_PATH) loses its flag in an input with a
# pipe and an identity change (a pipe's opener is unknown to ukcov).
cat > "$tmp/opts.fs" <<'FS'
mount a 0 size=4097k
mount a 0 nr_inodes=0x10
mount a 0 mode=+700
mount a 0 uid=4294967295
mount a 0 huge=within_size
mount a 0 ro=1
mount a 0 size
mount a 0 mode=
mount a 0 size=1m,2
mountinfo a
FS
"$G" --encode < "$tmp/opts.fs" > "$tmp/opts" || fail "encode options"
"$G" --decode "$tmp/opts" | cmp -s - "$tmp/opts.fs" || {
	"$G" --decode "$tmp/opts"; fail "mount options: decode(encode(script)) is not the script"; }
printf 'pipe $f0 $f1 O_NONBLOCK\nsu 65534 65534 0\nlinkat $f0 "" AT_FDCWD a AT_EMPTY_PATH\n' |
	"$G" --encode > "$tmp/hostfd" || fail "encode"
"$G" --decode "$tmp/hostfd" | grep -qx 'linkat $f0 "" AT_FDCWD a 0' ||
	fail "linkat of a pipe after su kept AT_EMPTY_PATH: $("$G" --decode "$tmp/hostfd")"
printf 'mountfs b ramfs 0\nopen b/c O_RDWR|O_CREAT 0644 -> $f0\nsu 65534 65534 0\nlinkat $f0 a AT_FDCWD d AT_EMPTY_PATH\n' |
	"$G" --encode > "$tmp/graftfd" || fail "encode"
"$G" --decode "$tmp/graftfd" | grep -qx 'linkat $f0 a AT_FDCWD d 0' ||
	fail "linkat of a graft's file after su kept AT_EMPTY_PATH: $("$G" --decode "$tmp/graftfd")"
echo "ok   built mount options kept; no AT_EMPTY_PATH on a pipe's or a graft file's fd after su"

run --repro "$tmp/plant" > "$tmp/same.txt" || fail "unplanted input differs: $(cat "$tmp/same.txt")"
grep -q '^# no difference' "$tmp/same.txt" || fail "--repro: $(cat "$tmp/same.txt")"
grep -q '^  rename a b => -ENOTEMPTY$' "$tmp/same.txt" || fail "transcript: $(cat "$tmp/same.txt")"
echo "ok   unplanted: no difference, rename a b => -ENOTEMPTY on both"

run --plant "$tmp/plant" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ $rc = 134 ] || fail "planted difference: exit $rc, want 134 (abort): $(cat "$tmp/err")"
grep -q '^! /dev/shm  rename a b => -ENOTEMPTY$' "$tmp/err" &&
	grep -q '^! ukcov      => -EEXIST$' "$tmp/err" || fail "planted: report: $(cat "$tmp/err")"
grep -q '^  stat b/c => 0' "$tmp/err" || fail "planted: the rest of the transcript: $(cat "$tmp/err")"
echo "ok   planted difference aborts, both transcripts side by side"

UKCOV_FUZZ_KEY="rename -ENOTEMPTY -EEXIST" run --plant "$tmp/plant" 2>/dev/null
[ $? = 134 ] || fail "UKCOV_FUZZ_KEY of the difference: no abort"
UKCOV_FUZZ_KEY="rename -ENOENT -EEXIST" run --plant "$tmp/plant" 2>/dev/null ||
	fail "UKCOV_FUZZ_KEY of another difference: aborts"
echo "ok   UKCOV_FUZZ_KEY keeps only its own difference"

# The oracle's worker runs many requests (fuzz/guest.c, serve()): what one
# input does to the process (umask, identity, limits, cwd, fds) does not
# reach the next. --replay runs each input in a fresh child on the mount's
# side, so any state the worker kept would show as a difference.
printf 'umask 0077\nsu 65534 65534 0\nrlimit RLIMIT_FSIZE 0\nrlimit RLIMIT_NOFILE +1\nmkdir d 0777\nchdir d\nopen a O_CREAT|O_RDWR 0666 -> $f3\n' |
	"$G" --encode > "$tmp/state-set"
printf 'creat a 0666 -> $f0\nfstat $f0\nwrite $f0 "abc"\nopen b O_CREAT|O_RDWR 0644 -> $f1\nopen c O_CREAT|O_RDWR 0644 -> $f2\ngetcwd\nfcntl $f3 F_GETFD\n' |
	"$G" --encode > "$tmp/state-get"
run --replay "$tmp/state-set" "$tmp/state-get" "$tmp/state-set" "$tmp/state-get" > "$tmp/state.txt" 2>&1 ||
	fail "state left by an input in the oracle's worker: $(cat "$tmp/state.txt")"
echo "ok   the oracle's worker: no umask, identity, limit, cwd or fd outlives its input"

# A worker that dies (here: killed, as a crash would end it) is replaced:
# the request it was running fails with the oracle's error (EIO), the
# scratch is put back whole, and the inputs after it run as before. Each
# input holds the worker 50 ms in a FIFO's open (LINE_US; --no-kcov: the
# mount's side waits as long): it is killed while its cwd is a live
# scratch root, that is, inside a request; once or twice, as a slow
# machine's polling allows.
printf 'mkdir d 0755\nmknod d/p S_IFIFO|0644 0\nopen d/p O_WRONLY 0 -> $f0\nstat d/p\n' |
	"$G" --encode > "$tmp/slow"
for i in 0 1 2 3 4 5 6 7 8 9; do cp "$tmp/slow" "$tmp/k$i"; done
"$G" --with-oracle --host="$host" -- "$UKCOV" run --tmpfs=/mnt/fz -- \
	"$G" --no-kcov --replay --host="$host" --mount=/mnt/fz "$tmp"/k? > "$tmp/kill.out" 2>&1 &
wrap=$!
killed=0
while [ "$killed" -lt 2 ] && kill -0 "$wrap" 2>/dev/null; do
	# the worker: a fork of a fork of the wrapper, with its command line
	# (ukcov run's own children have ukcov's)
	for srv in $(pgrep -P "$wrap"); do
		for w in $(pgrep -P "$srv" -f -- '--with-oracle'); do
			case $(readlink "/proc/$w/cwd") in
			"$host"/*" (deleted)") ;;
			"$host"/*) kill -KILL "$w" && killed=$((killed + 1)); sleep 0.2 ;;
			esac
		done
	done
	sleep 0.01
done
wait "$wrap"
rc=$?
bad=$(grep -c ': differs$' "$tmp/kill.out")
# (a kill after the reply, in the request's clean-up, fails no input)
[ "$killed" -ge 1 ] || fail "the oracle's worker not found inside a request: $(cat "$tmp/kill.out")"
[ $rc = 1 ] && [ "$bad" -ge 1 ] && [ "$bad" -le "$killed" ] &&
	[ "$(grep -c 'the oracle: Input/output error' "$tmp/kill.out")" = "$bad" ] ||
	fail "$killed kills of the oracle's worker inside a request: exit $rc, $(cat "$tmp/kill.out")"
grep -q 'k9: differs' "$tmp/kill.out" && fail "the input after the kills failed: $(cat "$tmp/kill.out")"
[ -z "$(find "$host" -name p)" ] || fail "a killed worker's FIFO stayed: $(find "$host" -name p)"
echo "ok   the oracle's worker killed $killed times inside a request: $bad of 10 inputs failed (EIO), the rest ran, nothing stays"

# More requests than a worker serves (FZ_PERSIST, 1000): the next worker
# takes over in the same scratch.
printf 'mkdir d 0755\nstat d\n' | "$G" --encode > "$tmp/short"
run --bench=1100 "$tmp/short" > "$tmp/bench.txt" 2>&1 || fail "1,100 executions: $(cat "$tmp/bench.txt")"
echo "ok   1,100 requests: the oracle's worker is replaced after 1,000"

#!/bin/sh
# A third-party POSIX file-system conformance suite, pjdfstest
# (https://github.com/pjd/pjdfstest), run twice with `prove -r` as root:
# in a fresh directory of Linux's tmpfs (/dev/shm), then with its working
# directory in ukcov's tmpfs (prove, the .t shell scripts and the pjdfstest
# binary all run inside `ukcov run --tmpfs=/mnt/pjd`). Prints, for both, the
# test files and the assertions (TAP subtests) passed and failed, then the
# files that fail under ukcov but not on Linux.
#
#   PJDFSTEST_SRC=PATH sh tests/posix/run-pjdfstest.sh [BUILD_DIR]
#   PJDFSTEST_SRC=PATH make check-posix
#
# PJDFSTEST_SRC: a pjdfstest source tree, a git directory (bare or not) or a
# tarball. Nothing is downloaded: without it the script is skipped (77).
# PJDFSTEST_TIMEOUT: seconds per run (default 3600).
# PJDFSTEST_ONLY=linux|ukcov: one run only (the other side's results are
# read from BUILD_DIR/pjdfstest-results/ when an earlier run left them);
# PJDFSTEST_ONLY=report: no build, no run, the report of the last runs.
# Results and the TAP of the files that differ: BUILD_DIR/pjdfstest-results/.
# Exit: 0 when both runs completed (whatever their results), 1 when a run did
# not (timeout, crash) or the guests created files on the host, 77 skipped
# (no source, not root, missing tools).
set -u
B=${1:-${B:-build}}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case $B in /*) ;; *) B=$top/$B ;; esac
UKCOV=${UKCOV:-$B/bin/ukcov}
case $UKCOV in /*) ;; *) UKCOV=$top/$UKCOV ;; esac
timeout_s=${PJDFSTEST_TIMEOUT:-3600}
only=${PJDFSTEST_ONLY:-}
mnt=/mnt/pjd

skip() { echo "run-pjdfstest: skipped: $*"; exit 77; }

src=${PJDFSTEST_SRC:-}
[ -n "$src" ] || skip "set PJDFSTEST_SRC to a pjdfstest source tree, git directory or tarball
  (e.g. git clone https://github.com/pjd/pjdfstest; PJDFSTEST_SRC=\$PWD/pjdfstest make check-posix);
  this script never downloads anything"
[ -e "$src" ] || skip "PJDFSTEST_SRC=$src does not exist"
[ "$(id -u)" = 0 ] || skip "pjdfstest needs root (it switches uids and gids)"
[ -x "$UKCOV" ] || { echo "run-pjdfstest: no $UKCOV (run make first)" >&2; exit 2; }

# Debian packages: autoreconf (autoconf), automake, cc and make to build;
# prove (perl), openssl (namegen), dd/timeout (coreutils) and awk to run.
missing=""
need() { pkg=$1; shift; command -v "$1" >/dev/null 2>&1 || missing="$missing $pkg"; }
need autoconf autoreconf
need automake automake
need gcc cc
need make make
need perl prove
need openssl openssl
need coreutils timeout
need mawk awk
need tar tar
case $src in *.tar.xz|*.txz) need xz-utils xz ;; *.tar.bz2|*.tbz2) need bzip2 bzip2 ;; esac
if [ -d "$src" ] && [ ! -f "$src/configure.ac" ]; then need git git; fi
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ *$//')
[ -z "$missing" ] || skip "missing tools. Run as root:  apt-get update && apt-get install -y $missing"

# --- build pjdfstest out of tree, in BUILD_DIR/pjdfstest -----------------
pj=$B/pjdfstest
res=$B/pjdfstest-results
tests=$pj/tests
if [ "$only" != report ]; then
rm -rf "$pj"
mkdir -p "$pj" "$res" || exit 2
if [ -d "$src" ] && [ -f "$src/configure.ac" ]; then
	(cd "$src" && tar -cf - --exclude=.git .) | tar -xf - -C "$pj" || exit 2
elif [ -d "$src" ]; then
	gd=$src; [ -d "$src/.git" ] && gd=$src/.git
	git --git-dir="$gd" archive HEAD | tar -xf - -C "$pj" || {
		echo "run-pjdfstest: $src: not a pjdfstest tree or git directory" >&2; exit 2; }
else
	tmp=$pj.unpack
	rm -rf "$tmp" && mkdir -p "$tmp" && tar -xf "$src" -C "$tmp" || {
		echo "run-pjdfstest: $src: cannot unpack" >&2; exit 2; }
	# a tarball with one top directory (pjdfstest-x.y/) or a flat one
	if [ -f "$tmp/configure.ac" ]; then inner=$tmp
	else inner=$(find "$tmp" -mindepth 2 -maxdepth 2 -name configure.ac | head -n 1); inner=${inner%/configure.ac}
	fi
	[ -n "$inner" ] && (cd "$inner" && tar -cf - .) | tar -xf - -C "$pj" || exit 2
	rm -rf "$tmp"
fi
[ -f "$pj/configure.ac" ] && [ -f "$pj/pjdfstest.c" ] && [ -d "$pj/tests" ] || {
	echo "run-pjdfstest: $src does not hold pjdfstest (configure.ac, pjdfstest.c, tests/)" >&2; exit 2; }
echo "building pjdfstest in $pj"
(cd "$pj" && autoreconf -ifs && ./configure && make pjdfstest) >"$res/build.log" 2>&1 || {
	echo "run-pjdfstest: build failed, see $res/build.log" >&2; tail -n 20 "$res/build.log" >&2; exit 2; }
fi

# --- summarize prove's output -----------------------------------------------
# prove prints, after the per-file lines, a "Test Summary Report" with one
# "PATH (Wstat: W Tests: N Failed: F)" line per failing file, indented
# detail lines (a bad plan reads "You planned P tests but ran N"), then
# "Files=F, Tests=T, ...". A file that fails only by its exit status or its
# plan has Failed: 0. Assertions a script never reached (bad plan) count as
# failed. Writes NAME.counts (files files_failed tests tests_failed) and
# NAME.failed (failing files, relative to tests/, sorted).
summarize() { # summarize NAME
	awk -v tests="$tests/" -v counts="$res/$1.counts" -v failed="$res/$1.failed.unsorted" '
	/^Test Summary Report/ { insum = 1; next }
	insum && /^[^ ].* +\(Wstat: .*Tests: [0-9]+ Failed: [0-9]+\)$/ {
		f = $0; sub(/ +\(Wstat: .*$/, "", f)
		if (index(f, tests) == 1) f = substr(f, length(tests) + 1)
		m = $0; sub(/.*Failed: /, "", m); sub(/\).*/, "", m)
		nfail++; afail += m
		print f > failed
		next
	}
	insum && /You planned [0-9]+ tests? but ran [0-9]+/ {
		s = $0; sub(/.*You planned /, "", s); p = s + 0
		sub(/.* but ran /, "", s); r = s + 0
		if (p > r) amiss += p - r
		next
	}
	/^Files=[0-9]+, Tests=[0-9]+/ {
		s = $0; sub(/^Files=/, "", s); files = s + 0
		sub(/^[0-9]+, Tests=/, "", s); asserts = s + 0
		done = 1
	}
	END {
		if (!done) exit 1
		printf "%d %d %d %d %d\n", files, nfail, asserts, afail, amiss > counts
	}' "$res/$1.out" || return 1
	touch "$res/$1.failed.unsorted"
	sort "$res/$1.failed.unsorted" >"$res/$1.failed"
	rm -f "$res/$1.failed.unsorted"
}

report() { # report NAME LABEL
	read -r files ffail asserts afail amiss <"$res/$1.counts"
	printf '%-14s files: %4d passed, %3d failed (of %d);  assertions: %5d passed, %4d failed (of %d%s)\n' \
		"$2" $((files - ffail)) "$ffail" "$files" \
		$((asserts - afail)) $((afail + amiss)) $((asserts + amiss)) \
		"$( [ "$amiss" -gt 0 ] && echo ", $amiss never reached")"
}

# Node types (mknod, mkfifo, bind of a Unix socket to a path) are not in
# ukcov's tmpfs yet, and nearly every pjdfstest file creates each of them,
# so they hide whatever else may differ. Attribution: the files that fail
# under ukcov only are run again on Linux's tmpfs with an LD_PRELOAD shim
# under pjdfstest that fails those calls with EOPNOTSUPP; an assertion that
# fails under ukcov but passes there is a difference of another cause.
attribute() { # attribute FILE... (absolute .t paths)
	cat >"$res/nonodes.c" <<-'EOF'
	/* LD_PRELOAD: Linux without mknod, mkfifo and bind of a Unix socket to a path. */
	#define _GNU_SOURCE
	#include <dlfcn.h>
	#include <errno.h>
	#include <sys/socket.h>
	#include <sys/stat.h>
	static int no(void) { errno = EOPNOTSUPP; return -1; }
	int mknod(const char *p, mode_t m, dev_t d) { (void)p; (void)m; (void)d; return no(); }
	int mknodat(int fd, const char *p, mode_t m, dev_t d) { (void)fd; (void)p; (void)m; (void)d; return no(); }
	int mkfifo(const char *p, mode_t m) { (void)p; (void)m; return no(); }
	int mkfifoat(int fd, const char *p, mode_t m) { (void)fd; (void)p; (void)m; return no(); }
	int bind(int s, const struct sockaddr *a, socklen_t l)
	{
		int (*real)(int, const struct sockaddr *, socklen_t) =
			(int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "bind");
		if (a && a->sa_family == AF_UNIX && l > sizeof(sa_family_t) && a->sa_data[0])
			return no();
		return real(s, a, l);
	}
	EOF
	cc -shared -fPIC -O1 -o "$res/nonodes.so" "$res/nonodes.c" -ldl || return
	work=$(mktemp -d /dev/shm/pjdfstest.XXXXXX) || return
	chmod 1777 "$work"
	echo "attribution: the same files on Linux's tmpfs without node types (LD_PRELOAD $res/nonodes.so)..."
	(cd "$work" && LD_PRELOAD=$res/nonodes.so timeout -k 10 "$timeout_s" prove -v "$@") \
		>"$res/linux-nonodes.tap" 2>&1
	rm -rf "${work:?}"
	# per file, the failing assertion numbers (not TODO) of both runs
	awk -v tests="$tests/" '
	function key(line) { return line }
	/^\/.*\.t \.+ ?/ {
		f = $1; if (index(f, tests) == 1) f = substr(f, length(tests) + 1)
		side = (FILENAME ~ /nonodes/) ? "l" : "u"; next
	}
	/^not ok [0-9]+/ && !/# TODO/ {
		n = $3 + 0; fail[side, f, n] = 1
		if (side == "u") { ulist[f] = ulist[f] " " n; why[f, n] = $0 }
	}
	END {
		for (f in ulist) {
			k = split(ulist[f], ns, " ")
			for (i = 1; i <= k; i++) {
				total++
				if (!fail["l", f, ns[i]]) { other++; print "  " f " " why[f, ns[i]] }
			}
		}
		printf "attribution: %d failed assertions under ukcov in these files; explained by node types: %d; other causes: %d\n", total, total - other, other
	}' "$res/ukcov-only.tap" "$res/linux-nonodes.tap" >"$res/attribution.txt"
	sort "$res/attribution.txt" | sed -n '/^attribution:/!p' | sed 's/pjdfstest_[0-9a-f]*/N/g' | head -n 50
	grep '^attribution:' "$res/attribution.txt"
}

status=0
run() { # run NAME COMMAND...: prove's output in NAME.out
	name=$1; shift
	echo "running pjdfstest on $name (timeout ${timeout_s}s)..."
	start=$(date +%s)
	case $1 in
	ukcov_prove) "$@" >"$res/$name.out" 2>&1 ;;  # (times itself out)
	*) timeout -k 10 "$timeout_s" "$@" >"$res/$name.out" 2>&1 ;;
	esac
	rc=$?
	echo "  $name: prove exited $rc after $(( $(date +%s) - start ))s; output in $res/$name.out"
	[ $rc = 124 ] && echo "  $name: TIMEOUT" >&2
	summarize "$name" || { echo "  $name: no summary from prove (incomplete run)" >&2; status=1; }
}

# --- on Linux's tmpfs --------------------------------------------------------
if [ -z "$only" ] || [ "$only" = linux ]; then
	[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] || echo "run-pjdfstest: warning: /dev/shm is not a tmpfs" >&2
	work=$(mktemp -d /dev/shm/pjdfstest.XXXXXX) || exit 2
	chmod 1777 "$work"              # as a tmpfs root (and ukcov's mount root)
	run linux sh -c 'cd "$1" && exec prove -r "$2"' sh "$work" "$tests"
	rm -rf "${work:?}"
fi

# --- inside ukcov run --tmpfs --------------------------------------------------
# Nothing done in the mount may land on the host: ukcov starts in an empty
# scratch directory, and whatever appears there or in the pjdfstest tree
# (where prove -r's File::Find leaves a process's host cwd) is reported and
# removed. (Known: bind() of a relative socket path in the mount reaches the
# host cwd of the process until node types land.)
scratch=$res/ukcov-cwd
host_leaks() { # host_leaks WHEN: the entries ukcov's guests created on the host
	find "$scratch" "$pj" -newer "$res/.ukcov-start" ! -type d 2>/dev/null |
		grep -v -e "^$pj/config" -e "^$pj/autom4te" >"$res/host-leaks.$1"
	n=$(wc -l <"$res/host-leaks.$1")
	if [ "$n" -gt 0 ]; then
		echo "  HOST LEAK: $n files created on the host by the guests ($1), see $res/host-leaks.$1:"
		head -n 5 "$res/host-leaks.$1" | while read -r f; do echo "    $(stat -c %F "$f"): $f"; done
		xargs -d '\n' rm -f <"$res/host-leaks.$1"
	fi
}
ukcov_prove() { # ukcov_prove PROVE-ARGS...: prove in the mount, ukcov started in $scratch
	rm -rf "$scratch" && mkdir -p "$scratch" && touch "$res/.ukcov-start" && sleep 1
	(cd "$scratch" && timeout -k 10 "$timeout_s" "$UKCOV" run --tmpfs=$mnt:size=1g -- \
		sh -c 'cd "$1" && shift && exec prove "$@"' sh "$mnt" "$@")
}
if [ -z "$only" ] || [ "$only" = ukcov ]; then
	rm -f "$res"/host-leaks.*
	run ukcov ukcov_prove -r "$tests"
	host_leaks run
fi

# --- results -----------------------------------------------------------------
for name in linux ukcov; do # (again: an earlier run's output when this one skipped it)
	rm -f "$res/$name.counts"
	[ -f "$res/$name.out" ] && summarize "$name"
done
echo
echo "pjdfstest results (test files and TAP assertions):"
[ -f "$res/linux.counts" ] && report linux "Linux tmpfs"
[ -f "$res/ukcov.counts" ] && report ukcov "ukcov --tmpfs"
if [ -f "$res/linux.counts" ] && [ -f "$res/ukcov.counts" ]; then
	comm -13 "$res/linux.failed" "$res/ukcov.failed" >"$res/ukcov-only.failed"
	comm -23 "$res/linux.failed" "$res/ukcov.failed" >"$res/linux-only.failed"
	echo
	echo "failing under ukcov but not on Linux: $(wc -l <"$res/ukcov-only.failed") files"
	while read -r f; do
		line=$(grep -F "$tests/$f " "$res/ukcov.out" | grep -F "(Wstat" | sed 's/.*(Wstat: [^T]*\(Tests: .*\))$/\1/')
		printf '  %-20s %s\n' "$f" "$line"
	done <"$res/ukcov-only.failed"
	if [ -s "$res/linux-only.failed" ]; then
		echo "failing on Linux but not under ukcov:"
		sed 's/^/  /' "$res/linux-only.failed"
	fi
	if [ -s "$res/linux.failed" ]; then
		echo "failing on both: $(comm -12 "$res/linux.failed" "$res/ukcov.failed" | tr '\n' ' ')"
	fi
	# the TAP of each differing file, for reading the failures
	set --
	while read -r f; do set -- "$@" "$tests/$f"; done <"$res/ukcov-only.failed"
	if [ "$only" != report ] && [ $# -gt 0 ]; then
		ukcov_prove -v "$@" >"$res/ukcov-only.tap" 2>&1
		echo "their TAP (prove -v under ukcov): $res/ukcov-only.tap"
		host_leaks rerun
	fi
	if [ $# -gt 0 ] && [ -f "$res/ukcov-only.tap" ] && [ "${PJDFSTEST_ATTRIBUTE:-1}" = 1 ]; then
		echo
		attribute "$@"
	fi
fi
if cat "$res"/host-leaks.* 2>/dev/null | grep -q .; then
	echo "HOST LEAKS: $(cat "$res"/host-leaks.* | wc -l) files created on the host by guests in the mount (removed):" \
		"$(cat "$res"/host-leaks.* | xargs -r -n 1 basename | sed 's/pjdfstest_.*/pjdfstest_*/' | sort | uniq -c | tr -s ' ')"
	status=1
fi
exit $status

#!/bin/sh
# Checks ukcov's build dependencies (Debian 12 packages). As root, installs
# what is missing; otherwise prints the exact apt-get line and fails.
set -u
missing=""
need() { # need PACKAGE TEST...
	pkg=$1; shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
have_header() { printf '#include <%s>\n' "$1" | cc -E -x c - >/dev/null 2>&1; }
need make      command -v make
need gcc       command -v gcc
need clang     command -v clang
need linux-libc-dev have_header linux/kcov.h
need linux-libc-dev have_header linux/seccomp.h
need libc6-dev have_header sys/uio.h
need libdw-dev have_header elfutils/libdw.h
need lcov      command -v genhtml
# make check runs them inside a mount (tests/tmpfs/test_programs.sh).
need git       command -v git
need sqlite3   command -v sqlite3
need python3   command -v python3
# make bench's real-work figure builds an autoconf package (bench/realwork.sh).
need autoconf  command -v autoreconf
need automake  command -v automake
# tests/tmpfs/test_xattr_tools.sh: setfattr/getfattr in a mount
need attr      command -v setfattr
# tests/tmpfs/test_acl_tools.sh: setfacl/getfacl in a mount
need acl       command -v setfacl
# make SANITIZE=...: clang's sanitizer runtimes.
sanitizer_links() { printf 'int main(void){return 0;}\n' | clang -fsanitize="$SANITIZE" -x c - -o /dev/null; }
[ -n "${SANITIZE:-}" ] && need libclang-rt-14-dev sanitizer_links
# make check-fuzz and `ukcov fuzz` (FUZZ=1): AFL++ and gnuplot (afl-plot).
[ -n "${FUZZ:-}" ] && need afl++ command -v afl-fuzz
[ -n "${FUZZ:-}" ] && need gnuplot-nox command -v gnuplot
missing=$(echo $missing | tr " " "\n" | sort -u | tr "\n" " " | sed "s/ *$//")
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "ukcov: installing missing packages:$missing"
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null || {
		echo "ukcov: apt-get install failed: run  apt-get install $missing" >&2; exit 1; }
	exit 0
fi
echo "ukcov: missing packages. Run as root:  apt-get install -y $missing" >&2
exit 1

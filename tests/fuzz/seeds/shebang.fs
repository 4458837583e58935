# ukcov fuzz seed: "#!" lines built from the input's bytes (fuzz/vocab.c,
# put_exec_kind): blanks, arguments and line ends around harmless
# interpreters, for binfmt_script's parse (kernel/syscalls/sys_exec.c)
mkexec a "#! \t/bin/false x \n"
exec a execve
mkexec b "#!a\n"
exec b execve
mkexec c "#!\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t/bin/true/\0\n"
exec c nofollow
mkexec d "#!  \r\n"
exec d opath
mkexec e "#!/bin/true xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx                 "
exec e fexecve

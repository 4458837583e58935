# chdir out of the mount by a relative path, and into the host through a
# symlink: Linux moves the cwd to the host directory. ukcov answers EXDEV
# (a known deviation, see docs/tmpfs.md: the supervisor cannot move a process's
# host cwd), so `diff.sh -k` reports this script's differences as known.
mkdir a 0755
chdir a
getcwd
chdir =../..
getcwd
chdir @/a
symlink @/../host lhost
chdir =lhost
getcwd
stat =file

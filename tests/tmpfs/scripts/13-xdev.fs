# names on both sides of the mount's edge. link(2) looks the old name up,
# then the new one (filename_create()), and compares mounts only then: the
# errors of both lookups come before EXDEV (the link itself would succeed
# on /dev/shm, which is one file system with ROOT, so only errors are
# compared). RESOLVE_NO_XDEV refuses an absolute symlink (a jump to the
# process root, on another mount) and an absolute path (down through the
# mount point).
mkdir d 0755
open f O_CREAT|O_WRONLY 0644
symlink .. up
open up/host O_RDONLY|O_DIRECTORY -> $h
link up/host/nx x
link up/host/file d
link up/host/file nx/x
link up/host/file x/
link up/nx/file f
linkat $h =nx AT_FDCWD x 0
linkat $h =file AT_FDCWD f 0
linkat $h =file AT_FDCWD nx/x AT_SYMLINK_FOLLOW
linkat $h "" AT_FDCWD x 0
linkat $h "" AT_FDCWD f AT_EMPTY_PATH
linkat $h =. AT_FDCWD d/. 0
su 1000 1000
linkat $h =nx AT_FDCWD d/x 0
link up/host/nx d/x
su 0 0
# rename(2): both parents are looked up before the mounts are compared
rename up/nx/a f
rename up/host/file/a f
rename f up/nx/a
rename up/host/nx nx/a
rename up/host/nx f/a
renameat $h =nx/a AT_FDCWD f
renameat $h =nx AT_FDCWD nx/a
renameat2 AT_FDCWD f $h =nx/b RENAME_NOREPLACE
renameat2 AT_FDCWD f $h =nx RENAME_EXCHANGE|RENAME_NOREPLACE
open . O_RDONLY|O_DIRECTORY -> $r
symlink @/f abs
openat2 $r =f O_RDONLY 0 RESOLVE_NO_XDEV -> $a
close $a
openat2 $r =abs O_RDONLY 0 RESOLVE_NO_XDEV
openat2 $r =abs O_RDONLY 0 0 -> $a
close $a
openat2 $r =d/../f O_RDONLY 0 RESOLVE_NO_XDEV -> $a
close $a
openat2 $r =abs O_RDONLY 0 RESOLVE_IN_ROOT
openat2 AT_FDCWD @/f O_RDONLY 0 RESOLVE_NO_XDEV
openat2 $r @/f O_RDONLY 0 RESOLVE_NO_XDEV

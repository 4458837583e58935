# mount(2) of a tmpfs on a directory of ROOT, umount2(2), statfs(2) of mounts
# (fsscript_mount.c): options, per-mount flags, MS_REMOUNT, propagation, the
# EBUSY / EINVAL / ENOENT / ENOTDIR cases. The host side runs in a mount
# namespace of its own (diff.sh), so nothing stays mounted on the host.
mkdir a 0755
mkdir b 0755
mkdir c 0755
open a/old O_CREAT|O_WRONLY 0644 -> $o
close $o
mount a 0 size=1m,nr_inodes=16,mode=0750
stat a
statvfs a
statvfs b
stat a/old
open a/f O_CREAT|O_RDWR 0644 -> $f
write $f x{5000}
fstatvfs $f
rmdir a
rename a d
umount a 0
umount a MNT_DETACH
close $f
umount a 0
stat a/old
# per-mount flags; a remount replaces them, and applies size=
mount b MS_RDONLY|MS_NOEXEC|MS_NOSUID|MS_NODEV -
statvfs b
mkdir b/x 0755
mount b MS_REMOUNT size=64k
statvfs b
mkdir b/x 0755
open b/x/f O_CREAT|O_WRONLY 0644 -> $g
write $g x{70000}
close $g
statvfs b
mount b MS_REMOUNT size=4k
mount b MS_REMOUNT|MS_RDONLY size=1m
statvfs b
open b/x/y O_CREAT|O_WRONLY 0644
mount b MS_REMOUNT|MS_NOATIME -
statvfs b
mount b MS_REMOUNT -
statvfs b
mount b MS_REMOUNT|MS_STRICTATIME nr_inodes=1
mount b MS_REMOUNT|MS_STRICTATIME nr_inodes=100
mount b MS_REMOUNT|MS_STRICTATIME size=0
statvfs b
mount b MS_REMOUNT size=1m
# propagation: a mount's root, one type at a time
mount b MS_PRIVATE -
mount b MS_SHARED|MS_REC -
mount b MS_PRIVATE|MS_SHARED -
mount b MS_PRIVATE|MS_RDONLY -
mount c MS_PRIVATE -
mount c MS_REMOUNT -
# umount2: no mount there, a file, unknown flags, MNT_EXPIRE twice
umount c 0
umount nx 0
umount a/old 0
umount a/old/x 0
umount b 0x10
umount b MNT_EXPIRE|MNT_DETACH
umount b MNT_EXPIRE
umount b MNT_EXPIRE
stat b/x
mount nx 0 -
mount a/old 0 -
mount a/old/x 0 -
mount c 0 bogus=1
mount c 0 size=x
mount c 0 nr_inodes=2
mkdir c/1 0755
mkdir c/2 0755
statvfs c
umount c UMOUNT_NOFOLLOW
mount c 0 size=0,nr_inodes=0,mode=0
statvfs c
stat c
umount c 0
# mounts stacked on one directory: the newest is seen, and goes first
mount c 0 uid=1000,gid=1000
stat c
mount c/ 0 mode=0700
stat c
mount c 0 mode=0710
stat c
umount c MNT_DETACH
stat c
umount c MNT_DETACH
stat c
umount c MNT_DETACH
stat c
umount c MNT_DETACH
# a newer mount on a directory above a mount point covers that mount too
mkdir p 0755
mkdir p/q 0755
mount p/q 0 mode=0711
stat p/q
mount p 0 -
stat p/q
chdir p/q
umount p/q 0
mount p/q 0 -
umount p 0
stat p/q
umount p/q 0
stat p/q
# a file is no mount's root: a remount or a propagation change of it is EINVAL
open f O_CREAT|O_WRONLY 0644 -> $h
close $h
mount f MS_REMOUNT -
mount f MS_PRIVATE -
mount f MS_SHARED|MS_REC -
mount f 0 -
# a new mount onto a file: the options are parsed before the file is seen
mount f 0 bogus=1
mount f 0 size=x
mount f 0 size=1m
# getcwd in a lazily unmounted file system: "(unreachable)" and its path there
mkdir u 0755
mount u 0 -
mkdir u/v 0755
mount u/v 0 -
mkdir u/v/w 0755
open u O_DIRECTORY -> $u
chdir u/v/w
umount u MNT_DETACH
getcwd
fchdir $u
getcwd
chdir @
getcwd
close $u
# a cwd under a newer mount still reaches the mounts below it
mkdir x 0755
mkdir x/y 0755
mount x/y 0 mode=0711
chdir x
mount x 0 -
stat x/y
stat =y
stat =y/..
open =y O_DIRECTORY -> $y
umount x 0
close $y
umount x 0
chdir @
umount x/y 0
# a mount detached while busy, then its parent unmounted: walks go on (the
# supervisor read the freed parent)
mkdir g 0755
mount g 0 -
mkdir g/h 0755
mount g/h 0 -
open g/h/f O_CREAT|O_RDWR 0644 -> $k
umount g/h MNT_DETACH
umount g 0
stat g/h
stat g
write $k abc
close $k
# a new tmpfs's root is the mounter's fsuid and fsgid (shmem_fill_super())
su 0 1000
mount c 0 -
stat c
umount c 0
su 0 0
# a mount point needs no search permission of its own
mkdir n 0600
su 65534 65534
mount n 0 -
stat n
umount n 0
su 0 0
# exec of a file in a mount made inside the mount (ukcov fuzz, 6 Dec: the
# walk did not go on into the inner mount, ENOENT; a directory is EACCES)
mkdir ex 0755
mount ex 0 -
exec ex execve
mkexec ex/s sh
exec ex/s execve
umount ex MNT_DETACH
# link(2)'s new name in another mount: its filename_create() (ENOENT for a
# missing name with a trailing slash, EEXIST) before EXDEV (ukcov fuzz, 6
# Dec: the walk of the new name stopped at the mount point with EXDEV)
mkdir lx 0755
mkdir lx/d 0755
open lx/f O_CREAT|O_RDWR 0644 -> $f0
mkdir lx/m 0755
mount lx/m 0 -
open lx/m/e O_CREAT|O_RDWR 0644 -> $f1
open lx/d O_DIRECTORY -> $f2
link lx/d lx/m/b/
link lx/f lx/m/b/
link lx/f lx/m/e
link lx/f lx/m/e/
link lx/f lx/m/b
fdlinkat $f2 lx/m/
fdlinkat $f0 lx/m/zz/
fdlinkat $f0 lx/m/e
close $f0
close $f1
close $f2
umount lx/m 0
# ... and a new name whose walk leaves the mounts: the host's
# filename_create() (the lib backend cannot look on the host: here, not in
# 13-xdev.fs)
symlink .. lxup
link lx/f lxup/host
link lx/f lxup/host/
link lx/f lxup/nx/
link lx/f lxup/host/nx/
link lx/f lxup/host/file
link lxup/host/file lxup/host/file
link lxup/host/file lxup/host/file2/

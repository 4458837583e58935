# Found by a 30-minute `ukcov fuzz` run (its seeds had umount-covered.fs);
# each line below differed before its fix.
# ".." to a directory a mount is on lands in that mount (step_into():
# handle_mounts()), from a cwd under it.
mkdir d 0755
mkdir d/e 0755
chdir d/e
mount d 0 -
stat =..
chdir =..
stat =.
chdir @
umount d 0
# On a read-only mount, rmdir and unlink answer mnt_want_write()'s EROFS
# before the long last name's ENAMETOOLONG (->lookup); a link from another
# mount answers filename_create()'s EROFS before do_linkat()'s EXDEV.
mkdir r 0755
open f O_CREAT|O_RDWR 0644 -> $f
mount r 0 size=1m
mkdir r/x 0755
mount r MS_REMOUNT|MS_RDONLY -
rmdir r/x{256}
unlink r/x{256}
rmdir r/x
mkdir r/x{256} 0755
fdlinkat $f r/a
fdlinkat $f r/x/
fdlinkat $f r/x
link f r/b
umount r 0
# mount(2) onto a directory of a lazily unmounted mount: lock_mount()'s
# ENOENT, after the options' EINVAL. The lazily unmounted mount is
# disconnected (umount_tree()): ".." at its root stays there, /proc's cwd
# link (d_path()) is its path from that root, with no "(unreachable)"
# (getcwd's alone), a remount is EINVAL (check_mnt()), and a mount that
# was on one of its directories is no longer stepped into. (A propagation
# change is EINVAL too since Linux 6.16 and its stable kernels: not here,
# where the host's kernel may predate it.)
mkdir m 0755
mount m 0 -
mkdir m/n 0755
mkdir m/n/k 0755
mount m/n/k 0 -
mkdir m/n/k/on-top 0755
chdir m/n
umount m MNT_DETACH
mount =. 0 -
mount =. 0 bogus=1
mount =. 0 size=1m
proclink thread-self/cwd
getcwd
stat =k/on-top
chdir =..
proclink self/cwd
stat =..
chdir =..
proclink self/cwd
mount =.. 0 -
mount =. MS_REMOUNT -
chdir @
stat m/n
# umount2(MNT_EXPIRE) marks an idle mount (EAGAIN); any other walk ending
# in it takes the mark back (path_put()'s mntput(); umount2's own walk
# uses mntput_no_expire()), so the next MNT_EXPIRE marks again.
mkdir x 0755
mount x 0 -
umount x MNT_EXPIRE
stat x/nothing
umount x MNT_EXPIRE
umount x MNT_EXPIRE
stat x
# link on a read-only mount by a caller fs.protected_hardlinks refuses:
# filename_create()'s EROFS before may_linkat()'s EPERM (ukcov: EPERM)
mkdir q 0755
mount q 0 -
open q/f O_CREAT|O_WRONLY 0600 -> $q
close $q
mount q MS_REMOUNT|MS_RDONLY -
su 1000 1000
link q/f q/g
su 0 0
umount q 0
# An open that ends in the mount takes the mark back too (path_openat()'s
# terminate_walk(); ukcov's open has a walk loop of its own): an O_CREAT
# open of the mount's root is EISDIR, and the next MNT_EXPIRE marks again.
mount x 0 -
umount x MNT_EXPIRE
open x O_CREAT|O_WRONLY 0644 -> $e
umount x MNT_EXPIRE
open x/nothing 0 0644 -> $e
umount x MNT_EXPIRE
umount x MNT_EXPIRE
# umount2 of a lazily unmounted mount, reached from a cwd in it: EINVAL
# (can_umount()'s check_mnt()), before its busy cwd's EBUSY.
mkdir y 0755
mount y 0 -
chdir y
umount =. MNT_DETACH
umount =. 0
umount =. MNT_DETACH
symlink . =s
umount =s/. 0
chdir @

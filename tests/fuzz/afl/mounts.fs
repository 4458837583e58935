# Mounts everywhere a script can reach and leaves them there: on the root,
# on the levels above it, stacked, nested, bound, through the "s" symlink,
# with the cwd and fds inside. The clean-up must unmount all of them on
# both sides, and nothing may reach the host's mount namespace.
mkdir a 0755
mkdir b 0755
mount a 0 size=1m
mkdir a/c 0755
mount a/c 0 -
mount s/a/c MS_RDONLY -
mountbind a b 0
mountbind .. b MS_REC
mount .. 0 -
mount ../.. MS_NOEXEC|MS_NOSUID|MS_NODEV -
mkdir ../../d 0755
mount ../../d 0 -
chdir a
open a O_DIRECTORY -> $f0
mount @ 0 mode=0700
mkdir e 0755
mount e 0 -
mount e MS_REMOUNT|MS_RDONLY -
mount e MS_SHARED|MS_REC -
umount a MNT_EXPIRE

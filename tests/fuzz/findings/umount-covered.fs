# umount2 of "." (or a symlink to it) from a cwd that a mount covers:
# Linux's walk stops on the covered directory ("." crosses no mount), then
# LOOKUP_MOUNTPOINT goes on into the top mount there (handle_lookup_down()):
# the mount comes off. ukcov answered EINVAL (not a mount's root). A
# remount, which walks without LOOKUP_MOUNTPOINT, stays EINVAL. Found by
# `ukcov fuzz` (umount =s after a mount on s/, s -> ".").
mkdir d 0755
symlink . d/s
chdir d
mount =. 0 -
mount =s 0 -
mount =. MS_REMOUNT size=64k
stat =s
umount =s 0
statfs =.
umount =. 0
umount =. 0
umount =s/. 0
chdir =..
stat =.

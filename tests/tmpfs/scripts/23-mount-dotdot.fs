# ".." at the root of a mount made by mount(2) goes to the mount point's
# parent in the mount below, as follow_dotdot() does, and into the top
# mount on that directory (step_into()): by the mount tree, never by the
# path naming it, which a newer mount on an ancestor hides (found by
# ukcov fuzz: ENOENT where Linux finds the directory).
mkdir x 0755
mkdir x/y 0755
mkdir x/y/d 0755
mkdir x/y/d/e 0755
mknod x/y/f S_IFREG|0644 0
chdir x/y/d/e
mount x/y/d 0 -
chdir =..
stat =.
# x covered: the cwd's ".." is still y, under it
mount x 0 -
stat =..
stat =../f
open =../g O_CREAT|O_WRONLY 0600 -> $g
close $g
stat x/y
chdir =..
stat =.
stat =f
stat =g
stat =d/e
# back to d's root: a mount on y is entered from there
chdir =d
stat =.
mount =.. 0 -
stat =..
stat =../f
mknod =../h S_IFREG|0644 0
chdir =..
stat =h
stat =f
umount =. MNT_DETACH
stat =f
stat =h
chdir @
umount x 0
stat x/y/h
umount x/y/d 0
stat x/y/d/e
# a mount stacked on a mount's root: ".." from the top one leaves them both
mkdir s 0755
mkdir s/t 0755
mount s/t 0 -
chdir s/t
mount =. 0 -
chdir s/t
stat =.
stat =..
stat =../t
chdir =..
stat =.
chdir @
umount s/t 0
umount s/t 0
stat s/t
# A new mount after an umount has the old one's device number, as
# get_anon_bdev() takes the lowest free minor (found by ukcov fuzz: the
# scratch root a guard came back to differed in identity).
mkdir r 0755
mkdir r/q 0755
mount r 0 -
stat r
mount r 0 -
stat r
umount r 0
stat r
umount r 0
mount r 0 -
stat r
umount r 0
stat r/q

# tmpfs's mount options as Linux parses them (shmem_parse_monolithic(),
# shmem_parse_one(); kernel/fs/tmpfs/options.c) and shows them in
# /proc/self/mountinfo (show_sb_opts(), shmem_show_options()). Only what
# Linux 6.1 and today's kernels answer alike: not uid=/gid= in hex (6.13),
# noswap (6.4), nr_inodes= past 2^54 (6.6), huge= (THP), "=x", quota (a
# kernel option).
mkdir a 0755
# the defaults: half of RAM's pages, rounded down (not half its bytes, up)
mount a 0 -
statvfs a
mountinfo a
umount a 0
mount a 0 size=50%
statvfs a
mountinfo a
umount a 0
# memparse(): any base, k m g t p e, wrapping; N% of totalram_pages()
mount a 0 size=0x100000
statvfs a
umount a 0
mount a 0 size=010
statvfs a
umount a 0
mount a 0 size=1t,nr_inodes=1k
statvfs a
mountinfo a
umount a 0
mount a 0 size=1e
mountinfo a
umount a 0
mount a 0 size=1P,nr_inodes=0x10
statvfs a
umount a 0
mount a 0 size=1k%
mountinfo a
umount a 0
mount a 0 size=1m%
statvfs a
umount a 0
mount a 0 size=1000000000000%
statvfs a
umount a 0
mount a 0 size=0%
statvfs a
mountinfo a
umount a 0
mount a 0 size=4097,nr_inodes=0
statvfs a
mountinfo a
umount a 0
# kstrtouint(s, 8) for mode=: a '+', one newline; masked to 07777
mount a 0 mode=+700
stat a
mountinfo a
umount a 0
mount a 0 mode=7777777
stat a
umount a 0
mount a 0 mode=0
stat a
mountinfo a
umount a 0
mount a 0 uid=1000,gid=1001
stat a
mountinfo a
umount a 0
# a comma before a digit does not end an option (mpol's node lists)
mount a 0 size=1m,2
mount a 0 mode=700,1
mount a 0 ,,size=1m,
statvfs a
umount a 0
# the generic flags, by key alone; sync and dirsync are the super block's
mount a 0 ro=1
mountinfo a
umount a 0
mount a 0 sync,dirsync,lazytime
mountinfo a
statvfs a
umount a 0
mount a MS_SYNCHRONOUS|MS_NOATIME|MS_NODEV -
mountinfo a
umount a 0
mount a MS_STRICTATIME|MS_NOSUID rw,async
mountinfo a
umount a 0
# unknown, empty, a flag given a value, a value missing: EINVAL
mount a 0 nosuid
mount a 0 noatime
mount a 0 silent
mount a 0 size
mount a 0 size=
mount a 0 mode=
mount a 0 inode64=1
mount a 0 size=+1m
mount a 0 mode=08
mount a 0 gid=4294967295
# a remount: size= and nr_inodes= apply, mode= and uid= are ignored
mount a 0 size=1m,mode=0700
mount a MS_REMOUNT size=2m,mode=0755,uid=5
stat a
mountinfo a
mount a MS_REMOUNT sync
mountinfo a
mount a MS_REMOUNT -
mountinfo a
umount a 0
# nosymfollow: a symlink in the mount is ELOOP to follow, readable
mount a MS_NOSYMFOLLOW -
symlink . a/s
stat a/s
lstat a/s
readlink a/s 100
statvfs a
mountinfo a
umount a 0
# mount(2)'s source comes first: "source=" in the options is EINVAL
# ("Multiple sources"), onto a file too, before its ENOTDIR (fuzz run 10)
mount a 0 source=x
creat f 0644 -> $f9
close $f9
mount f 0 source=x
mount f 0 size=1m
mount f 0 nosuch
mount f 0 -

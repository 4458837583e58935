# A symlink whose target holds a side's own root path (@), read back with a
# buffer shorter than that root: the bytes are each side's own, the length
# the same on both (fsscript prints "<root:N>"; the fuzz guest's roots are
# as long). Found by ukcov fuzz as "/d" against "/m".
symlink @/a l
readlink l 1
readlink l 2
readlink l 9
readlink l 4096
readlinkat AT_FDCWD l 3

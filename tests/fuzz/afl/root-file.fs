# W removed and a file made of its name (ukcov fuzz's corpus, 6 Dec): every
# later input of the process found its root not a directory
read $f0 0
read $f0 10
readv $f0 0 0
chdir x{256}
lstat @
lstat @
rmdir @
lstat @
mknod @ S_IFREG|0600 0
lstat @
lstat @
lstat @
rmdir @

# a write whose buffer faults at its first byte keeps the page its
# shmem_write_begin() allocated (Linux 6.14+: no prefault), past i_size
# too, and its write_end() moves i_size up to the position, 0 bytes copied
# (ukcov fuzz, 6 Dec: blocks=0 where Linux shows 8)
chdir @
open c O_RDWR|O_CREAT 0644 -> $f0
fault write GUARD $f0 c
fstat $f0
open e O_RDWR|O_CREAT 0644 -> $f1
write $f1 aaaaa
ftruncate $f1 0
fault write NULL $f1 c
fstat $f1
lseek $f1 8192 SEEK_SET
fault write GUARD $f1 c
fstat $f1

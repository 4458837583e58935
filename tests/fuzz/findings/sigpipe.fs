# found by ukcov fuzz: a write to a pipe without a reader killed the guest
# (SIGPIPE, a crash to AFL++); it is EPIPE on both sides. In the guest's
# replay of this seed (tests/fuzz/test_afl_guest.sh) the signal fails it.
pipe $pr $pw
open f O_CREAT|O_RDWR 0644 -> $f
write $f abc
close $pr
write $pw x
lseek $f 0 SEEK_SET
splice $f $pw 1

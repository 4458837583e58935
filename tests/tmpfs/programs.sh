# Real programs that map and lock their files, run in $D: on Linux's tmpfs
# and inside a mount the output must be the same (test_programs.sh).
set -e
cd "$D"
export GIT_AUTHOR_DATE='2001-01-01T00:00:00Z' GIT_COMMITTER_DATE='2001-01-01T00:00:00Z'
export GIT_CONFIG_NOSYSTEM=1 HOME="$D"
git init -q -b main r
cd r
git config user.email t@example.com
git config user.name t
printf 'one\n' > f
git add f
git commit -qm first
printf 'two\n' >> f
mkdir d && printf 'x\n' > d/g
git add -A
git commit -qm second
git log --format='%H %s'
git fsck --no-progress --strict
git status --short
cd ..

sqlite3 db 'create table t(a integer primary key, b text);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 3000)
insert into t select x, printf("%0100d", x) from c;'
sqlite3 db 'select count(*), sum(a), sum(length(b)) from t; pragma integrity_check;'
# WAL: the -shm index is a shared mapping, and readers lock it.
sqlite3 db 'pragma journal_mode=wal; update t set b = upper(b) where a % 7 = 0; select count(*) from t where a % 7 = 0;'
sqlite3 db 'pragma integrity_check; pragma wal_checkpoint(truncate);' | head -1

python3 - <<'PY'
import mmap, os
with open('m.bin', 'wb') as f:
    f.write(b'a' * 10000)
with open('m.bin', 'r+b') as f:
    m = mmap.mmap(f.fileno(), 0)
    m[0:5] = b'HELLO'
    m[9995:] = b'WORLD'
    m.flush()
    print(f.read(5), os.pread(f.fileno(), 5, 9995))
    os.pwrite(f.fileno(), b'xyz', 100)
    print(m[100:103], m.size())
    m.close()
with open('m.bin', 'rb') as f:
    d = f.read()
print(len(d), d.count(b'a'), d[:6], d[-6:])
PY

printf '#include <stdio.h>\nint main(void) { puts("built here"); return 0; }\n' > hello.c
cc -c hello.c
cc -o hello hello.o
./hello

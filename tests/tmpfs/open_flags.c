/*
 * Guest (--tmpfs=/mnt/t): open(2) ignores flag bits it does not know, and
 * F_GETFL shows only the flags Linux keeps; checked against Linux's own
 * answer on the host's /dev/shm (a tmpfs too). Found by make fuzz: a tmpfs
 * file kept every bit, and F_GETFL could even be negative. Exit 0 pass, 1 fail.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static const int junk[] = { 0x80000000, 0x40000000, 0x10000000, 0x08000000, 0x04000000, 0x00000020 };

static int getfl_after(const char *path, int flags)
{
	int fd = open(path, flags, 0644), fl;

	if (fd < 0)
		return -1;
	fl = fcntl(fd, F_GETFL);
	close(fd);
	unlink(path);
	return fl;
}

int main(void)
{
	int fails = 0;

	for (unsigned int i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		int flags = O_RDWR | O_CREAT | O_APPEND | junk[i];
		int linux_fl = getfl_after("/dev/shm/ukcov-open-flags", flags);
		int ukcov_fl = getfl_after("/mnt/t/f", flags);

		if (linux_fl != ukcov_fl) {
			printf("open(O_RDWR|O_CREAT|O_APPEND|%#x): F_GETFL %#x in the mount, %#x on Linux's tmpfs\n",
			       (unsigned int)junk[i], (unsigned int)ukcov_fl, (unsigned int)linux_fl);
			fails++;
		}
	}
	printf("%s\n", fails ? "FAIL" : "ok");
	return fails != 0;
}

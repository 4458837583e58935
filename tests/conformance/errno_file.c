/*
 * The kcov file as a file: F_GETFL shows the open's access mode (with
 * O_LARGEFILE, as every 64-bit open has), seals are refused (debugfs files
 * are no memfds), an absurd mmap length is ENOMEM (get_unmapped_area) before
 * kcov's own EINVAL, "." components in the path name the same file, and
 * fstatat(fd, NULL, AT_EMPTY_PATH) works from Linux 6.11 on.
 */
#include "kcov_test.h"
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

static int kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &ma, &mi);
	return ma > major || (ma == major && mi >= minor);
}

int main(void)
{
	int fd = kt_open(), rdonly, dotted;
	struct stat st;

	CHECK_OK(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE));
	CHECK_ERR(fcntl(fd, F_GET_SEALS), EINVAL);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EINVAL);
	CHECK((void *)mmap(NULL, (size_t)-4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENOMEM,
	      "mmap of a huge length: expected ENOMEM got %s", kt_errname(errno));

	rdonly = open(KT_PATH, O_RDONLY);
	REQUIRE(rdonly >= 0, "open O_RDONLY: expected success");
	CHECK((fcntl(rdonly, F_GETFL) & (O_ACCMODE | O_LARGEFILE)) == (O_RDONLY | O_LARGEFILE),
	      "F_GETFL of an O_RDONLY open: expected O_RDONLY|O_LARGEFILE got %#x", fcntl(rdonly, F_GETFL));
	CHECK_OK(fcntl(rdonly, F_SETFL, O_NONBLOCK));
	CHECK(fcntl(rdonly, F_GETFL) & O_NONBLOCK, "F_SETFL O_NONBLOCK: not kept");

	dotted = open("/sys/kernel/./debug//kcov", O_RDWR);
	CHECK(dotted >= 0, "open of /sys/kernel/./debug//kcov: expected success got %s", kt_errname(errno));

	if (kernel_at_least(6, 11))
		CHECK(syscall(SYS_newfstatat, fd, NULL, &st, AT_EMPTY_PATH) == 0,
		      "newfstatat(fd, NULL, AT_EMPTY_PATH): expected 0 got %s", kt_errname(errno));
	return kt_failed;
}

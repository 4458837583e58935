// SPDX-License-Identifier: MIT
/*
 * A minimal embedder for test_binary.sh: its "kernel" (the file given at
 * build time, instrumented) runs for one task with a kcov enabled; it
 * prints its build ID as symbolize's input declares it, then the PCs.
 * Linked with the runtime libukcov alone (no libdw, no libelf).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>

#include <ukcov/ukcov.h>

int work(int x);

int main(int argc, char **argv)
{
	struct ukcov_task *t = ukcov_task_new();
	volatile uint64_t *area;
	struct ukcov_kcov *k;
	uint8_t id[64];
	int n = ukcov_build_id(id, sizeof(id));

	(void)argv;
	if (!t || ukcov_kcov_open(O_RDWR, &k) || ukcov_kcov_ioctl(k, t, UKCOV_KCOV_INIT_TRACE, 512, NULL))
		return 1;
	area = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(k), 0);
	if (area == MAP_FAILED || ukcov_kcov_ioctl(k, t, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL))
		return 1;
	ukcov_task_return_to_user(t, false);
	area[0] = 0;
	work(argc);
	ukcov_task_return_to_user(t, false);
	if (n > 0) {
		printf("# build-id: ");
		for (int i = 0; i < n && i < (int)sizeof(id); i++)
			printf("%02x", id[i]);
		printf("\n");
	}
	for (uint64_t i = 1; i <= area[0] && i < 512; i++)
		printf("0x%llx\n", (unsigned long long)area[i]);
	return area[0] ? 0 : 1;
}

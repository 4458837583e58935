/* SPDX-License-Identifier: MIT */
/*
 * The kcov user ABI as Linux defines it (include/uapi/linux/kcov.h, x86-64),
 * plus the two 2025 proposals syzkaller already speaks. Kept here so that an
 * embedder needs no kernel headers, and so the values are checked against
 * <linux/kcov.h> at build time (see lib/kcov.c).
 */
#ifndef UKCOV_KCOV_UAPI_H
#define UKCOV_KCOV_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ukcov_kcov_remote_arg {
	uint32_t trace_mode;
	uint32_t area_size;
	uint32_t num_handles;
	uint64_t common_handle __attribute__((aligned(8)));
	uint64_t handles[];
};

#define UKCOV_KCOV_REMOTE_MAX_HANDLES 0x100

#define UKCOV_KCOV_INIT_TRACE _IOR('c', 1, unsigned long)
#define UKCOV_KCOV_ENABLE _IO('c', 100)
#define UKCOV_KCOV_DISABLE _IO('c', 101)
#define UKCOV_KCOV_REMOTE_ENABLE _IOW('c', 102, struct ukcov_kcov_remote_arg)
/* Not mainline (2025 proposals). */
#define UKCOV_KCOV_UNIQUE_ENABLE _IOW('c', 103, unsigned long)
#define UKCOV_KCOV_RESET_TRACE _IO('c', 104)

enum {
	UKCOV_KCOV_TRACE_PC = 0,
	UKCOV_KCOV_TRACE_CMP = 1,
};

#define UKCOV_KCOV_CMP_CONST (1 << 0)
#define UKCOV_KCOV_CMP_SIZE(n) ((n) << 1)
#define UKCOV_KCOV_CMP_MASK UKCOV_KCOV_CMP_SIZE(3)

#define UKCOV_KCOV_SUBSYSTEM_COMMON (0x00ull << 56)
#define UKCOV_KCOV_SUBSYSTEM_USB (0x01ull << 56)
#define UKCOV_KCOV_SUBSYSTEM_MASK (0xffull << 56)
#define UKCOV_KCOV_INSTANCE_MASK (0xffffffffull)

/* Linux's internal "operation not supported" errno, returned raw by kcov. */
#define UKCOV_ENOTSUPP 524

/* The path guests open. */
#define UKCOV_KCOV_PATH "/sys/kernel/debug/kcov"

#ifdef __cplusplus
}
#endif
#endif

// SPDX-License-Identifier: MIT
/*
 * The kernel of embed: every handler here is compiled with ukcov.pc's
 * sancov_cflags, so its blocks are what the guests' kcov areas receive.
 * The kcov file is served by libukcov: open, ioctl, mmap and close of
 * /sys/kernel/debug/kcov are routed to ukcov_kcov_*().
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include <ukcov/ukcov.h>

#include "embed.h"

enum file_kind { FILE_NONE, FILE_CONSOLE, FILE_KCOV };

struct file {
	enum file_kind kind;
	struct ukcov_kcov *kcov;
};

/* One fd table: the guest tasks are threads of one process. */
static struct file files[16] = { [1] = { .kind = FILE_CONSOLE } };
static char console[512];
static size_t console_len;

static struct {
	char key[16];
	long value;
	bool used;
} kv[8];

static struct file *fd_get(long fd)
{
	if (fd < 0 || fd >= (long)(sizeof(files) / sizeof(files[0])) || files[fd].kind == FILE_NONE)
		return NULL;
	return &files[fd];
}

static long fd_alloc(void)
{
	for (long fd = 0; fd < (long)(sizeof(files) / sizeof(files[0])); fd++)
		if (files[fd].kind == FILE_NONE)
			return fd;
	return -EMFILE;
}

static long sys_open(struct task *t, const long *a)
{
	const char *path = (const char *)a[0];
	struct ukcov_kcov *k;
	long fd;
	int err;

	(void)t;
	if (strcmp(path, UKCOV_KCOV_PATH))
		return -ENOENT;
	fd = fd_alloc();
	if (fd < 0)
		return fd;
	err = ukcov_kcov_open((int)a[1], &k);
	if (err)
		return err;
	files[fd] = (struct file){ .kind = FILE_KCOV, .kcov = k };
	return fd;
}

static long sys_close(struct task *t, const long *a)
{
	struct file *f = fd_get(a[0]);

	(void)t;
	if (!f)
		return -EBADF;
	if (f->kind == FILE_KCOV)
		ukcov_kcov_close(f->kcov); /* tracing goes on until its thread disables */
	*f = (struct file){ .kind = FILE_NONE };
	return 0;
}

/* Guest memory is ours: the guests run in this address space. */
static int guest_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	(void)ctx;
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

static long sys_ioctl(struct task *t, const long *a)
{
	static const struct ukcov_guest_mem mem = { .read = guest_read };
	struct file *f = fd_get(a[0]);

	if (!f)
		return -EBADF;
	if (f->kind != FILE_KCOV)
		return -ENOTTY;
	return ukcov_kcov_ioctl(f->kcov, t->cov, (unsigned int)a[1], (unsigned long)a[2], &mem);
}

static long sys_mmap(struct task *t, const long *a)
{
	struct file *f = fd_get(a[4]);
	void *p;
	int err;

	(void)t;
	if (!f)
		return -EBADF;
	if (f->kind != FILE_KCOV)
		return -ENODEV;
	err = ukcov_kcov_mmap_check(f->kcov, (uint64_t)a[1], (int)a[2], (int)a[3], (uint64_t)a[5]);
	if (err)
		return err;
	/* The guest maps the very memfd the library writes the PCs into. */
	p = mmap((void *)a[0], (size_t)a[1], (int)a[2], (int)a[3], ukcov_kcov_fd(f->kcov), (off_t)a[5]);
	return p == MAP_FAILED ? -errno : (long)p;
}

static long sys_munmap(struct task *t, const long *a)
{
	(void)t;
	return munmap((void *)a[0], (size_t)a[1]) ? -errno : 0;
}

static long console_put(const char *s, size_t n)
{
	if (n > sizeof(console) - 1 - console_len)
		n = sizeof(console) - 1 - console_len;
	memcpy(console + console_len, s, n);
	console_len += n;
	return (long)n;
}

static long sys_write(struct task *t, const long *a)
{
	struct file *f = fd_get(a[0]);

	(void)t;
	if (!f)
		return -EBADF;
	if (f->kind == FILE_KCOV)
		return -EINVAL; /* as Linux's kcov file */
	if (a[2] < 0)
		return -EINVAL;
	return console_put((const char *)a[1], (size_t)a[2]);
}

static long sys_getpid(struct task *t, const long *a)
{
	(void)a;
	return t->tid;
}

static long sys_yield(struct task *t, const long *a)
{
	(void)t;
	(void)a;
	return 0; /* the switch itself is the entry code's */
}

static long kv_find(const char *key)
{
	for (long i = 0; i < (long)(sizeof(kv) / sizeof(kv[0])); i++)
		if (kv[i].used && !strcmp(kv[i].key, key))
			return i;
	return -ENOENT;
}

static long sys_kv_put(struct task *t, const long *a)
{
	const char *key = (const char *)a[0];
	long i = kv_find(key);

	(void)t;
	if (strlen(key) >= sizeof(kv[0].key))
		return -ENAMETOOLONG;
	if (i < 0) {
		for (i = 0; i < (long)(sizeof(kv) / sizeof(kv[0])) && kv[i].used; i++)
			;
		if (i == (long)(sizeof(kv) / sizeof(kv[0])))
			return -ENOSPC;
		strcpy(kv[i].key, key);
		kv[i].used = true;
	}
	kv[i].value = a[1];
	return 0;
}

static long sys_kv_get(struct task *t, const long *a)
{
	long i = kv_find((const char *)a[0]);

	(void)t;
	return i < 0 ? i : kv[i].value;
}

static long (*const syscall_table[NR_SYSCALLS])(struct task *, const long *) = {
	[SYS_open] = sys_open,
	[SYS_close] = sys_close,
	[SYS_ioctl] = sys_ioctl,
	[SYS_mmap] = sys_mmap,
	[SYS_munmap] = sys_munmap,
	[SYS_write] = sys_write,
	[SYS_getpid] = sys_getpid,
	[SYS_yield] = sys_yield,
	[SYS_kv_put] = sys_kv_put,
	[SYS_kv_get] = sys_kv_get,
};

long kernel_syscall(struct task *t, long nr, const long args[6])
{
	if (nr < 0 || nr >= NR_SYSCALLS || !syscall_table[nr])
		return -ENOSYS;
	return syscall_table[nr](t, args);
}

const char *kernel_console(void)
{
	return console;
}

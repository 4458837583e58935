// SPDX-License-Identifier: MIT
/*
 * The kcov device, as Linux's kernel/kcov.c, for a kernel that runs in user
 * space. Names, states and the order of checks follow kcov.c so that the two
 * can be read side by side; every rejected transition returns Linux's errno.
 *
 * The area is a memfd: the embedder installs it in the guest, the guest's
 * mmap() maps it, and the library writes through its own shared mapping.
 *
 * Built without instrumentation, like kcov.c itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kcov.h>
#include <ukcov/ukcov.h>

#include "area.h"
#include "flush.h"

_Static_assert(UKCOV_KCOV_INIT_TRACE == KCOV_INIT_TRACE, "INIT_TRACE");
_Static_assert(UKCOV_KCOV_ENABLE == KCOV_ENABLE, "ENABLE");
_Static_assert(UKCOV_KCOV_DISABLE == KCOV_DISABLE, "DISABLE");
_Static_assert(UKCOV_KCOV_REMOTE_ENABLE == KCOV_REMOTE_ENABLE, "REMOTE_ENABLE");

/*
 * kcov->mode, as Linux's enum kcov_mode:
 *   DISABLED   just opened: no area yet
 *   INIT       INIT_TRACE set the area up; no thread collects
 *   TRACE_PC   thread kcov->t collects PCs into the area
 *   TRACE_CMP  thread kcov->t collects comparison records (not built in yet)
 * Transitions:
 *   DISABLED -(INIT_TRACE)-> INIT -(ENABLE)-> TRACE_* -(DISABLE | thread exit)-> INIT
 */
enum kcov_mode {
	KCOV_MODE_DISABLED,
	KCOV_MODE_INIT,
	KCOV_MODE_TRACE_PC,
	KCOV_MODE_TRACE_CMP,
};

struct ukcov_kcov {
	/* The open file holds one reference; an enabled thread holds another. */
	unsigned int refcount;
	enum kcov_mode mode;
	int memfd;
	int open_flags;
	uint64_t size;            /* in words */
	uint64_t *area;           /* our mapping of the memfd, size words */
	struct ukcov_task *t;     /* the thread collecting, or NULL */
};

struct ukcov_task {
	struct ukcov_kcov *kcov;  /* the kcov this thread collects into, or NULL */
	/*
	 * Set on ENABLE when the flags may hold what the kernel did for other
	 * threads while no kcov was enabled anywhere (flushes are skipped then):
	 * the next flush of this task discards instead of reporting.
	 */
	bool discard;
};

/* Threads with a kcov enabled. While none has, flushes are skipped (no work when kcov is off). */
static unsigned int nr_traced;
static bool flags_stale;
static uint64_t stat_pcs_written, stat_pcs_dropped;

static void kcov_get(struct ukcov_kcov *kcov)
{
	kcov->refcount++;
}

static void kcov_put(struct ukcov_kcov *kcov)
{
	if (--kcov->refcount)
		return;
	if (kcov->area)
		munmap(kcov->area, kcov->size * sizeof(uint64_t));
	close(kcov->memfd);
	free(kcov);
}

int ukcov_kcov_open(int flags, struct ukcov_kcov **out)
{
	struct ukcov_kcov *kcov = calloc(1, sizeof(*kcov));

	if (!kcov)
		return -ENOMEM;
	kcov->memfd = memfd_create("kcov", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (kcov->memfd < 0) {
		int err = -errno;

		free(kcov);
		return err;
	}
	kcov->refcount = 1;
	kcov->mode = KCOV_MODE_DISABLED;
	kcov->open_flags = flags;
	*out = kcov;
	return 0;
}

int ukcov_kcov_fd(const struct ukcov_kcov *kcov)
{
	return kcov->memfd;
}

void ukcov_kcov_close(struct ukcov_kcov *kcov)
{
	kcov_put(kcov);
}

bool ukcov_kcov_enabled(const struct ukcov_kcov *kcov)
{
	return kcov->t != NULL;
}

/*
 * Sizes the memfd, maps it, then seals it so that nobody holding the memfd
 * (the guest has it) can shrink it under our mapping and make our stores
 * fault. The guest may race us between ftruncate and the seal, so the size is
 * checked again once sealed.
 */
static int kcov_area_alloc(struct ukcov_kcov *kcov, uint64_t size)
{
	size_t bytes = size * sizeof(uint64_t);
	struct stat st;
	void *area;

	if (ftruncate(kcov->memfd, (off_t)bytes))
		return -ENOMEM;
	area = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, kcov->memfd, 0);
	if (area == MAP_FAILED)
		goto fail_truncate;
	if (fcntl(kcov->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) ||
	    fstat(kcov->memfd, &st) || (uint64_t)st.st_size != bytes)
		goto fail_unmap;
	kcov->area = area;
	kcov->size = size;
	return 0;
fail_unmap:
	munmap(area, bytes);
fail_truncate:
	(void)!ftruncate(kcov->memfd, 0);
	return -ENOMEM;
}

static int kcov_init_trace(struct ukcov_kcov *kcov, unsigned long size)
{
	/* At least 2 words: the count and one PC. Checked before the busy state, as Linux does. */
	if (size < 2 || size > INT_MAX / sizeof(unsigned long))
		return -EINVAL;
	if (kcov->mode != KCOV_MODE_DISABLED)
		return -EBUSY;
	if (kcov_area_alloc(kcov, size))
		return -ENOMEM;
	kcov->mode = KCOV_MODE_INIT;
	return 0;
}

static int kcov_get_mode(unsigned long arg)
{
	if (arg == UKCOV_KCOV_TRACE_PC)
		return KCOV_MODE_TRACE_PC;
	if (arg == UKCOV_KCOV_TRACE_CMP)
		return -UKCOV_ENOTSUPP; /* comparison operands are not built in */
	return -EINVAL;
}

static int kcov_enable(struct ukcov_kcov *kcov, struct ukcov_task *t, unsigned long arg)
{
	int mode;

	/* Also rejects an fd some thread already enabled: its mode is TRACE_*. */
	if (kcov->mode != KCOV_MODE_INIT || !kcov->area)
		return -EINVAL;
	if (kcov->t != NULL || t->kcov != NULL)
		return -EBUSY;
	mode = kcov_get_mode(arg);
	if (mode < 0)
		return mode;
	kcov->mode = (enum kcov_mode)mode;
	kcov->t = t;
	t->kcov = kcov;
	t->discard = flags_stale;
	nr_traced++;
	kcov_get(kcov);
	return 0;
}

static void kcov_disable(struct ukcov_task *t, struct ukcov_kcov *kcov)
{
	t->kcov = NULL;
	kcov->t = NULL;
	kcov->mode = KCOV_MODE_INIT;
	nr_traced--;
	kcov_put(kcov);
}

static int kcov_ioctl_disable(struct ukcov_kcov *kcov, struct ukcov_task *t, unsigned long arg)
{
	if (arg != 0 || t->kcov != kcov)
		return -EINVAL;
	kcov_disable(t, kcov);
	return 0;
}

int ukcov_kcov_ioctl(struct ukcov_kcov *kcov, struct ukcov_task *t, unsigned int cmd,
		     unsigned long arg, const struct ukcov_guest_mem *mem)
{
	(void)mem; /* for KCOV_REMOTE_ENABLE's argument, once remote coverage lands */
	switch (cmd) {
	case UKCOV_KCOV_INIT_TRACE:
		return kcov_init_trace(kcov, arg);
	case UKCOV_KCOV_ENABLE:
		return kcov_enable(kcov, t, arg);
	case UKCOV_KCOV_DISABLE:
		return kcov_ioctl_disable(kcov, t, arg);
	default:
		/* Includes REMOTE_ENABLE, UNIQUE_ENABLE and RESET_TRACE until they are built. */
		return -ENOTTY;
	}
}

int ukcov_kcov_mmap_check(const struct ukcov_kcov *kcov, uint64_t len, int prot, int flags,
			  uint64_t off)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	int acc = kcov->open_flags & O_ACCMODE;

	/* do_mmap()'s generic checks come before the file's own mmap. */
	if (len == 0 || off % page)
		return -EINVAL;
	/* get_unmapped_area(): more than the 47-bit user address space (or a wrapping PAGE_ALIGN). */
	if (len > (1ull << 47) - page)
		return -ENOMEM;
	if (acc == O_WRONLY)
		return -EACCES;
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
		return -EACCES;
	/* kcov_mmap(): the VMA (page-rounded) must be exactly the area. */
	if (!kcov->area || off != 0 ||
	    ((len + page - 1) & ~(page - 1)) != kcov->size * sizeof(uint64_t))
		return -EINVAL;
	return 0;
}

struct ukcov_task *ukcov_task_new(void)
{
	return calloc(1, sizeof(struct ukcov_task));
}

bool ukcov_task_traced(const struct ukcov_task *t)
{
	return t->kcov != NULL;
}

void ukcov_task_exit(struct ukcov_task *t)
{
	if (t->kcov)
		kcov_disable(t, t->kcov);
	free(t);
}

void ukcov_task_return_to_user(struct ukcov_task *t, bool full_scan)
{
	struct ukcov_kcov *kcov = t->kcov;
	struct ukcov_area_writer w;

	if (!nr_traced) {
		/* Nobody can observe coverage: leave the flags for ENABLE to discard. */
		flags_stale = true;
		return;
	}
	if (!kcov || kcov->mode != KCOV_MODE_TRACE_PC || t->discard) {
		t->discard = false;
		ukcov_flush(NULL, full_scan);
		flags_stale = false;
		return;
	}
	ukcov_area_open(&w, kcov->area, kcov->size);
	ukcov_flush(&w, full_scan);
	ukcov_area_close(&w);
	flags_stale = false;
	stat_pcs_written += w.written;
	stat_pcs_dropped += w.dropped;
}

void ukcov_stats_get(struct ukcov_stats *out)
{
	*out = (struct ukcov_stats){
		.flushes = ukcov_stat_flushes,
		.functions_scanned = ukcov_stat_functions_scanned,
		.pcs_written = stat_pcs_written,
		.pcs_dropped = stat_pcs_dropped,
	};
}

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
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kcov.h>
#include <ukcov/ukcov.h>

#include "area.h"
#include "blocks.h"
#include "flush.h"
#include "route.h"
#include "task.h"

_Static_assert(UKCOV_KCOV_INIT_TRACE == KCOV_INIT_TRACE, "INIT_TRACE");
_Static_assert(UKCOV_KCOV_ENABLE == KCOV_ENABLE, "ENABLE");
_Static_assert(UKCOV_KCOV_DISABLE == KCOV_DISABLE, "DISABLE");
_Static_assert(UKCOV_KCOV_REMOTE_ENABLE == KCOV_REMOTE_ENABLE, "REMOTE_ENABLE");

/*
 * kcov->mode, as Linux's enum kcov_mode:
 *   DISABLED   just opened: no area yet
 *   INIT       INIT_TRACE set the area up; no thread collects
 *   TRACE_PC   thread kcov->t collects PCs into the area (or, remote, gets
 *              the PCs of remote sections of its handles)
 *   TRACE_CMP  the same with comparison records (trace mode only)
 *   UNIQUE_PC  thread kcov->t collects each PC once until the bitmap (the
 *              first bitmap_words words) is cleared; trace after it
 * Transitions:
 *   DISABLED -(INIT_TRACE)-> INIT -(ENABLE | UNIQUE_ENABLE | REMOTE_ENABLE)-> TRACE_* / UNIQUE_PC
 *   TRACE_* / UNIQUE_PC -(DISABLE | thread exit)-> INIT
 */
enum kcov_mode {
	KCOV_MODE_DISABLED,
	KCOV_MODE_INIT,
	KCOV_MODE_TRACE_PC,
	KCOV_MODE_TRACE_CMP,
	KCOV_MODE_UNIQUE_PC,
};

struct ukcov_kcov {
	/* The open file holds one reference; an enabled thread and each running remote section another. */
	unsigned int refcount;
	enum kcov_mode mode;
	int memfd;
	int open_flags;
	uint64_t size;            /* in words */
	uint64_t *area;           /* our mapping of the memfd, size words */
	struct ukcov_task *t;     /* the thread collecting (or owning the remote handles), or NULL */
	uint64_t bitmap_words;    /* unique mode: words of the bitmap at the start of the area */
	bool remote;              /* enabled with KCOV_REMOTE_ENABLE */
	uint32_t remote_size;     /* words of each remote section's own area */
	/* Bumped at each disable: a remote section that started before is dropped. */
	uint64_t sequence;
	/* The memfd's identity, by which a tracer recognizes the guest's fd (route.c). */
	uint64_t dev, ino;
	/* The embedder gave its reference to the guest's fds and mappings (ukcov_kcov_hand_over()). */
	bool handed;
	/* Every open file (not yet closed), for ukcov_kcov_find(); under kcov_lock. */
	struct ukcov_kcov *next_open;
};

/*
 * kcov_lock protects every kcov's state and the remote handle table, as
 * Linux's kcov->lock and kcov_remote_lock do; the hooks never take it (they
 * read only their own task's area pointer, which changes only on that task's
 * own ioctls and exit). Counter mode's globals (nr_traced, flags_stale, the
 * flags) are for a serialized embedder and need no lock.
 */
static pthread_mutex_t kcov_lock = PTHREAD_MUTEX_INITIALIZER;

struct kcov_remote {
	uint64_t handle;
	struct ukcov_kcov *kcov;
};
static struct kcov_remote *remotes;
static size_t nremotes, remotes_cap;
/* The open files, newest first (kcov_lock). */
static struct ukcov_kcov *open_kcovs;

/* Threads with a kcov enabled. While none has, flushes are skipped (no work when kcov is off). */
static unsigned int nr_traced;
static bool flags_stale;
static uint64_t stat_pcs_written, stat_pcs_dropped;

static void kcov_get(struct ukcov_kcov *kcov)
{
	__atomic_add_fetch(&kcov->refcount, 1, __ATOMIC_RELAXED);
}

static void kcov_put(struct ukcov_kcov *kcov)
{
	if (__atomic_sub_fetch(&kcov->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	if (kcov->area)
		munmap(kcov->area, kcov->size * sizeof(uint64_t));
	close(kcov->memfd);
	free(kcov);
}

int ukcov_kcov_open(int flags, struct ukcov_kcov **out)
{
	struct ukcov_kcov *kcov = calloc(1, sizeof(*kcov));
	struct stat st;

	if (!kcov)
		return -ENOMEM;
	kcov->memfd = memfd_create("kcov", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (kcov->memfd < 0) {
		int err = -errno;

		free(kcov);
		return err;
	}
	if (fstat(kcov->memfd, &st)) {
		int err = -errno;

		close(kcov->memfd);
		free(kcov);
		return err;
	}
	kcov->dev = st.st_dev;
	kcov->ino = st.st_ino;
	kcov->refcount = 1;
	kcov->mode = KCOV_MODE_DISABLED;
	kcov->open_flags = flags;
	pthread_mutex_lock(&kcov_lock);
	kcov->next_open = open_kcovs;
	open_kcovs = kcov;
	pthread_mutex_unlock(&kcov_lock);
	*out = kcov;
	return 0;
}

int ukcov_kcov_fd(const struct ukcov_kcov *kcov)
{
	return kcov->memfd;
}

/* Takes kcov out of the open files; false when it was not there (closed already). */
static bool kcov_unlink_open_locked(struct ukcov_kcov *kcov)
{
	for (struct ukcov_kcov **p = &open_kcovs; *p; p = &(*p)->next_open) {
		if (*p == kcov) {
			*p = kcov->next_open;
			return true;
		}
	}
	return false;
}

void ukcov_kcov_close(struct ukcov_kcov *kcov)
{
	pthread_mutex_lock(&kcov_lock);
	kcov_unlink_open_locked(kcov);
	pthread_mutex_unlock(&kcov_lock);
	kcov_put(kcov);
}

struct ukcov_kcov *ukcov_kcov_find(uint64_t dev, uint64_t ino)
{
	struct ukcov_kcov *k;

	pthread_mutex_lock(&kcov_lock);
	for (k = open_kcovs; k; k = k->next_open)
		if (k->dev == dev && k->ino == ino)
			break;
	pthread_mutex_unlock(&kcov_lock);
	return k;
}

void ukcov_kcov_hand_over(struct ukcov_kcov *kcov)
{
	pthread_mutex_lock(&kcov_lock);
	kcov->handed = true;
	pthread_mutex_unlock(&kcov_lock);
}

size_t ukcov_kcov_handed_ids(struct ukcov_kcov_id *ids, size_t cap)
{
	size_t n = 0;

	pthread_mutex_lock(&kcov_lock);
	for (struct ukcov_kcov *k = open_kcovs; k; k = k->next_open) {
		if (!k->handed)
			continue;
		if (n < cap)
			ids[n] = (struct ukcov_kcov_id){ k->dev, k->ino, false };
		n++;
	}
	pthread_mutex_unlock(&kcov_lock);
	return n;
}

bool ukcov_kcov_release_handed(uint64_t dev, uint64_t ino)
{
	struct ukcov_kcov *k;

	pthread_mutex_lock(&kcov_lock);
	for (k = open_kcovs; k; k = k->next_open)
		if (k->handed && k->dev == dev && k->ino == ino)
			break;
	if (k)
		kcov_unlink_open_locked(k);
	pthread_mutex_unlock(&kcov_lock);
	if (k)
		kcov_put(k);
	return k != NULL;
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

/* Comparison operands exist only where the kernel was built with trace-cmp (trace mode). */
static int kcov_get_mode(unsigned long arg)
{
	if (arg == UKCOV_KCOV_TRACE_PC)
		return KCOV_MODE_TRACE_PC;
	if (arg == UKCOV_KCOV_TRACE_CMP)
		return ukcov_blocks.trace ? KCOV_MODE_TRACE_CMP : -UKCOV_ENOTSUPP;
	return -EINVAL;
}

/*
 * Points t's hooks at the kcov's area for its mode (Linux's kcov_start());
 * in trace mode the rest of the enabling syscall is traced already.
 */
static void kcov_start(struct ukcov_task *t, struct ukcov_kcov *kcov)
{
	t->bitmap = NULL;
	t->nbits = 0;
	t->area = kcov->area;
	t->size = kcov->size;
	if (kcov->remote)
		t->tmode = UKCOV_TMODE_NONE; /* its own syscalls are not traced */
	else if (kcov->mode == KCOV_MODE_TRACE_CMP)
		t->tmode = UKCOV_TMODE_CMP;
	else
		t->tmode = UKCOV_TMODE_PC;
	if (kcov->mode == KCOV_MODE_UNIQUE_PC) {
		t->bitmap = kcov->area;
		t->nbits = kcov->bitmap_words * 64;
		t->area = kcov->area + kcov->bitmap_words;
		t->size = kcov->size - kcov->bitmap_words;
	}
	ukcov_trace_sync(t);
}

/* The thread starts collecting into kcov (or owning its remote handles). */
static void kcov_attach(struct ukcov_task *t, struct ukcov_kcov *kcov, enum kcov_mode mode)
{
	kcov->mode = mode;
	kcov->t = t;
	t->kcov = kcov;
	t->discard = flags_stale;
	nr_traced++;
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
	kcov_attach(t, kcov, (enum kcov_mode)mode);
	kcov_start(t, kcov);
	/* Put in kcov_task_exit() or in KCOV_DISABLE. */
	kcov_get(kcov);
	return 0;
}

/* KCOV_UNIQUE_ENABLE(bitmap_words), the 2025 proposal: the checks in its order. */
static int kcov_unique_enable(struct ukcov_kcov *kcov, struct ukcov_task *t, unsigned long words)
{
	if (kcov->mode != KCOV_MODE_INIT || !kcov->area)
		return -EINVAL;
	if (kcov->t != NULL || t->kcov != NULL)
		return -EBUSY;
	/* The trace after the bitmap needs its count word and room for one PC. */
	if (words == 0 || words >= kcov->size - 1)
		return -EINVAL;
	kcov->bitmap_words = words;
	kcov_attach(t, kcov, KCOV_MODE_UNIQUE_PC);
	kcov_start(t, kcov);
	kcov_get(kcov);
	return 0;
}

static struct kcov_remote *kcov_remote_find(uint64_t handle)
{
	for (size_t i = 0; i < nremotes; i++)
		if (remotes[i].handle == handle)
			return &remotes[i];
	return NULL;
}

static int kcov_remote_add(struct ukcov_kcov *kcov, uint64_t handle)
{
	if (kcov_remote_find(handle))
		return -EEXIST;
	if (nremotes == remotes_cap) {
		size_t cap = remotes_cap ? 2 * remotes_cap : 16;
		struct kcov_remote *r = realloc(remotes, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		remotes = r;
		remotes_cap = cap;
	}
	remotes[nremotes++] = (struct kcov_remote){ handle, kcov };
	return 0;
}

/* Unregisters every handle of kcov (Linux's kcov_remote_reset()). */
static void kcov_remote_reset(struct ukcov_kcov *kcov)
{
	size_t j = 0;

	for (size_t i = 0; i < nremotes; i++)
		if (remotes[i].kcov != kcov)
			remotes[j++] = remotes[i];
	nremotes = j;
}

static void kcov_disable(struct ukcov_task *t, struct ukcov_kcov *kcov)
{
	t->kcov = NULL;
	t->tmode = UKCOV_TMODE_NONE;
	t->area = t->bitmap = NULL;
	ukcov_trace_sync(t);
	if (kcov->remote) {
		kcov_remote_reset(kcov);
		t->handle = 0;
	}
	kcov->t = NULL;
	kcov->mode = KCOV_MODE_INIT;
	kcov->remote = false;
	kcov->remote_size = 0;
	kcov->bitmap_words = 0;
	kcov->sequence++;
	nr_traced--;
}

static int kcov_ioctl_disable(struct ukcov_kcov *kcov, struct ukcov_task *t, unsigned long arg)
{
	if (arg != 0 || t->kcov != kcov)
		return -EINVAL;
	kcov_disable(t, kcov);
	kcov_put(kcov);
	return 0;
}

/*
 * Handle validity, as Linux's kcov_check_handle(): bytes 4..6 zero, and a
 * subsystem the caller may use there (USB in handles[], COMMON with an
 * instance as the common handle).
 */
static bool kcov_check_handle(uint64_t handle, bool common_valid, bool uncommon_valid)
{
	if (handle & ~(UKCOV_KCOV_SUBSYSTEM_MASK | UKCOV_KCOV_INSTANCE_MASK))
		return false;
	switch (handle & UKCOV_KCOV_SUBSYSTEM_MASK) {
	case UKCOV_KCOV_SUBSYSTEM_COMMON:
		return (handle & UKCOV_KCOV_INSTANCE_MASK) ? common_valid : false;
	case UKCOV_KCOV_SUBSYSTEM_USB:
		return uncommon_valid;
	default:
		return false;
	}
}

static int kcov_remote_enable(struct ukcov_kcov *kcov, struct ukcov_task *t,
			      const struct ukcov_kcov_remote_arg *arg)
{
	int mode, err;

	if (kcov->mode != KCOV_MODE_INIT || !kcov->area)
		return -EINVAL;
	if (kcov->t != NULL || t->kcov != NULL)
		return -EBUSY;
	mode = kcov_get_mode(arg->trace_mode);
	if (mode < 0)
		return mode;
	kcov->remote = true;
	kcov->remote_size = arg->area_size;
	kcov_attach(t, kcov, (enum kcov_mode)mode);
	kcov_start(t, kcov);
	for (uint32_t i = 0; i < arg->num_handles; i++) {
		err = kcov_check_handle(arg->handles[i], false, true) ? 0 : -EINVAL;
		if (!err)
			err = kcov_remote_add(kcov, arg->handles[i]);
		if (err)
			goto fail;
	}
	if (arg->common_handle) {
		err = kcov_check_handle(arg->common_handle, true, false) ? 0 : -EINVAL;
		if (!err)
			err = kcov_remote_add(kcov, arg->common_handle);
		if (err)
			goto fail;
		t->handle = arg->common_handle;
	}
	kcov_get(kcov);
	return 0;
fail:
	kcov_disable(t, kcov);
	return err;
}

/*
 * Copies struct kcov_remote_arg from the guest, as Linux's kcov_ioctl()
 * does before taking the lock: num_handles first (to size the copy), then
 * the whole, and the two must agree (the guest may change it in between).
 */
static int kcov_remote_arg_copy(unsigned long uarg, const struct ukcov_guest_mem *mem,
				struct ukcov_kcov_remote_arg **out)
{
	struct ukcov_kcov_remote_arg *arg;
	uint32_t n;
	size_t len;

	if (!mem || mem->read(mem->ctx, &n, uarg + offsetof(struct ukcov_kcov_remote_arg, num_handles),
			      sizeof(n)))
		return -EFAULT;
	if (n > UKCOV_KCOV_REMOTE_MAX_HANDLES)
		return -EINVAL;
	len = sizeof(*arg) + n * sizeof(arg->handles[0]);
	arg = malloc(len);
	if (!arg)
		return -ENOMEM;
	if (mem->read(mem->ctx, arg, uarg, len)) {
		free(arg);
		return -EFAULT;
	}
	if (arg->num_handles != n) {
		free(arg);
		return -EINVAL;
	}
	*out = arg;
	return 0;
}

/* KCOV_RESET_TRACE(0), the 2025 proposal: clears the bitmap, then the trace count. */
static int kcov_reset_trace(struct ukcov_kcov *kcov, struct ukcov_task *t, unsigned long arg)
{
	if (arg != 0 || t->kcov != kcov || kcov->t != t ||
	    (kcov->mode != KCOV_MODE_TRACE_PC && kcov->mode != KCOV_MODE_TRACE_CMP &&
	     kcov->mode != KCOV_MODE_UNIQUE_PC))
		return -EINVAL;
	for (uint64_t i = 0; i < kcov->bitmap_words; i++)
		__atomic_store_n(&kcov->area[i], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&kcov->area[kcov->bitmap_words], 0, __ATOMIC_RELEASE);
	return 0;
}

static int kcov_ioctl_locked(struct ukcov_kcov *kcov, struct ukcov_task *t, unsigned int cmd,
			     unsigned long arg, const struct ukcov_kcov_remote_arg *remote_arg)
{
	switch (cmd) {
	case UKCOV_KCOV_INIT_TRACE:
		return kcov_init_trace(kcov, arg);
	case UKCOV_KCOV_ENABLE:
		return kcov_enable(kcov, t, arg);
	case UKCOV_KCOV_DISABLE:
		return kcov_ioctl_disable(kcov, t, arg);
	case UKCOV_KCOV_REMOTE_ENABLE:
		return kcov_remote_enable(kcov, t, remote_arg);
	case UKCOV_KCOV_UNIQUE_ENABLE:
		return kcov_unique_enable(kcov, t, arg);
	case UKCOV_KCOV_RESET_TRACE:
		return kcov_reset_trace(kcov, t, arg);
	default:
		return -ENOTTY;
	}
}

int ukcov_kcov_ioctl(struct ukcov_kcov *kcov, struct ukcov_task *t, unsigned int cmd,
		     unsigned long arg, const struct ukcov_guest_mem *mem)
{
	struct ukcov_kcov_remote_arg *remote_arg = NULL;
	int ret;

	if (cmd == UKCOV_KCOV_REMOTE_ENABLE) {
		ret = kcov_remote_arg_copy(arg, mem, &remote_arg);
		if (ret)
			return ret;
	}
	pthread_mutex_lock(&kcov_lock);
	ret = kcov_ioctl_locked(kcov, t, cmd, arg, remote_arg);
	pthread_mutex_unlock(&kcov_lock);
	free(remote_arg);
	return ret;
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

void ukcov_task_inherit(struct ukcov_task *child, const struct ukcov_task *parent)
{
	child->handle = parent->handle;
}

uint64_t ukcov_task_common_handle(const struct ukcov_task *t)
{
	return t->handle;
}

bool ukcov_task_traced(const struct ukcov_task *t)
{
	return t->kcov != NULL;
}

void ukcov_task_exit(struct ukcov_task *t)
{
	struct ukcov_kcov *kcov;

	pthread_mutex_lock(&kcov_lock);
	kcov = t->kcov;
	if (kcov)
		kcov_disable(t, kcov);
	pthread_mutex_unlock(&kcov_lock);
	if (kcov)
		kcov_put(kcov);
	if (ukcov_tls_task == t)
		ukcov_trace_point(NULL);
	free(t);
}

void ukcov_task_enter(struct ukcov_task *t)
{
	ukcov_trace_point(t);
}

void ukcov_task_return_to_user(struct ukcov_task *t, bool full_scan)
{
	struct ukcov_kcov *kcov = t->kcov;
	struct ukcov_area_writer w;

	if (ukcov_blocks.trace) {
		/* The hooks wrote as the code ran: only stop pointing them at t. */
		if (ukcov_tls_task == t)
			ukcov_trace_point(NULL);
		return;
	}
	if (!nr_traced) {
		/* Nobody can observe coverage: leave the flags for ENABLE to discard. */
		flags_stale = true;
		return;
	}
	if (!kcov || kcov->remote || t->discard ||
	    (kcov->mode != KCOV_MODE_TRACE_PC && kcov->mode != KCOV_MODE_UNIQUE_PC)) {
		t->discard = false;
		ukcov_flush(NULL, full_scan);
		flags_stale = false;
		return;
	}
	ukcov_area_open(&w, kcov->area + kcov->bitmap_words, kcov->size - kcov->bitmap_words);
	if (kcov->mode == KCOV_MODE_UNIQUE_PC) {
		w.bitmap = kcov->area;
		w.nbits = kcov->bitmap_words * 64;
	}
	ukcov_flush(&w, full_scan);
	ukcov_area_close(&w);
	flags_stale = false;
	stat_pcs_written += w.written;
	stat_pcs_dropped += w.dropped;
}

void ukcov_discard(bool full_scan)
{
	if (ukcov_blocks.trace) {
		ukcov_trace_point(NULL);
		return;
	}
	if (!nr_traced) {
		/* As the flush: ENABLE discards what gathered while nobody traced. */
		flags_stale = true;
		return;
	}
	ukcov_flush(NULL, full_scan);
	flags_stale = false;
}

/*
 * Remote sections (Linux's kcov_remote_start()/kcov_remote_stop()): the
 * coverage goes to a private area of the owner's remote_size words, which is
 * appended to the owner's area at the end, unless the owner disabled (or
 * re-enabled) meanwhile. One section per kernel thread at a time.
 */
struct remote_section {
	bool active;
	struct ukcov_kcov *kcov;   /* NULL: no kcov has the handle; coverage discarded */
	uint64_t sequence;
	enum kcov_mode mode;
	uint64_t *area;
	uint64_t size;
	struct ukcov_task task;    /* what the hooks write through meanwhile */
	struct ukcov_task *saved;  /* the task this kernel thread served before */
};
static UKCOV_TLS struct remote_section remote;

/* Appends src's records to dst as Linux's kcov_move_area(): whole bytes that fit, whole records counted. */
static void kcov_move_area(enum kcov_mode mode, uint64_t *dst, uint64_t dst_size, const uint64_t *src)
{
	unsigned int log = mode == KCOV_MODE_TRACE_CMP ? 5 : 3; /* log2 bytes per entry */
	uint64_t dst_len = __atomic_load_n(&dst[0], __ATOMIC_RELAXED), src_len = src[0];
	uint64_t occupied, free_bytes, bytes;

	if (dst_len > ((dst_size * 8 - 8) >> log))
		return;
	occupied = 8 + (dst_len << log);
	free_bytes = dst_size * 8 - occupied;
	bytes = src_len << log < free_bytes ? src_len << log : free_bytes;
	memcpy((char *)dst + occupied, src + 1, bytes);
	__atomic_store_n(&dst[0], dst_len + (bytes >> log), __ATOMIC_RELEASE);
}

void ukcov_remote_start(uint64_t handle)
{
	struct kcov_remote *r;

	if (remote.active)
		return; /* nested sections are not supported, as on Linux */
	memset(&remote, 0, sizeof(remote));
	remote.active = true;
	remote.saved = ukcov_tls_task;
	/* Counter mode: what the flags hold now is nobody's. */
	if (!ukcov_blocks.trace && nr_traced)
		ukcov_flush(NULL, false);
	else if (!ukcov_blocks.trace)
		flags_stale = true;
	pthread_mutex_lock(&kcov_lock);
	r = kcov_remote_find(handle);
	if (r) {
		remote.kcov = r->kcov;
		remote.sequence = r->kcov->sequence;
		remote.mode = r->kcov->mode;
		remote.size = r->kcov->remote_size;
		kcov_get(remote.kcov);
	}
	pthread_mutex_unlock(&kcov_lock);
	if (remote.kcov && remote.size >= 2)
		remote.area = calloc(remote.size, sizeof(uint64_t));
	if (remote.area) {
		remote.task.area = remote.area;
		remote.task.size = remote.size;
		remote.task.tmode = remote.mode == KCOV_MODE_TRACE_CMP ? UKCOV_TMODE_CMP : UKCOV_TMODE_PC;
	}
	ukcov_trace_point(&remote.task);
}

void ukcov_remote_stop(void)
{
	if (!remote.active)
		return;
	if (!ukcov_blocks.trace) {
		struct ukcov_area_writer w;

		if (remote.area) {
			ukcov_area_open(&w, remote.area, remote.size);
			ukcov_flush(&w, false);
			ukcov_area_close(&w);
		} else if (nr_traced) {
			ukcov_flush(NULL, false);
		} else {
			flags_stale = true;
		}
	}
	ukcov_trace_point(remote.saved);
	if (remote.kcov) {
		pthread_mutex_lock(&kcov_lock);
		/* KCOV_DISABLE may have come between start and stop: hence the sequence. */
		if (remote.area && remote.sequence == remote.kcov->sequence && remote.kcov->remote)
			kcov_move_area(remote.mode, remote.kcov->area, remote.kcov->size, remote.area);
		pthread_mutex_unlock(&kcov_lock);
		kcov_put(remote.kcov);
	}
	free(remote.area);
	remote.active = false;
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

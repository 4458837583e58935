// SPDX-License-Identifier: MIT
/*
 * The harness's entry code, in kernel/entry/supervisor.c's place. Nothing
 * here needs a seccomp listener: the harness is its own guest.
 *
 *  - fuzz_serve() is serve_one() up to the response: reap exited tasks and
 *    closed files, find the task (or the scratch one), dispatch, exit to
 *    user (the counter flush), promote a scratch task that enabled a kcov.
 *    The response itself (ADDFD, CONTINUE) is the harness's to emulate.
 *  - guest_install_fd() and notif_id_valid() (guestmem.c's, which this build
 *    renames real_*) act on the harness's own fd table and task table.
 *  - guest_read(), guest_write() and guest_read_str() are guestmem.c's own,
 *    with the faults fuzz_fault plans for the call: a read or write that
 *    fails, or guest bytes that change right after the handler read them.
 *  - __sanitizer_cov_pcs_init is wanted by both libFuzzer and libukcov (the
 *    kernel objects carry both libFuzzer's counters and ukcov's flags over
 *    one PC table): the link wraps it and hands the table to both.
 * Built without coverage instrumentation, like kernel/entry/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../kernel/entry/entry.h"
#include "../../kernel/vfs/vfs.h"
#include "fuzz.h"

int real_guest_read(pid_t tid, void *dst, uint64_t addr, size_t len);
int real_guest_write(pid_t tid, uint64_t addr, const void *src, size_t len);
long real_guest_read_str(pid_t tid, char *dst, uint64_t addr, size_t max);

struct fuzz_fault fuzz_fault;
static unsigned int nreads, nwrites;

/* After a planned read: the guest changes what the handler just read. */
static void flip_after(pid_t tid, uint64_t addr, size_t len)
{
	uint8_t b[64];

	if (++nreads != fuzz_fault.flip_read || !len)
		return;
	if (len > sizeof(b))
		len = sizeof(b);
	if (real_guest_read(tid, b, addr, len))
		return;
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(fuzz_fault.flip_with ? b[i] ^ fuzz_fault.flip_with : 0);
	real_guest_write(tid, addr, b, len);
}

int guest_read(pid_t tid, void *dst, uint64_t addr, size_t len)
{
	int r;

	if (nreads + 1 == fuzz_fault.fail_read) {
		nreads++;
		return -EFAULT;
	}
	r = real_guest_read(tid, dst, addr, len);
	if (!r)
		flip_after(tid, addr, len);
	else
		nreads++;
	return r;
}

long guest_read_str(pid_t tid, char *dst, uint64_t addr, size_t max)
{
	long r;

	if (nreads + 1 == fuzz_fault.fail_read) {
		nreads++;
		return -EFAULT;
	}
	r = real_guest_read_str(tid, dst, addr, max);
	if (r >= 0)
		flip_after(tid, addr, (size_t)r + 1);
	else
		nreads++;
	return r;
}

int guest_write(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	if (++nwrites == fuzz_fault.fail_write)
		return -EFAULT;
	return real_guest_write(tid, addr, src, len);
}

int notif_id_valid(int listener, uint64_t id)
{
	(void)listener;
	return fuzz_notif_alive(id) ? 0 : -ENOENT;
}

/* SECCOMP_IOCTL_NOTIF_ADDFD with SETFD, into our own table (the guest's). */
int guest_install_fd(int listener, uint64_t id, int srcfd, int target)
{
	(void)listener;
	if (!fuzz_notif_alive(id))
		return -ENOENT;
	if (dup2(srcfd, target) < 0)
		return -errno;
	fuzz_guest_fd_installed(target);
	return 0;
}

/* supervisor.c's scratch task; also the kernel task of files_reap_closed(). */
static struct ktask scratch = { .pidfd = -1 };

struct ukcov_task *fuzz_kernel_task(void)
{
	if (!scratch.cov && !(scratch.cov = ukcov_task_new()))
		abort();
	return scratch.cov;
}

/* supervisor.c's scratch_promote(), without the verbose log. */
static int64_t scratch_promote(struct sandbox *sb, struct sys_call *c, int64_t ret)
{
	struct ukcov_task *fresh = ukcov_task_new();
	int err = -ENOMEM;

	if (fresh)
		err = task_track(sb, &scratch, pidcache_take(sb, c->tid, &scratch.cred, &scratch.cred_epoch));

	if (err) {
		ukcov_task_exit(scratch.cov);
		if (!fresh)
			fresh = ukcov_task_new();
		ret = err;
	}
	scratch.cov = fresh;
	if (!fresh)
		abort();
	return ret;
}

/* UKCOV_FUZZ_BLOCKS: the observer kcov and the union of blocks seen. */
static struct ukcov_task *observer;
static uint64_t *obs_area, obs_words;
static uint8_t *blocks_seen;

void fuzz_blocks_init(void)
{
	struct ukcov_kcov *k;

	if (!getenv("UKCOV_FUZZ_BLOCKS") || observer)
		return;
	obs_words = 1 << 20;
	blocks_seen = calloc(ukcov_block_count() + 1, 1);
	observer = ukcov_task_new();
	if (!blocks_seen || !observer || ukcov_kcov_open(O_RDWR, &k) ||
	    ukcov_kcov_ioctl(k, observer, UKCOV_KCOV_INIT_TRACE, obs_words, NULL) ||
	    ukcov_kcov_ioctl(k, observer, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL))
		abort();
	obs_area = mmap(NULL, obs_words * 8, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(k), 0);
	if (obs_area == MAP_FAILED)
		abort();
	atexit(fuzz_blocks_report);
}

void fuzz_blocks_note(const uint64_t *pcs, uint64_t n)
{
	struct ukcov_block b;

	if (!blocks_seen)
		return;
	for (uint64_t i = 0; i < n; i++)
		if (!ukcov_block_lookup(pcs[i], &b))
			blocks_seen[(pcs[i] - UKCOV_PC_BASE) / UKCOV_PC_STRIDE] = 1;
}

void fuzz_blocks_report(void)
{
	size_t n = ukcov_block_count(), seen = 0;

	for (size_t i = 0; i < n; i++)
		seen += blocks_seen[i];
	fprintf(stderr, "ukcov blocks covered: %zu of %zu (%.1f%%)\n", seen, n, n ? 100.0 * (double)seen / (double)n : 0.0);
}

/*
 * The deputy oracle (docs/security.md): the supervisor takes a guest's
 * identity for one host call (cred_host_enter()) and must be wholly itself
 * again after every syscall: fsuid, fsgid, groups and capability sets. A
 * call that left any of them a guest's would run the next guest's host
 * calls, or the supervisor's own work, with rights that are not theirs.
 */
struct ident {
	uint32_t fsuid, fsgid;
	int ngroups;
	gid_t groups[64];
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3];
};

static void ident_now(struct ident *id)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	memset(id, 0, sizeof(*id));
	id->fsuid = (uint32_t)syscall(SYS_setfsuid, -1);
	id->fsgid = (uint32_t)syscall(SYS_setfsgid, -1);
	id->ngroups = (int)syscall(SYS_getgroups, 64, id->groups);
	syscall(SYS_capget, &h, id->caps);
}

static void deputy_check(const struct sys_call *c)
{
	static struct ident own;
	static bool known;
	struct ident now;

	ident_now(&now);
	if (!known) {
		own = now;
		known = true;
		return;
	}
	if (memcmp(&own, &now, sizeof(now))) {
		fprintf(stderr, "deputy: syscall %d left the supervisor's thread with fsuid %u fsgid %u "
			"caps %08x:%08x (its own: %u %u %08x:%08x)\n", c->nr, now.fsuid, now.fsgid,
			now.caps[1].effective, now.caps[0].effective, own.fsuid, own.fsgid,
			own.caps[1].effective, own.caps[0].effective);
		abort();
	}
}

int64_t fuzz_serve(struct sys_call *c)
{
	struct sandbox *sb = c->sb;
	struct ktask *t;
	int64_t ret;

	deputy_check(c);
	fuzz_kernel_task();
	task_reap_exited(sb);
	files_reap_closed(sb, scratch.cov, true);
	t = task_find(sb, c->tid);
	if (!t) {
		scratch.tid = c->tid;
		t = &scratch;
	}
	c->task = t;
	c->pidfd = -1;
	nreads = nwrites = 0;
	ukcov_task_enter(t->cov);
	ret = syscall_dispatch(c);
	kfile_desc_put(c);
	deputy_check(c);
	memset(&fuzz_fault, 0, sizeof(fuzz_fault));
	if (c->cred_owned)
		free((void *)c->cred);
	if (observer && !ukcov_task_traced(t->cov)) {
		ukcov_task_return_to_user(observer, false);
		fuzz_blocks_note(obs_area + 1, obs_area[0] < obs_words ? obs_area[0] : obs_words - 1);
		obs_area[0] = 0;
	} else {
		ukcov_task_return_to_user(t->cov, false);
	}
	if (t == &scratch && ukcov_task_traced(scratch.cov))
		ret = scratch_promote(sb, c, ret);
	return ret;
}

/* The link's --wrap=__sanitizer_cov_pcs_init: libFuzzer's, then libukcov's (renamed in this build). */
void __real___sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end);
void ukcov_sancov_pcs_init(const uintptr_t *beg, const uintptr_t *end);
void __wrap___sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end);

void __wrap___sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end)
{
	__real___sanitizer_cov_pcs_init(beg, end);
	ukcov_sancov_pcs_init(beg, end);
}

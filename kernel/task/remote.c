// SPDX-License-Identifier: MIT
/*
 * Which common kcov handle a process inherits. Linux copies the handle into
 * every task the holder creates after KCOV_REMOTE_ENABLE (kcov_task_init());
 * the supervisor does not see forks, so it asks the process tree instead:
 * the handle of the calling thread, else of the nearest ancestor process
 * that has a thread holding one, provided the chain leaves that process
 * through a child started after the enable (start times in clock ticks,
 * /proc/PID/stat field 22; a child forked in the same tick counts). Only
 * tracked threads can hold a handle (REMOTE_ENABLE makes the caller
 * tracked), so with no tracked thread this is free.
 * Not instrumented: it is bookkeeping, not the kernel's work for the guest.
 */
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "task.h"

/* Field `key` ("Tgid:" / "PPid:") of /proc/TID/status, or -1. */
static pid_t status_field(pid_t tid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	pid_t v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && sscanf(line + klen, "%d", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Start time of a process or thread in clock ticks since boot, or 0. */
uint64_t task_start_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* After the command name, which may hold anything: field 3 is the state, 22 the start time. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &v) != 1)
		return 0;
	return v;
}

void remote_enabled(struct sys_call *c)
{
	struct sandbox *sb = c->sb;
	uint64_t hz = (uint64_t)sysconf(_SC_CLK_TCK);
	struct timespec ts;
	unsigned int i;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	for (i = 0; i < 16 && sb->remote_since[i].tid != c->tid; i++)
		;
	if (i == 16)
		i = sb->remote_since_next++ % 16;
	sb->remote_since[i].tid = c->tid;
	/* Floor, so that a child forked within the same tick counts as created after. */
	sb->remote_since[i].ticks = (uint64_t)ts.tv_sec * hz + (uint64_t)ts.tv_nsec / (1000000000ull / hz);
}

static uint64_t enabled_since(struct sandbox *sb, pid_t tid)
{
	for (unsigned int i = 0; i < 16; i++)
		if (sb->remote_since[i].tid == tid)
			return sb->remote_since[i].ticks;
	return 0;
}

#define MAX_HOLDERS 16
#define MAX_DEPTH 64

uint64_t remote_handle_of(struct sys_call *c)
{
	struct { pid_t tgid; uint64_t handle, since; } holders[MAX_HOLDERS];
	unsigned int n = 0;
	uint64_t h = ukcov_task_common_handle(c->task->cov);
	pid_t pid, below, self;

	if (h || !c->sb->ntasks)
		return h;
	for (unsigned int b = 0; b < KTASK_BUCKETS && n < MAX_HOLDERS; b++)
		for (struct ktask *t = c->sb->tasks[b]; t && n < MAX_HOLDERS; t = t->next) {
			h = ukcov_task_common_handle(t->cov);
			if (h && (pid = status_field(t->tid, "Tgid:")) > 0) {
				holders[n].tgid = pid;
				holders[n].handle = h;
				holders[n++].since = enabled_since(c->sb, t->tid);
			}
		}
	if (!n)
		return 0;
	self = getpid(); /* only now: most calls end above, and it is a syscall */
	/* `below`: the thread or process through which the chain reached `pid`. */
	below = c->tid;
	pid = status_field(c->tid, "Tgid:");
	for (int depth = 0; pid > 1 && pid != self && depth < MAX_DEPTH; depth++) {
		for (unsigned int i = 0; i < n; i++)
			if (holders[i].tgid == pid && task_start_ticks(below) >= holders[i].since)
				return holders[i].handle;
		below = pid;
		pid = status_field(pid, "PPid:");
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Which common kcov handle a process inherits. Linux copies the handle into
 * every task the holder creates after KCOV_REMOTE_ENABLE (kcov_task_init());
 * the supervisor does not see forks, so it asks the process tree instead:
 * the handle of the calling thread, else of the nearest ancestor process
 * that has a thread holding one. Only tracked threads can hold one (REMOTE_ENABLE
 * makes the caller tracked), so with no tracked thread this is free.
 * Not instrumented: it is bookkeeping, not the kernel's work for the guest.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../kernel.h"

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

#define MAX_HOLDERS 16
#define MAX_DEPTH 64

uint64_t remote_handle_of(struct sys_call *c)
{
	struct { pid_t tgid; uint64_t handle; } holders[MAX_HOLDERS];
	unsigned int n = 0;
	uint64_t h = ukcov_task_common_handle(c->task->cov);
	pid_t pid, self = getpid();

	if (h || !c->sb->ntasks)
		return h;
	for (unsigned int b = 0; b < KTASK_BUCKETS && n < MAX_HOLDERS; b++)
		for (struct ktask *t = c->sb->tasks[b]; t && n < MAX_HOLDERS; t = t->next) {
			h = ukcov_task_common_handle(t->cov);
			if (h && (pid = status_field(t->tid, "Tgid:")) > 0)
				holders[n++].tgid = pid, holders[n - 1].handle = h;
		}
	if (!n)
		return 0;
	pid = status_field(c->tid, "Tgid:");
	for (int depth = 0; pid > 1 && pid != self && depth < MAX_DEPTH; depth++) {
		for (unsigned int i = 0; i < n; i++)
			if (holders[i].tgid == pid)
				return holders[i].handle;
		pid = status_field(pid, "PPid:");
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Signals ukcov sends to guest tasks for Linux (an owner's SIGIO), now or
 * once the call that raised them is answered: sent while the caller's
 * thread waits in its trapped call, one for its own process would
 * interrupt that call, which the host then restarts or fails with EINTR
 * (Linux queues it during the call and it is handled on the way out).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "task.h"

void sig_send(const struct sig_out *o)
{
	siginfo_t si = o->si;

	if (o->tid && o->info)
		syscall(SYS_rt_tgsigqueueinfo, o->tgid, o->tid, o->si.si_signo, &si);
	else if (o->tid)
		syscall(SYS_tgkill, o->tgid, o->tid, o->sig);
	else if (o->info)
		syscall(SYS_rt_sigqueueinfo, o->tgid, o->si.si_signo, &si);
	else
		kill(o->tgid, o->sig);
}

/* Signals one call may leave to send (a process group's members each get one); past it they are lost. */
#define LATER_MAX 4096

static struct sig_out *later;
static size_t nlater, maxlater;

void sig_send_later(const struct sig_out *o)
{
	if (nlater == LATER_MAX)
		return;
	if (nlater == maxlater) {
		size_t n = maxlater ? 2 * maxlater : 8;
		struct sig_out *grown = realloc(later, n * sizeof(*grown));

		if (!grown)
			return; /* out of memory: the signal is lost, as one past a full queue is */
		later = grown;
		maxlater = n;
	}
	later[nlater++] = *o;
}

bool sig_queued(void)
{
	return nlater;
}

void sig_flush(void)
{
	for (size_t i = 0; i < nlater; i++)
		sig_send(&later[i]);
	nlater = 0;
}

static pid_t tgid_of(pid_t tid)
{
	char path[64], buf[1024];
	const char *t;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (proc_read(AT_FDCWD, path, buf, sizeof(buf)) < 0 || !(t = strstr(buf, "\nTgid:")))
		return tid;
	return (pid_t)strtol(t + 6, NULL, 10);
}

bool sig_answer(pid_t tid, long nr, int64_t ret)
{
	pid_t tgid;
	size_t own = 0;

	if (!nlater)
		return false;
	tgid = tgid_of(tid);
	for (size_t i = 0; i < nlater; i++)
		if (later[i].tid ? later[i].tid == tid : later[i].tgid == tgid)
			later[own++] = later[i];
		else
			sig_send(&later[i]);
	nlater = own;
	return own && !guest_answer_held(tid, nr, ret, sig_flush);
}

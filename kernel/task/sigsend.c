// SPDX-License-Identifier: MIT
/*
 * Signals ukcov sends to guest tasks for Linux (an owner's SIGIO), now or
 * once the call that raised them is answered: sent while the caller's
 * thread waits in its trapped call, one for its own process would
 * interrupt that call, which the host then restarts or fails with EINTR
 * (Linux queues it during the call and it is handled on the way out).
 */
#include <signal.h>
#include <stdlib.h>
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

static struct sig_out *later;
static size_t nlater, maxlater;

void sig_send_later(const struct sig_out *o)
{
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

void sig_flush(void)
{
	for (size_t i = 0; i < nlater; i++)
		sig_send(&later[i]);
	nlater = 0;
}

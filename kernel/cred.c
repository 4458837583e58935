// SPDX-License-Identifier: MIT
/*
 * The calling thread's credentials, from /proc/TID/status: what Linux's
 * permission checks use (fsuid, fsgid, groups, effective capabilities) and
 * the umask every create applies. Read at most once per syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfs.h"

static void parse_groups(const char *s, struct tmpfs_cred *cr)
{
	char *end;

	cr->ngroups = 0;
	while (cr->ngroups < TMPFS_NGROUPS_MAX) {
		unsigned long g = strtoul(s, &end, 10);

		if (end == s)
			break;
		cr->groups[cr->ngroups++] = (uint32_t)g;
		s = end;
	}
}

static int parse_status(char *buf, struct guest_cred *gc)
{
	unsigned int seen = 0;

	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long cap;
		unsigned int a, b, cc, d;

		if (sscanf(line, "Tgid: %d", &gc->tgid) == 1)
			seen |= 1;
		else if (sscanf(line, "PPid: %d", &gc->ppid) == 1)
			seen |= 2;
		else if (sscanf(line, "Uid: %u %u %u %u", &a, &b, &cc, &d) == 4) {
			gc->fs.uid = a;
			gc->fs.fsuid = d;
			seen |= 4;
		} else if (sscanf(line, "Gid: %u %u %u %u", &a, &b, &cc, &d) == 4) {
			gc->fs.gid = a;
			gc->fs.fsgid = d;
			seen |= 8;
		} else if (!strncmp(line, "Groups:", 7)) {
			parse_groups(line + 7, &gc->fs);
		} else if (sscanf(line, "CapEff: %llx", &cap) == 1) {
			/* TMPFS_CAP_* are Linux's capability numbers 0..4. */
			gc->fs.caps = (uint32_t)(cap & TMPFS_CAP_ALL);
			seen |= 16;
		} else if (sscanf(line, "CapPrm: %llx", &cap) == 1) {
			gc->fs.caps_perm = (uint32_t)(cap & TMPFS_CAP_ALL);
		} else if (sscanf(line, "Umask: %o", &a) == 1) {
			gc->fs.umask = a;
		}
	}
	return seen == 31 ? 0 : -ESRCH;
}

static struct credgen *credgen_find(struct sandbox *sb, pid_t tgid)
{
	struct credgen **head = &sb->credgen[(unsigned int)tgid % KTASK_BUCKETS], *g;

	for (g = *head; g; g = g->next)
		if (g->tgid == tgid)
			return g;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->tgid = tgid;
	g->gen = ++sb->credgen_last;
	g->next = *head;
	*head = g;
	return g;
}

void credgen_bump(struct sandbox *sb, pid_t tgid)
{
	struct credgen *g = credgen_find(sb, tgid);

	if (g)
		g->gen = ++sb->credgen_last;
}

int sys_cred(struct sys_call *c, const struct guest_cred **out)
{
	struct credgen *g;
	char path[64], buf[4096];
	struct guest_cred *gc;
	ssize_t n;
	int fd;

	if (c->cred) {
		*out = c->cred;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", c->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	gc = calloc(1, sizeof(*gc));
	if (!gc)
		return -ENOMEM;
	gc->fs.umask = 022;
	if (parse_status(buf, gc)) {
		free(gc);
		return -ESRCH;
	}
	/* 0 (no generation) makes the file system compare the values instead. */
	g = credgen_find(c->sb, gc->tgid);
	gc->fs.serial = g ? g->gen : 0;
	c->cred = gc;
	*out = gc;
	return 0;
}

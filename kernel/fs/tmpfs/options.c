/*
 * ukcov tmpfs: its mount options, parsed as Linux parses mount(2)'s data
 * for a tmpfs (shmem_parse_monolithic(), vfs_parse_fs_param(),
 * shmem_parse_one()) and shown as /proc/PID/mountinfo shows them
 * (show_sb_opts(), shmem_show_options()). One parser serves mount(2),
 * MS_REMOUNT and `ukcov run --tmpfs=PATH:OPTIONS`: two had drifted apart
 * (one rounded the default size up, the other knew no t, p or e).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sysinfo.h>

#include "tmpfs_int.h"

/*
 * simple_strtoull(s, &end, 0): "0x" hex, a leading 0 octal, no sign, no
 * blank, and an overflow wraps (the kernel does not check it).
 */
static uint64_t kernel_strtoull(const char *s, const char **end)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] | 0x20) == 'x' && isxdigit((unsigned char)s[2])) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (;; s++) {
		unsigned d = isdigit((unsigned char)*s) ? (unsigned)(*s - '0') :
			     isxdigit((unsigned char)*s) ? (unsigned)((*s | 0x20) - 'a' + 10) : 16;

		if (d >= base)
			break;
		v = v * base + d;
	}
	*end = s;
	return v;
}

/* memparse(): a number and an optional k, m, g, t, p or e (powers of 1024, wrapping) */
static uint64_t memparse(const char *s, const char **end)
{
	static const char units[] = "kmgtpe";
	uint64_t v = kernel_strtoull(s, end);
	const char *u = **end ? strchr(units, **end | 0x20) : NULL;

	if (u) {
		v <<= 10 * (unsigned)(u - units + 1);
		(*end)++;
	}
	return v;
}

/*
 * kstrtouint(s, base, res): an optional '+', a number in @base (0: 16 for
 * "0x", 8 for "0", else 10), one optional '\n', nothing else; -ERANGE past
 * UINT_MAX. strtoull() reads the same numbers, but also skips blanks and
 * takes a '-' (and a blank or sign after the '+'): those are refused first.
 */
int tmpfs_kstrtouint(const char *s, int base, unsigned int *res)
{
	const char *d = *s == '+' ? s + 1 : s;
	unsigned long long v;
	char *end;

	if (!isxdigit((unsigned char)*d))
		return -EINVAL;
	/* _kstrtoull()'s order: past 64 bits, no digit, a trailing rest; then kstrtouint()'s range */
	errno = 0;
	v = strtoull(d, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == d)
		return -EINVAL;
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

/*
 * size=: memparse(), then N% of totalram_pages() computed as Linux does
 * (shifted and multiplied in 64 bits, wrapping), rounded up to pages with
 * DIV_ROUND_UP() (which wraps too). 0 pages: no limit.
 */
static int opt_size(const char *s, struct tmpfs_mount_opts *o)
{
	const char *rest;
	uint64_t v = memparse(s, &rest), pages;

	if (*rest == '%') {
		v = (v << TMPFS_PAGE_SHIFT) * tmpfs_ram_pages() / 100;
		rest++;
	}
	if (*rest)
		return -EINVAL;
	pages = (v + TMPFS_PAGE_SIZE - 1) / TMPFS_PAGE_SIZE;
	o->size = pages ? pages << TMPFS_PAGE_SHIFT : TMPFS_UNLIMITED;
	return 0;
}

/* nr_inodes=: memparse(), at most ULONG_MAX / BOGO_INODE_SIZE (Linux 6.6); 0: no limit */
static int opt_inodes(const char *s, struct tmpfs_mount_opts *o)
{
	const char *rest;
	uint64_t v = memparse(s, &rest);

	if (*rest || v > UINT64_MAX / TMPFS_BOGO_INODE)
		return -EINVAL;
	o->nr_inodes = v ? v : TMPFS_UNLIMITED;
	return 0;
}

/* shmem_param_enums_huge */
static const char *const huge_names[] = { "never", "always", "within_size", "advise" };

static int opt_huge(const char *s, struct tmpfs_mount_opts *o)
{
	for (size_t i = 0; i < sizeof(huge_names) / sizeof(huge_names[0]); i++)
		if (!strcmp(s, huge_names[i])) {
			o->huge = (uint8_t)i;
			o->seen |= TMPFS_SEEN_HUGE;
			return 0;
		}
	return -EINVAL;
}

/* vfs_parse_sb_flag(): the generic flags, by key alone (a value is ignored) */
static const struct {
	const char *name;
	unsigned long flag;
	bool set;
} sb_flags[] = {
	{ "dirsync", MS_DIRSYNC, true }, { "lazytime", MS_LAZYTIME, true },
	{ "mand", MS_MANDLOCK, true }, { "ro", MS_RDONLY, true }, { "sync", MS_SYNCHRONOUS, true },
	{ "async", MS_SYNCHRONOUS, false }, { "nolazytime", MS_LAZYTIME, false },
	{ "nomand", MS_MANDLOCK, false }, { "rw", MS_RDONLY, false },
};

static bool opt_sb_flag(const char *key, struct tmpfs_opts_vfs *v)
{
	for (size_t i = 0; i < sizeof(sb_flags) / sizeof(sb_flags[0]); i++)
		if (!strcmp(key, sb_flags[i].name)) {
			v->mask |= sb_flags[i].flag;
			if (sb_flags[i].set)
				v->flags |= sb_flags[i].flag;
			else
				v->flags &= ~sb_flags[i].flag;
			return true;
		}
	return false;
}

/* shmem_parse_one(), then "source" (vfs_parse_fs_param_source()); NULL @val: a flag */
static int opt_parse(const char *key, const char *val, struct tmpfs_mount_opts *o, struct tmpfs_opts_vfs *v)
{
	bool flag = !val;

	v->why = "the options are size=, nr_inodes=, mode=, uid=, gid=, huge=, inode32, "
		 "inode64, noswap, ro, rw (comma-separated)";
	if (opt_sb_flag(key, v))
		return 0;
	/* fsparam_string()s and the numbers take a non-empty value; flags take none */
	if (!strcmp(key, "size")) {
		v->why = "size=N[k|m|g|t|p|e|%] takes a number";
		return flag || !*val ? -EINVAL : opt_size(val, o);
	}
	if (!strcmp(key, "nr_inodes")) {
		v->why = "nr_inodes=N[k|m|g|t|p|e] takes a number";
		return flag || !*val ? -EINVAL : opt_inodes(val, o);
	}
	if (!strcmp(key, "mode")) {
		v->why = "mode= takes an octal number";
		if (flag || tmpfs_kstrtouint(val, 8, &o->mode))
			return -EINVAL;
		/* masked, as shmem_parse_one(); 0 is a mode too: apart from "not given" */
		o->mode = (o->mode & 07777) | TMPFS_MODE_SET;
		return 0;
	}
	if (!strcmp(key, "uid") || !strcmp(key, "gid")) {
		unsigned int id;

		/* fsparam_uid() (Linux 6.13): any base; make_kuid(): (uid_t)-1 is no id */
		v->why = "uid= and gid= take a number";
		if (flag || tmpfs_kstrtouint(val, 0, &id) || id == UINT32_MAX)
			return -EINVAL;
		*(key[0] == 'u' ? &o->uid : &o->gid) = id;
		return 0;
	}
	if (!strcmp(key, "huge")) {
		v->why = "huge= is never, always, within_size or advise";
		return flag ? -EINVAL : opt_huge(val, o);
	}
	if (!strcmp(key, "inode32") || !strcmp(key, "inode64") || !strcmp(key, "noswap")) {
		if (!flag)
			return -EINVAL;
		if (key[0] == 'n') {
			o->noswap = true;
		} else {
			o->seen |= TMPFS_SEEN_INUMS;
			o->inode64 = key[5] == '6';
		}
		return 0;
	}
	if (!strcmp(key, "mpol")) {
		/* no NUMA policy is modelled: one node, the default (docs/tmpfs-deviations.md) */
		v->why = "mpol= takes only default (ukcov models no NUMA policy)";
		return !flag && !strcmp(val, "default") ? 0 : -EINVAL;
	}
	if (!strcmp(key, "source")) {
		/* mount(2)'s own source came first: "Multiple sources" */
		v->why = "source= takes a name, once";
		if (flag || v->source)
			return -EINVAL;
		v->source = val;
		return 0;
	}
	return -EINVAL;
}

/*
 * shmem_next_opt(): options end at a comma, but not at one followed by a
 * digit (mpol's node lists contain commas), so "size=1m,2" is one option.
 */
static char *next_opt(char **s)
{
	char *begin = *s, *p;

	if (!begin)
		return NULL;
	for (;;) {
		p = strchr(*s, ',');
		if (!p)
			break;
		*s = p + 1;
		if (!isdigit((unsigned char)p[1])) {
			*p = '\0';
			return begin;
		}
	}
	*s = NULL;
	return begin;
}

int tmpfs_opts_parse(char *data, struct tmpfs_mount_opts *o, struct tmpfs_opts_vfs *v)
{
	char *key;

	while ((key = next_opt(&data))) {
		char *val = strchr(key, '=');
		int err;

		if (!*key || val == key) /* vfs_parse_monolithic_sep() skips "" and "=..." */
			continue;
		if (val)
			*val++ = '\0';
		err = opt_parse(key, val, o, v);
		if (err)
			return err;
	}
	return 0;
}

uint64_t tmpfs_ram_pages(void)
{
	struct sysinfo si;
	uint64_t pages;

	if (sysinfo(&si))
		return 2;
	pages = (uint64_t)si.totalram * si.mem_unit >> TMPFS_PAGE_SHIFT;
	return pages < 2 ? 2 : pages;
}

static void __attribute__((format(printf, 4, 5)))
put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;

	if (*n >= len)
		return;
	va_start(ap, fmt);
	*n += (size_t)vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
}

int tmpfs_mount_show_options(const struct tmpfs_mount *m, char *buf, size_t len)
{
	uint64_t def = tmpfs_ram_pages() / 2;
	size_t n = 0;

	buf[0] = '\0';
	/* shmem_show_options(): what differs from today's defaults */
	if ((m->unlimited_pages ? 0 : m->max_pages) != def)
		put(buf, len, &n, ",size=%lluk",
		    (unsigned long long)(m->unlimited_pages ? 0 : m->max_pages << (TMPFS_PAGE_SHIFT - 10)));
	if (m->max_inodes != def)
		put(buf, len, &n, ",nr_inodes=%llu", (unsigned long long)m->max_inodes);
	if (m->root_mode != 01777)
		put(buf, len, &n, ",mode=%03o", m->root_mode);
	if (m->root_uid)
		put(buf, len, &n, ",uid=%u", m->root_uid);
	if (m->root_gid)
		put(buf, len, &n, ",gid=%u", m->root_gid);
	/* without CONFIG_TMPFS_INODE64 (Debian's), inode32 is not shown */
	if (m->inode64)
		put(buf, len, &n, ",inode64");
	if (m->huge)
		put(buf, len, &n, ",huge=%s", huge_names[m->huge]);
	if (m->noswap)
		put(buf, len, &n, ",noswap");
	return n < len ? 0 : -ERANGE;
}

// SPDX-License-Identifier: MIT
/*
 * The seccomp filter, generated from the syscall table: every syscall the
 * table names is sent to the supervisor under its trap rule; everything else
 * runs natively at full speed.
 *
 * Layout: a chain of "nr == X" tests, each jumping to the shared block of its
 * rule; the blocks follow the chain. Jump offsets are 8 bits, so the chain
 * and blocks are kept short (checked below).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <ukcov/kcov_uapi.h>

#include "entry.h"

#define X32_SYSCALL_BIT 0x40000000u
#define ARG_LO(n) (offsetof(struct seccomp_data, args[n]))

static const uint32_t kcov_cmds[] = {
	UKCOV_KCOV_INIT_TRACE, UKCOV_KCOV_ENABLE, UKCOV_KCOV_DISABLE,
	UKCOV_KCOV_REMOTE_ENABLE, UKCOV_KCOV_UNIQUE_ENABLE, UKCOV_KCOV_RESET_TRACE,
};
#define NCMDS (sizeof(kcov_cmds) / sizeof(kcov_cmds[0]))

struct prog {
	struct sock_filter *insn;
	unsigned int len;
};

static void emit(struct prog *p, struct sock_filter f)
{
	p->insn[p->len++] = f;
}

static void emit_stmt(struct prog *p, uint16_t code, uint32_t k)
{
	emit(p, (struct sock_filter)BPF_STMT(code, k));
}

static void emit_jump(struct prog *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	emit(p, (struct sock_filter)BPF_JUMP(code, k, jt, jf));
}

/* The rule blocks, in the order they are laid out after the chain. */
static unsigned int rule_len(enum sys_trap trap)
{
	switch (trap) {
	case TRAP_ALWAYS:
	case TRAP_VFS: /* mapped to TRAP_ALWAYS or left out by filter_build() */
		return 1;
	case TRAP_FD0:
	case TRAP_FD_WINDOW:
		return 4;
	case TRAP_IOCTL:
		return 5 + NCMDS;
	case TRAP_MMAP_FILE:
		return 4;
	case TRAP_VFS_ARG4:
		return 7;
	}
	return 0;
}

static void emit_rule(struct prog *p, enum sys_trap trap, int fd_base)
{
	const uint32_t notify = SECCOMP_RET_USER_NOTIF, allow = SECCOMP_RET_ALLOW;

	switch (trap) {
	case TRAP_ALWAYS:
	case TRAP_VFS:
		emit_stmt(p, BPF_RET | BPF_K, notify);
		return;
	case TRAP_FD0:
	case TRAP_FD_WINDOW:
		/* As unsigned 32-bit, -1 and every negative fd are >= the base too. */
		emit_stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
		emit_jump(p, BPF_JMP | BPF_JGE | BPF_K, (uint32_t)fd_base, 0, 1);
		emit_stmt(p, BPF_RET | BPF_K, notify);
		emit_stmt(p, BPF_RET | BPF_K, allow);
		return;
	case TRAP_IOCTL:
		emit_stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
		emit_jump(p, BPF_JMP | BPF_JGE | BPF_K, (uint32_t)fd_base, NCMDS + 2, 0);
		emit_stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(1));
		for (unsigned int i = 0; i < NCMDS; i++)
			emit_jump(p, BPF_JMP | BPF_JEQ | BPF_K, kcov_cmds[i], (uint8_t)(NCMDS - i), 0);
		emit_stmt(p, BPF_RET | BPF_K, allow);
		emit_stmt(p, BPF_RET | BPF_K, notify);
		return;
	case TRAP_VFS_ARG4:
		/*
		 * A 64-bit pointer: either half non-zero. (The launch sends
		 * with send(), a NULL address, before anyone serves the filter.)
		 */
		emit_stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(4));
		emit_jump(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
		emit_stmt(p, BPF_RET | BPF_K, notify);
		emit_stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(4) + 4);
		emit_jump(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
		emit_stmt(p, BPF_RET | BPF_K, allow);
		emit_stmt(p, BPF_RET | BPF_K, notify);
		return;
	case TRAP_MMAP_FILE:
		emit_stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(3));
		emit_jump(p, BPF_JMP | BPF_JSET | BPF_K, MAP_ANONYMOUS, 0, 1);
		emit_stmt(p, BPF_RET | BPF_K, allow);
		emit_stmt(p, BPF_RET | BPF_K, notify);
		return;
	}
}

int filter_build(int fd_base, bool all_fds, struct sock_fprog *out)
{
	static const enum sys_trap rules[] = { TRAP_ALWAYS, TRAP_FD0, TRAP_IOCTL, TRAP_MMAP_FILE,
					       TRAP_VFS_ARG4 };
	const unsigned int nrules = sizeof(rules) / sizeof(rules[0]);
	unsigned int rule_at[TRAP_VFS_ARG4 + 1], chain_end, total;
	struct prog p = { 0 };

	unsigned int nchain = 0;

	for (unsigned int i = 0; i < syscall_table_len; i++)
		nchain += all_fds || (syscall_table[i].trap != TRAP_VFS &&
				      syscall_table[i].trap != TRAP_VFS_ARG4);
	/* 6 header insns, the chain, one "allow", then the rule blocks. */
	chain_end = 6 + nchain;
	total = chain_end + 1;
	for (unsigned int r = 0; r < nrules; r++) {
		rule_at[rules[r]] = total;
		total += rule_len(rules[r]);
	}
	if (total - 6 > 255 || total > BPF_MAXINSNS)
		return -E2BIG;
	p.insn = calloc(total + 16, sizeof(*p.insn)); /* slack: the check below runs after a rule is emitted */
	if (!p.insn)
		return -ENOMEM;

	/* Another ABI (i386 via int 0x80, x32) would reach syscalls by other numbers: refuse it. */
	emit_stmt(&p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	emit_jump(&p, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	emit_stmt(&p, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	emit_stmt(&p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	emit_jump(&p, BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1);
	emit_stmt(&p, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	for (unsigned int i = 0; i < syscall_table_len; i++) {
		const struct syscall_entry *e = &syscall_table[i];
		enum sys_trap trap = e->trap;
		unsigned int here = p.len;

		if ((trap == TRAP_VFS || trap == TRAP_VFS_ARG4) && !all_fds)
			continue;
		if (trap == TRAP_FD_WINDOW)
			trap = TRAP_FD0;
		else if (all_fds && (trap == TRAP_FD0 || trap == TRAP_IOCTL || trap == TRAP_VFS))
			trap = TRAP_ALWAYS;
		emit_jump(&p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)e->nr,
			  (uint8_t)(rule_at[trap] - here - 1), 0);
	}
	emit_stmt(&p, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (unsigned int r = 0; r < nrules; r++) {
		emit_rule(&p, rules[r], fd_base);
		if (p.len != (r + 1 < nrules ? rule_at[rules[r + 1]] : total)) {
			free(p.insn);
			return -EFAULT; /* rule_len() and emit_rule() disagree */
		}
	}
	out->len = (unsigned short)p.len;
	out->filter = p.insn;
	return 0;
}

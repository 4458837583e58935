// SPDX-License-Identifier: MIT
/*
 * The build ID of the binary whose blocks make the synthetic PCs: a PC is an
 * index into one build's block table, so whoever symbolizes PCs later must
 * use that very build. Read from the loaded program headers (PT_NOTE), with
 * no ELF library: the runtime stays free of libelf and libdw.
 *
 * Built without instrumentation, like the rest of lib/.
 */
#include <errno.h>
#include <link.h>
#include <string.h>

#include <ukcov/ukcov.h>

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

struct find {
	uintptr_t addr;    /* an address of the binary we want */
	uint8_t *out;
	size_t cap;
	int len;           /* -ENODATA until found */
};

/* Notes pad their name and descriptor to 4 bytes, or 8 in a segment aligned so (gABI). */
static size_t pad(size_t n, size_t align)
{
	return (n + align - 1) & ~(align - 1);
}

/* The GNU build ID note of one PT_NOTE segment, or -ENODATA. */
static int note_build_id(const uint8_t *p, size_t size, size_t align, struct find *f)
{
	size_t off = 0;

	while (off + sizeof(ElfW(Nhdr)) <= size) {
		const ElfW(Nhdr) *n = (const void *)(p + off);
		size_t name = off + sizeof(*n), desc = name + pad(n->n_namesz, align);

		if (desc > size || n->n_descsz > size - desc)
			break;
		if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && !memcmp(p + name, "GNU", 4)) {
			memcpy(f->out, p + desc, n->n_descsz < f->cap ? n->n_descsz : f->cap);
			return (int)n->n_descsz;
		}
		off = desc + pad(n->n_descsz, align);
	}
	return -ENODATA;
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct find *f = data;
	bool mine = false;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + p->p_vaddr;

		if (p->p_type == PT_LOAD && f->addr >= lo && f->addr - lo < p->p_memsz)
			mine = true;
	}
	if (!mine)
		return 0;
	for (int i = 0; i < info->dlpi_phnum && f->len < 0; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];

		if (p->p_type == PT_NOTE)
			f->len = note_build_id((const uint8_t *)(info->dlpi_addr + p->p_vaddr),
					       p->p_memsz, p->p_align == 8 ? 8 : 4, f);
	}
	return 1;
}

int ukcov_build_id(uint8_t *out, size_t len)
{
	struct ukcov_block b;
	struct find f = { .out = out, .cap = len, .len = -ENODATA };

	if (ukcov_block_at(0, &b))
		return -ENODATA;
	f.addr = b.addr;
	dl_iterate_phdr(phdr_cb, &f);
	return f.len;
}

// SPDX-License-Identifier: MIT
/*
 * A binary's instrumented blocks, read from its file: SanitizerCoverage's PC
 * table is the section __sancov_pcs, one {pc, flags} pair per block in the
 * order the module constructor registers them, so block i of the file is
 * block i of a process that runs it (the executable is the first module of
 * the table: this reads the executable's blocks, not those of instrumented
 * DSOs it loads). A position-independent binary's table holds relative
 * relocations; with RELA, the addend is the link-time address, applied
 * here for linkers that leave the section itself zero.
 *
 * Built without instrumentation, like the rest of lib/.
 */
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binfile.h"

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#define RELATIVE R_X86_64_RELATIVE
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#define RELATIVE R_AARCH64_RELATIVE
#endif

static Elf_Scn *section_named(Elf *elf, const char *want, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t strndx;

	if (elf_getshdrstrndx(elf, &strndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, sh))
			continue;
		name = elf_strptr(elf, strndx, sh->sh_name);
		if (name && !strcmp(name, want))
			return scn;
	}
	return NULL;
}

/* Applies the relative relocations that land in the table [addr, addr + n words). */
static void relocate(Elf *elf, uint64_t addr, uintptr_t *words, size_t n)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rela r;

			if (!gelf_getrela(d, (int)i, &r) || GELF_R_TYPE(r.r_info) != RELATIVE ||
			    r.r_offset < addr || (r.r_offset - addr) % sizeof(*words) ||
			    (r.r_offset - addr) / sizeof(*words) >= n)
				continue;
			words[(r.r_offset - addr) / sizeof(*words)] = (uintptr_t)r.r_addend;
		}
	}
}

static int read_elf(Elf *elf, struct ukcov_binfile *out)
{
	GElf_Ehdr eh;
	GElf_Shdr sh;
	Elf_Scn *scn;
	Elf_Data *d;
	const void *id;
	ssize_t idlen;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    gelf_getclass(elf) != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) ||
	    eh.e_machine != HOST_MACHINE)
		return -ENOEXEC;
	scn = section_named(elf, "__sancov_pcs", &sh);
	if (!scn || sh.sh_type == SHT_NOBITS || sh.sh_size < 2 * sizeof(uintptr_t))
		return -ENOENT;
	d = elf_getdata(scn, NULL);
	if (!d || d->d_size != sh.sh_size)
		return -ENOEXEC;
	out->nblocks = sh.sh_size / (2 * sizeof(uintptr_t));
	out->pcs = malloc(out->nblocks * 2 * sizeof(uintptr_t));
	if (!out->pcs)
		return -ENOMEM;
	memcpy(out->pcs, d->d_buf, out->nblocks * 2 * sizeof(uintptr_t));
	if (eh.e_type == ET_DYN)
		relocate(elf, sh.sh_addr, out->pcs, out->nblocks * 2);
	idlen = dwelf_elf_gnu_build_id(elf, &id);
	if (idlen > 0 && (size_t)idlen <= sizeof(out->build_id)) {
		memcpy(out->build_id, id, (size_t)idlen);
		out->build_id_len = (size_t)idlen;
	}
	return 0;
}

int ukcov_binfile_read(const char *path, struct ukcov_binfile *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	Elf *elf;

	*out = (struct ukcov_binfile){ 0 };
	if (fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	err = elf ? read_elf(elf, out) : -ENOEXEC;
	if (elf)
		elf_end(elf);
	close(fd);
	if (err)
		ukcov_binfile_free(out);
	return err;
}

void ukcov_binfile_free(struct ukcov_binfile *b)
{
	free(b->pcs);
	b->pcs = NULL;
	b->nblocks = 0;
}

/* SPDX-License-Identifier: MIT */
/* Internal: the instrumented blocks of a binary file, read without loading it (binfile.c). */
#ifndef UKCOV_LIB_BINFILE_H
#define UKCOV_LIB_BINFILE_H

#include <stddef.h>
#include <stdint.h>

struct ukcov_binfile {
	uintptr_t *pcs;     /* SanitizerCoverage's {pc, flags} pairs, link-time addresses */
	size_t nblocks;
	uint8_t build_id[64];
	size_t build_id_len; /* 0: none */
};

/*
 * Reads the PC table (section __sancov_pcs) and the build ID of the ELF
 * file `path`. Returns 0, the -errno of opening it, -ENOEXEC when it is not
 * an ELF binary of this machine, -ENOENT when it has no PC table (nothing
 * instrumented), or -ENOMEM.
 */
int ukcov_binfile_read(const char *path, struct ukcov_binfile *out);
void ukcov_binfile_free(struct ukcov_binfile *b);

#endif

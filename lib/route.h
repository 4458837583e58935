/* SPDX-License-Identifier: MIT */
/* Internal: what route.c needs of the open kcov files (kcov.c keeps them). */
#ifndef UKCOV_LIB_ROUTE_H
#define UKCOV_LIB_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A memfd's identity, and whether a sweep saw a guest hold it. */
struct ukcov_kcov_id {
	uint64_t dev, ino;
	bool held;
};

/* Copies up to `cap` ids of the handed-over open kcovs; returns how many there are. */
size_t ukcov_kcov_handed_ids(struct ukcov_kcov_id *ids, size_t cap);
/* Closes the handed-over kcov (dev, ino) if it is still open; returns whether it was. */
bool ukcov_kcov_release_handed(uint64_t dev, uint64_t ino);

#endif

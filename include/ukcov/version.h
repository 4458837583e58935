/* SPDX-License-Identifier: MIT */
/*
 * libukcov's version, written in this one place: the Makefile reads it for
 * the shared library's file name (libukcov.so.MAJOR.MINOR.PATCH), its
 * soname (libukcov.so.MAJOR) and ukcov.pc's Version; `ukcov --version`
 * prints it. MAJOR changes when the ABI breaks.
 */
#ifndef UKCOV_VERSION_H
#define UKCOV_VERSION_H

#define UKCOV_VERSION_MAJOR 0
#define UKCOV_VERSION_MINOR 1
#define UKCOV_VERSION_PATCH 0

#define UKCOV_VERSION_STR_(x) #x
#define UKCOV_VERSION_STR(x) UKCOV_VERSION_STR_(x)
/* "MAJOR.MINOR.PATCH" */
#define UKCOV_VERSION_STRING                                                                     \
	UKCOV_VERSION_STR(UKCOV_VERSION_MAJOR) "." UKCOV_VERSION_STR(UKCOV_VERSION_MINOR) "."   \
	UKCOV_VERSION_STR(UKCOV_VERSION_PATCH)

/* True when the headers are at least version major.minor: for #if in embedders. */
#define UKCOV_VERSION_AT_LEAST(major, minor)                                                     \
	(UKCOV_VERSION_MAJOR > (major) ||                                                        \
	 (UKCOV_VERSION_MAJOR == (major) && UKCOV_VERSION_MINOR >= (minor)))

#endif

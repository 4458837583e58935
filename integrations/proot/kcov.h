/* SPDX-License-Identifier: MIT */
/*
 * ukcov's kcov extension for proot: /sys/kernel/debug/kcov served by
 * libukcov, for the code of proot's own "kernel". Installed at build time
 * as src/extension/kcov/kcov.h of the proot tree (integrations/proot/).
 */
#ifndef KCOV_EXTENSION_H
#define KCOV_EXTENSION_H

#include "extension/extension.h"
#include "tracee/tracee.h"

/* The extension (`--kcov`). */
int kcov_ext_callback(Extension *extension, ExtensionEvent event, intptr_t d1, intptr_t d2);

/*
 * The event loop's two hooks (tracee/event.c): proot starts handling a
 * stop of `tracee` (`status` as waitpid() gave it; syscall entry, in kcov
 * terms), and is about to restart it (return to user: counter mode's
 * flush). Nothing when --kcov is off.
 */
void kcov_ext_enter(Tracee *tracee, int status);
void kcov_ext_return(Tracee *tracee);

#endif

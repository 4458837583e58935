#!/bin/sh
# The guest's F_SETSIG on mount files is its own and leaves ukcov's tag alone, as on /dev/shm
# (fcntl_sig.c); with the memfd store (forced fallback) the tag stays and F_SETSIG of a signal is EINVAL.
# under ${UKCOV:-build/bin/ukcov} run, by two_sided.sh (also with UKCOV_FORCE_FALLBACKS)
exec sh "$(dirname "$0")/two_sided.sh" fcntl_sig

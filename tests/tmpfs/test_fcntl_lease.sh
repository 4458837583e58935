#!/bin/sh
# Leases on mount files as on /dev/shm (fcntl_lease.c): the set rules, the break of a conflicting open, its signal;
# with the memfd store (forced fallback) F_SETSIG of a signal is EINVAL, and both sides use SIGIO.
# under ${UKCOV:-build/bin/ukcov} run, by two_sided.sh (also with UKCOV_FORCE_FALLBACKS)
exec sh "$(dirname "$0")/two_sided.sh" fcntl_lease

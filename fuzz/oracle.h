/* SPDX-License-Identifier: MIT */
/*
 * The oracle process: the /dev/shm side of every execution, run natively
 * by an unsandboxed process that `ukcov fuzz` starts beside each AFL++
 * instance, instead of inside the sandboxed guest where each of its calls
 * would be a seccomp round trip. It runs in parallel with the guest's
 * ukcov side (another core) on its own scratch root, with the same guard.
 *
 * `ukcov-fuzz-guest --with-oracle --host=DIR -- CMD...` makes a
 * SOCK_SEQPACKET socketpair, forks the server on one end and runs CMD with
 * the other end's number in UKCOV_FUZZ_ORACLE; afl-fuzz, afl-tmin and
 * `ukcov run` pass both the fd and the variable down to the guest.
 *
 * Messages are chunks (a datagram each, so a guest killed in the middle of
 * one never leaves the stream out of step), tagged per request: a reply
 * meant for a child AFL++ killed is skipped by the next one.
 */
#ifndef UKCOV_FUZZ_ORACLE_H
#define UKCOV_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#define ORACLE_ENV "UKCOV_FUZZ_ORACLE"

/* the guest's end from the environment, or -1 when there is no oracle */
int oracle_fd(void);

/*
 * Sends one message (a request: @arg is the scratch root's path width; a
 * reply: @arg is 0, or -errno when the oracle could not run the script).
 * Returns 0 or -errno.
 */
int oracle_send(int fd, uint64_t tag, int32_t arg, const char *data, size_t len);

/*
 * Receives the message tagged @tag (any tag when *@tag is 0, which it then
 * holds), skipping others; *@data is malloc'd and NUL-terminated. Returns 0
 * or -errno (-ECONNRESET at the end of the stream).
 */
int oracle_recv(int fd, uint64_t *tag, int32_t *arg, char **data, size_t *len);

/* a tag no earlier request of this oracle used */
uint64_t oracle_tag(void);

/* "1" when the run's mounts die with it (oracle_wrap): mount ops are decoded */
#define MOUNTS_ENV "UKCOV_FUZZ_MOUNTS"

/*
 * --with-oracle: first takes a mount namespace of its own, private, for
 * itself and everything below it (the oracle, afl-fuzz, ukcov run, the
 * guest), and says so in UKCOV_FUZZ_MOUNTS; then serves the scripts with
 * @serve(fd) in a child, runs @argv in another with the other end in
 * UKCOV_FUZZ_ORACLE, passes on SIGINT and SIGTERM, and when argv's process
 * has exited waits for the server to finish (its last clean-up) and
 * returns argv's exit status (128 + the signal that ended it).
 */
int oracle_wrap(char **argv, int (*serve)(int fd));

/* a request's argument: (skipped line + 1) << this | scratch width * 2 | --all-ops */
#define ORACLE_SKIP_SHIFT 20

#endif

/*
 * sandbox.h: the seccomp allow-list the worker runs its event loop under.
 *
 * Once every socket is open and privilege is dropped, the loop needs only
 * a few dozen system calls: read and write its descriptors, send and
 * receive on sockets, open more sockets of the Internet and routing
 * families, wait in epoll, keep time, allocate memory and raise its kept
 * network capability for a moment.  sandbox_install() lets exactly those
 * through; anything else (open, exec, fork, ptrace, a Unix socket...)
 * kills the whole worker with SIGSYS, so that a bug in the parsing of
 * untrusted input cannot become a foothold in a setuid program.
 */
#ifndef HOPPROBE_SANDBOX_H
#define HOPPROBE_SANDBOX_H

#include <stddef.h>

/*
 * Build and load the filter; it then holds for the life of the process.
 * Returns 0, or -1 with a message in msg (for stderr): the worker must
 * then exit rather than run unconfined.
 */
int sandbox_install(char *msg, size_t msg_len);

#endif

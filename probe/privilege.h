/*
 * privilege.h: giving up privilege once the raw sockets are open.
 *
 * The worker may start as root, setuid root, or with file capabilities.
 * After the sockets are open it becomes the invoking user (or, started by
 * root, the configured unprivileged user), keeps at most CAP_NET_RAW in
 * its permitted set (with CAP_NET_ADMIN on kernels older than 5.17, where
 * SO_MARK needs it; nothing effective) so that sockets for a packet mark or
 * a device can still be opened later,
 * sets no-new-privileges and non-dumpable, and verifies the result.  This
 * is the only module that calls capability functions.
 */
#ifndef HOPPROBE_PRIVILEGE_H
#define HOPPROBE_PRIVILEGE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Drop privilege.  Returns 0, or -1 with a message in msg (for stderr)
 * when the drop could not be done or verified: the worker must then exit.
 */
int privilege_drop(char *msg, size_t msg_len);

/* Whether a capability that lets a socket be marked is still permitted. */
bool privilege_can_mark(void);

/* Make the kept network capabilities effective, and not again. */
int privilege_raise_net(void);
void privilege_lower(void);

#endif

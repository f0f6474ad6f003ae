/*
 * kernel_release.h: what a kernel release string says the worker needs.
 * Pure: the caller passes uname()'s release.
 */
#ifndef HOPPROBE_KERNEL_RELEASE_H
#define HOPPROBE_KERNEL_RELEASE_H

#include <stdbool.h>

/*
 * Whether release ("6.1.0-13-amd64", "5.16.20") is at least major.minor.
 * An unreadable release counts as older: the caller then keeps what old
 * kernels need.
 */
bool kernel_release_at_least(const char *release, int major, int minor);

/*
 * Whether setting SO_MARK needs CAP_NET_ADMIN: Linux 5.17 was the first
 * to accept CAP_NET_RAW for it.
 */
bool kernel_mark_needs_net_admin(const char *release);

#endif

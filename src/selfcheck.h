/*
 * selfcheck.h: hoptrace never holds privilege it did not start with.
 */
#ifndef HOPTRACE_SELFCHECK_H
#define HOPTRACE_SELFCHECK_H

#include <stddef.h>

/*
 * 1 with a message in MSG when hoptrace must refuse to run: it was started
 * setuid or setgid, or gained file capabilities (AT_SECURE), or a user
 * other than root holds capabilities in its permitted set.  Run by root it
 * is fine, as traceroute and mtr are.
 */
int ht_privilege_refusal(char *msg, size_t len);

/*
 * The worker to start when no --worker was given: HOPTRACE_WORKER from the
 * environment (a shell command; ignored when the process is AT_SECURE),
 * else INSTALLED if it is executable, else the hopprobe of the build tree
 * beside this executable (../probe/hopprobe) or in the same directory.
 * 0 with BUF and *USE_SHELL set, or -1 with a message in BUF.
 */
int ht_default_worker(const char *installed, char *buf, size_t len,
		      int *use_shell);

#endif

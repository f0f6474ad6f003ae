/*
 * sandbox_rules.h: the worker's seccomp allow-list as a libseccomp filter,
 * for the build-time generator (sandbox_gen.c) and for a cross build's
 * start-up (sandbox.c).
 */
#ifndef HOPPROBE_SANDBOX_RULES_H
#define HOPPROBE_SANDBOX_RULES_H

#include <seccomp.h>

/*
 * A filter holding every rule, not loaded: *out is the caller's to
 * release.  Returns 0, or a negative errno (libseccomp's convention).
 */
int sandbox_rules_build(scmp_filter_ctx *out);

#endif

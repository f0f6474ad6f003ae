/*
 * sandbox.c: install the seccomp allow-list (sandbox_rules.c) before the
 * event loop reads a byte of input.
 *
 * A native build loads the program sandbox_gen wrote at build time, with
 * the kernel's own interface and no libseccomp at run time; a cross build
 * (no SANDBOX_PREBUILT) has libseccomp build the same rules at start.
 * SANDBOX_AT_START picks the second way in a native build too, so that
 * tests/unit/test_sandbox_runtime keeps that path built and tested.
 */
#include "config.h"

#include "sandbox.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(SANDBOX_PREBUILT) && !defined(SANDBOX_AT_START)
#include "sandbox_program.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * What seccomp_load does with libseccomp's default attributes: no new
 * privileges (required of a process without CAP_SYS_ADMIN, and wanted
 * anyway), then the filter, for this thread (the worker has one).
 */
static int load_filter(void)
{
	struct sock_fprog prog = {
		.len = (unsigned short)COUNT(sandbox_program),
		.filter = (struct sock_filter *)sandbox_program,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		return -errno;
	return 0;
}
#else
#include "sandbox_rules.h"

static int load_filter(void)
{
	scmp_filter_ctx ctx;
	int rc = sandbox_rules_build(&ctx);

	if (rc)
		return rc;
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}
#endif

int sandbox_install(char *msg, size_t msg_len)
{
	int rc;

	/*
	 * Valgrind runs the program on a synthetic CPU and knows no seccomp
	 * (its own calls would not pass the filter either).  What it runs
	 * has no setuid or file capability privilege, so the loop may run
	 * unconfined there, for the memory checks (tests/net/net_valgrind.sh).
	 */
	if (RUNNING_ON_VALGRIND)
		return 0;
	rc = load_filter();
	if (rc) {
		snprintf(msg, msg_len, "cannot install the seccomp filter: %s",
			 strerror(-rc));
		return -1;
	}
	return 0;
}

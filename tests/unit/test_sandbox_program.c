/*
 * Unit tests for the compiled-in seccomp program: it must be, byte for
 * byte, what libseccomp exports now for the rules of sandbox_rules.c.
 * The program is written at build time (sandbox_gen); should a rule change
 * without the header being rebuilt, or the generator write something else
 * than libseccomp's program, the worker would load a stale or wrong
 * filter that the other tests (test_sandbox) might not notice.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sandbox_program.h"
#include "sandbox_rules.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Far more than the filter needs; BPF's own limit is 4096 instructions. */
#define MAX_BYTES (4096 * sizeof(struct sock_filter))

/*
 * What libseccomp exports for ctx, in out (MAX_BYTES); returns its length
 * in bytes.  A memfd holds it: the export writes to a descriptor.
 */
static size_t export_program(scmp_filter_ctx ctx, unsigned char *out)
{
	int fd = memfd_create("sandbox_program", MFD_CLOEXEC);
	size_t got = 0;
	ssize_t n;

	assert_true(fd >= 0);
	assert_int_equal(seccomp_export_bpf(ctx, fd), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	while ((n = read(fd, out + got, MAX_BYTES - got)) > 0)
		got += (size_t)n;
	assert_int_equal(n, 0);
	close(fd);
	assert_true(got < MAX_BYTES);
	return got;
}

/* The index of the first instruction where a and b differ, or -1. */
static long first_difference(const unsigned char *a, const unsigned char *b,
			     size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return (long)(i / sizeof(struct sock_filter));
	return -1;
}

static void compiled_in_equals_export(void **state)
{
	static unsigned char exported[MAX_BYTES];
	scmp_filter_ctx ctx;
	size_t len;
	long diff;

	(void)state;
	assert_int_equal(sandbox_rules_build(&ctx), 0);
	len = export_program(ctx, exported);
	seccomp_release(ctx);

	if (len != sizeof(sandbox_program))
		fail_msg("libseccomp exports %zu instructions, the compiled-in "
			 "program has %zu: rebuild probe/sandbox_program.h",
			 len / sizeof(struct sock_filter),
			 COUNT(sandbox_program));
	diff = first_difference(exported,
				(const unsigned char *)sandbox_program, len);
	if (diff >= 0)
		fail_msg("instruction %ld differs from libseccomp's export",
			 diff);
}

/*
 * The control: one more rule than sandbox_rules_build adds (chroot, which
 * no build allows, the sanitizer build included) and the export is no
 * longer the compiled-in program, so the comparison above can fail.
 */
static void one_more_rule_differs(void **state)
{
	static unsigned char exported[MAX_BYTES];
	scmp_filter_ctx ctx;
	size_t len;

	(void)state;
	assert_int_equal(sandbox_rules_build(&ctx), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
					  SCMP_SYS(chroot), 0), 0);
	len = export_program(ctx, exported);
	seccomp_release(ctx);

	assert_true(len != sizeof(sandbox_program) ||
		    first_difference(exported,
				     (const unsigned char *)sandbox_program,
				     len) >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compiled_in_equals_export),
		cmocka_unit_test(one_more_rule_differs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

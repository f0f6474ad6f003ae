/*
 * Unit tests for kernel_release: release strings as uname -r prints them
 * on Debian, Fedora, Android and custom kernels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel_release.h"

static void comparisons(void **state)
{
	(void)state;
	assert_true(kernel_release_at_least("6.1.0-13-amd64", 5, 17));
	assert_true(kernel_release_at_least("5.17.0", 5, 17));
	assert_true(kernel_release_at_least("5.17", 5, 17));
	assert_true(kernel_release_at_least("10.0.1", 5, 17));
	assert_true(kernel_release_at_least("6.18.44-fc-v1045", 6, 18));
	assert_false(kernel_release_at_least("5.16.20-arch1", 5, 17));
	assert_false(kernel_release_at_least("5.4.0-150-generic", 5, 17));
	assert_false(kernel_release_at_least("4.19.0-25-amd64", 5, 17));
	/* 5.100 is newer than 5.17: numbers, not strings. */
	assert_true(kernel_release_at_least("5.100.1", 5, 17));
	assert_false(kernel_release_at_least("5.2", 5, 17));
}

static void unreadable(void **state)
{
	(void)state;
	assert_false(kernel_release_at_least(NULL, 5, 17));
	assert_false(kernel_release_at_least("", 5, 17));
	assert_false(kernel_release_at_least("six.one", 5, 17));
	assert_false(kernel_release_at_least("6", 5, 17));
	assert_false(kernel_release_at_least("6.", 5, 17));
	assert_false(kernel_release_at_least(".17", 5, 17));
	assert_false(kernel_release_at_least("99999999.1", 5, 17));
}

static void mark_capability(void **state)
{
	(void)state;
	assert_true(kernel_mark_needs_net_admin("5.16.0"));
	assert_true(kernel_mark_needs_net_admin("garbage"));
	assert_false(kernel_mark_needs_net_admin("5.17.1"));
	assert_false(kernel_mark_needs_net_admin("6.12.0-1-amd64"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(comparisons),
		cmocka_unit_test(unreadable),
		cmocka_unit_test(mark_capability),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

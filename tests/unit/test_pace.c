/*
 * Unit tests for the client library's token bucket (src/pace.c), with
 * times made up by the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "pace.h"

static void test_no_limit(void **state)
{
	struct hp_pace p;
	int i;

	(void)state;
	hp_pace_init(&p);
	for (i = 0; i < 100000; i++) {
		assert_true(hp_pace_ready(&p, 5.0));
		hp_pace_take(&p, 5.0);
	}
	assert_true(hp_pace_due(&p, 5.0) == 5.0);
}

/* 100 a second: a burst of one, then one every 10 ms. */
static void test_spacing(void **state)
{
	struct hp_pace p;

	(void)state;
	hp_pace_init(&p);
	hp_pace_set(&p, 100, 10.0);
	assert_true(hp_pace_ready(&p, 10.0));
	hp_pace_take(&p, 10.0);
	assert_false(hp_pace_ready(&p, 10.0));
	assert_false(hp_pace_ready(&p, 10.009));
	assert_true(fabs(hp_pace_due(&p, 10.0) - 10.010) < 1e-9);
	assert_true(fabs(hp_pace_due(&p, 10.004) - 10.010) < 1e-9);
	assert_true(hp_pace_ready(&p, 10.0100001));
	hp_pace_take(&p, 10.0100001);
	/* A long pause gains at most the burst: one token. */
	assert_true(hp_pace_ready(&p, 60.0));
	hp_pace_take(&p, 60.0);
	assert_false(hp_pace_ready(&p, 60.0));
}

/* 10,000 a second: the burst is 10 ms worth, 100 probes. */
static void test_burst(void **state)
{
	struct hp_pace p;
	int n = 0;

	(void)state;
	hp_pace_init(&p);
	hp_pace_set(&p, 10000, 1.0);
	while (hp_pace_ready(&p, 1.0) && n < 1000) {
		hp_pace_take(&p, 1.0);
		n++;
	}
	assert_int_equal(n, 100);
	/* Over one second: the burst and the rate, no more. */
	n = 0;
	for (int i = 0; i < 100000; i++) {
		double t = 1.0 + i * 1e-5;

		while (hp_pace_ready(&p, t)) {
			hp_pace_take(&p, t);
			n++;
		}
	}
	assert_true(n >= 9990 && n <= 10001);
}

/* Setting the same rate again gains nothing; 0 lifts the limit. */
static void test_set_again(void **state)
{
	struct hp_pace p;

	(void)state;
	hp_pace_init(&p);
	hp_pace_set(&p, 1, 0.0);
	hp_pace_take(&p, 0.0);
	hp_pace_set(&p, 1, 0.5);
	assert_false(hp_pace_ready(&p, 0.5));
	assert_true(fabs(hp_pace_due(&p, 0.5) - 1.0) < 1e-9);
	hp_pace_set(&p, 0, 0.5);
	assert_true(hp_pace_ready(&p, 0.5));
	/* From no limit to a limit: a full burst at once. */
	hp_pace_set(&p, 2, 0.6);
	assert_true(hp_pace_ready(&p, 0.6));
	hp_pace_set(&p, -3, 0.6);
	assert_true(p.rate == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_limit),
		cmocka_unit_test(test_spacing),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_set_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for set-rate's token bucket and ceiling (rate_bucket.h).
 * Every expected value is worked out by hand from the rule hopprobe(8)
 * gives: N tokens a second, a burst of N/100 (at least 1), a bucket that
 * starts full when a limit is first set and keeps what it holds when the
 * rate changes (in whole tokens), and a full bucket that keeps the part of
 * the next token already earned.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rate_bucket.h"

#define MS 1000000ull
#define SECOND 1000000000ull
/* An arbitrary start, so that no case depends on a clock starting at 0. */
#define T0 (12345ull * SECOND)

static struct rate_bucket fresh(uint32_t pps, uint64_t now)
{
	struct rate_bucket b;

	memset(&b, 0, sizeof(b));
	rate_bucket_set(&b, pps, now);
	return b;
}

/* No limit: everything asked is granted and nothing waits. */
static void test_unlimited(void **state)
{
	struct rate_bucket b = fresh(0, T0);

	(void)state;
	assert_int_equal(rate_bucket_take(&b, T0, 5000), 5000);
	assert_int_equal(rate_bucket_take(&b, T0, 5000), 5000);
	assert_int_equal(rate_bucket_wait_ns(&b, T0, 1), 0);
}

/* The burst, then one token a millisecond at 1000 a second. */
static void test_burst_then_steady(void **state)
{
	struct rate_bucket b = fresh(1000, T0);

	(void)state;
	assert_int_equal(rate_bucket_take(&b, T0, 100), 10);
	assert_int_equal(rate_bucket_take(&b, T0, 100), 0);
	assert_int_equal(rate_bucket_wait_ns(&b, T0, 1), 1 * MS);
	assert_int_equal(rate_bucket_take(&b, T0 + MS - 1, 1), 0);
	assert_int_equal(rate_bucket_wait_ns(&b, T0 + MS - 1, 1), 1);
	assert_int_equal(rate_bucket_take(&b, T0 + MS, 100), 1);
	/* Waiting for many is waiting for half a burst: 5 ms, 2 ms after 3. */
	assert_int_equal(rate_bucket_wait_ns(&b, T0 + MS, 5000), 5 * MS);
	assert_int_equal(rate_bucket_wait_ns(&b, T0 + 4 * MS, 5000), 2 * MS);
	assert_int_equal(rate_bucket_wait_ns(&b, T0 + 4 * MS, 3), 0);
	assert_int_equal(rate_bucket_wait_ns(&b, T0 + 4 * MS, 4), 1 * MS);
	assert_int_equal(rate_bucket_take(&b, T0 + 11 * MS, 100), 10);
	/* 25 ms idle: only a burst's worth is kept. */
	assert_int_equal(rate_bucket_take(&b, T0 + 36 * MS, 100), 10);
	/* ... with the part of the next token that has come. */
	assert_int_equal(rate_bucket_wait_ns(&b, T0 + 36 * MS, 1), 1);
}

/*
 * At 1000 a second the engine wakes for 5 tokens, 5 ms after the bucket
 * was emptied.  A wake-up 4.4 ms late (9.4 tokens come) loses nothing:
 * 9 go, and the next 5 are due 4.6 ms later, at 14 ms.  A wake-up 10.8 ms
 * after that finds the bucket full (10 and 0.999999999 of the next, 4.8
 * tokens lost): 10 go, and the next 5 are due 4 ms and 1 ns later.
 */
static void test_late_wakeup(void **state)
{
	struct rate_bucket b = fresh(1000, T0);

	(void)state;
	assert_int_equal(rate_bucket_take(&b, T0, 10), 10);
	assert_int_equal(rate_bucket_wait_ns(&b, T0, 100), 5 * MS);
	assert_int_equal(rate_bucket_take(&b, T0 + 9400000, 100), 9);
	assert_int_equal(rate_bucket_wait_ns(&b, T0 + 9400000, 100), 4600000);
	assert_int_equal(rate_bucket_take(&b, T0 + 9400000 + 15400000, 100),
			 10);
	assert_int_equal(rate_bucket_wait_ns(&b, T0 + 24800000, 100),
			 4 * MS + 1);
}

/*
 * 5,000 probes at 1000 a second, released as the engine does, waking when
 * the bucket holds as many as wait or half a burst: 10 at once, then 5
 * every 5 ms, the last at 4.99 s after 998 wake-ups.
 */
static void test_schedule_5000(void **state)
{
	struct rate_bucket b = fresh(1000, T0);
	uint64_t now = T0;
	uint32_t left = 5000, wakeups = 0;

	(void)state;
	left -= rate_bucket_take(&b, now, left);
	while (left > 0 && wakeups < 100000) {
		now += rate_bucket_wait_ns(&b, now, left);
		left -= rate_bucket_take(&b, now, left);
		wakeups++;
	}
	assert_int_equal(left, 0);
	assert_int_equal(now - T0, 4990 * MS);
	assert_int_equal(wakeups, 998);
}

/* Below 100 a second the burst is one token; waits round up. */
static void test_slow_rates(void **state)
{
	struct rate_bucket one = fresh(1, T0), three = fresh(3, T0);

	(void)state;
	assert_int_equal(rate_bucket_take(&one, T0, 5), 1);
	assert_int_equal(rate_bucket_wait_ns(&one, T0, 1), SECOND);
	assert_int_equal(rate_bucket_take(&one, T0 + SECOND - 1, 5), 0);
	assert_int_equal(rate_bucket_take(&one, T0 + SECOND, 5), 1);

	assert_int_equal(rate_bucket_take(&three, T0, 5), 1);
	/* 1e9 / 3 rounded up. */
	assert_int_equal(rate_bucket_wait_ns(&three, T0, 1), 333333334);
	assert_int_equal(rate_bucket_take(&three, T0 + 333333333, 5), 0);
	assert_int_equal(rate_bucket_take(&three, T0 + 333333334, 5), 1);
	/* Then one every third of a second, whatever the wake-ups. */
	assert_int_equal(rate_bucket_take(&three, T0 + 666666667, 5), 1);
	assert_int_equal(rate_bucket_take(&three, T0 + SECOND, 5), 1);
	assert_int_equal(rate_bucket_take(&three, T0 + SECOND, 5), 0);
}

/* A new rate keeps what the bucket holds, up to the new burst. */
static void test_rate_changes(void **state)
{
	struct rate_bucket b = fresh(1000, T0);

	(void)state;
	/* Repeating set-rate gains no tokens. */
	assert_int_equal(rate_bucket_take(&b, T0, 10), 10);
	rate_bucket_set(&b, 1000, T0);
	assert_int_equal(rate_bucket_take(&b, T0, 10), 0);

	/* Lowering the rate cuts a full bucket to the new burst. */
	b = fresh(1000, T0);
	rate_bucket_set(&b, 100, T0);
	assert_int_equal(rate_bucket_take(&b, T0, 10), 1);
	assert_int_equal(rate_bucket_wait_ns(&b, T0, 1), 10 * MS);

	/* Tokens earned at the old rate stay earned. */
	b = fresh(1000, T0);
	assert_int_equal(rate_bucket_take(&b, T0, 10), 10);
	rate_bucket_set(&b, 2000, T0 + 5 * MS);
	assert_int_equal(rate_bucket_take(&b, T0 + 5 * MS, 100), 5);
	assert_int_equal(rate_bucket_take(&b, T0 + 6 * MS, 100), 2);

	/* No limit, then a limit: a full burst. */
	b = fresh(0, T0);
	rate_bucket_set(&b, 500, T0 + SECOND);
	assert_int_equal(rate_bucket_take(&b, T0 + SECOND, 100), 5);

	/* A limit lifted: everything goes. */
	rate_bucket_set(&b, 0, T0 + SECOND);
	assert_int_equal(rate_bucket_take(&b, T0 + SECOND, 100), 100);
}

/* The largest rate after a long idle time, and a clock going backwards. */
static void test_extremes(void **state)
{
	struct rate_bucket b = fresh(100000000, T0);

	(void)state;
	assert_int_equal(rate_bucket_take(&b, T0, 2000000), 1000000);
	assert_int_equal(rate_bucket_take(&b, T0 + 100000 * SECOND, 2000000),
			 1000000);
	b = fresh(1000, T0);
	assert_int_equal(rate_bucket_take(&b, T0, 10), 10);
	assert_int_equal(rate_bucket_take(&b, T0 - SECOND, 10), 0);
	assert_int_equal(rate_bucket_wait_ns(&b, T0 - SECOND, 1), 1 * MS);
}

static void test_clamp(void **state)
{
	static const struct {
		uint32_t asked, ceiling, granted;
	} cases[] = {
		{ 1000, 500, 500 },	/* above the ceiling */
		{ 0, 500, 500 },	/* no limit, under a ceiling */
		{ 300, 500, 300 },
		{ 500, 500, 500 },
		{ 501, 500, 500 },
		{ 1, 500, 1 },
		{ 1000, 0, 1000 },	/* no ceiling */
		{ 0, 0, 0 },
		{ 100000000, 0, 100000000 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(rate_clamp(cases[i].asked, cases[i].ceiling),
				 cases[i].granted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_burst_then_steady),
		cmocka_unit_test(test_schedule_5000),
		cmocka_unit_test(test_late_wakeup),
		cmocka_unit_test(test_slow_rates),
		cmocka_unit_test(test_rate_changes),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_clamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

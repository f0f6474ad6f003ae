/*
 * Unit tests for the timeout lists: FIFO order per timeout value, O(1)
 * removal from head, middle and tail, and many distinct timeout values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "timeout_queue.h"

static uint32_t add_probe(struct probe_table *t, uint64_t wire)
{
	struct probe_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.wire_id = wire;
	return probe_table_insert(t, &k);
}

/* Walk a list head to tail into out[]; returns the length. */
static uint32_t walk(struct timeout_set *s, uint32_t id, struct probe_table *t,
		     uint32_t *out)
{
	uint32_t i = timeout_set_at(s, id)->head, n = 0, prev = PROBE_NONE;

	while (i != PROBE_NONE) {
		assert_int_equal(probe_table_at(t, i)->tq_prev, prev);
		out[n++] = i;
		prev = i;
		i = probe_table_at(t, i)->tq_next;
	}
	assert_int_equal(timeout_set_at(s, id)->tail, prev);
	assert_int_equal(timeout_set_at(s, id)->count, n);
	return n;
}

static void test_fifo_and_remove(void **state)
{
	struct timeout_set s;
	struct probe_table t;
	uint32_t p[5], got[5], id, i;

	(void)state;
	assert_true(timeout_set_init(&s));
	assert_true(probe_table_init(&t, 16));
	id = timeout_set_list(&s, 10);
	for (i = 0; i < 5; i++) {
		p[i] = add_probe(&t, i);
		timeout_list_push(&s, id, &t, p[i]);
	}
	assert_int_equal(walk(&s, id, &t, got), 5);
	assert_memory_equal(got, p, sizeof(p));
	timeout_list_remove(&s, &t, p[0]);	/* head */
	timeout_list_remove(&s, &t, p[2]);	/* middle */
	timeout_list_remove(&s, &t, p[4]);	/* tail */
	assert_int_equal(walk(&s, id, &t, got), 2);
	assert_int_equal(got[0], p[1]);
	assert_int_equal(got[1], p[3]);
	timeout_list_remove(&s, &t, p[1]);
	timeout_list_remove(&s, &t, p[3]);
	assert_int_equal(walk(&s, id, &t, got), 0);
	assert_int_equal(timeout_set_at(&s, id)->head, PROBE_NONE);
	probe_table_free(&t);
	timeout_set_free(&s);
}

static void test_distinct_values(void **state)
{
	struct timeout_set s;
	uint32_t v, id;

	(void)state;
	assert_true(timeout_set_init(&s));
	/* Many values: ids are stable and found again by value. */
	for (v = 0; v < 1000; v++)
		assert_int_equal(timeout_set_list(&s, v * 3), v);
	for (v = 0; v < 1000; v++) {
		id = timeout_set_list(&s, v * 3);
		assert_int_equal(id, v);
		assert_int_equal(timeout_set_at(&s, id)->ms, v * 3);
	}
	assert_int_equal(s.count, 1000);
	timeout_set_free(&s);
}

static void test_lists_independent(void **state)
{
	struct timeout_set s;
	struct probe_table t;
	uint32_t a, b, pa, pb, got[2];

	(void)state;
	assert_true(timeout_set_init(&s));
	assert_true(probe_table_init(&t, 16));
	a = timeout_set_list(&s, 1);
	b = timeout_set_list(&s, 10);
	assert_int_not_equal(a, b);
	pa = add_probe(&t, 1);
	pb = add_probe(&t, 2);
	timeout_list_push(&s, a, &t, pa);
	timeout_list_push(&s, b, &t, pb);
	assert_int_equal(walk(&s, a, &t, got), 1);
	assert_int_equal(got[0], pa);
	timeout_list_remove(&s, &t, pb);
	assert_int_equal(walk(&s, b, &t, got), 0);
	assert_int_equal(walk(&s, a, &t, got), 1);
	probe_table_free(&t);
	timeout_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_and_remove),
		cmocka_unit_test(test_distinct_values),
		cmocka_unit_test(test_lists_independent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

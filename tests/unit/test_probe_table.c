/*
 * Unit tests for the in-flight probe table: insert, find, remove, limits,
 * duplicate keys, slot reuse and growth past the initial sizes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "probe_table.h"

static struct probe_key key4(const char *dst, uint8_t proto, uint64_t wire)
{
	struct probe_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.proto = proto;
	assert_int_equal(inet_pton(AF_INET, dst, k.dst), 1);
	k.wire_id = wire;
	return k;
}

static void test_insert_find_remove(void **state)
{
	struct probe_table t;
	struct probe_key a = key4("192.0.2.1", PROTO_ICMP, 0x12340001);
	struct probe_key b = key4("192.0.2.1", PROTO_ICMP, 0x12340002);
	uint32_t ia, ib;

	(void)state;
	assert_true(probe_table_init(&t, 16));
	ia = probe_table_insert(&t, &a);
	ib = probe_table_insert(&t, &b);
	assert_int_not_equal(ia, PROBE_NONE);
	assert_int_not_equal(ib, PROBE_NONE);
	assert_int_not_equal(ia, ib);
	assert_int_equal(probe_table_find(&t, &a), ia);
	assert_int_equal(probe_table_find(&t, &b), ib);
	assert_int_equal(t.count, 2);
	probe_table_remove(&t, ia);
	assert_int_equal(probe_table_find(&t, &a), PROBE_NONE);
	assert_int_equal(probe_table_find(&t, &b), ib);
	assert_int_equal(t.count, 1);
	/* Removing twice is harmless. */
	probe_table_remove(&t, ia);
	assert_int_equal(t.count, 1);
	probe_table_free(&t);
}

static void test_keys_differ_in_every_field(void **state)
{
	struct probe_table t;
	struct probe_key base = key4("198.51.100.7", PROTO_UDP, 0x9c40829a1234);
	struct probe_key other[4];
	int i;

	(void)state;
	assert_true(probe_table_init(&t, 16));
	assert_int_not_equal(probe_table_insert(&t, &base), PROBE_NONE);
	for (i = 0; i < 4; i++)
		other[i] = base;
	other[0].proto = PROTO_TCP;
	other[1].dst[3] ^= 1;
	other[2].wire_id ^= 1;
	other[3].family = AF_INET6;
	for (i = 0; i < 4; i++)
		assert_int_equal(probe_table_find(&t, &other[i]), PROBE_NONE);
	probe_table_free(&t);
}

static void test_duplicate_key_refused(void **state)
{
	struct probe_table t;
	struct probe_key a = key4("203.0.113.9", PROTO_TCP, 42);

	(void)state;
	assert_true(probe_table_init(&t, 16));
	assert_int_not_equal(probe_table_insert(&t, &a), PROBE_NONE);
	assert_int_equal(probe_table_insert(&t, &a), PROBE_NONE);
	assert_int_equal(t.count, 1);
	probe_table_free(&t);
}

static void test_limit(void **state)
{
	struct probe_table t;
	struct probe_key k;
	uint32_t i, first;

	(void)state;
	assert_true(probe_table_init(&t, 3));
	for (i = 0; i < 3; i++) {
		k = key4("192.0.2.5", PROTO_ICMP, i);
		assert_int_not_equal(probe_table_insert(&t, &k), PROBE_NONE);
	}
	k = key4("192.0.2.5", PROTO_ICMP, 99);
	assert_int_equal(probe_table_insert(&t, &k), PROBE_NONE);
	/* Freeing one makes room again, reusing the slot. */
	k = key4("192.0.2.5", PROTO_ICMP, 1);
	first = probe_table_find(&t, &k);
	probe_table_remove(&t, first);
	k = key4("192.0.2.5", PROTO_ICMP, 99);
	assert_int_equal(probe_table_insert(&t, &k), first);
	probe_table_free(&t);
	/* A table that could hold nothing is refused. */
	assert_false(probe_table_init(&t, 0));
}

/* 100,000 keys: growth of slab and buckets keeps every key findable. */
static void test_many(void **state)
{
	struct probe_table t;
	struct probe_key k;
	uint32_t i, n = 100000;

	(void)state;
	assert_true(probe_table_init(&t, n));
	for (i = 0; i < n; i++) {
		k = key4("192.0.2.77", PROTO_ICMP, i * 7919u);
		assert_int_not_equal(probe_table_insert(&t, &k), PROBE_NONE);
	}
	assert_int_equal(t.count, n);
	for (i = 0; i < n; i += 2) {
		k = key4("192.0.2.77", PROTO_ICMP, i * 7919u);
		probe_table_remove(&t, probe_table_find(&t, &k));
	}
	for (i = 0; i < n; i++) {
		k = key4("192.0.2.77", PROTO_ICMP, i * 7919u);
		if (i % 2)
			assert_int_not_equal(probe_table_find(&t, &k),
					     PROBE_NONE);
		else
			assert_int_equal(probe_table_find(&t, &k), PROBE_NONE);
	}
	assert_int_equal(t.count, n / 2);
	probe_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_find_remove),
		cmocka_unit_test(test_keys_differ_in_every_field),
		cmocka_unit_test(test_duplicate_key_refused),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for identity: the properties the engine relies on, checked
 * over whole blocks of identities rather than against values of the code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "identity.h"

static const uint32_t key_a[IDENTITY_KEY_WORDS] = { 1, 2, 3, 4 };
static const uint32_t key_b[IDENTITY_KEY_WORDS] = { 1, 2, 3, 5 };

/* Any 65,536 consecutive identities have distinct low 16 bits. */
static void low_halves_distinct(void **state)
{
	static uint8_t seen[65536];
	struct identity_gen g;
	uint32_t start, n;
	static const uint32_t starts[] = { 0, 65536, 0xffff0000u };
	size_t s;

	(void)state;
	identity_init(&g, key_a);
	for (s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
		start = starts[s];
		memset(seen, 0, sizeof(seen));
		for (n = 0; n < 65536; n++) {
			uint16_t low = (uint16_t)identity_permute(&g, start + n);

			assert_int_equal(seen[low], 0);
			seen[low] = 1;
		}
	}
}

/* Not a counter: the steps between consecutive identities vary. */
static void not_sequential(void **state)
{
	struct identity_gen g;
	uint32_t prev, cur, step0, n, same = 0, highs_same = 0;

	(void)state;
	identity_init(&g, key_a);
	prev = identity_next(&g);
	cur = identity_next(&g);
	step0 = (cur - prev) & 0xffff;
	for (n = 0; n < 10000; n++) {
		prev = cur;
		cur = identity_next(&g);
		same += ((cur - prev) & 0xffff) == step0;
		highs_same += (cur >> 16) == (prev >> 16);
	}
	/* A counter or any fixed stride would give 10,000 each. */
	assert_true(same < 100);
	assert_true(highs_same < 100);
}

/* Another key, another sequence. */
static void key_matters(void **state)
{
	struct identity_gen a, b;
	uint32_t n, equal = 0;

	(void)state;
	identity_init(&a, key_a);
	identity_init(&b, key_b);
	for (n = 0; n < 10000; n++)
		equal += identity_next(&a) == identity_next(&b);
	assert_true(equal < 10);
}

/* identity_next walks identity_permute from 0. */
static void next_is_permute(void **state)
{
	struct identity_gen g;
	uint32_t n;

	(void)state;
	identity_init(&g, key_b);
	for (n = 0; n < 1000; n++)
		assert_int_equal(identity_next(&g), identity_permute(&g, n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(low_halves_distinct),
		cmocka_unit_test(not_sequential),
		cmocka_unit_test(key_matters),
		cmocka_unit_test(next_is_permute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

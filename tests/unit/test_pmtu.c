/*
 * Unit tests for hoptrace --pmtu's next probe size (src/pmtu.c).  The
 * plateaus are RFC 1191 section 7's table, typed here from the RFC.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "pmtu.h"

static struct hp_result too_big(int has_mtu, uint32_t mtu)
{
	struct hp_result r;

	memset(&r, 0, sizeof(r));
	r.kind = HP_PACKET_TOO_BIG;
	if (has_mtu) {
		r.has = HP_HAS_MTU;
		r.mtu = mtu;
	}
	return r;
}

static void test_floor(void **state)
{
	(void)state;
	assert_int_equal(ht_pmtu_floor(AF_INET), 68);
	assert_int_equal(ht_pmtu_floor(AF_INET6), 1280);
}

/* The MTU the router gave, when it is below the size that failed. */
static void test_router_mtu(void **state)
{
	struct hp_result r = too_big(1, 1280);

	(void)state;
	assert_int_equal(ht_pmtu_next(AF_INET, 1500, &r), 1280);
	assert_int_equal(ht_pmtu_next(AF_INET6, 1500, &r), 1280);
	r = too_big(1, 1500);
	assert_int_equal(ht_pmtu_next(AF_INET, 65535, &r), 1500);
	/* The default size counts as the largest. */
	assert_int_equal(ht_pmtu_next(AF_INET, 0, &r), 1500);
	r = too_big(1, 576);
	assert_int_equal(ht_pmtu_next(AF_INET, 1500, &r), 576);
	r = too_big(1, 68);
	assert_int_equal(ht_pmtu_next(AF_INET, 1500, &r), 68);
}

/* RFC 1191's plateaus when the router gave none (an old router's 0). */
static void test_plateaus(void **state)
{
	static const int sizes[] = { 65535, 32000, 17914, 8166, 4352, 2002,
				     1492, 1006, 508, 296, 68 };
	struct hp_result none = too_big(0, 0), zero = too_big(1, 0);
	unsigned i;

	(void)state;
	for (i = 0; i + 1 < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(ht_pmtu_next(AF_INET, sizes[i], &none),
				 sizes[i + 1]);
		assert_int_equal(ht_pmtu_next(AF_INET, sizes[i], &zero),
				 sizes[i + 1]);
	}
	/* Between two plateaus: the next one down. */
	assert_int_equal(ht_pmtu_next(AF_INET, 1500, &none), 1492);
	assert_int_equal(ht_pmtu_next(AF_INET, 1493, &none), 1492);
	assert_int_equal(ht_pmtu_next(AF_INET, 1492, &none), 1006);
	assert_int_equal(ht_pmtu_next(AF_INET, 100, &none), 68);
	assert_int_equal(ht_pmtu_next(AF_INET, 0, &none), 32000);
	/* No result at all is the same as no MTU. */
	assert_int_equal(ht_pmtu_next(AF_INET, 1500, NULL), 1492);
}

/* An MTU not below the failed size is not believed. */
static void test_bogus_mtu(void **state)
{
	struct hp_result r = too_big(1, 1500);

	(void)state;
	assert_int_equal(ht_pmtu_next(AF_INET, 1500, &r), 1492);
	r = too_big(1, 9000);
	assert_int_equal(ht_pmtu_next(AF_INET, 1500, &r), 1492);
	/* Below the family's minimum: the plateau, then the floor. */
	r = too_big(1, 40);
	assert_int_equal(ht_pmtu_next(AF_INET, 1500, &r), 1492);
	r = too_big(1, 1000);
	assert_int_equal(ht_pmtu_next(AF_INET6, 1500, &r), 1492);
	assert_int_equal(ht_pmtu_next(AF_INET6, 1400, &r), 1280);
}

/* At the family's minimum nothing smaller is tried: the end. */
static void test_floor_reached(void **state)
{
	struct hp_result r = too_big(1, 1000);

	(void)state;
	assert_int_equal(ht_pmtu_next(AF_INET6, 1280, &r), 0);
	assert_int_equal(ht_pmtu_next(AF_INET6, 1200, &r), 0);
	assert_int_equal(ht_pmtu_next(AF_INET, 68, &r), 0);
	assert_int_equal(ht_pmtu_next(AF_INET, 60, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_router_mtu),
		cmocka_unit_test(test_plateaus),
		cmocka_unit_test(test_bogus_mtu),
		cmocka_unit_test(test_floor_reached),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

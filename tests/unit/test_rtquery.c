/*
 * Unit tests for rtquery: RTM_GETROUTE requests byte for byte as
 * rtnetlink(7) and netlink(7) lay them out (host byte order, x86-64 here:
 * little endian), answers read from hand-built messages, and the source
 * addresses refused without asking.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "rtquery.h"

static struct net_addr addr(const char *text)
{
	struct net_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, a.bytes) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, a.bytes) == 1)
		a.family = AF_INET6;
	return a;
}

static void request_ipv4(void **state)
{
	/*
	 * nlmsghdr: length 36, type 26 (RTM_GETROUTE), flags 1 (REQUEST),
	 * seq 5, pid 0; rtmsg: family 2, dst_len 32, then ten zero bytes;
	 * rtattr: length 8, type 1 (RTA_DST), 192.0.2.7.
	 */
	static const uint8_t want[36] = {
		36, 0, 0, 0, 26, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0,
		2, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		8, 0, 1, 0, 192, 0, 2, 7,
	};
	struct net_addr a = addr("192.0.2.7");
	uint8_t buf[RTQUERY_REQUEST_MAX];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(rtquery_build(&a, 5, buf, sizeof(buf)), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void request_ipv6(void **state)
{
	/* Length 48; family 10, dst_len 128; rtattr length 20. */
	static const uint8_t want[48] = {
		48, 0, 0, 0, 26, 0, 1, 0, 0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0,
		10, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		20, 0, 1, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 2,
	};
	struct net_addr a = addr("2001:db8:1::2");
	uint8_t buf[RTQUERY_REQUEST_MAX];

	(void)state;
	assert_int_equal(rtquery_build(&a, 0x12345678, buf, sizeof(buf)),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void request_refused(void **state)
{
	struct net_addr a = addr("192.0.2.7"), none;
	uint8_t buf[RTQUERY_REQUEST_MAX];

	(void)state;
	memset(&none, 0, sizeof(none));
	assert_int_equal(rtquery_build(&a, 1, buf, 35), 0);
	assert_int_equal(rtquery_build(&none, 1, buf, sizeof(buf)), 0);
}

/* An RTM_NEWROUTE answer (type 24) with seq and rtm_type at byte 23. */
static size_t new_route(uint8_t *buf, uint32_t seq, uint8_t route_type)
{
	memset(buf, 0, 28);
	buf[0] = 28;
	buf[4] = 24;
	memcpy(buf + 8, &seq, 4);
	buf[16] = 2;		/* AF_INET */
	buf[23] = route_type;
	return 28;
}

/* An NLMSG_ERROR (type 2) carrying -err for seq. */
static size_t error_msg(uint8_t *buf, uint32_t seq, int err)
{
	int32_t neg = -err;

	memset(buf, 0, 36);
	buf[0] = 36;
	buf[4] = 2;
	memcpy(buf + 8, &seq, 4);
	memcpy(buf + 16, &neg, 4);
	return 36;
}

static void answers(void **state)
{
	uint8_t buf[128], type = 0;
	size_t n;

	(void)state;
	n = new_route(buf, 9, 2);	/* RTN_LOCAL */
	assert_int_equal(rtquery_parse(buf, n, 9, &type), 0);
	assert_int_equal(type, 2);
	n = new_route(buf, 9, 3);	/* RTN_BROADCAST */
	assert_int_equal(rtquery_parse(buf, n, 9, &type), 0);
	assert_int_equal(type, 3);
	/* An answer to another query is no answer. */
	assert_int_equal(rtquery_parse(buf, n, 10, &type), 74 /* EBADMSG */);
	n = error_msg(buf, 4, 101);	/* ENETUNREACH */
	assert_int_equal(rtquery_parse(buf, n, 4, &type), 101);
	/* An acknowledgement (error 0) is not an answer either. */
	n = error_msg(buf, 4, 0);
	assert_int_equal(rtquery_parse(buf, n, 4, &type), 74);
}

static void answer_after_stale(void **state)
{
	uint8_t buf[128], type = 0;
	size_t n = new_route(buf, 1, 1);

	(void)state;
	/* Two messages in one datagram: the stale one is skipped. */
	n += new_route(buf + n, 2, 2);
	assert_int_equal(rtquery_parse(buf, n, 2, &type), 0);
	assert_int_equal(type, 2);
}

static void answer_malformed(void **state)
{
	uint8_t buf[128], type = 0;
	size_t n = new_route(buf, 3, 2), i;

	(void)state;
	/* Every truncation fails cleanly. */
	for (i = 0; i < n; i++)
		assert_int_equal(rtquery_parse(buf, i, 3, &type), 74);
	/* A length longer than the datagram, or shorter than a header. */
	buf[0] = 200;
	assert_int_equal(rtquery_parse(buf, n, 3, &type), 74);
	buf[0] = 4;
	assert_int_equal(rtquery_parse(buf, n, 3, &type), 74);
	/* A route message too short to hold an rtmsg. */
	buf[0] = 20;
	assert_int_equal(rtquery_parse(buf, n, 3, &type), 74);
}

static void source_shapes(void **state)
{
	struct net_addr t4 = addr("192.0.2.130"), t6 = addr("2001:db8:3::2");
	struct net_addr lo4 = addr("127.0.0.1"), lo6 = addr("::1");
	static const char *const refused4[] = {
		"0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255",
		"127.0.0.1", "127.1.2.3",
	};
	static const char *const refused6[] = { "::", "ff02::1", "ff05::2",
						"::1" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused4) / sizeof(refused4[0]); i++) {
		struct net_addr s = addr(refused4[i]);

		assert_false(rtquery_source_shape_ok(&s, &t4));
	}
	for (i = 0; i < sizeof(refused6) / sizeof(refused6[0]); i++) {
		struct net_addr s = addr(refused6[i]);

		assert_false(rtquery_source_shape_ok(&s, &t6));
	}
	/* Ordinary unicast: the routing table decides. */
	t4 = addr("192.0.2.2");
	assert_true(rtquery_source_shape_ok(&t4, &t4));
	t6 = addr("fe80::1");
	assert_true(rtquery_source_shape_ok(&t6, &t6));
	/* Loopback towards loopback is fine. */
	assert_true(rtquery_source_shape_ok(&lo4, &lo4));
	assert_true(rtquery_source_shape_ok(&lo6, &lo6));
	t4 = addr("127.0.0.9");
	assert_true(rtquery_source_shape_ok(&lo4, &t4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_ipv4),
		cmocka_unit_test(request_ipv6),
		cmocka_unit_test(request_refused),
		cmocka_unit_test(answers),
		cmocka_unit_test(answer_after_stale),
		cmocka_unit_test(answer_malformed),
		cmocka_unit_test(source_shapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

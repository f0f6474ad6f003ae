/*
 * Unit tests for rtquery: RTM_GETROUTE and RTM_GETLINK requests byte for
 * byte as rtnetlink(7) and netlink(7) lay them out (host byte order,
 * x86-64 here: little endian), answers read from hand-built messages, and
 * the source addresses refused without asking.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "linkmsg.h"
#include "rtquery.h"

/* The route request a dont-fragment probe's device MTU starts with. */
static size_t build_oif(const struct net_addr *dst, const struct net_addr *src,
			bool has_mark, uint32_t mark, uint32_t seq, void *buf,
			size_t cap)
{
	struct rtquery_route q = {
		.dst = dst, .src = src, .has_mark = has_mark, .mark = mark,
	};

	return rtquery_build_route(&q, seq, buf, cap);
}

/* A link answer's MTU: EBADMSG (74) when it holds none. */
static int parse_link_mtu(const void *buf, size_t len, uint32_t seq,
			  uint32_t *mtu)
{
	struct link_news news;
	int err = linkmsg_parse_answer(buf, len, seq, &news);

	if (err)
		return err;
	if (!news.has_mtu)
		return 74;
	*mtu = news.mtu;
	return 0;
}

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

static void request_route(void **state)
{
	/*
	 * Length 60; rtmsg: family 2, dst_len 32, src_len 32; then RTA_DST
	 * (1), RTA_SRC (2), RTA_MARK (16) 0x01020304, RTA_OIF (4) 7, each
	 * 8 bytes.
	 */
	static const uint8_t want[60] = {
		60, 0, 0, 0, 26, 0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0,
		2, 32, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		8, 0, 1, 0, 192, 0, 2, 130,
		8, 0, 2, 0, 192, 0, 2, 2,
		8, 0, 16, 0, 4, 3, 2, 1,
		8, 0, 4, 0, 7, 0, 0, 0,
	};
	/* Only the destination, and a source of the other family. */
	static const uint8_t want_dst[36] = {
		36, 0, 0, 0, 26, 0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0,
		2, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		8, 0, 1, 0, 192, 0, 2, 130,
	};
	struct net_addr dst = addr("192.0.2.130"), src = addr("192.0.2.2");
	struct net_addr src6 = addr("2001:db8:1::2");
	struct rtquery_route q = {
		.dst = &dst, .src = &src, .has_mark = true,
		.mark = 0x01020304, .oif = 7,
	};
	uint8_t buf[RTQUERY_REQUEST_MAX];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(rtquery_build_route(&q, 3, buf, sizeof(buf)),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(rtquery_build_route(&q, 3, buf, 59), 0);
	q.src = &src6;
	q.has_mark = false;
	q.oif = 0;
	assert_int_equal(rtquery_build_route(&q, 3, buf, sizeof(buf)),
			 sizeof(want_dst));
	assert_memory_equal(buf, want_dst, sizeof(want_dst));
}

/* new_route() with RTA_TABLE (15) 254 and RTA_OIF (4) oif after it. */
static size_t new_route_oif(uint8_t *buf, uint32_t seq, uint32_t oif)
{
	size_t n = new_route(buf, seq, 1);	/* RTN_UNICAST */
	uint32_t table = 254;

	memset(buf + n, 0, 16);
	buf[n] = 8;
	buf[n + 2] = 15;
	memcpy(buf + n + 4, &table, 4);
	buf[n + 8] = 8;
	buf[n + 10] = 4;
	memcpy(buf + n + 12, &oif, 4);
	buf[0] = (uint8_t)(n + 16);
	return n + 16;
}

static void answer_oif(void **state)
{
	uint8_t buf[128], type = 0;
	uint32_t oif = 99;
	size_t n = new_route_oif(buf, 6, 12), i;

	(void)state;
	assert_int_equal(rtquery_parse_route(buf, n, 6, &type, &oif), 0);
	assert_int_equal(type, 1);
	assert_int_equal(oif, 12);
	/* Without RTA_OIF: 0. */
	n = new_route(buf, 6, 1);
	assert_int_equal(rtquery_parse_route(buf, n, 6, &type, &oif), 0);
	assert_int_equal(oif, 0);
	/* A cut attribute never yields an interface. */
	n = new_route_oif(buf, 6, 12);
	for (i = 1; i < 4; i++) {
		buf[0] = (uint8_t)(n - i);
		oif = 99;
		assert_int_equal(rtquery_parse_route(buf, n - i, 6, &type,
						     &oif), 0);
		assert_int_equal(oif, 0);
	}
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

/* ---- the device and its MTU (dont-fragment) ------------------------------ */

static void request_oif(void **state)
{
	/*
	 * Length 52, RTM_GETROUTE, REQUEST, seq 5; rtmsg: family 2,
	 * dst_len 32, src_len 32; RTA_DST 192.0.2.130, RTA_SRC (2)
	 * 192.0.2.2, RTA_MARK (16) 7.
	 */
	static const uint8_t want4[52] = {
		52, 0, 0, 0, 26, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0,
		2, 32, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		8, 0, 1, 0, 192, 0, 2, 130,
		8, 0, 2, 0, 192, 0, 2, 2,
		8, 0, 16, 0, 7, 0, 0, 0,
	};
	/* No source (unspecified), no mark: the plain route request. */
	static const uint8_t want6[48] = {
		48, 0, 0, 0, 26, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0,
		10, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		20, 0, 1, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 3, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 2,
	};
	struct net_addr d4 = addr("192.0.2.130"), s4 = addr("192.0.2.2");
	struct net_addr d6 = addr("2001:db8:3::2"), any6 = addr("::");
	struct net_addr none;
	uint8_t buf[RTQUERY_REQUEST_MAX];

	(void)state;
	memset(&none, 0, sizeof(none));
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(build_oif(&d4, &s4, true, 7, 5, buf,
					   sizeof(buf)), sizeof(want4));
	assert_memory_equal(buf, want4, sizeof(want4));
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(build_oif(&d6, &any6, false, 0, 6, buf,
					   sizeof(buf)), sizeof(want6));
	assert_memory_equal(buf, want6, sizeof(want6));
	/* A source of the other family is left out too. */
	assert_int_equal(build_oif(&d6, &s4, false, 0, 6, buf,
					   sizeof(buf)), sizeof(want6));
	assert_int_equal(build_oif(&none, &none, false, 0, 1, buf,
					   sizeof(buf)), 0);
	assert_int_equal(build_oif(&d4, &s4, true, 7, 5, buf, 51), 0);
}

static void request_link(void **state)
{
	/*
	 * Length 32, RTM_GETLINK (18), REQUEST, seq 9; ifinfomsg: family
	 * AF_UNSPEC, pad, type 0, index 5, flags 0, change 0.
	 */
	static const uint8_t want[32] = {
		32, 0, 0, 0, 18, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	uint8_t buf[RTQUERY_REQUEST_MAX];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(linkmsg_build_get(5, 9, buf, sizeof(buf)),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(linkmsg_build_get(0, 9, buf, sizeof(buf)), 0);
	assert_int_equal(linkmsg_build_get(5, 9, buf, 31), 0);
}

/* Append an attribute (rtattr: length, type; data; padding to 4). */
static size_t put_attr(uint8_t *buf, size_t at, uint16_t type,
		       const void *data, uint16_t len)
{
	uint16_t rta_len = (uint16_t)(4 + len);

	memcpy(buf + at, &rta_len, 2);
	memcpy(buf + at + 2, &type, 2);
	memcpy(buf + at + 4, data, len);
	memset(buf + at + 4 + len, 0, (4 - rta_len % 4) % 4);
	return at + ((rta_len + 3u) & ~3u);
}

/* Set a message's length (the first four bytes) to n. */
static size_t set_len(uint8_t *buf, size_t n)
{
	uint32_t len = (uint32_t)n;

	memcpy(buf, &len, 4);
	return n;
}

/* An RTM_NEWROUTE for seq: table 254, destination, then RTA_OIF. */
static size_t route_with_oif(uint8_t *buf, uint32_t seq, uint32_t oif)
{
	static const uint8_t dst[4] = { 192, 0, 2, 130 };
	uint32_t table = 254;
	size_t n = new_route(buf, seq, 1);

	n = put_attr(buf, n, 15, &table, 4);	/* RTA_TABLE */
	n = put_attr(buf, n, 1, dst, 4);	/* RTA_DST */
	n = put_attr(buf, n, 4, &oif, 4);	/* RTA_OIF */
	return set_len(buf, n);
}

/* An RTM_NEWLINK (16) for seq: ifinfomsg, name, queue length, MTU. */
static size_t link_with_mtu(uint8_t *buf, uint32_t seq, uint32_t mtu)
{
	uint32_t txqlen = 1000;
	size_t n = 32;

	memset(buf, 0, n);
	buf[4] = 16;
	memcpy(buf + 8, &seq, 4);
	buf[20] = 3;				/* ifi_index */
	n = put_attr(buf, n, 3, "r1-r2", 6);	/* IFLA_IFNAME */
	n = put_attr(buf, n, 13, &txqlen, 4);	/* IFLA_TXQLEN */
	n = put_attr(buf, n, 4, &mtu, 4);	/* IFLA_MTU */
	return set_len(buf, n);
}

static void answer_link_mtu(void **state)
{
	uint8_t buf[256];
	uint32_t mtu = 0;
	size_t n, i;

	(void)state;
	n = link_with_mtu(buf, 11, 1280);
	assert_int_equal(parse_link_mtu(buf, n, 11, &mtu), 0);
	assert_int_equal(mtu, 1280);
	/* After a stale answer in the same datagram. */
	n = link_with_mtu(buf, 10, 9000);
	n += link_with_mtu(buf + n, 11, 65536);
	assert_int_equal(parse_link_mtu(buf, n, 11, &mtu), 0);
	assert_int_equal(mtu, 65536);
	n = link_with_mtu(buf, 11, 1280);
	for (i = 0; i < n; i++)
		assert_int_equal(parse_link_mtu(buf, i, 11, &mtu), 74);
	/* A route answer is not a link answer. */
	n = route_with_oif(buf, 11, 3);
	assert_int_equal(parse_link_mtu(buf, n, 11, &mtu), 74);
	n = error_msg(buf, 11, 19);	/* ENODEV */
	assert_int_equal(parse_link_mtu(buf, n, 11, &mtu), 19);
	/* A zero-length attribute before the MTU stops the walk. */
	n = link_with_mtu(buf, 11, 1280);
	buf[32] = 0;
	buf[33] = 0;
	assert_int_equal(parse_link_mtu(buf, n, 11, &mtu), 74);
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
		cmocka_unit_test(request_route),
		cmocka_unit_test(answer_oif),
		cmocka_unit_test(source_shapes),
		cmocka_unit_test(request_oif),
		cmocka_unit_test(request_link),
		cmocka_unit_test(answer_link_mtu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

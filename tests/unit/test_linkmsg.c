/*
 * Unit tests for linkmsg (link notifications and RTM_GETLINK) and nlwalk,
 * with messages laid out here byte by byte as netlink(7) and rtnetlink(7)
 * describe them (host byte order; x86-64 here: little endian), with the
 * kernel ABI's numbers written out: RTM_NEWLINK 16, RTM_DELLINK 17,
 * RTM_GETLINK 18, RTM_NEWADDR 20, NLMSG_ERROR 2, IFLA_IFNAME 3, IFF_UP
 * 0x1, IFF_RUNNING 0x40.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "linkmsg.h"

#define UP_RUNNING 0x41u	/* IFF_UP | IFF_RUNNING */

static void put32(uint8_t *at, uint32_t v)
{
	memcpy(at, &v, 4);
}

/*
 * A link message at buf: nlmsghdr (16), ifinfomsg (16: family, pad,
 * type u16, index i32, flags u32, change u32), then an IFLA_IFNAME
 * attribute holding name_len bytes of name (padded to 4) unless name is
 * NULL.  Returns its length.
 */
static size_t link_msg(uint8_t *buf, uint16_t type, uint32_t seq,
		       int32_t index, uint32_t flags, const char *name,
		       size_t name_len)
{
	size_t len = 32, attr = 0;

	if (name)
		attr = 4 + name_len;
	len += (attr + 3) & ~(size_t)3;
	memset(buf, 0, len);
	put32(buf, (uint32_t)len);
	memcpy(buf + 4, &type, 2);
	put32(buf + 8, seq);
	memcpy(buf + 20, &index, 4);
	put32(buf + 24, flags);
	if (name) {
		uint16_t alen = (uint16_t)attr, atype = 3;

		memcpy(buf + 32, &alen, 2);
		memcpy(buf + 34, &atype, 2);
		memcpy(buf + 36, name, name_len);
	}
	return len;
}

/* What linkmsg_each reported, in order. */
struct seen {
	unsigned count;
	struct link_news news[4];
};

static void collect(void *ctx, const struct link_news *n)
{
	struct seen *s = ctx;

	if (s->count < 4)
		s->news[s->count] = *n;
	s->count++;
}

static unsigned walk(const uint8_t *buf, size_t len, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return linkmsg_each(buf, len, collect, s);
}

static void link_states(void **state)
{
	/* flags, message type, whether down, whether gone */
	static const struct {
		uint32_t flags;
		uint16_t type;
		bool down, gone;
	} cases[] = {
		{ UP_RUNNING, 16, false, false },
		{ 0x1, 16, true, false },	/* up, no carrier */
		{ 0x40, 16, true, false },	/* running, not up */
		{ 0x0, 16, true, false },
		{ 0x1043, 16, false, false },	/* + broadcast, lower-up */
		{ UP_RUNNING, 17, true, true },	/* removed */
	};
	uint8_t buf[128];
	struct seen s;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = link_msg(buf, cases[i].type, 0, 7, cases[i].flags,
			     "veth-a", 7);
		assert_int_equal(walk(buf, n, &s), 1);
		assert_int_equal(s.news[0].ifindex, 7);
		assert_int_equal(s.news[0].down, cases[i].down);
		assert_int_equal(s.news[0].gone, cases[i].gone);
		assert_string_equal(s.news[0].name, "veth-a");
	}
}

static void several_and_others(void **state)
{
	uint8_t buf[256];
	struct seen s;
	size_t n;

	(void)state;
	n = link_msg(buf, 16, 0, 3, UP_RUNNING, "a", 2);
	/* An address message between them is not about links. */
	n += link_msg(buf + n, 20, 0, 3, 0, NULL, 0);
	n += link_msg(buf + n, 16, 0, 12, 0x1, "b0", 3);
	assert_int_equal(walk(buf, n, &s), 2);
	assert_int_equal(s.news[0].ifindex, 3);
	assert_false(s.news[0].down);
	assert_int_equal(s.news[1].ifindex, 12);
	assert_true(s.news[1].down);
	assert_string_equal(s.news[1].name, "b0");
}

static void names(void **state)
{
	uint8_t buf[128];
	struct seen s;
	size_t n;

	(void)state;
	/* Fifteen characters and the NUL: the longest name there is. */
	n = link_msg(buf, 16, 0, 5, 0, "abcdefghijklmno", 16);
	assert_int_equal(walk(buf, n, &s), 1);
	assert_string_equal(s.news[0].name, "abcdefghijklmno");
	/* No NUL within sixteen bytes, no NUL at all, an empty name, no
	 * name attribute: no name, but the link's state still counts. */
	n = link_msg(buf, 16, 0, 5, 0, "abcdefghijklmnop", 16);
	assert_int_equal(walk(buf, n, &s), 1);
	assert_string_equal(s.news[0].name, "");
	assert_true(s.news[0].down);
	n = link_msg(buf, 16, 0, 5, 0, "abc", 3);
	assert_int_equal(walk(buf, n, &s), 1);
	assert_string_equal(s.news[0].name, "");
	n = link_msg(buf, 16, 0, 5, 0, "", 1);
	assert_int_equal(walk(buf, n, &s), 1);
	assert_string_equal(s.news[0].name, "");
	n = link_msg(buf, 16, 0, 5, 0, NULL, 0);
	assert_int_equal(walk(buf, n, &s), 1);
	assert_string_equal(s.news[0].name, "");
}

static void malformed(void **state)
{
	uint8_t buf[128];
	struct seen s;
	size_t n, i;
	uint16_t bad;

	(void)state;
	n = link_msg(buf, 16, 0, 9, UP_RUNNING, "eth0", 5);
	/* Every truncation: nothing reported. */
	for (i = 0; i < n; i++)
		assert_int_equal(walk(buf, i, &s), 0);
	/* Lengths past the datagram or below a header. */
	put32(buf, 200);
	assert_int_equal(walk(buf, n, &s), 0);
	put32(buf, 8);
	assert_int_equal(walk(buf, n, &s), 0);
	/* A message too short for its ifinfomsg. */
	put32(buf, 24);
	assert_int_equal(walk(buf, n, &s), 0);
	/* Index 0 or negative: no link. */
	n = link_msg(buf, 16, 0, 0, 0, "x", 2);
	assert_int_equal(walk(buf, n, &s), 0);
	n = link_msg(buf, 16, 0, -4, 0, "x", 2);
	assert_int_equal(walk(buf, n, &s), 0);
	/* An attribute shorter than its header or longer than the message:
	 * the state is reported, the name is not made up. */
	n = link_msg(buf, 16, 0, 9, 0x1, "eth0", 5);
	bad = 2;
	memcpy(buf + 32, &bad, 2);
	assert_int_equal(walk(buf, n, &s), 1);
	assert_string_equal(s.news[0].name, "");
	assert_true(s.news[0].down);
	bad = 60;
	memcpy(buf + 32, &bad, 2);
	assert_int_equal(walk(buf, n, &s), 1);
	assert_string_equal(s.news[0].name, "");
}

static void request_get(void **state)
{
	/*
	 * nlmsghdr: length 32, type 18 (RTM_GETLINK), flags 1 (REQUEST),
	 * seq 0x01020304, pid 0; ifinfomsg: family 0, pad, type 0,
	 * index 42, flags 0, change 0.
	 */
	static const uint8_t want[32] = {
		32, 0, 0, 0, 18, 0, 1, 0, 4, 3, 2, 1, 0, 0, 0, 0,
		0, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	uint8_t buf[LINKMSG_REQUEST_MAX];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(linkmsg_build_get(42, 0x01020304, buf, sizeof(buf)),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(linkmsg_build_get(42, 1, buf, 31), 0);
}

/* An NLMSG_ERROR (type 2) carrying -err for seq. */
static size_t error_msg(uint8_t *buf, uint32_t seq, int err)
{
	int32_t neg = -err;

	memset(buf, 0, 36);
	buf[0] = 36;
	buf[4] = 2;
	put32(buf + 8, seq);
	memcpy(buf + 16, &neg, 4);
	return 36;
}

static void answers(void **state)
{
	uint8_t buf[256];
	struct link_news news;
	size_t n;

	(void)state;
	n = link_msg(buf, 16, 77, 4, 0x1, "hst-r1", 7);
	assert_int_equal(linkmsg_parse_answer(buf, n, 77, &news), 0);
	assert_int_equal(news.ifindex, 4);
	assert_true(news.down);
	assert_false(news.gone);
	assert_string_equal(news.name, "hst-r1");
	/* Another query's answer, then ours in the same datagram. */
	assert_int_equal(linkmsg_parse_answer(buf, n, 78, &news), 74);
	n += link_msg(buf + n, 16, 78, 5, UP_RUNNING, "lo", 3);
	assert_int_equal(linkmsg_parse_answer(buf, n, 78, &news), 0);
	assert_int_equal(news.ifindex, 5);
	assert_false(news.down);
	/* No such link: ENODEV (19); an acknowledgement is no answer. */
	n = error_msg(buf, 9, 19);
	assert_int_equal(linkmsg_parse_answer(buf, n, 9, &news), 19);
	n = error_msg(buf, 9, 0);
	assert_int_equal(linkmsg_parse_answer(buf, n, 9, &news), 74);
	/* Error numbers beyond the kernel's 4095, or positive: no answer. */
	n = error_msg(buf, 9, 4096);
	assert_int_equal(linkmsg_parse_answer(buf, n, 9, &news), 74);
	n = error_msg(buf, 9, -3);
	assert_int_equal(linkmsg_parse_answer(buf, n, 9, &news), 74);
	n = error_msg(buf, 9, 4095);
	assert_int_equal(linkmsg_parse_answer(buf, n, 9, &news), 4095);
	/* A link message that is a notification, not RTM_NEWLINK, or cut. */
	n = link_msg(buf, 17, 9, 5, UP_RUNNING, "lo", 3);
	assert_int_equal(linkmsg_parse_answer(buf, n, 9, &news), 74);
	n = link_msg(buf, 16, 9, 5, UP_RUNNING, "lo", 3);
	assert_int_equal(linkmsg_parse_answer(buf, n - 1, 9, &news), 74);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_states),
		cmocka_unit_test(several_and_others),
		cmocka_unit_test(names),
		cmocka_unit_test(malformed),
		cmocka_unit_test(request_get),
		cmocka_unit_test(answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

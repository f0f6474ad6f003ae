/*
 * test_compare.c: --compare's items (src/compare.c).
 *
 * Every expected part, label and message is written by hand from the
 * syntax in hoptrace(1) (--compare): PROTO[:PORT][/FAM] or FAM, PROTO one
 * of icmp, udp, tcp, sctp, PORT 1-65535 and not with icmp, FAM 4 or 6,
 * 2 to 8 items, none twice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "compare.h"

struct item_case {
	const char *text;
	const char *error;	/* NULL: accepted */
	int has_protocol;
	int protocol;
	int port;
	int family;
	const char *label;
};

#define WANT "want PROTO[:PORT][/FAM] (PROTO icmp, udp, tcp or sctp) or " \
	     "4 or 6"
#define BAD_PORT "the port after ':' must be a number from 1 to 65535"
#define BAD_FAM "the family after '/' must be 4 or 6"

static const struct item_case item_cases[] = {
	{ "icmp", NULL, 1, HP_ICMP, 0, 0, "icmp" },
	{ "udp", NULL, 1, HP_UDP, 0, 0, "udp" },
	{ "tcp", NULL, 1, HP_TCP, 0, 0, "tcp" },
	{ "sctp", NULL, 1, HP_SCTP, 0, 0, "sctp" },
	{ "udp:53", NULL, 1, HP_UDP, 53, 0, "udp:53" },
	{ "tcp:443/6", NULL, 1, HP_TCP, 443, AF_INET6, "tcp:443/6" },
	{ "sctp:65535/4", NULL, 1, HP_SCTP, 65535, AF_INET, "sctp:65535/4" },
	{ "tcp:1", NULL, 1, HP_TCP, 1, 0, "tcp:1" },
	{ "icmp/6", NULL, 1, HP_ICMP, 0, AF_INET6, "icmp/6" },
	{ "4", NULL, 0, 0, 0, AF_INET, "4" },
	{ "6", NULL, 0, 0, 0, AF_INET6, "6" },
	/* Errors. */
	{ "", "an empty item", 0, 0, 0, 0, NULL },
	{ "icmp:1", "icmp has no port", 0, 0, 0, 0, NULL },
	{ "icmp:1/4", "icmp has no port", 0, 0, 0, 0, NULL },
	{ "udp:0", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:65536", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:99999", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:123456", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:053", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:5x", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:-1", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:+1", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp: 53", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:53:54", BAD_PORT, 0, 0, 0, 0, NULL },
	{ "udp:53/", BAD_FAM, 0, 0, 0, 0, NULL },
	{ "tcp/", BAD_FAM, 0, 0, 0, 0, NULL },
	{ "tcp/46", BAD_FAM, 0, 0, 0, 0, NULL },
	{ "tcp/5", BAD_FAM, 0, 0, 0, 0, NULL },
	{ "tcp/4/6", BAD_FAM, 0, 0, 0, 0, NULL },
	{ "TCP", WANT, 0, 0, 0, 0, NULL },
	{ "icmp6", WANT, 0, 0, 0, 0, NULL },
	{ "udplite", WANT, 0, 0, 0, 0, NULL },
	{ "4/6", WANT, 0, 0, 0, 0, NULL },
	{ ":53", WANT, 0, 0, 0, 0, NULL },
	{ "/6", WANT, 0, 0, 0, 0, NULL },
	{ "46", WANT, 0, 0, 0, 0, NULL },
	{ " icmp", WANT, 0, 0, 0, 0, NULL },
};

static void test_items(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(item_cases) / sizeof(item_cases[0]); i++) {
		const struct item_case *c = &item_cases[i];
		struct ht_compare_item it, back;
		char err[160] = "";
		int rc = ht_compare_item_parse(c->text, strlen(c->text), &it,
					       err, sizeof(err));

		if (c->error) {
			if (rc != -1)
				fail_msg("'%s': accepted, expected '%s'",
					 c->text, c->error);
			if (strcmp(err, c->error) != 0)
				fail_msg("'%s':\n got      '%s'\n expected '%s'",
					 c->text, err, c->error);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s': unexpected error: %s", c->text, err);
		assert_int_equal(it.has_protocol, c->has_protocol);
		if (c->has_protocol)
			assert_int_equal((int)it.protocol, c->protocol);
		assert_int_equal(it.port, c->port);
		assert_int_equal(it.family, c->family);
		assert_string_equal(it.label, c->label);
		/* A label parses back to the same item. */
		assert_int_equal(ht_compare_item_parse(it.label,
						       strlen(it.label), &back,
						       err, sizeof(err)), 0);
		assert_string_equal(back.label, it.label);
		assert_int_equal(back.port, it.port);
		assert_int_equal(back.family, it.family);
	}
}

/* Only the N bytes given are read: "udp:53" cut to "udp". */
static void test_item_length(void **state)
{
	struct ht_compare_item it;
	char err[64];

	(void)state;
	assert_int_equal(ht_compare_item_parse("udp:53", 3, &it, err,
					       sizeof(err)), 0);
	assert_string_equal(it.label, "udp");
	assert_int_equal(it.port, 0);
}

struct list_case {
	const char *list;
	const char *error;	/* NULL: accepted */
	unsigned count;
	const char *labels[8];
};

static const struct list_case list_cases[] = {
	{ "icmp,udp:53,tcp:443", NULL, 3, { "icmp", "udp:53", "tcp:443" } },
	{ "4,6", NULL, 2, { "4", "6" } },
	{ "icmp/4,icmp/6,tcp:443/6", NULL, 3,
	  { "icmp/4", "icmp/6", "tcp:443/6" } },
	{ "icmp,udp,tcp,sctp,udp:53,tcp:443,4,6", NULL, 8,
	  { "icmp", "udp", "tcp", "sctp", "udp:53", "tcp:443", "4", "6" } },
	/* Not the same text: not the same item here (the defaults may
	 * still make them alike, which options.c checks). */
	{ "udp,udp:33434", NULL, 2, { "udp", "udp:33434" } },
	{ "icmp", "one item: give 2 to 8, separated by commas (icmp,udp:53)",
	  0, { NULL } },
	{ "", "item 1 is empty", 0, { NULL } },
	{ ",", "item 1 is empty", 0, { NULL } },
	{ "icmp,", "item 2 is empty", 0, { NULL } },
	{ "icmp,,udp", "item 2 is empty", 0, { NULL } },
	{ "icmp,udp,tcp,sctp,udp:53,tcp:443,4,6,sctp:80",
	  "more than 8 items", 0, { NULL } },
	{ "icmp,udp,icmp", "item 'icmp' is given twice", 0, { NULL } },
	{ "4,6,4", "item '4' is given twice", 0, { NULL } },
	{ "icmp,udp:x", "item 'udp:x': " BAD_PORT, 0, { NULL } },
	{ "icmp,gre", "item 'gre': " WANT, 0, { NULL } },
	/* A control byte is shown as '?'; a long item is cut. */
	{ "icmp,ud\033p", "item 'ud?p': " WANT, 0, { NULL } },
	{ "icmp,udpudpudpudpudpudpudpudpudp",
	  "item 'udpudpudpudpudpudpudpudp...': " WANT, 0, { NULL } },
};

static void test_lists(void **state)
{
	size_t i;
	unsigned k;

	(void)state;
	for (i = 0; i < sizeof(list_cases) / sizeof(list_cases[0]); i++) {
		const struct list_case *c = &list_cases[i];
		struct ht_compare_item items[HT_COMPARE_MAX];
		unsigned count = 99;
		char err[200] = "";
		int rc = ht_compare_parse(c->list, items, &count, err,
					  sizeof(err));

		if (c->error) {
			if (rc != -1)
				fail_msg("'%s': accepted", c->list);
			if (strcmp(err, c->error) != 0)
				fail_msg("'%s':\n got      '%s'\n expected '%s'",
					 c->list, err, c->error);
			assert_int_equal(count, 0);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s': unexpected error: %s", c->list, err);
		assert_int_equal(count, c->count);
		for (k = 0; k < count; k++)
			assert_string_equal(items[k].label, c->labels[k]);
	}
}

/* The defaults fill in what an item leaves out; its own parts win. */
static void test_effective(void **state)
{
	struct ht_compare_item it;
	struct ht_compare_probe p;
	char err[64];

	(void)state;
	assert_int_equal(ht_compare_item_parse("4", 1, &it, err,
					       sizeof(err)), 0);
	ht_compare_effective(&it, HP_TCP, 8443, AF_INET6, &p);
	assert_int_equal(p.protocol, HP_TCP);
	assert_int_equal(p.port, 8443);
	assert_int_equal(p.family, AF_INET);	/* its own */

	assert_int_equal(ht_compare_item_parse("udp:53", 6, &it, err,
					       sizeof(err)), 0);
	ht_compare_effective(&it, HP_TCP, 8443, AF_INET6, &p);
	assert_int_equal(p.protocol, HP_UDP);
	assert_int_equal(p.port, 53);
	assert_int_equal(p.family, AF_INET6);	/* the default */

	assert_int_equal(ht_compare_item_parse("udp", 3, &it, err,
					       sizeof(err)), 0);
	ht_compare_effective(&it, HP_ICMP, 0, 0, &p);
	assert_int_equal(p.protocol, HP_UDP);
	assert_int_equal(p.port, 0);		/* the protocol's default */
	assert_int_equal(p.family, 0);

	/* icmp has no port, whatever -p says. */
	assert_int_equal(ht_compare_item_parse("icmp", 4, &it, err,
					       sizeof(err)), 0);
	ht_compare_effective(&it, HP_TCP, 443, 0, &p);
	assert_int_equal(p.protocol, HP_ICMP);
	assert_int_equal(p.port, 0);
	/* A family item with icmp the default: no port either. */
	assert_int_equal(ht_compare_item_parse("6", 1, &it, err,
					       sizeof(err)), 0);
	ht_compare_effective(&it, HP_ICMP, 443, AF_INET, &p);
	assert_int_equal(p.protocol, HP_ICMP);
	assert_int_equal(p.port, 0);
	assert_int_equal(p.family, AF_INET6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_item_length),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_effective),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

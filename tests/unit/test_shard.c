/*
 * test_shard.c: --shard's order and slices, prefixes as targets, and the
 * parsers of --shard, --shard-from and --seed (src/shard.c).
 *
 * The SipHash values are the paper's (Aumasson and Bernstein, "SipHash:
 * a fast short-input PRF", appendix A: key 00..0f, message 00..0e) and
 * the reference implementation's published list (the empty message and
 * 00..07 under the same key).  The hand-checked order below was worked
 * out with tests/unit/shard_check.py's own SipHash, written from the
 * paper, not with this code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "options.h"
#include "shard.h"
#include "target_plan.h"

static void test_siphash_vectors(void **state)
{
	unsigned char key[16], msg[15];
	unsigned i;

	(void)state;
	for (i = 0; i < 16; i++)
		key[i] = (unsigned char)i;
	for (i = 0; i < 15; i++)
		msg[i] = (unsigned char)i;
	assert_true(ht_siphash24(key, msg, 15) == UINT64_C(0xa129ca6149be45e5));
	assert_true(ht_siphash24(key, msg, 0) == UINT64_C(0x726fdb47dd0e0e31));
	assert_true(ht_siphash24(key, msg, 8) == UINT64_C(0x93f5f5799a932462));
}

static void test_key(void **state)
{
	static const unsigned char want[16] = {
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
		'h', 'o', 'p', 't', 'r', 'a', 'c', 'e'
	};
	unsigned char key[16];

	(void)state;
	ht_shard_key(UINT64_C(0x0102030405060708), key);
	assert_memory_equal(key, want, 16);
}

/* Five targets, one of them twice: the tie goes by position. */
static const char *const tiny[] = { "192.0.2.1", "192.0.2.2", "gw.example",
				    "198.51.100.7", "192.0.2.1" };

static void test_order_by_hand(void **state)
{
	static const unsigned seed1[] = { 3, 2, 0, 4, 1 };
	static const unsigned seed2[] = { 0, 4, 1, 2, 3 };
	static const unsigned seed0[] = { 0, 4, 3, 1, 2 };
	unsigned order[5], from, to;

	(void)state;
	assert_int_equal(ht_shard_order(tiny, 5, 1, order), 0);
	assert_memory_equal(order, seed1, sizeof(seed1));
	assert_int_equal(ht_shard_order(tiny, 5, 2, order), 0);
	assert_memory_equal(order, seed2, sizeof(seed2));
	assert_int_equal(ht_shard_order(tiny, 5, 0, order), 0);
	assert_memory_equal(order, seed0, sizeof(seed0));
	/* Shard 1 of 2 over 5: positions [2, 5). */
	ht_shard_slice(5, 1, 2, &from, &to);
	assert_int_equal(from, 2);
	assert_int_equal(to, 5);
	ht_shard_slice(5, 0, 2, &from, &to);
	assert_int_equal(from, 0);
	assert_int_equal(to, 2);
	/* More shards than targets: some are empty. */
	ht_shard_slice(2, 0, 4, &from, &to);
	assert_int_equal(to - from, 0);
	ht_shard_slice(2, 3, 4, &from, &to);
	assert_int_equal(from, 1);
	assert_int_equal(to, 2);
	ht_shard_slice(0, 0, 1, &from, &to);
	assert_int_equal(to - from, 0);
}

#define LIST 37

static void test_split(void **state)
{
	static const uint64_t seeds[] = { 1, UINT64_C(18446744073709551615) };
	char names[LIST][32];
	const char *texts[LIST];
	unsigned order[LIST], again[LIST], seen[LIST];
	unsigned s, count, i, k;

	(void)state;
	for (i = 0; i < LIST; i++) {
		snprintf(names[i], sizeof(names[i]), "host%u.example", i);
		texts[i] = names[i];
	}
	for (s = 0; s < 2; s++) {
		assert_int_equal(ht_shard_order(texts, LIST, seeds[s], order),
				 0);
		assert_int_equal(ht_shard_order(texts, LIST, seeds[s], again),
				 0);
		assert_memory_equal(order, again, sizeof(order));
		for (count = 1; count <= 8; count++) {
			unsigned next = 0;

			memset(seen, 0, sizeof(seen));
			for (i = 0; i < count; i++) {
				unsigned from, to;

				ht_shard_slice(LIST, i, count, &from, &to);
				/* Contiguous, in shard order. */
				assert_int_equal(from, next);
				next = to;
				for (k = from; k < to; k++)
					seen[order[k]]++;
			}
			assert_int_equal(next, LIST);
			/* Every target in exactly one shard. */
			for (i = 0; i < LIST; i++)
				assert_int_equal(seen[i], 1);
		}
	}
	/* Two seeds, two orders. */
	assert_int_equal(ht_shard_order(texts, LIST, 1, order), 0);
	assert_int_equal(ht_shard_order(texts, LIST, 2, again), 0);
	assert_memory_not_equal(order, again, sizeof(order));
}

struct prefix_case {
	const char *text;
	int rc;
	unsigned count;
	const char *first, *last;
	const char *error;	/* a part of the message */
};

static const struct prefix_case prefix_cases[] = {
	{ "192.0.2.7", 0, 0, NULL, NULL, NULL },
	{ "192.0.2.7/32", 1, 1, "192.0.2.7", "192.0.2.7", NULL },
	{ "192.0.2.6/31", 1, 2, "192.0.2.6", "192.0.2.7", NULL },
	{ "192.0.2.4/30", 1, 4, "192.0.2.4", "192.0.2.7", NULL },
	{ "203.0.113.0/24", 1, 256, "203.0.113.0", "203.0.113.255", NULL },
	{ "198.51.100.0/16", -1, 0, NULL, NULL, "host part is not zero" },
	{ "2001:db8::1/128", 1, 1, "2001:db8::1", "2001:db8::1", NULL },
	{ "2001:db8::4/126", 1, 4, "2001:db8::4", "2001:db8::7", NULL },
	{ "2001:db8::/112", 1, 65536, "2001:db8::", "2001:db8::ffff", NULL },
	{ "2001:db8::ff00/120", 1, 256, "2001:db8::ff00", "2001:db8::ffff",
	  NULL },
	{ "2001:db8::/111", -1, 0, NULL, NULL, "more than 65536" },
	{ "198.51.100.0/15", -1, 0, NULL, NULL, "at most a /16" },
	{ "203.0.113.5/24", -1, 0, NULL, NULL,
	  "not zero (the prefix is 203.0.113.0/24)" },
	{ "2001:db8::1/120", -1, 0, NULL, NULL,
	  "(the prefix is 2001:db8::/120)" },
	{ "192.0.2.0/33", -1, 0, NULL, NULL, "from 0 to 32" },
	{ "2001:db8::/129", -1, 0, NULL, NULL, "from 0 to 128" },
	{ "192.0.2.0/", -1, 0, NULL, NULL, "prefix length" },
	{ "192.0.2.0/+8", -1, 0, NULL, NULL, "prefix length" },
	{ "192.0.2.0/24/", -1, 0, NULL, NULL, "prefix length" },
	{ "/24", -1, 0, NULL, NULL, "not a prefix" },
	{ "gw.example/24", -1, 0, NULL, NULL, "not an IPv4 address" },
	{ "192.0.2/24", -1, 0, NULL, NULL, "not an IPv4 address" },
	{ "2001:db8::g/120", -1, 0, NULL, NULL, "not an IPv6 address" },
};

static void test_prefixes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(prefix_cases) / sizeof(prefix_cases[0]); i++) {
		const struct prefix_case *c = &prefix_cases[i];
		struct ht_prefix p;
		char err[200] = "", text[64];
		int rc = ht_prefix_parse(c->text, &p, err, sizeof(err));

		print_message("%s: %d %s\n", c->text, rc, err);
		assert_int_equal(rc, c->rc);
		if (c->error)
			assert_non_null(strstr(err, c->error));
		if (rc != 1)
			continue;
		assert_int_equal(p.count, c->count);
		ht_prefix_address(&p, 0, text, sizeof(text));
		assert_string_equal(text, c->first);
		ht_prefix_address(&p, p.count - 1, text, sizeof(text));
		assert_string_equal(text, c->last);
	}
}

/* Address order across a byte: .255 then the next /24's .0. */
static void test_prefix_order(void **state)
{
	struct ht_prefix p;
	char text[64];

	(void)state;
	assert_int_equal(ht_prefix_parse("2001:db8::/118", &p, NULL, 0), 1);
	ht_prefix_address(&p, 255, text, sizeof(text));
	assert_string_equal(text, "2001:db8::ff");
	ht_prefix_address(&p, 256, text, sizeof(text));
	assert_string_equal(text, "2001:db8::100");
	ht_prefix_address(&p, 1023, text, sizeof(text));
	assert_string_equal(text, "2001:db8::3ff");
}

static void test_spec_parse(void **state)
{
	static const struct {
		const char *text;
		int rc;
		unsigned index, count;
		const char *error;
	} cases[] = {
		{ "0/1", 0, 0, 1, NULL },
		{ "3/4", 0, 3, 4, NULL },
		{ "65535/65536", 0, 65535, 65536, NULL },
		{ "4/4", -1, 0, 0, "index is not a number from 0 to 3" },
		{ "0/0", -1, 0, 0, "from 1 to 65536" },
		{ "0/65537", -1, 0, 0, "from 1 to 65536" },
		{ "-1/4", -1, 0, 0, "from 0 to 3" },
		{ "+1/4", -1, 0, 0, "from 0 to 3" },
		{ "1/4x", -1, 0, 0, "from 1 to 65536" },
		{ "1", -1, 0, 0, "is not I/N" },
		{ "/4", -1, 0, 0, "from 0 to 3" },
		{ "0x1/4", -1, 0, 0, "from 0 to 3" },
		{ "99999999999999999999/4", -1, 0, 0, "from 0 to 3" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned index = 99, count = 99;
		char err[200] = "";
		int rc = ht_shard_spec_parse(cases[i].text, &index, &count, err,
					     sizeof(err));

		print_message("%s: %d %s\n", cases[i].text, rc, err);
		assert_int_equal(rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(index, cases[i].index);
			assert_int_equal(count, cases[i].count);
		} else {
			assert_non_null(strstr(err, cases[i].error));
		}
	}
}

static void test_from_parse(void **state)
{
	unsigned count = 0, index = 0;
	size_t n = 0;
	char err[200];

	(void)state;
	assert_int_equal(ht_shard_from_parse("JOB_COMPLETION_INDEX/8", &n,
					     &count, err, sizeof(err)), 0);
	assert_int_equal(n, strlen("JOB_COMPLETION_INDEX"));
	assert_int_equal(count, 8);
	assert_int_equal(ht_shard_from_parse("_x1/1", &n, &count, err,
					     sizeof(err)), 0);
	assert_int_equal(ht_shard_from_parse("1X/4", &n, &count, err,
					     sizeof(err)), -1);
	assert_non_null(strstr(err, "not an environment variable's name"));
	assert_int_equal(ht_shard_from_parse("A-B/4", &n, &count, err,
					     sizeof(err)), -1);
	assert_int_equal(ht_shard_from_parse("/4", &n, &count, err,
					     sizeof(err)), -1);
	assert_int_equal(ht_shard_from_parse("NODE", &n, &count, err,
					     sizeof(err)), -1);
	assert_non_null(strstr(err, "NAME/N"));
	assert_int_equal(ht_shard_from_parse("NODE/0", &n, &count, err,
					     sizeof(err)), -1);

	/* The variable's value. */
	assert_int_equal(ht_shard_index_parse("PSSH_NODENUM", "7", 8, &index,
					      err, sizeof(err)), 0);
	assert_int_equal(index, 7);
	assert_int_equal(ht_shard_index_parse("PSSH_NODENUM", "0", 1, &index,
					      err, sizeof(err)), 0);
	assert_int_equal(index, 0);
	assert_int_equal(ht_shard_index_parse("PSSH_NODENUM", NULL, 8, &index,
					      err, sizeof(err)), -1);
	assert_non_null(strstr(err, "PSSH_NODENUM is not set"));
	assert_int_equal(ht_shard_index_parse("PSSH_NODENUM", "8", 8, &index,
					      err, sizeof(err)), -1);
	assert_non_null(strstr(err, "PSSH_NODENUM is '8'"));
	assert_int_equal(ht_shard_index_parse("N", "", 8, &index, err,
					      sizeof(err)), -1);
	assert_int_equal(ht_shard_index_parse("N", " 1", 8, &index, err,
					      sizeof(err)), -1);
	assert_int_equal(ht_shard_index_parse("N", "1\n", 8, &index, err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "'1?'"));
	assert_int_equal(ht_shard_index_parse("N", "abc", 8, &index, err,
					      sizeof(err)), -1);
}

static void test_seed_parse(void **state)
{
	uint64_t seed = 1;
	char err[200];

	(void)state;
	assert_int_equal(ht_seed_parse("0", &seed, err, sizeof(err)), 0);
	assert_true(seed == 0);
	assert_int_equal(ht_seed_parse("18446744073709551615", &seed, err,
				       sizeof(err)), 0);
	assert_true(seed == UINT64_C(18446744073709551615));
	assert_int_equal(ht_seed_parse("18446744073709551616", &seed, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "from 0 to 18446744073709551615"));
	assert_int_equal(ht_seed_parse("-1", &seed, err, sizeof(err)), -1);
	assert_int_equal(ht_seed_parse("", &seed, err, sizeof(err)), -1);
	assert_int_equal(ht_seed_parse("1e3", &seed, err, sizeof(err)), -1);
	assert_int_equal(ht_seed_parse("0x10", &seed, err, sizeof(err)), -1);
}

/* hoptrace ARGS, parsed and planned with SHARD_ENV; the plan's status. */
static int plan(const char *const *args, const char *shard_env,
		struct ht_config *cfg, char *err, size_t errlen)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"hoptrace";
	while (*args && argc < 15)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	assert_int_equal(ht_options_parse(argc, argv, cfg, err, errlen), 0);
	return ht_target_plan(cfg, shard_env, err, errlen);
}

static void test_plan(void **state)
{
	static const char *const mixed[] = { "gw.example", "192.0.2.4/30",
					     "[2001:db8::1]:443", NULL };
	static const char *const want[] = { "gw.example", "192.0.2.4",
					    "192.0.2.5", "192.0.2.6",
					    "192.0.2.7", "[2001:db8::1]:443" };
	/* Seed 1 orders tiny[] 3 2 0 4 1 (test_order_by_hand): shard 1/2
	 * is positions 2..4, the targets 0, 4 and 1. */
	static const char *const sharded[] = { "--shard-from", "NODE/2",
					       "--seed", "1", "192.0.2.1",
					       "192.0.2.2", "gw.example",
					       "198.51.100.7", "192.0.2.1:80",
					       NULL };
	static const char *const empty[] = { "--shard", "0/4", "--seed", "9",
					     "192.0.2.1", NULL };
	static const char *const wrong_family[] = { "-4", "2001:db8::/126",
						    NULL };
	struct ht_config cfg;
	char err[256], text[300];
	unsigned i;

	(void)state;
	assert_int_equal(plan(mixed, NULL, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.target_count, 6);
	for (i = 0; i < 6; i++) {
		ht_target_text(&cfg.targets[i], text, sizeof(text));
		assert_string_equal(text, want[i]);
	}
	ht_options_free(&cfg);

	/* The tie is by position, whatever the port: "192.0.2.1" twice. */
	assert_int_equal(plan(sharded, "1", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.target_count, 3);
	assert_int_equal(cfg.shard_index, 1);
	assert_string_equal(cfg.targets[0].host, "192.0.2.1");
	assert_int_equal(cfg.targets[0].port, 0);
	assert_string_equal(cfg.targets[1].host, "192.0.2.1");
	assert_int_equal(cfg.targets[1].port, 80);
	assert_string_equal(cfg.targets[2].host, "192.0.2.2");
	ht_options_free(&cfg);
	assert_int_equal(plan(sharded, NULL, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NODE is not set"));
	ht_options_free(&cfg);
	assert_int_equal(plan(sharded, "2", &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NODE is '2'"));
	ht_options_free(&cfg);

	/* More shards than targets: 0 of 4 over one target is [0, 0), empty,
	 * and that is fine (3 of 4 has it). */
	assert_int_equal(plan(empty, NULL, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.target_count, 0);
	ht_options_free(&cfg);

	assert_int_equal(plan(wrong_family, NULL, &cfg, err, sizeof(err)), -1);
	assert_string_equal(err, "target '2001:db8::/126' is an IPv6 prefix, "
			    "but -4/--ipv4 was given");
	ht_options_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_order_by_hand),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_prefix_order),
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_from_parse),
		cmocka_unit_test(test_seed_parse),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

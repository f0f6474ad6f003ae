/*
 * test_diff_options.c: the command line of `hoptrace diff`
 * (src/diff_options.c).  Expected values and messages are written by
 * hand from hoptrace(1)'s description of the subcommand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "diff_options.h"

#define MAX_ARGS 8

struct args {
	const char *v[MAX_ARGS];
};

#define A(...) { { "diff", __VA_ARGS__, NULL } }

static int parse(const struct args *a, struct ht_diff_config *cfg, char *err,
		 size_t errlen, char **argv)
{
	int argc = 0;

	while (argc < MAX_ARGS && a->v[argc]) {
		argv[argc] = strdup(a->v[argc]);
		argc++;
	}
	argv[argc] = NULL;
	memset(cfg, 0xa5, sizeof(*cfg));
	return ht_diff_options_parse(argc, argv, cfg, err, errlen);
}

static void free_args(char **argv)
{
	int i;

	for (i = 0; argv[i]; i++)
		free(argv[i]);
}

struct ok_case {
	struct args args;
	int json;
	enum ht_rtt_band band;
	const char *a, *b;
	int help;
};

static const struct ok_case ok_cases[] = {
	{ A("a.jsonl", "b.jsonl"), 0, HT_BAND_DECADE, "a.jsonl", "b.jsonl", 0 },
	{ A("-j", "a.jsonl", "b.jsonl"), 1, HT_BAND_DECADE, "a.jsonl",
	  "b.jsonl", 0 },
	{ A("a.jsonl", "--json", "b.jsonl"), 1, HT_BAND_DECADE, "a.jsonl",
	  "b.jsonl", 0 },
	{ A("--rtt-band", "factor2", "a", "b"), 0, HT_BAND_FACTOR2, "a", "b",
	  0 },
	{ A("--rtt-band=off", "a", "b"), 0, HT_BAND_OFF, "a", "b", 0 },
	{ A("--rtt-band", "decade", "a", "b", "-j"), 1, HT_BAND_DECADE, "a",
	  "b", 0 },
	{ A("-", "b"), 0, HT_BAND_DECADE, "-", "b", 0 },
	{ A("--", "-j", "b"), 0, HT_BAND_DECADE, "-j", "b", 0 },
	{ A("-h"), 0, HT_BAND_DECADE, NULL, NULL, 1 },
	{ A("a", "--help", "--bogus"), 0, HT_BAND_DECADE, NULL, NULL, 1 },
};

static void test_ok(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct ht_diff_config cfg;
		char err[200], *argv[MAX_ARGS + 1];

		if (parse(&c->args, &cfg, err, sizeof(err), argv) != 0)
			fail_msg("row %zu: refused: %s", i, err);
		assert_int_equal(cfg.help, c->help);
		if (!c->help) {
			assert_int_equal(cfg.json, c->json);
			assert_int_equal(cfg.band, c->band);
			assert_string_equal(cfg.a, c->a);
			assert_string_equal(cfg.b, c->b);
		}
		free_args(argv);
	}
}

struct error_case {
	struct args args;
	const char *message;
};

static const struct error_case error_cases[] = {
	{ { { "diff", NULL } },
	  "two recordings wanted (A.jsonl B.jsonl), 0 given" },
	{ A("a.jsonl"), "two recordings wanted (A.jsonl B.jsonl), 1 given" },
	{ A("a", "b", "c"), "more than two recordings ('c')" },
	{ A("a", "b", "--", "c"), "more than two recordings ('c')" },
	{ A("--rtt-band", "2", "a", "b"),
	  "option --rtt-band: '2' is not decade, factor2 or off" },
	{ A("a", "b", "--rtt-band"), "option --rtt-band needs a value" },
	{ A("--frobnicate", "a", "b"), "unknown option '--frobnicate'" },
	{ A("-x", "a", "b"), "unknown option '-x'" },
	{ A("-", "-"), "only one recording can be standard input ('-')" },
	{ A("", "b"), "empty file name" },
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *c = &error_cases[i];
		struct ht_diff_config cfg;
		char err[200], *argv[MAX_ARGS + 1];

		if (parse(&c->args, &cfg, err, sizeof(err), argv) != -1)
			fail_msg("row %zu: accepted", i);
		if (strcmp(err, c->message) != 0)
			fail_msg("row %zu:\n got      '%s'\n expected '%s'", i,
				 err, c->message);
		free_args(argv);
	}
}

static void test_usage(void **state)
{
	static const char *const needles[] = {
		"hoptrace diff [OPTION]... A.jsonl B.jsonl", "-j, --json",
		"--rtt-band MODE", "decade", "factor2", "off", "-h, --help",
		"0 no differences", "1 some", "2 usage error",
	};
	const char *p, *line;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (!strstr(ht_diff_usage_text, needles[i]))
			fail_msg("diff --help lacks '%s'", needles[i]);
	for (line = p = ht_diff_usage_text; *p; p++)
		if (*p == '\n') {
			if (p - line > 79)
				fail_msg("line too long: %.*s", (int)(p - line),
					 line);
			line = p + 1;
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

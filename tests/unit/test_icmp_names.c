/*
 * Unit tests for the names and marks of ICMP types and codes
 * (src/icmp_names.c).  The expected names are the RFCs' (RFC 792, RFC
 * 1812 section 5.2.7.1, RFC 4443), the marks traceroute's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "icmp_names.h"

struct code_case {
	int family;
	unsigned type, code;
	const char *name;	/* NULL: none */
	const char *mark;	/* NULL: none */
};

static const struct code_case cases[] = {
	{ AF_INET, 3, 0, "network unreachable", "!N" },
	{ AF_INET, 3, 1, "host unreachable", "!H" },
	{ AF_INET, 3, 2, "protocol unreachable", "!P" },
	{ AF_INET, 3, 3, "port unreachable", NULL },
	{ AF_INET, 3, 4, "fragmentation needed", "!F" },
	{ AF_INET, 3, 5, "source route failed", "!S" },
	{ AF_INET, 3, 6, "destination network unknown", "!N" },
	{ AF_INET, 3, 7, "destination host unknown", "!H" },
	{ AF_INET, 3, 8, "source host isolated", "!H" },
	{ AF_INET, 3, 9, "network administratively prohibited", "!X" },
	{ AF_INET, 3, 10, "host administratively prohibited", "!X" },
	{ AF_INET, 3, 11, "network unreachable for type of service", "!N" },
	{ AF_INET, 3, 12, "host unreachable for type of service", "!H" },
	{ AF_INET, 3, 13, "communication administratively prohibited", "!X" },
	{ AF_INET, 3, 14, "host precedence violation", "!V" },
	{ AF_INET, 3, 15, "precedence cutoff in effect", "!C" },
	{ AF_INET, 3, 16, NULL, NULL },
	{ AF_INET, 3, 255, NULL, NULL },
	{ AF_INET, 11, 0, "time to live exceeded in transit", NULL },
	{ AF_INET, 11, 1, "fragment reassembly time exceeded", NULL },
	{ AF_INET, 11, 2, NULL, NULL },
	{ AF_INET, 0, 0, NULL, NULL },
	{ AF_INET, 12, 0, NULL, NULL },
	{ AF_INET6, 1, 0, "no route to destination", "!N" },
	{ AF_INET6, 1, 1, "administratively prohibited", "!X" },
	{ AF_INET6, 1, 2, "beyond scope of source address", "!S" },
	{ AF_INET6, 1, 3, "address unreachable", "!H" },
	{ AF_INET6, 1, 4, "port unreachable", NULL },
	{ AF_INET6, 1, 5, "source address failed ingress/egress policy",
	  "!X" },
	{ AF_INET6, 1, 6, "reject route to destination", "!X" },
	{ AF_INET6, 1, 7, "error in source routing header", "!S" },
	{ AF_INET6, 1, 8, NULL, NULL },
	{ AF_INET6, 2, 0, NULL, "!F" },
	{ AF_INET6, 3, 0, "hop limit exceeded in transit", NULL },
	{ AF_INET6, 3, 1, "fragment reassembly time exceeded", NULL },
	{ AF_INET6, 4, 0, "erroneous header field", NULL },
	{ AF_INET6, 4, 1, "unrecognized next header", "!P" },
	{ AF_INET6, 4, 2, "unrecognized IPv6 option", NULL },
	{ AF_INET6, 4, 3, NULL, NULL },
	/* ICMPv4's numbers mean something else in ICMPv6. */
	{ AF_INET6, 3, 3, NULL, NULL },
	{ AF_INET6, 129, 0, NULL, NULL },
};

static void expect_str(const char *what, unsigned i, const char *got,
		       const char *want)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(got, want) != 0)
		fail_msg("row %u %s: got '%s', expected '%s'", i, what,
			 got ? got : "(null)", want ? want : "(null)");
}

static void test_codes(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct code_case *c = &cases[i];

		expect_str("name", i, ht_icmp_code_name(c->family, c->type,
							c->code), c->name);
		expect_str("mark", i, ht_icmp_mark(c->family, c->type,
						   c->code), c->mark);
	}
}

static void test_types(void **state)
{
	(void)state;
	assert_string_equal(ht_icmp_type_name(AF_INET, 0), "echo reply");
	assert_string_equal(ht_icmp_type_name(AF_INET, 3),
			    "destination unreachable");
	assert_string_equal(ht_icmp_type_name(AF_INET, 11), "time exceeded");
	assert_string_equal(ht_icmp_type_name(AF_INET, 12),
			    "parameter problem");
	assert_null(ht_icmp_type_name(AF_INET, 8));
	assert_null(ht_icmp_type_name(AF_INET, 255));
	assert_string_equal(ht_icmp_type_name(AF_INET6, 1),
			    "destination unreachable");
	assert_string_equal(ht_icmp_type_name(AF_INET6, 2), "packet too big");
	assert_string_equal(ht_icmp_type_name(AF_INET6, 3), "time exceeded");
	assert_string_equal(ht_icmp_type_name(AF_INET6, 4),
			    "parameter problem");
	assert_string_equal(ht_icmp_type_name(AF_INET6, 129), "echo reply");
	assert_null(ht_icmp_type_name(AF_INET6, 0));
	assert_null(ht_icmp_type_name(AF_INET6, 11));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

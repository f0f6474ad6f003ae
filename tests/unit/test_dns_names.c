/*
 * Unit tests for the pure DNS helpers: reverse names (RFC 1035 3.5,
 * RFC 3596 2.5), Team Cymru origin names and the origin TXT parser.
 * Every expected name below was written out by hand from those RFCs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "dns.h"

/* Build an address without the code under test (inet_pton only). */
static struct hp_addr addr_of(const char *text)
{
	struct hp_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, &a.u.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, &a.u.v6) == 1)
		a.family = AF_INET6;
	return a;
}

struct name_case {
	const char *addr;
	const char *zone;	/* NULL: the PTR name */
	const char *want;	/* NULL: must fail */
};

static const struct name_case name_cases[] = {
	{ "192.0.2.1", NULL, "1.2.0.192.in-addr.arpa" },
	{ "198.51.100.255", NULL, "255.100.51.198.in-addr.arpa" },
	{ "203.0.113.0", NULL, "0.113.0.203.in-addr.arpa" },
	{ "0.0.0.0", NULL, "0.0.0.0.in-addr.arpa" },
	{ "2001:db8::1", NULL,
	  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	  "ip6.arpa" },
	{ "2001:db8:abcd:12::f0", NULL,
	  "0.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.1.0.0.d.c.b.a.8.b.d.0.1.0.0.2."
	  "ip6.arpa" },
	{ "192.0.2.1", "origin.asn.cymru.com",
	  "1.2.0.192.origin.asn.cymru.com" },
	{ "198.51.100.7", "origin.asn.example.",
	  "7.100.51.198.origin.asn.example." },
	{ "2001:db8::1", "origin6.asn.cymru.com",
	  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	  "origin6.asn.cymru.com" },
	{ "192.0.2.1", "", NULL },
	{ "192.0.2.1", ".origin.asn.cymru.com", NULL },
};

static void test_names_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		const struct name_case *c = &name_cases[i];
		struct hp_addr a = addr_of(c->addr);
		char buf[256];
		int rc;

		assert_int_not_equal(a.family, 0);
		memset(buf, 'x', sizeof(buf));
		if (c->zone)
			rc = ht_dns_asn_name(&a, c->zone, buf, sizeof(buf));
		else
			rc = ht_dns_ptr_name(&a, buf, sizeof(buf));
		if (!c->want) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(buf, c->want);
	}
}

/* Exactly the name's length plus its NUL fits; one byte less does not. */
static void test_names_buffer_bounds(void **state)
{
	static const char *addrs[] = { "192.0.2.1", "2001:db8::1" };
	size_t i, len;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct hp_addr a = addr_of(addrs[i]);
		char full[256], buf[256];

		assert_int_equal(ht_dns_ptr_name(&a, full, sizeof(full)), 0);
		len = strlen(full);
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(ht_dns_ptr_name(&a, buf, len + 1), 0);
		assert_string_equal(buf, full);
		assert_int_equal(ht_dns_ptr_name(&a, buf, len), -1);
		assert_int_equal(ht_dns_ptr_name(&a, buf, 1), -1);
		assert_int_equal(ht_dns_ptr_name(&a, buf, 0), -1);
		assert_int_equal(ht_dns_asn_name(&a, "z.example", buf, 8), -1);
	}
	/* 192.0.2.1 reversed: 22 characters and the NUL. */
	{
		struct hp_addr a = addr_of("192.0.2.1");
		char buf[32];

		assert_int_equal(ht_dns_ptr_name(&a, buf, 23), 0);
		assert_int_equal(ht_dns_ptr_name(&a, buf, 22), -1);
	}
}

static void test_names_bad_input(void **state)
{
	struct hp_addr none, a = addr_of("192.0.2.1");
	char buf[128];

	(void)state;
	memset(&none, 0, sizeof(none));
	assert_int_equal(ht_dns_ptr_name(&none, buf, sizeof(buf)), -1);
	assert_int_equal(ht_dns_asn_name(&none, "z.example", buf,
					 sizeof(buf)), -1);
	assert_int_equal(ht_dns_ptr_name(NULL, buf, sizeof(buf)), -1);
	assert_int_equal(ht_dns_asn_name(&a, NULL, buf, sizeof(buf)), -1);
}

struct txt_case {
	const char *txt;
	size_t len;		/* 0: strlen(txt) */
	int rc;
	const char *asn;
	const char *prefix;
};

static const struct txt_case txt_cases[] = {
	{ "64496 | 192.0.2.0/24 | ZZ | arin | 2026-01-01", 0, 0,
	  "64496", "192.0.2.0/24" },
	{ "64496 64497 | 198.51.100.0/24 | ZZ | ripencc | 2026-01-01", 0, 0,
	  "64496 64497", "198.51.100.0/24" },
	{ "  64496   64497  |  203.0.113.0/24  |ZZ|", 0, 0,
	  "64496 64497", "203.0.113.0/24" },
	{ "64496|192.0.2.0/24", 0, 0, "64496", "192.0.2.0/24" },
	{ "64496\t|\t192.0.2.0/25\t|", 0, 0, "64496", "192.0.2.0/25" },
	{ "64496 | 2001:db8::/32 | ZZ | ripencc |", 0, 0,
	  "64496", "2001:db8::/32" },
	{ "64496 | 2001:DB8:1::/48", 0, 0, "64496", "2001:DB8:1::/48" },
	/* missing trailing fields */
	{ "64496", 0, 0, "64496", "" },
	{ "64496 ", 0, 0, "64496", "" },
	{ "64496 |", 0, 0, "64496", "" },
	{ "64496 |  | ZZ", 0, 0, "64496", "" },
	/* the 32-bit bound of RFC 6793 */
	{ "4294967295 | 192.0.2.0/24", 0, 0, "4294967295", "192.0.2.0/24" },
	{ "4294967296 | 192.0.2.0/24", 0, -1, NULL, NULL },
	{ "12345678901 | 192.0.2.0/24", 0, -1, NULL, NULL },
	/* LEN, not the NUL, ends the text */
	{ "64496 | 192.0.2.0/24", 5, 0, "64496", "" },
	{ "64496 | 192.0.2.0/24", 13, 0, "64496", "192.0" },
	{ "644\0" "96 | 192.0.2.0/24", 20, -1, NULL, NULL },
	/* malformed */
	{ "", 0, -1, NULL, NULL },
	{ "   ", 0, -1, NULL, NULL },
	{ " | 192.0.2.0/24 | ZZ", 0, -1, NULL, NULL },
	{ "AS64496 | 192.0.2.0/24", 0, -1, NULL, NULL },
	{ "64496x | 192.0.2.0/24", 0, -1, NULL, NULL },
	{ "64496,64497 | 192.0.2.0/24", 0, -1, NULL, NULL },
	{ "-1 | 192.0.2.0/24", 0, -1, NULL, NULL },
	{ "+64496 | 192.0.2.0/24", 0, -1, NULL, NULL },
	{ "64496 | 192.0.2.0 /24", 0, -1, NULL, NULL },
	{ "64496 | \x1b[31m", 0, -1, NULL, NULL },
	{ "64496 | none", 0, -1, NULL, NULL },
};

static void test_txt_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(txt_cases) / sizeof(txt_cases[0]); i++) {
		const struct txt_case *c = &txt_cases[i];
		size_t len = c->len ? c->len : strlen(c->txt);
		char asn[64], prefix[64];
		int rc;

		memset(asn, 'x', sizeof(asn));
		memset(prefix, 'x', sizeof(prefix));
		rc = ht_dns_parse_origin_txt(c->txt, len, asn, sizeof(asn),
					     prefix, sizeof(prefix));
		if (rc != c->rc)
			fail_msg("case %zu \"%s\": rc %d, want %d", i, c->txt,
				 rc, c->rc);
		if (c->rc < 0)
			continue;
		assert_string_equal(asn, c->asn);
		assert_string_equal(prefix, c->prefix);
	}
}

static void test_txt_buffers(void **state)
{
	static const char txt[] = "64496 64497 | 192.0.2.0/24 | ZZ";
	char asn[32], prefix[32];

	(void)state;
	/* "64496 64497" is 11 characters: 12 bytes fit, 11 do not. */
	assert_int_equal(ht_dns_parse_origin_txt(txt, strlen(txt), asn, 12,
						 prefix, sizeof(prefix)), 0);
	assert_string_equal(asn, "64496 64497");
	assert_int_equal(ht_dns_parse_origin_txt(txt, strlen(txt), asn, 11,
						 prefix, sizeof(prefix)), -1);
	/* "192.0.2.0/24" is 12 characters. */
	assert_int_equal(ht_dns_parse_origin_txt(txt, strlen(txt), asn,
						 sizeof(asn), prefix, 13), 0);
	assert_string_equal(prefix, "192.0.2.0/24");
	assert_int_equal(ht_dns_parse_origin_txt(txt, strlen(txt), asn,
						 sizeof(asn), prefix, 12), -1);
	/* No prefix wanted. */
	assert_int_equal(ht_dns_parse_origin_txt(txt, strlen(txt), asn,
						 sizeof(asn), NULL, 0), 0);
	assert_string_equal(asn, "64496 64497");
	assert_int_equal(ht_dns_parse_origin_txt(NULL, 0, asn, sizeof(asn),
						 NULL, 0), -1);
	assert_int_equal(ht_dns_parse_origin_txt(txt, strlen(txt), NULL, 0,
						 NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_table),
		cmocka_unit_test(test_names_buffer_bounds),
		cmocka_unit_test(test_names_bad_input),
		cmocka_unit_test(test_txt_table),
		cmocka_unit_test(test_txt_buffers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

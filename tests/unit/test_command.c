/*
 * test_command.c: request parsing and reply formatting (probe/command.c)
 * against shared/protocol.md.
 *
 * Every expected value below is written out by hand from the protocol
 * text, RFC 5952 (IPv6 text form) and RFC 4950 (MPLS fields); none comes
 * from running the code under test.  Where the protocol follows what
 * mtr-packet 0.95 answers, the expectation says so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

/* A line with its exact length, so that embedded NUL bytes count. */
struct line {
	const char *text;
	size_t len;
};

#define L(s) { (s), sizeof(s) - 1 }

/*
 * Parse from a heap copy of exactly len bytes, without a terminating NUL,
 * so that AddressSanitizer or valgrind catches any read past the line.
 */
static void parse_exact(const char *text, size_t len, struct request *req)
{
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, text, len);
	/* Poison the struct: request_parse must fill every field. */
	memset(req, 0x5a, sizeof(*req));
	request_parse(copy, len, req);
	free(copy);
}

static void parse_str(const char *text, struct request *req)
{
	parse_exact(text, strlen(text), req);
}

/* Format a request error into a string, checking the terminating NUL. */
static const char *error_line(const struct request *req, char *buf,
			      size_t cap)
{
	size_t n = reply_format_request_error(req, buf, cap);

	assert_true(n > 0);
	assert_int_equal(buf[n], '\0');
	return buf;
}

/* ---- parse errors -------------------------------------------------- */

static const struct line parse_errors[] = {
	/* fewer than two tokens */
	L(""),
	L(" "),
	L("\t\r\v\f "),
	L("1"),
	L(" 1 \r"),
	L("send-probe"),
	/* a token that is not plain decimal 0..2147483647 */
	L("check-support feature version"),
	L("x send-probe ip-4 127.0.0.1"),
	L("-1 check-support feature version"),
	L("+1 check-support feature version"),
	L("-0 check-support feature version"),
	L("0x1 check-support feature version"),
	L("1.0 check-support feature version"),
	L("1a check-support feature version"),
	L("1e3 check-support feature version"),
	L("2147483648 check-support feature version"),
	L("4294967296 check-support feature version"),
	L("4294967297 check-support feature version"),
	L("18446744073709551616 check-support feature version"),
	L("18446744073709551617 check-support feature version"),
	L("99999999999999999999999999 check-support feature version"),
	L("00000000000000000000002147483648 check-support feature version"),
	/* an argument name without a value, whatever the command */
	L("1 send-probe ip-4"),
	L("1 send-probe ip-4 127.0.0.1 ttl"),
	L("1 send-probe ip-4 127.0.0.1 ttl \t\r"),
	L("1 check-support feature"),
	L("1 check-support feature version extra"),
	L("1 bogus-command arg"),
	L("1 bogus-command a b c"),
	L("2147483648 bogus-command"),
	/* a NUL byte anywhere */
	L("\0"),
	L("\0" "1 check-support feature version"),
	L("1\0 check-support feature version"),
	L("1 check-support feature ver\0sion"),
	L("1 check-support feature version\0"),
	L("1 send-probe ip-4 127.0.0.1 foo b\0r"),
	L("1 send-probe ip-4 127.0.0.1 \0"),
};

static void test_parse_errors(void **state)
{
	char buf[REPLY_MAX_LINE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_errors) / sizeof(parse_errors[0]); i++) {
		struct request req;

		parse_exact(parse_errors[i].text, parse_errors[i].len, &req);
		if (req.status != REQ_PARSE_ERROR)
			fail_msg("case %zu: status %d", i, (int)req.status);
		assert_int_equal(req.token, 0);
		assert_string_equal(error_line(&req, buf, sizeof(buf)),
				    "0 command-parse-error\n");
	}
}

/* ---- status, token and reason --------------------------------------- */

struct status_case {
	const char *line;
	enum request_status status;
	enum request_reason reason;
	int32_t token;
	const char *reply;	/* the error line, NULL for REQ_OK */
};

static const struct status_case status_cases[] = {
	{ "0 check-support feature version", REQ_OK, REASON_NONE, 0, NULL },
	{ "2147483647 check-support feature version", REQ_OK, REASON_NONE,
	  2147483647, NULL },
	{ "000042 check-support feature version", REQ_OK, REASON_NONE, 42,
	  NULL },
	{ "0000000000000000000000000007 check-support feature x", REQ_OK,
	  REASON_NONE, 7, NULL },
	/* command names are case-sensitive */
	{ "5 Check-support feature version", REQ_UNKNOWN_COMMAND, REASON_NONE,
	  5, "5 unknown-command\n" },
	{ "5 SEND-PROBE ip-4 127.0.0.1", REQ_UNKNOWN_COMMAND, REASON_NONE, 5,
	  "5 unknown-command\n" },
	{ "5 send-probes ip-4 127.0.0.1", REQ_UNKNOWN_COMMAND, REASON_NONE, 5,
	  "5 unknown-command\n" },
	{ "5 foo", REQ_UNKNOWN_COMMAND, REASON_NONE, 5, "5 unknown-command\n" },
	{ "2147483647 foo a b", REQ_UNKNOWN_COMMAND, REASON_NONE, 2147483647,
	  "2147483647 unknown-command\n" },
	/* check-support without its feature */
	{ "5 check-support", REQ_INVALID_ARGUMENT, REASON_NONE, 5,
	  "5 invalid-argument\n" },
	{ "5 check-support version ok", REQ_INVALID_ARGUMENT, REASON_NONE, 5,
	  "5 invalid-argument\n" },
	{ "5 check-support Feature version", REQ_INVALID_ARGUMENT, REASON_NONE,
	  5, "5 invalid-argument\n" },
	/* no destination: what mtr-packet 0.95 answers */
	{ "6 send-probe", REQ_INVALID_ARGUMENT, REASON_IP_VERSION, 6,
	  "6 invalid-argument reason ip-version-not-supported\n" },
	{ "6 send-probe ttl 5 protocol udp", REQ_INVALID_ARGUMENT,
	  REASON_IP_VERSION, 6,
	  "6 invalid-argument reason ip-version-not-supported\n" },
	{ "6 send-probe local-ip-4 127.0.0.1", REQ_INVALID_ARGUMENT,
	  REASON_IP_VERSION, 6,
	  "6 invalid-argument reason ip-version-not-supported\n" },
	{ "6 send-probe IP-4 127.0.0.1", REQ_INVALID_ARGUMENT,
	  REASON_IP_VERSION, 6,
	  "6 invalid-argument reason ip-version-not-supported\n" },
	/* protocols */
	{ "7 send-probe ip-4 127.0.0.1 protocol icmp", REQ_OK, REASON_NONE, 7,
	  NULL },
	{ "7 send-probe ip-4 127.0.0.1 protocol udp", REQ_OK, REASON_NONE, 7,
	  NULL },
	{ "7 send-probe ip-4 127.0.0.1 protocol tcp", REQ_OK, REASON_NONE, 7,
	  NULL },
	{ "7 send-probe ip-4 127.0.0.1 protocol sctp", REQ_OK, REASON_NONE, 7,
	  NULL },
	{ "7 send-probe ip-4 127.0.0.1 protocol ICMP", REQ_INVALID_ARGUMENT,
	  REASON_PROTOCOL, 7,
	  "7 invalid-argument reason protocol-not-supported\n" },
	{ "7 send-probe ip-6 ::1 protocol icmpv6", REQ_INVALID_ARGUMENT,
	  REASON_PROTOCOL, 7,
	  "7 invalid-argument reason protocol-not-supported\n" },
	{ "7 send-probe protocol foo", REQ_INVALID_ARGUMENT, REASON_PROTOCOL, 7,
	  "7 invalid-argument reason protocol-not-supported\n" },
	/* exactly one destination */
	{ "8 send-probe ip-4 127.0.0.1 ip-6 ::1", REQ_INVALID_ARGUMENT,
	  REASON_NONE, 8, "8 invalid-argument\n" },
	{ "8 send-probe ip-6 ::1 ip-4 127.0.0.1", REQ_INVALID_ARGUMENT,
	  REASON_NONE, 8, "8 invalid-argument\n" },
	/* repeated names: the last one wins */
	{ "9 send-probe ip-4 127.0.0.1 ttl 0 ttl 5", REQ_OK, REASON_NONE, 9,
	  NULL },
	{ "9 send-probe ip-4 127.0.0.1 ttl 5 ttl 0", REQ_INVALID_ARGUMENT,
	  REASON_NONE, 9, "9 invalid-argument\n" },
	{ "9 send-probe protocol foo ip-4 127.0.0.1 protocol tcp", REQ_OK,
	  REASON_NONE, 9, NULL },
	{ "9 send-probe ip-4 192.0.2.999 ip-4 192.0.2.1", REQ_OK, REASON_NONE,
	  9, NULL },
	/* unknown argument names are ignored */
	{ "10 send-probe foo bar ip-4 127.0.0.1 baz -1 ttl 3 x y", REQ_OK,
	  REASON_NONE, 10, NULL },
	{ "10 check-support foo bar feature udp baz qux", REQ_OK, REASON_NONE,
	  10, NULL },
	/* local addresses */
	{ "11 send-probe ip-4 127.0.0.1 local-ip-4 127.0.0.2", REQ_OK,
	  REASON_NONE, 11, NULL },
	{ "11 send-probe ip-6 ::1 local-ip-6 2001:db8::2", REQ_OK, REASON_NONE,
	  11, NULL },
	{ "11 send-probe ip-4 127.0.0.1 local-ip-4 127.0.0.2 local-ip-6 ::1",
	  REQ_INVALID_ARGUMENT, REASON_NONE, 11, "11 invalid-argument\n" },
	{ "11 send-probe ip-4 127.0.0.1 local-ip-6 ::1", REQ_INVALID_ARGUMENT,
	  REASON_NONE, 11, "11 invalid-argument\n" },
	{ "11 send-probe ip-6 ::1 local-ip-4 127.0.0.1", REQ_INVALID_ARGUMENT,
	  REASON_NONE, 11, "11 invalid-argument\n" },
	{ "11 send-probe ip-6 ::1 local-ip-6 ::1%lo", REQ_INVALID_ARGUMENT,
	  REASON_NONE, 11, "11 invalid-argument\n" },
	{ "11 send-probe ip-4 127.0.0.1 local-ip-4 ::1", REQ_INVALID_ARGUMENT,
	  REASON_NONE, 11, "11 invalid-argument\n" },
	{ "11 send-probe ip-6 ::1 local-ip-6 127.0.0.1", REQ_INVALID_ARGUMENT,
	  REASON_NONE, 11, "11 invalid-argument\n" },
	{ "11 send-probe ip-4 127.0.0.1 local-ip-4 localhost",
	  REQ_INVALID_ARGUMENT, REASON_NONE, 11, "11 invalid-argument\n" },
	/* local-device: 1..IF_NAMESIZE-1 bytes */
	{ "12 send-probe ip-4 127.0.0.1 local-device lo", REQ_OK, REASON_NONE,
	  12, NULL },
	{ "12 send-probe ip-4 127.0.0.1 local-device 123456789012345", REQ_OK,
	  REASON_NONE, 12, NULL },
	{ "12 send-probe ip-4 127.0.0.1 local-device 1234567890123456",
	  REQ_INVALID_ARGUMENT, REASON_NONE, 12, "12 invalid-argument\n" },
	/* white space of every kind, CRLF */
	{ "13 send-probe ip-4 127.0.0.1\r", REQ_OK, REASON_NONE, 13, NULL },
	{ "13\tsend-probe\tip-4\t127.0.0.1", REQ_OK, REASON_NONE, 13, NULL },
	{ " \v13 \f send-probe  \t ip-4\r\r127.0.0.1 \t\r", REQ_OK, REASON_NONE,
	  13, NULL },
	{ "13 check-support feature version\r", REQ_OK, REASON_NONE, 13, NULL },
};

static void test_status(void **state)
{
	char buf[REPLY_MAX_LINE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
		const struct status_case *c = &status_cases[i];
		struct request req;

		parse_str(c->line, &req);
		if (req.status != c->status || req.token != c->token ||
		    (c->status == REQ_INVALID_ARGUMENT &&
		     req.reason != c->reason))
			fail_msg("\"%s\": status %d reason %d token %d",
				 c->line, (int)req.status, (int)req.reason,
				 (int)req.token);
		if (c->reply)
			assert_string_equal(error_line(&req, buf, sizeof(buf)),
					    c->reply);
		else
			assert_int_equal(reply_format_request_error(&req, buf,
								    sizeof(buf)),
					 0);
	}
}

/* ---- check-support -------------------------------------------------- */

struct feature_case {
	const char *line;
	const char *feature;
};

static const struct feature_case feature_cases[] = {
	{ "1 check-support feature version", "version" },
	{ "1 check-support feature send-probe", "send-probe" },
	{ "1 check-support feature ip-6\r", "ip-6" },
	{ "1 check-support feature a feature b", "b" },
	{ "1 check-support feature Version", "Version" },
	/* 31 bytes fit feature[32]; 32 do not and become "" */
	{ "1 check-support feature 1234567890123456789012345678901",
	  "1234567890123456789012345678901" },
	{ "1 check-support feature 12345678901234567890123456789012", "" },
	{ "1 check-support feature x1234567890123456789012345678901234567890"
	  "1234567890", "" },
};

static void test_check_support(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(feature_cases) / sizeof(feature_cases[0]); i++) {
		struct request req;

		parse_str(feature_cases[i].line, &req);
		assert_int_equal(req.status, REQ_OK);
		assert_int_equal(req.command, CMD_CHECK_SUPPORT);
		assert_int_equal(req.token, 1);
		assert_string_equal(req.feature, feature_cases[i].feature);
	}
}

/* ---- send-probe defaults and fields --------------------------------- */

static void test_send_probe_defaults(void **state)
{
	static const uint8_t loopback[16] = { 0x7f, 0x00, 0x00, 0x01 };
	struct request req;

	(void)state;
	parse_str("42 send-probe ip-4 127.0.0.1", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.command, CMD_SEND_PROBE);
	assert_int_equal(req.token, 42);
	assert_int_equal(req.probe.dst.family, AF_INET);
	assert_memory_equal(req.probe.dst.bytes, loopback, 16);
	assert_string_equal(req.probe.dst_scope, "");
	assert_int_equal(req.probe.proto, PROTO_ICMP);
	assert_int_equal(req.probe.port, 0);
	assert_int_equal(req.probe.local.family, 0);
	assert_int_equal(req.probe.local_port, 0);
	assert_string_equal(req.probe.device, "");
	assert_int_equal(req.probe.ttl, 255);
	assert_int_equal(req.probe.tos, 0);
	assert_int_equal(req.probe.size, 64);
	assert_int_equal(req.probe.pattern, 0);
	assert_false(req.probe.has_mark);
	assert_int_equal(req.probe.timeout, 10);
}

static void test_send_probe_all_fields(void **state)
{
	static const uint8_t dst[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
	};
	static const uint8_t src[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	};
	struct request req;

	(void)state;
	parse_str("77 send-probe ip-6 2001:db8::9%eth0 protocol sctp port 443 "
		  "local-ip-6 2001:db8:1::2 local-port 1024 local-device eth0 "
		  "ttl 1 tos 184 size 1500 bit-pattern 255 mark 4294967295 "
		  "timeout 0", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.token, 77);
	assert_int_equal(req.probe.dst.family, AF_INET6);
	assert_memory_equal(req.probe.dst.bytes, dst, 16);
	assert_string_equal(req.probe.dst_scope, "eth0");
	assert_int_equal(req.probe.proto, PROTO_SCTP);
	assert_int_equal(req.probe.port, 443);
	assert_int_equal(req.probe.local.family, AF_INET6);
	assert_memory_equal(req.probe.local.bytes, src, 16);
	assert_int_equal(req.probe.local_port, 1024);
	assert_string_equal(req.probe.device, "eth0");
	assert_int_equal(req.probe.ttl, 1);
	assert_int_equal(req.probe.tos, 184);
	assert_int_equal(req.probe.size, 1500);
	assert_int_equal(req.probe.pattern, 255);
	assert_true(req.probe.has_mark);
	assert_int_equal(req.probe.mark, 4294967295u);
	assert_int_equal(req.probe.timeout, 0);
}

static void test_protocol_values(void **state)
{
	static const struct {
		const char *name;
		enum probe_proto proto;
	} cases[] = {
		{ "icmp", PROTO_ICMP },
		{ "udp", PROTO_UDP },
		{ "tcp", PROTO_TCP },
		{ "sctp", PROTO_SCTP },
	};
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct request req;

		snprintf(line, sizeof(line),
			 "1 send-probe protocol %s ip-4 192.0.2.1", cases[i].name);
		parse_str(line, &req);
		assert_int_equal(req.status, REQ_OK);
		assert_int_equal(req.probe.proto, cases[i].proto);
	}
}

/* ---- numeric arguments ---------------------------------------------- */

struct numeric_bound {
	const char *arg;
	uint64_t min;
	uint64_t max;
};

/* The ranges of shared/protocol.md and the brief, written out again. */
static const struct numeric_bound numeric_bounds[] = {
	{ "port", 1, 65535 },
	{ "local-port", 1024, 65535 },
	{ "ttl", 1, 255 },
	{ "tos", 0, 255 },
	{ "size", 0, 65535 },
	{ "bit-pattern", 0, 255 },
	{ "mark", 0, 4294967295u },
	{ "timeout", 0, 86400 },
};

/* Not a plain decimal number: refused by every numeric argument. */
static const char *const numeric_junk[] = {
	"-1", "+1", "-0", "+0", "0x1", "0x0", "0X10", "1.0", "1.5", "1a",
	"a1", "1e3", "1,0", "1_0", "\xd9\xa1", "\xc2\xb9",
	"4294967296",			/* 2^32 */
	"18446744073709551616",		/* 2^64 */
	"18446744073709551617",		/* 2^64 + 1 */
	"36893488147419103232",		/* 2^65 */
	"99999999999999999999999999999999",
	"00000000000000000000000000000000000000000000000000018446744073709551617",
};

static uint64_t probe_field(const struct probe_request *p, const char *arg)
{
	if (strcmp(arg, "port") == 0)
		return p->port;
	if (strcmp(arg, "local-port") == 0)
		return p->local_port;
	if (strcmp(arg, "ttl") == 0)
		return p->ttl;
	if (strcmp(arg, "tos") == 0)
		return p->tos;
	if (strcmp(arg, "size") == 0)
		return p->size;
	if (strcmp(arg, "bit-pattern") == 0)
		return p->pattern;
	if (strcmp(arg, "mark") == 0) {
		assert_true(p->has_mark);
		return p->mark;
	}
	if (strcmp(arg, "timeout") == 0)
		return p->timeout;
	fail_msg("no field for %s", arg);
	return 0;
}

static void expect_numeric(const char *arg, const char *value, bool ok,
			   uint64_t want)
{
	char line[256];
	struct request req;

	snprintf(line, sizeof(line),
		 "3 send-probe ip-4 198.51.100.7 protocol udp %s %s", arg,
		 value);
	parse_str(line, &req);
	if (ok) {
		if (req.status != REQ_OK)
			fail_msg("%s %s: status %d", arg, value,
				 (int)req.status);
		if (probe_field(&req.probe, arg) != want)
			fail_msg("%s %s: got %llu", arg, value,
				 (unsigned long long)probe_field(&req.probe,
								 arg));
	} else {
		if (req.status != REQ_INVALID_ARGUMENT ||
		    req.reason != REASON_NONE || req.token != 3)
			fail_msg("%s %s: status %d reason %d", arg, value,
				 (int)req.status, (int)req.reason);
	}
}

static void expect_numeric_u64(const char *arg, uint64_t v, bool ok)
{
	char value[32];

	snprintf(value, sizeof(value), "%llu", (unsigned long long)v);
	expect_numeric(arg, value, ok, v);
}

static void test_numeric_arguments(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(numeric_bounds) / sizeof(numeric_bounds[0]);
	     i++) {
		const struct numeric_bound *b = &numeric_bounds[i];
		char value[64];

		if (b->min > 0)
			expect_numeric_u64(b->arg, b->min - 1, false);
		expect_numeric_u64(b->arg, b->min, true);
		expect_numeric_u64(b->arg, b->min + 1, true);
		expect_numeric_u64(b->arg, b->max - 1, true);
		expect_numeric_u64(b->arg, b->max, true);
		expect_numeric_u64(b->arg, b->max + 1, false);
		expect_numeric_u64(b->arg, b->max * 10, false);

		/* leading zeros are fine */
		snprintf(value, sizeof(value), "0000%llu",
			 (unsigned long long)b->max);
		expect_numeric(b->arg, value, true, b->max);
		snprintf(value, sizeof(value), "00%llu",
			 (unsigned long long)b->min);
		expect_numeric(b->arg, value, true, b->min);

		/* a sign in front of a value that is otherwise in range */
		snprintf(value, sizeof(value), "+%llu",
			 (unsigned long long)b->max);
		expect_numeric(b->arg, value, false, 0);
		/* trailing junk after a value in range */
		snprintf(value, sizeof(value), "%llux",
			 (unsigned long long)b->max);
		expect_numeric(b->arg, value, false, 0);
		snprintf(value, sizeof(value), "%llu.0",
			 (unsigned long long)b->min);
		expect_numeric(b->arg, value, false, 0);

		for (j = 0; j < sizeof(numeric_junk) / sizeof(numeric_junk[0]);
		     j++)
			expect_numeric(b->arg, numeric_junk[j], false, 0);
	}
}

/*
 * An empty value cannot be written (white space only separates tokens),
 * so "ttl" followed by nothing but white space is a name without a value.
 */
static void test_numeric_empty_value(void **state)
{
	struct request req;

	(void)state;
	parse_str("3 send-probe ip-4 127.0.0.1 ttl   ", &req);
	assert_int_equal(req.status, REQ_PARSE_ERROR);
}

/* ---- addresses ------------------------------------------------------ */

struct addr_case {
	const char *line;
	bool ok;
	uint8_t family;
	uint8_t bytes[16];
	const char *scope;
};

static const struct addr_case addr_cases[] = {
	{ "1 send-probe ip-4 127.0.0.1", true, AF_INET,
	  { 0x7f, 0x00, 0x00, 0x01 }, "" },
	{ "1 send-probe ip-4 192.0.2.1", true, AF_INET,
	  { 0xc0, 0x00, 0x02, 0x01 }, "" },
	{ "1 send-probe ip-4 203.0.113.255", true, AF_INET,
	  { 0xcb, 0x00, 0x71, 0xff }, "" },
	{ "1 send-probe ip-6 ::1", true, AF_INET6,
	  { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "" },
	{ "1 send-probe ip-6 2001:db8::1", true, AF_INET6,
	  { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "" },
	{ "1 send-probe ip-6 2001:DB8:0:0:0:0:0:A", true, AF_INET6,
	  { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a },
	  "" },
	{ "1 send-probe ip-6 2001:db8::1%eth0", true, AF_INET6,
	  { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  "eth0" },
	{ "1 send-probe ip-6 ::1%lo", true, AF_INET6,
	  { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "lo" },
	{ "1 send-probe ip-6 ::1%7", true, AF_INET6,
	  { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "7" },
	/* a scope of IF_NAMESIZE - 1 = 15 bytes fits, 16 do not */
	{ "1 send-probe ip-6 2001:db8::1%abcdefghijklmno", true, AF_INET6,
	  { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  "abcdefghijklmno" },
	{ "1 send-probe ip-6 2001:db8::1%abcdefghijklmnop", false, 0, { 0 },
	  NULL },
	{ "1 send-probe ip-6 2001:db8::1%", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 %eth0", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 127.0.0.1%lo", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.256", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.1.", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 0x7f.0.0.1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 localhost", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 ::1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 127.0.0.1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 2001:db8::1::2", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 2001:db8:0:0:0:0:0:0:1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 [2001:db8::1]", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 2001:db8:0000:0000:0000:0000:0000:0000:0000:0000:"
	  "0000:0000:1", false, 0, { 0 }, NULL },
};

static void test_addresses(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(addr_cases) / sizeof(addr_cases[0]); i++) {
		const struct addr_case *c = &addr_cases[i];
		struct request req;

		parse_str(c->line, &req);
		if (!c->ok) {
			if (req.status != REQ_INVALID_ARGUMENT ||
			    req.reason != REASON_NONE)
				fail_msg("\"%s\": status %d reason %d", c->line,
					 (int)req.status, (int)req.reason);
			continue;
		}
		if (req.status != REQ_OK)
			fail_msg("\"%s\": status %d", c->line, (int)req.status);
		assert_int_equal(req.probe.dst.family, c->family);
		assert_memory_equal(req.probe.dst.bytes, c->bytes,
				    c->family == AF_INET ? 4 : 16);
		assert_string_equal(req.probe.dst_scope, c->scope);
	}
}

static void test_local_address(void **state)
{
	static const uint8_t v4[4] = { 0xc0, 0x00, 0x02, 0x02 };
	struct request req;

	(void)state;
	parse_str("1 send-probe ip-4 192.0.2.1 local-ip-4 192.0.2.2", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.probe.local.family, AF_INET);
	assert_memory_equal(req.probe.local.bytes, v4, 4);
	/* last one wins here too */
	parse_str("1 send-probe ip-4 192.0.2.1 local-ip-4 192.0.2.300 "
		  "local-ip-4 192.0.2.2", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_memory_equal(req.probe.local.bytes, v4, 4);
}

/* Many pairs, up to the longest line, are accepted. */
static void test_many_pairs(void **state)
{
	char line[COMMAND_MAX_LINE + 1];
	size_t len;
	struct request req;

	(void)state;
	len = (size_t)snprintf(line, sizeof(line),
			       "9 send-probe ip-4 192.0.2.1");
	while (len + 8 <= COMMAND_MAX_LINE)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" ttl 17");
	parse_exact(line, len, &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.probe.ttl, 17);
}

/* ---- reply formatting ----------------------------------------------- */

static struct net_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct net_addr n;

	memset(&n, 0, sizeof(n));
	n.family = AF_INET;
	n.bytes[0] = a;
	n.bytes[1] = b;
	n.bytes[2] = c;
	n.bytes[3] = d;
	return n;
}

static struct net_addr v6(const uint8_t bytes[16])
{
	struct net_addr n;

	n.family = AF_INET6;
	memcpy(n.bytes, bytes, 16);
	return n;
}

static const uint8_t a6_db8_1[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
};
/* RFC 5952 4.2.3: of two equal zero runs, the first is shortened. */
static const uint8_t a6_two_runs[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0x01,
};
/* RFC 5952 4.2.2: a single zero field is not shortened. */
static const uint8_t a6_single_zero[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x01, 0, 0x01, 0, 0x01, 0, 0x01,
	0, 0x01,
};
/* RFC 5952 4.3: lower case. */
static const uint8_t a6_hex[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0, 0xef,
};
static const uint8_t a6_loop[16] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
};

static const struct mpls_stack mpls_one = {
	1, { { 16, 0, 1, 255 } },
};
static const struct mpls_stack mpls_three = {
	3, {
		{ 1048575, 7, 0, 1 },
		{ 24000, 3, 0, 254 },
		{ 16, 0, 1, 253 },
	},
};
static const struct mpls_stack mpls_none = { 0, { { 5, 5, 1, 5 } } };

struct probe_format_case {
	int32_t token;
	enum reply_type type;
	struct net_addr responder;
	bool has_rtt;
	uint64_t rtt_us;
	const struct mpls_stack *mpls;
	int err;
	enum reply_names names;
	const char *want;
};

static void test_format_probe(void **state)
{
	const struct probe_format_case cases[] = {
		{ 42, REPLY_REPLY, v4(127, 0, 0, 1), true, 126, NULL, 0,
		  REPLY_NAMES_096, "42 reply ip-4 127.0.0.1 round-trip-time 126\n" },
		{ 11, REPLY_TTL_EXPIRED, v4(198, 51, 100, 1), true, 834, NULL, 0,
		  REPLY_NAMES_096,
		  "11 ttl-expired ip-4 198.51.100.1 round-trip-time 834\n" },
		{ 0, REPLY_REPLY, v4(203, 0, 113, 255), true, 0, NULL, 0,
		  REPLY_NAMES_095, "0 reply ip-4 203.0.113.255 round-trip-time 0\n" },
		{ 2147483647, REPLY_REPLY, v6(a6_db8_1), true,
		  UINT64_MAX, NULL, 0, REPLY_NAMES_096,
		  "2147483647 reply ip-6 2001:db8::1 round-trip-time "
		  "18446744073709551615\n" },
		{ 5, REPLY_REPLY, v6(a6_two_runs), true, 7, NULL, 0,
		  REPLY_NAMES_096,
		  "5 reply ip-6 2001:db8::1:0:0:1 round-trip-time 7\n" },
		{ 5, REPLY_REPLY, v6(a6_single_zero), true, 7, NULL, 0,
		  REPLY_NAMES_096,
		  "5 reply ip-6 2001:db8:0:1:1:1:1:1 round-trip-time 7\n" },
		{ 5, REPLY_REPLY, v6(a6_hex), true, 7, NULL, 0, REPLY_NAMES_096,
		  "5 reply ip-6 2001:db8::abcd:ef round-trip-time 7\n" },
		{ 5, REPLY_REPLY, v6(a6_loop), true, 7, NULL, 0, REPLY_NAMES_096,
		  "5 reply ip-6 ::1 round-trip-time 7\n" },
		/* MPLS: one label, three labels, an empty stack */
		{ 3, REPLY_TTL_EXPIRED, v4(192, 0, 2, 1), true, 1500,
		  &mpls_one, 0, REPLY_NAMES_096,
		  "3 ttl-expired ip-4 192.0.2.1 round-trip-time 1500 "
		  "mpls 16,0,1,255\n" },
		{ 3, REPLY_TTL_EXPIRED, v6(a6_db8_1), true, 1500, &mpls_three, 0,
		  REPLY_NAMES_095,
		  "3 ttl-expired ip-6 2001:db8::1 round-trip-time 1500 "
		  "mpls 1048575,7,0,1,24000,3,0,254,16,0,1,253\n" },
		{ 3, REPLY_TTL_EXPIRED, v4(192, 0, 2, 1), true, 1500,
		  &mpls_none, 0, REPLY_NAMES_096,
		  "3 ttl-expired ip-4 192.0.2.1 round-trip-time 1500\n" },
		/* what is absent is not printed */
		{ 8, REPLY_NO_REPLY, { 0 }, false, 0, NULL, 0, REPLY_NAMES_096,
		  "8 no-reply\n" },
		{ 8, REPLY_REPLY, { 0 }, true, 9, NULL, 0, REPLY_NAMES_096,
		  "8 reply round-trip-time 9\n" },
		{ 8, REPLY_REPLY, v4(192, 0, 2, 1), false, 9, NULL, 0,
		  REPLY_NAMES_096, "8 reply ip-4 192.0.2.1\n" },
		/* unreachable names of both mtr versions */
		{ 4, REPLY_NO_ROUTE_NETWORK, v4(192, 0, 2, 254), true, 10, NULL,
		  0, REPLY_NAMES_096,
		  "4 no-route-network ip-4 192.0.2.254 round-trip-time 10\n" },
		{ 4, REPLY_NO_ROUTE_NETWORK, v4(192, 0, 2, 254), true, 10, NULL,
		  0, REPLY_NAMES_095,
		  "4 no-route ip-4 192.0.2.254 round-trip-time 10\n" },
		{ 4, REPLY_NO_ROUTE_HOST, v6(a6_db8_1), true, 10, NULL, 0,
		  REPLY_NAMES_096,
		  "4 no-route-host ip-6 2001:db8::1 round-trip-time 10\n" },
		{ 4, REPLY_NO_ROUTE_HOST, v6(a6_db8_1), true, 10, NULL, 0,
		  REPLY_NAMES_095,
		  "4 no-route ip-6 2001:db8::1 round-trip-time 10\n" },
		{ 4, REPLY_NO_ROUTE_HOST, { 0 }, false, 0, NULL, 0,
		  REPLY_NAMES_096, "4 no-route-host\n" },
		{ 4, REPLY_NO_ROUTE_NETWORK, { 0 }, false, 0, NULL, 0,
		  REPLY_NAMES_095, "4 no-route\n" },
		/* errors with no arguments */
		{ 6, REPLY_NETWORK_DOWN, { 0 }, false, 0, NULL, 0,
		  REPLY_NAMES_096, "6 network-down\n" },
		{ 6, REPLY_HOST_DOWN, { 0 }, false, 0, NULL, 0, REPLY_NAMES_095,
		  "6 host-down\n" },
		{ 6, REPLY_PERMISSION_DENIED, { 0 }, false, 0, NULL, 0,
		  REPLY_NAMES_096, "6 permission-denied\n" },
		{ 6, REPLY_ADDRESS_IN_USE, { 0 }, false, 0, NULL, 0,
		  REPLY_NAMES_096, "6 address-in-use\n" },
		{ 6, REPLY_ADDRESS_NOT_AVAILABLE, { 0 }, false, 0, NULL, 0,
		  REPLY_NAMES_096, "6 address-not-available\n" },
		{ 6, REPLY_INVALID_ARGUMENT, { 0 }, false, 0, NULL, 0,
		  REPLY_NAMES_096, "6 invalid-argument\n" },
		{ 6, REPLY_PROBES_EXHAUSTED, { 0 }, false, 0, NULL, 0,
		  REPLY_NAMES_095, "6 probes-exhausted\n" },
		/* errno replaces address and time */
		{ 6, REPLY_UNEXPECTED_ERROR, { 0 }, false, 0, NULL, 22,
		  REPLY_NAMES_096, "6 unexpected-error errno 22\n" },
		{ 6, REPLY_UNEXPECTED_ERROR, v4(192, 0, 2, 1), true, 5,
		  &mpls_one, 105, REPLY_NAMES_095,
		  "6 unexpected-error errno 105\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct probe_format_case *c = &cases[i];
		struct probe_reply r;
		char buf[REPLY_MAX_LINE];
		size_t n;

		memset(&r, 0, sizeof(r));
		r.token = c->token;
		r.type = c->type;
		r.responder = c->responder;
		r.has_rtt = c->has_rtt;
		r.rtt_us = c->rtt_us;
		r.mpls = c->mpls;
		r.err = c->err;
		n = reply_format_probe(&r, c->names, buf, sizeof(buf));
		if (n != strlen(c->want) || strcmp(buf, c->want) != 0)
			fail_msg("case %zu: got %zu \"%s\", want \"%s\"", i, n,
				 n ? buf : "", c->want);
	}
}

/*
 * The longest reply we can make: the largest token, the longest name that
 * takes an address, a full-length IPv6 address, the largest time and a
 * full MPLS stack of maximal values.  It must fit REPLY_MAX_LINE.
 */
static void test_format_longest(void **state)
{
	static const uint8_t a6_full[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0x11, 0x11, 0x22, 0x22,
		0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66,
	};
	struct mpls_stack full;
	struct probe_reply r;
	char want[2048];
	char buf[REPLY_MAX_LINE];
	size_t len, n;
	unsigned i;

	(void)state;
	full.count = MPLS_MAX_LABELS;
	for (i = 0; i < MPLS_MAX_LABELS; i++) {
		full.labels[i].label = 1048575;
		full.labels[i].traffic_class = 7;
		full.labels[i].bottom_of_stack = 1;
		full.labels[i].ttl = 255;
	}
	len = (size_t)snprintf(want, sizeof(want),
			       "2147483647 ttl-expired ip-6 "
			       "2001:db8:1111:2222:3333:4444:5555:6666 "
			       "round-trip-time 18446744073709551615 mpls ");
	for (i = 0; i < MPLS_MAX_LABELS; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s",
					i ? "," : "", "1048575,7,1,255");
	len += (size_t)snprintf(want + len, sizeof(want) - len, "\n");

	memset(&r, 0, sizeof(r));
	r.token = 2147483647;
	r.type = REPLY_TTL_EXPIRED;
	r.responder = v6(a6_full);
	r.has_rtt = true;
	r.rtt_us = UINT64_MAX;
	r.mpls = &full;
	n = reply_format_probe(&r, REPLY_NAMES_096, buf, sizeof(buf));
	assert_int_equal(n, len);
	assert_string_equal(buf, want);
}

/*
 * Every formatter, at every buffer size: the line and its NUL need
 * strlen(want) + 1 bytes; one byte less gives 0; nothing is ever written
 * past cap.
 */
#define SENTINEL 0xa5

static void check_all_caps(size_t (*fmt)(const void *arg, char *buf,
					  size_t cap),
			   const void *arg, const char *want)
{
	size_t need = strlen(want) + 1;
	char buf[REPLY_MAX_LINE + 16];
	size_t cap, i, n;

	for (cap = 0; cap <= need + 4; cap++) {
		memset(buf, SENTINEL, sizeof(buf));
		n = fmt(arg, buf, cap);
		if (cap < need) {
			if (n != 0)
				fail_msg("\"%s\": cap %zu gave %zu", want, cap, n);
		} else {
			assert_int_equal(n, need - 1);
			assert_string_equal(buf, want);
		}
		for (i = cap; i < sizeof(buf); i++)
			if ((unsigned char)buf[i] != SENTINEL)
				fail_msg("\"%s\": cap %zu: byte %zu written",
					 want, cap, i);
	}
}

static size_t fmt_probe(const void *arg, char *buf, size_t cap)
{
	return reply_format_probe(arg, REPLY_NAMES_096, buf, cap);
}

static size_t fmt_support(const void *arg, char *buf, size_t cap)
{
	return reply_format_support(1234, arg, buf, cap);
}

static size_t fmt_error(const void *arg, char *buf, size_t cap)
{
	return reply_format_request_error(arg, buf, cap);
}

static size_t fmt_overflow(const void *arg, char *buf, size_t cap)
{
	(void)arg;
	return reply_format_overflow(buf, cap);
}

static void test_format_buffer_too_small(void **state)
{
	struct probe_reply r;
	struct request req;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.token = 11;
	r.type = REPLY_TTL_EXPIRED;
	r.responder = v6(a6_db8_1);
	r.has_rtt = true;
	r.rtt_us = 834;
	r.mpls = &mpls_three;
	check_all_caps(fmt_probe, &r,
		       "11 ttl-expired ip-6 2001:db8::1 round-trip-time 834 "
		       "mpls 1048575,7,0,1,24000,3,0,254,16,0,1,253\n");
	r.type = REPLY_UNEXPECTED_ERROR;
	r.err = 22;
	check_all_caps(fmt_probe, &r, "11 unexpected-error errno 22\n");
	check_all_caps(fmt_support, "ok", "1234 feature-support support ok\n");
	check_all_caps(fmt_overflow, NULL, "0 command-buffer-overflow\n");
	parse_str("2 send-probe", &req);
	check_all_caps(fmt_error, &req,
		       "2 invalid-argument reason ip-version-not-supported\n");
	parse_str("2 2", &req);
	check_all_caps(fmt_error, &req, "2 unknown-command\n");
	parse_str("2", &req);
	check_all_caps(fmt_error, &req, "0 command-parse-error\n");
}

static void test_format_support(void **state)
{
	char buf[REPLY_MAX_LINE];

	(void)state;
	assert_int_equal(reply_format_support(13, "0.95", buf, sizeof(buf)),
			 strlen("13 feature-support support 0.95\n"));
	assert_string_equal(buf, "13 feature-support support 0.95\n");
	reply_format_support(0, "no", buf, sizeof(buf));
	assert_string_equal(buf, "0 feature-support support no\n");
	reply_format_support(2147483647, "ok", buf, sizeof(buf));
	assert_string_equal(buf, "2147483647 feature-support support ok\n");
	/* a value that would break the line's framing is refused */
	assert_int_equal(reply_format_support(1, "", buf, sizeof(buf)), 0);
	assert_int_equal(reply_format_support(1, "a b", buf, sizeof(buf)), 0);
	assert_int_equal(reply_format_support(1, "a\n", buf, sizeof(buf)), 0);
	assert_int_equal(reply_format_support(1, "\xc3\xa9", buf, sizeof(buf)),
			 0);
}

static void test_format_request_error(void **state)
{
	static const struct {
		enum request_status status;
		enum request_reason reason;
		int32_t token;
		const char *want;
	} cases[] = {
		{ REQ_PARSE_ERROR, REASON_NONE, 0, "0 command-parse-error\n" },
		/* a parse error never echoes a token */
		{ REQ_PARSE_ERROR, REASON_NONE, 99, "0 command-parse-error\n" },
		{ REQ_UNKNOWN_COMMAND, REASON_NONE, 99, "99 unknown-command\n" },
		{ REQ_INVALID_ARGUMENT, REASON_NONE, 2147483647,
		  "2147483647 invalid-argument\n" },
		{ REQ_INVALID_ARGUMENT, REASON_IP_VERSION, 0,
		  "0 invalid-argument reason ip-version-not-supported\n" },
		{ REQ_INVALID_ARGUMENT, REASON_PROTOCOL, 31,
		  "31 invalid-argument reason protocol-not-supported\n" },
	};
	char buf[REPLY_MAX_LINE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct request req;

		memset(&req, 0, sizeof(req));
		req.status = cases[i].status;
		req.reason = cases[i].reason;
		req.token = cases[i].token;
		assert_string_equal(error_line(&req, buf, sizeof(buf)),
				    cases[i].want);
	}
}

static void test_format_overflow(void **state)
{
	char buf[REPLY_MAX_LINE];

	(void)state;
	assert_int_equal(reply_format_overflow(buf, sizeof(buf)), 26);
	assert_string_equal(buf, "0 command-buffer-overflow\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_check_support),
		cmocka_unit_test(test_send_probe_defaults),
		cmocka_unit_test(test_send_probe_all_fields),
		cmocka_unit_test(test_protocol_values),
		cmocka_unit_test(test_numeric_arguments),
		cmocka_unit_test(test_numeric_empty_value),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_local_address),
		cmocka_unit_test(test_many_pairs),
		cmocka_unit_test(test_format_probe),
		cmocka_unit_test(test_format_longest),
		cmocka_unit_test(test_format_buffer_too_small),
		cmocka_unit_test(test_format_support),
		cmocka_unit_test(test_format_request_error),
		cmocka_unit_test(test_format_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

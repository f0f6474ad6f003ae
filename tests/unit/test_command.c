/*
 * test_command.c: request parsing and reply formatting (probe/command.c)
 * against hopprobe(8).
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

/* The ranges of hopprobe(8), written out again. */
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

static void check_addr_cases(const struct addr_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct addr_case *c = &cases[i];
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

static void test_addresses(void **state)
{
	(void)state;
	check_addr_cases(addr_cases, sizeof(addr_cases) / sizeof(addr_cases[0]));
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

/* ---- every name, near misses, duplicates, missing values -------------- */

/*
 * Every argument name of send-probe with a value that it refuses: once the
 * name is recognized the line is an error, so a name that the parser
 * failed to recognize would show as REQ_OK (unknown names are ignored).
 */
static const struct {
	const char *name;
	const char *bad_value;
	enum request_reason reason;
} send_probe_names[] = {
	{ "ip-4", "x", REASON_NONE },
	{ "ip-6", "x", REASON_NONE },
	{ "protocol", "x", REASON_PROTOCOL },
	{ "port", "x", REASON_NONE },
	{ "local-ip-4", "x", REASON_NONE },
	{ "local-ip-6", "x", REASON_NONE },
	{ "local-port", "x", REASON_NONE },
	{ "local-device", "1234567890123456", REASON_NONE },
	{ "ttl", "x", REASON_NONE },
	{ "tos", "x", REASON_NONE },
	{ "size", "x", REASON_NONE },
	{ "bit-pattern", "x", REASON_NONE },
	{ "mark", "x", REASON_NONE },
	{ "timeout", "x", REASON_NONE },
	{ "reply-details", "x", REASON_NONE },
	{ "flow", "x", REASON_NONE },
	{ "dont-fragment", "x", REASON_NONE },
	{ "timeout-ms", "x", REASON_NONE },
	{ "link-events", "x", REASON_NONE },
	{ "rtt-ns", "x", REASON_NONE },
};

#define N_SEND_PROBE_NAMES \
	(sizeof(send_probe_names) / sizeof(send_probe_names[0]))

static void expect_line(const char *line, enum request_status status,
			enum request_reason reason)
{
	struct request req;

	parse_str(line, &req);
	if (req.status != status ||
	    (status == REQ_INVALID_ARGUMENT && req.reason != reason))
		fail_msg("\"%s\": status %d reason %d, want %d %d", line,
			 (int)req.status, (int)req.reason, (int)status,
			 (int)reason);
}

static void test_every_name(void **state)
{
	char line[256];
	size_t i;

	(void)state;
	for (i = 0; i < N_SEND_PROBE_NAMES; i++) {
		/* ip-4 first would clash with a second destination */
		const char *dst = strcmp(send_probe_names[i].name, "ip-6") == 0 ||
				  strcmp(send_probe_names[i].name,
					 "local-ip-6") == 0 ?
				  "ip-6 2001:db8::1" : "ip-4 192.0.2.1";

		if (strncmp(send_probe_names[i].name, "ip-", 3) == 0)
			dst = "";
		snprintf(line, sizeof(line), "4 send-probe %s %s %s", dst,
			 send_probe_names[i].name, send_probe_names[i].bad_value);
		expect_line(line, REQ_INVALID_ARGUMENT,
			    send_probe_names[i].reason);
	}
	/* feature belongs to check-support and is ignored by send-probe */
	expect_line("4 check-support feature x", REQ_OK, REASON_NONE);
	expect_line("4 send-probe ip-4 192.0.2.1 feature x", REQ_OK,
		    REASON_NONE);
	/* and the send-probe names are ignored by check-support */
	expect_line("4 check-support ttl x feature y ip-4 z", REQ_OK,
		    REASON_NONE);
}

static bool is_send_probe_name(const char *name)
{
	size_t i;

	for (i = 0; i < N_SEND_PROBE_NAMES; i++)
		if (strcmp(name, send_probe_names[i].name) == 0)
			return true;
	return false;
}

/*
 * Names one byte away from a real one, one byte shorter or longer, or of
 * another case: all unknown, so all ignored.  These catch a lookup that
 * looks at only part of a name.
 */
static void test_near_miss_names(void **state)
{
	static const char replacements[] = "a-4Z\x01\xff";
	char name[32], line[256];
	size_t i, pos, r, len;

	(void)state;
	for (i = 0; i < N_SEND_PROBE_NAMES; i++) {
		const char *real = send_probe_names[i].name;

		len = strlen(real);
		for (pos = 0; pos < len; pos++) {
			for (r = 0; r < sizeof(replacements) - 1; r++) {
				if (real[pos] == replacements[r])
					continue;
				memcpy(name, real, len + 1);
				name[pos] = replacements[r];
				if (is_send_probe_name(name))
					continue;
				snprintf(line, sizeof(line),
					 "4 send-probe ip-4 192.0.2.1 %s %s",
					 name, send_probe_names[i].bad_value);
				expect_line(line, REQ_OK, REASON_NONE);
			}
		}
		/* one byte short, from either end, and one byte long */
		snprintf(line, sizeof(line),
			 "4 send-probe ip-4 192.0.2.1 %.*s x %s x %sx x %c%s x",
			 (int)(len - 1), real, real + 1, real, real[0], real);
		expect_line(line, REQ_OK, REASON_NONE);
	}
	expect_line("4 send-probe ip-4 192.0.2.1 TTL x Ttl x ttL x", REQ_OK,
		    REASON_NONE);
	expect_line("4 check-support featur x", REQ_INVALID_ARGUMENT,
		    REASON_NONE);
	expect_line("4 check-support features x", REQ_INVALID_ARGUMENT,
		    REASON_NONE);
	expect_line("4 check-support eature x", REQ_INVALID_ARGUMENT,
		    REASON_NONE);
	expect_line("4 check-support featurE x", REQ_INVALID_ARGUMENT,
		    REASON_NONE);
	/* the command names, too */
	expect_line("4 send-probX ip-4 192.0.2.1", REQ_UNKNOWN_COMMAND,
		    REASON_NONE);
	expect_line("4 Xend-probe ip-4 192.0.2.1", REQ_UNKNOWN_COMMAND,
		    REASON_NONE);
	expect_line("4 send-prob ip-4 192.0.2.1", REQ_UNKNOWN_COMMAND,
		    REASON_NONE);
	expect_line("4 check-supporX feature x", REQ_UNKNOWN_COMMAND,
		    REASON_NONE);
	expect_line("4 check-suppor feature x", REQ_UNKNOWN_COMMAND,
		    REASON_NONE);
	expect_line("4 check-supports feature x", REQ_UNKNOWN_COMMAND,
		    REASON_NONE);
	expect_line("4 xcheck-support feature x", REQ_UNKNOWN_COMMAND,
		    REASON_NONE);
}

/*
 * The extensions' arguments (hopprobe(8), EXTENSIONS): off unless given,
 * each value range enforced at both ends, the switches 0 or 1 only.
 */
static void test_extension_arguments(void **state)
{
	static const struct {
		const char *arg;
		const char *lowest_bad, *lowest, *highest, *highest_bad;
	} ranges[] = {
		{ "reply-details", NULL, "0", "1", "2" },
		{ "flow", NULL, "0", "65535", "65536" },
		{ "dont-fragment", NULL, "0", "1", "2" },
		{ "timeout-ms", "0", "1", "86400000", "86400001" },
		{ "link-events", NULL, "0", "1", "2" },
		{ "rtt-ns", NULL, "0", "1", "2" },
	};
	struct request req;
	char line[256];
	size_t i;

	(void)state;
	parse_str("7 send-probe ip-4 192.0.2.1", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_false(req.probe.reply_details);
	assert_false(req.probe.has_flow);
	assert_false(req.probe.dont_fragment);
	assert_int_equal(req.probe.timeout_ms, 0);
	assert_false(req.probe.link_events);
	assert_false(req.probe.rtt_ns);

	parse_str("7 send-probe ip-6 2001:db8::1 reply-details 1 flow 513 "
		  "dont-fragment 1 timeout-ms 300 link-events 1 rtt-ns 1 "
		  "timeout 2", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_true(req.probe.reply_details);
	assert_true(req.probe.has_flow);
	assert_int_equal(req.probe.flow, 513);
	assert_true(req.probe.dont_fragment);
	assert_int_equal(req.probe.timeout_ms, 300);
	assert_int_equal(req.probe.timeout, 2);
	assert_true(req.probe.link_events);
	assert_true(req.probe.rtt_ns);

	/* flow 0 is a flow; a switch at 0 is off */
	parse_str("7 send-probe ip-4 192.0.2.1 flow 0 rtt-ns 0 "
		  "reply-details 0", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_true(req.probe.has_flow);
	assert_int_equal(req.probe.flow, 0);
	assert_false(req.probe.rtt_ns);
	assert_false(req.probe.reply_details);

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		snprintf(line, sizeof(line), "7 send-probe ip-4 192.0.2.1 %s %s",
			 ranges[i].arg, ranges[i].lowest);
		expect_line(line, REQ_OK, REASON_NONE);
		snprintf(line, sizeof(line), "7 send-probe ip-4 192.0.2.1 %s %s",
			 ranges[i].arg, ranges[i].highest);
		expect_line(line, REQ_OK, REASON_NONE);
		snprintf(line, sizeof(line), "7 send-probe ip-4 192.0.2.1 %s %s",
			 ranges[i].arg, ranges[i].highest_bad);
		expect_line(line, REQ_INVALID_ARGUMENT, REASON_NONE);
		snprintf(line, sizeof(line), "7 send-probe ip-4 192.0.2.1 %s -1",
			 ranges[i].arg);
		expect_line(line, REQ_INVALID_ARGUMENT, REASON_NONE);
		if (ranges[i].lowest_bad) {
			snprintf(line, sizeof(line),
				 "7 send-probe ip-4 192.0.2.1 %s %s",
				 ranges[i].arg, ranges[i].lowest_bad);
			expect_line(line, REQ_INVALID_ARGUMENT, REASON_NONE);
		}
	}
	/* "pps" belongs to set-rate; send-probe ignores it, like "feature" */
	expect_line("7 send-probe ip-4 192.0.2.1 pps x", REQ_OK, REASON_NONE);
	/* and "tos", of the same length and last byte, is still tos */
	expect_line("7 send-probe ip-4 192.0.2.1 tos x", REQ_INVALID_ARGUMENT,
		    REASON_NONE);
}

static void test_set_rate(void **state)
{
	struct request req;

	(void)state;
	parse_str("9 set-rate pps 1000", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.command, CMD_SET_RATE);
	assert_int_equal(req.token, 9);
	assert_int_equal(req.rate_pps, 1000);
	parse_str("9 set-rate pps 0", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.rate_pps, 0);
	parse_str("9 set-rate pps 100000000", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.rate_pps, 100000000);
	expect_line("9 set-rate pps 100000001", REQ_INVALID_ARGUMENT,
		    REASON_NONE);
	expect_line("9 set-rate pps -1", REQ_INVALID_ARGUMENT, REASON_NONE);
	expect_line("9 set-rate pps x", REQ_INVALID_ARGUMENT, REASON_NONE);
	expect_line("9 set-rate", REQ_INVALID_ARGUMENT, REASON_NONE);
	/* near misses of the name are unknown, so pps is missing */
	expect_line("9 set-rate pp 5", REQ_INVALID_ARGUMENT, REASON_NONE);
	expect_line("9 set-rate ppss 5", REQ_INVALID_ARGUMENT, REASON_NONE);
	expect_line("9 set-rate tps 5", REQ_INVALID_ARGUMENT, REASON_NONE);
	expect_line("9 set-rate PPS 5", REQ_INVALID_ARGUMENT, REASON_NONE);
	/* a name without a value is a parse error, as everywhere */
	expect_line("9 set-rate pps", REQ_PARSE_ERROR, REASON_NONE);
	/* the command's own near misses */
	expect_line("9 set-ratE pps 5", REQ_UNKNOWN_COMMAND, REASON_NONE);
	expect_line("9 set-rat pps 5", REQ_UNKNOWN_COMMAND, REASON_NONE);
	expect_line("9 set-rates pps 5", REQ_UNKNOWN_COMMAND, REASON_NONE);
}

/* Any name as the last token, with no value: a parse error. */
static void test_missing_value(void **state)
{
	char line[256];
	size_t i;

	(void)state;
	for (i = 0; i < N_SEND_PROBE_NAMES; i++) {
		snprintf(line, sizeof(line), "4 send-probe ip-4 192.0.2.1 %s",
			 send_probe_names[i].name);
		expect_line(line, REQ_PARSE_ERROR, REASON_NONE);
		snprintf(line, sizeof(line), "4 send-probe %s \t\r\v\f ",
			 send_probe_names[i].name);
		expect_line(line, REQ_PARSE_ERROR, REASON_NONE);
		snprintf(line, sizeof(line), "4 check-support feature x %s",
			 send_probe_names[i].name);
		expect_line(line, REQ_PARSE_ERROR, REASON_NONE);
	}
	expect_line("4 send-probe ip-4 192.0.2.1 unknown-name",
		    REQ_PARSE_ERROR, REASON_NONE);
	expect_line("4 nonsense name", REQ_PARSE_ERROR, REASON_NONE);
}

/* A name given twice: the last value is the one used, and checked. */
static void test_duplicate_names(void **state)
{
	static const struct {
		const char *arg;
		const char *first;	/* a valid value */
		const char *second;	/* another valid value */
	} dups[] = {
		{ "port", "7", "65535" },
		{ "local-port", "1024", "2000" },
		{ "ttl", "1", "200" },
		{ "tos", "0", "255" },
		{ "size", "0", "65535" },
		{ "bit-pattern", "170", "85" },
		{ "mark", "1", "4294967295" },
		{ "timeout", "86400", "0" },
	};
	char line[256];
	struct request req;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dups) / sizeof(dups[0]); i++) {
		snprintf(line, sizeof(line),
			 "5 send-probe ip-4 192.0.2.1 %s %s %s %s", dups[i].arg,
			 dups[i].first, dups[i].arg, dups[i].second);
		parse_str(line, &req);
		assert_int_equal(req.status, REQ_OK);
		assert_int_equal(probe_field(&req.probe, dups[i].arg),
				 strtoull(dups[i].second, NULL, 10));
		/* a bad value replaced by a good one is harmless */
		snprintf(line, sizeof(line),
			 "5 send-probe ip-4 192.0.2.1 %s x %s %s", dups[i].arg,
			 dups[i].arg, dups[i].second);
		expect_line(line, REQ_OK, REASON_NONE);
		/* a good value replaced by a bad one is an error */
		snprintf(line, sizeof(line),
			 "5 send-probe ip-4 192.0.2.1 %s %s %s 99999999999",
			 dups[i].arg, dups[i].first, dups[i].arg);
		expect_line(line, REQ_INVALID_ARGUMENT, REASON_NONE);
	}
	parse_str("5 send-probe ip-4 192.0.2.1 local-device eth0 "
		  "local-device lo", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_string_equal(req.probe.device, "lo");
	parse_str("5 send-probe ip-6 2001:db8::1%eth0 ip-6 2001:db8::2", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.probe.dst.bytes[15], 2);
	assert_string_equal(req.probe.dst_scope, "");
	parse_str("5 send-probe ip-6 2001:db8::1 ip-6 2001:db8::3%lo", &req);
	assert_int_equal(req.status, REQ_OK);
	assert_int_equal(req.probe.dst.bytes[15], 3);
	assert_string_equal(req.probe.dst_scope, "lo");
	expect_line("5 send-probe ip-4 192.0.2.1 protocol udp protocol x",
		    REQ_INVALID_ARGUMENT, REASON_PROTOCOL);
}

/*
 * Numbers at the digit-count bounds: ten digits still fit below 2^32,
 * eleven do not unless they are leading zeros.
 */
static void test_numeric_digit_counts(void **state)
{
	static const struct {
		const char *arg;
		const char *value;
		bool ok;
		uint64_t want;
	} cases[] = {
		{ "mark", "4294967295", true, 4294967295u },
		{ "mark", "04294967295", true, 4294967295u },
		{ "mark", "0000000000000004294967295", true, 4294967295u },
		{ "mark", "4294967296", false, 0 },
		{ "mark", "9999999999", false, 0 },
		{ "mark", "10000000000", false, 0 },
		{ "mark", "00000000010000000000", false, 0 },
		{ "mark", "0000000000", true, 0 },
		{ "mark", "00000000000", true, 0 },
		{ "mark", "000000000000000000000000000000000000000000001", true,
		  1 },
		{ "mark", "1000000000", true, 1000000000 },
		{ "mark", "0", true, 0 },
		{ "ttl", "00000000000000000000000255", true, 255 },
		{ "ttl", "0000000000000000000000000256", false, 0 },
		{ "ttl", "00000000000000000000000000", false, 0 },
		{ "port", "00000000000000000000000000", false, 0 },
		{ "timeout", "000086400", true, 86400 },
		{ "timeout", "0000086401", false, 0 },
		{ "size", "65535", true, 65535 },
		{ "size", "065536", false, 0 },
		{ "size", "6553\x01", false, 0 },
		{ "size", "\x80" "1", false, 0 },
		{ "size", "1/", false, 0 },
		{ "size", "1:", false, 0 },
		{ "size", "/1", false, 0 },
		{ "size", ":1", false, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_numeric(cases[i].arg, cases[i].value, cases[i].ok,
			       cases[i].want);
}

/* The token at its bounds, and at every length with leading zeros. */
static void test_token_bounds(void **state)
{
	static const struct {
		const char *token;
		bool ok;
		int32_t want;
	} cases[] = {
		{ "0", true, 0 },
		{ "00", true, 0 },
		{ "9", true, 9 },
		{ "2147483647", true, 2147483647 },
		{ "02147483647", true, 2147483647 },
		{ "000000000000000000000000002147483647", true, 2147483647 },
		{ "2147483648", false, 0 },
		{ "9999999999", false, 0 },
		{ "10000000000", false, 0 },
		{ "1000000000", true, 1000000000 },
		{ "0000000000000", true, 0 },
	};
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct request req;

		snprintf(line, sizeof(line), "%s check-support feature x",
			 cases[i].token);
		parse_str(line, &req);
		if (cases[i].ok) {
			assert_int_equal(req.status, REQ_OK);
			assert_int_equal(req.token, cases[i].want);
		} else {
			assert_int_equal(req.status, REQ_PARSE_ERROR);
			assert_int_equal(req.token, 0);
		}
	}
}

/* ---- tokens at every length and offset ------------------------------ */

/*
 * A feature name of every length from 1 to 31 bytes, after 0 to 16
 * separators of each kind and followed by 0 to 3 of them: the token is
 * exactly the name whatever its place in the line, which exercises every
 * alignment of a token against a word-at-a-time scan.
 */
static void test_token_offsets(void **state)
{
	static const char seps[] = " \t\r\v\f";
	char line[128], name[32];
	size_t len, lead, trail, s;

	(void)state;
	for (len = 1; len <= 31; len++) {
		for (s = 0; s < len; s++)
			name[s] = (char)('a' + (s * 7) % 26);
		name[len] = '\0';
		for (lead = 0; lead <= 16; lead++) {
			for (trail = 0; trail <= 3; trail++) {
				char sep = seps[(len + lead + trail) % 5];
				struct request req;
				size_t n = 0;

				memset(line, sep, lead);
				n = lead;
				n += (size_t)snprintf(line + n, sizeof(line) - n,
						      "1%ccheck-support%cfeature"
						      "%c%s", sep, sep, sep,
						      name);
				memset(line + n, sep, trail);
				n += trail;
				parse_exact(line, n, &req);
				assert_int_equal(req.status, REQ_OK);
				assert_string_equal(req.feature, name);
			}
		}
	}
}

/*
 * Bytes that are not separators are text, wherever they fall in a token:
 * control bytes below ' ' (other than the separators), DEL and bytes with
 * the top bit set.  A NUL anywhere makes the line a parse error.
 */
static void test_token_bytes(void **state)
{
	static const char odd[] = "\x01\x08\n\x0e\x1f!\x7f\x80\xa0\xff";
	static const char seps[] = " \t\r\v\f";
	char line[128], name[32];
	size_t pos, k, n;
	struct request req;

	(void)state;
	for (k = 0; k < sizeof(odd) - 1; k++) {
		for (pos = 0; pos < 20; pos++) {
			memset(name, 'q', 20);
			name[pos] = odd[k];
			name[20] = '\0';
			n = (size_t)snprintf(line, sizeof(line),
					     "1 check-support feature %s", name);
			parse_exact(line, n, &req);
			assert_int_equal(req.status, REQ_OK);
			assert_memory_equal(req.feature, name, 21);
		}
	}
	/* each separator splits a token at every place */
	for (k = 0; k < sizeof(seps) - 1; k++) {
		for (pos = 1; pos < 19; pos++) {
			memset(name, 'q', 20);
			name[pos] = seps[k];
			name[20] = '\0';
			n = (size_t)snprintf(line, sizeof(line),
					     "1 check-support feature %s", name);
			parse_exact(line, n, &req);
			/* "feature qq.. qq..": a name without a value */
			assert_int_equal(req.status, REQ_PARSE_ERROR);
		}
	}
	/* a NUL at every place of a valid line */
	n = (size_t)snprintf(line, sizeof(line),
			     "12 send-probe ip-4 192.0.2.1 ttl 5 timeout 10 "
			     "size 64 protocol icmp");
	for (pos = 0; pos < n; pos++) {
		char copy[128];

		memcpy(copy, line, n);
		copy[pos] = '\0';
		parse_exact(copy, n, &req);
		if (req.status != REQ_PARSE_ERROR)
			fail_msg("NUL at %zu: status %d", pos, (int)req.status);
	}
	parse_exact(line, n, &req);
	assert_int_equal(req.status, REQ_OK);
}

/* ---- address forms -------------------------------------------------- */

static const struct addr_case more_addr_cases[] = {
	/* IPv4: only four decimal parts without leading zeros */
	{ "1 send-probe ip-4 0.0.0.0", true, AF_INET, { 0 }, "" },
	{ "1 send-probe ip-4 255.255.255.255", true, AF_INET,
	  { 0xff, 0xff, 0xff, 0xff }, "" },
	{ "1 send-probe ip-4 198.51.100.10", true, AF_INET,
	  { 198, 51, 100, 10 }, "" },
	{ "1 send-probe ip-4 203.0.113.9\t", true, AF_INET,
	  { 203, 0, 113, 9 }, "" },
	{ "1 send-probe ip-4 198.051.100.4", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.04", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.00", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.1000", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.0255", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 1..2.3", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 .1.2.3", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.4.5", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.-1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.4/24", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.4\x01", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.4\n", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.4:80", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 16909060", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 192.0.2.4a", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 256.1.1.1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-4 1.300.1.1", false, 0, { 0 }, NULL },
	/* IPv6: RFC 4291 section 2.2 */
	{ "1 send-probe ip-6 ::", true, AF_INET6, { 0 }, "" },
	{ "1 send-probe ip-6 0:0:0:0:0:0:0:0", true, AF_INET6, { 0 }, "" },
	{ "1 send-probe ip-6 2001:db8::", true, AF_INET6,
	  { 0x20, 0x01, 0x0d, 0xb8 }, "" },
	{ "1 send-probe ip-6 2001:0db8:0000:0000:0000:0000:0000:0001", true,
	  AF_INET6, { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	  0, 1 }, "" },
	{ "1 send-probe ip-6 1:2:3:4:5:6:7:8", true, AF_INET6,
	  { 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8 }, "" },
	{ "1 send-probe ip-6 1:2:3:4:5:6:7::", true, AF_INET6,
	  { 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0 }, "" },
	{ "1 send-probe ip-6 ::2:3:4:5:6:7:8", true, AF_INET6,
	  { 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8 }, "" },
	{ "1 send-probe ip-6 1::8", true, AF_INET6,
	  { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8 }, "" },
	{ "1 send-probe ip-6 fFfF:ABCD::eF", true, AF_INET6,
	  { 0xff, 0xff, 0xab, 0xcd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xef },
	  "" },
	{ "1 send-probe ip-6 ::ffff:192.0.2.1", true, AF_INET6,
	  { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1 }, "" },
	{ "1 send-probe ip-6 ::192.0.2.1", true, AF_INET6,
	  { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1 }, "" },
	{ "1 send-probe ip-6 1:2:3:4:5:6:192.0.2.1", true, AF_INET6,
	  { 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 192, 0, 2, 1 }, "" },
	{ "1 send-probe ip-6 2001:db8::192.0.2.1%eth0", true, AF_INET6,
	  { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1 },
	  "eth0" },
	{ "1 send-probe ip-6 fe80::1%eth0.100", true, AF_INET6,
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  "eth0.100" },
	{ "1 send-probe ip-6 fe80::1%a%b", true, AF_INET6,
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "a%b" },
	{ "1 send-probe ip-6 ::%lo", true, AF_INET6, { 0 }, "lo" },
	{ "1 send-probe ip-6 fe80::1%%", true, AF_INET6,
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "%" },
	{ "1 send-probe ip-6 1:2:3:4:5:6:7:8:9", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 1:2:3:4::5:6:7:8", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 1:2:3:4:5:6:7", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 1::2::3", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 :::", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 1:::2", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 :1::2", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 1::2:", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 :", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 1:", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 :1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 12345::1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 00000::1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 g::1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::-1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 1:2:3:4:5:6:7:192.0.2.1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 1:2:3:4:5:6::192.0.2.1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::192.0.2.01", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::192.0.2", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::192.0.2.1.", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::192.0.2.1:1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::192.0.2.256", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 192.0.2.1::", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::ab.0.2.1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::.0.2.1", false, 0, { 0 }, NULL },
	{ "1 send-probe ip-6 ::1%\x01", true, AF_INET6,
	  { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "\x01" },
};

static void test_more_addresses(void **state)
{
	(void)state;
	check_addr_cases(more_addr_cases,
			 sizeof(more_addr_cases) / sizeof(more_addr_cases[0]));
}

/*
 * A deterministic generator of address-like strings: groups of hex
 * digits of any length, colons single and double, dotted parts, and odd
 * bytes, so that most are nearly valid.
 */
static uint64_t test_rand_state = 0x9e3779b97f4a7c15u;

static unsigned test_rand(unsigned n)
{
	test_rand_state ^= test_rand_state << 13;
	test_rand_state ^= test_rand_state >> 7;
	test_rand_state ^= test_rand_state << 17;
	return (unsigned)(test_rand_state % n);
}

static size_t make_address_text(char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	size_t n = 0;
	unsigned groups = test_rand(10), g, k;

	if (test_rand(4) == 0)
		out[n++] = ':';
	for (g = 0; g < groups && n + 24 < cap; g++) {
		unsigned digits = test_rand(6);

		if (g > 0 || test_rand(3) == 0)
			out[n++] = ':';
		if (test_rand(6) == 0)
			out[n++] = ':';
		if (g + 1 == groups && test_rand(3) == 0) {
			/* a dotted quad, valid or nearly */
			for (k = 0; k < 4 + (test_rand(8) == 0); k++) {
				if (k > 0)
					out[n++] = '.';
				n += (size_t)snprintf(out + n, cap - n, "%u",
						      test_rand(5) ? test_rand(256)
								   : test_rand(1000));
			}
			continue;
		}
		for (k = 0; k < digits; k++)
			out[n++] = hex[test_rand(sizeof(hex) - 1)];
	}
	if (test_rand(5) == 0)
		out[n++] = ':';
	if (test_rand(30) == 0 && n > 0)
		out[test_rand((unsigned)n)] = "g.-x"[test_rand(4)];
	out[n] = '\0';
	return n;
}

/*
 * Addresses are parsed exactly as inet_pton() parses them: the parser
 * writes out both forms itself, so many generated strings, mostly near
 * valid, are compared with the C library's own reading of them.
 */
static void test_addresses_like_inet_pton(void **state)
{
	char text[96], line[160];
	size_t i, valid = 0;

	(void)state;
	for (i = 0; i < 40000; i++) {
		bool v6 = i % 4 != 0;
		uint8_t want[16];
		struct request req;
		int ok;

		if (v6) {
			make_address_text(text, sizeof(text));
		} else {
			snprintf(text, sizeof(text), "%u.%u.%u.%u",
				 test_rand(4) ? test_rand(256) : test_rand(1000),
				 test_rand(256), test_rand(300), test_rand(256));
			if (test_rand(4) == 0)
				text[test_rand((unsigned)strlen(text))] =
					"0.9x:"[test_rand(5)];
		}
		if (text[0] == '\0')
			continue;
		memset(want, 0, sizeof(want));
		ok = inet_pton(v6 ? AF_INET6 : AF_INET, text, want);
		snprintf(line, sizeof(line), "1 send-probe %s %s",
			 v6 ? "ip-6" : "ip-4", text);
		parse_str(line, &req);
		if ((ok == 1) != (req.status == REQ_OK))
			fail_msg("\"%s\": inet_pton %d, status %d", text, ok,
				 (int)req.status);
		if (ok == 1) {
			valid++;
			assert_memory_equal(req.probe.dst.bytes, want,
					    v6 ? 16 : 4);
		}
	}
	/* The generator must reach both sides for the test to mean much. */
	assert_true(valid > 5000);
	assert_true(valid < 35000);
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
 * packet-too-big (dont-fragment, hopprobe(8)): from a router with its
 * round trip and MTU, then any labels; from this host with the MTU alone.
 * The word is the same for both unreachable naming schemes.
 */
static void test_format_too_big(void **state)
{
	static const struct {
		bool from_router;
		uint32_t mtu;
		const struct mpls_stack *mpls;
		enum reply_names names;
		const char *want;
	} cases[] = {
		{ true, 1280, NULL, REPLY_NAMES_096,
		  "12 packet-too-big ip-4 192.0.2.65 round-trip-time 850 "
		  "mtu 1280\n" },
		{ true, 1492, &mpls_one, REPLY_NAMES_095,
		  "12 packet-too-big ip-4 192.0.2.65 round-trip-time 850 "
		  "mtu 1492 mpls 16,0,1,255\n" },
		{ false, 1500, NULL, REPLY_NAMES_096,
		  "12 packet-too-big mtu 1500\n" },
		{ false, 4294967295u, NULL, REPLY_NAMES_095,
		  "12 packet-too-big mtu 4294967295\n" },
		{ false, 0, NULL, REPLY_NAMES_096,
		  "12 packet-too-big mtu 0\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_reply r;
		char buf[REPLY_MAX_LINE];
		size_t n;

		memset(&r, 0, sizeof(r));
		r.token = 12;
		r.type = REPLY_PACKET_TOO_BIG;
		if (cases[i].from_router) {
			r.responder = v4(192, 0, 2, 65);
			r.has_rtt = true;
			r.rtt_us = 850;
		}
		r.has_mtu = true;
		r.mtu = cases[i].mtu;
		r.mpls = cases[i].mpls;
		n = reply_format_probe(&r, cases[i].names, buf, sizeof(buf));
		if (n != strlen(cases[i].want) || strcmp(buf, cases[i].want))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
				 n ? buf : "", cases[i].want);
	}
}

/* ---- address and number text ------------------------------------------ */

static void expect_reply(const struct probe_reply *r, const char *want)
{
	char buf[REPLY_MAX_LINE];
	size_t n = reply_format_probe(r, REPLY_NAMES_096, buf, sizeof(buf));

	if (n != strlen(want) || strcmp(buf, want) != 0)
		fail_msg("got %zu \"%s\", want \"%s\"", n, n ? buf : "", want);
}

/*
 * IPv6 text as inet_ntop() writes it, written out by hand: RFC 5952 plus
 * the dotted quad that inet_ntop() keeps for the IPv4-mapped and the old
 * IPv4-compatible forms.
 */
static void test_format_ip6_forms(void **state)
{
	static const struct {
		uint8_t bytes[16];
		const char *text;
	} cases[] = {
		{ { 0 }, "::" },
		{ { 0, 1 }, "1::" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1 },
		  "::ffff:192.0.2.1" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1 },
		  "::192.0.2.1" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0 },
		  "::ffff:0.0.0.0" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 },
		  "::1.0.0.0" },
		/* 0:0:0:0:0:0:0:1 and 0:0:0:0:0:0:0:2 are not IPv4 forms */
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 }, "::2" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 192, 0, 2, 1 },
		  "::fffe:c000:201" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 192, 0, 2, 1 },
		  "::1:ffff:c000:201" },
		{ { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1 },
		  "1::c000:201" },
		/* the longer run wins; of equal runs, the first */
		{ { 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 },
		  "1:0:0:1::1" },
		{ { 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1 },
		  "1::1:0:0:1:1" },
		{ { 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0 },
		  "1:0:1:0:1:0:1:0" },
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		  "2001:db8::" },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
		{ { 0x00, 0x0a, 0x00, 0xab, 0x0a, 0xbc, 0xab, 0xcd, 0x10, 0x00,
		    0x01, 0x00, 0x00, 0x10, 0, 0 },
		  "a:ab:abc:abcd:1000:100:10:0" },
	};
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_reply r;

		memset(&r, 0, sizeof(r));
		r.token = 1;
		r.type = REPLY_REPLY;
		r.responder = v6(cases[i].bytes);
		snprintf(want, sizeof(want), "1 reply ip-6 %s\n", cases[i].text);
		expect_reply(&r, want);
	}
}

/*
 * Many addresses with zero groups in every arrangement, formatted here
 * and by the C library's inet_ntop(): the texts must be the same.
 */
static void test_format_like_inet_ntop(void **state)
{
	char text[INET6_ADDRSTRLEN], want[128];
	size_t i, g;

	(void)state;
	for (i = 0; i < 20000; i++) {
		uint8_t b[16];
		struct probe_reply r;

		for (g = 0; g < 8; g++) {
			unsigned w = test_rand(3) == 0 ? test_rand(65536) :
				     test_rand(4) == 0 ? test_rand(16) : 0;

			if (i % 16 == 0 && g == 5)
				w = 0xffff;
			b[2 * g] = (uint8_t)(w >> 8);
			b[2 * g + 1] = (uint8_t)w;
		}
		assert_non_null(inet_ntop(AF_INET6, b, text, sizeof(text)));
		memset(&r, 0, sizeof(r));
		r.token = 7;
		r.type = REPLY_TTL_EXPIRED;
		r.responder = v6(b);
		snprintf(want, sizeof(want), "7 ttl-expired ip-6 %s\n", text);
		expect_reply(&r, want);

		r.responder = v4(b[12], b[13], b[14], b[15]);
		assert_non_null(inet_ntop(AF_INET, b + 12, text, sizeof(text)));
		snprintf(want, sizeof(want), "7 ttl-expired ip-4 %s\n", text);
		expect_reply(&r, want);
	}
}

/*
 * link-events' network-down names its interface, as one token: a name
 * that is empty or holds white space, a control byte or a byte above
 * ASCII is left out rather than break the line.
 */
static void test_format_device(void **state)
{
	static const struct {
		const char *device;
		const char *want;
	} cases[] = {
		{ NULL, "5 network-down\n" },
		{ "hst-r1", "5 network-down device hst-r1\n" },
		{ "abcdefghijklmno", "5 network-down device abcdefghijklmno\n" },
		{ "a.b@c~!", "5 network-down device a.b@c~!\n" },
		{ "", "5 network-down\n" },
		{ "eth\x01", "5 network-down\n" },
		{ "eth 0", "5 network-down\n" },
		{ "eth\t0", "5 network-down\n" },
		{ "\xc3\xa9th0", "5 network-down\n" },
		{ "eth\x7f", "5 network-down\n" },
	};
	struct probe_reply r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.token = 5;
		r.type = REPLY_NETWORK_DOWN;
		r.device = cases[i].device;
		expect_reply(&r, cases[i].want);
	}
}

/* Numbers of every digit count, and negative tokens and errno values. */
static void test_format_numbers(void **state)
{
	char want[128];
	struct probe_reply r;
	uint64_t v;
	int digits;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.token = 1;
	r.type = REPLY_REPLY;
	r.has_rtt = true;
	for (digits = 1, v = 1; digits <= 20; digits++, v *= 10) {
		const uint64_t around[] = { v - 1, v, v + 1, v * 9 + (v - 1) };
		size_t k;

		for (k = 0; k < 4; k++) {
			/* 10^20 does not fit: the last round wraps, skip it */
			if (digits == 20 && k == 3)
				continue;
			r.rtt_us = around[k];
			snprintf(want, sizeof(want),
				 "1 reply round-trip-time %llu\n",
				 (unsigned long long)around[k]);
			expect_reply(&r, want);
		}
	}
	r.rtt_us = UINT64_MAX;
	expect_reply(&r, "1 reply round-trip-time 18446744073709551615\n");
	r.has_rtt = false;
	r.token = -1;
	expect_reply(&r, "-1 reply\n");
	r.token = INT32_MIN;
	expect_reply(&r, "-2147483648 reply\n");
	r.token = 100;
	r.type = REPLY_UNEXPECTED_ERROR;
	r.err = -5;
	expect_reply(&r, "100 unexpected-error errno -5\n");
	r.err = INT32_MIN;
	expect_reply(&r, "100 unexpected-error errno -2147483648\n");
	r.err = 2147483647;
	expect_reply(&r, "100 unexpected-error errno 2147483647\n");
	/* a family that is neither: nothing can be said, so no line */
	r.type = REPLY_REPLY;
	r.responder.family = 99;
	{
		char buf[REPLY_MAX_LINE];

		assert_int_equal(reply_format_probe(&r, REPLY_NAMES_096, buf,
						    sizeof(buf)),
				 0);
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

static size_t fmt_rate(const void *arg, char *buf, size_t cap)
{
	return reply_format_rate(77, *(const uint32_t *)arg, buf, cap);
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
	check_all_caps(fmt_rate, &(uint32_t){ 100000000 },
		       "77 rate-set pps 100000000\n");
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

/* set-rate's answer: the rate granted, in plain decimal. */
static void test_format_rate(void **state)
{
	char buf[REPLY_MAX_LINE];

	(void)state;
	assert_int_equal(reply_format_rate(9, 1000, buf, sizeof(buf)),
			 strlen("9 rate-set pps 1000\n"));
	assert_string_equal(buf, "9 rate-set pps 1000\n");
	reply_format_rate(0, 0, buf, sizeof(buf));
	assert_string_equal(buf, "0 rate-set pps 0\n");
	reply_format_rate(2147483647, 4294967295u, buf, sizeof(buf));
	assert_string_equal(buf, "2147483647 rate-set pps 4294967295\n");
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
		cmocka_unit_test(test_every_name),
		cmocka_unit_test(test_near_miss_names),
		cmocka_unit_test(test_extension_arguments),
		cmocka_unit_test(test_set_rate),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_duplicate_names),
		cmocka_unit_test(test_numeric_digit_counts),
		cmocka_unit_test(test_token_bounds),
		cmocka_unit_test(test_token_offsets),
		cmocka_unit_test(test_token_bytes),
		cmocka_unit_test(test_more_addresses),
		cmocka_unit_test(test_addresses_like_inet_pton),
		cmocka_unit_test(test_format_probe),
		cmocka_unit_test(test_format_too_big),
		cmocka_unit_test(test_format_ip6_forms),
		cmocka_unit_test(test_format_like_inet_ntop),
		cmocka_unit_test(test_format_numbers),
		cmocka_unit_test(test_format_device),
		cmocka_unit_test(test_format_longest),
		cmocka_unit_test(test_format_buffer_too_small),
		cmocka_unit_test(test_format_support),
		cmocka_unit_test(test_format_rate),
		cmocka_unit_test(test_format_request_error),
		cmocka_unit_test(test_format_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for the client side of the protocol (src/wire.c): reply
 * names both ways, addresses, the send-probe and check-support
 * formatters, and the reply parser on good lines and on every kind of
 * malformed one.  Expected lines and values are written from
 * hopprobe(8) and client.h, not from the code's output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "wire.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names ------------------------------------------------------------ */

static const struct {
	enum hp_kind kind;
	const char *name;
} kind_names[] = {
	{ HP_REPLY, "reply" },
	{ HP_TTL_EXPIRED, "ttl-expired" },
	{ HP_NO_REPLY, "no-reply" },
	{ HP_NO_ROUTE, "no-route" },
	{ HP_NO_ROUTE_NETWORK, "no-route-network" },
	{ HP_NO_ROUTE_HOST, "no-route-host" },
	{ HP_NETWORK_DOWN, "network-down" },
	{ HP_HOST_DOWN, "host-down" },
	{ HP_PERMISSION_DENIED, "permission-denied" },
	{ HP_ADDRESS_IN_USE, "address-in-use" },
	{ HP_ADDRESS_NOT_AVAILABLE, "address-not-available" },
	{ HP_INVALID_ARGUMENT, "invalid-argument" },
	{ HP_UNEXPECTED_ERROR, "unexpected-error" },
	{ HP_PACKET_TOO_BIG, "packet-too-big" },
};

static void test_kind_names(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(N_ELEM(kind_names), HP_WORKER_FAILED);
	for (i = 0; i < N_ELEM(kind_names); i++) {
		const char *n = kind_names[i].name;

		assert_string_equal(hp_kind_name(kind_names[i].kind), n);
		assert_int_equal(hp_kind_from_name(n, strlen(n)),
				 kind_names[i].kind);
		assert_int_equal(hp_wire_kind_from_name(n, strlen(n)),
				 kind_names[i].kind);
		assert_true(hp_wire_kind_is_result(
			(enum hp_wire_kind)kind_names[i].kind));
	}
	assert_string_equal(hp_kind_name(HP_WORKER_FAILED), "worker-failed");
	assert_int_equal(hp_kind_from_name("worker-failed", 13), -1);
}

static const struct {
	const char *name;
	size_t len;		/* 0: strlen */
	int hp_kind;		/* hp_kind_from_name */
	int wire_kind;		/* hp_wire_kind_from_name */
} other_names[] = {
	{ "probes-exhausted", 0, -1, HP_WIRE_PROBES_EXHAUSTED },
	{ "feature-support", 0, -1, HP_WIRE_FEATURE_SUPPORT },
	{ "command-parse-error", 0, -1, HP_WIRE_COMMAND_PARSE_ERROR },
	{ "command-buffer-overflow", 0, -1, HP_WIRE_COMMAND_BUFFER_OVERFLOW },
	{ "unknown-command", 0, -1, HP_WIRE_UNKNOWN_COMMAND },
	{ "Reply", 0, -1, -1 },			/* names are case-sensitive */
	{ "repl", 0, -1, -1 },
	{ "replyx", 0, -1, -1 },
	{ "reply", 4, -1, -1 },			/* only LEN bytes count */
	{ "no-routes", 0, -1, -1 },
	{ "", 0, -1, -1 },
	{ "worker-failed", 0, -1, -1 },
	{ "rate-set", 0, -1, HP_WIRE_RATE_SET },
	{ "rate-sets", 0, -1, -1 },
};

static void test_other_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(other_names); i++) {
		const char *n = other_names[i].name;
		size_t len = other_names[i].len ? other_names[i].len
						: strlen(n);

		assert_int_equal(hp_kind_from_name(n, len),
				 other_names[i].hp_kind);
		assert_int_equal(hp_wire_kind_from_name(n, len),
				 other_names[i].wire_kind);
	}
	assert_string_equal(hp_wire_kind_name(HP_WIRE_PROBES_EXHAUSTED),
			    "probes-exhausted");
	assert_null(hp_wire_kind_name((enum hp_wire_kind)HP_WORKER_FAILED));
	assert_null(hp_wire_kind_name(HP_WIRE_KIND_END));
	assert_false(hp_wire_kind_is_result(HP_WIRE_PROBES_EXHAUSTED));
	assert_false(hp_wire_kind_is_result(HP_WIRE_FEATURE_SUPPORT));
	assert_string_equal(hp_protocol_name(HP_ICMP), "icmp");
	assert_string_equal(hp_protocol_name(HP_UDP), "udp");
	assert_string_equal(hp_protocol_name(HP_TCP), "tcp");
	assert_string_equal(hp_protocol_name(HP_SCTP), "sctp");
}

/* ---- addresses -------------------------------------------------------- */

static const struct {
	const char *text;
	int family;		/* 0: must not parse */
	const char *formatted;
} addrs[] = {
	{ "192.0.2.1", AF_INET, "192.0.2.1" },
	{ "203.0.113.255", AF_INET, "203.0.113.255" },
	{ "2001:db8::1", AF_INET6, "2001:db8::1" },
	{ "2001:DB8:0:0:0:0:0:1", AF_INET6, "2001:db8::1" },
	{ "::ffff:192.0.2.1", AF_INET6, "::ffff:192.0.2.1" },
	{ "192.0.2.256", 0, NULL },
	{ "192.0.2", 0, NULL },
	{ "192.0.2.1 ", 0, NULL },
	{ "example.com", 0, NULL },
	{ "", 0, NULL },
	{ "2001:db8::1::2", 0, NULL },
};

static void test_addresses(void **state)
{
	struct hp_addr a, b, none;
	char buf[HP_ADDR_TEXT];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(addrs); i++) {
		memset(&a, 0x5a, sizeof(a));
		if (!addrs[i].family) {
			assert_int_equal(hp_addr_parse(addrs[i].text, &a), -1);
			continue;
		}
		assert_int_equal(hp_addr_parse(addrs[i].text, &a), 0);
		assert_int_equal(a.family, addrs[i].family);
		hp_addr_format(&a, buf, sizeof(buf));
		assert_string_equal(buf, addrs[i].formatted);
	}
	memset(&none, 0, sizeof(none));
	hp_addr_format(&none, buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_int_equal(hp_addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(hp_addr_parse("192.0.2.1", &b), 0);
	assert_int_equal(hp_addr_equal(&a, &b), 1);
	assert_int_equal(hp_addr_parse("192.0.2.2", &b), 0);
	assert_int_equal(hp_addr_equal(&a, &b), 0);
	assert_int_equal(hp_addr_parse("::ffff:192.0.2.1", &b), 0);
	assert_int_equal(hp_addr_equal(&a, &b), 0);	/* other family */
	assert_int_equal(hp_addr_equal(&a, &none), 0);
	assert_int_equal(hp_addr_equal(&none, &none), 1);
	/* Long literals fit HP_ADDR_TEXT. */
	assert_int_equal(hp_addr_parse("ffff:ffff:ffff:ffff:ffff:ffff:"
				       "255.255.255.255", &a), 0);
	hp_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	assert_int_equal(hp_addr_parse("::ffff:255.255.255.255", &a), 0);
	hp_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "::ffff:255.255.255.255");
}

static void test_probe_init(void **state)
{
	struct hp_probe p;

	(void)state;
	memset(&p, 0x77, sizeof(p));
	hp_probe_init(&p);
	assert_int_equal(p.dest.family, 0);
	assert_int_equal(p.protocol, HP_ICMP);
	assert_int_equal(p.ttl, 0);
	assert_int_equal(p.port, 0);
	assert_int_equal(p.local_port, 0);
	assert_int_equal(p.source.family, 0);
	assert_null(p.device);
	assert_int_equal(p.tos, -1);
	assert_int_equal(p.size, 0);
	assert_int_equal(p.bit_pattern, -1);
	assert_int_equal(p.mark, -1);
	assert_int_equal(p.timeout_ms, 0);
	/* Without a destination it is not a probe yet. */
	assert_int_equal(hp_wire_check_probe(&p), -1);
}

/* ---- formatting ------------------------------------------------------- */

struct probe_spec {
	const char *dest, *source, *device;
	enum hp_protocol protocol;
	int ttl, port, local_port, tos, size, bit_pattern;
	int64_t mark;
	uint32_t timeout_ms;
	/* Extensions: flow 0 is spelled 100000 (0 means none here). */
	int flow, dont_fragment, reply_details, rtt_ns, link_events;
};

/* A probe from SPEC; fields the spec leaves 0 stay at their default. */
static void make_probe(const struct probe_spec *s, struct hp_probe *p)
{
	hp_probe_init(p);
	if (s->dest)
		assert_int_equal(hp_addr_parse(s->dest, &p->dest), 0);
	if (s->source)
		assert_int_equal(hp_addr_parse(s->source, &p->source), 0);
	p->device = s->device;
	p->protocol = s->protocol;
	p->ttl = s->ttl;
	p->port = s->port;
	p->local_port = s->local_port;
	p->size = s->size;
	p->timeout_ms = s->timeout_ms;
	/* In the table, 0 means default; the value 0 itself is spelled 1000. */
	if (s->tos)
		p->tos = s->tos == 1000 ? 0 : s->tos;
	if (s->bit_pattern)
		p->bit_pattern = s->bit_pattern == 1000 ? 0 : s->bit_pattern;
	if (s->mark)
		p->mark = s->mark == 1000 ? 0 : s->mark;
	if (s->flow)
		p->flow = s->flow == 100000 ? 0 : s->flow;
	p->dont_fragment = s->dont_fragment;
	p->reply_details = s->reply_details;
	p->rtt_ns = s->rtt_ns;
	p->link_events = s->link_events;
}

#define ALL_FEATURES (HP_WIRE_HAS_TIMEOUT_MS | HP_WIRE_HAS_REPLY_DETAILS | \
		      HP_WIRE_HAS_FLOW | HP_WIRE_HAS_DONT_FRAGMENT | \
		      HP_WIRE_HAS_RTT_NS | HP_WIRE_HAS_LINK_EVENTS | \
		      HP_WIRE_HAS_RATE)

static const struct {
	uint32_t token;
	struct probe_spec p;
	unsigned features;		/* enum hp_wire_feature bits */
	const char *line;
} good_probes[] = {
	{ 17, { .dest = "192.0.2.9", .protocol = HP_UDP, .ttl = 3,
		.timeout_ms = 2000 }, 0,
	  "17 send-probe ip-4 192.0.2.9 protocol udp ttl 3 timeout 2\n" },
	{ 17, { .dest = "192.0.2.9", .protocol = HP_UDP, .ttl = 3,
		.timeout_ms = 2000 }, 1,
	  "17 send-probe ip-4 192.0.2.9 protocol udp ttl 3 timeout-ms 2000\n" },
	{ 1, { .dest = "192.0.2.1" }, 0, "1 send-probe ip-4 192.0.2.1\n" },
	{ 1, { .dest = "192.0.2.1" }, 1, "1 send-probe ip-4 192.0.2.1\n" },
	/* Whole seconds rounded up. */
	{ 2, { .dest = "192.0.2.1", .timeout_ms = 1 }, 0,
	  "2 send-probe ip-4 192.0.2.1 timeout 1\n" },
	{ 2, { .dest = "192.0.2.1", .timeout_ms = 999 }, 0,
	  "2 send-probe ip-4 192.0.2.1 timeout 1\n" },
	{ 2, { .dest = "192.0.2.1", .timeout_ms = 1000 }, 0,
	  "2 send-probe ip-4 192.0.2.1 timeout 1\n" },
	{ 2, { .dest = "192.0.2.1", .timeout_ms = 1001 }, 0,
	  "2 send-probe ip-4 192.0.2.1 timeout 2\n" },
	{ 2, { .dest = "192.0.2.1", .timeout_ms = 86400000 }, 0,
	  "2 send-probe ip-4 192.0.2.1 timeout 86400\n" },
	{ 2, { .dest = "192.0.2.1", .timeout_ms = 200 }, 1,
	  "2 send-probe ip-4 192.0.2.1 timeout-ms 200\n" },
	/* Zero is a value, not the default, for tos, bit-pattern, mark. */
	{ 3, { .dest = "198.51.100.7", .tos = 1000, .bit_pattern = 1000,
	       .mark = 1000 }, 0,
	  "3 send-probe ip-4 198.51.100.7 tos 0 bit-pattern 0 mark 0\n" },
	{ 4, { .dest = "198.51.100.7", .source = "192.0.2.5",
	       .protocol = HP_TCP, .port = 80, .local_port = 1024 }, 0,
	  "4 send-probe ip-4 198.51.100.7 protocol tcp port 80 "
	  "local-ip-4 192.0.2.5 local-port 1024\n" },
	{ 2147483647, { .dest = "2001:db8::1", .source = "2001:db8::2",
			.device = "eth0", .protocol = HP_SCTP, .port = 65535,
			.local_port = 65535, .ttl = 255, .tos = 255,
			.size = 65535, .bit_pattern = 255,
			.mark = 4294967295LL, .timeout_ms = 86400000 }, 1,
	  "2147483647 send-probe ip-6 2001:db8::1 protocol sctp port 65535 "
	  "local-ip-6 2001:db8::2 local-port 65535 local-device eth0 "
	  "ttl 255 tos 255 size 65535 bit-pattern 255 mark 4294967295 "
	  "timeout-ms 86400000\n" },
	/* The longest request there is: every field and every extension. */
	{ 2147483647, { .dest = "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
			.source = "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe",
			.device = "abcdefghijklmno", .protocol = HP_SCTP,
			.port = 65535, .local_port = 65535, .ttl = 255,
			.tos = 255, .size = 65535, .bit_pattern = 255,
			.mark = 4294967295LL, .timeout_ms = 86400000,
			.flow = 65535, .dont_fragment = 1, .reply_details = 1,
			.rtt_ns = 1, .link_events = 1 }, ALL_FEATURES,
	  "2147483647 send-probe ip-6 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff "
	  "protocol sctp port 65535 "
	  "local-ip-6 2001:db8:ffff:ffff:ffff:ffff:ffff:fffe local-port 65535 "
	  "local-device abcdefghijklmno "
	  "ttl 255 tos 255 size 65535 bit-pattern 255 mark 4294967295 "
	  "timeout-ms 86400000 flow 65535 dont-fragment 1 reply-details 1 "
	  "rtt-ns 1 link-events 1\n" },
	/* Each extension goes only to a worker that said ok to it. */
	{ 9, { .dest = "192.0.2.9", .flow = 100000, .dont_fragment = 1,
	       .reply_details = 1, .rtt_ns = 1, .link_events = 1 },
	  HP_WIRE_HAS_FLOW, "9 send-probe ip-4 192.0.2.9 flow 0\n" },
	{ 9, { .dest = "192.0.2.9", .flow = 7, .dont_fragment = 1,
	       .reply_details = 1, .rtt_ns = 1, .link_events = 1 },
	  HP_WIRE_HAS_DONT_FRAGMENT | HP_WIRE_HAS_RTT_NS,
	  "9 send-probe ip-4 192.0.2.9 dont-fragment 1 rtt-ns 1\n" },
	{ 9, { .dest = "192.0.2.9", .flow = 7, .dont_fragment = 1,
	       .reply_details = 1, .rtt_ns = 1, .link_events = 1 },
	  HP_WIRE_HAS_REPLY_DETAILS | HP_WIRE_HAS_LINK_EVENTS,
	  "9 send-probe ip-4 192.0.2.9 reply-details 1 link-events 1\n" },
	{ 9, { .dest = "192.0.2.9", .flow = 7, .dont_fragment = 1,
	       .reply_details = 1, .rtt_ns = 1, .link_events = 1,
	       .timeout_ms = 300 }, 0,
	  "9 send-probe ip-4 192.0.2.9 timeout 1\n" },
	/* A worker that knows them all is sent only what was asked. */
	{ 9, { .dest = "192.0.2.9" }, ALL_FEATURES,
	  "9 send-probe ip-4 192.0.2.9\n" },
	{ 0, { .dest = "2001:db8::9", .protocol = HP_ICMP, .ttl = 1,
	       .size = 28, .device = "enp0s31f6.4000" }, 0,
	  "0 send-probe ip-6 2001:db8::9 local-device enp0s31f6.4000 ttl 1 "
	  "size 28\n" },
};

static void test_format_probe(void **state)
{
	char buf[HP_WIRE_REQUEST_MAX];
	struct hp_probe p;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(good_probes); i++) {
		int n;

		make_probe(&good_probes[i].p, &p);
		assert_int_equal(hp_wire_check_probe(&p), 0);
		n = hp_wire_format_probe(good_probes[i].token, &p,
					 good_probes[i].features, buf,
					 sizeof(buf));
		assert_string_equal(buf, good_probes[i].line);
		assert_int_equal(n, strlen(good_probes[i].line));
	}
}

static const struct probe_spec bad_probes[] = {
	{ .dest = NULL },
	{ .dest = "192.0.2.1", .ttl = 256 },
	{ .dest = "192.0.2.1", .ttl = -1 },
	{ .dest = "192.0.2.1", .port = 65536 },
	{ .dest = "192.0.2.1", .port = -1 },
	{ .dest = "192.0.2.1", .local_port = 1023 },
	{ .dest = "192.0.2.1", .local_port = 65536 },
	{ .dest = "192.0.2.1", .source = "2001:db8::1" },
	{ .dest = "2001:db8::1", .source = "192.0.2.1" },
	{ .dest = "192.0.2.1", .device = "" },
	{ .dest = "192.0.2.1", .device = "eth 0" },
	{ .dest = "192.0.2.1", .device = "eth0\n1 send-probe" },
	{ .dest = "192.0.2.1", .device = "eth\t0" },
	{ .dest = "192.0.2.1", .device = "abcdefghijklmnop" },	/* 16 */
	{ .dest = "192.0.2.1", .tos = 256 },
	{ .dest = "192.0.2.1", .tos = -2 },
	{ .dest = "192.0.2.1", .size = -1 },
	{ .dest = "192.0.2.1", .size = 65536 },
	{ .dest = "192.0.2.1", .bit_pattern = 256 },
	{ .dest = "192.0.2.1", .bit_pattern = -2 },
	{ .dest = "192.0.2.1", .mark = 4294967296LL },
	{ .dest = "192.0.2.1", .mark = -2 },
	{ .dest = "192.0.2.1", .timeout_ms = 86400001 },
	{ .dest = "192.0.2.1", .protocol = (enum hp_protocol)4 },
	{ .dest = "192.0.2.1", .protocol = (enum hp_protocol)-1 },
	{ .dest = "192.0.2.1", .flow = 65536 },
	{ .dest = "192.0.2.1", .flow = -2 },
	{ .dest = "192.0.2.1", .dont_fragment = 2 },
	{ .dest = "192.0.2.1", .reply_details = -1 },
	{ .dest = "192.0.2.1", .rtt_ns = 2 },
	{ .dest = "192.0.2.1", .link_events = 3 },
};

static void test_format_probe_rejects(void **state)
{
	char buf[HP_WIRE_REQUEST_MAX];
	struct hp_probe p;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(bad_probes); i++) {
		make_probe(&bad_probes[i], &p);
		assert_int_equal(hp_wire_check_probe(&p), -1);
		assert_int_equal(hp_wire_format_probe(1, &p, ALL_FEATURES,
						      buf, sizeof(buf)), -1);
	}
	/* Edges that are in range. */
	make_probe(&(struct probe_spec){ .dest = "192.0.2.1",
		   .device = "abcdefghijklmno" }, &p);
	assert_int_equal(hp_wire_check_probe(&p), 0);
	/* A token past the protocol's range is refused, never wrapped. */
	make_probe(&(struct probe_spec){ .dest = "192.0.2.1" }, &p);
	assert_int_equal(hp_wire_format_probe(2147483648u, &p, 0, buf,
					      sizeof(buf)), -1);
	/* Buffers: exactly enough (28 bytes and the NUL), short, none. */
	assert_int_equal(hp_wire_format_probe(1, &p, 0, buf, 29), 28);
	assert_string_equal(buf, "1 send-probe ip-4 192.0.2.1\n");
	assert_int_equal(hp_wire_format_probe(1, &p, 0, buf, 28), -1);
	assert_int_equal(hp_wire_format_probe(1, &p, 0, buf, 0), -1);
}

static void test_format_set_rate(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(hp_wire_format_set_rate(3, 1000, buf, sizeof(buf)),
			 20);
	assert_string_equal(buf, "3 set-rate pps 1000\n");
	assert_int_equal(hp_wire_format_set_rate(2147483647, 4294967295u, buf,
						 sizeof(buf)), 35);
	assert_string_equal(buf, "2147483647 set-rate pps 4294967295\n");
	assert_int_equal(hp_wire_format_set_rate(4, 0, buf, sizeof(buf)), 17);
	assert_string_equal(buf, "4 set-rate pps 0\n");
	assert_int_equal(hp_wire_format_set_rate(2147483648u, 1, buf,
						 sizeof(buf)), -1);
	assert_int_equal(hp_wire_format_set_rate(4, 0, buf, 17), -1);
}

static void test_format_check_support(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(hp_wire_format_check_support(5, "timeout-ms", buf,
						      sizeof(buf)), 35);
	assert_string_equal(buf, "5 check-support feature timeout-ms\n");
	assert_int_equal(hp_wire_format_check_support(2147483647, "version",
						      buf, sizeof(buf)), 41);
	assert_string_equal(buf, "2147483647 check-support feature version\n");
	assert_int_equal(hp_wire_format_check_support(5, "a b", buf,
						      sizeof(buf)), -1);
	assert_int_equal(hp_wire_format_check_support(5, "", buf,
						      sizeof(buf)), -1);
	assert_int_equal(hp_wire_format_check_support(5, "x\n", buf,
						      sizeof(buf)), -1);
	assert_int_equal(hp_wire_format_check_support(2147483648u, "ip-4",
						      buf, sizeof(buf)), -1);
	assert_int_equal(hp_wire_format_check_support(5, "ip-4", buf, 10),
			 -1);
}

/* ---- parsing ---------------------------------------------------------- */

struct label { uint32_t label; uint8_t tc, bos, ttl; };

static const struct {
	const char *line;
	uint32_t token;
	int kind;			/* an hp_wire_kind */
	const char *responder;		/* NULL: none */
	int64_t rtt_us;
	int error_number;
	const char *support;		/* NULL: none */
	unsigned mpls_count;
	struct label mpls[3];
} good_lines[] = {
	{ "42 reply ip-4 127.0.0.1 round-trip-time 126", 42, HP_WIRE_REPLY,
	  "127.0.0.1", 126, 0, NULL, 0, { { 0 } } },
	{ "11 ttl-expired ip-4 198.51.100.1 round-trip-time 834", 11,
	  HP_WIRE_TTL_EXPIRED, "198.51.100.1", 834, 0, NULL, 0, { { 0 } } },
	{ "7 ttl-expired ip-6 2001:db8::1 round-trip-time 5 "
	  "mpls 16001,5,0,1,16002,0,1,255", 7, HP_WIRE_TTL_EXPIRED,
	  "2001:db8::1", 5, 0, NULL, 2,
	  { { 16001, 5, 0, 1 }, { 16002, 0, 1, 255 } } },
	{ "8 ttl-expired ip-4 192.0.2.1 round-trip-time 0 "
	  "mpls 1048575,7,1,255", 8, HP_WIRE_TTL_EXPIRED, "192.0.2.1", 0, 0,
	  NULL, 1, { { 1048575, 7, 1, 255 } } },
	{ "3 no-reply", 3, HP_WIRE_NO_REPLY, NULL, -1, 0, NULL, 0, { { 0 } } },
	{ "5 no-route", 5, HP_WIRE_NO_ROUTE, NULL, -1, 0, NULL, 0, { { 0 } } },
	{ "5 no-route-network ip-4 198.51.100.7 round-trip-time 12", 5,
	  HP_WIRE_NO_ROUTE_NETWORK, "198.51.100.7", 12, 0, NULL, 0, { { 0 } } },
	{ "5 no-route-host ip-6 2001:db8::7", 5, HP_WIRE_NO_ROUTE_HOST,
	  "2001:db8::7", -1, 0, NULL, 0, { { 0 } } },
	{ "6 network-down", 6, HP_WIRE_NETWORK_DOWN, NULL, -1, 0, NULL, 0,
	  { { 0 } } },
	{ "6 host-down", 6, HP_WIRE_HOST_DOWN, NULL, -1, 0, NULL, 0, { { 0 } } },
	{ "6 permission-denied", 6, HP_WIRE_PERMISSION_DENIED, NULL, -1, 0,
	  NULL, 0, { { 0 } } },
	{ "6 address-in-use", 6, HP_WIRE_ADDRESS_IN_USE, NULL, -1, 0, NULL, 0,
	  { { 0 } } },
	{ "6 address-not-available", 6, HP_WIRE_ADDRESS_NOT_AVAILABLE, NULL,
	  -1, 0, NULL, 0, { { 0 } } },
	{ "1 invalid-argument reason ip-version-not-supported", 1,
	  HP_WIRE_INVALID_ARGUMENT, NULL, -1, 0, NULL, 0, { { 0 } } },
	{ "8 unexpected-error errno 113", 8, HP_WIRE_UNEXPECTED_ERROR, NULL,
	  -1, 113, NULL, 0, { { 0 } } },
	{ "8 unexpected-error errno 2147483647", 8, HP_WIRE_UNEXPECTED_ERROR,
	  NULL, -1, 2147483647, NULL, 0, { { 0 } } },
	{ "6 probes-exhausted", 6, HP_WIRE_PROBES_EXHAUSTED, NULL, -1, 0, NULL,
	  0, { { 0 } } },
	{ "0 command-parse-error", 0, HP_WIRE_COMMAND_PARSE_ERROR, NULL, -1, 0,
	  NULL, 0, { { 0 } } },
	{ "0 command-buffer-overflow", 0, HP_WIRE_COMMAND_BUFFER_OVERFLOW,
	  NULL, -1, 0, NULL, 0, { { 0 } } },
	{ "9 unknown-command", 9, HP_WIRE_UNKNOWN_COMMAND, NULL, -1, 0, NULL,
	  0, { { 0 } } },
	{ "4 feature-support support ok", 4, HP_WIRE_FEATURE_SUPPORT, NULL, -1,
	  0, "ok", 0, { { 0 } } },
	{ "4 feature-support support 0.1.0", 4, HP_WIRE_FEATURE_SUPPORT, NULL,
	  -1, 0, "0.1.0", 0, { { 0 } } },
	{ "2147483647 no-reply", 2147483647, HP_WIRE_NO_REPLY, NULL, -1, 0,
	  NULL, 0, { { 0 } } },
	{ "00017 no-reply", 17, HP_WIRE_NO_REPLY, NULL, -1, 0, NULL, 0,
	  { { 0 } } },
	/* Unknown pairs (reply-details and the like) are skipped. */
	{ "12 reply ip-4 192.0.2.1 round-trip-time 300 icmp-type 0 "
	  "icmp-code 0 reply-ttl 61", 12, HP_WIRE_REPLY, "192.0.2.1", 300, 0,
	  NULL, 0, { { 0 } } },
	/* Blanks: runs of spaces and tabs separate, trailing ones ignored. */
	{ " 1  reply\tip-4  192.0.2.1 ", 1, HP_WIRE_REPLY, "192.0.2.1", -1, 0,
	  NULL, 0, { { 0 } } },
	{ "13 reply round-trip-time 9223372036854775807", 13, HP_WIRE_REPLY,
	  NULL, INT64_MAX, 0, NULL, 0, { { 0 } } },
};

static void check_good_line(size_t i, const struct hp_wire_reply *r)
{
	char addr[HP_ADDR_TEXT];
	unsigned j;

	assert_int_equal(r->token, good_lines[i].token);
	assert_int_equal(r->kind, good_lines[i].kind);
	hp_addr_format(&r->result.responder, addr, sizeof(addr));
	assert_string_equal(addr, good_lines[i].responder ?
			    good_lines[i].responder : "");
	if (hp_wire_kind_is_result(r->kind))
		assert_int_equal(r->result.kind, good_lines[i].kind);
	else
		assert_int_equal(r->result.kind, HP_WORKER_FAILED);
	assert_true(r->result.rtt_us == good_lines[i].rtt_us);
	assert_int_equal(r->result.error_number, good_lines[i].error_number);
	if (good_lines[i].support) {
		assert_non_null(r->support);
		assert_int_equal(r->support_len, strlen(good_lines[i].support));
		assert_memory_equal(r->support, good_lines[i].support,
				    r->support_len);
	} else {
		assert_null(r->support);
	}
	assert_int_equal(r->result.mpls_count, good_lines[i].mpls_count);
	for (j = 0; j < good_lines[i].mpls_count; j++) {
		assert_int_equal(r->result.mpls[j].label,
				 good_lines[i].mpls[j].label);
		assert_int_equal(r->result.mpls[j].tc, good_lines[i].mpls[j].tc);
		assert_int_equal(r->result.mpls[j].bos,
				 good_lines[i].mpls[j].bos);
		assert_int_equal(r->result.mpls[j].ttl,
				 good_lines[i].mpls[j].ttl);
	}
}

static void test_parse_good(void **state)
{
	struct hp_wire_reply r;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(good_lines); i++) {
		const char *l = good_lines[i].line;

		if (hp_wire_parse_reply(l, strlen(l), &r) != 0)
			fail_msg("good line %zu refused: %s", i, l);
		check_good_line(i, &r);
	}
}

/*
 * The extensions' words, in replies as hopprobe(8) shows them from the
 * lab (EXTENSIONS), each field with its bit in result.has.
 */
static void test_parse_extensions(void **state)
{
	const char *l;
	struct hp_wire_reply r;
	char addr[HP_ADDR_TEXT];

	(void)state;
	l = "101 ttl-expired ip-4 192.0.2.1 round-trip-time 94 icmp-type 11 "
	    "icmp-code 0 reply-ttl 64 quoted-ttl 1 quoted-tos 40";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.result.kind, HP_TTL_EXPIRED);
	assert_int_equal(r.result.has, HP_HAS_ICMP | HP_HAS_REPLY_TTL |
			 HP_HAS_QUOTED_TTL | HP_HAS_QUOTED_TOS);
	assert_int_equal(r.result.icmp_type, 11);
	assert_int_equal(r.result.icmp_code, 0);
	assert_int_equal(r.result.reply_ttl, 64);
	assert_int_equal(r.result.quoted_ttl, 1);
	assert_int_equal(r.result.quoted_tos, 40);
	assert_int_equal(r.pps, -1);

	l = "116 ttl-expired ip-4 203.0.113.186 round-trip-time 239238 "
	    "mpls 24001,5,1,254 icmp-type 11 icmp-code 0 reply-ttl 74 "
	    "quoted-ttl 1 quoted-tos 40 interface-index 9 interface-name xe-1";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.result.mpls_count, 1);
	assert_int_equal(r.result.mpls[0].label, 24001);
	assert_true(r.result.has & HP_HAS_IF_INDEX);
	assert_false(r.result.has & HP_HAS_IF_MTU);
	assert_int_equal(r.result.if_index, 9);
	assert_string_equal(r.result.if_name, "xe-1");
	assert_int_equal(r.result.if_addr.family, 0);

	l = "7 ttl-expired ip-6 2001:db8::1 round-trip-time 5 icmp-type 3 "
	    "icmp-code 0 interface-index 4294967295 "
	    "interface-ip-6 2001:db8:9::1 interface-name "
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk "
	    "interface-mtu 9000 next-hop-mtu 1280";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.result.icmp_type, 3);
	assert_int_equal(r.result.if_index, 4294967295u);
	hp_addr_format(&r.result.if_addr, addr, sizeof(addr));
	assert_string_equal(addr, "2001:db8:9::1");
	assert_int_equal(strlen(r.result.if_name), HP_IF_NAME_MAX);
	assert_int_equal(r.result.if_mtu, 9000);
	assert_int_equal(r.result.next_hop_mtu, 1280);
	assert_int_equal(r.result.has, HP_HAS_ICMP | HP_HAS_IF_INDEX |
			 HP_HAS_IF_MTU | HP_HAS_NEXT_HOP_MTU);

	l = "5 reply ip-4 192.0.2.3 round-trip-time 1 interface-ip-4 192.0.2.4";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	hp_addr_format(&r.result.if_addr, addr, sizeof(addr));
	assert_string_equal(addr, "192.0.2.4");
	assert_int_equal(r.result.has, 0);

	l = "4101 packet-too-big ip-4 192.0.2.1 round-trip-time 81 mtu 1280";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.kind, HP_WIRE_PACKET_TOO_BIG);
	assert_int_equal(r.result.kind, HP_PACKET_TOO_BIG);
	assert_int_equal(r.result.has, HP_HAS_MTU);
	assert_int_equal(r.result.mtu, 1280);
	assert_true(r.result.rtt_us == 81);

	l = "4001 packet-too-big mtu 1400";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.result.kind, HP_PACKET_TOO_BIG);
	assert_int_equal(r.result.responder.family, 0);
	assert_int_equal(r.result.mtu, 1400);
	assert_true(r.result.rtt_us == -1);

	l = "3 reply ip-4 127.0.0.1 round-trip-time 12 "
	    "round-trip-time-ns 11873";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.result.has, HP_HAS_RTT_NS);
	assert_true(r.result.rtt_ns == 11873);
	assert_true(r.result.rtt_us == 12);

	l = "8 network-down device veth-r1";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.result.kind, HP_NETWORK_DOWN);
	assert_string_equal(r.result.device, "veth-r1");

	l = "9 rate-set pps 500";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.kind, HP_WIRE_RATE_SET);
	assert_true(r.pps == 500);
	assert_int_equal(r.result.kind, HP_WORKER_FAILED);
	l = "9 rate-set pps 0";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_true(r.pps == 0);

	/* Without the extensions nothing is set. */
	l = "42 reply ip-4 127.0.0.1 round-trip-time 126";
	assert_int_equal(hp_wire_parse_reply(l, strlen(l), &r), 0);
	assert_int_equal(r.result.has, 0);
	assert_string_equal(r.result.if_name, "");
	assert_string_equal(r.result.device, "");
}

/* LEN limits what is read: the bytes after it are never looked at. */
static void test_parse_bounds(void **state)
{
	const char *l = "1 reply ip-4 192.0.2.1 round-trip-time 126";
	struct hp_wire_reply r;

	(void)state;
	assert_int_equal(hp_wire_parse_reply(l, strlen(l) - 1, &r), 0);
	assert_true(r.result.rtt_us == 12);
	/* Cut in the middle of the address: "192.0.2" is no address. */
	assert_int_equal(hp_wire_parse_reply(l, 20, &r), -1);
	/* Cut after the name: a reply without arguments. */
	assert_int_equal(hp_wire_parse_reply(l, 7, &r), 0);
	assert_int_equal(r.kind, HP_WIRE_REPLY);
	assert_int_equal(r.result.responder.family, 0);
	/* Cut after an argument name: its value is missing. */
	assert_int_equal(hp_wire_parse_reply(l, 12, &r), -1);
}

/* "label,tc,s,ttl" repeated COUNT times. */
static void mpls_line(unsigned count, char *buf, size_t len)
{
	size_t used;
	unsigned i;

	used = (size_t)snprintf(buf, len, "5 ttl-expired mpls ");
	for (i = 0; i < count; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u,0,%u,1",
					 i ? "," : "", 100 + i,
					 i + 1 == count);
}

static void test_parse_mpls_limit(void **state)
{
	struct hp_wire_reply r;
	char line[1024];

	(void)state;
	mpls_line(HP_MAX_MPLS, line, sizeof(line));
	assert_int_equal(hp_wire_parse_reply(line, strlen(line), &r), 0);
	assert_int_equal(r.result.mpls_count, HP_MAX_MPLS);
	assert_int_equal(r.result.mpls[0].label, 100);
	assert_int_equal(r.result.mpls[HP_MAX_MPLS - 1].label,
			 100 + HP_MAX_MPLS - 1);
	assert_int_equal(r.result.mpls[HP_MAX_MPLS - 1].bos, 1);
	mpls_line(HP_MAX_MPLS + 1, line, sizeof(line));
	assert_int_equal(hp_wire_parse_reply(line, strlen(line), &r), -1);
}

static const struct {
	const char *line;
	size_t len;		/* 0: strlen */
} bad_lines[] = {
	{ "", 0 },
	{ "   ", 0 },
	{ "1", 0 },
	{ "1 ", 0 },
	/* tokens */
	{ "abc reply", 0 },
	{ "-1 reply", 0 },
	{ "+1 reply", 0 },
	{ "1x reply", 0 },
	{ "0x10 reply", 0 },
	{ "1.0 reply", 0 },
	{ "2147483648 reply", 0 },
	{ "4294967297 reply", 0 },
	{ "99999999999999999999999 reply", 0 },
	/* names */
	{ "1 Reply", 0 },
	{ "1 rep", 0 },
	{ "1 replyx", 0 },
	{ "1 worker-failed", 0 },
	{ "1 send-probe ip-4 192.0.2.1", 0 },
	{ "1 reply\r", 0 },
	{ "1 re\0ply", 8 },
	/* missing values */
	{ "1 reply ip-4", 0 },
	{ "1 reply ip-4 192.0.2.1 round-trip-time", 0 },
	{ "1 reply icmp-type", 0 },
	{ "1 feature-support", 0 },
	{ "1 feature-support support", 0 },
	{ "1 feature-support supported ok", 0 },
	{ "1 feature-support support o\x01k", 0 },
	/* addresses */
	{ "1 reply ip-4 192.0.2.300", 0 },
	{ "1 reply ip-4 2001:db8::1", 0 },
	{ "1 reply ip-6 192.0.2.1", 0 },
	{ "1 reply ip-4 192.0.2.1\0", 23 },
	{ "1 reply ip-6 2001:db8:0000:0000:0000:0000:0000:0000:1", 0 },
	/* numbers */
	{ "1 reply round-trip-time -5", 0 },
	{ "1 reply round-trip-time +5", 0 },
	{ "1 reply round-trip-time 12x", 0 },
	{ "1 reply round-trip-time 1.5", 0 },
	{ "1 reply round-trip-time 9223372036854775808", 0 },
	{ "1 reply round-trip-time 99999999999999999999", 0 },
	{ "1 unexpected-error errno 2147483648", 0 },
	{ "1 unexpected-error errno x", 0 },
	{ "1 unexpected-error errno -1", 0 },
	/* mpls */
	{ "1 ttl-expired mpls 1,2,3", 0 },
	{ "1 ttl-expired mpls 1,0,1,1,5", 0 },
	{ "1 ttl-expired mpls 1,0,1,1,5,0,1", 0 },
	{ "1 ttl-expired mpls 1048576,0,1,1", 0 },
	{ "1 ttl-expired mpls 1,8,1,1", 0 },
	{ "1 ttl-expired mpls 1,0,2,1", 0 },
	{ "1 ttl-expired mpls 1,0,1,256", 0 },
	{ "1 ttl-expired mpls 1,,1,1", 0 },
	{ "1 ttl-expired mpls 1,0,1,1,", 0 },
	{ "1 ttl-expired mpls ,1,0,1,1", 0 },
	{ "1 ttl-expired mpls 1;0;1;1", 0 },
	{ "1 ttl-expired mpls -1,0,1,1", 0 },
	{ "1 ttl-expired mpls 99999999999999999999,0,1,1", 0 },
	/* extensions */
	{ "1 reply icmp-type 256", 0 },
	{ "1 reply icmp-code -1", 0 },
	{ "1 reply reply-ttl 300", 0 },
	{ "1 reply quoted-ttl x", 0 },
	{ "1 reply quoted-tos 256", 0 },
	{ "1 reply next-hop-mtu 4294967296", 0 },
	{ "1 reply interface-index 4294967296", 0 },
	{ "1 reply interface-mtu -1", 0 },
	{ "1 reply interface-ip-4 2001:db8::1", 0 },
	{ "1 reply interface-ip-6 192.0.2.1", 0 },
	{ "1 reply interface-name a\x01", 0 },
	{ "1 reply interface-name "
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl", 0 },
	{ "1 reply round-trip-time-ns -1", 0 },
	{ "1 reply round-trip-time-ns 9223372036854775808", 0 },
	{ "1 packet-too-big mtu 4294967296", 0 },
	{ "1 packet-too-big mtu", 0 },
	{ "1 network-down device abcdefghijklmnop", 0 },
	{ "1 network-down device \x7f", 0 },
	{ "1 rate-set", 0 },
	{ "1 rate-set pps", 0 },
	{ "1 rate-set pps -1", 0 },
	{ "1 rate-set pps 4294967296", 0 },
	{ "1 rate-set rate 5", 0 },
	{ "1 reply pps 5", 0 },
	/* just text */
	{ "this is not the protocol", 0 },
	{ "fake: dying on purpose", 0 },
};

static void test_parse_malformed(void **state)
{
	struct hp_wire_reply r;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(bad_lines); i++) {
		const char *l = bad_lines[i].line;
		size_t len = bad_lines[i].len ? bad_lines[i].len : strlen(l);

		if (hp_wire_parse_reply(l, len, &r) != -1)
			fail_msg("bad line %zu accepted: %.*s", i, (int)len, l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_other_names),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_probe_init),
		cmocka_unit_test(test_format_probe),
		cmocka_unit_test(test_format_probe_rejects),
		cmocka_unit_test(test_format_check_support),
		cmocka_unit_test(test_format_set_rate),
		cmocka_unit_test(test_parse_extensions),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bounds),
		cmocka_unit_test(test_parse_mpls_limit),
		cmocka_unit_test(test_parse_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

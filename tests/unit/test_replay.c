/*
 * test_replay.c: JSONL records read back into events (src/replay.c) and
 * the JSON reader under it (src/json_read.c).
 *
 * The main check is the round trip over every recorded sequence of
 * render_fixtures.c: the JSONL the renderer writes, read back and rendered
 * again, must be the same bytes, in JSONL and in text.  Beside it, records
 * written by hand from the schema (schema/hoptrace.schema.json) with the
 * event each must give, and the lines that must be refused, each with its
 * exact message.
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
#include <sys/socket.h>

#include "json_read.h"
#include "render.h"
#include "render_fixtures.h"
#include "replay.h"

/* ---- rendering a sequence, directly or through a replay ------------ */

struct capture {
	struct ht_renderer *r;
	struct ht_outbuf out;
};

static void capture_sink(void *arg, const struct ht_event *ev)
{
	struct capture *c = arg;

	ht_renderer_event(c->r, ev, &c->out);
}

/* The whole output of PLAY in FORMAT, NUL-terminated, to be freed. */
static char *render(enum ht_format format, const struct ht_render_config *cfg,
		    void (*play)(fx_sink, void *))
{
	struct capture c;
	char *s;

	ht_outbuf_init(&c.out);
	c.r = ht_renderer_new(format, cfg);
	assert_non_null(c.r);
	play(capture_sink, &c);
	ht_renderer_free(c.r);
	assert_false(c.out.failed);
	s = strndup(c.out.data ? c.out.data : "", c.out.len);
	assert_non_null(s);
	ht_outbuf_free(&c.out);
	return s;
}

/* The JSONL in TEXT read back line by line and rendered in FORMAT. */
static char *replay_render(const char *text, enum ht_format format,
			   const struct ht_render_config *cfg)
{
	struct ht_replay *rp = ht_replay_new();
	struct ht_renderer *r = ht_renderer_new(format, cfg);
	struct ht_outbuf out;
	const char *line = text;
	char err[128], *s;

	assert_non_null(rp);
	assert_non_null(r);
	ht_outbuf_init(&out);
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
		struct ht_event ev;
		int rc = ht_replay_line(rp, line, len, &ev, err, sizeof(err));

		if (rc != 1)
			fail_msg("replay %d (%s) on line\n%.*s", rc, err,
				 (int)len, line);
		ht_renderer_event(r, &ev, &out);
		line += len;
	}
	ht_renderer_free(r);
	ht_replay_free(rp);
	assert_false(out.failed);
	s = strndup(out.data ? out.data : "", out.len);
	assert_non_null(s);
	ht_outbuf_free(&out);
	return s;
}

static void expect_same(const char *what, const char *want, const char *got)
{
	if (strcmp(want, got) != 0)
		fail_msg("%s differs:\nwant\n%s\ngot\n%s", what, want, got);
}

/* -e -z, the most text with names; and -n -e --ns --pmtu. */
static const struct ht_render_config text_ez = { 0, 0, 1, 1, 2, "h", 0, 0, NULL };
static const struct ht_render_config text_ns = { 1, 0, 1, 0, 2, "h", 1, 1, NULL };
/* Two collectors' clocks: a replay keeps the recording's. */
static int64_t clock_a(void)
{
	return FX_T0 + 2000000;
}

static int64_t clock_b(void)
{
	return FX_T0 + 86400000000;
}

static const struct ht_render_config jsonl_cfg = { 0, 0, 1, 1, 2, "h", 0, 0,
						   clock_a };
static const struct ht_render_config jsonl_later = { 0, 0, 1, 1, 2, "h", 0,
						     0, clock_b };

static void test_round_trip(void **state)
{
	size_t i;

	(void)state;
	assert_true(fx_scenario_count >= 10);
	for (i = 0; i < fx_scenario_count; i++) {
		const struct fx_scenario *sc = &fx_scenarios[i];
		char *jsonl = render(HT_FMT_JSONL, &jsonl_cfg, sc->play);
		/* Replayed by a collector whose clock says a day later: the
		 * records are still the recording's, byte for byte. */
		char *again = replay_render(jsonl, HT_FMT_JSONL, &jsonl_later);
		char *text = render(HT_FMT_TEXT, &text_ez, sc->play);
		char *text2 = replay_render(jsonl, HT_FMT_TEXT, &text_ez);
		char *ns = render(HT_FMT_TEXT, &text_ns, sc->play);
		char *ns2 = replay_render(jsonl, HT_FMT_TEXT, &text_ns);

		print_message("round trip %s: %zu bytes of JSONL\n", sc->name,
			      strlen(jsonl));
		assert_true(strlen(jsonl) > 100);
		assert_non_null(strstr(jsonl, "\"collector_wall_clock\":"
					"\"2026-12-01T20:30:02.000Z\""));
		assert_null(strstr(jsonl, "2026-12-02T20:30:00.000Z"));
		expect_same(sc->name, jsonl, again);
		expect_same(sc->name, text, text2);
		expect_same(sc->name, ns, ns2);
		free(jsonl);
		free(again);
		free(text);
		free(text2);
		free(ns);
		free(ns2);
	}
}

/* Every prefix of every record is refused as truncated, at its end. */
static void test_every_prefix_truncated(void **state)
{
	struct ht_replay *rp = ht_replay_new();
	size_t i;

	(void)state;
	assert_non_null(rp);
	for (i = 0; i < fx_scenario_count; i++) {
		char *jsonl = render(HT_FMT_JSONL, &jsonl_cfg,
				     fx_scenarios[i].play);
		const char *line = jsonl;

		while (*line) {
			size_t len = (size_t)(strchr(line, '\n') - line), cut;

			for (cut = 1; cut < len; cut++) {
				struct ht_event ev;
				char err[128], want[64];
				char *copy = malloc(cut);

				/* A copy of exactly CUT bytes, so that a read
				 * past the end is one the sanitizers see. */
				assert_non_null(copy);
				memcpy(copy, line, cut);
				snprintf(want, sizeof(want),
					 "truncated JSON at byte %zu", cut);
				assert_int_equal(ht_replay_line(rp, copy, cut,
								&ev, err,
								sizeof(err)),
						 -1);
				if (strcmp(err, want) != 0)
					fail_msg("cut %zu of %.*s: %s", cut,
						 (int)len, line, err);
				free(copy);
			}
			line += len + 1;
		}
		free(jsonl);
	}
	ht_replay_free(rp);
}

/* ---- records written by hand --------------------------------------- */

static struct ht_replay *g_rp;

static int setup(void **state)
{
	(void)state;
	g_rp = ht_replay_new();
	return g_rp ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ht_replay_free(g_rp);
	g_rp = NULL;
	return 0;
}

static void parse_ok(const char *line, struct ht_event *ev)
{
	char err[160];
	int rc = ht_replay_line(g_rp, line, strlen(line), ev, err,
				sizeof(err));

	if (rc != 1)
		fail_msg("%d (%s) for\n%s", rc, err, line);
}

static struct hp_addr addr_of(const char *text)
{
	struct hp_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, &a.u.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, &a.u.v6) == 1)
		a.family = AF_INET6;
	else
		fail_msg("bad test address %s", text);
	return a;
}

#define T0 "2026-12-01T20:30:00.000Z"

static void test_run_records(void **state)
{
	struct ht_event ev;

	(void)state;
	parse_ok("{\"schema_version\":2,\"type\":\"run-start\",\"version\":"
		 "\"9.8\",\"worker_version\":null,\"start\":\"" T0 "\","
		 "\"target_count\":3}\n", &ev);
	assert_int_equal(ev.kind, HT_EV_RUN_START);
	assert_string_equal(ev.u.run_start.version, "9.8");
	assert_null(ev.u.run_start.worker_version);
	assert_true(ev.u.run_start.start_us == FX_T0);
	assert_int_equal(ev.u.run_start.target_count, 3);
	assert_int_equal(ev.u.run_start.compare_items, 0);
	parse_ok("{\"schema_version\":2,\"type\":\"run-start\",\"version\":"
		 "\"9.8\",\"worker_version\":null,\"start\":\"" T0 "\","
		 "\"target_count\":6,\"compare_items\":3}\n", &ev);
	assert_int_equal(ev.u.run_start.target_count, 6);
	assert_int_equal(ev.u.run_start.compare_items, 3);

	/* Members in any order, white space anywhere JSON allows it. */
	parse_ok(" { \"not_reached\" : 1 , \"reached\":0,\"exit_status\":-1,"
		 "\"end\":\"2026-12-01T20:30:01.500Z\",\"type\":\"run-end\","
		 "\"schema_version\":2}\r\n", &ev);
	assert_int_equal(ev.kind, HT_EV_RUN_END);
	assert_true(ev.u.run_end.end_us == FX_T0 + 1500000);
	assert_int_equal(ev.u.run_end.exit_status, -1);
	assert_int_equal(ev.u.run_end.reached, 0);
	assert_int_equal(ev.u.run_end.not_reached, 1);
}

static void test_trace_records(void **state)
{
	struct ht_event ev;
	struct hp_addr a;

	(void)state;
	parse_ok("{\"schema_version\":2,\"type\":\"trace-start\",\"trace\":4,"
		 "\"target\":\"t.example\",\"address\":\"2001:db8::9\","
		 "\"family\":6,\"source\":null,\"protocol\":\"sctp\","
		 "\"port\":80,\"first_ttl\":2,\"max_ttl\":20,\"queries\":1,"
		 "\"count\":5,\"wait_ms\":250,\"psize\":1400,\"flow\":0,"
		 "\"flows\":1,\"pmtu\":true,\"rate_pps\":2.5,\"start\":\"" T0 "\"}", &ev);
	assert_int_equal(ev.kind, HT_EV_TRACE_START);
	assert_int_equal(ev.u.trace_start.trace, 4);
	assert_string_equal(ev.u.trace_start.target, "t.example");
	a = addr_of("2001:db8::9");
	assert_true(hp_addr_equal(&ev.u.trace_start.address, &a));
	assert_int_equal(ev.u.trace_start.source.family, 0);
	assert_int_equal(ev.u.trace_start.protocol, HP_SCTP);
	assert_int_equal(ev.u.trace_start.port, 80);
	assert_int_equal(ev.u.trace_start.first_ttl, 2);
	assert_int_equal(ev.u.trace_start.max_ttl, 20);
	assert_int_equal(ev.u.trace_start.queries, 1);
	assert_int_equal(ev.u.trace_start.count, 5);
	assert_int_equal(ev.u.trace_start.wait_ms, 250);
	assert_int_equal(ev.u.trace_start.psize, 1400);
	assert_int_equal(ev.u.trace_start.flow, 0);
	assert_int_equal(ev.u.trace_start.pmtu, 1);
	assert_true(ev.u.trace_start.rate_pps == 2.5);

	/* Every null to its absent value. */
	parse_ok("{\"schema_version\":2,\"type\":\"trace-start\",\"trace\":0,"
		 "\"target\":\"x\",\"address\":null,\"family\":null,"
		 "\"source\":null,\"protocol\":\"icmp\",\"port\":null,"
		 "\"first_ttl\":1,\"max_ttl\":30,\"queries\":3,\"count\":1,"
		 "\"wait_ms\":3000,\"psize\":null,\"flow\":null,"
		 "\"flows\":1,\"pmtu\":false,\"rate_pps\":null,\"start\":\"" T0 "\"}",
		 &ev);
	assert_int_equal(ev.u.trace_start.address.family, 0);
	assert_int_equal(ev.u.trace_start.port, 0);
	assert_int_equal(ev.u.trace_start.psize, 0);
	assert_int_equal(ev.u.trace_start.flow, -1);
	assert_int_equal(ev.u.trace_start.pmtu, 0);
	assert_true(ev.u.trace_start.rate_pps == 0.0);
	assert_null(ev.u.trace_start.compare);

	/* --compare's label, read back. */
	parse_ok("{\"schema_version\":2,\"type\":\"trace-start\",\"trace\":1,"
		 "\"target\":\"x\",\"address\":null,\"family\":null,"
		 "\"source\":null,\"protocol\":\"tcp\",\"port\":443,"
		 "\"first_ttl\":1,\"max_ttl\":30,\"queries\":3,\"count\":1,"
		 "\"wait_ms\":3000,\"psize\":null,\"flow\":null,"
		 "\"flows\":1,\"compare\":\"tcp:443/6\",\"pmtu\":false,"
		 "\"rate_pps\":null,\"start\":\"" T0 "\"}", &ev);
	assert_string_equal(ev.u.trace_start.compare, "tcp:443/6");

	parse_ok("{\"schema_version\":2,\"type\":\"trace-end\",\"trace\":1,"
		 "\"end\":\"" T0 "\",\"reached\":false,\"reason\":"
		 "\"worker-failed\",\"detail\":null,\"distance\":null,"
		 "\"last_ttl\":7,\"hidden_silent_hops\":2}", &ev);
	assert_int_equal(ev.kind, HT_EV_TRACE_END);
	assert_int_equal(ev.u.trace_end.trace, 1);
	assert_int_equal(ev.u.trace_end.reached, 0);
	assert_int_equal(ev.u.trace_end.reason, HT_REASON_WORKER_FAILED);
	assert_null(ev.u.trace_end.detail);
	assert_int_equal(ev.u.trace_end.distance, 0);
	assert_int_equal(ev.u.trace_end.last_ttl, 7);
	assert_int_equal(ev.u.trace_end.hidden_silent_hops, 2);
}

#define PROBE_NULLS "\"error_number\":null,\"mpls\":[],\"size\":null," \
	"\"flow\":null,\"rtt_ns\":null,\"icmp_type\":null," \
	"\"icmp_code\":null,\"reply_ttl\":null,\"quoted_ttl\":null," \
	"\"quoted_tos\":null,\"next_hop_mtu\":null,\"mtu\":null," \
	"\"interface\":null"

static void test_probe_records(void **state)
{
	struct ht_event ev;
	const struct hp_result *r = &ev.u.probe.result;
	struct hp_addr a;

	(void)state;
	parse_ok("{\"schema_version\":2,\"type\":\"probe\",\"trace\":0,"
		 "\"ttl\":9,\"cycle\":2,\"query\":1,\"sent\":"
		 "\"2026-12-01T20:30:02.091Z\",\"result\":\"packet-too-big\","
		 "\"address\":\"198.51.100.1\",\"rtt_us\":0,"
		 "\"error_number\":113,\"mpls\":[{\"label\":1048575,\"tc\":7,"
		 "\"s\":0,\"ttl\":255},{\"label\":0,\"tc\":0,\"s\":1,"
		 "\"ttl\":0}],\"size\":1500,\"flow\":65535,\"rtt_ns\":"
		 "9007199254740993,\"icmp_type\":3,\"icmp_code\":4,"
		 "\"reply_ttl\":250,\"quoted_ttl\":1,\"quoted_tos\":184,"
		 "\"next_hop_mtu\":1280,\"mtu\":0,\"interface\":{\"index\":"
		 "4294967295,\"address\":\"2001:db8::1\",\"name\":"
		 "\"ge-0/0/1\",\"mtu\":9000}}", &ev);
	assert_int_equal(ev.kind, HT_EV_PROBE);
	assert_int_equal(ev.u.probe.ttl, 9);
	assert_int_equal(ev.u.probe.cycle, 2);
	assert_int_equal(ev.u.probe.query, 1);
	assert_true(ev.u.probe.sent_us == FX_T0 + 2091000);
	assert_int_equal(ev.u.probe.size, 1500);
	assert_int_equal(ev.u.probe.flow, 65535);
	assert_int_equal(r->kind, HP_PACKET_TOO_BIG);
	a = addr_of("198.51.100.1");
	assert_true(hp_addr_equal(&r->responder, &a));
	assert_true(r->rtt_us == 0);
	assert_int_equal(r->error_number, 113);
	assert_int_equal(r->mpls_count, 2);
	assert_int_equal(r->mpls[0].label, 1048575);
	assert_int_equal(r->mpls[0].tc, 7);
	assert_int_equal(r->mpls[0].bos, 0);
	assert_int_equal(r->mpls[0].ttl, 255);
	assert_int_equal(r->mpls[1].bos, 1);
	assert_int_equal(r->has, HP_HAS_ICMP | HP_HAS_REPLY_TTL |
			 HP_HAS_QUOTED_TTL | HP_HAS_QUOTED_TOS |
			 HP_HAS_NEXT_HOP_MTU | HP_HAS_IF_INDEX |
			 HP_HAS_IF_MTU | HP_HAS_MTU | HP_HAS_RTT_NS);
	/* Beyond a double's 53 bits: read as an integer. */
	assert_true(r->rtt_ns == INT64_C(9007199254740993));
	assert_int_equal(r->icmp_type, 3);
	assert_int_equal(r->icmp_code, 4);
	assert_int_equal(r->reply_ttl, 250);
	assert_int_equal(r->quoted_ttl, 1);
	assert_int_equal(r->quoted_tos, 184);
	assert_int_equal(r->next_hop_mtu, 1280);
	assert_int_equal(r->mtu, 0);
	assert_true(r->if_index == 4294967295u);
	a = addr_of("2001:db8::1");
	assert_true(hp_addr_equal(&r->if_addr, &a));
	assert_string_equal(r->if_name, "ge-0/0/1");
	assert_int_equal(r->if_mtu, 9000);

	parse_ok("{\"schema_version\":2,\"type\":\"probe\",\"trace\":3,"
		 "\"ttl\":1,\"cycle\":0,\"query\":0,\"sent\":\"" T0 "\","
		 "\"result\":\"worker-failed\",\"address\":null,"
		 "\"rtt_us\":null," PROBE_NULLS "}", &ev);
	assert_int_equal(ev.u.probe.trace, 3);
	assert_int_equal(r->kind, HP_WORKER_FAILED);
	assert_int_equal(r->responder.family, 0);
	assert_true(r->rtt_us == -1);
	assert_int_equal(r->error_number, 0);
	assert_int_equal(r->mpls_count, 0);
	assert_int_equal(ev.u.probe.size, 0);
	assert_int_equal(ev.u.probe.flow, -1);
	assert_int_equal(r->has, 0);
	assert_int_equal(r->if_name[0], 0);
	assert_int_equal(r->if_addr.family, 0);

	/* An interface with only its name. */
	parse_ok("{\"schema_version\":2,\"type\":\"probe\",\"trace\":3,"
		 "\"ttl\":1,\"cycle\":0,\"query\":0,\"sent\":\"" T0 "\","
		 "\"result\":\"no-reply\",\"address\":null,"
		 "\"rtt_us\":null,\"error_number\":null,\"mpls\":[],"
		 "\"size\":null,\"flow\":null,\"rtt_ns\":null,\"icmp_type\":"
		 "null,\"icmp_code\":null,\"reply_ttl\":null,\"quoted_ttl\":"
		 "null,\"quoted_tos\":null,\"next_hop_mtu\":null,\"mtu\":null,"
		 "\"interface\":{\"index\":null,\"address\":null,\"name\":"
		 "\"e\\u00e9\",\"mtu\":null}}", &ev);
	assert_int_equal(r->kind, HP_NO_REPLY);
	assert_int_equal(r->has, 0);
	assert_string_equal(r->if_name, "e\303\251");
}

static void test_name_asn_hop_records(void **state)
{
	struct ht_event ev;
	struct hp_addr a;

	(void)state;
	/* Every escape; a surrogate pair; \ufffd back to the byte it was
	 * written for. */
	parse_ok("{\"schema_version\":2,\"type\":\"name\",\"address\":"
		 "\"192.0.2.1\",\"name\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t"
		 "\\u0001\\u007f\\u00E9\\u20ac\\ud83d\\ude00\\ufffd\xe2\x82\xac"
		 "\",\"error\":null}", &ev);
	assert_int_equal(ev.kind, HT_EV_NAME);
	a = addr_of("192.0.2.1");
	assert_true(hp_addr_equal(&ev.u.name.address, &a));
	assert_string_equal(ev.u.name.name,
			    "a\"b\\c/d\b\f\n\r\t\001\177\303\251\342\202\254"
			    "\360\237\230\200\377\342\202\254");
	assert_null(ev.u.name.error);

	parse_ok("{\"schema_version\":2,\"type\":\"asn\",\"address\":"
		 "\"2001:db8::1\",\"asn\":\"64496 64497\",\"prefix\":"
		 "\"2001:db8::/32\",\"error\":\"timeout\"}", &ev);
	assert_int_equal(ev.kind, HT_EV_ASN);
	assert_string_equal(ev.u.asn.asn, "64496 64497");
	assert_string_equal(ev.u.asn.prefix, "2001:db8::/32");
	assert_string_equal(ev.u.asn.error, "timeout");

	parse_ok("{\"schema_version\":2,\"type\":\"hop\",\"trace\":1,"
		 "\"ttl\":5,\"sent\":99,\"received\":0,\"loss_pct\":12.5,"
		 "\"last_us\":null,\"avg_us\":1e3,\"best_us\":null,"
		 "\"worst_us\":4,\"stdev_us\":null,\"responders\":["
		 "{\"address\":\"192.0.2.5\",\"name\":\"r.example\","
		 "\"asn\":null,\"answers\":1},{\"address\":\"192.0.2.6\","
		 "\"name\":null,\"asn\":\"64500\",\"answers\":0}],"
		 "\"probes\":[{\"cycle\":0,\"query\":0,\"sent\":\"" T0 "\","
		 "\"result\":\"ttl-expired\",\"address\":\"192.0.2.5\","
		 "\"rtt_us\":1500," PROBE_NULLS "},{\"cycle\":0,\"query\":1,"
		 "\"sent\":\"" T0 "\",\"result\":\"no-reply\",\"address\":"
		 "null,\"rtt_us\":null," PROBE_NULLS "}],\"mtu\":null,\"paths\":[],\"per_packet\":null}", &ev);
	assert_int_equal(ev.kind, HT_EV_HOP);
	assert_int_equal(ev.u.hop.trace, 1);
	assert_int_equal(ev.u.hop.ttl, 5);
	assert_int_equal(ev.u.hop.responder_count, 2);
	assert_string_equal(ev.u.hop.responders[0].name, "r.example");
	assert_null(ev.u.hop.responders[0].asn);
	assert_int_equal(ev.u.hop.responders[0].answers, 1);
	assert_null(ev.u.hop.responders[1].name);
	assert_string_equal(ev.u.hop.responders[1].asn, "64500");
	assert_int_equal(ev.u.hop.probe_count, 2);
	assert_int_equal(ev.u.hop.probes[0].trace, 1);
	assert_int_equal(ev.u.hop.probes[0].ttl, 5);
	assert_true(ev.u.hop.probes[0].result.rtt_us == 1500);
	assert_int_equal(ev.u.hop.probes[1].query, 1);
	assert_int_equal(ev.u.hop.probes[1].result.kind, HP_NO_REPLY);
}

static void test_blank_lines(void **state)
{
	struct ht_event ev;
	char err[64] = "x";

	(void)state;
	assert_int_equal(ht_replay_line(g_rp, "", 0, &ev, err, sizeof(err)),
			 0);
	assert_int_equal(ht_replay_line(g_rp, NULL, 0, &ev, err, sizeof(err)),
			 0);
	assert_int_equal(ht_replay_line(g_rp, "\n", 1, &ev, err, sizeof(err)),
			 0);
	assert_int_equal(ht_replay_line(g_rp, " \t\r\n", 4, &ev, err,
					sizeof(err)), 0);
}

/* ---- schema 3 ------------------------------------------------------ */

#define V3(type) "{\"schema_version\":3,\"type\":\"" type "\"," \
	"\"run\":\"sweep7:3\",\"collector_wall_clock\":\"" T0 "\","
#define V3_SHARD "\"shard\":{\"index\":3,\"count\":4," \
	"\"seed\":18446744073709551615}"
#define V3_RUN_START V3("run-start") "\"version\":\"0.1.0\"," \
	"\"worker_version\":null,\"start\":\"" T0 "\",\"target_count\":2," \
	"\"workers\":[{\"name\":\"lab1\",\"command\":\"hopprobe\"}," \
	"{\"name\":\"lab2\",\"command\":\"ssh lab2.example hopprobe\"}]," \
	V3_SHARD "}"
#define V3_TRACE_START(worker) V3("trace-start") "\"trace\":1," \
	"\"worker\":" worker "," V3_SHARD ",\"target\":\"198.51.100.20\"," \
	"\"address\":null,\"family\":null,\"source\":null," \
	"\"protocol\":\"icmp\",\"port\":null,\"first_ttl\":1," \
	"\"max_ttl\":30,\"queries\":3,\"count\":1,\"wait_ms\":3000," \
	"\"psize\":null,\"flow\":null,\"flows\":1,\"pmtu\":false," \
	"\"rate_pps\":null,\"start\":\"" T0 "\"}"
#define V3_PROBE(result) V3("probe") "\"trace\":1,\"worker\":\"lab2\"," \
	"\"target\":\"198.51.100.20\"," V3_SHARD ",\"ttl\":1,\"cycle\":0," \
	"\"query\":0,\"sent\":\"" T0 "\",\"result\":\"" result "\"," \
	"\"address\":null,\"rtt_us\":null," PROBE_V3_NULLS "}"
#define PROBE_V3_NULLS "\"error_number\":null,\"mpls\":[],\"size\":null," \
	"\"flow\":null,\"rtt_ns\":null,\"icmp_type\":null," \
	"\"icmp_code\":null,\"reply_ttl\":null,\"quoted_ttl\":null," \
	"\"quoted_tos\":null,\"next_hop_mtu\":null,\"mtu\":null," \
	"\"interface\":null"
#define V3_TRACE_END(reason) V3("trace-end") "\"trace\":1," \
	"\"worker\":\"lab2\",\"target\":\"198.51.100.20\"," V3_SHARD "," \
	"\"end\":\"" T0 "\",\"reached\":false,\"reason\":\"" reason "\"," \
	"\"detail\":null,\"distance\":null,\"last_ttl\":null," \
	"\"hidden_silent_hops\":0}"
#define V3_LOST(worker) V3("worker-lost") "\"worker\":\"" worker "\"," \
	"\"message\":\"exited with status 255\",\"probes_lost\":4," \
	"\"at\":\"2026-12-01T20:30:01.000Z\"}"

static void test_v3_records(void **state)
{
	struct ht_event ev;

	(void)state;
	parse_ok(V3_RUN_START, &ev);
	assert_int_equal(ev.kind, HT_EV_RUN_START);
	assert_string_equal(ev.u.run_start.run_id, "sweep7:3");
	assert_int_equal(ev.u.run_start.worker_count, 2);
	assert_string_equal(ev.u.run_start.workers[1].name, "lab2");
	assert_string_equal(ev.u.run_start.workers[1].command,
			    "ssh lab2.example hopprobe");
	assert_int_equal(ev.u.run_start.shard_index, 3);
	assert_int_equal(ev.u.run_start.shard_count, 4);
	assert_true(ev.u.run_start.seed == UINT64_C(18446744073709551615));
	assert_int_equal(ev.u.run_start.each_workers, 0);
	assert_true(ev.collector_us == FX_T0);
	assert_non_null(ev.recorded);
	assert_string_equal(ev.recorded->run_id, "sweep7:3");

	/* The worker's name, as its index in the run-start. */
	parse_ok(V3_TRACE_START("\"lab2\""), &ev);
	assert_int_equal(ev.u.trace_start.worker, 1);
	assert_string_equal(ev.recorded->worker, "lab2");
	assert_string_equal(ev.recorded->target, "198.51.100.20");
	assert_int_equal(ev.recorded->has_shard, 1);
	parse_ok(V3_TRACE_START("null"), &ev);
	assert_int_equal(ev.u.trace_start.worker, -1);
	assert_null(ev.recorded->worker);

	parse_ok(V3_PROBE("worker-lost"), &ev);
	assert_int_equal(ev.u.probe.result.kind, HP_WORKER_FAILED);
	assert_string_equal(ev.recorded->target, "198.51.100.20");
	assert_string_equal(ev.recorded->worker, "lab2");
	parse_ok(V3_TRACE_END("worker-lost"), &ev);
	assert_int_equal(ev.u.trace_end.reason, HT_REASON_WORKER_FAILED);
	parse_ok(V3_LOST("lab2"), &ev);
	assert_int_equal(ev.kind, HT_EV_WORKER_LOST);
	assert_int_equal(ev.u.worker_lost.worker, 1);
	assert_string_equal(ev.u.worker_lost.message,
			    "exited with status 255");
	assert_int_equal(ev.u.worker_lost.probes_lost, 4);
	assert_true(ev.u.worker_lost.at_us == FX_T0 + 1000000);

	/* Without a run id or a collector's clock (a replayed schema 2
	 * run), and with --each. */
	parse_ok("{\"schema_version\":3,\"type\":\"run-start\",\"run\":null,"
		 "\"collector_wall_clock\":null,\"version\":\"0.1.0\","
		 "\"worker_version\":null,\"start\":\"" T0 "\","
		 "\"target_count\":4,\"workers\":[{\"name\":\"a\","
		 "\"command\":\"a\"},{\"name\":\"b\",\"command\":\"b\"}],"
		 "\"shard\":null,\"each_workers\":2}", &ev);
	assert_null(ev.u.run_start.run_id);
	assert_int_equal(ev.u.run_start.shard_count, 0);
	assert_int_equal(ev.u.run_start.each_workers, 2);
	assert_true(ev.collector_us == HT_COLLECTOR_UNKNOWN);

	/* Two workers of one name (names are meant to be unique): read,
	 * the name standing for the first. */
	parse_ok(V3("run-start") "\"version\":\"0.1.0\",\"worker_version\":null,"
		 "\"start\":\"" T0 "\",\"target_count\":1,\"workers\":["
		 "{\"name\":\"hopprobe\",\"command\":\"hopprobe\"},"
		 "{\"name\":\"hopprobe\",\"command\":\"hopprobe\"}],"
		 "\"shard\":null}", &ev);
	assert_int_equal(ev.u.run_start.worker_count, 2);
	parse_ok(V3("worker-lost") "\"worker\":\"hopprobe\",\"message\":\"x\","
		 "\"probes_lost\":0,\"at\":\"" T0 "\"}", &ev);
	assert_int_equal(ev.u.worker_lost.worker, 0);

	/* Schema 2 had neither: its records come without them. */
	parse_ok("{\"schema_version\":2,\"type\":\"run-end\",\"end\":\""
		 T0 "\",\"exit_status\":0,\"reached\":0,\"not_reached\":0}",
		 &ev);
	assert_null(ev.recorded);
	assert_true(ev.collector_us == HT_COLLECTOR_UNKNOWN);
}

static void test_v3_refused(void **state)
{
	static const struct {
		const char *line;
		const char *err;
	} cases[] = {
		{ V3_TRACE_START("\"lab3\""),
		  "trace-start record \"worker\" \"lab3\" is not a worker of "
		  "the run-start record" },
		{ V3_LOST("lab3"),
		  "worker-lost record \"worker\" \"lab3\" is not a worker of "
		  "the run-start record" },
		/* Each schema its own name for a lost worker. */
		{ V3_PROBE("worker-failed"),
		  "probe record \"result\" is not a result name" },
		{ V3_TRACE_END("worker-failed"),
		  "trace-end record \"reason\" is not a reason" },
		{ "{\"schema_version\":2,\"type\":\"trace-end\",\"trace\":1,"
		  "\"end\":\"" T0 "\",\"reached\":false,"
		  "\"reason\":\"worker-lost\",\"detail\":null,"
		  "\"distance\":null,\"last_ttl\":null,"
		  "\"hidden_silent_hops\":0}",
		  "trace-end record \"reason\" is not a reason" },
		{ "{\"schema_version\":2,\"type\":\"worker-lost\"}",
		  "unknown record type \"worker-lost\"" },
		/* What schema 3 adds is required in 3, unknown in 2. */
		{ "{\"schema_version\":3,\"type\":\"run-end\",\"end\":\"" T0
		  "\",\"exit_status\":0,\"reached\":0,\"not_reached\":0}",
		  "run-end record without \"run\"" },
		{ "{\"schema_version\":2,\"type\":\"run-end\",\"run\":null,"
		  "\"end\":\"" T0 "\",\"exit_status\":0,\"reached\":0,"
		  "\"not_reached\":0}",
		  "run-end record has unknown field \"run\"" },
		{ "{\"schema_version\":3,\"type\":\"run-end\",\"run\":\"a b\","
		  "\"collector_wall_clock\":null,\"end\":\"" T0 "\","
		  "\"exit_status\":0,\"reached\":0,\"not_reached\":0}",
		  "run-end record \"run\" is not a run id (1-64 of A-Z a-z "
		  "0-9 . _ : -)" },
		{ "{\"schema_version\":3,\"type\":\"run-end\",\"run\":null,"
		  "\"collector_wall_clock\":0,\"end\":\"" T0 "\","
		  "\"exit_status\":0,\"reached\":0,\"not_reached\":0}",
		  "run-end record \"collector_wall_clock\" is an integer, want "
		  "a time" },
		{ V3("trace-end") "\"trace\":0,\"worker\":null,\"target\":null,"
		  "\"shard\":{\"index\":4,\"count\":4,\"seed\":1},"
		  "\"end\":\"" T0 "\",\"reached\":false,\"reason\":\"no-answer\","
		  "\"detail\":null,\"distance\":null,\"last_ttl\":null,"
		  "\"hidden_silent_hops\":0}",
		  "trace-end record shard \"index\" is 4, want 0 to 3" },
		{ V3("trace-end") "\"trace\":0,\"worker\":null,\"target\":null,"
		  "\"shard\":{\"index\":0,\"count\":1,\"seed\":-1},"
		  "\"end\":\"" T0 "\",\"reached\":false,\"reason\":\"no-answer\","
		  "\"detail\":null,\"distance\":null,\"last_ttl\":null,"
		  "\"hidden_silent_hops\":0}",
		  "trace-end record shard \"seed\" is -1, want 0 to "
		  "18446744073709551615" },
		{ V3("run-start") "\"version\":\"0.1.0\","
		  "\"worker_version\":null,\"start\":\"" T0 "\","
		  "\"target_count\":2,\"workers\":[{\"name\":\"a\","
		  "\"command\":\"x\"},{\"name\":\"\",\"command\":\"y\"}],"
		  "\"shard\":null}",
		  "run-start record worker 1 \"name\" is empty" },
	};
	struct ht_event ev;
	size_t i;

	(void)state;
	parse_ok(V3_RUN_START, &ev);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[200];
		int rc = ht_replay_line(g_rp, cases[i].line,
					strlen(cases[i].line), &ev, err,
					sizeof(err));

		/* The last run-start, refused, forgets lab1 and lab2. */
		if (rc != -1 || strcmp(err, cases[i].err) != 0)
			fail_msg("case %zu: %d \"%s\", want \"%s\" for\n%s",
				 i, rc, err, cases[i].err, cases[i].line);
	}
}

/*
 * A recording of schema 2 replayed as JSONL: schema 3 records, with run
 * and collector_wall_clock null (it recorded neither), the target of
 * every trace record from its trace-start, no workers and no shard.
 */
static void test_v2_to_v3(void **state)
{
	static const char v2[] =
		"{\"schema_version\":2,\"type\":\"run-start\","
		"\"version\":\"0.1.0\",\"worker_version\":null,"
		"\"start\":\"" T0 "\",\"target_count\":1}\n"
		"{\"schema_version\":2,\"type\":\"trace-start\",\"trace\":0,"
		"\"target\":\"x.example\",\"address\":null,\"family\":null,"
		"\"source\":null,\"protocol\":\"icmp\",\"port\":null,"
		"\"first_ttl\":1,\"max_ttl\":30,\"queries\":3,\"count\":1,"
		"\"wait_ms\":3000,\"psize\":null,\"flow\":null,\"flows\":1,"
		"\"pmtu\":false,\"rate_pps\":null,\"start\":\"" T0 "\"}\n"
		"{\"schema_version\":2,\"type\":\"trace-end\",\"trace\":0,"
		"\"end\":\"" T0 "\",\"reached\":false,"
		"\"reason\":\"worker-failed\",\"detail\":null,"
		"\"distance\":null,\"last_ttl\":null,"
		"\"hidden_silent_hops\":0}\n";
	char *got = replay_render(v2, HT_FMT_JSONL, &jsonl_later);

	(void)state;
	expect_same("v2 to v3",
		"{\"schema_version\":3,\"type\":\"run-start\",\"run\":null,"
		"\"collector_wall_clock\":null,\"version\":\"0.1.0\","
		"\"worker_version\":null,\"start\":\"" T0 "\","
		"\"target_count\":1,\"workers\":[],\"shard\":null}\n"
		"{\"schema_version\":3,\"type\":\"trace-start\",\"run\":null,"
		"\"collector_wall_clock\":null,\"trace\":0,\"worker\":null,"
		"\"shard\":null,\"target\":\"x.example\",\"address\":null,"
		"\"family\":null,\"source\":null,\"protocol\":\"icmp\","
		"\"port\":null,\"first_ttl\":1,\"max_ttl\":30,\"queries\":3,"
		"\"count\":1,\"wait_ms\":3000,\"psize\":null,\"flow\":null,"
		"\"flows\":1,\"pmtu\":false,\"rate_pps\":null,"
		"\"start\":\"" T0 "\"}\n"
		"{\"schema_version\":3,\"type\":\"trace-end\",\"run\":null,"
		"\"collector_wall_clock\":null,\"trace\":0,\"worker\":null,"
		"\"target\":\"x.example\",\"shard\":null,\"end\":\"" T0 "\","
		"\"reached\":false,\"reason\":\"worker-lost\",\"detail\":null,"
		"\"distance\":null,\"last_ttl\":null,"
		"\"hidden_silent_hops\":0}\n", got);
	free(got);
}

/* ---- lines refused ------------------------------------------------- */

#define RS_HEAD "{\"schema_version\":2,\"type\":\"run-start\","
#define RS_BODY "\"version\":\"0.1.0\",\"worker_version\":null," \
	"\"start\":\"" T0 "\",\"target_count\":1"
#define TS_COMPARE "{\"schema_version\":2,\"type\":\"trace-start\"," \
	"\"trace\":0,\"target\":\"x\",\"address\":null,\"family\":null," \
	"\"source\":null,\"protocol\":\"icmp\",\"port\":null," \
	"\"first_ttl\":1,\"max_ttl\":30,\"queries\":3,\"count\":1," \
	"\"wait_ms\":3000,\"psize\":null,\"flow\":null,\"flows\":1," \
	"\"pmtu\":false,\"rate_pps\":null,\"start\":\"" T0 "\",\"compare\":"
#define NAME_HEAD "{\"schema_version\":2,\"type\":\"name\","
#define PROBE_HEAD "{\"schema_version\":2,\"type\":\"probe\",\"trace\":0,"
#define PROBE_TAIL "\"cycle\":0,\"query\":0,\"sent\":\"" T0 "\"," \
	"\"result\":\"reply\",\"address\":null,\"rtt_us\":null," PROBE_NULLS

static const struct {
	const char *line;
	const char *err;
} refused[] = {
	{ "{\"schema_version\":2,,", "not JSON at byte 20" },
	{ "hello", "not JSON at byte 0" },
	{ RS_HEAD RS_BODY "} x", "not JSON at byte 132" },
	{ "{\"schema_version\":02}", "not JSON at byte 19" },
	{ "{\"schema_version\":2", "truncated JSON at byte 19" },
	{ RS_HEAD "\"version\":\"0.1", "truncated JSON at byte 53" },
	{ "[1,2]", "record is an array, want an object" },
	{ "{\"type\":\"run-start\"}", "record without \"schema_version\"" },
	{ "{\"schema_version\":1,\"type\":\"run-start\"}",
	  "schema_version 1, want 2 or 3" },
	{ "{\"schema_version\":4,\"type\":\"run-start\"}",
	  "schema_version 4, want 2 or 3" },
	{ "{\"schema_version\":\"2\",\"type\":\"run-start\"}",
	  "\"schema_version\" is a string, want 2 or 3" },
	{ "{\"schema_version\":2.0,\"type\":\"run-start\"}",
	  "\"schema_version\" is a number, want 2 or 3" },
	{ "{\"schema_version\":2}", "record without \"type\"" },
	{ "{\"schema_version\":2,\"type\":\"hop-start\"}",
	  "unknown record type \"hop-start\"" },
	{ "{\"schema_version\":2,\"type\":7}",
	  "\"type\" is an integer, want a string" },
	{ RS_HEAD RS_BODY ",\"colour\":1}",
	  "run-start record has unknown field \"colour\"" },
	/* --compare's fields: 2 to 8 items, a label an item's own text. */
	{ RS_HEAD RS_BODY ",\"compare_items\":1}",
	  "run-start record \"compare_items\" is 1, want 2 to 8" },
	{ RS_HEAD RS_BODY ",\"compare_items\":9}",
	  "run-start record \"compare_items\" is 9, want 2 to 8" },
	{ TS_COMPARE "\"ICMP\"}",
	  "trace-start record \"compare\" is not a --compare item" },
	{ TS_COMPARE "\"udp:053\"}",
	  "trace-start record \"compare\" is not a --compare item" },
	{ TS_COMPARE "\"\"}",
	  "trace-start record \"compare\" is not a --compare item" },
	{ TS_COMPARE "null}",
	  "trace-start record \"compare\" is null, want a string" },
	{ RS_HEAD RS_BODY ",\"version\":\"2\"}",
	  "run-start record has \"version\" twice" },
	{ RS_HEAD "\"version\":\"0.1.0\",\"worker_version\":null,"
	  "\"start\":\"" T0 "\"}",
	  "run-start record without \"target_count\"" },
	{ PROBE_HEAD PROBE_TAIL "}", "probe record without \"ttl\"" },
	{ PROBE_HEAD "\"ttl\":\"3\"," PROBE_TAIL "}",
	  "probe record \"ttl\" is a string, want an integer" },
	{ PROBE_HEAD "\"ttl\":3.5," PROBE_TAIL "}",
	  "probe record \"ttl\" is a number, want an integer" },
	{ PROBE_HEAD "\"ttl\":256," PROBE_TAIL "}",
	  "probe record \"ttl\" is 256, want 0 to 255" },
	{ "{\"schema_version\":2,\"type\":\"probe\",\"trace\":-1,\"ttl\":1,"
	  PROBE_TAIL "}", "probe record \"trace\" is -1, want 0 to 4294967295" },
	{ RS_HEAD "\"version\":\"0.1.0\",\"worker_version\":null,"
	  "\"start\":\"2026-12-01 20:30:00.000Z\",\"target_count\":1}",
	  "run-start record \"start\" is not an RFC 3339 time like "
	  "\"2026-12-01T20:30:00.000Z\"" },
	{ RS_HEAD "\"version\":\"0.1.0\",\"worker_version\":null,"
	  "\"start\":\"2026-02-29T20:30:00.000Z\",\"target_count\":1}",
	  "run-start record \"start\" is not an RFC 3339 time like "
	  "\"2026-12-01T20:30:00.000Z\"" },
	{ RS_HEAD "\"version\":\"0.1.0\",\"worker_version\":null,"
	  "\"start\":1796157000,\"target_count\":1}",
	  "run-start record \"start\" is an integer, want a time" },
	{ NAME_HEAD "\"address\":\"192.0.2.300\",\"name\":null,"
	  "\"error\":null}", "name record \"address\" is not an IP address" },
	{ NAME_HEAD "\"address\":null,\"name\":null,\"error\":null}",
	  "name record \"address\" is null, want a string" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"a\\x\","
	  "\"error\":null}", "bad string escape at byte 65" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"\\ud800x\","
	  "\"error\":null}", "bad string escape at byte 64" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"\\udc00\","
	  "\"error\":null}", "bad string escape at byte 64" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"\\u00zz\","
	  "\"error\":null}", "bad string escape at byte 64" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"\\u0000\","
	  "\"error\":null}", "bad string escape at byte 64" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"a\tb\","
	  "\"error\":null}", "control character in string at byte 65" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"a\377\","
	  "\"error\":null}", "invalid UTF-8 at byte 65" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"\xc0\xaf\","
	  "\"error\":null}", "invalid UTF-8 at byte 64" },
	{ NAME_HEAD "\"address\":\"192.0.2.1\",\"name\":\"\xed\xa0\x80\","
	  "\"error\":null}", "invalid UTF-8 at byte 64" },
	{ "{\"a\":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}",
	  "JSON nested deeper than 16 at byte 20" },
	/* Sixteen deep is allowed: the record is then refused for what it
	 * lacks. */
	{ "{\"a\":[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}",
	  "record without \"schema_version\"" },
	/* Integers go up to 2^64-1 (a --seed), no further. */
	{ "{\"schema_version\":9223372036854775808}",
	  "schema_version 9223372036854775808, want 2 or 3" },
	{ "{\"schema_version\":18446744073709551616}",
	  "number out of range at byte 18" },
	{ "{\"schema_version\":-9223372036854775809}",
	  "number out of range at byte 18" },
	{ "{\"schema_version\":1e999}", "number out of range at byte 18" },
	{ "{\"schema_version\":-}", "not JSON at byte 19" },
	{ "{\"schema_version\":1.}", "not JSON at byte 20" },
	{ "{\"schema_version\":nul}", "not JSON at byte 21" },
	{ PROBE_HEAD "\"ttl\":1,\"cycle\":0,\"query\":0,\"sent\":\"" T0 "\","
	  "\"result\":\"lost\",\"address\":null,\"rtt_us\":null,"
	  PROBE_NULLS "}", "probe record \"result\" is not a result name" },
	{ "{\"schema_version\":2,\"type\":\"trace-start\",\"trace\":0,"
	  "\"target\":\"x\",\"address\":null,\"family\":null,"
	  "\"source\":null,\"protocol\":\"icmp\",\"port\":null,"
	  "\"first_ttl\":1,\"max_ttl\":30,\"queries\":3,\"count\":1,"
	  "\"wait_ms\":3000,\"psize\":null,\"flow\":null,"
	  "\"flows\":1,\"pmtu\":false,\"rate_pps\":0,\"start\":\"" T0 "\"}",
	  "trace-start record \"rate_pps\" is out of range, want above 0 "
	  "to 1000000" },
	{ "{\"schema_version\":2,\"type\":\"trace-start\",\"trace\":0,"
	  "\"target\":\"x\",\"address\":\"192.0.2.1\",\"family\":6,"
	  "\"source\":null,\"protocol\":\"icmp\",\"port\":null,"
	  "\"first_ttl\":1,\"max_ttl\":30,\"queries\":3,\"count\":1,"
	  "\"wait_ms\":3000,\"psize\":null,\"flow\":null,"
	  "\"flows\":1,\"pmtu\":false,\"rate_pps\":null,\"start\":\"" T0 "\"}",
	  "trace-start record \"family\" does not match \"address\"" },
	{ "{\"schema_version\":2,\"type\":\"trace-start\",\"trace\":0,"
	  "\"target\":\"x\",\"address\":null,\"family\":null,"
	  "\"source\":null,\"protocol\":\"quic\",\"port\":null,"
	  "\"first_ttl\":1,\"max_ttl\":30,\"queries\":3,\"count\":1,"
	  "\"wait_ms\":3000,\"psize\":null,\"flow\":null,"
	  "\"flows\":1,\"pmtu\":false,\"rate_pps\":null,\"start\":\"" T0 "\"}",
	  "trace-start record \"protocol\" is not a protocol" },
	{ "{\"schema_version\":2,\"type\":\"trace-end\",\"trace\":1,"
	  "\"end\":\"" T0 "\",\"reached\":0,\"reason\":\"reached\","
	  "\"detail\":null,\"distance\":null,\"last_ttl\":null,"
	  "\"hidden_silent_hops\":0}",
	  "trace-end record \"reached\" is an integer, want a boolean" },
	{ "{\"schema_version\":2,\"type\":\"trace-end\",\"trace\":1,"
	  "\"end\":\"" T0 "\",\"reached\":false,\"reason\":\"bored\","
	  "\"detail\":null,\"distance\":null,\"last_ttl\":null,"
	  "\"hidden_silent_hops\":0}",
	  "trace-end record \"reason\" is not a reason" },
	{ PROBE_HEAD "\"ttl\":1,\"cycle\":0,\"query\":0,\"sent\":\"" T0 "\","
	  "\"result\":\"reply\",\"address\":null,\"rtt_us\":null,"
	  "\"error_number\":null,\"mpls\":[],\"size\":null,"
	  "\"flow\":null,\"rtt_ns\":null,\"icmp_type\":3,"
	  "\"icmp_code\":null,\"reply_ttl\":null,\"quoted_ttl\":null,"
	  "\"quoted_tos\":null,\"next_hop_mtu\":null,\"mtu\":null,"
	  "\"interface\":null}",
	  "probe record has one of \"icmp_type\" and \"icmp_code\" "
	  "without the other" },
	{ "{\"schema_version\":2,\"type\":\"asn\",\"address\":\"192.0.2.1\","
	  "\"asn\":\"AS64496\",\"prefix\":null,\"error\":null}",
	  "asn record \"asn\" is not a list of AS numbers" },
};

static void test_refused(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct ht_event ev;
		char err[160];
		int rc = ht_replay_line(g_rp, refused[i].line,
					strlen(refused[i].line), &ev, err,
					sizeof(err));

		if (rc != -1 || strcmp(err, refused[i].err) != 0)
			fail_msg("case %zu: %d \"%s\", want \"%s\" for\n%s",
				 i, rc, err, refused[i].err, refused[i].line);
	}
}

/* Errors inside a hop name the probe, responder or label. */
static void test_refused_nested(void **state)
{
	struct ht_event ev;
	char err[160];
	const char *hop = "{\"schema_version\":2,\"type\":\"hop\",\"trace\":0,"
		"\"ttl\":1,\"sent\":1,\"received\":1,\"loss_pct\":0.0,"
		"\"last_us\":1,\"avg_us\":1.0,\"best_us\":1,\"worst_us\":1,"
		"\"stdev_us\":0.0,\"responders\":[],\"probes\":[{\"cycle\":0,"
		"\"query\":0,\"sent\":\"" T0 "\",\"result\":\"reply\","
		"\"address\":null,\"rtt_us\":null,\"error_number\":null,"
		"\"mpls\":[{\"label\":1,\"tc\":8,\"s\":1,\"ttl\":1}],"
		"\"size\":null,\"flow\":null,\"rtt_ns\":null,\"icmp_type\":null,"
		"\"icmp_code\":null,\"reply_ttl\":null,\"quoted_ttl\":null,"
		"\"quoted_tos\":null,\"next_hop_mtu\":null,\"mtu\":null,"
		"\"interface\":null}],\"mtu\":null,\"paths\":[],\"per_packet\":null}";
	const char *stats = "{\"schema_version\":2,\"type\":\"hop\","
		"\"trace\":0,\"ttl\":1,\"sent\":1,\"received\":1,"
		"\"loss_pct\":\"0\",\"last_us\":1,\"avg_us\":1.0,\"best_us\":1,"
		"\"worst_us\":1,\"stdev_us\":0.0,\"responders\":[],"
		"\"probes\":[],\"mtu\":null,\"paths\":[],\"per_packet\":null}";
	const char *resp = "{\"schema_version\":2,\"type\":\"hop\","
		"\"trace\":0,\"ttl\":1,\"sent\":1,\"received\":1,"
		"\"loss_pct\":0,\"last_us\":1,\"avg_us\":1.0,\"best_us\":1,"
		"\"worst_us\":1,\"stdev_us\":0.0,\"responders\":[{\"address\":"
		"\"192.0.2.1\",\"name\":null,\"asn\":null}],"
		"\"probes\":[],\"mtu\":null,\"paths\":[],\"per_packet\":null}";

	(void)state;
	assert_int_equal(ht_replay_line(g_rp, hop, strlen(hop), &ev, err,
					sizeof(err)), -1);
	assert_string_equal(err, "hop record probe 0 mpls 0 \"tc\" is 8, "
			    "want 0 to 7");
	assert_int_equal(ht_replay_line(g_rp, stats, strlen(stats), &ev, err,
					sizeof(err)), -1);
	assert_string_equal(err, "hop record \"loss_pct\" is a string, want "
			    "a number");
	assert_int_equal(ht_replay_line(g_rp, resp, strlen(resp), &ev, err,
					sizeof(err)), -1);
	assert_string_equal(err, "hop record responder 0 without "
			    "\"answers\"");
}

/* A megabyte of '[' is refused at the seventeenth, without recursion. */
static void test_deep_brackets(void **state)
{
	size_t n = 1024 * 1024;
	char *line = malloc(n);
	struct ht_event ev;
	char err[128];

	(void)state;
	assert_non_null(line);
	memset(line, '[', n);
	assert_int_equal(ht_replay_line(g_rp, line, n, &ev, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "JSON nested deeper than 16 at byte 16");
	/* And a megabyte of a long but flat array: fine as JSON. */
	line[0] = '[';
	memset(line + 1, ' ', n - 2);
	line[n - 1] = ']';
	assert_int_equal(ht_replay_line(g_rp, line, n, &ev, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "record is an array, want an object");
	free(line);
}

/*
 * Bytes of the records changed at random (a fixed seed) must give 1 or
 * -1 with a message, never a crash; under the sanitizers a read past the
 * end shows, since each input is its own allocation of its exact length.
 */
static void test_mutations(void **state)
{
	uint32_t seed = 12345;
	size_t i;

	(void)state;
	for (i = 0; i < fx_scenario_count; i++) {
		char *jsonl = render(HT_FMT_JSONL, &jsonl_cfg,
				     fx_scenarios[i].play);
		const char *line = jsonl;

		while (*line) {
			size_t len = (size_t)(strchr(line, '\n') - line);
			unsigned k;

			for (k = 0; k < 200; k++) {
				char *m = malloc(len);
				struct ht_event ev;
				char err[128];
				int rc, j;

				assert_non_null(m);
				memcpy(m, line, len);
				for (j = 0; j < 3; j++) {
					seed = seed * 1103515245u + 12345u;
					m[(seed >> 8) % len] =
						(char)(seed >> 24);
				}
				err[0] = '\0';
				rc = ht_replay_line(g_rp, m, len, &ev, err,
						    sizeof(err));
				assert_true(rc == 1 || rc == -1);
				if (rc == -1)
					assert_true(err[0] != '\0');
				free(m);
			}
			line += len + 1;
		}
		free(jsonl);
	}
}

/* ---- the pieces ---------------------------------------------------- */

static void test_times(void **state)
{
	static const struct {
		const char *s;
		int64_t us;
	} good[] = {
		{ "1970-01-01T00:00:00.000Z", 0 },
		{ "1970-01-01T00:00:00.001Z", 1000 },
		{ "1969-12-31T23:59:59.999Z", -1000 },
		{ "2000-02-29T00:00:00.000Z", INT64_C(951782400000000) },
		{ "2026-12-01T20:30:00.000Z", FX_T0 },
		{ "9999-12-31T23:59:59.999Z", INT64_C(253402300799999000) },
		{ "0000-01-01T00:00:00.000Z", INT64_C(-62167219200000000) },
	};
	static const char *const bad[] = {
		"2026-12-01T20:30:00Z", "2026-12-01T20:30:00.000",
		"2026-12-01T20:30:00.000+00:00", "2026-13-01T20:30:00.000Z",
		"2026-00-01T20:30:00.000Z", "2026-12-00T20:30:00.000Z",
		"2026-04-31T20:30:00.000Z", "1900-02-29T00:00:00.000Z",
		"2026-12-01T24:00:00.000Z", "2026-12-01T20:60:00.000Z",
		"2026-12-01T20:30:60.000Z", "2026-12-01t20:30:00.000Z",
		"2026-12-01T20:30:00.00aZ", "+026-12-01T20:30:00.000Z",
		"2026-12-01T20:30:00.000Zx",
	};
	size_t i;
	int64_t us;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		us = 42;
		assert_int_equal(ht_replay_time(good[i].s, strlen(good[i].s),
						&us), 0);
		if (us != good[i].us)
			fail_msg("%s: %lld, want %lld", good[i].s,
				 (long long)us, (long long)good[i].us);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ht_replay_time(bad[i], strlen(bad[i]), &us) == 0)
			fail_msg("%s accepted", bad[i]);
}

static void test_json_numbers(void **state)
{
	static const struct {
		const char *text;
		enum json_type type;
		int64_t i;
		double d;
	} nums[] = {
		{ "0", JSON_INT, 0, 0.0 },
		{ "-0", JSON_INT, 0, 0.0 },
		{ "9223372036854775807", JSON_INT, INT64_MAX, 9.223372036854775807e18 },
		{ "-9223372036854775808", JSON_INT, INT64_MIN, -9.223372036854775808e18 },
		{ "12.5", JSON_DOUBLE, 0, 12.5 },
		{ "-0.25", JSON_DOUBLE, 0, -0.25 },
		{ "1e3", JSON_DOUBLE, 0, 1000.0 },
		{ "1E-2", JSON_DOUBLE, 0, 0.01 },
		{ "2.5e+1", JSON_DOUBLE, 0, 25.0 },
		{ "0.1", JSON_DOUBLE, 0, 0.1 },
		{ "1234.5678", JSON_DOUBLE, 0, 1234.5678 },
		{ "0.000001", JSON_DOUBLE, 0, 1e-6 },
		{ "1e-400", JSON_DOUBLE, 0, 0.0 },
	};
	struct json_doc d;
	char err[64];
	size_t i;

	(void)state;
	json_doc_init(&d);
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (json_parse(&d, nums[i].text, strlen(nums[i].text), 0, err,
			       sizeof(err)) < 0)
			fail_msg("%s: %s", nums[i].text, err);
		assert_int_equal(d.count, 1);
		assert_int_equal(d.v[0].type, nums[i].type);
		if (nums[i].type == JSON_INT)
			assert_true(d.v[0].i == nums[i].i);
		if (d.v[0].d != nums[i].d)
			fail_msg("%s: %.17g, want %.17g", nums[i].text,
				 d.v[0].d, nums[i].d);
	}
	json_doc_free(&d);
}

/* The value array's shape: containers, keys, ends and counts. */
static void test_json_shape(void **state)
{
	static const char text[] = "{\"a\":[1,{\"b\":null},[]],\"c\":true}";
	struct json_doc d;
	char err[64];

	(void)state;
	json_doc_init(&d);
	assert_int_equal(json_parse(&d, text, strlen(text), 0, err,
				    sizeof(err)), 0);
	/* 0 {  1 "a"  2 [  3 1  4 {  5 "b"  6 null  7 [  8 "c"  9 true */
	assert_int_equal(d.count, 10);
	assert_int_equal(d.v[0].type, JSON_OBJECT);
	assert_int_equal(d.v[0].count, 2);
	assert_int_equal(d.v[0].end, 10);
	assert_string_equal(d.v[1].str, "a");
	assert_int_equal(d.v[2].type, JSON_ARRAY);
	assert_int_equal(d.v[2].count, 3);
	assert_int_equal(d.v[2].end, 8);
	assert_int_equal(d.v[3].type, JSON_INT);
	assert_int_equal(d.v[3].end, 4);
	assert_int_equal(d.v[4].type, JSON_OBJECT);
	assert_int_equal(d.v[4].count, 1);
	assert_int_equal(d.v[4].end, 7);
	assert_int_equal(d.v[7].type, JSON_ARRAY);
	assert_int_equal(d.v[7].count, 0);
	assert_int_equal(d.v[7].end, 8);
	assert_int_equal(json_member(&d, 0, "c"), 9);
	assert_int_equal(d.v[9].type, JSON_TRUE);
	assert_int_equal(json_member(&d, 0, "b"), -1);
	assert_int_equal(json_member(&d, 4, "b"), 6);
	assert_int_equal(json_member(&d, 2, "b"), -1);
	json_doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_prefix_truncated),
		cmocka_unit_test_setup_teardown(test_run_records, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_trace_records, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_probe_records, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_name_asn_hop_records,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blank_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v3_records, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v3_refused, setup,
						teardown),
		cmocka_unit_test(test_v2_to_v3),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_nested, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_deep_brackets, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mutations, setup,
						teardown),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_json_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_render.c: every output format as a rendering of recorded event
 * sequences (src/render*.c, src/outbuf.c).
 *
 * The sequences are in render_fixtures.c; each expected output below is
 * written by hand from the formats described at the top of render.c, with
 * the statistics worked out by hand (stats.h's definitions, round half
 * up to the digit shown).  Long lines are split where a field ends; runs
 * of spaces are counted in the comment beside them where it helps.
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

#include "render.h"
#include "render_fixtures.h"
#include "render_impl.h"

/* ---- running a sequence through a renderer ------------------------- */

struct capture {
	struct ht_renderer *r;
	struct ht_outbuf out;
	/* Output length after each event, and which kind it was. */
	size_t lens[64];
	enum ht_event_kind kinds[64];
	unsigned events;
	int drop_trace_end;	/* cut the run short */
};

static void capture_sink(void *arg, const struct ht_event *ev)
{
	struct capture *c = arg;

	if (c->drop_trace_end && ev->kind == HT_EV_TRACE_END)
		return;
	ht_renderer_event(c->r, ev, &c->out);
	if (c->events < 64) {
		c->lens[c->events] = c->out.len;
		c->kinds[c->events] = ev->kind;
		c->events++;
	}
}

static void capture_run(struct capture *c, enum ht_format format,
			const struct ht_render_config *cfg,
			void (*play)(fx_sink, void *))
{
	memset(c, 0, sizeof(*c));
	ht_outbuf_init(&c->out);
	c->r = ht_renderer_new(format, cfg);
	assert_non_null(c->r);
	play(capture_sink, c);
	ht_renderer_free(c->r);
	assert_false(c->out.failed);
}

/* The whole output of PLAY in FORMAT, to be freed. */
static char *render(enum ht_format format, const struct ht_render_config *cfg,
		    void (*play)(fx_sink, void *))
{
	struct capture c;
	char *s;

	capture_run(&c, format, cfg, play);
	s = strdup(c.out.data ? c.out.data : "");
	assert_non_null(s);
	ht_outbuf_free(&c.out);
	return s;
}

static void expect_render(enum ht_format format,
			  const struct ht_render_config *cfg,
			  void (*play)(fx_sink, void *), const char *want)
{
	char *got = render(format, cfg, play);

	assert_string_equal(got, want);
	free(got);
}

static void expect_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected to find\n%s\nin\n%s", needle, hay);
}

static const struct ht_render_config plain = { 0, 0, 0, 0, 1, NULL, 0, 0, NULL };
static const struct ht_render_config numeric = { 1, 0, 0, 0, 1, NULL, 0, 0, NULL };
static const struct ht_render_config extended = {
	0, 0, 1, 1, 1, "h", 0, 0, NULL
};
static const struct ht_render_config host_probe = {
	0, 0, 0, 0, 1, "probe.example", 0, 0, NULL
};
static const struct ht_render_config host_probe_numeric = {
	1, 0, 0, 0, 1, "probe.example", 0, 0, NULL
};
static const struct ht_render_config host_probe_ips = {
	0, 1, 0, 0, 1, "probe.example", 0, 0, NULL
};
static const struct ht_render_config two = { 0, 0, 0, 0, 2, "h", 0, 0, NULL };
/* -e --ns --pmtu, and -e alone */
static const struct ht_render_config all_ext = {
	1, 0, 1, 0, 1, "h", 1, 1, NULL
};
static const struct ht_render_config mpls_only = {
	1, 0, 1, 0, 1, "h", 0, 0, NULL
};

#define STARTED "started 2026-12-01T20:30:00.000Z\n"
#define ENDED ", ended 2026-12-01T20:30:01.250Z\n"
#define REPORT_COLS "  Loss%   Snt   Last   Avg  Best  Wrst StDev\n"

/* ---- text ---------------------------------------------------------- */

static void test_text_reached(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &plain, fx_reached,
		"hoptrace 0.1.0 to target.example (192.0.2.130) from "
		"192.0.2.2, icmp, 30 hops max, 3 probes per hop, " STARTED
		" 1  gw.example (192.0.2.1)  0.123 ms  0.101 ms *\n"
		" 2  192.0.2.5  1.001 ms 198.51.100.7  1.250 ms  1.100 ms\n"
		" 3  target.example (192.0.2.130)  2.000 ms  2.010 ms"
		"  1.990 ms\n"
		"reached target.example (192.0.2.130) at hop 3" ENDED);
}

static void test_text_numeric(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &numeric, fx_reached,
		"hoptrace 0.1.0 to target.example (192.0.2.130) from "
		"192.0.2.2, icmp, 30 hops max, 3 probes per hop, " STARTED
		" 1  192.0.2.1  0.123 ms  0.101 ms *\n"
		" 2  192.0.2.5  1.001 ms 198.51.100.7  1.250 ms  1.100 ms\n"
		" 3  192.0.2.130  2.000 ms  2.010 ms  1.990 ms\n"
		"reached target.example (192.0.2.130) at hop 3" ENDED);
}

static void test_text_not_reached(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &plain, fx_not_reached,
		"hoptrace 0.1.0 to 203.0.113.9 (203.0.113.9), udp port 33434,"
		" 5 hops max, 1 probe per hop, " STARTED
		" 1  192.0.2.1  0.500 ms\n"
		" 2  *\n"
		"not reached: no answer from 203.0.113.9 within 5 hops"
		" (3 silent hops after hop 2 not shown)" ENDED);
}

static void test_text_unreachable(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &plain, fx_unreachable,
		"hoptrace 0.1.0 to blocked.example (198.51.100.20) from "
		"192.0.2.2, tcp port 443, 30 hops max, 3 probes per hop, "
		STARTED
		" 1  192.0.2.1  0.300 ms  0.310 ms !E(permission-denied)\n"
		" 2  192.0.2.9  0.900 ms !N  0.950 ms !H !D\n"
		" 3  192.0.2.10  1.000 ms !U !W !E(unexpected-error)\n"
		"not reached: 192.0.2.10 answered no route" ENDED);
}

static void test_text_mpls_asn(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &extended, fx_mpls_asn,
		"hoptrace 0.1.0 to v6.example (2001:db8::99) from "
		"2001:db8::2, icmp, 30 hops max, 2 probes per hop, " STARTED
		" 1  [AS?] 2001:db8::1  0.200 ms  0.250 ms\n"
		"     [MPLS: Lbl 100 TC 0 S 1 TTL 1]\n"
		" 2  [AS64496] core.example (2001:db8:1::1)  0.400 ms"
		" [AS64497/AS64498] 2001:db8:2::1  0.450 ms\n"
		"     [MPLS: Lbl 16001 TC 0 S 0 TTL 254, Lbl 200 TC 0 S 1"
		" TTL 1]\n"
		"     [MPLS: Lbl 300 TC 0 S 1 TTL 1]\n"
		" 3  [AS64499] 2001:db8::99  0.600 ms  0.610 ms\n"
		"reached v6.example (2001:db8::99) at hop 3" ENDED);
}

/* Without -e and -z the same events show neither. */
static void test_text_mpls_asn_off(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &plain, fx_mpls_asn,
		"hoptrace 0.1.0 to v6.example (2001:db8::99) from "
		"2001:db8::2, icmp, 30 hops max, 2 probes per hop, " STARTED
		" 1  2001:db8::1  0.200 ms  0.250 ms\n"
		" 2  core.example (2001:db8:1::1)  0.400 ms 2001:db8:2::1"
		"  0.450 ms\n"
		" 3  2001:db8::99  0.600 ms  0.610 ms\n"
		"reached v6.example (2001:db8::99) at hop 3" ENDED);
}

static void test_text_two_reverse(void **state)
{
	struct capture c;
	unsigned i;

	(void)state;
	expect_render(HT_FMT_TEXT, &two, fx_two_reverse,
		"hoptrace 0.1.0 to a.example (192.0.2.10), icmp, 30 hops max,"
		" 1 probe per hop, " STARTED
		" 1  192.0.2.10  1.000 ms\n"
		"reached a.example (192.0.2.10) at hop 1" ENDED
		"\n"
		"hoptrace 0.1.0 to b.example (192.0.2.20), icmp, 30 hops max,"
		" 1 probe per hop, " STARTED
		" 1  192.0.2.20  2.000 ms\n"
		"reached b.example (192.0.2.20) at hop 1, ended "
		"2026-12-01T20:30:01.000Z\n");

	/* The first trace streams: its header is out at once, its hop the
	 * moment it comes; the second's hop and end wait for it. */
	capture_run(&c, HT_FMT_TEXT, &two, fx_two_reverse);
	for (i = 0; i < c.events; i++)
		if (c.kinds[i] == HT_EV_TRACE_START)
			break;
	assert_true(i + 4 < c.events);
	assert_true(c.lens[i] > 0);			/* trace 0 header */
	assert_int_equal(c.lens[i + 1], c.lens[i]);	/* trace 1 header */
	while (c.kinds[i] != HT_EV_TRACE_END)
		i++;
	/* Everything of trace 1 has been held so far. */
	assert_int_equal(c.lens[i], c.lens[1]);
	ht_outbuf_free(&c.out);
}

static void test_text_odd_names(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &plain, fx_odd_names,
		"hoptrace 0.1.0 to odd,target.example (192.0.2.77), icmp,"
		" 30 hops max, 1 probe per hop, " STARTED
		/* newline and \001 and the stray \377 are "?"; é stays */
		" 1  we\"ird,na\\me??\303\251? (192.0.2.77)  0.777 ms\n"
		"reached odd,target.example (192.0.2.77) at hop 1" ENDED);
}

static void test_text_unresolved(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &plain, fx_unresolved,
		"hoptrace 0.1.0 to nosuch.example, icmp, 30 hops max,"
		" 3 probes per hop, " STARTED
		"not reached: nosuch.example: not-found, ended "
		"2026-12-01T20:30:00.000Z\n");
}

static void test_text_cycles(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &plain, fx_cycles,
		"hoptrace 0.1.0 to 203.0.113.5 (203.0.113.5) from 192.0.2.2,"
		" udp port 53, first hop 2, 3 hops max, 1 probe per hop,"
		" 3 cycles, " STARTED
		" 2  192.0.2.1  0.150 ms *  0.250 ms\n"
		" 3  203.0.113.5  5.000 ms  5.500 ms  6.000 ms\n"
		"reached 203.0.113.5 (203.0.113.5) at hop 3" ENDED);
}

/* Each hop line is out when its hop event is. */
static void test_text_streams(void **state)
{
	struct capture c;
	unsigned i, hops = 0;

	(void)state;
	capture_run(&c, HT_FMT_TEXT, &plain, fx_reached);
	for (i = 1; i < c.events; i++) {
		if (c.kinds[i] == HT_EV_HOP) {
			assert_true(c.lens[i] > c.lens[i - 1]);
			assert_int_equal(c.out.data[c.lens[i] - 1], '\n');
			hops++;
		} else if (c.kinds[i] != HT_EV_TRACE_START &&
			   c.kinds[i] != HT_EV_TRACE_END) {
			assert_int_equal(c.lens[i], c.lens[i - 1]);
		}
	}
	assert_int_equal(hops, 3);
	ht_outbuf_free(&c.out);
}

static void test_text_cut_short(void **state)
{
	struct capture c;

	(void)state;
	memset(&c, 0, sizeof(c));
	ht_outbuf_init(&c.out);
	c.r = ht_renderer_new(HT_FMT_TEXT, &plain);
	assert_non_null(c.r);
	c.drop_trace_end = 1;
	fx_not_reached(capture_sink, &c);
	ht_renderer_free(c.r);
	assert_string_equal(c.out.data,
		"hoptrace 0.1.0 to 203.0.113.9 (203.0.113.9), udp port 33434,"
		" 5 hops max, 1 probe per hop, " STARTED
		" 1  192.0.2.1  0.500 ms\n"
		" 2  *\n");
	ht_outbuf_free(&c.out);
}

/* ---- report -------------------------------------------------------- */

static void test_report_reached(void **state)
{
	struct capture c;
	unsigned i;

	(void)state;
	/* Name column: "target.example", 14; with " 1.|-- " 21, which
	 * "HOST: probe.example" (19) fits in. */
	expect_render(HT_FMT_REPORT, &host_probe, fx_reached,
		"Start: 2026-12-01T20:30:00.000Z\n"
		"hoptrace 0.1.0 to target.example (192.0.2.130) from "
		"192.0.2.2, icmp\n"
		"HOST: probe.example  " REPORT_COLS
		" 1.|-- gw.example      33.3%     3    0.1   0.1   0.1   0.1"
		"   0.0\n"
		" 2.|-- 192.0.2.5        0.0%     3    1.1   1.1   1.0   1.3"
		"   0.1\n"
		"   |  `|-- 198.51.100.7\n"
		" 3.|-- target.example   0.0%     3    2.0   2.0   2.0   2.0"
		"   0.0\n"
		/* 1 of 3 against 0 of 3: 1.1 standard errors. */
		"loss at hop 1 (gw.example 192.0.2.1): 33.3% (1 of 3), too "
		"few probes to tell: the destination lost 0.0% (0 of 3)\n"
		"reached target.example (192.0.2.130) at hop 3" ENDED);

	/* Nothing before the trace ends. */
	capture_run(&c, HT_FMT_REPORT, &host_probe, fx_reached);
	for (i = 0; i < c.events && c.kinds[i] != HT_EV_TRACE_END; i++)
		assert_int_equal(c.lens[i], 0);
	assert_true(i < c.events && c.lens[i] > 0);
	ht_outbuf_free(&c.out);
}

/* "HOST: probe.example" (19) is wider than " 1.|-- 192.0.2.130" (18):
 * the name column grows to 12. */
static void test_report_numeric(void **state)
{
	(void)state;
	expect_render(HT_FMT_REPORT, &host_probe_numeric, fx_reached,
		"Start: 2026-12-01T20:30:00.000Z\n"
		"hoptrace 0.1.0 to target.example (192.0.2.130) from "
		"192.0.2.2, icmp\n"
		"HOST: probe.example" REPORT_COLS
		" 1.|-- 192.0.2.1     33.3%     3    0.1   0.1   0.1   0.1"
		"   0.0\n"
		" 2.|-- 192.0.2.5      0.0%     3    1.1   1.1   1.0   1.3"
		"   0.1\n"
		"   |  `|-- 198.51.100.7\n"
		" 3.|-- 192.0.2.130    0.0%     3    2.0   2.0   2.0   2.0"
		"   0.0\n"
		"loss at hop 1 (192.0.2.1): 33.3% (1 of 3), too few probes "
		"to tell: the destination lost 0.0% (0 of 3)\n"
		"reached target.example (192.0.2.130) at hop 3" ENDED);
}

/* -b: "name (addr)", never truncated; the widest is 28. */
static void test_report_show_ips(void **state)
{
	char *got = render(HT_FMT_REPORT, &host_probe_ips, fx_reached);

	(void)state;
	expect_contains(got,
		"\n 1.|-- gw.example (192.0.2.1)        33.3%     3    0.1"
		"   0.1   0.1   0.1   0.0\n");
	expect_contains(got,
		"\n 3.|-- target.example (192.0.2.130)   0.0%     3    2.0"
		"   2.0   2.0   2.0   0.0\n");
	free(got);
}

static void test_report_not_reached(void **state)
{
	(void)state;
	/* No HOST name: "HOST: " and 10 spaces fill the 16 columns. */
	expect_render(HT_FMT_REPORT, &plain, fx_not_reached,
		"Start: 2026-12-01T20:30:00.000Z\n"
		"hoptrace 0.1.0 to 203.0.113.9 (203.0.113.9), udp port 33434\n"
		"HOST:           " REPORT_COLS
		" 1.|-- 192.0.2.1   0.0%     1    0.5   0.5   0.5   0.5"
		"   0.0\n"
		" 2.|-- ???       100.0%     1    0.0   0.0   0.0   0.0"
		"   0.0\n"
		"not reached: no answer from 203.0.113.9 within 5 hops"
		" (3 silent hops after hop 2 not shown)" ENDED);
}

static void test_report_mpls_asn(void **state)
{
	(void)state;
	/* ASN column 15 ("AS64497/AS64498"), name column 12. */
	expect_render(HT_FMT_REPORT, &extended, fx_mpls_asn,
		"Start: 2026-12-01T20:30:00.000Z\n"
		"hoptrace 0.1.0 to v6.example (2001:db8::99) from "
		"2001:db8::2, icmp\n"
		"HOST: h                            " REPORT_COLS
		" 1.|-- AS???           2001:db8::1    0.0%     2    0.3"
		"   0.2   0.2   0.3   0.0\n"
		"   |  +-- [MPLS: Lbl 100 TC 0 S 1 TTL 1]\n"
		" 2.|-- AS64496         core.example   0.0%     2    0.5"
		"   0.4   0.4   0.5   0.0\n"
		"   |  `|-- AS64497/AS64498 2001:db8:2::1\n"
		"   |  +-- [MPLS: Lbl 16001 TC 0 S 0 TTL 254, Lbl 200 TC 0"
		" S 1 TTL 1]\n"
		"   |  +-- [MPLS: Lbl 300 TC 0 S 1 TTL 1]\n"
		" 3.|-- AS64499         2001:db8::99   0.0%     2    0.6"
		"   0.6   0.6   0.6   0.0\n"
		"reached v6.example (2001:db8::99) at hop 3" ENDED);
}

static void test_report_two_reverse(void **state)
{
	struct capture c;
	unsigned i, ends = 0;

	(void)state;
	expect_render(HT_FMT_REPORT, &two, fx_two_reverse,
		"Start: 2026-12-01T20:30:00.000Z\n"
		"hoptrace 0.1.0 to a.example (192.0.2.10), icmp\n"
		"HOST: h          " REPORT_COLS
		" 1.|-- 192.0.2.10   0.0%     1    1.0   1.0   1.0   1.0"
		"   0.0\n"
		"reached a.example (192.0.2.10) at hop 1" ENDED
		"\n"
		"Start: 2026-12-01T20:30:00.000Z\n"
		"hoptrace 0.1.0 to b.example (192.0.2.20), icmp\n"
		"HOST: h          " REPORT_COLS
		" 1.|-- 192.0.2.20   0.0%     1    2.0   2.0   2.0   2.0"
		"   0.0\n"
		"reached b.example (192.0.2.20) at hop 1, ended "
		"2026-12-01T20:30:01.000Z\n");

	/* Trace 1 ends first and is held; trace 0's end writes both. */
	capture_run(&c, HT_FMT_REPORT, &two, fx_two_reverse);
	for (i = 0; i < c.events; i++) {
		if (c.kinds[i] != HT_EV_TRACE_END)
			continue;
		if (ends++ == 0)
			assert_int_equal(c.lens[i], 0);
		else
			assert_int_equal(c.lens[i], c.out.len);
	}
	assert_int_equal(ends, 2);
	ht_outbuf_free(&c.out);
}

static void test_report_odd_names(void **state)
{
	char *got = render(HT_FMT_REPORT, &plain, fx_odd_names);

	(void)state;
	/* 16 columns for the name, though it is 17 bytes written. */
	expect_contains(got,
		"\nHOST:                  " REPORT_COLS
		" 1.|-- we\"ird,na\\me??\303\251?   0.0%     1    0.8   0.8"
		"   0.8   0.8   0.0\n");
	free(got);
}

/* ---- JSON ---------------------------------------------------------- */

#define SMALL_START \
	"\"target\":\"gw.example\",\"address\":\"192.0.2.1\",\"family\":4," \
	"\"source\":\"192.0.2.2\",\"protocol\":\"icmp\",\"port\":null," \
	"\"first_ttl\":1,\"max_ttl\":2,\"queries\":2,\"count\":1," \
	"\"wait_ms\":1000,\"psize\":null," \
	"\"flow\":null,\"flows\":1,\"pmtu\":false,\"rate_pps\":null," \
	"\"start\":\"2026-12-01T20:30:00.000Z\""
/* What schema 2 adds to a probe that had none of the extensions. */
#define PROBE_V2_NULLS \
	",\"size\":null,\"flow\":null,\"rtt_ns\":null,\"icmp_type\":null," \
	"\"icmp_code\":null,\"reply_ttl\":null,\"quoted_ttl\":null," \
	"\"quoted_tos\":null,\"next_hop_mtu\":null,\"mtu\":null," \
	"\"interface\":null"
#define SMALL_PROBE0 \
	"\"cycle\":0,\"query\":0,\"sent\":\"2026-12-01T20:30:00.010Z\"," \
	"\"result\":\"reply\",\"address\":\"192.0.2.1\",\"rtt_us\":150," \
	"\"error_number\":null," \
	"\"mpls\":[{\"label\":100,\"tc\":0,\"s\":1,\"ttl\":1}]" \
	PROBE_V2_NULLS
#define SMALL_PROBE1 \
	"\"cycle\":0,\"query\":1,\"sent\":\"2026-12-01T20:30:00.011Z\"," \
	"\"result\":\"no-reply\",\"address\":null,\"rtt_us\":null," \
	"\"error_number\":null,\"mpls\":[]" PROBE_V2_NULLS
#define SMALL_HOP \
	"\"ttl\":1,\"sent\":2,\"received\":1,\"loss_pct\":50.0," \
	"\"last_us\":150,\"avg_us\":150.0,\"best_us\":150," \
	"\"worst_us\":150,\"stdev_us\":0.0," \
	"\"responders\":[{\"address\":\"192.0.2.1\",\"name\":\"gw.example\"," \
	"\"asn\":null,\"answers\":1}]," \
	"\"probes\":[{" SMALL_PROBE0 "},{" SMALL_PROBE1 "}],\"mtu\":null," \
	"\"paths\":[],\"per_packet\":null"
/* The document's run fields of every fixture but M's. */
#define DOC_RUN \
	"\"run\":\"fx-run.1\",\"workers\":[{\"name\":\"lab1\"," \
	"\"command\":\"hopprobe\"}],\"shard\":null,"
/* The head of a JSONL record of schema 3 with fx-run.1, rendered without
 * a clock (no collector_wall_clock), and of one of its trace TRACE with
 * target TARGET, the probes spread over all workers. */
#define L_HEAD(type) \
	"{\"schema_version\":3,\"type\":\"" type "\",\"run\":\"fx-run.1\"," \
	"\"collector_wall_clock\":null"
#define L_TRACE(type, trace, target) \
	L_HEAD(type) ",\"trace\":" trace ",\"worker\":null,\"target\":\"" \
	target "\",\"shard\":null,"
#define SMALL_END \
	"\"end\":\"2026-12-01T20:30:01.250Z\",\"reached\":true," \
	"\"reason\":\"reached\",\"detail\":\"gw.example answered at hop 1\"," \
	"\"distance\":1,\"last_ttl\":1,\"hidden_silent_hops\":0"

static void test_json_small(void **state)
{
	struct capture c;
	unsigned i;

	(void)state;
	expect_render(HT_FMT_JSON, &plain, fx_small,
		"{\"schema_version\":3,\"type\":\"hoptrace\",\"version\":\"0.1.0\","
		"\"worker_version\":\"0.1.0\"," DOC_RUN
		"\"start\":\"2026-12-01T20:30:00.000Z\","
		"\"end\":\"2026-12-01T20:30:01.500Z\",\"exit_status\":0,"
		"\"reached\":1,\"not_reached\":0,"
		"\"traces\":[{\"index\":0,\"worker\":null," SMALL_START ",\"hops\":[{" SMALL_HOP
		"}]," SMALL_END ",\"loss_verdicts\":[]}]}\n");

	/* One document, at the end. */
	capture_run(&c, HT_FMT_JSON, &plain, fx_small);
	for (i = 0; i + 1 < c.events; i++)
		assert_int_equal(c.lens[i], 0);
	assert_int_equal(c.kinds[c.events - 1], HT_EV_RUN_END);
	ht_outbuf_free(&c.out);
}

static void test_jsonl_small(void **state)
{
	struct capture c;
	unsigned i;

	(void)state;
	expect_render(HT_FMT_JSONL, &plain, fx_small,
		L_HEAD("run-start") ","
		"\"version\":\"0.1.0\",\"worker_version\":\"0.1.0\","
		"\"start\":\"2026-12-01T20:30:00.000Z\",\"target_count\":1,"
		"\"workers\":[{\"name\":\"lab1\",\"command\":\"hopprobe\"}],"
		"\"shard\":null}\n"
		L_HEAD("trace-start") ",\"trace\":0,\"worker\":null,"
		"\"shard\":null," SMALL_START "}\n"
		L_TRACE("probe", "0", "gw.example") "\"ttl\":1," SMALL_PROBE0 "}\n"
		L_TRACE("probe", "0", "gw.example") "\"ttl\":1," SMALL_PROBE1 "}\n"
		L_HEAD("name") ","
		"\"address\":\"192.0.2.1\",\"name\":\"gw.example\","
		"\"error\":null}\n"
		L_TRACE("hop", "0", "gw.example") SMALL_HOP "}\n"
		L_TRACE("trace-end", "0", "gw.example") SMALL_END "}\n"
		L_HEAD("run-end") ","
		"\"end\":\"2026-12-01T20:30:01.500Z\",\"exit_status\":0,"
		"\"reached\":1,\"not_reached\":0}\n");

	/* Every event is a line the moment it arrives. */
	capture_run(&c, HT_FMT_JSONL, &plain, fx_small);
	for (i = 0; i < c.events; i++) {
		assert_true(c.lens[i] > (i ? c.lens[i - 1] : 0));
		assert_int_equal(c.out.data[c.lens[i] - 1], '\n');
	}
	ht_outbuf_free(&c.out);
}

static void test_json_reached_stats(void **state)
{
	char *got = render(HT_FMT_JSON, &plain, fx_reached);

	(void)state;
	/* Hop 1: 123 and 101 answered, one lost. */
	expect_contains(got,
		"{\"ttl\":1,\"sent\":3,\"received\":2,\"loss_pct\":33.3,"
		"\"last_us\":101,\"avg_us\":112.0,\"best_us\":101,"
		"\"worst_us\":123,\"stdev_us\":11.0,\"responders\":"
		"[{\"address\":\"192.0.2.1\",\"name\":\"gw.example\","
		"\"asn\":null,\"answers\":2}],");
	/* Hop 2: two responders; mean 1117, deviation sqrt(31434 / 3). */
	expect_contains(got,
		"{\"ttl\":2,\"sent\":3,\"received\":3,\"loss_pct\":0.0,"
		"\"last_us\":1100,\"avg_us\":1117.0,\"best_us\":1001,"
		"\"worst_us\":1250,\"stdev_us\":102.4,\"responders\":"
		"[{\"address\":\"192.0.2.5\",\"name\":null,\"asn\":null,"
		"\"answers\":1},{\"address\":\"198.51.100.7\",\"name\":null,"
		"\"asn\":null,\"answers\":2}],");
	expect_contains(got,
		"{\"cycle\":0,\"query\":2,\"sent\":\"2026-12-01T20:30:00.012Z\","
		"\"result\":\"no-reply\",\"address\":null,\"rtt_us\":null,"
		"\"error_number\":null,\"mpls\":[]" PROBE_V2_NULLS "}");
	free(got);
}

static void test_json_numeric(void **state)
{
	char *got = render(HT_FMT_JSON, &numeric, fx_reached);

	(void)state;
	assert_null(strstr(got, "gw.example"));
	expect_contains(got, "{\"address\":\"192.0.2.1\",\"name\":null,");
	free(got);
}

static void test_json_not_reached(void **state)
{
	char *got = render(HT_FMT_JSON, &plain, fx_not_reached);

	(void)state;
	expect_contains(got, "\"protocol\":\"udp\",\"port\":33434,");
	expect_contains(got, "\"source\":null,");
	expect_contains(got,
		"{\"ttl\":2,\"sent\":1,\"received\":0,\"loss_pct\":100.0,"
		"\"last_us\":null,\"avg_us\":null,\"best_us\":null,"
		"\"worst_us\":null,\"stdev_us\":null,\"responders\":[],");
	expect_contains(got,
		"\"reached\":false,\"reason\":\"no-answer\","
		"\"detail\":\"no answer from 203.0.113.9 within 5 hops\","
		"\"distance\":null,\"last_ttl\":2,\"hidden_silent_hops\":3,\"loss_verdicts\":[]}");
	expect_contains(got, "\"exit_status\":1,\"reached\":0,"
			"\"not_reached\":1,");
	free(got);
}

static void test_json_unreachable(void **state)
{
	char *got = render(HT_FMT_JSON, &plain, fx_unreachable);

	(void)state;
	expect_contains(got, "\"result\":\"no-route-network\","
			"\"address\":\"192.0.2.9\",\"rtt_us\":900,");
	expect_contains(got, "\"result\":\"permission-denied\","
			"\"address\":null,\"rtt_us\":null,");
	expect_contains(got, "\"result\":\"unexpected-error\","
			"\"address\":null,\"rtt_us\":null,"
			"\"error_number\":5,");
	/* Schema 3's name for a lost worker's probe. */
	expect_contains(got, "\"result\":\"worker-lost\",");
	assert_null(strstr(got, "worker-failed"));
	expect_contains(got, "\"reason\":\"unreachable\",");
	free(got);
}

static void test_json_mpls_asn(void **state)
{
	char *got = render(HT_FMT_JSON, &extended, fx_mpls_asn);

	(void)state;
	expect_contains(got, "\"address\":\"2001:db8::99\",\"family\":6,"
			"\"source\":\"2001:db8::2\",");
	expect_contains(got,
		"\"mpls\":[{\"label\":16001,\"tc\":0,\"s\":0,\"ttl\":254},"
		"{\"label\":200,\"tc\":0,\"s\":1,\"ttl\":1}]");
	expect_contains(got,
		"{\"address\":\"2001:db8:1::1\",\"name\":\"core.example\","
		"\"asn\":\"64496\",\"answers\":1},{\"address\":"
		"\"2001:db8:2::1\",\"name\":null,\"asn\":\"64497 64498\","
		"\"answers\":1}");
	free(got);
}

static void test_json_two_reverse(void **state)
{
	char *got = render(HT_FMT_JSON, &two, fx_two_reverse);
	const char *a, *b;

	(void)state;
	a = strstr(got, "{\"index\":0,\"worker\":null,"
		   "\"target\":\"a.example\"");
	b = strstr(got, "},{\"index\":1,\"worker\":null,"
		   "\"target\":\"b.example\"");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	expect_contains(got, "\"exit_status\":0,\"reached\":2,"
			"\"not_reached\":0,\"traces\":[{\"index\":0,");
	free(got);
}

static void test_json_odd_names(void **state)
{
	char *got = render(HT_FMT_JSON, &plain, fx_odd_names);

	(void)state;
	expect_contains(got, "\"target\":\"odd,target.example\"");
	expect_contains(got,
		"\"name\":\"we\\\"ird,na\\\\me\\n\\u0001\303\251\\ufffd\"");
	expect_contains(got, "\"detail\":\"answered \\\"at\\\" hop 1\"");
	free(got);
}

static void test_json_unresolved(void **state)
{
	(void)state;
	expect_render(HT_FMT_JSON, &plain, fx_unresolved,
		"{\"schema_version\":3,\"type\":\"hoptrace\",\"version\":\"0.1.0\","
		"\"worker_version\":\"0.1.0\"," DOC_RUN
		"\"start\":\"2026-12-01T20:30:00.000Z\","
		"\"end\":\"2026-12-01T20:30:01.500Z\",\"exit_status\":1,"
		"\"reached\":0,\"not_reached\":1,"
		"\"traces\":[{\"index\":0,\"worker\":null,"
		"\"target\":\"nosuch.example\","
		"\"address\":null,\"family\":null,\"source\":null,"
		"\"protocol\":\"icmp\",\"port\":null,\"first_ttl\":1,"
		"\"max_ttl\":30,\"queries\":3,\"count\":1,\"wait_ms\":3000,"
		"\"psize\":null,\"flow\":null,\"flows\":1,\"pmtu\":false,"
		"\"rate_pps\":null,\"start\":\"2026-12-01T20:30:00.000Z\","
		"\"hops\":[],\"end\":\"2026-12-01T20:30:00.000Z\","
		"\"reached\":false,\"reason\":\"unresolved\","
		"\"detail\":\"nosuch.example: not-found\",\"distance\":null,"
		"\"last_ttl\":null,\"hidden_silent_hops\":0,\"loss_verdicts\":[]}]}\n");
}

static void test_json_cut_short(void **state)
{
	struct capture c;

	(void)state;
	memset(&c, 0, sizeof(c));
	ht_outbuf_init(&c.out);
	c.r = ht_renderer_new(HT_FMT_JSON, &plain);
	assert_non_null(c.r);
	c.drop_trace_end = 1;
	fx_small(capture_sink, &c);
	ht_renderer_free(c.r);
	expect_contains(c.out.data,
		"}],\"mtu\":null,\"paths\":[],\"per_packet\":null}],\"end\":null,\"reached\":false,\"reason\":null,"
		"\"detail\":null,\"distance\":null,\"last_ttl\":null,"
		"\"hidden_silent_hops\":0,\"loss_verdicts\":[]}]}\n");
	ht_outbuf_free(&c.out);
}

/* JSON string escaping, through a name record. */
struct escape_case {
	const char *in;
	const char *out;	/* the JSON string, with its quotes */
};

static const struct escape_case escapes[] = {
	{ "plain.example", "\"plain.example\"" },
	{ "q\"b\\s/", "\"q\\\"b\\\\s/\"" },
	{ "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
	{ "\001\037\177", "\"\\u0001\\u001f\\u007f\"" },
	{ "caf\303\251", "\"caf\303\251\"" },			/* é */
	{ "\342\202\254", "\"\342\202\254\"" },			/* € */
	{ "\360\237\230\200", "\"\360\237\230\200\"" },		/* U+1F600 */
	{ "\377", "\"\\ufffd\"" },
	{ "\300\257", "\"\\ufffd\\ufffd\"" },			/* overlong / */
	{ "\340\200\257", "\"\\ufffd\\ufffd\\ufffd\"" },	/* overlong */
	{ "\355\240\200", "\"\\ufffd\\ufffd\\ufffd\"" },	/* surrogate */
	{ "\364\220\200\200", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "a\342\202", "\"a\\ufffd\\ufffd\"" },			/* cut short */
	{ "\200x", "\"\\ufffdx\"" },			/* stray continuation */
};

static void test_json_escaping(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		struct ht_renderer *r = ht_renderer_new(HT_FMT_JSONL, &plain);
		struct ht_event ev;
		struct ht_outbuf out;
		char want[256];

		assert_non_null(r);
		ht_outbuf_init(&out);
		memset(&ev, 0, sizeof(ev));
		ev.kind = HT_EV_NAME;
		ev.u.name.name = escapes[i].in;
		ev.u.name.error = NULL;
		ht_renderer_event(r, &ev, &out);
		snprintf(want, sizeof(want),
			 "{\"schema_version\":3,\"type\":\"name\","
			 "\"run\":null,\"collector_wall_clock\":null,"
			 "\"address\":null,\"name\":%s,\"error\":null}\n",
			 escapes[i].out);
		assert_string_equal(out.data, want);
		ht_outbuf_free(&out);
		ht_renderer_free(r);
	}
}

static void test_jsonl_asn_record(void **state)
{
	struct ht_renderer *r = ht_renderer_new(HT_FMT_JSONL, &plain);
	struct ht_event ev;
	struct ht_outbuf out;

	(void)state;
	assert_non_null(r);
	ht_outbuf_init(&out);
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_ASN;
	ev.u.asn.address.family = AF_INET;
	ev.u.asn.address.u.v4.s_addr = htonl(0xc0000201);	/* 192.0.2.1 */
	ev.u.asn.asn = "64496";
	ev.u.asn.prefix = "192.0.2.0/24";
	ht_renderer_event(r, &ev, &out);
	ev.u.asn.asn = NULL;
	ev.u.asn.prefix = NULL;
	ev.u.asn.error = "timeout";
	ht_renderer_event(r, &ev, &out);
	assert_string_equal(out.data,
		"{\"schema_version\":3,\"type\":\"asn\",\"run\":null,"
		"\"collector_wall_clock\":null,\"address\":\"192.0.2.1\","
		"\"asn\":\"64496\",\"prefix\":\"192.0.2.0/24\",\"error\":null}\n"
		"{\"schema_version\":3,\"type\":\"asn\",\"run\":null,"
		"\"collector_wall_clock\":null,\"address\":\"192.0.2.1\","
		"\"asn\":null,\"prefix\":null,\"error\":\"timeout\"}\n");
	ht_outbuf_free(&out);
	ht_renderer_free(r);
}

/* ---- the extensions ------------------------------------------------ */

#define J_HEAD \
	"hoptrace 0.1.0 to target.example (203.0.113.50) from 192.0.2.2, " \
	"icmp flow 28300, 30 hops max, 3 probes per hop, " STARTED
#define J_FOOT \
	"not reached: 198.51.100.9 said host unreachable at hop 3, ended " \
	"2026-12-01T20:30:01.250Z\n"

/* -e --ns --pmtu: kernel times, the MTU per hop, every detail line. */
static void test_text_extensions(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &all_ext, fx_extensions,
		J_HEAD
		" 1  192.0.2.1  0.299871 ms  0.310002 ms  [mtu 1500]\n"
		"     [interface: index 2, 192.0.2.1, name \"eth0\", mtu 1500]\n"
		" 2  198.51.100.1  0.800000 ms  0.810 ms  "
		"[mtu 1280, down from 1500]\n"
		"     [interface: index 7, name \"ge-0/0/1\"]\n"
		" 3  198.51.100.9  1.000 ms !X  1.100 ms !3  1.200 ms !F-1200\n"
		"     [ICMP 3/13: communication administratively prohibited]\n"
		"     [ICMP 3/3: port unreachable]\n"
		"     [ICMP 3/4: fragmentation needed, next-hop MTU 1200]\n"
		J_FOOT);
}

/* Without --ns and --pmtu: times to the us, no MTU; the marks come from
 * the ICMP codes whatever the options. */
static void test_text_extensions_plain(void **state)
{
	(void)state;
	expect_render(HT_FMT_TEXT, &numeric, fx_extensions,
		J_HEAD
		" 1  192.0.2.1  0.299 ms  0.310 ms\n"
		" 2  198.51.100.1  0.800 ms  0.810 ms\n"
		" 3  198.51.100.9  1.000 ms !X  1.100 ms !3  1.200 ms !F-1200\n"
		J_FOOT);
}

/* The report's -e lines: under the row, as the label stacks. */
static void test_report_extensions(void **state)
{
	char *got = render(HT_FMT_REPORT, &mpls_only, fx_extensions);

	(void)state;
	expect_contains(got, "\n   |  +-- [interface: index 2, 192.0.2.1, "
			"name \"eth0\", mtu 1500]\n");
	expect_contains(got, "\n   |  +-- [ICMP 3/13: communication "
			"administratively prohibited]\n   |  +-- [ICMP 3/3: "
			"port unreachable]\n   |  +-- [ICMP 3/4: fragmentation "
			"needed, next-hop MTU 1200]\n");
	free(got);
}

static void test_json_extensions(void **state)
{
	char *got = render(HT_FMT_JSON, &plain, fx_extensions);

	(void)state;
	expect_contains(got, "\"psize\":null,\"flow\":28300,\"flows\":1,\"pmtu\":true,"
			"\"rate_pps\":1000,\"start\":");
	/* hop 1, probe 0: every field of a time exceeded with RFC 5837 */
	expect_contains(got, "\"rtt_us\":299,\"error_number\":null,"
			"\"mpls\":[],\"size\":1500,\"flow\":28300,"
			"\"rtt_ns\":299871,\"icmp_type\":11,\"icmp_code\":0,"
			"\"reply_ttl\":64,\"quoted_ttl\":1,\"quoted_tos\":0,"
			"\"next_hop_mtu\":null,\"mtu\":null,\"interface\":"
			"{\"index\":2,\"address\":\"192.0.2.1\",\"name\":"
			"\"eth0\",\"mtu\":1500}}");
	/* hop 2: a name alone, a quoted TOS that is not ours */
	expect_contains(got, "\"quoted_tos\":8,\"next_hop_mtu\":null,"
			"\"mtu\":null,\"interface\":{\"index\":7,\"address\":"
			"null,\"name\":\"ge-0/0/1\",\"mtu\":null}}");
	/* hop 3: packet-too-big with its MTU */
	expect_contains(got, "\"result\":\"packet-too-big\",\"address\":"
			"\"198.51.100.9\",\"rtt_us\":1200,\"error_number\":"
			"null,\"mpls\":[],\"size\":1280,\"flow\":28300,"
			"\"rtt_ns\":null,\"icmp_type\":3,\"icmp_code\":4,"
			"\"reply_ttl\":null,\"quoted_ttl\":null,\"quoted_tos\":"
			"null,\"next_hop_mtu\":1200,\"mtu\":1200,\"interface\":"
			"null}");
	/* the MTU of each hop: 1500, 1280, none (no probe got through) */
	expect_contains(got, "\"interface\":{\"index\":2,\"address\":"
			"\"192.0.2.1\",\"name\":\"eth0\",\"mtu\":1500}}],"
			"\"mtu\":1500,");
	expect_contains(got, "\"interface\":null}],\"mtu\":1280,");
	expect_contains(got, "\"interface\":null}],\"mtu\":null,");
	/* One flow: one path a hop, with the hop's own numbers (299 and
	 * 310 us: mean 304.5, deviation 5.5; hop 3: 1000 and 1100 answered,
	 * the packet-too-big lost). */
	expect_contains(got, "\"mtu\":1500,\"paths\":[{\"address\":"
			"\"192.0.2.1\",\"flows\":[28300],\"sent\":2,"
			"\"received\":2,\"loss_pct\":0.0,\"last_us\":310,"
			"\"avg_us\":304.5,\"best_us\":299,\"worst_us\":310,"
			"\"stdev_us\":5.5}],\"per_packet\":null}");
	expect_contains(got, "\"mtu\":null,\"paths\":[{\"address\":"
			"\"198.51.100.9\",\"flows\":[28300],\"sent\":3,"
			"\"received\":2,\"loss_pct\":33.3,\"last_us\":1100,"
			"\"avg_us\":1050.0,\"best_us\":1000,\"worst_us\":1100,"
			"\"stdev_us\":50.0}],\"per_packet\":null}");
	free(got);
}

/* --flows: a line per path under each row, with its own numbers (worked
 * out by hand in render_fixtures.c's comments and here). */
static void test_report_multipath(void **state)
{
	char *got = render(HT_FMT_REPORT, &numeric, fx_multipath);

	(void)state;
	expect_contains(got, "icmp 4 flows from 1000\n");
	expect_contains(got,
		" 1.|-- 192.0.2.1        0.0%     8    0.1   0.1   0.1   0.1"
		"   0.0\n"
		"   | > 192.0.2.1        0.0%     8    0.1   0.1   0.1   0.1"
		"   0.0  flows 1000,1001,1002,1003\n"
		/* 7 of 8: 4050 / 7 = 578.6 us, deviation 85.3 us */
		" 2.|-- 198.51.100.66   12.5%     8    0.7   0.6   0.5   0.7"
		"   0.1\n"
		/* .66 answered 5 probes of flows 1000, 1002, 1003, none of
		 * whose probes was lost: 2630 / 5 = 526 us.  1003's second
		 * went to .130, so it counts there, not as .66's loss. */
		"   | > 198.51.100.66    0.0%     5    0.6   0.5   0.5   0.6"
		"   0.0  flows 1000,1002,1003\n"
		/* .130 answered 1001's first and 1003's second; 1001's lost
		 * second is .130's (its first responder): 2 of 3 */
		"   | > 198.51.100.130  33.3%     3    0.7   0.7   0.7   0.7"
		"   0.0  flows 1001,1003\n"
		"   |   per-packet balancing: flow 1003 reached 198.51.100.66 "
		"and 198.51.100.130\n"
		/* 6 of 8: 5560 / 6 = 926.7 us */
		" 3.|-- 198.51.100.250  25.0%     8    1.0   0.9   0.9   1.0"
		"   0.0\n"
		"   | > 198.51.100.250   0.0%     6    1.0   0.9   0.9   1.0"
		"   0.0  flows 1000,1002,1003\n"
		"   | > ???            100.0%     2    0.0   0.0   0.0   0.0"
		"   0.0  flows 1001\n"
		/* Each path against the destination's probes of its own
		 * flows: .66 lost nothing; .130 (flows 1001 and 1003: 1
		 * of its 3) against those flows at the destination, 2 of
		 * 4 (1001's two), lost more. */
		"loss at hop 2, path 198.51.100.130: 33.3% (1 of 3), carries "
		"on: the destination lost 50.0% (2 of 4) of the same flows\n"
		"reached 198.51.100.250 (198.51.100.250) at hop 3");
	free(got);
}

static void test_json_multipath(void **state)
{
	char *got = render(HT_FMT_JSON, &plain, fx_multipath);

	(void)state;
	expect_contains(got, "\"flow\":1000,\"flows\":4,");
	/* deviations -26 -6 -16 14 34: sqrt(2320 / 5) = 21.54; .130's
	 * 700 and 720 (1003's second, the newest): sqrt(200 / 2) = 10 */
	expect_contains(got, "\"paths\":[{\"address\":\"198.51.100.66\","
			"\"flows\":[1000,1002,1003],\"sent\":5,\"received\":5,"
			"\"loss_pct\":0.0,\"last_us\":560,\"avg_us\":526.0,"
			"\"best_us\":500,\"worst_us\":560,\"stdev_us\":21.5},"
			"{\"address\":\"198.51.100.130\",\"flows\":[1001,1003],"
			"\"sent\":3,\"received\":2,\"loss_pct\":33.3,"
			"\"last_us\":720,\"avg_us\":710.0,\"best_us\":700,"
			"\"worst_us\":720,\"stdev_us\":10.0}],\"per_packet\":"
			"{\"flow\":1003,\"addresses\":[\"198.51.100.66\","
			"\"198.51.100.130\"]}}");
	expect_contains(got, "{\"address\":null,\"flows\":[1001],"
			"\"sent\":2,\"received\":0,\"loss_pct\":100.0,"
			"\"last_us\":null,\"avg_us\":null,\"best_us\":null,"
			"\"worst_us\":null,\"stdev_us\":null}],"
			"\"per_packet\":null}");
	/* As the report's verdicts: each path against its own flows at
	 * the destination. */
	expect_contains(got, ",\"loss_verdicts\":[{\"ttl\":2,\"path\":"
			"\"198.51.100.130\",\"verdict\":\"carries\",\"sent\":3,"
			"\"lost\":1,\"compared_with\":{\"ttl\":3,"
			"\"destination\":true,\"sent\":4,\"lost\":2}}]}");
	free(got);
}

/* ---- CSV ----------------------------------------------------------- */

#define CSV_HEADER \
	"schema_version,target,address,protocol,port,hop,responder,name," \
	"asn,responders,sent,received,loss_pct,last_us,avg_us,best_us," \
	"worst_us,stdev_us,reached,run,worker\r\n"
/* The run id and the worker of every row: the fixtures' traces spread
 * over all workers, so the worker field is empty. */
#define RUN_COLS "fx-run.1,"

static void test_csv_reached(void **state)
{
	(void)state;
	expect_render(HT_FMT_CSV, &plain, fx_reached,
		CSV_HEADER
		"3,target.example,192.0.2.130,icmp,,1,192.0.2.1,gw.example,,"
		"192.0.2.1,3,2,33.3,101,112.0,101,123,11.0,true," RUN_COLS "\r\n"
		"3,target.example,192.0.2.130,icmp,,2,192.0.2.5,,,"
		"192.0.2.5 198.51.100.7,3,3,0.0,1100,1117.0,1001,1250,102.4,"
		"true," RUN_COLS "\r\n"
		/* deviation sqrt(200 / 3) = 8.16 */
		"3,target.example,192.0.2.130,icmp,,3,192.0.2.130,"
		"target.example,,192.0.2.130,3,3,0.0,1990,2000.0,1990,2010,"
		"8.2,true," RUN_COLS "\r\n");
}

static void test_csv_numeric(void **state)
{
	char *got = render(HT_FMT_CSV, &numeric, fx_reached);

	(void)state;
	expect_contains(got, "\r\n3,target.example,192.0.2.130,icmp,,1,"
			"192.0.2.1,,,192.0.2.1,3,2,");
	expect_contains(got, "\r\n3,target.example,192.0.2.130,icmp,,3,"
			"192.0.2.130,,,192.0.2.130,3,3,");
	free(got);
}

static void test_csv_not_reached(void **state)
{
	(void)state;
	expect_render(HT_FMT_CSV, &plain, fx_not_reached,
		CSV_HEADER
		"3,203.0.113.9,203.0.113.9,udp,33434,1,192.0.2.1,,,192.0.2.1,"
		"1,1,0.0,500,500.0,500,500,0.0,false," RUN_COLS "\r\n"
		"3,203.0.113.9,203.0.113.9,udp,33434,2,,,,,1,0,100.0,,,,,,"
		"false," RUN_COLS "\r\n");
}

static void test_csv_mpls_asn(void **state)
{
	char *got = render(HT_FMT_CSV, &extended, fx_mpls_asn);

	(void)state;
	expect_contains(got,
		"\r\n3,v6.example,2001:db8::99,icmp,,2,2001:db8:1::1,"
		"core.example,64496,2001:db8:1::1 2001:db8:2::1,2,2,0.0,450,"
		"425.0,400,450,25.0,true," RUN_COLS "\r\n");
	free(got);
}

static void test_csv_two_reverse(void **state)
{
	(void)state;
	expect_render(HT_FMT_CSV, &two, fx_two_reverse,
		CSV_HEADER
		"3,a.example,192.0.2.10,icmp,,1,192.0.2.10,,,192.0.2.10,1,1,"
		"0.0,1000,1000.0,1000,1000,0.0,true," RUN_COLS "\r\n"
		"3,b.example,192.0.2.20,icmp,,1,192.0.2.20,,,192.0.2.20,1,1,"
		"0.0,2000,2000.0,2000,2000,0.0,true," RUN_COLS "\r\n");
}

static void test_csv_odd_names(void **state)
{
	(void)state;
	expect_render(HT_FMT_CSV, &plain, fx_odd_names,
		CSV_HEADER
		"3,\"odd,target.example\",192.0.2.77,icmp,,1,192.0.2.77,"
		"\"we\"\"ird,na\\me\n\001\303\251\357\277\275\",,192.0.2.77,"
		"1,1,0.0,777,777.0,777,777,0.0,true," RUN_COLS "\r\n");
}

static void test_csv_unresolved(void **state)
{
	(void)state;
	expect_render(HT_FMT_CSV, &plain, fx_unresolved, CSV_HEADER);
}

static void test_csv_cut_short(void **state)
{
	struct capture c;

	(void)state;
	memset(&c, 0, sizeof(c));
	ht_outbuf_init(&c.out);
	c.r = ht_renderer_new(HT_FMT_CSV, &plain);
	assert_non_null(c.r);
	c.drop_trace_end = 1;
	fx_small(capture_sink, &c);
	ht_renderer_free(c.r);
	assert_string_equal(c.out.data,
		CSV_HEADER
		"3,gw.example,192.0.2.1,icmp,,1,192.0.2.1,gw.example,,"
		"192.0.2.1,2,1,50.0,150,150.0,150,150,0.0,," RUN_COLS "\r\n");
	ht_outbuf_free(&c.out);
}

/* ---- shipping: run, workers, shard (schema 3) ---------------------- */

/* A collector's clock fixed at 2026-12-01T20:30:02.000Z. */
static int64_t fixed_clock(void)
{
	return FX_T0 + 2000000;
}

static const struct ht_render_config clocked = {
	1, 0, 0, 0, 2, "h", 0, 0, fixed_clock
};

#define M_RUN "\"run\":\"sweep7:3\",\"collector_wall_clock\":" \
	      "\"2026-12-01T20:30:02.000Z\""
#define M_SHARD "\"shard\":{\"index\":3,\"count\":4," \
		"\"seed\":18446744073709551615}"

static void test_jsonl_shipping(void **state)
{
	char *got = render(HT_FMT_JSONL, &clocked, fx_shipping);
	const char *p;
	unsigned lines = 0;

	(void)state;
	expect_contains(got,
		"{\"schema_version\":3,\"type\":\"run-start\"," M_RUN ","
		"\"version\":\"0.1.0\",\"worker_version\":\"0.1.0\","
		"\"start\":\"2026-12-01T20:30:00.000Z\",\"target_count\":2,"
		"\"workers\":[{\"name\":\"lab1\",\"command\":\"hopprobe\"},"
		"{\"name\":\"lab2\",\"command\":\"ssh lab2.example hopprobe\"}],"
		M_SHARD "}\n");
	expect_contains(got,
		"{\"schema_version\":3,\"type\":\"trace-start\"," M_RUN ","
		"\"trace\":0,\"worker\":\"lab1\"," M_SHARD ","
		"\"target\":\"192.0.2.130\",");
	expect_contains(got,
		"{\"schema_version\":3,\"type\":\"probe\"," M_RUN ","
		"\"trace\":0,\"worker\":\"lab1\",\"target\":\"192.0.2.130\","
		M_SHARD ",\"ttl\":1,\"cycle\":0,\"query\":0,"
		"\"sent\":\"2026-12-01T20:30:00.010Z\",\"result\":\"reply\","
		"\"address\":\"192.0.2.130\",\"rtt_us\":500,"
		"\"error_number\":null,\"mpls\":[],");
	/* The lost worker: its record, its probe, its trace's end. */
	expect_contains(got,
		"{\"schema_version\":3,\"type\":\"worker-lost\"," M_RUN ","
		"\"worker\":\"lab2\",\"message\":\"exited with status 255\","
		"\"probes_lost\":1,\"at\":\"2026-12-01T20:30:01.000Z\"}\n");
	expect_contains(got,
		"{\"schema_version\":3,\"type\":\"probe\"," M_RUN ","
		"\"trace\":1,\"worker\":\"lab2\","
		"\"target\":\"198.51.100.20\"," M_SHARD ",\"ttl\":1,"
		"\"cycle\":0,\"query\":0,"
		"\"sent\":\"2026-12-01T20:30:00.010Z\","
		"\"result\":\"worker-lost\",\"address\":null,"
		"\"rtt_us\":null,");
	expect_contains(got,
		"{\"schema_version\":3,\"type\":\"trace-end\"," M_RUN ","
		"\"trace\":1,\"worker\":\"lab2\","
		"\"target\":\"198.51.100.20\"," M_SHARD ","
		"\"end\":\"2026-12-01T20:30:01.250Z\",\"reached\":false,"
		"\"reason\":\"worker-lost\",");
	expect_contains(got,
		"{\"schema_version\":3,\"type\":\"run-end\"," M_RUN ","
		"\"end\":\"2026-12-01T20:30:01.500Z\",\"exit_status\":3,"
		"\"reached\":1,\"not_reached\":1}\n");
	assert_null(strstr(got, "worker-failed"));
	/* Every record has the run and the clock. */
	for (p = got; *p; p = strchr(p, '\n') + 1, lines++)
		assert_true(strncmp(strstr(p, ",\"run\":"), "," M_RUN,
				    strlen("," M_RUN)) == 0);
	/* run-start, 2 trace-starts, 2 x (probe, hop), worker-lost, 2
	 * trace-ends, run-end. */
	assert_int_equal(lines, 11);
	free(got);
}

static void test_json_csv_shipping(void **state)
{
	char *json = render(HT_FMT_JSON, &clocked, fx_shipping);
	char *csv = render(HT_FMT_CSV, &clocked, fx_shipping);

	(void)state;
	expect_contains(json,
		"{\"schema_version\":3,\"type\":\"hoptrace\","
		"\"version\":\"0.1.0\",\"worker_version\":\"0.1.0\","
		"\"run\":\"sweep7:3\",\"workers\":[{\"name\":\"lab1\","
		"\"command\":\"hopprobe\"},{\"name\":\"lab2\","
		"\"command\":\"ssh lab2.example hopprobe\"}]," M_SHARD ","
		"\"start\":");
	expect_contains(json, "\"traces\":[{\"index\":0,\"worker\":\"lab1\","
			"\"target\":\"192.0.2.130\",");
	expect_contains(json, "},{\"index\":1,\"worker\":\"lab2\","
			"\"target\":\"198.51.100.20\",");
	expect_contains(json, "\"reason\":\"worker-lost\",");
	/* The lost worker, listed once, before the traces. */
	expect_contains(json, "\"not_reached\":1,\"workers_lost\":[{\"worker\":"
			"\"lab2\",\"message\":\"exited with status 255\","
			"\"probes_lost\":1,\"at\":\"2026-12-01T20:30:01.000Z\"}],"
			"\"traces\":[");
	/* The document has no collector's clock: it is written once. */
	assert_null(strstr(json, "collector_wall_clock"));
	expect_contains(csv, "worst_us,stdev_us,reached,run,worker\r\n"
			"3,192.0.2.130,192.0.2.130,icmp,,1,192.0.2.130,,,"
			"192.0.2.130,1,1,0.0,500,500.0,500,500,0.0,true,"
			"sweep7:3,lab1\r\n"
			"3,198.51.100.20,198.51.100.20,icmp,,1,,,,,1,0,100.0,"
			",,,,,false,sweep7:3,lab2\r\n");
	free(json);
	free(csv);
}

/* ---- the shared pieces --------------------------------------------- */

/*
 * Three traces written in turn into the order helper: whatever the order
 * of writes and ends, the caller's buffer gets 0, 1, 2, and the first
 * unfinished trace's writes go straight through.
 */
static void test_order(void **state)
{
	struct ht_render_order o;
	struct ht_outbuf out;

	(void)state;
	ht_render_order_init(&o);
	ht_outbuf_init(&out);
	ht_outbuf_puts(ht_render_order_out(&o, 0, &out), "0a ");
	ht_outbuf_puts(ht_render_order_out(&o, 2, &out), "2a ");
	ht_outbuf_puts(ht_render_order_out(&o, 1, &out), "1a ");
	assert_string_equal(out.data, "0a ");
	ht_render_order_end(&o, 2, &out);
	assert_string_equal(out.data, "0a ");
	ht_outbuf_puts(ht_render_order_out(&o, 0, &out), "0b ");
	assert_string_equal(out.data, "0a 0b ");
	ht_render_order_end(&o, 0, &out);
	/* 1 is now first: its text so far, then it streams. */
	assert_string_equal(out.data, "0a 0b 1a ");
	ht_outbuf_puts(ht_render_order_out(&o, 1, &out), "1b ");
	assert_string_equal(out.data, "0a 0b 1a 1b ");
	ht_render_order_end(&o, 1, &out);
	assert_string_equal(out.data, "0a 0b 1a 1b 2a ");
	/* A trace that has ended writes nowhere. */
	assert_null(ht_render_order_out(&o, 0, &out));
	ht_render_order_flush(&o, &out);
	assert_string_equal(out.data, "0a 0b 1a 1b 2a ");
	ht_outbuf_free(&out);
	ht_render_order_free(&o);
}

/* The run ends before trace 0 does: flush gives everything in order. */
static void test_order_flush(void **state)
{
	struct ht_render_order o;
	struct ht_outbuf out;

	(void)state;
	ht_render_order_init(&o);
	ht_outbuf_init(&out);
	ht_outbuf_puts(ht_render_order_out(&o, 3, &out), "3 ");
	ht_outbuf_puts(ht_render_order_out(&o, 1, &out), "1 ");
	ht_render_order_end(&o, 1, &out);
	ht_outbuf_puts(ht_render_order_out(&o, 0, &out), "0 ");
	ht_render_order_flush(&o, &out);
	assert_string_equal(out.data, "0 1 3 ");
	ht_outbuf_free(&out);
	ht_render_order_free(&o);
}

static void test_reason_names(void **state)
{
	(void)state;
	assert_string_equal(ht_reason_name(HT_REASON_REACHED), "reached");
	assert_string_equal(ht_reason_name(HT_REASON_UNREACHABLE),
			    "unreachable");
	assert_string_equal(ht_reason_name(HT_REASON_NO_ANSWER), "no-answer");
	assert_string_equal(ht_reason_name(HT_REASON_UNRESOLVED),
			    "unresolved");
	assert_string_equal(ht_reason_name(HT_REASON_LOCAL_ERROR),
			    "local-error");
	assert_string_equal(ht_reason_name(HT_REASON_WORKER_FAILED),
			    "worker-failed");
}

struct time_case {
	int64_t us;
	const char *text;
};

static const struct time_case times[] = {
	{ 0, "1970-01-01T00:00:00.000Z" },
	{ 999, "1970-01-01T00:00:00.000Z" },
	{ 1000, "1970-01-01T00:00:00.001Z" },
	{ FX_T0, "2026-12-01T20:30:00.000Z" },
	{ FX_T0 + 123456, "2026-12-01T20:30:00.123Z" },
	{ FX_T0 + 59999999, "2026-12-01T20:30:59.999Z" },
	/* 2028-02-29T23:59:59.999Z, a leap day */
	{ INT64_C(1835481599999000), "2028-02-29T23:59:59.999Z" },
	/* before the epoch the milliseconds still count up */
	{ -1, "1969-12-31T23:59:59.999Z" },
	{ -1000000, "1969-12-31T23:59:59.000Z" },
};

static void test_time(void **state)
{
	size_t i;
	char buf[32];

	(void)state;
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		ht_time_rfc3339(times[i].us, buf, sizeof(buf));
		assert_string_equal(buf, times[i].text);
	}
	/* A short buffer is cut, never overrun. */
	memset(buf, 'x', sizeof(buf));
	ht_time_rfc3339(FX_T0, buf, 5);
	assert_string_equal(buf, "2026");
	assert_int_equal(buf[5], 'x');
}

static void test_outbuf(void **state)
{
	struct ht_outbuf b;
	char big[3000];
	size_t i;

	(void)state;
	ht_outbuf_init(&b);
	ht_outbuf_puts(&b, "ab");
	ht_outbuf_append(&b, "cdef", 2);
	ht_outbuf_printf(&b, "-%d-%s", 42, "x");
	assert_string_equal(b.data, "abcd-42-x");
	assert_int_equal(b.len, 9);
	/* Longer than any first guess: printf grows and formats again. */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ht_outbuf_printf(&b, "<%s>", big);
	assert_int_equal(b.len, 9 + 2 + sizeof(big) - 1);
	assert_int_equal(b.data[9], '<');
	for (i = 10; i < b.len - 1; i++)
		assert_int_equal(b.data[i], 'y');
	assert_int_equal(b.data[b.len - 1], '>');
	assert_int_equal(b.data[b.len], '\0');
	ht_outbuf_reset(&b);
	assert_int_equal(b.len, 0);
	ht_outbuf_puts(&b, "again");
	assert_string_equal(b.data, "again");
	assert_false(b.failed);
	/* A failed buffer takes nothing more. */
	b.failed = 1;
	ht_outbuf_puts(&b, "more");
	assert_string_equal(b.data, "again");
	ht_outbuf_free(&b);
	assert_null(b.data);
}

/* Halves round up, in every format's numbers. */
static void test_rounding(void **state)
{
	struct ht_outbuf b;

	(void)state;
	ht_outbuf_init(&b);
	ht_render_ms1(&b, 150.0);	/* 0.15 ms */
	ht_outbuf_puts(&b, " ");
	ht_render_ms1(&b, 149.0);
	ht_outbuf_puts(&b, " ");
	ht_render_ms1(&b, 123456.0);
	ht_outbuf_puts(&b, " ");
	ht_render_tenths(&b, 100.0 / 3.0);
	ht_outbuf_puts(&b, " ");
	ht_render_tenths(&b, 200.0 / 3.0);
	ht_outbuf_puts(&b, " ");
	ht_render_tenths(&b, 0.05);
	ht_outbuf_puts(&b, " ");
	ht_render_ms3(&b, 1);
	ht_outbuf_puts(&b, " ");
	ht_render_ms3(&b, 12345678);
	assert_string_equal(b.data,
			    "0.2 0.1 123.5 33.3 66.7 0.1 0.001 12345.678");
	ht_outbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_reached),
		cmocka_unit_test(test_text_numeric),
		cmocka_unit_test(test_text_not_reached),
		cmocka_unit_test(test_text_unreachable),
		cmocka_unit_test(test_text_mpls_asn),
		cmocka_unit_test(test_text_mpls_asn_off),
		cmocka_unit_test(test_text_two_reverse),
		cmocka_unit_test(test_text_odd_names),
		cmocka_unit_test(test_text_unresolved),
		cmocka_unit_test(test_text_cycles),
		cmocka_unit_test(test_text_streams),
		cmocka_unit_test(test_text_cut_short),
		cmocka_unit_test(test_report_reached),
		cmocka_unit_test(test_report_numeric),
		cmocka_unit_test(test_report_show_ips),
		cmocka_unit_test(test_report_not_reached),
		cmocka_unit_test(test_report_mpls_asn),
		cmocka_unit_test(test_report_two_reverse),
		cmocka_unit_test(test_report_odd_names),
		cmocka_unit_test(test_json_small),
		cmocka_unit_test(test_jsonl_small),
		cmocka_unit_test(test_json_reached_stats),
		cmocka_unit_test(test_json_numeric),
		cmocka_unit_test(test_json_not_reached),
		cmocka_unit_test(test_json_unreachable),
		cmocka_unit_test(test_json_mpls_asn),
		cmocka_unit_test(test_json_two_reverse),
		cmocka_unit_test(test_json_odd_names),
		cmocka_unit_test(test_json_unresolved),
		cmocka_unit_test(test_json_cut_short),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_jsonl_asn_record),
		cmocka_unit_test(test_text_extensions),
		cmocka_unit_test(test_text_extensions_plain),
		cmocka_unit_test(test_report_extensions),
		cmocka_unit_test(test_json_extensions),
		cmocka_unit_test(test_report_multipath),
		cmocka_unit_test(test_json_multipath),
		cmocka_unit_test(test_csv_reached),
		cmocka_unit_test(test_csv_numeric),
		cmocka_unit_test(test_csv_not_reached),
		cmocka_unit_test(test_csv_mpls_asn),
		cmocka_unit_test(test_csv_two_reverse),
		cmocka_unit_test(test_csv_odd_names),
		cmocka_unit_test(test_csv_unresolved),
		cmocka_unit_test(test_csv_cut_short),
		cmocka_unit_test(test_jsonl_shipping),
		cmocka_unit_test(test_json_csv_shipping),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_order_flush),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_outbuf),
		cmocka_unit_test(test_rounding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for the live view's model and screen (src/live_model.c,
 * src/live_screen.c): events in, the exact bytes of the screen out.  The
 * expected screens are written here by hand, line by line, from the
 * layout live_screen.c's comment gives (80 columns: a 27-character host
 * column); terminal() and plain() put them in the two framings, cursor
 * home and clear-to-end-of-line on the terminal, "\n" on the normal
 * screen.  Numbers worked out by hand: 1, 2, 3 ms have the mean 2.0 and
 * the population standard deviation sqrt(2/3) = 0.816 ms, shown 0.8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live_model.h"
#include "live_screen.h"

/* 2026-12-01T20:30:00Z */
#define NOW_US (1796157000LL * 1000000)

static struct ht_live_model *model_new(int numeric, int show_ips, int asn)
{
	struct ht_live_config c;
	struct ht_live_model *m;

	memset(&c, 0, sizeof(c));
	c.numeric = numeric;
	c.show_ips = show_ips;
	c.show_asn = asn;
	m = ht_live_model_new(&c);
	assert_non_null(m);
	return m;
}

static void run_start(struct ht_live_model *m)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_RUN_START;
	ev.u.run_start.version = "9.9";
	ev.u.run_start.target_count = 1;
	ht_live_model_event(m, &ev);
}

static void trace_start(struct ht_live_model *m, unsigned trace,
			const char *target, int flows)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_START;
	ev.u.trace_start.trace = trace;
	ev.u.trace_start.target = target;
	assert_int_equal(hp_addr_parse(target, &ev.u.trace_start.address), 0);
	ev.u.trace_start.first_ttl = 1;
	ev.u.trace_start.max_ttl = 30;
	ev.u.trace_start.queries = 1;
	ev.u.trace_start.flows = flows;
	ht_live_model_event(m, &ev);
}

/* A probe's result: FROM NULL is a loss; KIND the answer's kind. */
static void probe(struct ht_live_model *m, unsigned trace, int ttl,
		  enum hp_kind kind, const char *from, int64_t rtt_us,
		  int flow)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_PROBE;
	ev.u.probe.trace = trace;
	ev.u.probe.ttl = ttl;
	ev.u.probe.flow = flow;
	ev.u.probe.result.kind = from ? kind : HP_NO_REPLY;
	ev.u.probe.result.rtt_us = from ? rtt_us : -1;
	if (from)
		assert_int_equal(hp_addr_parse(from,
					       &ev.u.probe.result.responder), 0);
	ht_live_model_event(m, &ev);
}

static void name(struct ht_live_model *m, const char *addr, const char *n)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_NAME;
	assert_int_equal(hp_addr_parse(addr, &ev.u.name.address), 0);
	ev.u.name.name = n;
	ht_live_model_event(m, &ev);
}

static void asn(struct ht_live_model *m, const char *addr, const char *a)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_ASN;
	assert_int_equal(hp_addr_parse(addr, &ev.u.asn.address), 0);
	ev.u.asn.asn = a;
	ht_live_model_event(m, &ev);
}

/* The three-hop path most tests show: a named first hop with a loss, two
 * responders at hop 2, the target at 3, and an answer from ttl 4 (sent
 * before the target's first answer came) that is not a hop. */
static struct ht_live_model *three_hops(int numeric, int show_ips, int a)
{
	struct ht_live_model *m = model_new(numeric, show_ips, a);

	run_start(m);
	trace_start(m, 0, "192.0.2.130", 1);
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 1000, -1);
	probe(m, 0, 2, HP_TTL_EXPIRED, "198.51.100.1", 5000, -1);
	probe(m, 0, 4, HP_REPLY, "192.0.2.130", 9000, -1);
	probe(m, 0, 3, HP_REPLY, "192.0.2.130", 8000, -1);
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 2000, -1);
	probe(m, 0, 2, HP_TTL_EXPIRED, "198.51.100.2", 7000, -1);
	probe(m, 0, 1, HP_TTL_EXPIRED, NULL, 0, -1);
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 3000, -1);
	name(m, "192.0.2.1", "gw.example");
	return m;
}

/* The lines as the terminal gets them. */
static char *terminal(const char *const *lines, unsigned n)
{
	static char buf[8192];
	unsigned i;

	strcpy(buf, "\033[H");
	for (i = 0; i < n; i++) {
		strcat(buf, lines[i]);
		strcat(buf, "\033[K");
		if (i + 1 < n)
			strcat(buf, "\r\n");
	}
	strcat(buf, "\033[J");
	return buf;
}

static char *plain(const char *const *lines, unsigned n)
{
	static char buf[8192];
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(buf, lines[i]);
		strcat(buf, "\n");
	}
	return buf;
}

static void check_screen(const struct ht_live_model *m,
			 const struct ht_live_view *v, const char *expected)
{
	struct ht_outbuf out;

	ht_outbuf_init(&out);
	ht_live_screen_render(m, v, &out);
	ht_outbuf_append(&out, "", 1);
	assert_false(out.failed);
	assert_string_equal(out.data, expected);
	ht_outbuf_free(&out);
}

static struct ht_live_view view(unsigned rows, unsigned cols,
				enum ht_live_mode mode)
{
	struct ht_live_view v;

	memset(&v, 0, sizeof(v));
	v.rows = rows;
	v.cols = cols;
	v.mode = mode;
	v.now_us = NOW_US;
	return v;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char head1[] =
	"hoptrace 9.9 to 192.0.2.130 (192.0.2.130)  2026-12-01 20:30:00 UTC";
static const char columns80[] =
	"     Host                         Loss%   Snt   Last    Avg   Be"
	"st   Wrst  StDev";

static void test_stats_screen(void **state)
{
	struct ht_live_model *m = three_hops(0, 0, 0);
	struct ht_live_view v = view(24, 80, HT_LIVE_STATS);
	const char *const lines[] = {
		head1,
		"Keys: p pause  r reset  d display (stats)  q quit",
		"",
		columns80,
		"  1. gw.example                   25.0%     4    3.0    2.0    1"
		".0    3.0    0.8",
		"  2. 198.51.100.1                  0.0%     2    7.0    6.0    5"
		".0    7.0    1.0",
		"     198.51.100.2               ",
		"  3. 192.0.2.130                   0.0%     1    8.0    8.0    8"
		".0    8.0    0.0",
	};

	(void)state;
	check_screen(m, &v, terminal(lines, N(lines)));
	ht_live_model_free(m);
}

/* -n shows addresses even when names came; -b both. */
static void test_numeric_and_show_ips(void **state)
{
	struct ht_live_model *m = three_hops(1, 0, 0);
	struct ht_live_view v = view(24, 80, HT_LIVE_STATS);
	const char *const numeric[] = {
		head1,
		"Keys: p pause  r reset  d display (stats)  q quit",
		"",
		columns80,
		"  1. 192.0.2.1                    25.0%     4    3.0    2.0    1"
		".0    3.0    0.8",
		"  2. 198.51.100.1                  0.0%     2    7.0    6.0    5"
		".0    7.0    1.0",
		"     198.51.100.2               ",
		"  3. 192.0.2.130                   0.0%     1    8.0    8.0    8"
		".0    8.0    0.0",
	};
	const char *const both[] = {
		head1,
		"Keys: p pause  r reset  d display (stats)  q quit",
		"",
		columns80,
		"  1. gw.example (192.0.2.1)       25.0%     4    3.0    2.0    1"
		".0    3.0    0.8",
		"  2. 198.51.100.1                  0.0%     2    7.0    6.0    5"
		".0    7.0    1.0",
		"     198.51.100.2               ",
		"  3. 192.0.2.130                   0.0%     1    8.0    8.0    8"
		".0    8.0    0.0",
	};

	(void)state;
	check_screen(m, &v, terminal(numeric, N(numeric)));
	ht_live_model_free(m);
	m = three_hops(0, 1, 0);
	check_screen(m, &v, terminal(both, N(both)));
	ht_live_model_free(m);
}

/* Paused, a screen too short (the last row says what is left out), and
 * the plain lines for the normal screen at the end. */
static void test_paused_short_plain(void **state)
{
	struct ht_live_model *m = three_hops(0, 0, 0);
	struct ht_live_view v = view(5, 80, HT_LIVE_STATS);
	const char *const shortl[] = {
		head1,
		"Keys: p resume  r reset  d display (stats)  q quit  [paused]",
		"",
		columns80,
		"[4 more lines: enlarge the window]",
	};
	const char *const plainl[] = {
		head1,
		"Display: stats",
		"",
		columns80,
		"  1. gw.example                   25.0%     4    3.0    2.0    1"
		".0    3.0    0.8",
		"  2. 198.51.100.1                  0.0%     2    7.0    6.0    5"
		".0    7.0    1.0",
		"     198.51.100.2               ",
		"  3. 192.0.2.130                   0.0%     1    8.0    8.0    8"
		".0    8.0    0.0",
	};

	(void)state;
	v.paused = 1;
	check_screen(m, &v, terminal(shortl, N(shortl)));
	v = view(5, 80, HT_LIVE_STATS);
	v.plain = 1;
	check_screen(m, &v, plain(plainl, N(plainl)));
	ht_live_model_free(m);
}

/* Narrow: the host column keeps 12 characters and lines are cut at the
 * width; names are cut to the column and their control bytes shown as
 * '?'. */
static void test_narrow_and_hostile_names(void **state)
{
	struct ht_live_model *m = model_new(0, 0, 0);
	struct ht_live_view v = view(24, 40, HT_LIVE_STATS);
	const char *const lines[] = {
		"hoptrace 9.9 to 192.0.2.130 (192.0.2.130",
		"Keys: p pause  r reset  d display (stats",
		"",
		"     Host          Loss%   Snt   Last   ",
		"  1. bad?[2Jname    0.0%     1    1.0   ",
		"  2. a-very-long-   0.0%     1    2.0   ",
	};
	const char *const wide[] = {
		head1,
		"Keys: p pause  r reset  d display (stats)  q quit",
		"",
		columns80,
		"  1. bad?[2Jname                   0.0%     1    1.0    1.0    1"
		".0    1.0    0.0",
		"  2. a-very-long-router-name.exa   0.0%     1    2.0    2.0    2"
		".0    2.0    0.0",
	};

	(void)state;
	run_start(m);
	trace_start(m, 0, "192.0.2.130", 1);
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 1000, -1);
	probe(m, 0, 2, HP_REPLY, "192.0.2.130", 2000, -1);
	name(m, "192.0.2.1", "bad\033[2Jname");
	name(m, "192.0.2.130", "a-very-long-router-name.example");
	check_screen(m, &v, terminal(lines, N(lines)));
	v = view(24, 80, HT_LIVE_STATS);
	check_screen(m, &v, terminal(wide, N(wide)));
	ht_live_model_free(m);
}

/* ASN mode: each host after its origin AS, AS??? when none came. */
static void test_asn_mode(void **state)
{
	struct ht_live_model *m = three_hops(0, 0, 1);
	struct ht_live_view v = view(24, 80, HT_LIVE_ASN);
	const char *const lines[] = {
		head1,
		"Keys: p pause  r reset  d display (asn)  q quit",
		"",
		columns80,
		"  1. AS64496 gw.example           25.0%     4    3.0    2.0    1"
		".0    3.0    0.8",
		"  2. AS??? 198.51.100.1            0.0%     2    7.0    6.0    5"
		".0    7.0    1.0",
		"     AS??? 198.51.100.2         ",
		"  3. AS64496/AS64497 192.0.2.130   0.0%     1    8.0    8.0    8"
		".0    8.0    0.0",
	};

	(void)state;
	asn(m, "192.0.2.1", "64496");
	asn(m, "192.0.2.130", "64496 64497");
	check_screen(m, &v, terminal(lines, N(lines)));
	ht_live_model_free(m);
}

/* Paths mode (--flows 2): one row per path, its flows and the statistics
 * of their probes; flow 100's loss is its path's. */
static void test_paths_mode(void **state)
{
	struct ht_live_model *m = model_new(1, 0, 0);
	struct ht_live_view v = view(24, 80, HT_LIVE_PATHS);
	const char *const lines[] = {
		head1,
		"Keys: p pause  r reset  d display (paths)  q quit",
		"",
		columns80,
		"  1. 192.0.2.1 [flow 100]         33.3%     3    2.0    1.5    1"
		".0    2.0    0.5",
		"     192.0.2.2 [flow 101]          0.0%     1    3.0    3.0    3"
		".0    3.0    0.0",
		"  2. 192.0.2.130 [flows 100,101]   0.0%     2    6.0    5.5    5"
		".0    6.0    0.5",
	};

	(void)state;
	run_start(m);
	trace_start(m, 0, "192.0.2.130", 2);
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 1000, 100);
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.2", 3000, 101);
	probe(m, 0, 2, HP_REPLY, "192.0.2.130", 5000, 100);
	probe(m, 0, 2, HP_REPLY, "192.0.2.130", 6000, 101);
	probe(m, 0, 1, HP_TTL_EXPIRED, NULL, 0, 100);
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 2000, 100);
	check_screen(m, &v, terminal(lines, N(lines)));
	ht_live_model_free(m);
}

/* `r`: the statistics start again, the names stay; a trace's new round
 * (TRACE_START again) keeps its statistics. */
static void test_reset_and_rounds(void **state)
{
	struct ht_live_model *m = three_hops(0, 0, 0);
	struct ht_live_view v = view(24, 80, HT_LIVE_STATS);
	const char *const empty[] = {
		head1,
		"Keys: p pause  r reset  d display (stats)  q quit",
		"",
		columns80,
	};
	const char *const after[] = {
		head1,
		"Keys: p pause  r reset  d display (stats)  q quit",
		"",
		columns80,
		"  1. gw.example                    0.0%     2    4.0    5.0    4"
		".0    6.0    1.0",
	};

	(void)state;
	ht_live_model_reset(m);
	check_screen(m, &v, terminal(empty, N(empty)));
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 6000, -1);
	trace_start(m, 0, "192.0.2.130", 1);
	probe(m, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 4000, -1);
	check_screen(m, &v, terminal(after, N(after)));
	ht_live_model_free(m);
}

/* Two targets: a block each, titled; the header counts them. */
static void test_two_targets(void **state)
{
	struct ht_live_model *m = model_new(1, 0, 0);
	struct ht_live_view v = view(24, 80, HT_LIVE_STATS);
	const char *const lines[] = {
		"hoptrace 9.9 to 2 targets  2026-12-01 20:30:00 UTC",
		"Keys: p pause  r reset  d display (stats)  q quit",
		"",
		"To 192.0.2.130 (192.0.2.130)",
		columns80,
		"  1. 192.0.2.130                   0.0%     1    1.0    1.0    1"
		".0    1.0    0.0",
		"",
		"To 2001:db8::2 (2001:db8::2)",
		columns80,
		"  1. 2001:db8::1                  50.0%     2      -      -     "
		" -      -      -",
		"  2. ???                         100.0%     1      -      -     "
		" -      -      -",
	};

	(void)state;
	run_start(m);
	trace_start(m, 0, "192.0.2.130", 1);
	trace_start(m, 1, "2001:db8::2", 1);
	probe(m, 0, 1, HP_REPLY, "192.0.2.130", 1000, -1);
	/* An unreachable from a router is an answer, without a time: the
	 * hop's loss is the other probe's, and there is no time to show. */
	probe(m, 1, 1, HP_NO_ROUTE, "2001:db8::1", -1, -1);
	probe(m, 1, 1, HP_TTL_EXPIRED, NULL, 0, -1);
	probe(m, 1, 2, HP_TTL_EXPIRED, NULL, 0, -1);
	check_screen(m, &v, terminal(lines, N(lines)));
	ht_live_model_free(m);
}

/* --each: the same target from two workers, each block says which. */
static void test_each_names_workers(void **state)
{
	static const struct ht_worker_info workers[] = {
		{ "vp1", "ssh vp1 hopprobe" }, { "vp2", "ssh vp2 hopprobe" }
	};
	struct ht_live_model *m = model_new(1, 0, 0);
	struct ht_live_view v = view(24, 80, HT_LIVE_STATS);
	const char *const lines[] = {
		"hoptrace 9.9 to 2 targets  2026-12-01 20:30:00 UTC",
		"Keys: p pause  r reset  d display (stats)  q quit",
		"",
		"To 192.0.2.130 (192.0.2.130) from vp1",
		columns80,
		"  1. 192.0.2.130                   0.0%     1    1.0    1.0    1"
		".0    1.0    0.0",
		"",
		"To 192.0.2.130 (192.0.2.130) from vp2",
		columns80,
		"  1. 192.0.2.130                   0.0%     1    2.0    2.0    2"
		".0    2.0    0.0",
	};
	struct ht_event ev;
	unsigned i;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_RUN_START;
	ev.u.run_start.version = "9.9";
	ev.u.run_start.target_count = 2;
	ev.u.run_start.worker_count = 2;
	ev.u.run_start.workers = workers;
	ev.u.run_start.each_workers = 2;
	ht_live_model_event(m, &ev);
	for (i = 0; i < 2; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = HT_EV_TRACE_START;
		ev.u.trace_start.trace = i;
		ev.u.trace_start.target = "192.0.2.130";
		assert_int_equal(hp_addr_parse("192.0.2.130",
					       &ev.u.trace_start.address), 0);
		ev.u.trace_start.first_ttl = 1;
		ev.u.trace_start.max_ttl = 30;
		ev.u.trace_start.queries = 1;
		ev.u.trace_start.flows = 1;
		ev.u.trace_start.worker = (int)i;
		ev.u.trace_start.worker_name = workers[i].name;
		ht_live_model_event(m, &ev);
	}
	probe(m, 0, 1, HP_REPLY, "192.0.2.130", 1000, -1);
	probe(m, 1, 1, HP_REPLY, "192.0.2.130", 2000, -1);
	check_screen(m, &v, terminal(lines, N(lines)));
	ht_live_model_free(m);
}

static void test_mode_next(void **state)
{
	(void)state;
	assert_int_equal(ht_live_mode_next(HT_LIVE_STATS, 0, 0), HT_LIVE_STATS);
	assert_int_equal(ht_live_mode_next(HT_LIVE_STATS, 1, 0), HT_LIVE_PATHS);
	assert_int_equal(ht_live_mode_next(HT_LIVE_PATHS, 1, 0), HT_LIVE_STATS);
	assert_int_equal(ht_live_mode_next(HT_LIVE_STATS, 0, 1), HT_LIVE_ASN);
	assert_int_equal(ht_live_mode_next(HT_LIVE_ASN, 0, 1), HT_LIVE_STATS);
	assert_int_equal(ht_live_mode_next(HT_LIVE_STATS, 1, 1), HT_LIVE_PATHS);
	assert_int_equal(ht_live_mode_next(HT_LIVE_PATHS, 1, 1), HT_LIVE_ASN);
	assert_int_equal(ht_live_mode_next(HT_LIVE_ASN, 1, 1), HT_LIVE_STATS);
	assert_string_equal(ht_live_mode_name(HT_LIVE_PATHS), "paths");
}

/* Events for traces never started, and ttls outside the trace, change
 * nothing. */
static void test_stray_events(void **state)
{
	struct ht_live_model *m = model_new(1, 0, 0);

	(void)state;
	run_start(m);
	probe(m, 7, 1, HP_REPLY, "192.0.2.130", 1000, -1);
	trace_start(m, 0, "192.0.2.130", 1);
	probe(m, 0, 0, HP_REPLY, "192.0.2.130", 1000, -1);
	probe(m, 0, 31, HP_REPLY, "192.0.2.130", 1000, -1);
	assert_int_equal(ht_live_model_last_ttl(&m->traces[0]), 0);
	assert_int_equal(m->traces[0].distance, 0);
	ht_live_model_free(m);
}

/*
 * Whether a hop's loss carries on, under the hops: hop 1 lost 30 of 40,
 * hop 2 and the target 10 of 40 each.  Hop 1 against the target: pooled
 * 0.5, se 0.1118, 4.47 se below: not carried on.  Hop 2: as much as the
 * target: carried on.  After four rounds hop 2 already carries on (1 of 4
 * against 1 of 4), but hop 1's 3 of 4 against 1 of 4 (1.41 se, more than
 * twice the target's) decides nothing, and is not shown.
 */
static void test_loss_lines(void **state)
{
	struct ht_live_model *m = model_new(1, 0, 0);
	struct ht_live_view v = view(24, 80, HT_LIVE_STATS);
	struct ht_outbuf out;
	const char *own = "hop 1: 75.0% lost, not carried on (destination "
			  "lost 25.0%): own answers only\033[K";
	const char *carried = "hop 2: 25.0% lost, carried on to the "
			      "destination (25.0% lost there)\033[K";
	unsigned i;

	(void)state;
	run_start(m);
	trace_start(m, 0, "192.0.2.130", 1);
	for (i = 0; i < 40; i++) {
		if (i == 4) {
			ht_outbuf_init(&out);
			ht_live_screen_render(m, &v, &out);
			ht_outbuf_append(&out, "", 1);
			assert_null(strstr(out.data, "hop 1: "));
			assert_non_null(strstr(out.data, "hop 2: 25.0% lost, "
					       "carried on"));
			ht_outbuf_free(&out);
		}
		probe(m, 0, 1, HP_TTL_EXPIRED, i % 4 ? NULL : "192.0.2.1",
		      1000, -1);
		probe(m, 0, 2, HP_TTL_EXPIRED, i % 4 == 3 ? NULL :
		      "198.51.100.1", 2000, -1);
		probe(m, 0, 3, HP_REPLY, i % 4 == 1 ? NULL : "192.0.2.130",
		      3000, -1);
	}
	ht_outbuf_init(&out);
	ht_live_screen_render(m, &v, &out);
	ht_outbuf_append(&out, "", 1);
	assert_non_null(strstr(out.data, own));
	assert_non_null(strstr(out.data, carried));
	assert_true(strstr(out.data, own) < strstr(out.data, carried));
	/* Under the last hop's row. */
	assert_true(strstr(out.data, "  3. 192.0.2.130") <
		    strstr(out.data, own));
	ht_outbuf_free(&out);
	ht_live_model_free(m);
}

/* A result of trace 0's hop TTL for a probe sent at SENT_US. */
static void probe_at(struct ht_live_model *m, int ttl, const char *from,
		     int64_t sent_us)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_PROBE;
	ev.u.probe.ttl = ttl;
	ev.u.probe.flow = -1;
	ev.u.probe.sent_us = sent_us;
	ev.u.probe.result.kind = from ? HP_TTL_EXPIRED : HP_NO_REPLY;
	ev.u.probe.result.rtt_us = from ? 1000 : -1;
	if (from)
		assert_int_equal(hp_addr_parse(from,
					       &ev.u.probe.result.responder), 0);
	ht_live_model_event(m, &ev);
}

/* Hop 1's row at NOW: its Loss% cell. */
static void expect_loss(const struct ht_live_model *m, int64_t now,
			const char *row)
{
	struct ht_live_view v = view(24, 80, HT_LIVE_STATS);
	struct ht_outbuf out;

	v.now_us = now;
	ht_outbuf_init(&out);
	ht_live_screen_render(m, &v, &out);
	ht_outbuf_append(&out, "", 1);
	if (!strstr(out.data, row))
		fail_msg("no row \"%s\" in:\n%s", row, out.data);
	ht_outbuf_free(&out);
}

/*
 * Loss% leaves out the answers whose deadline (sent + the 1 s timeout)
 * is still ahead: a probe sent then and not answered yet would only come
 * in as lost at its deadline.  Sent 3 s ago: 2 answered, 2 lost; sent
 * 0.5 s ago: 2 answered (their two lost companions not in yet).  Now:
 * 2 lost of the 4 settled, 50.0%, where counting every result would say
 * 2 of 6, 33.3%; a second later the young answers are settled: 33.3%.
 */
static void test_loss_waits_for_deadlines(void **state)
{
	struct ht_live_model *m = model_new(1, 0, 0);
	struct ht_event ev;

	(void)state;
	run_start(m);
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_START;
	ev.u.trace_start.target = "192.0.2.130";
	assert_int_equal(hp_addr_parse("192.0.2.130",
				       &ev.u.trace_start.address), 0);
	ev.u.trace_start.first_ttl = 1;
	ev.u.trace_start.max_ttl = 30;
	ev.u.trace_start.queries = 1;
	ev.u.trace_start.flows = 1;
	ev.u.trace_start.wait_ms = 1000;
	ht_live_model_event(m, &ev);
	probe_at(m, 1, "192.0.2.1", NOW_US - 3000000);
	probe_at(m, 1, "192.0.2.1", NOW_US - 3000000);
	probe_at(m, 1, NULL, NOW_US - 3000000);
	probe_at(m, 1, NULL, NOW_US - 3000000);
	probe_at(m, 1, "192.0.2.1", NOW_US - 500000);
	probe_at(m, 1, "192.0.2.1", NOW_US - 500000);
	expect_loss(m, NOW_US, "  1. 192.0.2.1                    50.0%     6");
	expect_loss(m, NOW_US + 1000000,
		    "  1. 192.0.2.1                    33.3%     6");
	/* r: nothing held any more. */
	ht_live_model_reset(m);
	probe_at(m, 1, "192.0.2.1", NOW_US - 3000000);
	expect_loss(m, NOW_US, "  1. 192.0.2.1                     0.0%     1");
	ht_live_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_screen),
		cmocka_unit_test(test_numeric_and_show_ips),
		cmocka_unit_test(test_paused_short_plain),
		cmocka_unit_test(test_narrow_and_hostile_names),
		cmocka_unit_test(test_asn_mode),
		cmocka_unit_test(test_paths_mode),
		cmocka_unit_test(test_reset_and_rounds),
		cmocka_unit_test(test_two_targets),
		cmocka_unit_test(test_each_names_workers),
		cmocka_unit_test(test_mode_next),
		cmocka_unit_test(test_stray_events),
		cmocka_unit_test(test_loss_lines),
		cmocka_unit_test(test_loss_waits_for_deadlines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

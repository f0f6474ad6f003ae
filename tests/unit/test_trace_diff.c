/*
 * test_trace_diff.c: hoptrace diff's comparison and output
 * (src/trace_set.c, src/trace_diff.c, src/trace_diff_format.c).
 *
 * Runs are built by hand as the event stream a recording replays into:
 * a trace-start, hops of probes from documentation addresses, a
 * trace-end.  Every expected line is written by hand from the rules in
 * trace_diff.h and hoptrace(1).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "trace_diff.h"
#include "trace_set.h"

#define MAX_PROBES 8
#define MAX_HOPS 6

/* A probe: who answered (NULL: lost), its time in us, its flow. */
struct pdef {
	const char *addr;
	int64_t rtt;
	int flow;
};

struct hdef {
	int ttl;
	unsigned n;
	struct pdef p[MAX_PROBES];
};

struct tdef {
	const char *target;
	const char *address;		/* NULL: did not resolve */
	int flow, flows;
	int reached, distance;
	unsigned hop_count;
	struct hdef hops[MAX_HOPS];
};

static struct hp_addr addr_of(const char *s)
{
	struct hp_addr a;

	memset(&a, 0, sizeof(a));
	if (!s)
		return a;
	if (strchr(s, ':')) {
		a.family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, s, &a.u.v6), 1);
	} else {
		a.family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, s, &a.u.v4), 1);
	}
	return a;
}

static void feed(struct ht_trace_set *s, const struct ht_event *ev)
{
	assert_int_equal(ht_trace_set_event(s, ev), 0);
}

static void add_hop(struct ht_trace_set *s, unsigned trace,
		    const struct hdef *h)
{
	struct ht_probe p[MAX_PROBES];
	struct ht_responder r[MAX_PROBES];
	struct ht_event ev;
	unsigned i, j, nr = 0;

	memset(p, 0, sizeof(p));
	memset(r, 0, sizeof(r));
	for (i = 0; i < h->n; i++) {
		p[i].trace = trace;
		p[i].ttl = h->ttl;
		p[i].query = i;
		p[i].flow = h->p[i].flow;
		p[i].result.rtt_us = -1;
		p[i].result.kind = HP_NO_REPLY;
		if (!h->p[i].addr)
			continue;
		p[i].result.kind = HP_TTL_EXPIRED;
		p[i].result.responder = addr_of(h->p[i].addr);
		p[i].result.rtt_us = h->p[i].rtt;
		for (j = 0; j < nr; j++)
			if (hp_addr_equal(&r[j].address, &p[i].result.responder))
				break;
		if (j == nr)
			r[nr++].address = p[i].result.responder;
		r[j].answers++;
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_HOP;
	ev.u.hop.trace = trace;
	ev.u.hop.ttl = h->ttl;
	ev.u.hop.probe_count = h->n;
	ev.u.hop.probes = p;
	ev.u.hop.responder_count = nr;
	ev.u.hop.responders = r;
	feed(s, &ev);
}

/* A run of N traces, each ended. */
static void build(struct ht_trace_set *s, const struct tdef *const *t,
		  unsigned n)
{
	struct ht_event ev;
	unsigned i, k;
	int last;

	ht_trace_set_init(s);
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_RUN_START;
	ev.u.run_start.target_count = n;
	feed(s, &ev);
	for (i = 0; i < n; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = HT_EV_TRACE_START;
		ev.u.trace_start.trace = i;
		ev.u.trace_start.target = t[i]->target;
		ev.u.trace_start.address = addr_of(t[i]->address);
		ev.u.trace_start.flow = t[i]->flow;
		ev.u.trace_start.flows = t[i]->flows;
		ev.u.trace_start.first_ttl = 1;
		ev.u.trace_start.max_ttl = 30;
		feed(s, &ev);
		last = 0;
		for (k = 0; k < t[i]->hop_count; k++) {
			add_hop(s, i, &t[i]->hops[k]);
			last = t[i]->hops[k].ttl;
		}
		memset(&ev, 0, sizeof(ev));
		ev.kind = HT_EV_TRACE_END;
		ev.u.trace_end.trace = i;
		ev.u.trace_end.reached = t[i]->reached;
		ev.u.trace_end.reason = t[i]->reached ? HT_REASON_REACHED :
				       HT_REASON_NO_ANSWER;
		ev.u.trace_end.detail = "a sentence not kept";
		ev.u.trace_end.distance = t[i]->distance;
		ev.u.trace_end.last_ttl = last;
		feed(s, &ev);
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_RUN_END;
	feed(s, &ev);
}

/* Diff A against B and compare the text (lines and summary) with WANT. */
static void expect(const struct tdef *const *a, unsigned na,
		   const struct tdef *const *b, unsigned nb,
		   enum ht_rtt_band band, const char *want)
{
	struct ht_trace_set sa, sb;
	struct ht_diff_list l;
	struct ht_outbuf out;
	unsigned i;

	build(&sa, a, na);
	build(&sb, b, nb);
	ht_diff_list_init(&l);
	ht_outbuf_init(&out);
	assert_int_equal(ht_trace_diff(&sa, &sb, band, &l), 0);
	for (i = 0; i < l.count; i++)
		ht_diff_format(&l.items[i], band, &out);
	ht_diff_summary(&l, &out);
	ht_outbuf_puts(&out, "");
	assert_false(out.failed);
	if (strcmp(out.data, want) != 0)
		fail_msg("got:\n%s\nwant:\n%s", out.data, want);
	ht_outbuf_free(&out);
	ht_diff_list_free(&l);
	ht_trace_set_free(&sa);
	ht_trace_set_free(&sb);
}

#define P(a, r) { (a), (r), -1 }
#define LOSTP { NULL, -1, -1 }
#define F(a, r, f) { (a), (r), (f) }

/* The base: hop 1 192.0.2.1, hop 2 192.0.2.66, hop 3 the target. */
static const struct tdef base = {
	"192.0.2.130", "192.0.2.130", -1, 1, 1, 3, 3, {
		{ 1, 3, { P("192.0.2.1", 100), P("192.0.2.1", 120),
			  P("192.0.2.1", 110) } },
		{ 2, 3, { P("192.0.2.66", 300), P("192.0.2.66", 310),
			  P("192.0.2.66", 320) } },
		{ 3, 3, { P("192.0.2.130", 500), P("192.0.2.130", 510),
			  P("192.0.2.130", 520) } },
	}
};

static void test_same(void **state)
{
	const struct tdef *a[] = { &base };

	(void)state;
	expect(a, 1, a, 1, HT_BAND_DECADE, "no differences, 1 trace compared\n");
}

static void test_responders(void **state)
{
	static const struct tdef moved = {
		"192.0.2.130", "192.0.2.130", -1, 1, 1, 3, 3, {
			{ 1, 3, { P("192.0.2.1", 100), P("192.0.2.1", 120),
				  P("192.0.2.1", 110) } },
			{ 2, 3, { P("192.0.2.70", 300), P("192.0.2.70", 310),
				  P("192.0.2.70", 320) } },
			{ 3, 3, { P("192.0.2.130", 500), P("192.0.2.130", 510),
				  P("192.0.2.130", 520) } },
		}
	};
	/* Hop 2 split between two, one of them the old. */
	static const struct tdef split = {
		"192.0.2.130", "192.0.2.130", -1, 1, 1, 3, 3, {
			{ 1, 3, { P("192.0.2.1", 100), P("192.0.2.1", 120),
				  P("192.0.2.1", 110) } },
			{ 2, 3, { P("192.0.2.66", 300), P("192.0.2.70", 310),
				  P("192.0.2.71", 320) } },
			{ 3, 3, { P("192.0.2.130", 500), P("192.0.2.130", 510),
				  P("192.0.2.130", 520) } },
		}
	};
	const struct tdef *a[] = { &base }, *b[] = { &moved }, *c[] = { &split };

	(void)state;
	expect(a, 1, b, 1, HT_BAND_DECADE,
	       "192.0.2.130 hop 2: 192.0.2.66 vanished, 192.0.2.70 appeared\n"
	       "1 difference, 1 trace compared\n");
	expect(a, 1, c, 1, HT_BAND_DECADE,
	       "192.0.2.130 hop 2: 192.0.2.70 192.0.2.71 appeared\n"
	       "1 difference, 1 trace compared\n");
	expect(c, 1, b, 1, HT_BAND_DECADE,
	       "192.0.2.130 hop 2: 192.0.2.66 192.0.2.71 vanished\n"
	       "1 difference, 1 trace compared\n");
}

static void test_silent_answering(void **state)
{
	static const struct tdef silent = {
		"192.0.2.130", "192.0.2.130", -1, 1, 1, 3, 3, {
			{ 1, 3, { P("192.0.2.1", 100), P("192.0.2.1", 120),
				  P("192.0.2.1", 110) } },
			{ 2, 3, { LOSTP, LOSTP, LOSTP } },
			{ 3, 3, { P("192.0.2.130", 500), P("192.0.2.130", 510),
				  P("192.0.2.130", 520) } },
		}
	};
	/* Hop 2 not shown at all counts as silent too. */
	static const struct tdef gap = {
		"192.0.2.130", "192.0.2.130", -1, 1, 1, 3, 2, {
			{ 1, 3, { P("192.0.2.1", 100), P("192.0.2.1", 120),
				  P("192.0.2.1", 110) } },
			{ 3, 3, { P("192.0.2.130", 500), P("192.0.2.130", 510),
				  P("192.0.2.130", 520) } },
		}
	};
	const struct tdef *a[] = { &base }, *b[] = { &silent }, *g[] = { &gap };

	(void)state;
	expect(a, 1, b, 1, HT_BAND_DECADE,
	       "192.0.2.130 hop 2: became silent (192.0.2.66 vanished)\n"
	       "1 difference, 1 trace compared\n");
	expect(b, 1, a, 1, HT_BAND_DECADE,
	       "192.0.2.130 hop 2: started answering (192.0.2.66 appeared)\n"
	       "1 difference, 1 trace compared\n");
	expect(g, 1, a, 1, HT_BAND_DECADE,
	       "192.0.2.130 hop 2: started answering (192.0.2.66 appeared)\n"
	       "1 difference, 1 trace compared\n");
	expect(b, 1, g, 1, HT_BAND_DECADE, "no differences, 1 trace compared\n");
}

static void test_reached_distance(void **state)
{
	/* Not reached: hop 3 silent, and hop 4 too. */
	static const struct tdef lost = {
		"192.0.2.130", "192.0.2.130", -1, 1, 0, 0, 4, {
			{ 1, 3, { P("192.0.2.1", 100), P("192.0.2.1", 120),
				  P("192.0.2.1", 110) } },
			{ 2, 3, { P("192.0.2.66", 300), P("192.0.2.66", 310),
				  P("192.0.2.66", 320) } },
			{ 3, 3, { LOSTP, LOSTP, LOSTP } },
			{ 4, 3, { LOSTP, LOSTP, LOSTP } },
		}
	};
	/* One hop further: hop 3 a router, the target at 4; hop 4 is past
	 * A's destination and not compared. */
	static const struct tdef longer = {
		"192.0.2.130", "192.0.2.130", -1, 1, 1, 4, 4, {
			{ 1, 3, { P("192.0.2.1", 100), P("192.0.2.1", 120),
				  P("192.0.2.1", 110) } },
			{ 2, 3, { P("192.0.2.66", 300), P("192.0.2.66", 310),
				  P("192.0.2.66", 320) } },
			{ 3, 3, { P("192.0.2.129", 400), P("192.0.2.129", 410),
				  P("192.0.2.129", 420) } },
			{ 4, 3, { P("192.0.2.130", 500), P("192.0.2.130", 510),
				  P("192.0.2.130", 520) } },
		}
	};
	const struct tdef *a[] = { &base }, *b[] = { &lost }, *c[] = { &longer };

	(void)state;
	expect(a, 1, b, 1, HT_BAND_DECADE,
	       "192.0.2.130: destination reached in A, not in B (no-answer)\n"
	       "192.0.2.130 hop 3: became silent (192.0.2.130 vanished)\n"
	       "2 differences, 1 trace compared\n");
	expect(b, 1, a, 1, HT_BAND_DECADE,
	       "192.0.2.130: destination not reached in A (no-answer), "
	       "reached in B\n"
	       "192.0.2.130 hop 3: started answering (192.0.2.130 appeared)\n"
	       "2 differences, 1 trace compared\n");
	expect(a, 1, c, 1, HT_BAND_DECADE,
	       "192.0.2.130: distance 3 -> 4\n"
	       "192.0.2.130 hop 3: 192.0.2.130 vanished, 192.0.2.129 appeared\n"
	       "2 differences, 1 trace compared\n");
}

static void test_rtt_bands(void **state)
{
	/* Hop 2's median: 300 us in base; here 12 ms (times 11, 12, 40 ms,
	 * unsorted), hop 3's 520 -> 1000 us (1 ms: the next band). */
	static const struct tdef slow = {
		"192.0.2.130", "192.0.2.130", -1, 1, 1, 3, 3, {
			{ 1, 3, { P("192.0.2.1", 100), P("192.0.2.1", 120),
				  P("192.0.2.1", 110) } },
			{ 2, 3, { P("192.0.2.66", 40000), P("192.0.2.66", 11000),
				  P("192.0.2.66", 12000) } },
			{ 3, 4, { P("192.0.2.130", 900), P("192.0.2.130", 1100),
				  P("192.0.2.130", 1200), LOSTP } },
		}
	};
	const struct tdef *a[] = { &base }, *b[] = { &slow };

	(void)state;
	expect(a, 1, b, 1, HT_BAND_DECADE,
	       "192.0.2.130 hop 2: median rtt 0.310 ms -> 12.000 ms "
	       "(<1ms -> 10-100ms)\n"
	       "192.0.2.130 hop 3: median rtt 0.510 ms -> 1.100 ms "
	       "(<1ms -> 1-10ms)\n"
	       "2 differences, 1 trace compared\n");
	/* 510 -> 1100 is more than twice; 310 -> 12000 too. */
	expect(a, 1, b, 1, HT_BAND_FACTOR2,
	       "192.0.2.130 hop 2: median rtt 0.310 ms -> 12.000 ms "
	       "(by more than a factor of 2)\n"
	       "192.0.2.130 hop 3: median rtt 0.510 ms -> 1.100 ms "
	       "(by more than a factor of 2)\n"
	       "2 differences, 1 trace compared\n");
	expect(a, 1, b, 1, HT_BAND_OFF, "no differences, 1 trace compared\n");
}

static void test_band_rules(void **state)
{
	static const struct { int64_t us; const char *name; } names[] = {
		{ 0, "<1ms" }, { 999, "<1ms" }, { 1000, "1-10ms" },
		{ 9999, "1-10ms" }, { 10000, "10-100ms" },
		{ 99999, "10-100ms" }, { 100000, ">=100ms" },
		{ 5000000, ">=100ms" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(ht_rtt_band_name(names[i].us),
				    names[i].name);
	assert_int_equal(ht_rtt_band_changed(HT_BAND_DECADE, 999, 1000), 1);
	assert_int_equal(ht_rtt_band_changed(HT_BAND_DECADE, 1000, 9999), 0);
	assert_int_equal(ht_rtt_band_changed(HT_BAND_FACTOR2, 1000, 2000), 0);
	assert_int_equal(ht_rtt_band_changed(HT_BAND_FACTOR2, 1000, 2001), 1);
	assert_int_equal(ht_rtt_band_changed(HT_BAND_FACTOR2, 2001, 1000), 1);
	assert_int_equal(ht_rtt_band_changed(HT_BAND_FACTOR2, 0, 2), 0);
	assert_int_equal(ht_rtt_band_changed(HT_BAND_FACTOR2, 0, 3), 1);
	assert_int_equal(ht_rtt_band_changed(HT_BAND_OFF, 1, 1000000), 0);
}

static void test_median(void **state)
{
	static const struct tdef t = {
		"x", NULL, -1, 1, 0, 0, 3, {
			{ 1, 5, { P("192.0.2.1", 5), P("192.0.2.1", 100),
				  LOSTP, P("192.0.2.1", 1),
				  P("192.0.2.1", 3) } },
			{ 2, 3, { P("192.0.2.1", 7), P("192.0.2.1", 2),
				  P("192.0.2.1", 9) } },
			{ 3, 2, { LOSTP, LOSTP } },
		}
	};
	const struct tdef *a[] = { &t };
	struct ht_trace_set s;
	int64_t us = -5;

	(void)state;
	build(&s, a, 1);
	/* 1 3 5 100: (3 + 5) / 2 = 4; 2 7 9: 7; none. */
	assert_int_equal(ht_hop_median_rtt(ht_kept_hop(&s.traces[0], 1), &us),
			 1);
	assert_int_equal(us, 4);
	assert_int_equal(ht_hop_median_rtt(ht_kept_hop(&s.traces[0], 2), &us),
			 1);
	assert_int_equal(us, 7);
	us = -5;
	assert_int_equal(ht_hop_median_rtt(ht_kept_hop(&s.traces[0], 3), &us),
			 0);
	assert_int_equal(us, -5);
	assert_null(ht_kept_hop(&s.traces[0], 4));
	ht_trace_set_free(&s);
}

/* The k-th trace of a target goes with the k-th of the same target;
 * the others are differences of their own, in each run's order. */
static void test_matching(void **state)
{
	static const struct tdef other = {
		"target.example", "198.51.100.7", -1, 1, 1, 1, 1, {
			{ 1, 1, { P("198.51.100.7", 100) } },
		}
	};
	static const struct tdef other_moved = {
		"target.example", "198.51.100.8", -1, 1, 1, 1, 1, {
			{ 1, 1, { P("198.51.100.8", 100) } },
		}
	};
	static const struct tdef lone = {
		"2001:db8::1", "2001:db8::1", -1, 1, 0, 0, 0, { { 0 } }
	};
	const struct tdef *a[] = { &base, &other, &base };
	const struct tdef *b[] = { &lone, &other_moved, &base };

	(void)state;
	expect(a, 3, b, 3, HT_BAND_DECADE,
	       "target.example: address 198.51.100.7 -> 198.51.100.8\n"
	       "target.example hop 1: 198.51.100.7 vanished, 198.51.100.8 "
	       "appeared\n"
	       "192.0.2.130#2: traced in A only\n"
	       "2001:db8::1: traced in B only\n"
	       "4 differences, 2 traces compared, 1 in A only, 1 in B only\n");
}

/* --flows 2, flows 100 and 101: at hop 2 flow 100 reached .66 and 101
 * reached .70; in B flow 101 moved to .66. */
static const struct tdef flows_a = {
	"192.0.2.130", "192.0.2.130", 100, 2, 1, 3, 3, {
		{ 1, 2, { F("192.0.2.1", 100, 100), F("192.0.2.1", 100, 101) } },
		{ 2, 2, { F("192.0.2.66", 300, 100),
			  F("192.0.2.70", 300, 101) } },
		{ 3, 2, { F("192.0.2.130", 500, 100),
			  F("192.0.2.130", 500, 101) } },
	}
};
static const struct tdef flows_b = {
	"192.0.2.130", "192.0.2.130", 100, 2, 1, 3, 3, {
		{ 1, 2, { F("192.0.2.1", 100, 100), F("192.0.2.1", 100, 101) } },
		{ 2, 2, { F("192.0.2.66", 300, 100),
			  F("192.0.2.66", 300, 101) } },
		{ 3, 2, { F("192.0.2.130", 500, 100),
			  F("192.0.2.130", 500, 101) } },
	}
};
static const struct tdef flows_other = {
	"192.0.2.130", "192.0.2.130", 200, 2, 1, 3, 3, {
		{ 1, 2, { F("192.0.2.1", 100, 200), F("192.0.2.1", 100, 201) } },
		{ 2, 2, { F("192.0.2.66", 300, 200),
			  F("192.0.2.66", 300, 201) } },
		{ 3, 2, { F("192.0.2.130", 500, 200),
			  F("192.0.2.130", 500, 201) } },
	}
};

static void test_paths(void **state)
{
	const struct tdef *a[] = { &flows_a }, *b[] = { &flows_b };
	const struct tdef *c[] = { &flows_other }, *one[] = { &base };

	(void)state;
	expect(a, 1, b, 1, HT_BAND_DECADE,
	       "192.0.2.130 hop 2: 192.0.2.70 vanished\n"
	       "192.0.2.130 hop 2: flow 101 192.0.2.70 -> 192.0.2.66\n"
	       "2 differences, 1 trace compared\n");
	/* Another first flow: the flows are other paths, not comparable;
	 * the responders still are. */
	expect(a, 1, c, 1, HT_BAND_DECADE,
	       "192.0.2.130: paths not comparable (A: first flow 100, 2 flows; "
	       "B: first flow 200, 2 flows)\n"
	       "192.0.2.130 hop 2: 192.0.2.70 vanished\n"
	       "2 differences, 1 trace compared\n");
	expect(one, 1, b, 1, HT_BAND_DECADE,
	       "192.0.2.130: paths not comparable (A: no flow, 1 flow; "
	       "B: first flow 100, 2 flows)\n"
	       "1 difference, 1 trace compared\n");
	expect(b, 1, b, 1, HT_BAND_DECADE, "no differences, 1 trace compared\n");
}

static void test_json(void **state)
{
	static const struct tdef moved = {
		"192.0.2.130", "192.0.2.130", -1, 1, 1, 4, 1, {
			{ 1, 1, { P("192.0.2.5", 100) } },
		}
	};
	static const char want[] =
		"{\"schema_version\":2,\"type\":\"diff\",\"a\":\"a.jsonl\",\"b\":\"b\\\"q.jsonl\","
		"\"rtt_band\":\"decade\",\"compared\":1,\"only_a\":0,"
		"\"only_b\":0,\"differences\":["
		"{\"target\":\"192.0.2.130\",\"occurrence\":0,\"ttl\":null,"
		"\"kind\":\"distance\",\"vanished\":[],\"appeared\":[],"
		"\"flow\":null,\"a\":3,\"b\":4,"
		"\"text\":\"192.0.2.130: distance 3 -> 4\"},"
		"{\"target\":\"192.0.2.130\",\"occurrence\":0,\"ttl\":1,"
		"\"kind\":\"responders\",\"vanished\":[\"192.0.2.1\"],"
		"\"appeared\":[\"192.0.2.5\"],\"flow\":null,\"a\":null,"
		"\"b\":null,\"text\":\"192.0.2.130 hop 1: 192.0.2.1 vanished, "
		"192.0.2.5 appeared\"},"
		"{\"target\":\"192.0.2.130\",\"occurrence\":0,\"ttl\":2,"
		"\"kind\":\"silent\",\"vanished\":[\"192.0.2.66\"],"
		"\"appeared\":[],\"flow\":null,\"a\":null,\"b\":null,"
		"\"text\":\"192.0.2.130 hop 2: became silent (192.0.2.66 "
		"vanished)\"},"
		"{\"target\":\"192.0.2.130\",\"occurrence\":0,\"ttl\":3,"
		"\"kind\":\"silent\",\"vanished\":[\"192.0.2.130\"],"
		"\"appeared\":[],\"flow\":null,\"a\":null,\"b\":null,"
		"\"text\":\"192.0.2.130 hop 3: became silent (192.0.2.130 "
		"vanished)\"}]}\n";
	const struct tdef *a[] = { &base }, *b[] = { &moved };
	struct ht_trace_set sa, sb;
	struct ht_diff_list l;
	struct ht_outbuf out;

	(void)state;
	build(&sa, a, 1);
	build(&sb, b, 1);
	ht_diff_list_init(&l);
	ht_outbuf_init(&out);
	assert_int_equal(ht_trace_diff(&sa, &sb, HT_BAND_DECADE, &l), 0);
	ht_diff_json(&l, "a.jsonl", "b\"q.jsonl", HT_BAND_DECADE, &out);
	ht_outbuf_puts(&out, "");
	if (strcmp(out.data, want) != 0)
		fail_msg("got:\n%s\nwant:\n%s", out.data, want);
	ht_outbuf_free(&out);
	ht_diff_list_free(&l);
	ht_trace_set_free(&sa);
	ht_trace_set_free(&sb);
}

/* Two empty runs; a trace index past any run is refused. */
static void test_edges(void **state)
{
	struct ht_trace_set s;
	struct ht_event ev;

	(void)state;
	expect(NULL, 0, NULL, 0, HT_BAND_DECADE,
	       "no differences, 0 traces compared\n");
	ht_trace_set_init(&s);
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_START;
	ev.u.trace_start.trace = 4000000000u;
	ev.u.trace_start.target = "192.0.2.1";
	assert_int_equal(ht_trace_set_event(&s, &ev), -1);
	ht_trace_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_responders),
		cmocka_unit_test(test_silent_answering),
		cmocka_unit_test(test_reached_distance),
		cmocka_unit_test(test_rtt_bands),
		cmocka_unit_test(test_band_rules),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

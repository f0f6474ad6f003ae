/*
 * test_trace.c: the trace state machine (src/trace.c) driven with invented
 * times and results: which probes go out, and which events come back in
 * which order.  Expected sequences are written from trace.h's contract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "trace.h"

#define MAX_EVENTS 512

struct recorded {
	enum ht_event_kind kind;
	int ttl;			/* HOP, PROBE */
	unsigned responders;		/* HOP */
	char first_responder[HP_ADDR_TEXT];
	const char *first_name;		/* HOP */
	enum ht_reason reason;		/* TRACE_END */
	int distance;
	int last_ttl;
	unsigned hidden;
	char detail[160];
};

struct recorder {
	struct recorded ev[MAX_EVENTS];
	unsigned n;
	int names_ready;		/* names hook answer */
	unsigned names_asked;
};

static void record(void *arg, const struct ht_event *ev)
{
	struct recorder *r = arg;
	struct recorded *e;

	assert_true(r->n < MAX_EVENTS);
	e = &r->ev[r->n++];
	memset(e, 0, sizeof(*e));
	e->kind = ev->kind;
	switch (ev->kind) {
	case HT_EV_PROBE:
		e->ttl = ev->u.probe.ttl;
		break;
	case HT_EV_HOP:
		e->ttl = ev->u.hop.ttl;
		e->responders = ev->u.hop.responder_count;
		if (e->responders) {
			hp_addr_format(&ev->u.hop.responders[0].address,
				       e->first_responder,
				       sizeof(e->first_responder));
			e->first_name = ev->u.hop.responders[0].name;
		}
		break;
	case HT_EV_TRACE_END:
		e->reason = ev->u.trace_end.reason;
		e->distance = ev->u.trace_end.distance;
		e->last_ttl = ev->u.trace_end.last_ttl;
		e->hidden = ev->u.trace_end.hidden_silent_hops;
		snprintf(e->detail, sizeof(e->detail), "%s",
			 ev->u.trace_end.detail);
		break;
	default:
		break;
	}
}

static int names(void *arg, struct ht_trace *t, const struct hp_addr *a,
		 const char **name, const char **asn)
{
	struct recorder *r = arg;

	(void)t;
	(void)a;
	r->names_asked++;
	*name = r->names_ready ? "r.example" : NULL;
	*asn = NULL;
	return r->names_ready;
}

static struct ht_trace *make(struct recorder *rec, int max_ttl, int count,
			     int with_names)
{
	struct ht_trace_params p;
	struct ht_trace_hooks hooks = { record, with_names ? names : NULL, rec };

	memset(&p, 0, sizeof(p));
	p.target = "192.0.2.130";
	assert_int_equal(hp_addr_parse("192.0.2.130", &p.address), 0);
	p.protocol = HP_ICMP;
	p.first_ttl = 1;
	p.max_ttl = max_ttl;
	p.queries = 3;
	p.count = count;
	p.interval_us = 1000000;
	p.wait_ms = 1000;
	return ht_trace_new(&p, &hooks);
}

/* Send everything due at NOW; return how many, slots in SLOTS by ttl. */
static unsigned send_all(struct ht_trace *t, int64_t now, uint32_t *slots,
			 int *ttls, unsigned max)
{
	struct ht_trace_send s;
	unsigned n = 0;

	while (n < max && ht_trace_next(t, now, &s)) {
		ht_trace_sent(t, s.slot, now);
		slots[n] = s.slot;
		ttls[n] = s.ttl;
		n++;
	}
	return n;
}

static struct hp_result res(enum hp_kind k, const char *from, int64_t rtt)
{
	struct hp_result r;

	memset(&r, 0, sizeof(r));
	r.kind = k;
	r.rtt_us = rtt;
	if (from)
		assert_int_equal(hp_addr_parse(from, &r.responder), 0);
	return r;
}

/* The kinds of hop and end events only, as "H1 H2 E". */
static void hops_string(const struct recorder *rec, char *buf, size_t len)
{
	unsigned i;
	size_t o = 0;

	buf[0] = '\0';
	for (i = 0; i < rec->n && o < len; i++) {
		if (rec->ev[i].kind == HT_EV_HOP)
			o += (size_t)snprintf(buf + o, len - o, "%sH%d",
					      o ? " " : "", rec->ev[i].ttl);
		else if (rec->ev[i].kind == HT_EV_TRACE_END)
			o += (size_t)snprintf(buf + o, len - o, "%sE",
					      o ? " " : "");
	}
}

static const struct recorded *last_end(const struct recorder *rec)
{
	assert_true(rec->n > 0);
	assert_int_equal(rec->ev[rec->n - 1].kind, HT_EV_TRACE_END);
	return &rec->ev[rec->n - 1];
}

static const char *router(int ttl)
{
	static const char *const r[] = { "", "192.0.2.1", "192.0.2.66",
					 "192.0.2.129", "198.51.100.4" };

	return r[ttl];
}

/* All ttls at once; answers in reverse order; hops still come 1, 2, 3. */
static void test_parallel_reached_in_order(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	uint32_t slots[128];
	int ttls[128];
	unsigned n, i;
	char s[256];

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 30, 1, 0);
	assert_non_null(t);
	ht_trace_start(t, 0);
	assert_int_equal(rec.ev[0].kind, HT_EV_TRACE_START);
	n = send_all(t, 0, slots, ttls, 128);
	/* One round: every ttl, three queries each, nothing held back. */
	assert_int_equal(n, 90);
	assert_int_equal(ttls[0], 1);
	assert_int_equal(ttls[3], 2);
	assert_int_equal(ttls[89], 30);
	/* The target answers ttl 3..30 first, then hop 2, then hop 1. */
	for (i = 6; i < 90; i++) {
		struct hp_result r = res(HP_REPLY, "192.0.2.130", 300);

		ht_trace_result(t, slots[i], &r, 10);
	}
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "");
	for (i = 3; i < 6; i++) {
		struct hp_result r = res(HP_TTL_EXPIRED, router(2), 200);

		ht_trace_result(t, slots[i], &r, 20);
	}
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "");
	for (i = 0; i < 3; i++) {
		struct hp_result r = res(HP_TTL_EXPIRED, router(1), 100);

		ht_trace_result(t, slots[i], &r, 30);
	}
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "H1 H2 H3 E");
	assert_int_equal(last_end(&rec)->reason, HT_REASON_REACHED);
	assert_int_equal(last_end(&rec)->distance, 3);
	assert_int_equal(last_end(&rec)->last_ttl, 3);
	assert_true(ht_trace_reached(t));
	assert_true(ht_trace_ended(t));
	assert_int_equal(ht_trace_next_due(t), -1);
	ht_trace_free(t);
}

/* Answers from above the target's distance are not shown as hops. */
static void test_reached_early_skips_rest(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	struct ht_trace_send s;
	struct hp_result r;
	unsigned i, sent = 0;
	uint32_t slots[16];

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 10, 1, 0);
	ht_trace_start(t, 0);
	/* Send hop 1 and hop 2 only, then the target answers at hop 2. */
	while (sent < 6 && ht_trace_next(t, 0, &s)) {
		ht_trace_sent(t, s.slot, 0);
		slots[sent++] = s.slot;
	}
	r = res(HP_REPLY, "192.0.2.130", 50);
	for (i = 3; i < 6; i++)
		ht_trace_result(t, slots[i], &r, 5);
	/* Nothing above hop 2 is sent any more. */
	assert_int_equal(ht_trace_next(t, 0, &s), 0);
	r = res(HP_TTL_EXPIRED, router(1), 20);
	for (i = 0; i < 3; i++)
		ht_trace_result(t, slots[i], &r, 6);
	assert_int_equal(last_end(&rec)->reason, HT_REASON_REACHED);
	assert_int_equal(last_end(&rec)->distance, 2);
	assert_int_equal(ht_trace_in_flight(t), 0);
	ht_trace_free(t);
}

/* A black hole after hop 2: hop 3 is shown silent, the rest counted. */
static void test_black_hole(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;
	char s[256];

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 10, 1, 0);
	ht_trace_start(t, 0);
	n = send_all(t, 0, slots, ttls, 64);
	assert_int_equal(n, 30);
	for (i = 0; i < n; i++) {
		struct hp_result r = ttls[i] <= 2 ?
			res(HP_TTL_EXPIRED, router(ttls[i]), 100) :
			res(HP_NO_REPLY, NULL, -1);

		ht_trace_result(t, slots[i], &r, 1000000);
	}
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "H1 H2 H3 E");
	assert_int_equal(last_end(&rec)->reason, HT_REASON_NO_ANSWER);
	assert_int_equal(last_end(&rec)->hidden, 7);
	assert_int_equal(last_end(&rec)->last_ttl, 3);
	assert_string_equal(last_end(&rec)->detail,
			    "no answer from 192.0.2.130 within 10 hops; the "
			    "last answer came from 192.0.2.66 at hop 2");
	assert_false(ht_trace_reached(t));
	ht_trace_free(t);
}

/* A silent hop between answering ones is shown where it is. */
static void test_silent_middle_hop(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;
	char s[256];

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 5, 1, 0);
	ht_trace_start(t, 0);
	n = send_all(t, 0, slots, ttls, 64);
	for (i = 0; i < n; i++) {
		struct hp_result r;

		if (ttls[i] == 2)
			r = res(HP_NO_REPLY, NULL, -1);
		else if (ttls[i] == 1)
			r = res(HP_TTL_EXPIRED, router(1), 100);
		else
			r = res(HP_REPLY, "192.0.2.130", 300);
		ht_trace_result(t, slots[i], &r, 10);
	}
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "H1 H2 H3 E");
	assert_int_equal(rec.ev[rec.n - 2].responders, 1);
	/* H2 is the silent one. */
	for (i = 0; i < rec.n; i++)
		if (rec.ev[i].kind == HT_EV_HOP && rec.ev[i].ttl == 2)
			assert_int_equal(rec.ev[i].responders, 0);
	ht_trace_free(t);
}

/* An unreachable from a router ends the trace at that hop. */
static void test_unreachable(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;
	char s[256];

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 8, 1, 0);
	ht_trace_start(t, 0);
	n = send_all(t, 0, slots, ttls, 64);
	for (i = 0; i < n; i++) {
		struct hp_result r = ttls[i] == 1 ?
			res(HP_TTL_EXPIRED, router(1), 100) :
			res(HP_NO_ROUTE_NETWORK, router(2), 150);

		ht_trace_result(t, slots[i], &r, 10);
	}
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "H1 H2 E");
	assert_int_equal(last_end(&rec)->reason, HT_REASON_UNREACHABLE);
	assert_string_equal(last_end(&rec)->detail,
			    "192.0.2.130: 192.0.2.66 said network "
			    "unreachable at hop 2");
	ht_trace_free(t);
}

/* Several responders at one hop, in order of first answer. */
static void test_several_responders(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 2, 1, 0);
	ht_trace_start(t, 0);
	n = send_all(t, 0, slots, ttls, 64);
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++) {
		struct hp_result r = ttls[i] == 1 ?
			res(HP_TTL_EXPIRED, i == 1 ? "192.0.2.3" : "192.0.2.1",
			    100) :
			res(HP_REPLY, "192.0.2.130", 300);

		ht_trace_result(t, slots[i], &r, 10);
	}
	for (i = 0; i < rec.n; i++)
		if (rec.ev[i].kind == HT_EV_HOP && rec.ev[i].ttl == 1) {
			assert_int_equal(rec.ev[i].responders, 2);
			assert_string_equal(rec.ev[i].first_responder,
					    "192.0.2.1");
		}
	ht_trace_free(t);
}

/* A hop waits for its names, and goes out once they settle. */
static void test_waits_for_names(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;
	char s[256];

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 1, 1, 1);
	ht_trace_start(t, 0);
	n = send_all(t, 0, slots, ttls, 64);
	for (i = 0; i < n; i++) {
		struct hp_result r = res(HP_REPLY, "192.0.2.130", 300);

		ht_trace_result(t, slots[i], &r, 10);
	}
	/* Asked at the first answer (to start the lookup) and at the hop. */
	assert_true(rec.names_asked >= 2);
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "");
	rec.names_ready = 1;
	ht_trace_names_settled(t, 20);
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "H1 E");
	assert_string_equal(rec.ev[rec.n - 2].first_name, "r.example");
	ht_trace_free(t);
}

/* Cycles: the second is due one interval later and probes only up to the
 * target's distance; hops come once, after the last cycle. */
static void test_cycles(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;
	struct ht_trace_send s1;
	char s[256];

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 5, 2, 0);
	ht_trace_start(t, 1000);
	n = send_all(t, 1000, slots, ttls, 64);
	assert_int_equal(n, 15);
	for (i = 0; i < n; i++) {
		struct hp_result r = ttls[i] == 1 ?
			res(HP_TTL_EXPIRED, router(1), 100) :
			res(HP_REPLY, "192.0.2.130", 300);

		ht_trace_result(t, slots[i], &r, 2000);
	}
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "");
	assert_int_equal(ht_trace_next_due(t), 1001000);
	assert_int_equal(ht_trace_next(t, 1000999, &s1), 0);
	n = send_all(t, 1001000, slots, ttls, 64);
	assert_int_equal(n, 6);
	assert_int_equal(ttls[5], 2);
	for (i = 0; i < n; i++) {
		struct hp_result r = ttls[i] == 1 ?
			res(HP_TTL_EXPIRED, router(1), 100) :
			res(HP_REPLY, "192.0.2.130", 300);

		ht_trace_result(t, slots[i], &r, 1002000);
	}
	hops_string(&rec, s, sizeof(s));
	assert_string_equal(s, "H1 H2 E");
	ht_trace_free(t);
}

/*
 * The live view's rounds: a trace cannot restart while it runs or has
 * probes out; once ended and drained it starts again at cycle 0 from the
 * given time (all 3 hops x 3 queries again, the bound forgotten), and a
 * delay moves its unsent cycles later.
 */
static void test_restart_and_delay(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	struct ht_trace_send s1;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 3, 2, 0);
	ht_trace_start(t, 1000);
	assert_int_equal(ht_trace_restart(t, 5000), -1);	/* running */
	n = send_all(t, 1000, slots, ttls, 64);
	assert_int_equal(n, 9);
	/* Paused 500 ms: cycle 1 falls due at 1000 + 1 s + 0.5 s. */
	ht_trace_delay(t, 500000);
	assert_int_equal(ht_trace_next_due(t), 1501000);
	for (i = 0; i < n; i++) {
		struct hp_result r = ttls[i] == 1 ?
			res(HP_TTL_EXPIRED, router(1), 100) :
			res(HP_REPLY, "192.0.2.130", 300);

		ht_trace_result(t, slots[i], &r, 2000);
	}
	n = send_all(t, 1501000, slots, ttls, 64);
	assert_int_equal(n, 6);		/* bound at ttl 2 */
	assert_int_equal(ttls[n - 1], 2);
	for (i = 0; i + 1 < n; i++) {
		struct hp_result r = ttls[i] == 1 ?
			res(HP_TTL_EXPIRED, router(1), 100) :
			res(HP_REPLY, "192.0.2.130", 300);

		ht_trace_result(t, slots[i], &r, 1502000);
	}
	assert_int_equal(ht_trace_ended(t), 0);
	{
		struct hp_result r = res(HP_REPLY, "192.0.2.130", 300);

		ht_trace_result(t, slots[n - 1], &r, 1503000);
	}
	assert_int_equal(ht_trace_ended(t), 1);
	assert_int_equal(ht_trace_reached(t), 1);
	assert_int_equal(ht_trace_restart(t, 3000000), 0);
	assert_int_equal(rec.ev[rec.n - 1].kind, HT_EV_TRACE_START);
	assert_int_equal(ht_trace_ended(t), 0);
	assert_int_equal(ht_trace_next(t, 2999999, &s1), 0);
	n = send_all(t, 3000000, slots, ttls, 64);
	assert_int_equal(n, 9);
	assert_int_equal(ttls[8], 3);
	ht_trace_free(t);
}

/* Results for slots never sent, or sent twice, are ignored. */
static void test_bad_slots_ignored(void **state)
{
	static struct recorder rec;
	struct ht_trace *t;
	struct hp_result r = res(HP_REPLY, "192.0.2.130", 1);
	unsigned before;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	t = make(&rec, 3, 1, 0);
	ht_trace_start(t, 0);
	before = rec.n;
	ht_trace_result(t, 0, &r, 1);
	ht_trace_result(t, 999999, &r, 1);
	assert_int_equal(rec.n, before);
	ht_trace_abort(t, HT_REASON_WORKER_FAILED, "worker died", 2);
	assert_int_equal(last_end(&rec)->reason, HT_REASON_WORKER_FAILED);
	assert_string_equal(last_end(&rec)->detail, "worker died");
	before = rec.n;
	ht_trace_abort(t, HT_REASON_WORKER_FAILED, "again", 3);
	assert_int_equal(rec.n, before);
	ht_trace_free(t);
}

/* A worker that dies mid-trace: what was learnt is still shown, the probes
 * it took with it marked worker-failed. */
static struct recorder abort_rec;
static int abort_failed_probes;
static int abort_failed_events;

static void record_abort(void *arg, const struct ht_event *ev)
{
	unsigned i;

	record(arg, ev);
	if (ev->kind == HT_EV_HOP)
		for (i = 0; i < ev->u.hop.probe_count; i++)
			if (ev->u.hop.probes[i].result.kind == HP_WORKER_FAILED)
				abort_failed_probes++;
	if (ev->kind == HT_EV_PROBE &&
	    ev->u.probe.result.kind == HP_WORKER_FAILED)
		abort_failed_events++;
}

/* What probes went out as (--pmtu's sizes, the flow) reaches the events. */
struct wire_seen {
	int start_flow, start_pmtu;
	double start_rate;
	int sizes[3], flows[3];
	unsigned hops;
};

static void record_wire(void *arg, const struct ht_event *ev)
{
	struct wire_seen *w = arg;
	unsigned i;

	if (ev->kind == HT_EV_TRACE_START) {
		w->start_flow = ev->u.trace_start.flow;
		w->start_pmtu = ev->u.trace_start.pmtu;
		w->start_rate = ev->u.trace_start.rate_pps;
	} else if (ev->kind == HT_EV_HOP) {
		assert_int_equal(ev->u.hop.probe_count, 3);
		for (i = 0; i < 3; i++) {
			w->sizes[i] = ev->u.hop.probes[i].size;
			w->flows[i] = ev->u.hop.probes[i].flow;
		}
		w->hops++;
	}
}

static void test_sent_as(void **state)
{
	struct wire_seen seen;
	struct ht_trace_hooks hooks = { record_wire, NULL, &seen };
	struct ht_trace_params p;
	struct ht_trace *t;
	uint32_t slots[8];
	int ttls[8];
	unsigned i;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	memset(&p, 0, sizeof(p));
	p.target = "192.0.2.130";
	assert_int_equal(hp_addr_parse("192.0.2.130", &p.address), 0);
	p.first_ttl = 1;
	p.max_ttl = 1;
	p.queries = 3;
	p.count = 1;
	p.wait_ms = 1000;
	p.flow = 1234;
	p.pmtu = 1;
	p.rate_pps = 50;
	t = ht_trace_new(&p, &hooks);
	assert_non_null(t);
	ht_trace_start(t, 0);
	assert_int_equal(seen.start_flow, 1234);
	assert_int_equal(seen.start_pmtu, 1);
	assert_true(seen.start_rate == 50);
	assert_int_equal(send_all(t, 0, slots, ttls, 8), 3);
	/* Probe 0 left at 65535 and went again at 1500 with another flow;
	 * probe 1 was never said to have gone at any size; probe 2 at 1280.
	 * A slot not in flight is not changed. */
	ht_trace_sent_as(t, slots[0], 65535, 1234);
	ht_trace_sent_as(t, slots[0], 1500, 1235);
	ht_trace_sent_as(t, slots[2], 1280, 1234);
	for (i = 0; i < 3; i++) {
		struct hp_result r = res(HP_REPLY, "192.0.2.130", 100);

		ht_trace_result(t, slots[i], &r, 10);
	}
	ht_trace_sent_as(t, slots[2], 9000, 7);
	assert_int_equal(seen.hops, 1);
	assert_int_equal(seen.sizes[0], 1500);
	assert_int_equal(seen.flows[0], 1235);
	assert_int_equal(seen.sizes[1], 0);
	assert_int_equal(seen.flows[1], -1);
	assert_int_equal(seen.sizes[2], 1280);
	assert_int_equal(seen.flows[2], 1234);
	ht_trace_free(t);
}

/* ht_trace_query_flow: query -> flow, each flow's queries consecutive. */
static void test_query_flow_table(void **state)
{
	static const struct {
		unsigned query, queries, flows, want;
	} cases[] = {
		/* One flow, or none: always flow 0. */
		{ 0, 4, 0, 0 }, { 3, 4, 0, 0 }, { 3, 4, 1, 0 },
		/* -q 4 --flows 4: 0 0 0 0 1 1 1 1 2 ... 3. */
		{ 0, 16, 4, 0 }, { 3, 16, 4, 0 }, { 4, 16, 4, 1 },
		{ 7, 16, 4, 1 }, { 8, 16, 4, 2 }, { 15, 16, 4, 3 },
		/* -q 1: query Q is flow Q. */
		{ 0, 64, 64, 0 }, { 21, 64, 64, 21 }, { 63, 64, 64, 63 },
		/* -q 2 --flows 3. */
		{ 1, 6, 3, 0 }, { 2, 6, 3, 1 }, { 5, 6, 3, 2 },
		/* Fewer queries than flows (not a trace's shape): flow Q mod K,
		 * never K or more. */
		{ 2, 2, 4, 2 }, { 5, 2, 4, 1 },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned got = ht_trace_query_flow(cases[i].query,
						   cases[i].queries,
						   cases[i].flows);

		if (got != cases[i].want)
			fail_msg("case %u: query %u of %u over %u flows: flow "
				 "%u, want %u", i, cases[i].query,
				 cases[i].queries, cases[i].flows, got,
				 cases[i].want);
	}
}

/*
 * --flows 4 -q 4 (16 queries a hop): each hop's probes go out flow by
 * flow, the four of one flow back to back, so that a balancer that
 * alternates per packet splits every flow; the second cycle the same.
 * A slot that is not one has no flow.
 */
static void test_flows_back_to_back(void **state)
{
	struct recorder rec;
	struct ht_trace_hooks hooks = { record, NULL, &rec };
	struct ht_trace_params p;
	struct ht_trace *t;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	memset(&p, 0, sizeof(p));
	p.target = "192.0.2.130";
	assert_int_equal(hp_addr_parse("192.0.2.130", &p.address), 0);
	p.first_ttl = 1;
	p.max_ttl = 2;
	p.queries = 16;
	p.count = 2;
	p.interval_us = 0;
	p.wait_ms = 1000;
	p.flow = 1000;
	p.flows = 4;
	t = ht_trace_new(&p, &hooks);
	assert_non_null(t);
	ht_trace_start(t, 0);
	n = send_all(t, 0, slots, ttls, 64);
	assert_int_equal(n, 64);
	for (i = 0; i < n; i++) {
		/* Cycle c, hop h, then query q: 32 c + 16 h + q. */
		unsigned q = i % 16;

		assert_int_equal(ttls[i], 1 + (int)(i / 16 % 2));
		assert_int_equal(ht_trace_slot_query(t, slots[i]), (int)q);
		assert_int_equal(ht_trace_slot_flow(t, slots[i]), (int)(q / 4));
	}
	assert_int_equal(ht_trace_slot_flow(t, 2 * 32), -1);
	ht_trace_free(t);
}

static void test_abort_shows_what_was_learnt(void **state)
{
	struct ht_trace_params p;
	struct ht_trace_hooks hooks = { record_abort, NULL, &abort_rec };
	struct ht_trace *t;
	uint32_t slots[64];
	int ttls[64];
	unsigned n, i;
	char s[256];

	(void)state;
	memset(&abort_rec, 0, sizeof(abort_rec));
	abort_failed_probes = abort_failed_events = 0;
	memset(&p, 0, sizeof(p));
	p.target = "192.0.2.130";
	assert_int_equal(hp_addr_parse("192.0.2.130", &p.address), 0);
	p.first_ttl = 1;
	p.max_ttl = 4;
	p.queries = 3;
	p.count = 1;
	p.wait_ms = 1000;
	t = ht_trace_new(&p, &hooks);
	ht_trace_start(t, 0);
	n = send_all(t, 0, slots, ttls, 64);
	assert_int_equal(n, 12);
	/* Hop 1 answers in full, hop 2 once; then the worker dies. */
	for (i = 0; i < 4; i++) {
		struct hp_result r = res(HP_TTL_EXPIRED, router(ttls[i]), 100);

		ht_trace_result(t, slots[i], &r, 10);
	}
	hops_string(&abort_rec, s, sizeof(s));
	assert_string_equal(s, "H1");
	ht_trace_abort(t, HT_REASON_WORKER_FAILED, "worker died", 20);
	hops_string(&abort_rec, s, sizeof(s));
	/* Hop 3, silent, is shown; hop 4 after it is counted, as at a
	 * normal end. */
	assert_string_equal(s, "H1 H2 H3 E");
	assert_int_equal(last_end(&abort_rec)->hidden, 1);
	/* In the hops: two of hop 2's probes and the three of hop 3. */
	assert_int_equal(abort_failed_probes, 5);
	/* As probes of their own: all eight still out, hop 4's too. */
	assert_int_equal(abort_failed_events, 8);
	assert_int_equal(last_end(&abort_rec)->reason, HT_REASON_WORKER_FAILED);
	assert_int_equal(last_end(&abort_rec)->last_ttl, 3);
	ht_trace_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parallel_reached_in_order),
		cmocka_unit_test(test_reached_early_skips_rest),
		cmocka_unit_test(test_black_hole),
		cmocka_unit_test(test_silent_middle_hop),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_several_responders),
		cmocka_unit_test(test_waits_for_names),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_restart_and_delay),
		cmocka_unit_test(test_bad_slots_ignored),
		cmocka_unit_test(test_abort_shows_what_was_learnt),
		cmocka_unit_test(test_sent_as),
		cmocka_unit_test(test_query_flow_table),
		cmocka_unit_test(test_flows_back_to_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

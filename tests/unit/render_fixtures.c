/*
 * render_fixtures.c: the recorded event sequences of render_fixtures.h.
 */
#include "render_fixtures.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* A probe as a fixture writes it. */
struct fx_p {
	int ttl;
	unsigned cycle, query;
	enum hp_kind kind;
	const char *addr;		/* NULL: no responder */
	int64_t rtt_us;
	unsigned nl;
	struct hp_mpls_label l[3];
	int error_number;
};

/* A responder of a hop. */
struct fx_r {
	const char *addr, *name, *asn;
	unsigned answers;
};

static struct hp_addr fx_addr(const char *text)
{
	struct hp_addr a;

	memset(&a, 0, sizeof(a));
	if (!text)
		return a;
	if (inet_pton(AF_INET, text, &a.u.v4) == 1) {
		a.family = AF_INET;
	} else if (inet_pton(AF_INET6, text, &a.u.v6) == 1) {
		a.family = AF_INET6;
	} else {
		fprintf(stderr, "render_fixtures: bad address %s\n", text);
		abort();
	}
	return a;
}

/* One worker, as a run without --worker has. */
static const struct ht_worker_info fx_one_worker[] = {
	{ FX_WORKER_NAME, FX_WORKER_COMMAND },
};

static void fx_run_start_fill(struct ht_event *ev, unsigned targets)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = HT_EV_RUN_START;
	ev->u.run_start.version = FX_VERSION;
	ev->u.run_start.worker_version = FX_WORKER_VERSION;
	ev->u.run_start.start_us = FX_T0;
	ev->u.run_start.target_count = targets;
	ev->u.run_start.run_id = FX_RUN_ID;
	ev->u.run_start.worker_count = 1;
	ev->u.run_start.workers = fx_one_worker;
}

static void fx_run_start(fx_sink sink, void *arg, unsigned targets)
{
	struct ht_event ev;

	fx_run_start_fill(&ev, targets);
	sink(arg, &ev);
}

struct fx_trace {
	unsigned trace;
	const char *target, *addr, *source;
	enum hp_protocol protocol;
	int port, first_ttl, max_ttl, queries, count;
	uint32_t wait_ms;
	int psize;
	int on_worker;		/* 1 + the worker's index; 0 (left out):
				 * the probes spread over all */
	const char *worker_name;	/* that worker's; NULL for 0 */
};

static void fx_trace_start_x(fx_sink sink, void *arg,
			     const struct fx_trace *t, int flow, int pmtu,
			     double rate_pps, int flows)
{
	struct ht_event ev;
	struct ht_trace_start *ts = &ev.u.trace_start;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_START;
	ts->trace = t->trace;
	ts->target = t->target;
	ts->address = fx_addr(t->addr);
	ts->source = fx_addr(t->source);
	ts->protocol = t->protocol;
	ts->port = t->port;
	ts->first_ttl = t->first_ttl;
	ts->max_ttl = t->max_ttl;
	ts->queries = t->queries;
	ts->count = t->count;
	ts->wait_ms = t->wait_ms;
	ts->psize = t->psize;
	ts->flow = flow;
	ts->flows = flows;
	ts->pmtu = pmtu;
	ts->rate_pps = rate_pps;
	ts->worker = t->on_worker - 1;
	ts->worker_name = t->worker_name;
	ts->start_us = FX_T0;
	sink(arg, &ev);
}

static void fx_trace_start(fx_sink sink, void *arg, const struct fx_trace *t)
{
	/* As trace.c: no flow unless one is set. */
	fx_trace_start_x(sink, arg, t, -1, 0, 0, 1);
}

/*
 * A hop as the trace module delivers it: each probe's event as it
 * arrives, the names and origins of its responders, then the hop.
 */
/* What the extensions add to a probe of J, row by row with its fx_p. */
struct fx_x {
	int size, flow;
	unsigned has;			/* enum hp_result_has */
	int64_t rtt_ns;
	uint32_t mtu;
	uint8_t type, code, reply_ttl, quoted_ttl, quoted_tos;
	uint32_t next_hop_mtu, if_index, if_mtu;
	const char *if_addr, *if_name;	/* NULL: none */
};

static void fx_hop_x(fx_sink sink, void *arg, unsigned trace, int ttl,
		     const struct fx_p *p, unsigned np, const struct fx_r *r,
		     unsigned nr, const struct fx_x *x)
{
	struct ht_probe probes[16];
	struct ht_responder resp[8];
	struct ht_event ev;
	unsigned i, j;

	if (np > 16 || nr > 8)
		abort();
	memset(probes, 0, sizeof(probes));
	memset(resp, 0, sizeof(resp));
	for (i = 0; i < np; i++) {
		struct ht_probe *q = &probes[i];

		q->trace = trace;
		q->ttl = ttl;
		q->cycle = p[i].cycle;
		q->query = p[i].query;
		q->flow = -1;
		q->sent_us = FX_T0 + (int64_t)p[i].cycle * 1000000 +
			     (int64_t)ttl * 10000 + (int64_t)p[i].query * 1000;
		q->result.kind = p[i].kind;
		q->result.responder = fx_addr(p[i].addr);
		q->result.rtt_us = p[i].rtt_us;
		q->result.mpls_count = p[i].nl;
		for (j = 0; j < p[i].nl; j++)
			q->result.mpls[j] = p[i].l[j];
		q->result.error_number = p[i].error_number;
		if (x) {
			struct hp_result *e = &q->result;

			q->size = x[i].size;
			q->flow = x[i].flow;
			e->has = x[i].has;
			e->rtt_ns = x[i].rtt_ns;
			e->mtu = x[i].mtu;
			e->icmp_type = x[i].type;
			e->icmp_code = x[i].code;
			e->reply_ttl = x[i].reply_ttl;
			e->quoted_ttl = x[i].quoted_ttl;
			e->quoted_tos = x[i].quoted_tos;
			e->next_hop_mtu = x[i].next_hop_mtu;
			e->if_index = x[i].if_index;
			e->if_mtu = x[i].if_mtu;
			e->if_addr = fx_addr(x[i].if_addr);
			if (x[i].if_name)
				snprintf(e->if_name, sizeof(e->if_name), "%s",
					 x[i].if_name);
		}

		memset(&ev, 0, sizeof(ev));
		ev.kind = HT_EV_PROBE;
		ev.u.probe = *q;
		sink(arg, &ev);
	}
	for (i = 0; i < nr; i++) {
		resp[i].address = fx_addr(r[i].addr);
		resp[i].name = r[i].name;
		resp[i].asn = r[i].asn;
		resp[i].answers = r[i].answers;
		if (r[i].name) {
			memset(&ev, 0, sizeof(ev));
			ev.kind = HT_EV_NAME;
			ev.u.name.address = resp[i].address;
			ev.u.name.name = r[i].name;
			sink(arg, &ev);
		}
		if (r[i].asn) {
			memset(&ev, 0, sizeof(ev));
			ev.kind = HT_EV_ASN;
			ev.u.asn.address = resp[i].address;
			ev.u.asn.asn = r[i].asn;
			sink(arg, &ev);
		}
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_HOP;
	ev.u.hop.trace = trace;
	ev.u.hop.ttl = ttl;
	ev.u.hop.probe_count = np;
	ev.u.hop.probes = probes;
	ev.u.hop.responder_count = nr;
	ev.u.hop.responders = resp;
	sink(arg, &ev);
}

static void fx_hop(fx_sink sink, void *arg, unsigned trace, int ttl,
		   const struct fx_p *p, unsigned np, const struct fx_r *r,
		   unsigned nr)
{
	fx_hop_x(sink, arg, trace, ttl, p, np, r, nr, NULL);
}

static void fx_trace_end(fx_sink sink, void *arg, unsigned trace,
			 enum ht_reason reason, const char *detail,
			 int distance, int last_ttl, unsigned hidden,
			 int64_t end_us)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_END;
	ev.u.trace_end.trace = trace;
	ev.u.trace_end.reached = reason == HT_REASON_REACHED;
	ev.u.trace_end.reason = reason;
	ev.u.trace_end.detail = detail;
	ev.u.trace_end.distance = distance;
	ev.u.trace_end.last_ttl = last_ttl;
	ev.u.trace_end.hidden_silent_hops = hidden;
	ev.u.trace_end.end_us = end_us;
	sink(arg, &ev);
}

static void fx_run_end(fx_sink sink, void *arg, unsigned reached,
		       unsigned not_reached, int status)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_RUN_END;
	ev.u.run_end.end_us = FX_T0 + 1500000;
	ev.u.run_end.reached = reached;
	ev.u.run_end.not_reached = not_reached;
	ev.u.run_end.exit_status = status;
	sink(arg, &ev);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define T_END (FX_T0 + 1250000)	/* 2026-12-01T20:30:01.250Z */

/* ---- A ------------------------------------------------------------- */

static const struct fx_p a_h1[] = {
	{ 1, 0, 0, HP_TTL_EXPIRED, "192.0.2.1", 123, 0, { { 0 } }, 0 },
	{ 1, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 101, 0, { { 0 } }, 0 },
	{ 1, 0, 2, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
};
static const struct fx_r a_r1[] = { { "192.0.2.1", "gw.example", NULL, 2 } };
static const struct fx_p a_h2[] = {
	{ 2, 0, 0, HP_TTL_EXPIRED, "192.0.2.5", 1001, 0, { { 0 } }, 0 },
	{ 2, 0, 1, HP_TTL_EXPIRED, "198.51.100.7", 1250, 0, { { 0 } }, 0 },
	{ 2, 0, 2, HP_TTL_EXPIRED, "198.51.100.7", 1100, 0, { { 0 } }, 0 },
};
static const struct fx_r a_r2[] = {
	{ "192.0.2.5", NULL, NULL, 1 },
	{ "198.51.100.7", NULL, NULL, 2 },
};
static const struct fx_p a_h3[] = {
	{ 3, 0, 0, HP_REPLY, "192.0.2.130", 2000, 0, { { 0 } }, 0 },
	{ 3, 0, 1, HP_REPLY, "192.0.2.130", 2010, 0, { { 0 } }, 0 },
	{ 3, 0, 2, HP_REPLY, "192.0.2.130", 1990, 0, { { 0 } }, 0 },
};
static const struct fx_r a_r3[] = {
	{ "192.0.2.130", "target.example", NULL, 3 },
};

void fx_reached(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "target.example", "192.0.2.130", "192.0.2.2", HP_ICMP,
		0, 1, 30, 3, 1, 3000, 0, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start(sink, arg, &t);
	fx_hop(sink, arg, 0, 1, a_h1, N(a_h1), a_r1, N(a_r1));
	fx_hop(sink, arg, 0, 2, a_h2, N(a_h2), a_r2, N(a_r2));
	fx_hop(sink, arg, 0, 3, a_h3, N(a_h3), a_r3, N(a_r3));
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "target.example answered at hop 3", 3, 3, 0, T_END);
	fx_run_end(sink, arg, 1, 0, 0);
}

/* ---- B ------------------------------------------------------------- */

static const struct fx_p b_h1[] = {
	{ 1, 0, 0, HP_TTL_EXPIRED, "192.0.2.1", 500, 0, { { 0 } }, 0 },
};
static const struct fx_r b_r1[] = { { "192.0.2.1", NULL, NULL, 1 } };
static const struct fx_p b_h2[] = {
	{ 2, 0, 0, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
};

void fx_not_reached(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "203.0.113.9", "203.0.113.9", NULL, HP_UDP,
		33434, 1, 5, 1, 1, 3000, 0, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start(sink, arg, &t);
	fx_hop(sink, arg, 0, 1, b_h1, N(b_h1), b_r1, N(b_r1));
	fx_hop(sink, arg, 0, 2, b_h2, N(b_h2), NULL, 0);
	fx_trace_end(sink, arg, 0, HT_REASON_NO_ANSWER,
		     "no answer from 203.0.113.9 within 5 hops", 0, 2, 3,
		     T_END);
	fx_run_end(sink, arg, 0, 1, 1);
}

/* ---- C ------------------------------------------------------------- */

static const struct fx_p c_h1[] = {
	{ 1, 0, 0, HP_TTL_EXPIRED, "192.0.2.1", 300, 0, { { 0 } }, 0 },
	{ 1, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 310, 0, { { 0 } }, 0 },
	{ 1, 0, 2, HP_PERMISSION_DENIED, NULL, -1, 0, { { 0 } }, 0 },
};
static const struct fx_r c_r1[] = { { "192.0.2.1", NULL, NULL, 2 } };
static const struct fx_p c_h2[] = {
	{ 2, 0, 0, HP_NO_ROUTE_NETWORK, "192.0.2.9", 900, 0, { { 0 } }, 0 },
	{ 2, 0, 1, HP_NO_ROUTE_HOST, "192.0.2.9", 950, 0, { { 0 } }, 0 },
	{ 2, 0, 2, HP_NETWORK_DOWN, NULL, -1, 0, { { 0 } }, 0 },
};
static const struct fx_r c_r2[] = { { "192.0.2.9", NULL, NULL, 2 } };
static const struct fx_p c_h3[] = {
	{ 3, 0, 0, HP_NO_ROUTE, "192.0.2.10", 1000, 0, { { 0 } }, 0 },
	{ 3, 0, 1, HP_WORKER_FAILED, NULL, -1, 0, { { 0 } }, 0 },
	{ 3, 0, 2, HP_UNEXPECTED_ERROR, NULL, -1, 0, { { 0 } }, 5 },
};
static const struct fx_r c_r3[] = { { "192.0.2.10", NULL, NULL, 1 } };

void fx_unreachable(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "blocked.example", "198.51.100.20", "192.0.2.2", HP_TCP,
		443, 1, 30, 3, 1, 3000, 0, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start(sink, arg, &t);
	fx_hop(sink, arg, 0, 1, c_h1, N(c_h1), c_r1, N(c_r1));
	fx_hop(sink, arg, 0, 2, c_h2, N(c_h2), c_r2, N(c_r2));
	fx_hop(sink, arg, 0, 3, c_h3, N(c_h3), c_r3, N(c_r3));
	fx_trace_end(sink, arg, 0, HT_REASON_UNREACHABLE,
		     "192.0.2.10 answered no route", 0, 3, 0, T_END);
	fx_run_end(sink, arg, 0, 1, 1);
}

/* ---- D ------------------------------------------------------------- */

static const struct fx_p d_h1[] = {
	{ 1, 0, 0, HP_TTL_EXPIRED, "2001:db8::1", 200, 1,
	  { { 100, 0, 1, 1 } }, 0 },
	{ 1, 0, 1, HP_TTL_EXPIRED, "2001:db8::1", 250, 1,
	  { { 100, 0, 1, 1 } }, 0 },
};
static const struct fx_r d_r1[] = { { "2001:db8::1", NULL, NULL, 2 } };
static const struct fx_p d_h2[] = {
	{ 2, 0, 0, HP_TTL_EXPIRED, "2001:db8:1::1", 400, 2,
	  { { 16001, 0, 0, 254 }, { 200, 0, 1, 1 } }, 0 },
	{ 2, 0, 1, HP_TTL_EXPIRED, "2001:db8:2::1", 450, 1,
	  { { 300, 0, 1, 1 } }, 0 },
};
static const struct fx_r d_r2[] = {
	{ "2001:db8:1::1", "core.example", "64496", 1 },
	{ "2001:db8:2::1", NULL, "64497 64498", 1 },
};
static const struct fx_p d_h3[] = {
	{ 3, 0, 0, HP_REPLY, "2001:db8::99", 600, 0, { { 0 } }, 0 },
	{ 3, 0, 1, HP_REPLY, "2001:db8::99", 610, 0, { { 0 } }, 0 },
};
static const struct fx_r d_r3[] = { { "2001:db8::99", NULL, "64499", 2 } };

void fx_mpls_asn(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "v6.example", "2001:db8::99", "2001:db8::2", HP_ICMP,
		0, 1, 30, 2, 1, 3000, 0, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start(sink, arg, &t);
	fx_hop(sink, arg, 0, 1, d_h1, N(d_h1), d_r1, N(d_r1));
	fx_hop(sink, arg, 0, 2, d_h2, N(d_h2), d_r2, N(d_r2));
	fx_hop(sink, arg, 0, 3, d_h3, N(d_h3), d_r3, N(d_r3));
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "v6.example answered at hop 3", 3, 3, 0, T_END);
	fx_run_end(sink, arg, 1, 0, 0);
}

/* ---- E ------------------------------------------------------------- */

static const struct fx_p e_h0[] = {
	{ 1, 0, 0, HP_REPLY, "192.0.2.10", 1000, 0, { { 0 } }, 0 },
};
static const struct fx_r e_r0[] = { { "192.0.2.10", NULL, NULL, 1 } };
static const struct fx_p e_h1[] = {
	{ 1, 0, 0, HP_REPLY, "192.0.2.20", 2000, 0, { { 0 } }, 0 },
};
static const struct fx_r e_r1[] = { { "192.0.2.20", NULL, NULL, 1 } };

void fx_two_reverse(fx_sink sink, void *arg)
{
	static const struct fx_trace t0 = {
		0, "a.example", "192.0.2.10", NULL, HP_ICMP,
		0, 1, 30, 1, 1, 3000, 0, 0
	};
	static const struct fx_trace t1 = {
		1, "b.example", "192.0.2.20", NULL, HP_ICMP,
		0, 1, 30, 1, 1, 3000, 0, 0
	};

	fx_run_start(sink, arg, 2);
	fx_trace_start(sink, arg, &t0);
	fx_trace_start(sink, arg, &t1);
	fx_hop(sink, arg, 1, 1, e_h1, N(e_h1), e_r1, N(e_r1));
	fx_trace_end(sink, arg, 1, HT_REASON_REACHED,
		     "b.example answered at hop 1", 1, 1, 0, FX_T0 + 1000000);
	fx_hop(sink, arg, 0, 1, e_h0, N(e_h0), e_r0, N(e_r0));
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "a.example answered at hop 1", 1, 1, 0, T_END);
	fx_run_end(sink, arg, 2, 0, 0);
}

/* ---- F ------------------------------------------------------------- */

static const struct fx_p f_h1[] = {
	{ 1, 0, 0, HP_REPLY, "192.0.2.77", 777, 0, { { 0 } }, 0 },
};
static const struct fx_r f_r1[] = {
	{ "192.0.2.77", FX_ODD_NAME, NULL, 1 },
};

void fx_odd_names(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, FX_ODD_TARGET, "192.0.2.77", NULL, HP_ICMP,
		0, 1, 30, 1, 1, 3000, 0, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start(sink, arg, &t);
	fx_hop(sink, arg, 0, 1, f_h1, N(f_h1), f_r1, N(f_r1));
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "answered \"at\" hop 1", 1, 1, 0, T_END);
	fx_run_end(sink, arg, 1, 0, 0);
}

/* ---- G ------------------------------------------------------------- */

void fx_unresolved(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "nosuch.example", NULL, NULL, HP_ICMP,
		0, 1, 30, 3, 1, 3000, 0, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start(sink, arg, &t);
	fx_trace_end(sink, arg, 0, HT_REASON_UNRESOLVED,
		     "nosuch.example: not-found", 0, 0, 0, FX_T0);
	fx_run_end(sink, arg, 0, 1, 1);
}

/* ---- H ------------------------------------------------------------- */

static const struct fx_p h_h2[] = {
	{ 2, 0, 0, HP_TTL_EXPIRED, "192.0.2.1", 150, 0, { { 0 } }, 0 },
	{ 2, 1, 0, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
	{ 2, 2, 0, HP_TTL_EXPIRED, "192.0.2.1", 250, 0, { { 0 } }, 0 },
};
static const struct fx_r h_r2[] = { { "192.0.2.1", NULL, NULL, 2 } };
static const struct fx_p h_h3[] = {
	{ 3, 0, 0, HP_REPLY, "203.0.113.5", 5000, 0, { { 0 } }, 0 },
	{ 3, 1, 0, HP_REPLY, "203.0.113.5", 5500, 0, { { 0 } }, 0 },
	{ 3, 2, 0, HP_REPLY, "203.0.113.5", 6000, 0, { { 0 } }, 0 },
};
static const struct fx_r h_r3[] = { { "203.0.113.5", NULL, NULL, 3 } };

void fx_cycles(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "203.0.113.5", "203.0.113.5", "192.0.2.2", HP_UDP,
		53, 2, 3, 1, 3, 500, 100, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start(sink, arg, &t);
	fx_hop(sink, arg, 0, 2, h_h2, N(h_h2), h_r2, N(h_r2));
	fx_hop(sink, arg, 0, 3, h_h3, N(h_h3), h_r3, N(h_r3));
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "203.0.113.5 answered at hop 3", 3, 3, 0, T_END);
	fx_run_end(sink, arg, 1, 0, 0);
}

/* ---- I ------------------------------------------------------------- */

static const struct fx_p i_h1[] = {
	{ 1, 0, 0, HP_REPLY, "192.0.2.1", 150, 1, { { 100, 0, 1, 1 } }, 0 },
	{ 1, 0, 1, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
};
static const struct fx_r i_r1[] = { { "192.0.2.1", "gw.example", NULL, 1 } };

void fx_small(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "gw.example", "192.0.2.1", "192.0.2.2", HP_ICMP,
		0, 1, 2, 2, 1, 1000, 0, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start(sink, arg, &t);
	fx_hop(sink, arg, 0, 1, i_h1, N(i_h1), i_r1, N(i_r1));
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "gw.example answered at hop 1", 1, 1, 0, T_END);
	fx_run_end(sink, arg, 1, 0, 0);
}

/* ---- J ------------------------------------------------------------- */

#define J_FLOW 28300
#define J_TIME_EXCEEDED (HP_HAS_ICMP | HP_HAS_REPLY_TTL | HP_HAS_QUOTED_TTL | \
			 HP_HAS_QUOTED_TOS)

static const struct fx_p j_h1[] = {
	{ 1, 0, 0, HP_TTL_EXPIRED, "192.0.2.1", 299, 0, { { 0 } }, 0 },
	{ 1, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 310, 0, { { 0 } }, 0 },
};
static const struct fx_x j_x1[] = {
	{ 1500, J_FLOW, J_TIME_EXCEEDED | HP_HAS_RTT_NS | HP_HAS_IF_INDEX |
	  HP_HAS_IF_MTU, 299871, 0, 11, 0, 64, 1, 0, 0, 2, 1500,
	  "192.0.2.1", "eth0" },
	{ 1500, J_FLOW, J_TIME_EXCEEDED | HP_HAS_RTT_NS | HP_HAS_IF_INDEX |
	  HP_HAS_IF_MTU, 310002, 0, 11, 0, 64, 1, 0, 0, 2, 1500,
	  "192.0.2.1", "eth0" },
};
static const struct fx_r j_r1[] = { { "192.0.2.1", NULL, NULL, 2 } };
static const struct fx_p j_h2[] = {
	{ 2, 0, 0, HP_TTL_EXPIRED, "198.51.100.1", 800, 0, { { 0 } }, 0 },
	{ 2, 0, 1, HP_TTL_EXPIRED, "198.51.100.1", 810, 0, { { 0 } }, 0 },
};
/* The second probe has no kernel time: its time is to the us. */
static const struct fx_x j_x2[] = {
	{ 1280, J_FLOW, J_TIME_EXCEEDED | HP_HAS_RTT_NS | HP_HAS_IF_INDEX,
	  800000, 0, 11, 0, 253, 1, 0x08, 0, 7, 0, NULL, "ge-0/0/1" },
	{ 1280, J_FLOW, J_TIME_EXCEEDED, 0, 0, 11, 0, 253, 1, 0, 0, 0, 0,
	  NULL, NULL },
};
static const struct fx_r j_r2[] = { { "198.51.100.1", NULL, NULL, 2 } };
static const struct fx_p j_h3[] = {
	{ 3, 0, 0, HP_NO_ROUTE_HOST, "198.51.100.9", 1000, 0, { { 0 } }, 0 },
	{ 3, 0, 1, HP_NO_ROUTE_HOST, "198.51.100.9", 1100, 0, { { 0 } }, 0 },
	{ 3, 0, 2, HP_PACKET_TOO_BIG, "198.51.100.9", 1200, 0, { { 0 } }, 0 },
};
static const struct fx_x j_x3[] = {
	{ 1280, J_FLOW, HP_HAS_ICMP, 0, 0, 3, 13, 0, 0, 0, 0, 0, 0, NULL,
	  NULL },
	{ 1280, J_FLOW, HP_HAS_ICMP, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, NULL,
	  NULL },
	{ 1280, J_FLOW, HP_HAS_ICMP | HP_HAS_MTU | HP_HAS_NEXT_HOP_MTU, 0,
	  1200, 3, 4, 0, 0, 0, 1200, 0, 0, NULL, NULL },
};
static const struct fx_r j_r3[] = { { "198.51.100.9", NULL, NULL, 2 } };

void fx_extensions(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "target.example", "203.0.113.50", "192.0.2.2", HP_ICMP,
		0, 1, 30, 3, 1, 3000, 0, 0
	};
	fx_run_start(sink, arg, 1);
	fx_trace_start_x(sink, arg, &t, J_FLOW, 1, 1000, 1);
	fx_hop_x(sink, arg, 0, 1, j_h1, N(j_h1), j_r1, N(j_r1), j_x1);
	fx_hop_x(sink, arg, 0, 2, j_h2, N(j_h2), j_r2, N(j_r2), j_x2);
	fx_hop_x(sink, arg, 0, 3, j_h3, N(j_h3), j_r3, N(j_r3), j_x3);
	fx_trace_end(sink, arg, 0, HT_REASON_UNREACHABLE,
		     "198.51.100.9 said host unreachable at hop 3", 0, 3, 0,
		     T_END);
	fx_run_end(sink, arg, 0, 1, 1);
}

/* ---- K ------------------------------------------------------------- */

/* Flow of query Q: four flows from 1000, one probe each per cycle. */
#define K_F(q) { 0, 1000 + (q), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL }
static const struct fx_x k_x[] = {
	K_F(0), K_F(1), K_F(2), K_F(3), K_F(0), K_F(1), K_F(2), K_F(3),
};
static const struct fx_p k_h1[] = {
	{ 1, 0, 0, HP_TTL_EXPIRED, "192.0.2.1", 100, 0, { { 0 } }, 0 },
	{ 1, 0, 1, HP_TTL_EXPIRED, "192.0.2.1", 100, 0, { { 0 } }, 0 },
	{ 1, 0, 2, HP_TTL_EXPIRED, "192.0.2.1", 100, 0, { { 0 } }, 0 },
	{ 1, 0, 3, HP_TTL_EXPIRED, "192.0.2.1", 100, 0, { { 0 } }, 0 },
	{ 1, 1, 0, HP_TTL_EXPIRED, "192.0.2.1", 100, 0, { { 0 } }, 0 },
	{ 1, 1, 1, HP_TTL_EXPIRED, "192.0.2.1", 100, 0, { { 0 } }, 0 },
	{ 1, 1, 2, HP_TTL_EXPIRED, "192.0.2.1", 100, 0, { { 0 } }, 0 },
	{ 1, 1, 3, HP_TTL_EXPIRED, "192.0.2.1", 100, 0, { { 0 } }, 0 },
};
static const struct fx_r k_r1[] = { { "192.0.2.1", NULL, NULL, 8 } };
/* Flows 1000 and 1002 cross .66, 1001 crosses .130 (and loses its
 * second probe); 1003 reaches .66, then .130: a per-packet balancer. */
static const struct fx_p k_h2[] = {
	{ 2, 0, 0, HP_TTL_EXPIRED, "198.51.100.66", 500, 0, { { 0 } }, 0 },
	{ 2, 0, 1, HP_TTL_EXPIRED, "198.51.100.130", 700, 0, { { 0 } }, 0 },
	{ 2, 0, 2, HP_TTL_EXPIRED, "198.51.100.66", 520, 0, { { 0 } }, 0 },
	{ 2, 0, 3, HP_TTL_EXPIRED, "198.51.100.66", 510, 0, { { 0 } }, 0 },
	{ 2, 1, 0, HP_TTL_EXPIRED, "198.51.100.66", 540, 0, { { 0 } }, 0 },
	{ 2, 1, 1, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
	{ 2, 1, 2, HP_TTL_EXPIRED, "198.51.100.66", 560, 0, { { 0 } }, 0 },
	{ 2, 1, 3, HP_TTL_EXPIRED, "198.51.100.130", 720, 0, { { 0 } }, 0 },
};
static const struct fx_r k_r2[] = {
	{ "198.51.100.66", NULL, NULL, 5 }, { "198.51.100.130", NULL, NULL, 2 },
};
/* The target; flow 1001 is never answered here. */
static const struct fx_p k_h3[] = {
	{ 3, 0, 0, HP_REPLY, "198.51.100.250", 900, 0, { { 0 } }, 0 },
	{ 3, 0, 1, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
	{ 3, 0, 2, HP_REPLY, "198.51.100.250", 910, 0, { { 0 } }, 0 },
	{ 3, 0, 3, HP_REPLY, "198.51.100.250", 920, 0, { { 0 } }, 0 },
	{ 3, 1, 0, HP_REPLY, "198.51.100.250", 930, 0, { { 0 } }, 0 },
	{ 3, 1, 1, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
	{ 3, 1, 2, HP_REPLY, "198.51.100.250", 940, 0, { { 0 } }, 0 },
	{ 3, 1, 3, HP_REPLY, "198.51.100.250", 960, 0, { { 0 } }, 0 },
};
static const struct fx_r k_r3[] = { { "198.51.100.250", NULL, NULL, 6 } };

void fx_multipath(fx_sink sink, void *arg)
{
	static const struct fx_trace t = {
		0, "198.51.100.250", "198.51.100.250", "192.0.2.2", HP_ICMP,
		0, 1, 30, 4, 2, 3000, 0, 0
	};

	fx_run_start(sink, arg, 1);
	fx_trace_start_x(sink, arg, &t, 1000, 0, 0, 4);
	fx_hop_x(sink, arg, 0, 1, k_h1, N(k_h1), k_r1, N(k_r1), k_x);
	fx_hop_x(sink, arg, 0, 2, k_h2, N(k_h2), k_r2, N(k_r2), k_x);
	fx_hop_x(sink, arg, 0, 3, k_h3, N(k_h3), k_r3, N(k_r3), k_x);
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "198.51.100.250 answered at hop 3", 3, 3, 0, T_END);
	fx_run_end(sink, arg, 1, 0, 0);
}

/* ---- L ------------------------------------------------------------- */

static const struct fx_p l_icmp_h3[] = {
	{ 3, 0, 0, HP_REPLY, "192.0.2.130", 1500, 0, { { 0 } }, 0 },
	{ 3, 0, 1, HP_REPLY, "192.0.2.130", 1600, 0, { { 0 } }, 0 },
	{ 3, 0, 2, HP_REPLY, "192.0.2.130", 1400, 0, { { 0 } }, 0 },
};
static const struct fx_r l_icmp_r3[] = { { "192.0.2.130", NULL, NULL, 3 } };
static const struct fx_p l_udp_h3[] = {
	{ 3, 0, 0, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
	{ 3, 0, 1, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
	{ 3, 0, 2, HP_NO_REPLY, NULL, -1, 0, { { 0 } }, 0 },
};

/* A --compare run's trace start: the item's label. */
static void fx_trace_start_compare(fx_sink sink, void *arg,
				   const struct fx_trace *t,
				   const char *label)
{
	struct ht_event ev;
	struct ht_trace_start *ts = &ev.u.trace_start;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_START;
	ts->trace = t->trace;
	ts->target = t->target;
	ts->address = fx_addr(t->addr);
	ts->source = fx_addr(t->source);
	ts->protocol = t->protocol;
	ts->port = t->port;
	ts->first_ttl = t->first_ttl;
	ts->max_ttl = t->max_ttl;
	ts->queries = t->queries;
	ts->count = t->count;
	ts->wait_ms = t->wait_ms;
	ts->psize = t->psize;
	ts->flow = -1;
	ts->flows = 1;
	ts->compare = label;
	ts->worker = t->on_worker - 1;
	ts->worker_name = t->worker_name;
	ts->start_us = FX_T0;
	sink(arg, &ev);
}

void fx_compare(fx_sink sink, void *arg)
{
	static const struct fx_trace icmp = {
		0, "192.0.2.130", "192.0.2.130", "192.0.2.2", HP_ICMP,
		0, 1, 30, 3, 1, 3000, 0, 0
	};
	static const struct fx_trace udp = {
		1, "192.0.2.130", "192.0.2.130", "192.0.2.2", HP_UDP,
		53, 1, 30, 3, 1, 3000, 0, 0
	};
	struct ht_event ev;

	fx_run_start_fill(&ev, 2);
	ev.u.run_start.compare_items = 2;
	sink(arg, &ev);
	fx_trace_start_compare(sink, arg, &icmp, "icmp");
	fx_trace_start_compare(sink, arg, &udp, "udp:53");
	fx_hop(sink, arg, 0, 1, a_h1, N(a_h1), a_r1, N(a_r1));
	fx_hop(sink, arg, 1, 1, a_h1, N(a_h1), a_r1, N(a_r1));
	fx_hop(sink, arg, 0, 2, a_h2, N(a_h2), a_r2, N(a_r2));
	fx_hop(sink, arg, 1, 2, a_h2, N(a_h2), a_r2, N(a_r2));
	fx_hop(sink, arg, 0, 3, l_icmp_h3, N(l_icmp_h3), l_icmp_r3,
	       N(l_icmp_r3));
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "192.0.2.130 answered at hop 3", 3, 3, 0, T_END);
	fx_hop(sink, arg, 1, 3, l_udp_h3, N(l_udp_h3), NULL, 0);
	fx_trace_end(sink, arg, 1, HT_REASON_NO_ANSWER,
		     "no answer from 192.0.2.130 within 30 hops", 0, 3, 27,
		     T_END);
	fx_run_end(sink, arg, 1, 1, 1);
}

/* ---- M ------------------------------------------------------------- */

static const struct ht_worker_info m_workers[] = {
	{ "lab1", "hopprobe" },
	{ "lab2", "ssh lab2.example hopprobe" },
};
static const struct fx_p m_h1[] = {
	{ 1, 0, 0, HP_REPLY, "192.0.2.130", 500, 0, { { 0 } }, 0 },
};
static const struct fx_r m_r1[] = { { "192.0.2.130", NULL, NULL, 1 } };
static const struct fx_p m_lost[] = {
	{ 1, 0, 0, HP_WORKER_FAILED, NULL, -1, 0, { { 0 } }, 0 },
};

void fx_shipping(fx_sink sink, void *arg)
{
	static const struct fx_trace t0 = {
		0, "192.0.2.130", "192.0.2.130", "192.0.2.2", HP_ICMP,
		0, 1, 1, 1, 1, 1000, 0, 1, "lab1"
	};
	static const struct fx_trace t1 = {
		1, "198.51.100.20", "198.51.100.20", "192.0.2.2", HP_ICMP,
		0, 1, 1, 1, 1, 1000, 0, 2, "lab2"
	};
	struct ht_event ev;

	fx_run_start_fill(&ev, 2);
	ev.u.run_start.run_id = "sweep7:3";
	ev.u.run_start.worker_count = 2;
	ev.u.run_start.workers = m_workers;
	ev.u.run_start.shard_index = 3;
	ev.u.run_start.shard_count = 4;
	ev.u.run_start.seed = UINT64_C(18446744073709551615);
	sink(arg, &ev);
	fx_trace_start(sink, arg, &t0);
	fx_trace_start(sink, arg, &t1);
	fx_hop(sink, arg, 0, 1, m_h1, N(m_h1), m_r1, N(m_r1));
	fx_trace_end(sink, arg, 0, HT_REASON_REACHED,
		     "192.0.2.130 answered at hop 1", 1, 1, 0, T_END);
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_WORKER_LOST;
	ev.u.worker_lost.worker = 1;
	ev.u.worker_lost.message = "exited with status 255";
	ev.u.worker_lost.probes_lost = 1;
	ev.u.worker_lost.at_us = FX_T0 + 1000000;
	sink(arg, &ev);
	fx_hop(sink, arg, 1, 1, m_lost, N(m_lost), NULL, 0);
	fx_trace_end(sink, arg, 1, HT_REASON_WORKER_FAILED,
		     "worker lab2 was lost: exited with status 255", 0, 1, 0,
		     T_END);
	fx_run_end(sink, arg, 1, 1, 3);
}

const struct fx_scenario fx_scenarios[] = {
	{ "reached", fx_reached },
	{ "not_reached", fx_not_reached },
	{ "unreachable", fx_unreachable },
	{ "mpls_asn", fx_mpls_asn },
	{ "two_reverse", fx_two_reverse },
	{ "odd_names", fx_odd_names },
	{ "unresolved", fx_unresolved },
	{ "cycles", fx_cycles },
	{ "small", fx_small },
	{ "extensions", fx_extensions },
	{ "multipath", fx_multipath },
	{ "compare", fx_compare },
	{ "shipping", fx_shipping },
};
const size_t fx_scenario_count = N(fx_scenarios);

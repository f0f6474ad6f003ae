/*
 * test_mda.c: the MDA stopping rule (src/mda.c) against the published
 * table, and a trace with --mda (src/trace.c) driven through invented
 * balancers: how many flows it probes, what its hop events hold.
 *
 * The 95% figures are table 1 of Veitch, Augustin, Friedman, Teixeira,
 * "Failure control in multipath route tracing" (INFOCOM 2009), the ones
 * Paris traceroute's MDA uses; the 99% ones follow from the same formula
 * by hand (8: 2 * 2^-8 = 0.0078 <= 0.01 < 2 * 2^-7).  Flow counts of the
 * traces are worked out by hand from the rule: hop by hop, answered flows
 * against n_K.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "mda.h"
#include "trace.h"

static void test_stop_95(void **state)
{
	static const unsigned paper[] = { 6, 11, 16, 21, 27, 33, 38, 44, 51,
					  57, 63 };
	unsigned k;

	(void)state;
	assert_int_equal(ht_mda_stop(0, 95), 0);
	for (k = 1; k <= 11; k++)
		assert_int_equal(ht_mda_stop(k, 95), paper[k - 1]);
}

static void test_stop_99(void **state)
{
	static const unsigned expected[] = { 8, 15, 21, 28, 36 };
	unsigned k;

	(void)state;
	for (k = 1; k <= 5; k++)
		assert_int_equal(ht_mda_stop(k, 99), expected[k - 1]);
}

/* Beyond the exact sum (16 next hops) the union bound: still rising, and
 * never fewer flows than next hops. */
static void test_stop_many(void **state)
{
	unsigned k, prev = 0;

	(void)state;
	for (k = 1; k <= 64; k++) {
		unsigned n = ht_mda_stop(k, 95);

		assert_true(n > prev);
		assert_true(n > k);
		prev = n;
	}
}

static void test_flows_needed(void **state)
{
	/* One responder, 6 of 6 flows answered: enough. */
	struct ht_mda_hop one[] = { { 6, 1 } };
	/* Two responders seen with 6 answers: 11 wanted, 5 more. */
	struct ht_mda_hop two[] = { { 6, 1 }, { 6, 2 } };
	/* A hop that lost 2 of 6: 2 more flows for it. */
	struct ht_mda_hop lossy[] = { { 4, 1 }, { 6, 1 } };
	/* A silent hop asks for nothing. */
	struct ht_mda_hop silent[] = { { 0, 0 }, { 6, 1 } };

	(void)state;
	assert_int_equal(ht_mda_flows_needed(one, 1, 6, 64, 95), 6);
	assert_int_equal(ht_mda_flows_needed(two, 2, 6, 64, 95), 11);
	assert_int_equal(ht_mda_flows_needed(two, 2, 6, 8, 95), 8);
	assert_int_equal(ht_mda_flows_needed(lossy, 2, 6, 64, 95), 8);
	assert_int_equal(ht_mda_flows_needed(silent, 2, 6, 64, 95), 6);
	/* At 99%, one responder wants 8. */
	assert_int_equal(ht_mda_flows_needed(one, 1, 6, 64, 99), 8);
}

/* ---- a trace with --mda ---------------------------------------------------- */

struct seen {
	unsigned hop_probes[8];		/* per ttl: the hop event's probes */
	unsigned hop_responders[8];
	unsigned probes;		/* PROBE events */
	int start_mda;
	unsigned end_flows;
	int end_capped;
	int ended;
	int reached;
};

static void record(void *arg, const struct ht_event *ev)
{
	struct seen *s = arg;

	switch (ev->kind) {
	case HT_EV_TRACE_START:
		s->start_mda = ev->u.trace_start.mda;
		break;
	case HT_EV_PROBE:
		s->probes++;
		break;
	case HT_EV_HOP:
		assert_true(ev->u.hop.ttl < 8);
		s->hop_probes[ev->u.hop.ttl] = ev->u.hop.probe_count;
		s->hop_responders[ev->u.hop.ttl] = ev->u.hop.responder_count;
		break;
	case HT_EV_TRACE_END:
		s->ended = 1;
		s->reached = ev->u.trace_end.reached;
		s->end_flows = ev->u.trace_end.mda_flows;
		s->end_capped = ev->u.trace_end.mda_capped;
		break;
	default:
		break;
	}
}

/*
 * The invented network, three hops: 192.0.2.1; then WAYS routers
 * (198.51.100.1 + flow % WAYS), except that a flow in LOSE_BELOW at hop
 * LOSE_TTL gets no answer there; the target 192.0.2.130 at hop 3.
 */
struct net {
	unsigned ways;
	int lose_ttl;
	unsigned lose_below;
};

static struct hp_result answer(const struct net *n, int ttl, unsigned flow)
{
	struct hp_result r;
	char addr[32];

	memset(&r, 0, sizeof(r));
	r.rtt_us = 100 * ttl;
	if (ttl == n->lose_ttl && flow < n->lose_below) {
		r.kind = HP_NO_REPLY;
		r.rtt_us = -1;
		return r;
	}
	if (ttl == 1) {
		snprintf(addr, sizeof(addr), "192.0.2.1");
		r.kind = HP_TTL_EXPIRED;
	} else if (ttl == 2) {
		snprintf(addr, sizeof(addr), "198.51.100.%u",
			 1 + flow % n->ways);
		r.kind = HP_TTL_EXPIRED;
	} else {
		snprintf(addr, sizeof(addr), "192.0.2.130");
		r.kind = HP_REPLY;
	}
	assert_int_equal(hp_addr_parse(addr, &r.responder), 0);
	return r;
}

/* Run a trace of up to CAP flows through NET to the end; rounds of
 * "send all that is due, answer all of it", at most 100. */
static void run_mda(const struct net *net, int cap, int confidence,
		    struct seen *s)
{
	struct ht_trace_params p;
	struct ht_trace_hooks hooks = { record, NULL, s };
	struct ht_trace *t;
	int round;

	memset(&p, 0, sizeof(p));
	memset(s, 0, sizeof(*s));
	p.target = "192.0.2.130";
	assert_int_equal(hp_addr_parse("192.0.2.130", &p.address), 0);
	p.protocol = HP_ICMP;
	p.first_ttl = 1;
	p.max_ttl = 5;
	p.queries = cap;		/* one probe per flow */
	p.count = 1;
	p.interval_us = 1000000;
	p.wait_ms = 1000;
	p.flow = 1000;
	p.flows = cap;
	p.mda = confidence;
	t = ht_trace_new(&p, &hooks);
	assert_non_null(t);
	ht_trace_start(t, 0);
	for (round = 0; round < 100 && !ht_trace_ended(t); round++) {
		struct ht_trace_send out[64 * 5];
		struct ht_trace_send one;
		unsigned n = 0, i;

		while (n < 64 * 5 && ht_trace_next(t, round * 10, &one)) {
			ht_trace_sent(t, one.slot, round * 10);
			out[n++] = one;
		}
		/* Nothing to send while probes are out would be a hang. */
		assert_true(n > 0 || ht_trace_ended(t));
		for (i = 0; i < n; i++) {
			unsigned flow = (unsigned)ht_trace_slot_flow(t,
								out[i].slot);
			struct hp_result r = answer(net, out[i].ttl, flow);

			ht_trace_result(t, out[i].slot, &r, round * 10 + 5);
		}
	}
	assert_true(ht_trace_ended(t));
	assert_int_equal(ht_trace_next_due(t), -1);
	ht_trace_free(t);
}

/* No balancer: the first 6 flows see one responder at every hop. */
static void test_trace_no_balancer(void **state)
{
	struct net net = { 1, 0, 0 };
	struct seen s;

	(void)state;
	run_mda(&net, 64, 95, &s);
	assert_int_equal(s.start_mda, 95);
	assert_true(s.reached);
	assert_int_equal(s.end_flows, 6);
	assert_int_equal(s.end_capped, 0);
	assert_int_equal(s.probes, 18);
	assert_int_equal(s.hop_probes[1], 6);
	assert_int_equal(s.hop_probes[2], 6);
	assert_int_equal(s.hop_responders[2], 1);
}

/*
 * Two ways at hop 2: 6 flows show both, n_2 = 11 wants 5 more; 11 show
 * both still, and 11 >= n_2: 11 flows, 33 probes.
 */
static void test_trace_two_ways(void **state)
{
	struct net net = { 2, 0, 0 };
	struct seen s;

	(void)state;
	run_mda(&net, 64, 95, &s);
	assert_int_equal(s.end_flows, 11);
	assert_int_equal(s.probes, 33);
	assert_int_equal(s.hop_probes[2], 11);
	assert_int_equal(s.hop_responders[2], 2);
	assert_int_equal(s.hop_probes[3], 11);
}

/*
 * Four ways: 6 flows show all four (flows 0-3), n_4 = 21 wants 15 more;
 * 21 flows still show four: 21 flows.  At 99%, n_4 = 28.
 */
static void test_trace_four_ways(void **state)
{
	struct net net = { 4, 0, 0 };
	struct seen s;

	(void)state;
	run_mda(&net, 64, 95, &s);
	assert_int_equal(s.end_flows, 21);
	assert_int_equal(s.hop_responders[2], 4);
	assert_int_equal(s.hop_probes[2], 21);
	run_mda(&net, 64, 99, &s);
	assert_int_equal(s.start_mda, 99);
	assert_int_equal(s.end_flows, 28);
	assert_int_equal(s.hop_responders[2], 4);
}

/*
 * Five ways at hop 2 show five after 6 flows: n_5 = 27.  With a cap of 16
 * the rule still wants more when the cap stops it: said in the end.
 */
static void test_trace_capped(void **state)
{
	struct net net = { 5, 0, 0 };
	struct seen s;

	(void)state;
	run_mda(&net, 16, 95, &s);
	assert_int_equal(s.end_flows, 16);
	assert_int_equal(s.end_capped, 1);
	assert_int_equal(s.hop_probes[2], 16);
	assert_int_equal(s.hop_responders[2], 5);
	assert_true(s.reached);
}

/*
 * Hop 1 drops flows 0 and 1: 4 of 6 answered, 2 more flows; then 6 of 8:
 * 8 flows.  The hop's two lost probes are in its event.
 */
static void test_trace_loss_wants_more(void **state)
{
	struct net net = { 1, 1, 2 };
	struct seen s;

	(void)state;
	run_mda(&net, 64, 95, &s);
	assert_int_equal(s.end_flows, 8);
	assert_int_equal(s.hop_probes[1], 8);
	assert_int_equal(s.hop_responders[1], 1);
}

/* A silent hop asks for nothing: hop 1 loses all 64 flows' probes. */
static void test_trace_silent_hop(void **state)
{
	struct net net = { 1, 1, 64 };
	struct seen s;

	(void)state;
	run_mda(&net, 64, 95, &s);
	assert_int_equal(s.end_flows, 6);
	assert_int_equal(s.hop_probes[1], 6);
	assert_int_equal(s.hop_responders[1], 0);
	assert_true(s.reached);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stop_95),
		cmocka_unit_test(test_stop_99),
		cmocka_unit_test(test_stop_many),
		cmocka_unit_test(test_flows_needed),
		cmocka_unit_test(test_trace_no_balancer),
		cmocka_unit_test(test_trace_two_ways),
		cmocka_unit_test(test_trace_four_ways),
		cmocka_unit_test(test_trace_capped),
		cmocka_unit_test(test_trace_loss_wants_more),
		cmocka_unit_test(test_trace_silent_hop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

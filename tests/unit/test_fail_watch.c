/*
 * test_fail_watch.c: --fail-on over an event stream (src/fail_watch.c),
 * as the live run and --replay feed it.
 *
 * Events are written out by hand; every expected line follows
 * fail_watch.h's form "hoptrace: TARGET: --fail-on 'EXPR' holds: WHY"
 * with EXPR in fail_on.h's normal form and WHY worked out by hand from
 * the probes (fail_on.h: "dest loss 33.3% > 2% at hop 3").
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

#include "fail_watch.h"

#define LOST (-1)

static struct hp_addr v4(const char *s)
{
	struct hp_addr a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, s, &a.u.v4), 1);
	return a;
}

static void start(struct ht_fail_watch *w, unsigned trace, const char *target,
		  struct ht_outbuf *msgs)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_START;
	ev.u.trace_start.trace = trace;
	ev.u.trace_start.target = target;
	ev.u.trace_start.flow = -1;
	ev.u.trace_start.flows = 1;
	assert_int_equal(ht_fail_watch_event(w, &ev, msgs), 0);
}

/* A hop of N probes from ADDR with these times (us, or LOST). */
static void hop(struct ht_fail_watch *w, unsigned trace, int ttl,
		const char *addr, const int64_t *rtt, unsigned n,
		struct ht_outbuf *msgs)
{
	struct ht_probe p[8];
	struct ht_responder r;
	struct ht_event ev;
	unsigned i, answers = 0;

	memset(p, 0, sizeof(p));
	for (i = 0; i < n; i++) {
		p[i].trace = trace;
		p[i].ttl = ttl;
		p[i].query = i;
		p[i].flow = -1;
		p[i].result.kind = rtt[i] == LOST ? HP_NO_REPLY :
				   HP_TTL_EXPIRED;
		p[i].result.rtt_us = rtt[i] == LOST ? -1 : rtt[i];
		if (rtt[i] != LOST) {
			p[i].result.responder = v4(addr);
			answers++;
		}
	}
	memset(&r, 0, sizeof(r));
	r.address = v4(addr);
	r.answers = answers;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_HOP;
	ev.u.hop.trace = trace;
	ev.u.hop.ttl = ttl;
	ev.u.hop.probe_count = n;
	ev.u.hop.probes = p;
	ev.u.hop.responder_count = answers ? 1 : 0;
	ev.u.hop.responders = &r;
	assert_int_equal(ht_fail_watch_event(w, &ev, msgs), 0);
}

static int end(struct ht_fail_watch *w, unsigned trace, int reached,
	       int distance, struct ht_outbuf *msgs)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_END;
	ev.u.trace_end.trace = trace;
	ev.u.trace_end.reached = reached;
	ev.u.trace_end.reason = reached ? HT_REASON_REACHED :
			       HT_REASON_NO_ANSWER;
	ev.u.trace_end.distance = distance;
	return ht_fail_watch_event(w, &ev, msgs);
}

static void parse(const char *text, struct ht_fail_expr *e)
{
	char err[200];

	if (ht_fail_parse(text, e, err, sizeof(err)) < 0)
		fail_msg("'%s': %s", text, err);
}

static void assert_msgs(struct ht_outbuf *msgs, const char *want)
{
	ht_outbuf_puts(msgs, "");
	if (msgs->len != strlen(want) ||
	    memcmp(msgs->data ? msgs->data : "", want, msgs->len) != 0)
		fail_msg("got:\n%.*s\nwant:\n%s", (int)msgs->len,
			 msgs->data ? msgs->data : "", want);
	ht_outbuf_reset(msgs);
}

/* Hop 1 at 1, 3, 2 ms; hop 2 lost; hop 3 the target: 10 ms, lost, 12 ms
 * (loss 1/3 = 33.3%, rtt 11 ms). */
static const int64_t h1[] = { 1000, 3000, 2000 };
static const int64_t h2[] = { LOST, LOST, LOST };
static const int64_t h3[] = { 10000, LOST, 12000 };

static void test_one_trace(void **state)
{
	struct ht_fail_expr e[3];
	struct ht_fail_watch *w;
	struct ht_outbuf msgs;

	(void)state;
	parse("dest.loss>2%", &e[0]);
	parse("dest.rtt<10ms", &e[1]);	/* 11 ms: does not hold */
	parse("hop[2].loss>=100%", &e[2]);
	w = ht_fail_watch_new(e, 3);
	assert_non_null(w);
	ht_outbuf_init(&msgs);
	start(w, 0, "192.0.2.130", &msgs);
	hop(w, 0, 1, "192.0.2.1", h1, 3, &msgs);
	hop(w, 0, 2, "192.0.2.66", h2, 3, &msgs);
	hop(w, 0, 3, "192.0.2.130", h3, 3, &msgs);
	assert_int_equal(ht_fail_watch_failed(w), 0);
	assert_int_equal(end(w, 0, 1, 3, &msgs), 2);
	assert_msgs(&msgs,
		    "hoptrace: 192.0.2.130: --fail-on 'dest.loss > 2%' holds: "
		    "dest loss 33.3% > 2% at hop 3\n"
		    "hoptrace: 192.0.2.130: --fail-on 'hop[2].loss >= 100%' "
		    "holds: hop[2] loss 100.0% >= 100%\n");
	assert_int_equal(ht_fail_watch_failed(w), 1);
	ht_fail_watch_free(w);
	ht_outbuf_free(&msgs);
}

/* Two traces whose hops come interleaved, the second ending first: each
 * is judged on its own hops, under its own target. */
static void test_interleaved(void **state)
{
	static const int64_t fast[] = { 500, 600, 700 };
	struct ht_fail_expr e;
	struct ht_fail_watch *w;
	struct ht_outbuf msgs;

	(void)state;
	parse("hop.rtt>5ms", &e);
	w = ht_fail_watch_new(&e, 1);
	assert_non_null(w);
	ht_outbuf_init(&msgs);
	start(w, 0, "target.example", &msgs);
	start(w, 1, "2001:db8::1", &msgs);
	hop(w, 0, 1, "192.0.2.1", fast, 3, &msgs);
	hop(w, 1, 1, "192.0.2.1", h3, 3, &msgs);	/* 11 ms */
	hop(w, 0, 2, "192.0.2.130", fast, 3, &msgs);
	assert_int_equal(end(w, 1, 0, 0, &msgs), 1);
	assert_msgs(&msgs, "hoptrace: 2001:db8::1: --fail-on 'hop.rtt > 5ms' "
		    "holds: hop rtt 11.000ms > 5ms at hop 1\n");
	assert_int_equal(end(w, 0, 1, 2, &msgs), 0);
	assert_msgs(&msgs, "");
	ht_fail_watch_free(w);
	ht_outbuf_free(&msgs);
}

/* unreached; a trace whose start was never seen is named by its index;
 * after its end a trace keeps nothing (a new start begins afresh). */
static void test_unreached_and_reuse(void **state)
{
	struct ht_fail_expr e[2];
	struct ht_fail_watch *w;
	struct ht_outbuf msgs;

	(void)state;
	parse("unreached", &e[0]);
	parse("hop[1].loss>50%", &e[1]);
	w = ht_fail_watch_new(e, 2);
	assert_non_null(w);
	ht_outbuf_init(&msgs);
	hop(w, 7, 1, "192.0.2.1", h2, 3, &msgs);
	assert_int_equal(end(w, 7, 0, 0, &msgs), 2);
	assert_msgs(&msgs,
		    "hoptrace: trace 7: --fail-on 'unreached' holds: target "
		    "not reached\n"
		    "hoptrace: trace 7: --fail-on 'hop[1].loss > 50%' holds: "
		    "hop[1] loss 100.0% > 50%\n");
	/* The lost hop 1 is gone with its trace. */
	start(w, 7, "192.0.2.7", &msgs);
	hop(w, 7, 1, "192.0.2.1", h1, 3, &msgs);
	assert_int_equal(end(w, 7, 1, 1, &msgs), 0);
	assert_msgs(&msgs, "");
	assert_int_equal(ht_fail_watch_failed(w), 1);
	ht_fail_watch_free(w);
	ht_outbuf_free(&msgs);
}

/* No condition: nothing kept, nothing said; an index beyond any run is
 * out of memory, said, and fails. */
static void test_none_and_wild(void **state)
{
	struct ht_fail_expr e;
	struct ht_fail_watch *w = ht_fail_watch_new(NULL, 0);
	struct ht_outbuf msgs;
	struct ht_event ev;

	(void)state;
	ht_outbuf_init(&msgs);
	assert_non_null(w);
	assert_int_equal(end(w, 0, 0, 0, &msgs), 0);
	assert_msgs(&msgs, "");
	assert_int_equal(ht_fail_watch_failed(w), 0);
	ht_fail_watch_free(w);

	parse("unreached", &e);
	w = ht_fail_watch_new(&e, 1);
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_START;
	ev.u.trace_start.trace = 4000000000u;
	ev.u.trace_start.target = "192.0.2.9";
	assert_int_equal(ht_fail_watch_event(w, &ev, &msgs), -1);
	assert_msgs(&msgs, "hoptrace: out of memory for --fail-on\n");
	assert_int_equal(ht_fail_watch_failed(w), 1);
	ht_fail_watch_free(w);
	ht_fail_watch_free(NULL);
	ht_outbuf_free(&msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_trace),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_unreached_and_reuse),
		cmocka_unit_test(test_none_and_wild),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

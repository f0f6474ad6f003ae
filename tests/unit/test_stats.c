/*
 * test_stats.c: per-hop statistics (src/stats.c).
 *
 * Each case is a hop's probes written out by hand and the statistics
 * worked out by hand from the definitions in stats.h: received counts the
 * probes some responder answered with a reply, time-exceeded or
 * unreachable; the times are over those that carry one; `last` is the
 * newest of them by (cycle, query); the deviation is the population one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>

#include "stats.h"

#define A "192.0.2.1"
#define B "198.51.100.7"
#define V6 "2001:db8::1"

/* One probe of a case: who answered (NULL: nobody), how, and when. */
struct pdef {
	unsigned cycle, query;
	enum hp_kind kind;
	const char *responder;
	int64_t rtt_us;
};

struct stats_case {
	const char *name;
	const char *filter;		/* responder to count; NULL all */
	unsigned n;
	struct pdef p[8];
	unsigned sent, received, rtt_count;
	double loss_pct;
	int64_t last_us, best_us, worst_us;
	double avg_us, stdev_us;
};

static const struct stats_case cases[] = {
	{ "no probes", NULL, 0, { { 0 } },
	  0, 0, 0, 0.0, -1, -1, -1, 0.0, 0.0 },
	{ "three answers", NULL, 3, {
		{ 0, 0, HP_TTL_EXPIRED, A, 100 },
		{ 0, 1, HP_TTL_EXPIRED, A, 200 },
		{ 0, 2, HP_TTL_EXPIRED, A, 300 } },
	  /* mean 200, deviations -100 0 100: sqrt(20000 / 3) */
	  3, 3, 3, 0.0, 300, 100, 300, 200.0, 81.64965809277261 },
	{ "one lost between two routers", NULL, 3, {
		{ 0, 0, HP_TTL_EXPIRED, A, 100 },
		{ 0, 1, HP_NO_REPLY, NULL, -1 },
		{ 0, 2, HP_TTL_EXPIRED, B, 300 } },
	  3, 2, 2, 100.0 / 3.0, 300, 100, 300, 200.0, 100.0 },
	{ "last is the highest cycle, not the last given", NULL, 3, {
		{ 1, 0, HP_REPLY, A, 50 },
		{ 0, 2, HP_REPLY, A, 70 },
		{ 0, 1, HP_REPLY, A, 90 } },
	  /* mean 70, deviations -20 0 20: sqrt(800 / 3) */
	  3, 3, 3, 0.0, 50, 50, 90, 70.0, 16.32993161855452 },
	{ "last within a cycle is the highest query", NULL, 2, {
		{ 2, 1, HP_REPLY, A, 400 },
		{ 2, 0, HP_REPLY, A, 100 } },
	  2, 2, 2, 0.0, 400, 100, 400, 250.0, 150.0 },
	{ "filtered to one responder", A, 3, {
		{ 0, 0, HP_TTL_EXPIRED, A, 100 },
		{ 0, 1, HP_TTL_EXPIRED, B, 300 },
		{ 0, 2, HP_TTL_EXPIRED, A, 200 } },
	  3, 2, 2, 100.0 / 3.0, 200, 100, 200, 150.0, 50.0 },
	{ "filtered to a responder that never answered", V6, 2, {
		{ 0, 0, HP_TTL_EXPIRED, A, 100 },
		{ 0, 1, HP_TTL_EXPIRED, B, 300 } },
	  2, 0, 0, 100.0, -1, -1, -1, 0.0, 0.0 },
	{ "unreachables count, send errors do not", NULL, 6, {
		{ 0, 0, HP_NO_ROUTE_HOST, A, 400 },
		{ 0, 1, HP_NO_ROUTE_NETWORK, A, 600 },
		{ 0, 2, HP_NO_ROUTE, A, 500 },
		{ 1, 0, HP_NETWORK_DOWN, NULL, -1 },
		{ 1, 1, HP_HOST_DOWN, A, 700 },
		{ 1, 2, HP_PERMISSION_DENIED, NULL, -1 } },
	  /* mean 500, deviations -100 100 0 */
	  6, 3, 3, 50.0, 500, 400, 600, 500.0, 81.64965809277261 },
	{ "local errors and a dead worker are losses", NULL, 4, {
		{ 0, 0, HP_WORKER_FAILED, NULL, -1 },
		{ 0, 1, HP_UNEXPECTED_ERROR, NULL, -1 },
		{ 0, 2, HP_ADDRESS_IN_USE, NULL, -1 },
		{ 0, 3, HP_INVALID_ARGUMENT, NULL, -1 } },
	  4, 0, 0, 100.0, -1, -1, -1, 0.0, 0.0 },
	{ "an answer without a responder is not received", NULL, 2, {
		{ 0, 0, HP_TTL_EXPIRED, NULL, 100 },
		{ 0, 1, HP_REPLY, A, 300 } },
	  2, 1, 1, 50.0, 300, 300, 300, 300.0, 0.0 },
	{ "received without a time", NULL, 3, {
		{ 0, 0, HP_REPLY, A, -1 },
		{ 0, 1, HP_NO_REPLY, NULL, -1 },
		{ 0, 2, HP_REPLY, A, -1 } },
	  3, 2, 0, 100.0 / 3.0, -1, -1, -1, 0.0, 0.0 },
	{ "the newest answer has no time: last is the newest timed", NULL, 2, {
		{ 0, 0, HP_REPLY, A, 120 },
		{ 0, 1, HP_REPLY, A, -1 } },
	  2, 2, 1, 0.0, 120, 120, 120, 120.0, 0.0 },
	{ "all silent", NULL, 3, {
		{ 0, 0, HP_NO_REPLY, NULL, -1 },
		{ 0, 1, HP_NO_REPLY, NULL, -1 },
		{ 0, 2, HP_NO_REPLY, NULL, -1 } },
	  3, 0, 0, 100.0, -1, -1, -1, 0.0, 0.0 },
	{ "equal times deviate by exactly zero", NULL, 3, {
		{ 0, 0, HP_REPLY, V6, 250 },
		{ 0, 1, HP_REPLY, V6, 250 },
		{ 0, 2, HP_REPLY, V6, 250 } },
	  3, 3, 3, 0.0, 250, 250, 250, 250.0, 0.0 },
	{ "a zero time is a time", NULL, 2, {
		{ 0, 0, HP_REPLY, A, 0 },
		{ 0, 1, HP_REPLY, A, 10 } },
	  2, 2, 2, 0.0, 10, 0, 10, 5.0, 5.0 },
};

static void parse_addr(const char *text, struct hp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!text)
		return;
	if (inet_pton(AF_INET, text, &a->u.v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, text, &a->u.v6) == 1)
		a->family = AF_INET6;
	else
		fail_msg("bad address in the test: %s", text);
}

static void near(double got, double want, const char *what,
		 const char *name)
{
	if (fabs(got - want) > 1e-9 * (fabs(want) + 1.0))
		fail_msg("%s: %s is %.12g, expected %.12g", name, what, got,
			 want);
}

static void test_cases(void **state)
{
	size_t c;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct stats_case *k = &cases[c];
		struct ht_probe probes[8];
		struct hp_addr filter;
		struct ht_hop_stats st;
		unsigned i;

		memset(probes, 0, sizeof(probes));
		for (i = 0; i < k->n; i++) {
			probes[i].ttl = 4;
			probes[i].cycle = k->p[i].cycle;
			probes[i].query = k->p[i].query;
			probes[i].result.kind = k->p[i].kind;
			probes[i].result.rtt_us = k->p[i].rtt_us;
			parse_addr(k->p[i].responder,
				   &probes[i].result.responder);
		}
		parse_addr(k->filter, &filter);
		/* Garbage in, so that every field must be written. */
		memset(&st, 0x5a, sizeof(st));
		ht_hop_stats_compute(probes, k->n, k->filter ? &filter : NULL,
				     &st);
		if (st.sent != k->sent || st.received != k->received ||
		    st.rtt_count != k->rtt_count)
			fail_msg("%s: sent/received/rtt_count %u/%u/%u, "
				 "expected %u/%u/%u", k->name, st.sent,
				 st.received, st.rtt_count, k->sent,
				 k->received, k->rtt_count);
		if (st.last_us != k->last_us || st.best_us != k->best_us ||
		    st.worst_us != k->worst_us)
			fail_msg("%s: last/best/worst %lld/%lld/%lld, "
				 "expected %lld/%lld/%lld", k->name,
				 (long long)st.last_us, (long long)st.best_us,
				 (long long)st.worst_us,
				 (long long)k->last_us, (long long)k->best_us,
				 (long long)k->worst_us);
		near(st.loss_pct, k->loss_pct, "loss_pct", k->name);
		near(st.avg_us, k->avg_us, "avg_us", k->name);
		near(st.stdev_us, k->stdev_us, "stdev_us", k->name);
	}
}

/* The probes are only read. */
static void test_input_untouched(void **state)
{
	struct ht_probe probes[2], copy[2];
	struct ht_hop_stats st;

	(void)state;
	memset(probes, 0, sizeof(probes));
	probes[0].result.kind = HP_REPLY;
	probes[0].result.rtt_us = 5;
	parse_addr(A, &probes[0].result.responder);
	probes[1].result.kind = HP_NO_REPLY;
	probes[1].result.rtt_us = -1;
	memcpy(copy, probes, sizeof(copy));
	ht_hop_stats_compute(probes, 2, NULL, &st);
	assert_memory_equal(probes, copy, sizeof(copy));
	assert_int_equal(st.received, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_input_untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

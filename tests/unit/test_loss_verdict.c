/*
 * Unit tests for whether a hop's loss carries on (src/loss_verdict.c).
 * The margins below were worked out by hand from the rule in
 * loss_verdict.h (pooled two-proportion standard error, four of them;
 * then the destination's loss against half the hop's):
 *   30/100 against 0/100: p 0.15, se 0.0505, 5.9 se: own;
 *   15/50 against 0/50:   p 0.15, se 0.0714, 4.2 se: own;
 *   12/40 against 0/40:   p 0.15, se 0.0798, 3.76 se, none lost: unsure;
 *   10/100 against 1/100: p 0.055, se 0.0322, 2.79 se, 1% below half of
 *                         10%: unsure;
 *   10/100 against 5/100: 1.34 se, exactly half: carries;
 *   10/10 against 0/10:   p 0.5, se 0.2236, 4.47 se: own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "loss_verdict.h"

#define MAXP 400
#define MAXH 6

static void test_judge(void **state)
{
	(void)state;
	assert_int_equal(ht_loss_judge(100, 30, 100, 28), HT_LOSS_CARRIES);
	assert_int_equal(ht_loss_judge(100, 30, 100, 40), HT_LOSS_CARRIES);
	assert_int_equal(ht_loss_judge(100, 30, 100, 0), HT_LOSS_OWN);
	assert_int_equal(ht_loss_judge(50, 15, 50, 0), HT_LOSS_OWN);
	assert_int_equal(ht_loss_judge(40, 12, 40, 0), HT_LOSS_UNSURE);
	assert_int_equal(ht_loss_judge(20, 6, 20, 0), HT_LOSS_UNSURE);
	assert_int_equal(ht_loss_judge(10, 1, 10, 0), HT_LOSS_UNSURE);
	assert_int_equal(ht_loss_judge(100, 10, 100, 1), HT_LOSS_UNSURE);
	assert_int_equal(ht_loss_judge(100, 10, 100, 5), HT_LOSS_CARRIES);
	assert_int_equal(ht_loss_judge(100, 10, 100, 4), HT_LOSS_UNSURE);
	/* Counted in integers: 1 of 3 against 1 of 6 is exactly half. */
	assert_int_equal(ht_loss_judge(3, 1, 6, 1), HT_LOSS_CARRIES);
	/* Every probe lost at the hop, none at the destination. */
	assert_int_equal(ht_loss_judge(10, 10, 10, 0), HT_LOSS_OWN);
	assert_string_equal(ht_loss_kind_name(HT_LOSS_CARRIES), "carries");
	assert_string_equal(ht_loss_kind_name(HT_LOSS_OWN), "own");
	assert_string_equal(ht_loss_kind_name(HT_LOSS_UNSURE), "unsure");
}

/* A trace of up to MAXH hops, each probed by FLOWS flows x PER probes. */
struct lab {
	struct ht_probe probes[MAXH][MAXP];
	struct ht_hop hops[MAXH];
	const struct ht_hop *list[MAXH];
	unsigned n;
};

/*
 * Hop TTL: FLOWS flows (-1: none, one "flow"), PER probes each; flow f
 * answered by ADDR[f % naddr]; the first LOST[f % naddr] probes of each
 * flow of every PER lost.
 */
static void hop(struct lab *l, int ttl, int flows, unsigned per,
		const char *const *addr, const unsigned *lost, unsigned naddr)
{
	struct ht_hop *h = &l->hops[l->n];
	unsigned f, q, i = 0, nf = flows < 0 ? 1 : (unsigned)flows;

	assert_true(l->n < MAXH && nf * per <= MAXP);
	for (f = 0; f < nf; f++) {
		for (q = 0; q < per; q++, i++) {
			struct ht_probe *p = &l->probes[l->n][i];
			unsigned a = f % naddr;

			memset(p, 0, sizeof(*p));
			p->ttl = ttl;
			p->query = q;
			p->cycle = f;
			p->flow = flows < 0 ? -1 : (int)(1000 + f);
			if (q < lost[a]) {
				p->result.kind = HP_NO_REPLY;
				p->result.rtt_us = -1;
				continue;
			}
			p->result.kind = HP_TTL_EXPIRED;
			p->result.rtt_us = 100 * ttl;
			assert_int_equal(hp_addr_parse(addr[a],
						       &p->result.responder), 0);
		}
	}
	memset(h, 0, sizeof(*h));
	h->ttl = ttl;
	h->probe_count = i;
	h->probes = l->probes[l->n];
	l->list[l->n] = h;
	l->n++;
}

static const char *const one_r1[] = { "192.0.2.1" };
static const char *const one_r2[] = { "192.0.2.2" };
static const char *const one_r3[] = { "192.0.2.3" };
static const char *const dest[] = { "192.0.2.130" };
static const char *const dest2[] = { "192.0.2.130", "192.0.2.130" };
static const char *const two[] = { "198.51.100.66", "198.51.100.130" };
static const unsigned none[] = { 0, 0 };

/* Hop 2 lost 30 of 100 and so did the destination: carries on, and hop
 * 3's equal loss is its continuation, not a second verdict. */
static void test_carries_once(void **state)
{
	static struct lab l;
	static const unsigned thirty[] = { 30 };
	static const unsigned twentyeight[] = { 28 };
	struct ht_loss_verdicts lv;

	(void)state;
	memset(&l, 0, sizeof(l));
	hop(&l, 1, -1, 100, one_r1, none, 1);
	hop(&l, 2, -1, 100, one_r2, thirty, 1);
	hop(&l, 3, -1, 100, one_r3, twentyeight, 1);
	hop(&l, 4, -1, 100, dest, thirty, 1);
	ht_loss_verdicts_compute(l.list, l.n, 4, 0, &lv);
	assert_int_equal(lv.count, 1);
	assert_int_equal(lv.left_out, 0);
	assert_int_equal(lv.v[0].ttl, 2);
	assert_int_equal(lv.v[0].path.family, 0);
	assert_int_equal(lv.v[0].who.family, AF_INET);
	assert_int_equal(lv.v[0].kind, HT_LOSS_CARRIES);
	assert_int_equal(lv.v[0].sent, 100);
	assert_int_equal(lv.v[0].lost, 30);
	assert_int_equal(lv.v[0].evidence_ttl, 4);
	assert_true(lv.v[0].evidence_is_dest);
	assert_int_equal(lv.v[0].evidence_sent, 100);
	assert_int_equal(lv.v[0].evidence_lost, 30);
}

/* Hop 2 drops its own answers (30 of 100), hop 3 passes everything, the
 * destination loses 30 of 100 from hop 3 on: two verdicts. */
static void test_own_then_carries(void **state)
{
	static struct lab l;
	static const unsigned thirty[] = { 30 };
	struct ht_loss_verdicts lv;

	(void)state;
	memset(&l, 0, sizeof(l));
	hop(&l, 1, -1, 100, one_r1, none, 1);
	hop(&l, 2, -1, 100, one_r2, thirty, 1);
	hop(&l, 3, -1, 100, one_r3, none, 1);
	hop(&l, 4, -1, 100, dest, none, 1);
	ht_loss_verdicts_compute(l.list, l.n, 4, 0, &lv);
	assert_int_equal(lv.count, 1);
	assert_int_equal(lv.v[0].ttl, 2);
	assert_int_equal(lv.v[0].kind, HT_LOSS_OWN);
	assert_int_equal(lv.v[0].evidence_lost, 0);

	/* Loss that starts at hop 3 and carries, after hop 2's own. */
	memset(&l, 0, sizeof(l));
	hop(&l, 1, -1, 100, one_r1, none, 1);
	hop(&l, 2, -1, 100, one_r2, thirty, 1);
	hop(&l, 3, -1, 100, one_r3, thirty, 1);
	hop(&l, 4, -1, 100, dest, thirty, 1);
	ht_loss_verdicts_compute(l.list, l.n, 4, 0, &lv);
	/* Hop 2 now carries on too (30 against 30): one verdict. */
	assert_int_equal(lv.count, 1);
	assert_int_equal(lv.v[0].kind, HT_LOSS_CARRIES);
}

/* A hop that lost more than the loss carried from before it: a second
 * start of loss. */
static void test_second_start(void **state)
{
	static struct lab l;
	static const unsigned ten[] = { 10 };
	static const unsigned fifty[] = { 50 };
	struct ht_loss_verdicts lv;

	(void)state;
	memset(&l, 0, sizeof(l));
	hop(&l, 1, -1, 100, one_r1, ten, 1);
	hop(&l, 2, -1, 100, one_r2, fifty, 1);
	hop(&l, 3, -1, 100, dest, fifty, 1);
	ht_loss_verdicts_compute(l.list, l.n, 3, 0, &lv);
	assert_int_equal(lv.count, 2);
	assert_int_equal(lv.v[0].ttl, 1);
	assert_int_equal(lv.v[0].kind, HT_LOSS_CARRIES);
	assert_int_equal(lv.v[1].ttl, 2);
	assert_int_equal(lv.v[1].kind, HT_LOSS_CARRIES);
}

/* --flows: at hop 2, flows via .66 lose 6 of 10 each and so do those
 * flows at the destination; flows via .130 lose 6 of 10 at hop 2 only.
 * Each path is judged on its own flows. */
static void test_paths(void **state)
{
	static struct lab l;
	static const unsigned six_six[] = { 6, 6 };
	static const unsigned six_none[] = { 6, 0 };
	struct ht_loss_verdicts lv;
	struct hp_addr a, b;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(hp_addr_parse(two[0], &a), 0);
	assert_int_equal(hp_addr_parse(two[1], &b), 0);
	hop(&l, 1, 8, 10, one_r1, none, 1);
	hop(&l, 2, 8, 10, two, six_six, 2);
	hop(&l, 3, 8, 10, dest2, six_none, 2);
	ht_loss_verdicts_compute(l.list, l.n, 3, 1, &lv);
	assert_int_equal(lv.count, 2);
	assert_true(hp_addr_equal(&lv.v[0].path, &a));
	assert_int_equal(lv.v[0].kind, HT_LOSS_CARRIES);
	assert_int_equal(lv.v[0].sent, 40);
	assert_int_equal(lv.v[0].lost, 24);
	assert_int_equal(lv.v[0].evidence_sent, 40);
	assert_int_equal(lv.v[0].evidence_lost, 24);
	assert_true(hp_addr_equal(&lv.v[1].path, &b));
	assert_int_equal(lv.v[1].kind, HT_LOSS_OWN);
	assert_int_equal(lv.v[1].sent, 40);
	assert_int_equal(lv.v[1].lost, 24);
	assert_int_equal(lv.v[1].evidence_sent, 40);
	assert_int_equal(lv.v[1].evidence_lost, 0);

	/* The same hops judged as whole hops: 48 of 80 against 24 of 80,
	 * p 0.45, se 0.0787, 3.8 se below, and exactly half: carries. */
	ht_loss_verdicts_compute(l.list, l.n, 3, 0, &lv);
	assert_int_equal(lv.count, 1);
	assert_int_equal(lv.v[0].path.family, 0);
	assert_int_equal(lv.v[0].kind, HT_LOSS_CARRIES);
	assert_int_equal(lv.v[0].lost, 48);
	assert_int_equal(lv.v[0].evidence_lost, 24);
}

/* Not reached: the deepest hop that answered stands in; a silent hop
 * and a hop without loss get no verdict; nothing to compare with, no
 * verdicts. */
static void test_not_reached(void **state)
{
	static struct lab l;
	static const unsigned all[] = { 100 };
	static const unsigned forty[] = { 40 };
	static const unsigned thirtyfive[] = { 35 };
	struct ht_loss_verdicts lv;

	(void)state;
	memset(&l, 0, sizeof(l));
	hop(&l, 1, -1, 100, one_r1, all, 1);
	hop(&l, 2, -1, 100, one_r2, forty, 1);
	hop(&l, 3, -1, 100, one_r3, thirtyfive, 1);
	hop(&l, 4, -1, 100, dest, all, 1);
	ht_loss_verdicts_compute(l.list, l.n, 0, 0, &lv);
	assert_int_equal(lv.count, 1);
	assert_int_equal(lv.v[0].ttl, 2);
	assert_int_equal(lv.v[0].kind, HT_LOSS_CARRIES);
	assert_int_equal(lv.v[0].evidence_ttl, 3);
	assert_false(lv.v[0].evidence_is_dest);

	memset(&l, 0, sizeof(l));
	hop(&l, 1, -1, 100, one_r1, all, 1);
	ht_loss_verdicts_compute(l.list, l.n, 0, 0, &lv);
	assert_int_equal(lv.count, 0);
	ht_loss_verdicts_compute(l.list, 0, 0, 0, &lv);
	assert_int_equal(lv.count, 0);
}

/* More verdicts than fit: counted. */
static void test_left_out(void **state)
{
	static struct lab l;
	struct ht_loss_verdicts lv;
	static const char *const many[] = {
		"198.51.100.1", "198.51.100.2", "198.51.100.3",
		"198.51.100.4", "198.51.100.5", "198.51.100.6",
		"198.51.100.7", "198.51.100.8", "198.51.100.9",
		"198.51.100.10",
	};
	static const unsigned lost10[10] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 };

	(void)state;
	memset(&l, 0, sizeof(l));
	/* Two hops of ten paths each, every path losing 5 of 10 of its
	 * own: 20 verdicts, 16 kept. */
	hop(&l, 1, 10, 10, many, lost10, 10);
	hop(&l, 2, 10, 10, many, lost10, 10);
	hop(&l, 3, 10, 10, dest, none, 1);
	ht_loss_verdicts_compute(l.list, l.n, 3, 1, &lv);
	/* 5 of 10 against 0 of 10: p 0.25, se 0.194, 2.58 se: unsure. */
	assert_int_equal(lv.count, HT_LOSS_VERDICTS);
	assert_int_equal(lv.left_out, 20 - HT_LOSS_VERDICTS);
	assert_int_equal(lv.v[0].kind, HT_LOSS_UNSURE);
}

/* From counts, as the live view has them: the same rule, the same
 * choice of the hop compared with, the hop's first responder named. */
static void test_counts(void **state)
{
	struct ht_loss_hop h[4];
	struct ht_loss_verdicts lv;
	struct hp_addr r2;

	(void)state;
	memset(h, 0, sizeof(h));
	assert_int_equal(hp_addr_parse("192.0.2.2", &r2), 0);
	h[0].ttl = 1, h[0].sent = 100, h[0].received = 100;
	h[1].ttl = 2, h[1].sent = 100, h[1].received = 70, h[1].first = r2;
	h[2].ttl = 3, h[2].sent = 100, h[2].received = 100;
	h[3].ttl = 4, h[3].sent = 100, h[3].received = 100;
	ht_loss_verdicts_counts(h, 4, 4, &lv);
	assert_int_equal(lv.count, 1);
	assert_int_equal(lv.v[0].ttl, 2);
	assert_int_equal(lv.v[0].kind, HT_LOSS_OWN);
	assert_true(hp_addr_equal(&lv.v[0].who, &r2));
	assert_int_equal(lv.v[0].path.family, 0);
	assert_int_equal(lv.v[0].evidence_ttl, 4);

	/* Not reached, hop 4 silent: hop 3 stands in; 30 of 100 against
	 * 30 of 100 carries on. */
	h[2].received = 70;
	h[3].received = 0;
	ht_loss_verdicts_counts(h, 4, 0, &lv);
	assert_int_equal(lv.count, 1);
	assert_int_equal(lv.v[0].ttl, 2);
	assert_int_equal(lv.v[0].kind, HT_LOSS_CARRIES);
	assert_int_equal(lv.v[0].evidence_ttl, 3);
	assert_false(lv.v[0].evidence_is_dest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_carries_once),
		cmocka_unit_test(test_own_then_carries),
		cmocka_unit_test(test_second_start),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_not_reached),
		cmocka_unit_test(test_left_out),
		cmocka_unit_test(test_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

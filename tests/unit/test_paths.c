/*
 * Unit tests for the paths of a hop (src/paths.c): what render_fixtures'
 * multipath scenario does not reach: probes without a flow, and the caps
 * on flows and paths, per-packet balancing's paths.  Its ordinary cases
 * are test_render's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "paths.h"

#define MAXP 200

static struct ht_probe probes[MAXP];

static void probe(unsigned i, int flow, const char *from, int64_t rtt)
{
	struct ht_probe *p = &probes[i];

	memset(p, 0, sizeof(*p));
	p->ttl = 2;
	p->query = i;
	p->flow = flow;
	p->result.kind = from ? HP_TTL_EXPIRED : HP_NO_REPLY;
	p->result.rtt_us = from ? rtt : -1;
	if (from)
		assert_int_equal(hp_addr_parse(from, &p->result.responder), 0);
}

static struct ht_hop hop_of(unsigned n)
{
	struct ht_hop h;

	memset(&h, 0, sizeof(h));
	h.ttl = 2;
	h.probe_count = n;
	h.probes = probes;
	return h;
}

/* --flow off: no probe has a flow, so there are no paths. */
static void test_no_flows(void **state)
{
	struct ht_hop_paths hp;
	struct ht_hop h;

	(void)state;
	probe(0, -1, "192.0.2.1", 100);
	probe(1, -1, "192.0.2.9", 100);
	h = hop_of(2);
	ht_hop_paths_compute(&h, &hp);
	assert_int_equal(hp.path_count, 0);
	assert_int_equal(hp.per_packet_flow, -1);
	assert_int_equal(hp.flows_left_out, 0);
}

/* Flow 0 is a flow; a flow answered only after a loss is its
 * responder's; one answered by nobody is the last path. */
static void test_flow_zero_and_lost(void **state)
{
	struct ht_hop_paths hp;
	struct ht_hop h;

	(void)state;
	probe(0, 0, NULL, 0);
	probe(1, 0, "192.0.2.1", 300);
	probe(2, 7, NULL, 0);
	h = hop_of(3);
	ht_hop_paths_compute(&h, &hp);
	assert_int_equal(hp.path_count, 2);
	assert_int_equal(hp.paths[0].flow_count, 1);
	assert_int_equal(hp.paths[0].flows[0], 0);
	assert_int_equal(hp.paths[0].stats.sent, 2);
	assert_int_equal(hp.paths[0].stats.received, 1);
	assert_true(hp.paths[0].stats.loss_pct == 50.0);
	assert_int_equal(hp.paths[0].stats.last_us, 300);
	assert_int_equal(hp.paths[1].address.family, 0);
	assert_int_equal(hp.paths[1].flows[0], 7);
	assert_int_equal(hp.paths[1].stats.sent, 1);
	assert_int_equal(hp.paths[1].stats.received, 0);
	assert_int_equal(hp.paths[1].stats.rtt_count, 0);
}

/*
 * A 2-way balancer that alternates per packet, flow by flow: flow 10's
 * four probes go .1 .2 .1 .2, flow 11's the same.  Both flows are in both
 * paths, each path received all it was sent (nothing was lost: what one
 * responder did not answer the other did), the paths add up to the hop's
 * 8 probes, and flow 10 is named as per-packet.
 */
static void test_per_packet_no_loss(void **state)
{
	static const char *const from[2] = { "192.0.2.1", "192.0.2.2" };
	struct ht_hop_paths hp;
	struct ht_hop h;
	unsigned i;

	(void)state;
	for (i = 0; i < 8; i++)
		probe(i, 10 + (int)(i / 4), from[i % 2], 100 + i);
	h = hop_of(8);
	ht_hop_paths_compute(&h, &hp);
	assert_int_equal(hp.per_packet_flow, 10);
	assert_int_equal(hp.path_count, 2);
	for (i = 0; i < 2; i++) {
		char a[HP_ADDR_TEXT];

		hp_addr_format(&hp.paths[i].address, a, sizeof(a));
		assert_string_equal(a, from[i]);
		assert_int_equal(hp.paths[i].flow_count, 2);
		assert_int_equal(hp.paths[i].flows[0], 10);
		assert_int_equal(hp.paths[i].flows[1], 11);
		assert_int_equal(hp.paths[i].stats.sent, 4);
		assert_int_equal(hp.paths[i].stats.received, 4);
		assert_true(hp.paths[i].stats.loss_pct == 0.0);
	}
	/* .1 answered probes 0, 2, 4, 6; its newest is probe 6. */
	assert_int_equal(hp.paths[0].stats.last_us, 106);
	assert_int_equal(hp.paths[1].stats.last_us, 107);
}

/*
 * Per-packet with a loss: flow 5 goes .1, (lost), .2; flow 6 goes .2.
 * Flow 5's loss is counted once, on the path of its first responder .1:
 * .1 has flow 5, 1 of 2; .2 has flows 5 and 6, 2 of 2; 4 probes in all.
 */
static void test_per_packet_loss_counts_once(void **state)
{
	struct ht_hop_paths hp;
	struct ht_hop h;

	(void)state;
	probe(0, 5, "192.0.2.1", 100);
	probe(1, 5, NULL, 0);
	probe(2, 5, "192.0.2.2", 200);
	probe(3, 6, "192.0.2.2", 300);
	h = hop_of(4);
	ht_hop_paths_compute(&h, &hp);
	assert_int_equal(hp.per_packet_flow, 5);
	assert_int_equal(hp.path_count, 2);
	assert_int_equal(hp.paths[0].flow_count, 1);
	assert_int_equal(hp.paths[0].flows[0], 5);
	assert_int_equal(hp.paths[0].stats.sent, 2);
	assert_int_equal(hp.paths[0].stats.received, 1);
	assert_int_equal(hp.paths[1].flow_count, 2);
	assert_int_equal(hp.paths[1].flows[0], 5);
	assert_int_equal(hp.paths[1].flows[1], 6);
	assert_int_equal(hp.paths[1].stats.sent, 2);
	assert_int_equal(hp.paths[1].stats.received, 2);
	assert_int_equal(hp.paths[1].stats.last_us, 300);
}

/* 70 flows: 64 are kept, 6 counted; 20 responders: 16 paths, the flows
 * of the other 4 counted. */
static void test_caps(void **state)
{
	struct ht_hop_paths hp;
	struct ht_hop h;
	char addr[32];
	unsigned i, kept = 0;

	(void)state;
	for (i = 0; i < 70; i++)
		probe(i, (int)i, "192.0.2.1", 10);
	h = hop_of(70);
	ht_hop_paths_compute(&h, &hp);
	assert_int_equal(hp.path_count, 1);
	assert_int_equal(hp.paths[0].flow_count, HT_PATH_FLOWS);
	assert_int_equal(hp.flows_left_out, 6);
	assert_int_equal(hp.paths[0].stats.sent, 64);

	for (i = 0; i < 20; i++) {
		snprintf(addr, sizeof(addr), "198.51.100.%u", i + 1);
		probe(i, (int)(100 + i), addr, 10);
	}
	h = hop_of(20);
	ht_hop_paths_compute(&h, &hp);
	assert_int_equal(hp.path_count, HT_PATHS);
	for (i = 0; i < hp.path_count; i++)
		kept += hp.paths[i].flow_count;
	assert_int_equal(kept, 16);
	assert_int_equal(hp.flows_left_out, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_flows),
		cmocka_unit_test(test_flow_zero_and_lost),
		cmocka_unit_test(test_per_packet_no_loss),
		cmocka_unit_test(test_per_packet_loss_counts_once),
		cmocka_unit_test(test_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for the paths of a hop (src/paths.c): what render_fixtures'
 * multipath scenario does not reach: probes without a flow, and the caps
 * on flows and paths.  Its ordinary cases are test_render's.
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
		cmocka_unit_test(test_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

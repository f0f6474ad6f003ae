/*
 * render_fixtures.h: recorded event sequences for the renderer tests
 * (test_render.c) and the schema check (render_dump.c).
 *
 * Every sequence is literal data: documentation addresses, fixed times
 * from FX_T0 (2026-12-01T20:30:00.000Z), names chosen to exercise the
 * formats.  A probe of ttl T, cycle C and query Q is sent at
 * FX_T0 + C s + T * 10 ms + Q ms, so its "sent" time can be written by
 * hand.
 */
#ifndef HOPTRACE_RENDER_FIXTURES_H
#define HOPTRACE_RENDER_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"

#define FX_T0 INT64_C(1796157000000000)	/* 2026-12-01T20:30:00.000Z */
#define FX_VERSION "0.1.0"
#define FX_WORKER_VERSION "0.1.0"
/* Every sequence's run id and worker but M's. */
#define FX_RUN_ID "fx-run.1"
#define FX_WORKER_NAME "lab1"
#define FX_WORKER_COMMAND "hopprobe"

/* Where a sequence's events go, one at a time. */
typedef void (*fx_sink)(void *arg, const struct ht_event *ev);

struct fx_scenario {
	const char *name;
	void (*play)(fx_sink sink, void *arg);
};

/* A: one trace, icmp, reached at hop 3; hop 2 has two responders. */
void fx_reached(fx_sink sink, void *arg);
/* B: udp port 33434 to a literal, not reached, 3 hidden silent hops. */
void fx_not_reached(fx_sink sink, void *arg);
/* C: tcp port 443, !N !H !U, local errors, a dead worker. */
void fx_unreachable(fx_sink sink, void *arg);
/* D: IPv6 with MPLS label stacks and origin ASNs. */
void fx_mpls_asn(fx_sink sink, void *arg);
/* E: two traces, the second ends first. */
void fx_two_reverse(fx_sink sink, void *arg);
/* F: a target and a name with quotes, commas, control and bad bytes. */
void fx_odd_names(fx_sink sink, void *arg);
/* G: a target that did not resolve. */
void fx_unresolved(fx_sink sink, void *arg);
/* H: one query, three cycles, from hop 2. */
void fx_cycles(fx_sink sink, void *arg);
/* I: a small run whose whole JSON is written out by hand in the test. */
void fx_small(fx_sink sink, void *arg);
/* J: the extensions: flow, --pmtu (1500 then 1280), --rate, kernel
 * times, reply details, RFC 5837 interfaces, !X, !3 and !F-1200. */
void fx_extensions(fx_sink sink, void *arg);
/* K: --flows 4, two cycles: two paths and a per-packet flow at hop 2,
 * a flow the target never answers. */
void fx_multipath(fx_sink sink, void *arg);
/* L: --compare icmp,udp:53 to one literal: icmp reaches hop 3, udp:53
 * is silent there. */
void fx_compare(fx_sink sink, void *arg);

/* M: shipping: run "sweep7:3", shard 3 of 4 (seed 2^64-1), workers lab1
 * and lab2; trace 0 on lab1 reaches hop 1, lab2 is lost with trace 1's
 * probe (worker-lost). */
void fx_shipping(fx_sink sink, void *arg);

extern const struct fx_scenario fx_scenarios[];
extern const size_t fx_scenario_count;

/* The odd name of F, byte by byte. */
#define FX_ODD_NAME "we\"ird,na\\me\n\001\303\251\377"
#define FX_ODD_TARGET "odd,target.example"

#endif

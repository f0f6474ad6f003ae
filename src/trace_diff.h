/*
 * trace_diff.h: hoptrace diff: two recorded runs compared (pure), in the
 * spirit of scamper's sc_tracediff.
 *
 * The k-th trace of a target (by the name or address given, in the
 * order of the traces) in run A is compared with the k-th trace of the
 * same target in run B; a trace without a partner is a difference of its
 * own.  For a pair:
 *   - the target's address, when both resolved it and differently;
 *   - the destination reached in one and not the other, or reached in
 *     both at a different distance;
 *   - with --flows in either: paths compared only when both used the same
 *     first flow and flow count, else one "not comparable" difference;
 *   - per hop (ttl), up to the nearer destination of a run that reached
 *     it (past that one run has nothing to compare), else up to the last
 *     hop either shows, a hop not shown counting as silent: a hop that
 *     became silent or started answering, responders (addresses) that
 *     vanished or appeared, the median round-trip time that changed band
 *     (ht_rtt_band), and with comparable paths each flow whose responder
 *     changed.
 */
#ifndef HOPTRACE_TRACE_DIFF_H
#define HOPTRACE_TRACE_DIFF_H

#include <stdint.h>

#include "render.h"
#include "trace_set.h"

/* When a median round-trip time counts as changed. */
enum ht_rtt_band {
	HT_BAND_DECADE = 0,	/* another of <1ms, 1-10ms, 10-100ms, >=100ms */
	HT_BAND_FACTOR2,	/* one more than twice the other */
	HT_BAND_OFF		/* never */
};

enum ht_diff_kind {
	HT_DIFF_ONLY_A = 0,	/* the trace has no partner in B */
	HT_DIFF_ONLY_B,
	HT_DIFF_ADDRESS,	/* a[0] -> b[0] */
	HT_DIFF_REACHED,	/* value_a, value_b: reached 1/0; reason_* */
	HT_DIFF_DISTANCE,	/* value_a -> value_b */
	HT_DIFF_PATHS,		/* not comparable: flow_*, flows_* */
	HT_DIFF_SILENT,		/* the hop answered in A only; a: who */
	HT_DIFF_ANSWERING,	/* the hop answers in B only; b: who */
	HT_DIFF_RESPONDERS,	/* a: vanished, b: appeared */
	HT_DIFF_RTT,		/* value_a -> value_b: median us */
	HT_DIFF_FLOW		/* flow_a: its responder a[0] -> b[0];
				 * family 0: no answer */
};

/* Addresses a difference names; more are counted in *_more. */
#define HT_DIFF_ADDRS 16

struct ht_diff {
	enum ht_diff_kind kind;
	const char *target;		/* points into the runs' traces */
	unsigned occurrence;		/* the k-th trace of it, from 0 */
	int ttl;			/* 0: the whole trace */
	struct hp_addr a[HT_DIFF_ADDRS];
	struct hp_addr b[HT_DIFF_ADDRS];
	unsigned a_count, b_count;
	unsigned a_more, b_more;
	int64_t value_a, value_b;
	const char *reason_a, *reason_b;	/* HT_DIFF_REACHED */
	int flow_a, flow_b;		/* HT_DIFF_PATHS, HT_DIFF_FLOW */
	int flows_a, flows_b;		/* HT_DIFF_PATHS */
};

struct ht_diff_list {
	struct ht_diff *items;
	unsigned count;
	unsigned cap;
	unsigned compared;		/* pairs of traces */
	unsigned only_a, only_b;
};

void ht_diff_list_init(struct ht_diff_list *l);
void ht_diff_list_free(struct ht_diff_list *l);

/* Compare A with B into OUT (appended); 0, or -1 out of memory. */
int ht_trace_diff(const struct ht_trace_set *a, const struct ht_trace_set *b,
		  enum ht_rtt_band band, struct ht_diff_list *out);

/* The band's name ("<1ms"...) of a median in us, for HT_BAND_DECADE. */
const char *ht_rtt_band_name(int64_t us);
/* 1 when medians A and B (us) are in different bands under MODE. */
int ht_rtt_band_changed(enum ht_rtt_band mode, int64_t a, int64_t b);
/* The median of the round-trip times of HOP's answered probes in *US (the
 * mean of the middle two, rounded down, for an even count); 1, 0 when it
 * has none, -1 out of memory. */
int ht_hop_median_rtt(const struct ht_hop *hop, int64_t *us);

/* ---- output (trace_diff_format.c) ----------------------------------- */

/* One line for D, newline included:
 * "192.0.2.130 hop 2: 192.0.2.66 vanished, 192.0.2.70 appeared". */
void ht_diff_format(const struct ht_diff *d, enum ht_rtt_band band,
		    struct ht_outbuf *out);
/* The last line: "2 differences, 1 trace compared" and the like. */
void ht_diff_summary(const struct ht_diff_list *l, struct ht_outbuf *out);
/* The whole list as one JSON document (hoptrace diff -j). */
void ht_diff_json(const struct ht_diff_list *l, const char *a_name,
		  const char *b_name, enum ht_rtt_band band,
		  struct ht_outbuf *out);
/* "decade", "factor2", "off". */
const char *ht_rtt_band_mode_name(enum ht_rtt_band mode);

#endif

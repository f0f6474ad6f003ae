/*
 * fail_on.h: hoptrace --fail-on EXPR, the condition that fails a run,
 * parsed and evaluated without I/O.
 *
 * An expression is either `unreached` (the trace did not reach its
 * target) or SUBJECT.METRIC OP VALUE:
 *
 *   SUBJECT  dest     the hop where the target answered
 *            hop      any hop shown
 *            hop[N]   the hop with ttl N (1-255)
 *   METRIC   loss     percent of probes sent that got no answer ("2.5%")
 *            rtt      average round-trip time
 *            best, worst, last, stdev
 *            jitter   mean absolute difference of consecutive round-trip
 *                     times, in the order the probes were sent
 *   OP       >  >=  <  <=
 *   VALUE    a decimal number; `%` after a loss, us, ms or s after a time
 *
 * Spaces (and tabs) may stand around every token.  The numbers are those
 * of the report: the evaluator takes the hop's probes as they come in
 * HT_EV_HOP and computes them with ht_hop_stats_compute (stats.h).
 */
#ifndef HOPTRACE_FAIL_ON_H
#define HOPTRACE_FAIL_ON_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"

enum ht_fail_subject {
	HT_FAIL_UNREACHED = 0,	/* no metric, no value */
	HT_FAIL_DEST,
	HT_FAIL_ANY_HOP,
	HT_FAIL_HOP_TTL		/* ttl in ht_fail_expr.ttl */
};

enum ht_fail_metric {
	HT_FAIL_LOSS = 0,
	HT_FAIL_RTT,
	HT_FAIL_BEST,
	HT_FAIL_WORST,
	HT_FAIL_LAST,
	HT_FAIL_STDEV,
	HT_FAIL_JITTER
};

enum ht_fail_op {
	HT_FAIL_GT = 0,		/* > */
	HT_FAIL_GE,		/* >= */
	HT_FAIL_LT,		/* < */
	HT_FAIL_LE		/* <= */
};

/* The unit the value was written in; it only matters for messages. */
enum ht_fail_unit {
	HT_FAIL_PERCENT = 0,
	HT_FAIL_US,
	HT_FAIL_MS,
	HT_FAIL_S
};

/* One parsed expression: plain data, copied freely. */
struct ht_fail_expr {
	enum ht_fail_subject subject;
	int ttl;			/* HT_FAIL_HOP_TTL: 1-255; else 0 */
	enum ht_fail_metric metric;
	enum ht_fail_op op;
	enum ht_fail_unit unit;
	/* loss: thousandths of a percent (0-100000); a time: nanoseconds
	 * (at most one hour). */
	int64_t limit;
};

/* What hoptrace knows of a trace when it ends. */
struct ht_fail_trace {
	int reached;			/* the target answered */
	int distance;			/* ttl of the target's answer; 0 none */
	const struct ht_hop *hops;	/* the hops shown, each with its probes */
	unsigned hop_count;
};

/*
 * Parse TEXT (one --fail-on argument): 0 and *OUT filled, or -1 with a
 * message in ERR that names the offending part and its column (from 1),
 * e.g. "unknown metric 'los' at 6 (loss, rtt, best, worst, last, stdev,
 * jitter)".  The caller puts the option and TEXT in front of it.
 */
int ht_fail_parse(const char *text, struct ht_fail_expr *out, char *err,
		  size_t errlen);

/*
 * 1 when E holds for T, with a sentence in WHY ("dest loss 33.3% > 2% at
 * hop 3"); 0 when it does not (WHY then ""). A condition on a hop that
 * was not shown, on dest of a trace that did not reach its target, or on
 * a time of a hop without one, does not hold: there is nothing to compare.
 */
int ht_fail_eval(const struct ht_fail_expr *e, const struct ht_fail_trace *t,
		 char *why, size_t whylen);

/* E as text in its normal form ("dest.loss > 2%", "hop[3].rtt <= 1.5ms"). */
void ht_fail_format(const struct ht_fail_expr *e, char *buf, size_t len);

#endif

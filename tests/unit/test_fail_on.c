/*
 * test_fail_on.c: hoptrace --fail-on's parser and evaluator
 * (src/fail_on.c).
 *
 * The hops are probes written out by hand, as HT_EV_HOP gives them, and
 * every expected number is worked out by hand from the definitions in
 * fail_on.h and stats.h: loss is the percent of probes sent that no
 * responder answered, rounded to tenths as the report prints it; times are
 * over the answers that carry one, rounded to the microsecond; jitter is
 * the mean absolute difference of consecutive times in the order sent.
 * The table of every subject, metric and operator tries each limit just
 * below, at and just above the value, so that a comparison off by one way
 * or the other fails a row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "fail_on.h"

/* A probe's outcome in the fixtures: its RTT in microseconds, or one of
 * these. */
#define LOST (-1)	/* nobody answered */
#define NORTT (-2)	/* a router answered, without a round-trip time */

#define MAX_PROBES 64
#define MAX_HOPS 4

struct hop_def {
	int ttl;
	unsigned n;
	int64_t p[MAX_PROBES];
};

struct trace_def {
	const char *name;
	int reached, distance;
	unsigned hop_count;
	struct hop_def hops[MAX_HOPS];
};

enum {
	TR_R = 0,	/* reached at hop 3 */
	TR_U,		/* not reached; hops 1 and 2 of TR_R */
	TR_EMPTY,	/* not reached, nothing shown */
	TR_NODEST,	/* says reached at 5 but hop 5 is not shown */
	TR_L49,		/* one of 49 lost: 2.04%, shown 2.0% */
	TR_L48,		/* one of 48 lost: 2.083%, shown 2.1% */
	TR_L16,		/* one of 16 lost: 6.25%, shown 6.3% (half up) */
	TR_NORTT,	/* answers without times */
	TR_ONE,		/* a single time */
	TR_ZERO,	/* a hop without probes */
	TR_ROUND,	/* times whose mean needs rounding */
	TR_UNREACH2,	/* not reached; a router at 2 said unreachable */
	TR_COUNT
};

#define REP16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x

static const struct trace_def traces[TR_COUNT] = {
	/*
	 * Hop 1: 1, 3, 2 ms.  loss 0.0; rtt (1+3+2)/3 = 2 ms; best 1; worst
	 * 3; last 2 (the last sent, not the largest); stdev sqrt((1000^2 +
	 * 1000^2 + 0) / 3) = 816.50 us, 816 rounded (well: 816.4966);
	 * jitter (|3-1| + |2-3|) / 2 = 1.5 ms (sorted it would be 1 ms).
	 * Hop 2: all three lost: 100.0%, no time.
	 * Hop 3 (dest): 10 ms, lost, 12 ms.  loss 1/3 = 33.33, shown 33.3;
	 * rtt 11; best 10; worst 12; last 12; stdev 1 ms; jitter 2 ms (the
	 * lost probe has no time and is skipped).
	 */
	[TR_R] = { "reached", 1, 3, 3, {
		{ 1, 3, { 1000, 3000, 2000 } },
		{ 2, 3, { LOST, LOST, LOST } },
		{ 3, 3, { 10000, LOST, 12000 } } } },
	[TR_U] = { "unreached", 0, 0, 2, {
		{ 1, 3, { 1000, 3000, 2000 } },
		{ 2, 3, { LOST, LOST, LOST } } } },
	[TR_EMPTY] = { "empty", 0, 0, 0, { { 0, 0, { 0 } } } },
	[TR_NODEST] = { "dest not shown", 1, 5, 1, {
		{ 1, 2, { 1000, 1000 } } } },
	[TR_L49] = { "1 of 49 lost", 1, 1, 1, {
		{ 1, 49, { REP16(1000), REP16(1000), REP16(1000), LOST } } } },
	[TR_L48] = { "1 of 48 lost", 1, 1, 1, {
		{ 1, 48, { REP16(1000), REP16(1000), 1000, 1000, 1000, 1000,
			   1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
			   1000, 1000, 1000, LOST } } } },
	[TR_L16] = { "1 of 16 lost", 1, 1, 1, {
		{ 1, 16, { 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
			   1000, 1000, 1000, 1000, 1000, 1000, 1000, LOST } } } },
	/*
	 * Hop 1: two answers without a time: loss 0.0, no time at all.
	 * Hop 2: 1 ms, an answer without a time, two lost: loss 2 of 4 =
	 * 50.0 (the answer without a time is received); rtt 1 ms.
	 */
	[TR_NORTT] = { "answers without times", 1, 2, 2, {
		{ 1, 2, { NORTT, NORTT } },
		{ 2, 4, { 1000, NORTT, LOST, LOST } } } },
	/* 5 ms and a loss: loss 50.0; stdev 0; jitter none (one time). */
	[TR_ONE] = { "one time", 1, 1, 1, { { 1, 2, { 5000, LOST } } } },
	[TR_ZERO] = { "no probes", 1, 1, 1, { { 1, 0, { 0 } } } },
	/*
	 * Hop 1: 1000, 1001 us: rtt 1000.5, rounded half up to 1001.
	 * Hop 2: 1000, 1001, 1003 us: jitter (1 + 2) / 2 = 1.5, rounded to 2.
	 */
	[TR_ROUND] = { "rounding", 1, 2, 2, {
		{ 1, 2, { 1000, 1001 } },
		{ 2, 3, { 1000, 1001, 1003 } } } },
	/*
	 * A trace that ended with an unreachable from the router at hop 2:
	 * the distance is set, yet there is no dest.
	 */
	[TR_UNREACH2] = { "unreachable at 2", 0, 2, 2, {
		{ 1, 1, { 1000 } },
		{ 2, 1, { 2000 } } } },
};

/* The traces as ht_fail_eval takes them, built once from the table. */
static struct ht_probe probe_store[TR_COUNT][MAX_HOPS][MAX_PROBES];
static struct ht_hop hop_store[TR_COUNT][MAX_HOPS];
static struct ht_fail_trace built[TR_COUNT];

/*
 * A probe as hoptrace's trace keeps it: cycle by cycle, one query each,
 * answered by a router (time-exceeded from 192.0.2.1) or not at all.
 */
static void build_probe(struct ht_probe *pr, int ttl, unsigned i, int64_t v)
{
	memset(pr, 0, sizeof(*pr));
	pr->ttl = ttl;
	pr->cycle = i;
	pr->query = 0;
	pr->flow = -1;
	if (v == LOST) {
		pr->result.kind = HP_NO_REPLY;
		pr->result.rtt_us = -1;
		return;
	}
	pr->result.kind = HP_TTL_EXPIRED;
	pr->result.responder.family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.1",
				   &pr->result.responder.u.v4), 1);
	pr->result.rtt_us = v == NORTT ? -1 : v;
}

static int build_traces(void **state)
{
	unsigned t, h, i;

	(void)state;
	for (t = 0; t < TR_COUNT; t++) {
		const struct trace_def *d = &traces[t];

		for (h = 0; h < d->hop_count; h++) {
			struct ht_hop *hop = &hop_store[t][h];

			memset(hop, 0, sizeof(*hop));
			hop->trace = t;
			hop->ttl = d->hops[h].ttl;
			hop->probe_count = d->hops[h].n;
			hop->probes = probe_store[t][h];
			for (i = 0; i < d->hops[h].n; i++)
				build_probe(&probe_store[t][h][i],
					    d->hops[h].ttl, i, d->hops[h].p[i]);
		}
		built[t].reached = d->reached;
		built[t].distance = d->distance;
		built[t].hops = hop_store[t];
		built[t].hop_count = d->hop_count;
	}
	return 0;
}

/* ---- parsing ------------------------------------------------------- */

struct parse_ok {
	const char *text;
	enum ht_fail_subject subject;
	int ttl;
	enum ht_fail_metric metric;
	enum ht_fail_op op;
	enum ht_fail_unit unit;
	int64_t limit;		/* thousandths of a percent, or ns */
	const char *normal;	/* ht_fail_format's text */
};

static const struct parse_ok parse_ok_cases[] = {
	{ "unreached", HT_FAIL_UNREACHED, 0, 0, 0, 0, 0, "unreached" },
	{ "  unreached\t ", HT_FAIL_UNREACHED, 0, 0, 0, 0, 0, "unreached" },
	{ "dest.loss>2%", HT_FAIL_DEST, 0, HT_FAIL_LOSS, HT_FAIL_GT,
	  HT_FAIL_PERCENT, 2000, "dest.loss > 2%" },
	{ " dest . loss > 2 % ", HT_FAIL_DEST, 0, HT_FAIL_LOSS, HT_FAIL_GT,
	  HT_FAIL_PERCENT, 2000, "dest.loss > 2%" },
	{ "dest.loss>=0.125%", HT_FAIL_DEST, 0, HT_FAIL_LOSS, HT_FAIL_GE,
	  HT_FAIL_PERCENT, 125, "dest.loss >= 0.125%" },
	{ "dest.loss<=100%", HT_FAIL_DEST, 0, HT_FAIL_LOSS, HT_FAIL_LE,
	  HT_FAIL_PERCENT, 100000, "dest.loss <= 100%" },
	{ "dest.loss<100.000%", HT_FAIL_DEST, 0, HT_FAIL_LOSS, HT_FAIL_LT,
	  HT_FAIL_PERCENT, 100000, "dest.loss < 100%" },
	{ "dest.loss>0%", HT_FAIL_DEST, 0, HT_FAIL_LOSS, HT_FAIL_GT,
	  HT_FAIL_PERCENT, 0, "dest.loss > 0%" },
	{ "hop.rtt>=10ms", HT_FAIL_ANY_HOP, 0, HT_FAIL_RTT, HT_FAIL_GE,
	  HT_FAIL_MS, 10000000, "hop.rtt >= 10ms" },
	{ "hop[3].best<1.5ms", HT_FAIL_HOP_TTL, 3, HT_FAIL_BEST, HT_FAIL_LT,
	  HT_FAIL_MS, 1500000, "hop[3].best < 1.5ms" },
	{ "hop [ 255 ] . worst <= 0.25s", HT_FAIL_HOP_TTL, 255, HT_FAIL_WORST,
	  HT_FAIL_LE, HT_FAIL_S, 250000000, "hop[255].worst <= 0.25s" },
	{ "hop[007].last>250us", HT_FAIL_HOP_TTL, 7, HT_FAIL_LAST, HT_FAIL_GT,
	  HT_FAIL_US, 250000, "hop[7].last > 250us" },
	{ "hop[1].stdev<=0.001us", HT_FAIL_HOP_TTL, 1, HT_FAIL_STDEV,
	  HT_FAIL_LE, HT_FAIL_US, 1, "hop[1].stdev <= 0.001us" },
	{ "dest.jitter>2.50ms", HT_FAIL_DEST, 0, HT_FAIL_JITTER, HT_FAIL_GT,
	  HT_FAIL_MS, 2500000, "dest.jitter > 2.5ms" },
	{ "\tdest.rtt\t>\t05ms", HT_FAIL_DEST, 0, HT_FAIL_RTT, HT_FAIL_GT,
	  HT_FAIL_MS, 5000000, "dest.rtt > 5ms" },
	{ "dest.rtt>2 ms", HT_FAIL_DEST, 0, HT_FAIL_RTT, HT_FAIL_GT,
	  HT_FAIL_MS, 2000000, "dest.rtt > 2ms" },
	{ "dest.rtt>3600s", HT_FAIL_DEST, 0, HT_FAIL_RTT, HT_FAIL_GT,
	  HT_FAIL_S, 3600000000000LL, "dest.rtt > 3600s" },
	{ "dest.rtt>0.000000001s", HT_FAIL_DEST, 0, HT_FAIL_RTT, HT_FAIL_GT,
	  HT_FAIL_S, 1, "dest.rtt > 0.000000001s" },
	{ "dest.rtt>1.000001ms", HT_FAIL_DEST, 0, HT_FAIL_RTT, HT_FAIL_GT,
	  HT_FAIL_MS, 1000001, "dest.rtt > 1.000001ms" },
	{ "hop[0001].rtt>1ms", HT_FAIL_HOP_TTL, 1, HT_FAIL_RTT, HT_FAIL_GT,
	  HT_FAIL_MS, 1000000, "hop[1].rtt > 1ms" },
	{ "hop[000000000000000000000000000000000255].rtt>1ms", HT_FAIL_HOP_TTL,
	  255, HT_FAIL_RTT, HT_FAIL_GT, HT_FAIL_MS, 1000000,
	  "hop[255].rtt > 1ms" },
	/* Leading zeros, and trailing ones beyond the precision kept,
	 * change nothing. */
	{ "dest.loss>00000000000000000000000000000000000002.5%", HT_FAIL_DEST,
	  0, HT_FAIL_LOSS, HT_FAIL_GT, HT_FAIL_PERCENT, 2500,
	  "dest.loss > 2.5%" },
	{ "dest.rtt>0000000000000.5s", HT_FAIL_DEST, 0, HT_FAIL_RTT,
	  HT_FAIL_GT, HT_FAIL_S, 500000000, "dest.rtt > 0.5s" },
	{ "dest.rtt>1.0000us", HT_FAIL_DEST, 0, HT_FAIL_RTT, HT_FAIL_GT,
	  HT_FAIL_US, 1000, "dest.rtt > 1us" },
	{ "dest.loss>2.50000%", HT_FAIL_DEST, 0, HT_FAIL_LOSS, HT_FAIL_GT,
	  HT_FAIL_PERCENT, 2500, "dest.loss > 2.5%" },
	{ "dest.rtt<0us", HT_FAIL_DEST, 0, HT_FAIL_RTT, HT_FAIL_LT,
	  HT_FAIL_US, 0, "dest.rtt < 0us" },
};

static void test_parse_ok(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_ok_cases) / sizeof(*parse_ok_cases);
	     i++) {
		const struct parse_ok *c = &parse_ok_cases[i];
		struct ht_fail_expr e, again;
		char err[200], text[100];

		memset(&e, 0x55, sizeof(e));
		if (ht_fail_parse(c->text, &e, err, sizeof(err)) != 0)
			fail_msg("'%s': %s", c->text, err);
		assert_string_equal(err, "");
		assert_int_equal(e.subject, c->subject);
		if (c->subject == HT_FAIL_UNREACHED) {
			ht_fail_format(&e, text, sizeof(text));
			assert_string_equal(text, c->normal);
			continue;
		}
		assert_int_equal(e.ttl, c->ttl);
		assert_int_equal(e.metric, c->metric);
		assert_int_equal(e.op, c->op);
		assert_int_equal(e.unit, c->unit);
		if (e.limit != c->limit)
			fail_msg("'%s': limit %lld, want %lld", c->text,
				 (long long)e.limit, (long long)c->limit);
		ht_fail_format(&e, text, sizeof(text));
		assert_string_equal(text, c->normal);
		/* The normal form parses back to the same expression. */
		assert_int_equal(ht_fail_parse(text, &again, err, sizeof(err)),
				 0);
		assert_memory_equal(&again, &e, sizeof(e));
	}
}

struct parse_bad {
	const char *text;
	const char *err;
};

static const struct parse_bad parse_bad_cases[] = {
	{ "", "empty expression: give unreached or SUBJECT.METRIC OP VALUE, "
	      "as in dest.loss>2%" },
	{ "  \t", "empty expression: give unreached or SUBJECT.METRIC OP "
		  "VALUE, as in dest.loss>2%" },
	/* subject */
	{ "Dest.loss>2%", "unknown subject 'Dest' at 1 (unreached, dest, hop, "
			  "hop[N])" },
	{ "target.loss>2%", "unknown subject 'target' at 1 (unreached, dest, "
			    "hop, hop[N])" },
	{ ">2%", "unknown subject '>' at 1 (unreached, dest, hop, hop[N])" },
	{ "Unreached", "unknown subject 'Unreached' at 1 (unreached, dest, "
		       "hop, hop[N])" },
	{ "unreached x", "unexpected 'x' at 11 after unreached" },
	{ "unreached.loss>2%", "unexpected '.' at 10 after unreached" },
	{ "hop[0].rtt>1ms", "hop number '0' at 5 is out of range 1-255" },
	{ "hop[256].rtt>1ms", "hop number '256' at 5 is out of range 1-255" },
	{ "hop[1000].rtt>1ms", "hop number '1000' at 5 is out of range "
			       "1-255" },
	{ "hop[00256].rtt>1ms", "hop number '00256' at 5 is out of range "
				"1-255" },
	{ "hop[000].rtt>1ms", "hop number '000' at 5 is out of range 1-255" },
	{ "hop[99999999999999999999].rtt>1ms", "hop number "
	  "'99999999999999999999' at 5 is out of range 1-255" },
	{ "hop[].rtt>1ms", "expected a hop number 1-255 at 5, found ']'" },
	{ "hop[-1].rtt>1ms", "expected a hop number 1-255 at 5, found '-'" },
	{ "hop[x].rtt>1ms", "expected a hop number 1-255 at 5, found 'x'" },
	{ "hop[3.rtt>1ms", "expected ']' at 6, found '.'" },
	{ "hop[3", "expected ']' at 6, found the end" },
	/* metric */
	{ "dest.los>2%", "unknown metric 'los' at 6 (loss, rtt, best, worst, "
			 "last, stdev, jitter)" },
	{ "dest.Loss>2%", "unknown metric 'Loss' at 6 (loss, rtt, best, worst, "
			  "last, stdev, jitter)" },
	{ "dest.avg>2ms", "unknown metric 'avg' at 6 (loss, rtt, best, worst, "
			  "last, stdev, jitter)" },
	{ "dest.>2%", "unknown metric '>' at 6 (loss, rtt, best, worst, last, "
		      "stdev, jitter)" },
	{ "dest.", "missing metric at 6 (loss, rtt, best, worst, last, stdev, "
		   "jitter)" },
	{ "dest", "expected '.' and a metric at 5, found the end" },
	{ "dest loss>2%", "expected '.' and a metric at 6, found 'loss'" },
	{ "hop[2]>1ms", "expected '.' and a metric at 7, found '>'" },
	/* operator */
	{ "dest.loss", "expected an operator at 10 (>, >=, <, <=), found the "
		       "end" },
	{ "dest.loss 2%", "expected an operator at 11 (>, >=, <, <=), found "
			  "'2'" },
	{ "dest.rtt\001>2ms", "expected an operator at 9 (>, >=, <, <=), found "
			      "'\\x01'" },
	{ "dest.loss=2%", "unknown operator '=' at 10 (>, >=, <, <=)" },
	{ "dest.loss==2%", "unknown operator '==' at 10 (>, >=, <, <=)" },
	{ "dest.loss=>2%", "unknown operator '=>' at 10 (>, >=, <, <=)" },
	{ "dest.loss!=2%", "unknown operator '!=' at 10 (>, >=, <, <=)" },
	{ "dest.loss>>2%", "unknown operator '>>' at 10 (>, >=, <, <=)" },
	/* value */
	{ "dest.loss>", "expected a value at 11, found the end" },
	{ "dest.loss>x%", "expected a value at 11, found 'x'" },
	{ "dest.loss>-2%", "value '-2' at 11 has a sign" },
	{ "dest.loss>+2%", "value '+2' at 11 has a sign" },
	{ "dest.loss>2.%", "value '2.' at 11 is not a number" },
	{ "dest.loss>.5%", "value '.5' at 11 is not a number" },
	{ "dest.loss>1.2.3%", "value '1.2.3' at 11 is not a number" },
	{ "dest.loss>101%", "value '101%' at 11 is out of range 0-100%" },
	{ "dest.loss>100.001%", "value '100.001%' at 11 is out of range "
				"0-100%" },
	{ "dest.loss>9999999999999%", "value '9999999999999%' at 11 is out "
				      "of range 0-100%" },
	{ "dest.loss>2.0005%", "value '2.0005%' at 11 has more than 3 "
			       "decimals" },
	{ "dest.loss>2", "value '2' at 11 needs '%': 2%" },
	{ "dest.loss>2ms", "unit 'ms' at 12 does not go with loss, which takes "
			   "'%': 2%" },
	{ "dest.loss > 2 ms", "unit 'ms' at 15 does not go with loss, which "
			      "takes '%': 2%" },
	{ "dest.rtt>2", "value '2' at 10 needs a unit: 2ms" },
	{ "hop.jitter<0.5", "value '0.5' at 12 needs a unit: 0.5ms" },
	{ "dest.rtt>2%", "'%' at 11 goes with loss only; rtt takes us, ms or "
			 "s" },
	{ "hop[4].stdev>=1%", "'%' at 16 goes with loss only; stdev takes us, "
			      "ms or s" },
	{ "dest.rtt>2sec", "unknown unit 'sec' at 11 (us, ms, s)" },
	{ "dest.rtt>2MS", "unknown unit 'MS' at 11 (us, ms, s)" },
	{ "dest.rtt>2ns", "unknown unit 'ns' at 11 (us, ms, s)" },
	{ "dest.rtt>3600.000000001s", "value '3600.000000001s' at 10 is out "
				      "of range: at most 3600s" },
	{ "dest.rtt>3600001ms", "value '3600001ms' at 10 is out of range: at "
				"most 3600s" },
	{ "dest.rtt>9999999999999ms", "value '9999999999999ms' at 10 is out "
				      "of range: at most 3600s" },
	{ "dest.rtt>1.0001us", "value '1.0001us' at 10 is finer than a "
			       "nanosecond" },
	{ "dest.rtt>1.0000001ms", "value '1.0000001ms' at 10 is finer than a "
				  "nanosecond" },
	/* after the value */
	{ "dest.loss>2%x", "unexpected 'x' at 13 after the value" },
	{ "dest.loss>2% 3", "unexpected '3' at 14 after the value" },
	{ "dest.rtt>2ms;", "unexpected ';' at 13 after the value" },
	{ "dest.loss>2% or hop.loss>5%", "unexpected 'or' at 14 after the "
					 "value" },
};

static void test_parse_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_bad_cases) / sizeof(*parse_bad_cases);
	     i++) {
		const struct parse_bad *c = &parse_bad_cases[i];
		struct ht_fail_expr e, untouched;
		char err[200];

		memset(&e, 0x55, sizeof(e));
		memset(&untouched, 0x55, sizeof(untouched));
		if (ht_fail_parse(c->text, &e, err, sizeof(err)) != -1)
			fail_msg("'%s' parsed", c->text);
		if (strcmp(err, c->err) != 0)
			fail_msg("'%s':\n got  %s\n want %s", c->text, err,
				 c->err);
		/* A failed parse leaves *OUT alone. */
		assert_memory_equal(&e, &untouched, sizeof(e));
	}
}

/* A message is cut to the buffer, never written past it. */
static void test_parse_small_buffer(void **state)
{
	struct ht_fail_expr e;
	char err[8];

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_int_equal(ht_fail_parse("dest.los>2%", &e, err, 6), -1);
	assert_string_equal(err, "unkno");
	assert_int_equal(err[6], 'x');
	assert_int_equal(ht_fail_parse("dest.los>2%", &e, NULL, 0), -1);
	assert_int_equal(ht_fail_parse("dest.loss>2%", &e, NULL, 0), 0);
}

/* ---- evaluation ---------------------------------------------------- */

struct eval_case {
	int trace;
	const char *text;
	int holds;
	const char *why;	/* NULL when it does not hold */
};

static const struct eval_case eval_cases[] = {
	/* every subject, metric and operator, below, at and above */
	{ TR_R, "dest.loss>33.2%", 1, "dest loss 33.3% > 33.2% at hop 3" },
	{ TR_R, "dest.loss>33.3%", 0, NULL },
	{ TR_R, "dest.loss>=33.3%", 1, "dest loss 33.3% >= 33.3% at hop 3" },
	{ TR_R, "dest.loss>=33.4%", 0, NULL },
	{ TR_R, "dest.loss<33.4%", 1, "dest loss 33.3% < 33.4% at hop 3" },
	{ TR_R, "dest.loss<33.3%", 0, NULL },
	{ TR_R, "dest.loss<=33.3%", 1, "dest loss 33.3% <= 33.3% at hop 3" },
	{ TR_R, "dest.loss<=33.2%", 0, NULL },
	{ TR_R, "dest.rtt>10.999ms", 1, "dest rtt 11.000ms > 10.999ms at hop 3" },
	{ TR_R, "dest.rtt>11ms", 0, NULL },
	{ TR_R, "dest.rtt>=11ms", 1, "dest rtt 11.000ms >= 11ms at hop 3" },
	{ TR_R, "dest.rtt>=11.001ms", 0, NULL },
	{ TR_R, "dest.rtt<11.001ms", 1, "dest rtt 11.000ms < 11.001ms at hop 3" },
	{ TR_R, "dest.rtt<11ms", 0, NULL },
	{ TR_R, "dest.rtt<=11ms", 1, "dest rtt 11.000ms <= 11ms at hop 3" },
	{ TR_R, "dest.rtt<=10.999ms", 0, NULL },
	{ TR_R, "dest.best>9999us", 1, "dest best 10.000ms > 9999us at hop 3" },
	{ TR_R, "dest.best>10ms", 0, NULL },
	{ TR_R, "dest.best>=10ms", 1, "dest best 10.000ms >= 10ms at hop 3" },
	{ TR_R, "dest.best>=10001us", 0, NULL },
	{ TR_R, "dest.best<10001us", 1, "dest best 10.000ms < 10001us at hop 3" },
	{ TR_R, "dest.best<10ms", 0, NULL },
	{ TR_R, "dest.best<=10ms", 1, "dest best 10.000ms <= 10ms at hop 3" },
	{ TR_R, "dest.best<=9999us", 0, NULL },
	{ TR_R, "dest.worst>11.999ms", 1, "dest worst 12.000ms > 11.999ms at hop 3" },
	{ TR_R, "dest.worst>0.012s", 0, NULL },
	{ TR_R, "dest.worst>=0.012s", 1, "dest worst 12.000ms >= 0.012s at hop 3" },
	{ TR_R, "dest.worst>=12.001ms", 0, NULL },
	{ TR_R, "dest.worst<12.001ms", 1, "dest worst 12.000ms < 12.001ms at hop 3" },
	{ TR_R, "dest.worst<0.012s", 0, NULL },
	{ TR_R, "dest.worst<=0.012s", 1, "dest worst 12.000ms <= 0.012s at hop 3" },
	{ TR_R, "dest.worst<=11.999ms", 0, NULL },
	{ TR_R, "dest.last>11.999ms", 1, "dest last 12.000ms > 11.999ms at hop 3" },
	{ TR_R, "dest.last>12ms", 0, NULL },
	{ TR_R, "dest.last>=12ms", 1, "dest last 12.000ms >= 12ms at hop 3" },
	{ TR_R, "dest.last>=12.001ms", 0, NULL },
	{ TR_R, "dest.last<12.001ms", 1, "dest last 12.000ms < 12.001ms at hop 3" },
	{ TR_R, "dest.last<12ms", 0, NULL },
	{ TR_R, "dest.last<=12ms", 1, "dest last 12.000ms <= 12ms at hop 3" },
	{ TR_R, "dest.last<=11.999ms", 0, NULL },
	{ TR_R, "dest.stdev>999us", 1, "dest stdev 1.000ms > 999us at hop 3" },
	{ TR_R, "dest.stdev>1ms", 0, NULL },
	{ TR_R, "dest.stdev>=1ms", 1, "dest stdev 1.000ms >= 1ms at hop 3" },
	{ TR_R, "dest.stdev>=1001us", 0, NULL },
	{ TR_R, "dest.stdev<1001us", 1, "dest stdev 1.000ms < 1001us at hop 3" },
	{ TR_R, "dest.stdev<1ms", 0, NULL },
	{ TR_R, "dest.stdev<=1ms", 1, "dest stdev 1.000ms <= 1ms at hop 3" },
	{ TR_R, "dest.stdev<=999us", 0, NULL },
	{ TR_R, "dest.jitter>1.999ms", 1, "dest jitter 2.000ms > 1.999ms at hop 3" },
	{ TR_R, "dest.jitter>2ms", 0, NULL },
	{ TR_R, "dest.jitter>=2ms", 1, "dest jitter 2.000ms >= 2ms at hop 3" },
	{ TR_R, "dest.jitter>=2.001ms", 0, NULL },
	{ TR_R, "dest.jitter<2.001ms", 1, "dest jitter 2.000ms < 2.001ms at hop 3" },
	{ TR_R, "dest.jitter<2ms", 0, NULL },
	{ TR_R, "dest.jitter<=2ms", 1, "dest jitter 2.000ms <= 2ms at hop 3" },
	{ TR_R, "dest.jitter<=1.999ms", 0, NULL },
	{ TR_R, "hop[3].loss>33.2%", 1, "hop[3] loss 33.3% > 33.2%" },
	{ TR_R, "hop[3].loss>33.3%", 0, NULL },
	{ TR_R, "hop[3].loss>=33.3%", 1, "hop[3] loss 33.3% >= 33.3%" },
	{ TR_R, "hop[3].loss>=33.4%", 0, NULL },
	{ TR_R, "hop[3].loss<33.4%", 1, "hop[3] loss 33.3% < 33.4%" },
	{ TR_R, "hop[3].loss<33.3%", 0, NULL },
	{ TR_R, "hop[3].loss<=33.3%", 1, "hop[3] loss 33.3% <= 33.3%" },
	{ TR_R, "hop[3].loss<=33.2%", 0, NULL },
	{ TR_R, "hop[1].rtt>1.999ms", 1, "hop[1] rtt 2.000ms > 1.999ms" },
	{ TR_R, "hop[1].rtt>2ms", 0, NULL },
	{ TR_R, "hop[1].rtt>=2ms", 1, "hop[1] rtt 2.000ms >= 2ms" },
	{ TR_R, "hop[1].rtt>=2.001ms", 0, NULL },
	{ TR_R, "hop[1].rtt<2.001ms", 1, "hop[1] rtt 2.000ms < 2.001ms" },
	{ TR_R, "hop[1].rtt<2ms", 0, NULL },
	{ TR_R, "hop[1].rtt<=2ms", 1, "hop[1] rtt 2.000ms <= 2ms" },
	{ TR_R, "hop[1].rtt<=1.999ms", 0, NULL },
	{ TR_R, "hop[1].best>0.999ms", 1, "hop[1] best 1.000ms > 0.999ms" },
	{ TR_R, "hop[1].best>1ms", 0, NULL },
	{ TR_R, "hop[1].best>=1ms", 1, "hop[1] best 1.000ms >= 1ms" },
	{ TR_R, "hop[1].best>=1.001ms", 0, NULL },
	{ TR_R, "hop[1].best<1.001ms", 1, "hop[1] best 1.000ms < 1.001ms" },
	{ TR_R, "hop[1].best<1ms", 0, NULL },
	{ TR_R, "hop[1].best<=1ms", 1, "hop[1] best 1.000ms <= 1ms" },
	{ TR_R, "hop[1].best<=0.999ms", 0, NULL },
	{ TR_R, "hop[1].worst>2.999ms", 1, "hop[1] worst 3.000ms > 2.999ms" },
	{ TR_R, "hop[1].worst>3ms", 0, NULL },
	{ TR_R, "hop[1].worst>=3ms", 1, "hop[1] worst 3.000ms >= 3ms" },
	{ TR_R, "hop[1].worst>=3.001ms", 0, NULL },
	{ TR_R, "hop[1].worst<3.001ms", 1, "hop[1] worst 3.000ms < 3.001ms" },
	{ TR_R, "hop[1].worst<3ms", 0, NULL },
	{ TR_R, "hop[1].worst<=3ms", 1, "hop[1] worst 3.000ms <= 3ms" },
	{ TR_R, "hop[1].worst<=2.999ms", 0, NULL },
	{ TR_R, "hop[1].last>1.999ms", 1, "hop[1] last 2.000ms > 1.999ms" },
	{ TR_R, "hop[1].last>2ms", 0, NULL },
	{ TR_R, "hop[1].last>=2ms", 1, "hop[1] last 2.000ms >= 2ms" },
	{ TR_R, "hop[1].last>=2.001ms", 0, NULL },
	{ TR_R, "hop[1].last<2.001ms", 1, "hop[1] last 2.000ms < 2.001ms" },
	{ TR_R, "hop[1].last<2ms", 0, NULL },
	{ TR_R, "hop[1].last<=2ms", 1, "hop[1] last 2.000ms <= 2ms" },
	{ TR_R, "hop[1].last<=1.999ms", 0, NULL },
	{ TR_R, "hop[1].stdev>815us", 1, "hop[1] stdev 0.816ms > 815us" },
	{ TR_R, "hop[1].stdev>816us", 0, NULL },
	{ TR_R, "hop[1].stdev>=816us", 1, "hop[1] stdev 0.816ms >= 816us" },
	{ TR_R, "hop[1].stdev>=817us", 0, NULL },
	{ TR_R, "hop[1].stdev<817us", 1, "hop[1] stdev 0.816ms < 817us" },
	{ TR_R, "hop[1].stdev<816us", 0, NULL },
	{ TR_R, "hop[1].stdev<=816us", 1, "hop[1] stdev 0.816ms <= 816us" },
	{ TR_R, "hop[1].stdev<=815us", 0, NULL },
	{ TR_R, "hop[1].jitter>1.499ms", 1, "hop[1] jitter 1.500ms > 1.499ms" },
	{ TR_R, "hop[1].jitter>1.5ms", 0, NULL },
	{ TR_R, "hop[1].jitter>=1.5ms", 1, "hop[1] jitter 1.500ms >= 1.5ms" },
	{ TR_R, "hop[1].jitter>=1.501ms", 0, NULL },
	{ TR_R, "hop[1].jitter<1.501ms", 1, "hop[1] jitter 1.500ms < 1.501ms" },
	{ TR_R, "hop[1].jitter<1.5ms", 0, NULL },
	{ TR_R, "hop[1].jitter<=1.5ms", 1, "hop[1] jitter 1.500ms <= 1.5ms" },
	{ TR_R, "hop[1].jitter<=1.499ms", 0, NULL },
	{ TR_R, "hop.loss>99.9%", 1, "hop loss 100.0% > 99.9% at hop 2" },
	{ TR_R, "hop.loss>100%", 0, NULL },
	{ TR_R, "hop.loss>=100%", 1, "hop loss 100.0% >= 100% at hop 2" },
	{ TR_R, "hop.loss<0.1%", 1, "hop loss 0.0% < 0.1% at hop 1" },
	{ TR_R, "hop.loss<0%", 0, NULL },
	{ TR_R, "hop.loss<=0%", 1, "hop loss 0.0% <= 0% at hop 1" },
	{ TR_R, "hop.rtt>10.999ms", 1, "hop rtt 11.000ms > 10.999ms at hop 3" },
	{ TR_R, "hop.rtt>11ms", 0, NULL },
	{ TR_R, "hop.rtt>=11ms", 1, "hop rtt 11.000ms >= 11ms at hop 3" },
	{ TR_R, "hop.rtt>=11.001ms", 0, NULL },
	{ TR_R, "hop.rtt<2.001ms", 1, "hop rtt 2.000ms < 2.001ms at hop 1" },
	{ TR_R, "hop.rtt<2ms", 0, NULL },
	{ TR_R, "hop.rtt<=2ms", 1, "hop rtt 2.000ms <= 2ms at hop 1" },
	{ TR_R, "hop.rtt<=1.999ms", 0, NULL },
	{ TR_R, "hop.best>9.999ms", 1, "hop best 10.000ms > 9.999ms at hop 3" },
	{ TR_R, "hop.best>10ms", 0, NULL },
	{ TR_R, "hop.best>=10ms", 1, "hop best 10.000ms >= 10ms at hop 3" },
	{ TR_R, "hop.best>=10.001ms", 0, NULL },
	{ TR_R, "hop.best<1.001ms", 1, "hop best 1.000ms < 1.001ms at hop 1" },
	{ TR_R, "hop.best<1ms", 0, NULL },
	{ TR_R, "hop.best<=1ms", 1, "hop best 1.000ms <= 1ms at hop 1" },
	{ TR_R, "hop.best<=0.999ms", 0, NULL },
	{ TR_R, "hop.worst>11.999ms", 1, "hop worst 12.000ms > 11.999ms at hop 3" },
	{ TR_R, "hop.worst>12ms", 0, NULL },
	{ TR_R, "hop.worst>=12ms", 1, "hop worst 12.000ms >= 12ms at hop 3" },
	{ TR_R, "hop.worst>=12.001ms", 0, NULL },
	{ TR_R, "hop.worst<3.001ms", 1, "hop worst 3.000ms < 3.001ms at hop 1" },
	{ TR_R, "hop.worst<3ms", 0, NULL },
	{ TR_R, "hop.worst<=3ms", 1, "hop worst 3.000ms <= 3ms at hop 1" },
	{ TR_R, "hop.worst<=2.999ms", 0, NULL },
	{ TR_R, "hop.last>11.999ms", 1, "hop last 12.000ms > 11.999ms at hop 3" },
	{ TR_R, "hop.last>12ms", 0, NULL },
	{ TR_R, "hop.last>=12ms", 1, "hop last 12.000ms >= 12ms at hop 3" },
	{ TR_R, "hop.last>=12.001ms", 0, NULL },
	{ TR_R, "hop.last<2.001ms", 1, "hop last 2.000ms < 2.001ms at hop 1" },
	{ TR_R, "hop.last<2ms", 0, NULL },
	{ TR_R, "hop.last<=2ms", 1, "hop last 2.000ms <= 2ms at hop 1" },
	{ TR_R, "hop.last<=1.999ms", 0, NULL },
	{ TR_R, "hop.stdev>999us", 1, "hop stdev 1.000ms > 999us at hop 3" },
	{ TR_R, "hop.stdev>1ms", 0, NULL },
	{ TR_R, "hop.stdev>=1ms", 1, "hop stdev 1.000ms >= 1ms at hop 3" },
	{ TR_R, "hop.stdev>=1.001ms", 0, NULL },
	{ TR_R, "hop.stdev<817us", 1, "hop stdev 0.816ms < 817us at hop 1" },
	{ TR_R, "hop.stdev<816us", 0, NULL },
	{ TR_R, "hop.stdev<=816us", 1, "hop stdev 0.816ms <= 816us at hop 1" },
	{ TR_R, "hop.stdev<=815us", 0, NULL },
	{ TR_R, "hop.jitter>1.999ms", 1, "hop jitter 2.000ms > 1.999ms at hop 3" },
	{ TR_R, "hop.jitter>2ms", 0, NULL },
	{ TR_R, "hop.jitter>=2ms", 1, "hop jitter 2.000ms >= 2ms at hop 3" },
	{ TR_R, "hop.jitter>=2.001ms", 0, NULL },
	{ TR_R, "hop.jitter<1.501ms", 1, "hop jitter 1.500ms < 1.501ms at hop 1" },
	{ TR_R, "hop.jitter<1.5ms", 0, NULL },
	{ TR_R, "hop.jitter<=1.5ms", 1, "hop jitter 1.500ms <= 1.5ms at hop 1" },
	{ TR_R, "hop.jitter<=1.499ms", 0, NULL },
	/* unreached */
	{ TR_U, "unreached", 1, "target not reached" },
	{ TR_EMPTY, "unreached", 1, "target not reached" },
	{ TR_R, "unreached", 0, NULL },
	{ TR_NODEST, "unreached", 0, NULL },
	/* dest of a trace that did not reach its target is nothing */
	{ TR_U, "dest.loss>=0%", 0, NULL },
	{ TR_U, "dest.loss<=100%", 0, NULL },
	{ TR_U, "dest.rtt>=0us", 0, NULL },
	{ TR_EMPTY, "dest.loss>=0%", 0, NULL },
	{ TR_UNREACH2, "dest.loss>=0%", 0, NULL },
	{ TR_UNREACH2, "dest.rtt>=0us", 0, NULL },
	{ TR_UNREACH2, "unreached", 1, "target not reached" },
	{ TR_UNREACH2, "hop[2].rtt>=2ms", 1, "hop[2] rtt 2.000ms >= 2ms" },
	/* hop and hop[N] still speak of the hops an unreached trace shows */
	{ TR_U, "hop.loss>=100%", 1, "hop loss 100.0% >= 100% at hop 2" },
	{ TR_U, "hop[1].rtt>=2ms", 1, "hop[1] rtt 2.000ms >= 2ms" },
	/* nothing shown: nothing holds, whatever the limit */
	{ TR_EMPTY, "hop.loss>=0%", 0, NULL },
	{ TR_EMPTY, "hop.loss<=100%", 0, NULL },
	{ TR_EMPTY, "hop.rtt>=0us", 0, NULL },
	{ TR_EMPTY, "hop[1].loss>=0%", 0, NULL },
	/* dest's hop missing, hop[N] missing */
	{ TR_NODEST, "dest.loss>=0%", 0, NULL },
	{ TR_NODEST, "hop[1].loss<=0%", 1, "hop[1] loss 0.0% <= 0%" },
	{ TR_R, "hop[4].loss>=0%", 0, NULL },
	{ TR_R, "hop[255].rtt>=0us", 0, NULL },
	/* a hop without an answer has no time, but has its loss */
	{ TR_R, "hop[2].rtt>=0us", 0, NULL },
	{ TR_R, "hop[2].rtt<3600s", 0, NULL },
	{ TR_R, "hop[2].best<=1s", 0, NULL },
	{ TR_R, "hop[2].worst>=0us", 0, NULL },
	{ TR_R, "hop[2].last>=0us", 0, NULL },
	{ TR_R, "hop[2].stdev>=0us", 0, NULL },
	{ TR_R, "hop[2].jitter>=0us", 0, NULL },
	{ TR_R, "hop[2].loss>=100%", 1, "hop[2] loss 100.0% >= 100%" },
	/* hop is the first hop shown it holds for */
	{ TR_R, "hop.rtt>=1ms", 1, "hop rtt 2.000ms >= 1ms at hop 1" },
	{ TR_R, "hop.rtt>2ms", 1, "hop rtt 11.000ms > 2ms at hop 3" },
	{ TR_R, "hop.loss>0%", 1, "hop loss 100.0% > 0% at hop 2" },
	{ TR_R, "hop.loss>50%", 1, "hop loss 100.0% > 50% at hop 2" },
	{ TR_R, "hop.loss>=33.3%", 1, "hop loss 100.0% >= 33.3% at hop 2" },
	/* loss is compared as shown, to tenths, rounded half up */
	{ TR_L49, "dest.loss>2%", 0, NULL },
	{ TR_L49, "dest.loss>=2%", 1, "dest loss 2.0% >= 2% at hop 1" },
	{ TR_L49, "dest.loss<=2%", 1, "dest loss 2.0% <= 2% at hop 1" },
	{ TR_L49, "dest.loss>2.04%", 0, NULL },
	{ TR_L48, "dest.loss>2%", 1, "dest loss 2.1% > 2% at hop 1" },
	{ TR_L48, "dest.loss>2.083%", 1, "dest loss 2.1% > 2.083% at hop 1" },
	{ TR_L48, "dest.loss>2.1%", 0, NULL },
	{ TR_L48, "dest.loss>=2.1%", 1, "dest loss 2.1% >= 2.1% at hop 1" },
	{ TR_L16, "dest.loss>6.25%", 1, "dest loss 6.3% > 6.25% at hop 1" },
	{ TR_L16, "dest.loss>6.3%", 0, NULL },
	{ TR_L16, "dest.loss>=6.3%", 1, "dest loss 6.3% >= 6.3% at hop 1" },
	{ TR_R, "dest.loss>33.33%", 0, NULL },
	{ TR_R, "dest.loss<33.33%", 1, "dest loss 33.3% < 33.33% at hop 3" },
	/* equal times: no jitter, no deviation */
	{ TR_L16, "dest.jitter<=0us", 1, "dest jitter 0.000ms <= 0us at hop 1" },
	{ TR_L16, "dest.jitter>0us", 0, NULL },
	{ TR_L16, "dest.stdev<=0us", 1, "dest stdev 0.000ms <= 0us at hop 1" },
	/* answers without a time: received, but no time */
	{ TR_NORTT, "hop[1].loss<=0%", 1, "hop[1] loss 0.0% <= 0%" },
	{ TR_NORTT, "hop[1].rtt>=0us", 0, NULL },
	{ TR_NORTT, "hop[1].best>=0us", 0, NULL },
	{ TR_NORTT, "hop[1].jitter>=0us", 0, NULL },
	{ TR_NORTT, "dest.loss>=50%", 1, "dest loss 50.0% >= 50% at hop 2" },
	{ TR_NORTT, "dest.loss>50%", 0, NULL },
	{ TR_NORTT, "dest.rtt<=1ms", 1, "dest rtt 1.000ms <= 1ms at hop 2" },
	{ TR_NORTT, "hop.rtt>=0us", 1, "hop rtt 1.000ms >= 0us at hop 2" },
	/* one time: a deviation of 0, no jitter */
	{ TR_ONE, "dest.stdev<=0us", 1, "dest stdev 0.000ms <= 0us at hop 1" },
	{ TR_ONE, "dest.jitter>=0us", 0, NULL },
	{ TR_ONE, "dest.jitter<1s", 0, NULL },
	{ TR_ONE, "dest.last>=5ms", 1, "dest last 5.000ms >= 5ms at hop 1" },
	{ TR_ONE, "dest.loss>=50%", 1, "dest loss 50.0% >= 50% at hop 1" },
	/* a hop without probes has no loss either */
	{ TR_ZERO, "dest.loss>=0%", 0, NULL },
	{ TR_ZERO, "hop.loss<=100%", 0, NULL },
	{ TR_ZERO, "dest.rtt>=0us", 0, NULL },
	/* times to the microsecond, means rounded half up */
	{ TR_ROUND, "hop[1].rtt>1.0005ms", 1, "hop[1] rtt 1.001ms > 1.0005ms" },
	{ TR_ROUND, "hop[1].rtt>=1001us", 1, "hop[1] rtt 1.001ms >= 1001us" },
	{ TR_ROUND, "hop[1].rtt<=1ms", 0, NULL },
	{ TR_ROUND, "hop[1].rtt>1001us", 0, NULL },
	{ TR_ROUND, "dest.jitter>=2us", 1, "dest jitter 0.002ms >= 2us at hop 2" },
	{ TR_ROUND, "dest.jitter<2us", 0, NULL },
	{ TR_ROUND, "dest.jitter>1.5us", 1, "dest jitter 0.002ms > 1.5us at hop 2" },
	/* stdev 816.4966 us is compared as 816 */
	{ TR_R, "hop[1].stdev>816.4us", 0, NULL },
	{ TR_R, "hop[1].stdev<816.5us", 1, "hop[1] stdev 0.816ms < 816.5us" },
	/* the limit's unit does not matter, its value does */
	{ TR_R, "dest.rtt>=0.011s", 1, "dest rtt 11.000ms >= 0.011s at hop 3" },
	{ TR_R, "dest.rtt>=11000us", 1, "dest rtt 11.000ms >= 11000us at hop 3" },
	{ TR_R, "dest.rtt>0.011s", 0, NULL },
};

static void test_eval(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(eval_cases) / sizeof(*eval_cases); i++) {
		const struct eval_case *c = &eval_cases[i];
		struct ht_fail_expr e;
		char err[200], why[200];
		int holds;

		if (ht_fail_parse(c->text, &e, err, sizeof(err)) != 0)
			fail_msg("'%s': %s", c->text, err);
		memset(why, 'x', sizeof(why));
		why[sizeof(why) - 1] = '\0';
		holds = ht_fail_eval(&e, &built[c->trace], why, sizeof(why));
		if (holds != c->holds)
			fail_msg("%s: '%s' gave %d, want %d (%s)",
				 traces[c->trace].name, c->text, holds,
				 c->holds, why);
		if (strcmp(why, c->why ? c->why : "") != 0)
			fail_msg("%s: '%s':\n got  %s\n want %s",
				 traces[c->trace].name, c->text, why,
				 c->why ? c->why : "");
	}
}

/* WHY may be cut short or absent; the answer is the same. */
static void test_eval_small_buffer(void **state)
{
	struct ht_fail_expr e;
	char why[12];

	(void)state;
	assert_int_equal(ht_fail_parse("dest.loss>2%", &e, NULL, 0), 0);
	memset(why, 'x', sizeof(why));
	assert_int_equal(ht_fail_eval(&e, &built[TR_R], why, 10), 1);
	assert_string_equal(why, "dest loss");
	assert_int_equal(why[10], 'x');
	assert_int_equal(ht_fail_eval(&e, &built[TR_R], NULL, 0), 1);
	assert_int_equal(ht_fail_eval(&e, &built[TR_U], NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_small_buffer),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_eval_small_buffer),
	};

	return cmocka_run_group_tests(tests, build_traces, NULL);
}

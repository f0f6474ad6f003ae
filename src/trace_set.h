/*
 * trace_set.h: the traces of a recorded run, kept from its events
 * (pure): what hoptrace diff compares (trace_diff.h).
 *
 * Every trace is kept by its index with its start, its hops (deep copies,
 * in the order they came) and its end; nothing of probes, names or AS
 * numbers is kept beyond what the hop records hold.
 */
#ifndef HOPTRACE_TRACE_SET_H
#define HOPTRACE_TRACE_SET_H

#include "events.h"

struct ht_kept_trace {
	int have;			/* a trace-start was seen */
	struct ht_trace_start start;	/* start.target -> target */
	char *target;
	int ended;			/* a trace-end was seen */
	struct ht_trace_end end;	/* end.detail is not kept (NULL) */
	struct ht_hop **hops;
	unsigned hop_count;
	unsigned hop_cap;
};

struct ht_trace_set {
	struct ht_kept_trace *traces;	/* by index; `have` 0 for gaps */
	unsigned count;			/* highest index seen, plus one */
	unsigned cap;
	int run_started;		/* a run-start was seen */
	int run_ended;			/* a run-end was seen */
};

void ht_trace_set_init(struct ht_trace_set *s);
void ht_trace_set_free(struct ht_trace_set *s);
/* Keep what EV says; 0, or -1 when memory ran out (or the index is past
 * any sane run, HT_RENDER_MAX_TRACES). */
int ht_trace_set_event(struct ht_trace_set *s, const struct ht_event *ev);
/* The hop of T with ttl TTL, NULL when the trace shows none. */
const struct ht_hop *ht_kept_hop(const struct ht_kept_trace *t, int ttl);

#endif

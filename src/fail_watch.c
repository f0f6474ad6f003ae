/*
 * fail_watch.c: --fail-on over an event stream (see fail_watch.h).
 *
 * Traces are kept in an array by index, grown as indices come (as the
 * renderers do, with their bound), since the traces of a run are numbered
 * from 0.  A trace's hops are deep copies: an event's pointers are valid
 * only during the call that delivers it.
 */
#include "fail_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

struct watch_trace {
	char *target;			/* copy of the trace-start's */
	struct ht_hop **hops;
	unsigned hop_count;
	unsigned hop_cap;
};

struct ht_fail_watch {
	const struct ht_fail_expr *exprs;
	unsigned expr_count;
	struct watch_trace *traces;
	unsigned trace_count;		/* the array's length */
	int failed;
};

struct ht_fail_watch *ht_fail_watch_new(const struct ht_fail_expr *exprs,
					unsigned count)
{
	struct ht_fail_watch *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->exprs = exprs;
	w->expr_count = count;
	return w;
}

static void trace_clear(struct watch_trace *t)
{
	ht_render_hops_free(t->hops, t->hop_count);
	free(t->target);
	memset(t, 0, sizeof(*t));
}

void ht_fail_watch_free(struct ht_fail_watch *w)
{
	unsigned i;

	if (!w)
		return;
	for (i = 0; i < w->trace_count; i++)
		trace_clear(&w->traces[i]);
	free(w->traces);
	free(w);
}

int ht_fail_watch_failed(const struct ht_fail_watch *w)
{
	return w && w->failed;
}

static struct watch_trace *trace_of(struct ht_fail_watch *w, unsigned trace)
{
	if (ht_render_grow((void **)&w->traces, &w->trace_count,
			   sizeof(*w->traces), trace) < 0)
		return NULL;
	return &w->traces[trace];
}

static int keep_hop(struct watch_trace *t, const struct ht_hop *hop)
{
	return ht_render_hop_keep(&t->hops, &t->hop_count, &t->hop_cap, hop);
}

/* Every condition against trace INDEX, which just ended with TE. */
static int evaluate(struct ht_fail_watch *w, unsigned index,
		    struct watch_trace *t, const struct ht_trace_end *te,
		    struct ht_outbuf *msgs)
{
	struct ht_fail_trace ft;
	struct ht_hop *flat = NULL;
	char target[32];
	unsigned i;
	int held = 0;

	if (t->hop_count) {
		flat = calloc(t->hop_count, sizeof(*flat));
		if (!flat)
			return -1;
		for (i = 0; i < t->hop_count; i++)
			flat[i] = *t->hops[i];
	}
	if (!t->target)
		snprintf(target, sizeof(target), "trace %u", index);
	ft.reached = te->reached;
	ft.distance = te->distance;
	ft.hops = flat;
	ft.hop_count = t->hop_count;
	for (i = 0; i < w->expr_count; i++) {
		char why[256], text[128];

		if (!ht_fail_eval(&w->exprs[i], &ft, why, sizeof(why)))
			continue;
		ht_fail_format(&w->exprs[i], text, sizeof(text));
		ht_outbuf_printf(msgs, "hoptrace: %s: --fail-on '%s' holds: "
				 "%s\n", t->target ? t->target : target, text,
				 why);
		held++;
	}
	free(flat);
	if (held)
		w->failed = 1;
	return held;
}

static int out_of_memory(struct ht_fail_watch *w, struct ht_outbuf *msgs)
{
	w->failed = 1;
	ht_outbuf_puts(msgs, "hoptrace: out of memory for --fail-on\n");
	return -1;
}

int ht_fail_watch_event(struct ht_fail_watch *w, const struct ht_event *ev,
			struct ht_outbuf *msgs)
{
	struct watch_trace *t;
	int held;

	if (!w->expr_count)
		return 0;
	switch (ev->kind) {
	case HT_EV_TRACE_START:
		t = trace_of(w, ev->u.trace_start.trace);
		if (!t)
			return out_of_memory(w, msgs);
		trace_clear(t);
		if (ev->u.trace_start.target) {
			t->target = strdup(ev->u.trace_start.target);
			if (!t->target)
				return out_of_memory(w, msgs);
		}
		return 0;
	case HT_EV_HOP:
		t = trace_of(w, ev->u.hop.trace);
		if (!t || keep_hop(t, &ev->u.hop) < 0)
			return out_of_memory(w, msgs);
		return 0;
	case HT_EV_TRACE_END:
		t = trace_of(w, ev->u.trace_end.trace);
		if (!t)
			return out_of_memory(w, msgs);
		held = evaluate(w, ev->u.trace_end.trace, t, &ev->u.trace_end,
				msgs);
		trace_clear(t);
		if (held < 0)
			return out_of_memory(w, msgs);
		return held;
	default:
		return 0;
	}
}

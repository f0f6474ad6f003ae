/*
 * trace_set.c: see trace_set.h.
 */
#include "trace_set.h"

#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_impl.h"

void ht_trace_set_init(struct ht_trace_set *s)
{
	memset(s, 0, sizeof(*s));
}

static void kept_clear(struct ht_kept_trace *t)
{
	ht_render_hops_free(t->hops, t->hop_count);
	free(t->target);
	memset(t, 0, sizeof(*t));
}

void ht_trace_set_free(struct ht_trace_set *s)
{
	unsigned i;

	for (i = 0; i < s->cap; i++)
		kept_clear(&s->traces[i]);
	free(s->traces);
	ht_trace_set_init(s);
}

static struct ht_kept_trace *kept_of(struct ht_trace_set *s, unsigned i)
{
	if (ht_render_grow((void **)&s->traces, &s->cap, sizeof(*s->traces),
			   i) < 0)
		return NULL;
	if (i >= s->count)
		s->count = i + 1;
	return &s->traces[i];
}

static int keep_hop(struct ht_kept_trace *t, const struct ht_hop *hop)
{
	return ht_render_hop_keep(&t->hops, &t->hop_count, &t->hop_cap, hop);
}

int ht_trace_set_event(struct ht_trace_set *s, const struct ht_event *ev)
{
	struct ht_kept_trace *t;

	switch (ev->kind) {
	case HT_EV_RUN_START:
		s->run_started = 1;
		return 0;
	case HT_EV_RUN_END:
		s->run_ended = 1;
		return 0;
	case HT_EV_TRACE_START:
		t = kept_of(s, ev->u.trace_start.trace);
		if (!t)
			return -1;
		kept_clear(t);
		t->start = ev->u.trace_start;
		t->target = strdup(ev->u.trace_start.target ?
				   ev->u.trace_start.target : "");
		t->start.target = t->target;
		t->have = 1;
		return t->target ? 0 : -1;
	case HT_EV_HOP:
		t = kept_of(s, ev->u.hop.trace);
		if (!t)
			return -1;
		return keep_hop(t, &ev->u.hop);
	case HT_EV_TRACE_END:
		t = kept_of(s, ev->u.trace_end.trace);
		if (!t)
			return -1;
		t->end = ev->u.trace_end;
		t->end.detail = NULL;
		t->ended = 1;
		return 0;
	default:
		return 0;
	}
}

const struct ht_hop *ht_kept_hop(const struct ht_kept_trace *t, int ttl)
{
	unsigned i;

	/* The last one: a recording holds one hop record per ttl, and a
	 * later one would be the more complete. */
	for (i = t->hop_count; i-- > 0;)
		if (t->hops[i]->ttl == ttl)
			return t->hops[i];
	return NULL;
}

/*
 * live_model.c: the live view's model, fed by events (see live_model.h).
 */
#include "live_model.h"

#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

struct ht_live_model *ht_live_model_new(const struct ht_live_config *cfg)
{
	struct ht_live_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->cfg = *cfg;
	return m;
}

static void hop_clear(struct ht_live_hop *h, int ttl)
{
	struct ht_probe *recent = h->recent;

	memset(h, 0, sizeof(*h));
	h->ttl = ttl;
	h->recent = recent;
	ht_stats_acc_init(&h->acc);
}

static void trace_free(struct ht_live_trace *t)
{
	int i;

	for (i = 0; t->hops && i <= t->max_ttl - t->first_ttl; i++)
		free(t->hops[i].recent);
	free(t->hops);
	free(t->target);
}

void ht_live_model_free(struct ht_live_model *m)
{
	unsigned i;

	if (!m)
		return;
	for (i = 0; i < m->trace_count; i++)
		trace_free(&m->traces[i]);
	for (i = 0; i < m->name_count; i++) {
		free(m->names[i].name);
		free(m->names[i].asn);
	}
	free(m->traces);
	free(m->names);
	free(m->version);
	free(m);
}

static void trace_start(struct ht_live_model *m, const struct ht_trace_start *ts)
{
	struct ht_live_trace *t;
	int i, n;

	if (ts->trace >= HT_RENDER_MAX_TRACES ||
	    ts->first_ttl < 1 || ts->max_ttl < ts->first_ttl ||
	    ts->max_ttl > 255)
		return;
	if (ht_render_grow((void **)&m->traces, &m->trace_count,
			   sizeof(*m->traces), ts->trace) < 0) {
		m->failed = 1;
		return;
	}
	t = &m->traces[ts->trace];
	/* A new round of the same trace: the statistics go on. */
	if (t->have)
		return;
	n = ts->max_ttl - ts->first_ttl + 1;
	t->hops = calloc((size_t)n, sizeof(*t->hops));
	t->target = strdup(ts->target ? ts->target : "");
	if (!t->hops || !t->target) {
		free(t->hops);
		free(t->target);
		t->hops = NULL;
		t->target = NULL;
		m->failed = 1;
		return;
	}
	t->have = 1;
	t->address = ts->address;
	t->protocol = ts->protocol;
	t->first_ttl = ts->first_ttl;
	t->max_ttl = ts->max_ttl;
	t->flows = ts->flows > 1 ? ts->flows : 1;
	for (i = 0; i < n; i++)
		hop_clear(&t->hops[i], ts->first_ttl + i);
}

static void add_responder(struct ht_live_hop *h, const struct hp_result *r)
{
	unsigned i;

	for (i = 0; i < h->responder_count; i++)
		if (hp_addr_equal(&h->responders[i].address, &r->responder))
			break;
	if (i == h->responder_count) {
		if (i == HT_LIVE_RESPONDERS) {
			h->others++;
			return;
		}
		h->responders[i].address = r->responder;
		ht_stats_acc_init(&h->responders[i].acc);
		h->responder_count++;
	}
	ht_stats_acc_add(&h->responders[i].acc, r, &r->responder);
}

static void keep_recent(struct ht_live_model *m, struct ht_live_trace *t,
			struct ht_live_hop *h, const struct ht_probe *p)
{
	if (t->flows < 2)
		return;
	if (!h->recent) {
		h->recent = calloc(HT_LIVE_RECENT, sizeof(*h->recent));
		if (!h->recent) {
			m->failed = 1;
			return;
		}
	}
	/* A plain copy: a result holds its labels and names as values. */
	h->recent[h->recent_next] = *p;
	h->recent_next = (h->recent_next + 1) % HT_LIVE_RECENT;
	if (h->recent_count < HT_LIVE_RECENT)
		h->recent_count++;
}

static void probe(struct ht_live_model *m, const struct ht_probe *p)
{
	struct ht_live_trace *t;
	struct ht_live_hop *h;
	unsigned before;

	if (p->trace >= m->trace_count)
		return;
	t = &m->traces[p->trace];
	if (!t->have || p->ttl < t->first_ttl || p->ttl > t->max_ttl)
		return;
	/* Answers from beyond the target (probes sent before its first
	 * answer came) are not hops of the path. */
	if (t->distance && p->ttl > t->distance)
		return;
	h = &t->hops[p->ttl - t->first_ttl];
	h->seen = 1;
	before = h->acc.received;
	ht_stats_acc_add(&h->acc, &p->result, NULL);
	if (h->acc.received > before) {
		add_responder(h, &p->result);
		if (p->ttl > t->highest_answer)
			t->highest_answer = p->ttl;
	}
	if (p->ttl > t->highest_seen)
		t->highest_seen = p->ttl;
	if (p->result.kind == HP_REPLY && h->acc.received > before &&
	    (!t->distance || p->ttl < t->distance))
		t->distance = p->ttl;
	keep_recent(m, t, h, p);
}

static struct ht_live_name *name_entry(struct ht_live_model *m,
				       const struct hp_addr *addr)
{
	unsigned i;

	for (i = 0; i < m->name_count; i++)
		if (hp_addr_equal(&m->names[i].address, addr))
			return &m->names[i];
	if (m->name_count == HT_LIVE_NAMES)
		return NULL;
	if (m->name_count == m->name_cap) {
		unsigned cap = m->name_cap ? m->name_cap * 2 : 16;
		struct ht_live_name *p = realloc(m->names, cap * sizeof(*p));

		if (!p) {
			m->failed = 1;
			return NULL;
		}
		m->names = p;
		m->name_cap = cap;
	}
	memset(&m->names[m->name_count], 0, sizeof(m->names[0]));
	m->names[m->name_count].address = *addr;
	return &m->names[m->name_count++];
}

/* *SLOT = a copy of S (NULL stays NULL). */
static void set_string(struct ht_live_model *m, char **slot, const char *s)
{
	char *copy = NULL;

	if (s) {
		copy = strdup(s);
		if (!copy) {
			m->failed = 1;
			return;
		}
	}
	free(*slot);
	*slot = copy;
}

void ht_live_model_event(struct ht_live_model *m, const struct ht_event *ev)
{
	struct ht_live_name *e;

	switch (ev->kind) {
	case HT_EV_RUN_START:
		set_string(m, &m->version, ev->u.run_start.version);
		m->start_us = ev->u.run_start.start_us;
		break;
	case HT_EV_TRACE_START:
		trace_start(m, &ev->u.trace_start);
		break;
	case HT_EV_PROBE:
		probe(m, &ev->u.probe);
		break;
	case HT_EV_NAME:
		e = name_entry(m, &ev->u.name.address);
		if (e)
			set_string(m, &e->name, ev->u.name.name);
		break;
	case HT_EV_ASN:
		e = name_entry(m, &ev->u.asn.address);
		if (e)
			set_string(m, &e->asn, ev->u.asn.asn);
		break;
	case HT_EV_HOP:
		break;
	case HT_EV_TRACE_END:
		if (ev->u.trace_end.trace < m->trace_count) {
			struct ht_live_trace *t =
				&m->traces[ev->u.trace_end.trace];

			t->rounds_ended++;
			if (ev->u.trace_end.reached)
				t->reached = 1;
		}
		break;
	case HT_EV_RUN_END:
		m->ended = 1;
		m->exit_status = ev->u.run_end.exit_status;
		break;
	}
}

void ht_live_model_reset(struct ht_live_model *m)
{
	unsigned i;
	int h;

	for (i = 0; i < m->trace_count; i++) {
		struct ht_live_trace *t = &m->traces[i];

		if (!t->have)
			continue;
		for (h = 0; h <= t->max_ttl - t->first_ttl; h++)
			hop_clear(&t->hops[h], t->first_ttl + h);
		/* The distance stays: it is where the target is, not a
		 * statistic, and answers from beyond it must stay out. */
		t->highest_answer = 0;
		t->highest_seen = 0;
	}
}

void ht_live_model_names(const struct ht_live_model *m,
			 const struct hp_addr *addr, const char **name,
			 const char **asn)
{
	unsigned i;

	*name = NULL;
	*asn = NULL;
	for (i = 0; i < m->name_count; i++) {
		if (hp_addr_equal(&m->names[i].address, addr)) {
			*name = m->names[i].name;
			*asn = m->names[i].asn;
			return;
		}
	}
}

int ht_live_model_last_ttl(const struct ht_live_trace *t)
{
	int last;

	if (!t->have || !t->highest_seen)
		return 0;
	if (t->distance)
		last = t->distance;
	else
		last = t->highest_answer ? t->highest_answer + 1 :
					   t->first_ttl;
	if (last > t->highest_seen)
		last = t->highest_seen;
	return last;
}

void ht_live_model_recent_hop(const struct ht_live_trace *t, int ttl,
			      struct ht_probe *probes, struct ht_hop *hop)
{
	const struct ht_live_hop *h = &t->hops[ttl - t->first_ttl];
	unsigned i, start;

	memset(hop, 0, sizeof(*hop));
	hop->ttl = ttl;
	hop->probes = probes;
	if (!h->recent)
		return;
	start = h->recent_count < HT_LIVE_RECENT ? 0 : h->recent_next;
	/* Numbered in arrival order: rounds number their cycles from 0
	 * again, and stats.c takes the highest (cycle, query) as the last. */
	for (i = 0; i < h->recent_count; i++) {
		probes[i] = h->recent[(start + i) % HT_LIVE_RECENT];
		probes[i].cycle = i;
		probes[i].query = 0;
	}
	hop->probe_count = h->recent_count;
}

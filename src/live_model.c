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
	int64_t *young = h->young;
	unsigned young_cap = h->young_cap;

	memset(h, 0, sizeof(*h));
	h->ttl = ttl;
	h->recent = recent;
	h->young = young;
	h->young_cap = young_cap;
	ht_stats_acc_init(&h->acc);
}

static void trace_free(struct ht_live_trace *t)
{
	int i;

	for (i = 0; t->hops && i <= t->max_ttl - t->first_ttl; i++) {
		free(t->hops[i].recent);
		free(t->hops[i].young);
	}
	free(t->hops);
	free(t->target);
	free(t->compare);
	free(t->worker);
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
	t->compare = ts->compare ? strdup(ts->compare) : NULL;
	t->worker = ts->worker_name && m->several_workers ?
			    strdup(ts->worker_name) : NULL;
	if (!t->hops || !t->target || (ts->compare && !t->compare) ||
	    (ts->worker_name && m->several_workers && !t->worker)) {
		free(t->hops);
		free(t->target);
		free(t->compare);
		free(t->worker);
		t->worker = NULL;
		t->hops = NULL;
		t->target = NULL;
		t->compare = NULL;
		m->failed = 1;
		return;
	}
	t->have = 1;
	t->address = ts->address;
	t->protocol = ts->protocol;
	t->first_ttl = ts->first_ttl;
	t->max_ttl = ts->max_ttl;
	t->flows = ts->flows > 1 ? ts->flows : 1;
	t->wait_us = (int64_t)ts->wait_ms * 1000;
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

/* The ring's entry I from its head. */
static int64_t *young_at(const struct ht_live_hop *h, unsigned i)
{
	return &h->young[(h->young_head + i) % h->young_cap];
}

/* Grow the ring to twice its size (at most HT_LIVE_YOUNG), keeping its
 * order; 0, or -1 when it cannot. */
static int young_grow(struct ht_live_hop *h)
{
	unsigned cap = h->young_cap ? h->young_cap * 2 : 16, i;
	int64_t *p;

	if (h->young_cap >= HT_LIVE_YOUNG)
		return -1;
	p = malloc(cap * sizeof(*p));
	if (!p)
		return -1;
	for (i = 0; i < h->young_count; i++)
		p[i] = *young_at(h, i);
	free(h->young);
	h->young = p;
	h->young_cap = cap;
	h->young_head = 0;
	return 0;
}

/*
 * An answer to a probe sent at SENT_US: held until its deadline.  The
 * oldest held deadlines at or before SENT_US have passed (the probe was
 * sent after them) and go.  Without a timeout or a send time, or when
 * the ring is full, the answer counts at once, as before.
 */
static void young_add(const struct ht_live_trace *t, struct ht_live_hop *h,
		      int64_t sent_us)
{
	while (h->young_count && *young_at(h, 0) <= sent_us) {
		h->young_head = (h->young_head + 1) % h->young_cap;
		h->young_count--;
	}
	if (t->wait_us <= 0 || sent_us <= 0)
		return;
	if (h->young_count == h->young_cap && young_grow(h) < 0)
		return;
	*young_at(h, h->young_count) = sent_us + t->wait_us;
	h->young_count++;
}

void ht_live_hop_loss(const struct ht_live_hop *h, int64_t now_us,
		      unsigned *settled, unsigned *lost)
{
	unsigned i, ahead = 0;

	for (i = 0; i < h->young_count; i++)
		if (*young_at(h, i) > now_us)
			ahead++;
	*lost = h->acc.sent - h->acc.received;
	*settled = h->acc.sent - ahead;
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
		young_add(t, h, p->sent_us);
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
	case HT_EV_WORKER_LOST:
		/* run.c says it on stderr */
		break;
	case HT_EV_RUN_START:
		set_string(m, &m->version, ev->u.run_start.version);
		m->start_us = ev->u.run_start.start_us;
		m->several_workers = ev->u.run_start.worker_count > 1;
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

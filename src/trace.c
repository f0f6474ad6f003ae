/*
 * trace.c: one target's trace as a state machine (see trace.h).
 *
 * Probes are numbered in slots, hop by hop: slot = (ttl - first_ttl) *
 * per_hop + cycle * queries + query; a hop's probes are one array, so the
 * hop event can point at them directly.  `bound` is the highest ttl
 * still of interest: max_ttl at first, the ttl of the first answer from the
 * target (or of an unreachable) once one came.  Slots above the bound that
 * were not sent yet are skipped; answers to those in flight are counted and
 * otherwise ignored.
 *
 * --mda: the queries are the most flows it may probe (times the probes
 * per flow), and only the first `mda_flows` of them are sent.  Once every
 * hop's probes of the first cycle are in, the stopping rule (mda.h) says
 * whether more flows are wanted; then the next ones go out, at every hop,
 * so that each flow keeps a whole path.  When it wants no more (or the cap
 * is reached) the flows never sent are skipped, hops complete and later
 * cycles probe the flows found; a hop event holds only the flows probed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mda.h"
#include "trace.h"

enum slot_state {
	SLOT_WAITING = 0,
	SLOT_IN_FLIGHT,
	SLOT_DONE,
	SLOT_SKIPPED
};

enum bound_kind {
	BOUND_NONE = 0,
	BOUND_REACHED,
	BOUND_UNREACHABLE
};

struct ht_trace {
	struct ht_trace_params p;
	char *target;
	char *compare;			/* --compare's label; NULL */
	char *worker_name;		/* its worker's; NULL */
	struct ht_trace_hooks hooks;
	int hops;			/* max_ttl - first_ttl + 1 */
	unsigned per_hop;		/* count * queries */
	uint8_t *state;			/* enum slot_state per slot */
	/*
	 * The probes of each hop, allocated when the hop's first probe goes
	 * out: most hops of a trace that reaches its target early are never
	 * probed, and a run of many targets would otherwise clear and fault
	 * in memory for all of them.
	 */
	struct ht_probe **hop_probes;
	unsigned *hop_settled;		/* per hop: slots done or skipped */
	struct ht_responder *responders; /* scratch for one hop event */
	int bound;
	enum bound_kind bound_kind;
	struct hp_addr bound_responder;
	enum hp_kind bound_result;
	int64_t start_us;
	/* The send cursor: the cycle being sent and where in it. */
	unsigned send_cycle;
	int send_ttl;
	int send_query;
	/* The emission cursor and the silent hops held back. */
	int emit_ttl;
	int held_first;
	int held_count;
	int last_shown;
	int last_answering;		/* highest hop shown with an answer */
	struct hp_addr last_answer;
	unsigned in_flight;
	/* --mda (see the top): flows sent so far, whether the rule is met,
	 * whether the cap stopped it, and scratch for the rule and for hop
	 * events without the flows never sent. */
	unsigned mda_flows;
	int mda_settled;
	int mda_capped;
	struct ht_mda_hop *mda_hops;
	struct ht_probe *hop_scratch;
	int started;
	int ended;
	int reached;
	char detail[160];
};

static uint32_t slot_of(const struct ht_trace *t, int ttl, unsigned cycle,
			unsigned query)
{
	return (uint32_t)(ttl - t->p.first_ttl) * t->per_hop +
	       cycle * (unsigned)t->p.queries + query;
}

static unsigned hop_of(const struct ht_trace *t, int ttl)
{
	return (unsigned)(ttl - t->p.first_ttl);
}

static int mda_on(const struct ht_trace *t)
{
	return t->p.mda && t->p.flows > 1;
}

unsigned ht_trace_query_flow(unsigned query, unsigned queries,
			     unsigned flows)
{
	unsigned per_flow;

	if (flows <= 1)
		return 0;
	per_flow = queries >= flows ? queries / flows : 1;
	return query / per_flow % flows;
}

/* The flow (from 0) of the probe at INDEX within its hop. */
static unsigned flow_of_index(const struct ht_trace *t, unsigned index)
{
	return ht_trace_query_flow(index % (unsigned)t->p.queries,
				   (unsigned)t->p.queries,
				   t->p.flows > 1 ? (unsigned)t->p.flows : 1);
}

/* Whether the probe at INDEX of its hop is one of the flows sent. */
static int index_wanted(const struct ht_trace *t, unsigned index)
{
	return !mda_on(t) || flow_of_index(t, index) < t->mda_flows;
}

/* The probes of hop TTL, allocated and numbered on first use; NULL when
 * out of memory. */
static struct ht_probe *hop_probes(struct ht_trace *t, int ttl)
{
	struct ht_probe **hp = &t->hop_probes[hop_of(t, ttl)];
	unsigned c, q;

	if (*hp)
		return *hp;
	*hp = calloc(t->per_hop, sizeof(**hp));
	if (!*hp)
		return NULL;
	for (c = 0; c < (unsigned)t->p.count; c++) {
		for (q = 0; q < (unsigned)t->p.queries; q++) {
			struct ht_probe *pr = &(*hp)[c * (unsigned)t->p.queries + q];

			pr->trace = t->p.index;
			pr->ttl = ttl;
			pr->cycle = c;
			pr->query = q;
			pr->result.kind = HP_NO_REPLY;
			pr->result.rtt_us = -1;
			pr->flow = -1;
		}
	}
	return *hp;
}

static int ttl_of_slot(const struct ht_trace *t, uint32_t slot)
{
	return t->p.first_ttl + (int)(slot / t->per_hop);
}

/* The probe of SLOT; its hop's array must exist (it went out). */
static struct ht_probe *probe_at(struct ht_trace *t, uint32_t slot)
{
	return &t->hop_probes[slot / t->per_hop][slot % t->per_hop];
}

struct ht_trace *ht_trace_new(const struct ht_trace_params *p,
			      const struct ht_trace_hooks *hooks)
{
	struct ht_trace *t;
	size_t slots;

	if (p->first_ttl < 1 || p->max_ttl < p->first_ttl || p->max_ttl > 255 ||
	    p->queries < 1 || p->count < 1)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->p = *p;
	t->hooks = *hooks;
	t->hops = p->max_ttl - p->first_ttl + 1;
	t->per_hop = (unsigned)p->count * (unsigned)p->queries;
	slots = (size_t)t->hops * t->per_hop;
	t->target = strdup(p->target ? p->target : "");
	if (p->compare) {
		t->compare = strdup(p->compare);
		if (!t->compare) {
			free(t->target);
			free(t);
			return NULL;
		}
	}
	t->p.compare = t->compare;
	if (p->worker_name) {
		t->worker_name = strdup(p->worker_name);
		if (!t->worker_name) {
			free(t->compare);
			free(t->target);
			free(t);
			return NULL;
		}
	}
	t->p.worker_name = t->worker_name;
	t->state = calloc(slots, sizeof(*t->state));
	t->hop_probes = calloc((size_t)t->hops, sizeof(*t->hop_probes));
	t->hop_settled = calloc((size_t)t->hops, sizeof(*t->hop_settled));
	t->responders = calloc(t->per_hop, sizeof(*t->responders));
	if (!t->target || !t->state || !t->hop_probes || !t->hop_settled ||
	    !t->responders) {
		ht_trace_free(t);
		return NULL;
	}
	t->p.target = t->target;
	if (mda_on(t)) {
		t->mda_hops = calloc((size_t)t->hops, sizeof(*t->mda_hops));
		t->hop_scratch = calloc(t->per_hop, sizeof(*t->hop_scratch));
		if (!t->mda_hops || !t->hop_scratch) {
			ht_trace_free(t);
			return NULL;
		}
		t->mda_flows = ht_mda_stop(1, p->mda);
		if (t->mda_flows > (unsigned)p->flows)
			t->mda_flows = (unsigned)p->flows;
	}
	t->bound = p->max_ttl;
	t->send_ttl = p->first_ttl;
	t->emit_ttl = p->first_ttl;
	return t;
}

void ht_trace_free(struct ht_trace *t)
{
	int h;

	if (!t)
		return;
	free(t->target);
	free(t->compare);
	free(t->worker_name);
	free(t->state);
	for (h = 0; t->hop_probes && h < t->hops; h++)
		free(t->hop_probes[h]);
	free(t->hop_probes);
	free(t->hop_settled);
	free(t->responders);
	free(t->mda_hops);
	free(t->hop_scratch);
	free(t);
}

static void emit(struct ht_trace *t, const struct ht_event *ev)
{
	t->hooks.emit(t->hooks.arg, ev);
}

void ht_trace_start(struct ht_trace *t, int64_t now_us)
{
	struct ht_event ev;

	if (t->started)
		return;
	t->started = 1;
	t->start_us = now_us;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_START;
	ev.u.trace_start.trace = t->p.index;
	ev.u.trace_start.target = t->target;
	ev.u.trace_start.compare = t->compare;
	ev.u.trace_start.worker = t->p.worker;
	ev.u.trace_start.worker_name = t->worker_name;
	ev.u.trace_start.address = t->p.address;
	ev.u.trace_start.source = t->p.source;
	ev.u.trace_start.protocol = t->p.protocol;
	ev.u.trace_start.port = t->p.port;
	ev.u.trace_start.first_ttl = t->p.first_ttl;
	ev.u.trace_start.max_ttl = t->p.max_ttl;
	ev.u.trace_start.queries = t->p.queries;
	ev.u.trace_start.count = t->p.count;
	ev.u.trace_start.wait_ms = t->p.wait_ms;
	ev.u.trace_start.psize = t->p.psize;
	ev.u.trace_start.flow = t->p.flow;
	ev.u.trace_start.flows = t->p.flows > 1 ? t->p.flows : 1;
	ev.u.trace_start.mda = mda_on(t) ? t->p.mda : 0;
	ev.u.trace_start.pmtu = t->p.pmtu;
	ev.u.trace_start.rate_pps = t->p.rate_pps;
	ev.u.trace_start.start_us = now_us;
	emit(t, &ev);
}

static int64_t cycle_due(const struct ht_trace *t, unsigned cycle)
{
	return t->start_us + (int64_t)cycle * t->p.interval_us;
}

/* --mda, before the rule is met: the first cycle is all sent, and what
 * comes next depends on its results. */
static int mda_waiting(const struct ht_trace *t)
{
	return mda_on(t) && !t->mda_settled && t->send_cycle == 0 &&
	       t->send_ttl > t->bound;
}

int64_t ht_trace_next_due(const struct ht_trace *t)
{
	if (!t->started || t->ended || t->send_cycle >= (unsigned)t->p.count ||
	    mda_waiting(t))
		return -1;
	return cycle_due(t, t->send_cycle);
}

int ht_trace_next(struct ht_trace *t, int64_t now_us, struct ht_trace_send *out)
{
	/* Each pass either returns a slot or moves the cursor forward; the
	 * cursor visits every slot at most once. */
	while (t->started && !t->ended && t->send_cycle < (unsigned)t->p.count) {
		uint32_t slot;

		if (now_us < cycle_due(t, t->send_cycle) || mda_waiting(t))
			return 0;
		if (t->send_ttl > t->bound) {
			t->send_cycle++;
			t->send_ttl = t->p.first_ttl;
			t->send_query = 0;
			continue;
		}
		slot = slot_of(t, t->send_ttl, t->send_cycle,
			       (unsigned)t->send_query);
		if (++t->send_query >= t->p.queries) {
			t->send_query = 0;
			t->send_ttl++;
		}
		if (t->state[slot] != SLOT_WAITING ||
		    !index_wanted(t, slot % t->per_hop))
			continue;
		out->slot = slot;
		out->ttl = ttl_of_slot(t, slot);
		return 1;
	}
	return 0;
}

void ht_trace_sent(struct ht_trace *t, uint32_t slot, int64_t now_us)
{
	if (t->state[slot] != SLOT_WAITING)
		return;
	if (!hop_probes(t, ttl_of_slot(t, slot)))
		return;		/* out of memory: as if never sent */
	t->state[slot] = SLOT_IN_FLIGHT;
	probe_at(t, slot)->sent_us = now_us;
	t->in_flight++;
}

void ht_trace_sent_as(struct ht_trace *t, uint32_t slot, int size, int flow)
{
	struct ht_probe *pr;

	if (t->state[slot] != SLOT_IN_FLIGHT)
		return;
	pr = probe_at(t, slot);
	pr->size = size;
	pr->flow = flow;
}

/* Lower the bound to TTL: slots above it that were not sent never will be. */
static void lower_bound(struct ht_trace *t, int ttl)
{
	int h;
	unsigned i;

	for (h = ttl + 1; h <= t->bound; h++) {
		uint32_t base = slot_of(t, h, 0, 0);

		for (i = 0; i < t->per_hop; i++) {
			if (t->state[base + i] == SLOT_WAITING) {
				t->state[base + i] = SLOT_SKIPPED;
				t->hop_settled[hop_of(t, h)]++;
			}
		}
	}
	t->bound = ttl;
}

static int is_unreachable(enum hp_kind k)
{
	return k == HP_NO_ROUTE || k == HP_NO_ROUTE_NETWORK ||
	       k == HP_NO_ROUTE_HOST || k == HP_NETWORK_DOWN ||
	       k == HP_HOST_DOWN;
}

/* A result that names a responder who answered (not a local error). */
static int is_answer(const struct hp_result *r)
{
	return r->responder.family != 0 &&
	       (r->kind == HP_REPLY || r->kind == HP_TTL_EXPIRED ||
		is_unreachable(r->kind));
}

/* Collect the responders of hop TTL into t->responders, in order of first
 * answer.  Returns 0 while a name is pending, else 1; *COUNT is set. */
static int hop_responders(struct ht_trace *t, int ttl, unsigned *count)
{
	const struct ht_probe *pr = hop_probes(t, ttl);
	unsigned i, j, n = 0;
	int ready = 1;

	*count = 0;
	if (!pr)
		return 1;

	for (i = 0; i < t->per_hop; i++) {
		if (!is_answer(&pr[i].result))
			continue;
		for (j = 0; j < n; j++)
			if (hp_addr_equal(&t->responders[j].address,
					  &pr[i].result.responder))
				break;
		if (j == n) {
			memset(&t->responders[n], 0, sizeof(t->responders[n]));
			t->responders[n].address = pr[i].result.responder;
			n++;
		}
		t->responders[j].answers++;
	}
	for (j = 0; j < n && t->hooks.names; j++) {
		if (!t->hooks.names(t->hooks.arg, t, &t->responders[j].address,
				    &t->responders[j].name,
				    &t->responders[j].asn))
			ready = 0;
	}
	*count = n;
	return ready;
}

static void emit_hop(struct ht_trace *t, int ttl, unsigned responder_count)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_HOP;
	ev.u.hop.trace = t->p.index;
	ev.u.hop.ttl = ttl;
	ev.u.hop.probe_count = t->per_hop;
	ev.u.hop.probes = hop_probes(t, ttl);
	if (!ev.u.hop.probes)
		return;
	if (mda_on(t)) {
		unsigned i, n = 0;

		for (i = 0; i < t->per_hop; i++)
			if (index_wanted(t, i))
				t->hop_scratch[n++] = ev.u.hop.probes[i];
		ev.u.hop.probe_count = n;
		ev.u.hop.probes = t->hop_scratch;
	}
	ev.u.hop.responder_count = responder_count;
	ev.u.hop.responders = t->responders;
	emit(t, &ev);
	t->last_shown = ttl;
}

static void emit_end(struct ht_trace *t, enum ht_reason reason, int64_t now_us)
{
	struct ht_event ev;

	t->ended = 1;
	t->reached = reason == HT_REASON_REACHED;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_TRACE_END;
	ev.u.trace_end.trace = t->p.index;
	ev.u.trace_end.reached = t->reached;
	ev.u.trace_end.reason = reason;
	ev.u.trace_end.detail = t->detail;
	ev.u.trace_end.distance = t->reached ? t->bound : 0;
	ev.u.trace_end.last_ttl = t->last_shown;
	ev.u.trace_end.hidden_silent_hops =
		t->held_count > 1 ? (unsigned)t->held_count - 1 : 0;
	if (mda_on(t)) {
		ev.u.trace_end.mda_flows = t->mda_flows;
		ev.u.trace_end.mda_capped = t->mda_capped;
	}
	ev.u.trace_end.end_us = now_us;
	emit(t, &ev);
}

static const char *unreachable_words(enum hp_kind k)
{
	switch (k) {
	case HP_NO_ROUTE_NETWORK:
		return "network unreachable";
	case HP_NO_ROUTE_HOST:
		return "host unreachable";
	case HP_NETWORK_DOWN:
		return "network down";
	case HP_HOST_DOWN:
		return "host down";
	default:
		return "unreachable";
	}
}

static void finish(struct ht_trace *t, int64_t now_us)
{
	char who[HP_ADDR_TEXT], target[HP_ADDR_TEXT];

	hp_addr_format(&t->p.address, target, sizeof(target));
	if (t->bound_kind == BOUND_REACHED) {
		snprintf(t->detail, sizeof(t->detail),
			 "%s answered at hop %d", target, t->bound);
		emit_end(t, HT_REASON_REACHED, now_us);
		return;
	}
	if (t->bound_kind == BOUND_UNREACHABLE) {
		hp_addr_format(&t->bound_responder, who, sizeof(who));
		if (who[0])
			snprintf(t->detail, sizeof(t->detail),
				 "%s: %s said %s at hop %d", target, who,
				 unreachable_words(t->bound_result), t->bound);
		else
			snprintf(t->detail, sizeof(t->detail),
				 "%s: %s at hop %d (sending failed)", target,
				 unreachable_words(t->bound_result), t->bound);
		emit_end(t, HT_REASON_UNREACHABLE, now_us);
		return;
	}
	if (t->last_answering) {
		hp_addr_format(&t->last_answer, who, sizeof(who));
		snprintf(t->detail, sizeof(t->detail),
			 "no answer from %s within %d hops; the last answer "
			 "came from %s at hop %d",
			 target, t->p.max_ttl, who, t->last_answering);
	} else {
		snprintf(t->detail, sizeof(t->detail),
			 "no answer from %s or any hop within %d hops", target,
			 t->p.max_ttl);
	}
	/* Show the first silent hop after the last answer: where it died. */
	if (t->held_count > 0)
		emit_hop(t, t->held_first, 0);
	emit_end(t, HT_REASON_NO_ANSWER, now_us);
}

/* Emit every hop that is complete, in ttl order, and the summary once the
 * last one is out. */
static void advance(struct ht_trace *t, int64_t now_us)
{
	while (!t->ended) {
		int ttl = t->emit_ttl, h;
		unsigned n;

		if (ttl > t->bound) {
			finish(t, now_us);
			return;
		}
		if (t->hop_settled[hop_of(t, ttl)] < t->per_hop)
			return;
		if (!hop_responders(t, ttl, &n))
			return;
		if (n == 0) {
			if (t->held_count++ == 0)
				t->held_first = ttl;
			t->emit_ttl++;
			continue;
		}
		/* A later hop answered: the silent ones before it are shown. */
		for (h = 0; h < t->held_count; h++)
			emit_hop(t, t->held_first + h, 0);
		t->held_count = 0;
		emit_hop(t, ttl, n);
		t->last_answering = ttl;
		t->last_answer = t->responders[0].address;
		t->emit_ttl++;
	}
}

/*
 * --mda: the first cycle's probes at one hop, once all of them are in:
 * the flows answered and the distinct responders into *OUT; 0 while some
 * are still out.
 */
static int mda_hop(struct ht_trace *t, int ttl, struct ht_mda_hop *out)
{
	uint32_t base = slot_of(t, ttl, 0, 0);
	uint64_t answered = 0;
	unsigned q, j, n = 0;

	for (q = 0; q < (unsigned)t->p.queries; q++) {
		const struct ht_probe *pr;

		if (!index_wanted(t, q))
			continue;
		if (t->state[base + q] == SLOT_WAITING ||
		    t->state[base + q] == SLOT_IN_FLIGHT)
			return 0;
		if (t->state[base + q] != SLOT_DONE)
			continue;
		pr = probe_at(t, base + q);
		if (!is_answer(&pr->result))
			continue;
		answered |= (uint64_t)1 << flow_of_index(t, q);
		/* Distinct responders: an earlier answer from the same? */
		for (j = 0; j < q; j++) {
			const struct ht_probe *e;

			if (!index_wanted(t, j) ||
			    t->state[base + j] != SLOT_DONE)
				continue;
			e = probe_at(t, base + j);
			if (is_answer(&e->result) &&
			    hp_addr_equal(&e->result.responder,
					  &pr->result.responder))
				break;
		}
		if (j == q)
			n++;
	}
	out->answered_flows = (unsigned)__builtin_popcountll(answered);
	out->responders = n;
	return 1;
}

/*
 * --mda: once the first cycle is all in, more flows (the cursor goes back
 * to send them), or the rule is met: the flows never sent are skipped.
 */
static void mda_check(struct ht_trace *t)
{
	unsigned n = 0, want, i;
	int ttl;

	if (!mda_on(t) || t->mda_settled)
		return;
	for (ttl = t->p.first_ttl; ttl <= t->bound; ttl++)
		if (!mda_hop(t, ttl, &t->mda_hops[n++]))
			return;
	want = ht_mda_flows_needed(t->mda_hops, n, t->mda_flows, UINT32_MAX,
				   t->p.mda);
	if (want > (unsigned)t->p.flows) {
		t->mda_capped = 1;
		want = (unsigned)t->p.flows;
	}
	if (want > t->mda_flows) {
		t->mda_flows = want;
		t->send_cycle = 0;
		t->send_ttl = t->p.first_ttl;
		t->send_query = 0;
		return;
	}
	t->mda_settled = 1;
	for (ttl = t->p.first_ttl; ttl <= t->bound; ttl++) {
		uint32_t base = slot_of(t, ttl, 0, 0);

		for (i = 0; i < t->per_hop; i++) {
			if (t->state[base + i] == SLOT_WAITING &&
			    !index_wanted(t, i)) {
				t->state[base + i] = SLOT_SKIPPED;
				t->hop_settled[hop_of(t, ttl)]++;
			}
		}
	}
}

void ht_trace_result(struct ht_trace *t, uint32_t slot,
		     const struct hp_result *r, int64_t now_us)
{
	struct ht_probe *pr;
	struct ht_event ev;
	int ttl;

	if (slot >= (uint32_t)t->hops * t->per_hop ||
	    t->state[slot] != SLOT_IN_FLIGHT)
		return;
	t->state[slot] = SLOT_DONE;
	t->in_flight--;
	pr = probe_at(t, slot);
	ttl = pr->ttl;
	t->hop_settled[hop_of(t, ttl)]++;
	if (t->ended || ttl > t->bound)
		return;
	pr->result = *r;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_PROBE;
	ev.u.probe = *pr;
	emit(t, &ev);

	if (is_answer(r) && t->hooks.names) {
		const char *name, *asn;

		/* Start the lookups now, so that they are done (or nearly)
		 * when the hop is complete. */
		(void)t->hooks.names(t->hooks.arg, t, &r->responder, &name,
				     &asn);
	}
	if (r->kind == HP_REPLY || is_unreachable(r->kind)) {
		enum bound_kind k = r->kind == HP_REPLY ? BOUND_REACHED :
							 BOUND_UNREACHABLE;

		/* The lowest ttl wins; at one ttl the target's own answer wins
		 * over an unreachable. */
		if (ttl < t->bound || t->bound_kind == BOUND_NONE ||
		    (k == BOUND_REACHED && t->bound_kind != BOUND_REACHED)) {
			lower_bound(t, ttl);
			t->bound_kind = k;
			t->bound_responder = r->responder;
			t->bound_result = r->kind;
		}
	}
	mda_check(t);
	advance(t, now_us);
}

void ht_trace_names_settled(struct ht_trace *t, int64_t now_us)
{
	if (t->started && !t->ended)
		advance(t, now_us);
}

/* The highest ttl with a probe that went out; 0 when none did. */
static int highest_sent_ttl(const struct ht_trace *t)
{
	int ttl;
	unsigned i;

	for (ttl = t->bound; ttl >= t->p.first_ttl; ttl--) {
		uint32_t base = slot_of(t, ttl, 0, 0);

		for (i = 0; i < t->per_hop; i++)
			if (t->state[base + i] == SLOT_IN_FLIGHT ||
			    t->state[base + i] == SLOT_DONE)
				return ttl;
	}
	return 0;
}

static void emit_probe(struct ht_trace *t, const struct ht_probe *pr)
{
	struct ht_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_PROBE;
	ev.u.probe = *pr;
	emit(t, &ev);
}

void ht_trace_abort(struct ht_trace *t, enum ht_reason reason,
		    const char *detail, int64_t now_us)
{
	int ttl, last, first, shown, heard = 0;

	if (t->ended || !t->started)
		return;
	snprintf(t->detail, sizeof(t->detail), "%s", detail ? detail : "");
	/*
	 * Show what was learnt: every hop not shown yet up to the highest
	 * one probed, names or not, its probes still out marked with what
	 * became of them (the worker died with them, or they were never
	 * answered).  As at a normal end, of the silent hops past the last
	 * one that answered only the first is shown, the rest counted.
	 * Nothing is sent or shown after this.
	 */
	last = highest_sent_ttl(t);
	first = t->emit_ttl - t->held_count;
	for (ttl = first; ttl <= last; ttl++) {
		uint32_t base = slot_of(t, ttl, 0, 0);
		unsigned i, n = 0;

		for (i = 0; i < t->per_hop; i++) {
			struct ht_probe *pr;

			if (t->state[base + i] != SLOT_IN_FLIGHT)
				continue;
			pr = probe_at(t, base + i);
			pr->result.kind = reason == HT_REASON_WORKER_FAILED ?
						  HP_WORKER_FAILED :
						  HP_NO_REPLY;
			pr->result.rtt_us = -1;
			/* A probe lost with its worker is a record of its own
			 * (worker-lost), as every answered one is. */
			if (reason == HT_REASON_WORKER_FAILED)
				emit_probe(t, pr);
		}
		(void)hop_responders(t, ttl, &n);
		if (n > 0)
			heard = ttl;
	}
	shown = heard >= first ? heard + 1 : first;
	if (shown > last)
		shown = last;
	for (ttl = first; ttl <= shown; ttl++) {
		unsigned n = 0;

		(void)hop_responders(t, ttl, &n);
		emit_hop(t, ttl, n);
	}
	/* emit_end counts the held hops after the first as hidden. */
	t->held_count = last > shown ? last - shown + 1 : 0;
	emit_end(t, reason, now_us);
}

int ht_trace_restart(struct ht_trace *t, int64_t start_us)
{
	size_t slots = (size_t)t->hops * t->per_hop;
	int h;

	if (!t->ended || t->in_flight)
		return -1;
	memset(t->state, 0, slots * sizeof(*t->state));
	memset(t->hop_settled, 0, (size_t)t->hops * sizeof(*t->hop_settled));
	/* The hops' probes are numbered again when they next go out. */
	for (h = 0; h < t->hops; h++) {
		free(t->hop_probes[h]);
		t->hop_probes[h] = NULL;
	}
	t->bound = t->p.max_ttl;
	t->bound_kind = BOUND_NONE;
	memset(&t->bound_responder, 0, sizeof(t->bound_responder));
	t->send_cycle = 0;
	t->send_ttl = t->p.first_ttl;
	t->send_query = 0;
	t->emit_ttl = t->p.first_ttl;
	t->held_first = 0;
	t->held_count = 0;
	t->last_shown = 0;
	t->last_answering = 0;
	memset(&t->last_answer, 0, sizeof(t->last_answer));
	t->started = 0;
	t->ended = 0;
	t->reached = 0;
	t->detail[0] = '\0';
	ht_trace_start(t, start_us);
	return 0;
}

void ht_trace_delay(struct ht_trace *t, int64_t delta_us)
{
	/* start_us is only the base of the cycles' due times (the event
	 * had its own copy). */
	if (t->started && !t->ended && delta_us > 0)
		t->start_us += delta_us;
}

int ht_trace_ended(const struct ht_trace *t)
{
	return t->ended;
}

int ht_trace_reached(const struct ht_trace *t)
{
	return t->reached;
}

unsigned ht_trace_index(const struct ht_trace *t)
{
	return t->p.index;
}

unsigned ht_trace_in_flight(const struct ht_trace *t)
{
	return t->in_flight;
}

int ht_trace_slot_ttl(const struct ht_trace *t, uint32_t slot)
{
	if (slot >= (uint32_t)t->hops * t->per_hop)
		return -1;
	return ttl_of_slot(t, slot);
}

int ht_trace_slot_query(const struct ht_trace *t, uint32_t slot)
{
	if (slot >= (uint32_t)t->hops * t->per_hop)
		return -1;
	return (int)(slot % t->per_hop % (unsigned)t->p.queries);
}

int ht_trace_slot_flow(const struct ht_trace *t, uint32_t slot)
{
	if (slot >= (uint32_t)t->hops * t->per_hop)
		return -1;
	return (int)flow_of_index(t, slot % t->per_hop);
}

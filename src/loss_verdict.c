/*
 * loss_verdict.c: whether a hop's loss carries on (see loss_verdict.h).
 */
#include "loss_verdict.h"
#include "paths.h"
#include "stats.h"

#include <math.h>
#include <string.h>

/* The margin of loss_verdict.h, in pooled standard errors. */
#define MARGIN_SE 4.0

const char *ht_loss_kind_name(enum ht_loss_kind kind)
{
	switch (kind) {
	case HT_LOSS_CARRIES:
		return "carries";
	case HT_LOSS_OWN:
		return "own";
	case HT_LOSS_UNSURE:
		break;
	}
	return "unsure";
}

/*
 * How many pooled standard errors A's loss proportion is above B's; 0
 * when it is not above.  When it is, A lost something and B answered
 * something, so the pooled proportion is strictly between 0 and 1 and the
 * standard error is not 0.
 */
static double excess_se(unsigned a_sent, unsigned a_lost, unsigned b_sent,
			unsigned b_lost)
{
	double pa = (double)a_lost / a_sent;
	double pb = (double)b_lost / b_sent;
	double p = (double)(a_lost + b_lost) / (a_sent + b_sent);

	if (pa <= pb)
		return 0.0;
	return (pa - pb) /
	       sqrt(p * (1.0 - p) * (1.0 / a_sent + 1.0 / b_sent));
}

enum ht_loss_kind ht_loss_judge(unsigned sent, unsigned lost,
				unsigned dest_sent, unsigned dest_lost)
{
	if (excess_se(sent, lost, dest_sent, dest_lost) > MARGIN_SE)
		return HT_LOSS_OWN;
	/* dest_lost / dest_sent < (lost / sent) / 2, in integers. */
	if (2ULL * dest_lost * sent < (unsigned long long)lost * dest_sent)
		return HT_LOSS_UNSURE;
	return HT_LOSS_CARRIES;
}

/* ht_hop_stats_select's filter: the probe is of one of the path's flows
 * (NULL: every probe). */
static int of_flows(const void *arg, const struct ht_probe *pr)
{
	const struct ht_path *p = arg;
	unsigned i;

	if (!p)
		return 1;
	if (pr->flow < 0)
		return 0;
	for (i = 0; i < p->flow_count; i++)
		if (p->flows[i] == pr->flow)
			return 1;
	return 0;
}

/* Every flow of INNER is one of OUTER's (NULL: all flows). */
static int flows_within(const struct ht_path *inner,
			const struct ht_path *outer)
{
	unsigned i, j;

	if (!outer)
		return 1;
	if (!inner)
		return 0;
	for (i = 0; i < inner->flow_count; i++) {
		for (j = 0; j < outer->flow_count; j++)
			if (outer->flows[j] == inner->flows[i])
				break;
		if (j == outer->flow_count)
			return 0;
	}
	return 1;
}

/*
 * The hops judged, seen as counts: the probes' hops or the live view's
 * (ht_loss_hop), so that the choice of the hop compared with and the
 * verdicts' order are the same for both.
 */
struct hop_source {
	unsigned n;
	void (*counts)(const void *arg, unsigned i, struct ht_loss_hop *out);
	const void *arg;
};

static void probe_hop_counts(const void *arg, unsigned i,
			     struct ht_loss_hop *out)
{
	const struct ht_hop *h = ((const struct ht_hop *const *)arg)[i];
	struct ht_hop_stats st;
	unsigned j;

	ht_hop_stats_compute(h->probes, h->probe_count, NULL, &st);
	memset(out, 0, sizeof(*out));
	out->ttl = h->ttl;
	out->sent = st.sent;
	out->received = st.received;
	if (h->responder_count) {
		out->first = h->responders[0].address;
		return;
	}
	/* Responders are listed in order of first answer: the same. */
	for (j = 0; j < h->probe_count && !out->first.family; j++)
		out->first = h->probes[j].result.responder;
}

static void count_hop_counts(const void *arg, unsigned i,
			     struct ht_loss_hop *out)
{
	*out = ((const struct ht_loss_hop *)arg)[i];
}

/* The hop compared with: the destination, else the deepest that
 * answered; its index, or -1. */
static int evidence_index(const struct hop_source *src, int dest_ttl)
{
	unsigned i;

	for (i = src->n; i-- > 0;) {
		struct ht_loss_hop c;

		src->counts(src->arg, i, &c);
		if (dest_ttl > 0 ? c.ttl == dest_ttl : c.received > 0)
			return (int)i;
	}
	return -1;
}

/* What the verdicts so far need to leave a continuation out. */
struct carried {
	unsigned sent, lost;
	int all_flows;			/* the whole hop, not one path */
	struct ht_path path;
};

struct judging {
	int evidence_ttl;
	int evidence_is_dest;
	struct ht_loss_verdicts *out;
	struct carried carried[HT_LOSS_VERDICTS];
	unsigned carried_count;
};

/* Loss that carries on and is no larger than some earlier carried loss
 * over a superset of its flows started at that earlier hop. */
static int continues_earlier(const struct judging *j, unsigned sent,
			     unsigned lost, const struct ht_path *path)
{
	unsigned i;

	for (i = 0; i < j->carried_count; i++) {
		const struct carried *c = &j->carried[i];

		if (!flows_within(path, c->all_flows ? NULL : &c->path))
			continue;
		if (excess_se(sent, lost, c->sent, c->lost) <= MARGIN_SE)
			return 1;
	}
	return 0;
}

/* Judge LOST of SENT at hop TTL (answered first by WHO), over PATH's
 * flows (NULL: all of them), against EV_LOST of EV_SENT. */
static void judge_one(struct judging *j, int ttl, const struct hp_addr *who,
		      const struct ht_path *path, unsigned sent,
		      unsigned lost, unsigned ev_sent, unsigned ev_lost)
{
	struct ht_loss_verdicts *out = j->out;
	struct ht_loss_verdict *v;
	enum ht_loss_kind kind;

	if (ev_sent == 0)
		return;
	kind = ht_loss_judge(sent, lost, ev_sent, ev_lost);
	if (kind == HT_LOSS_CARRIES) {
		if (continues_earlier(j, sent, lost, path))
			return;
		if (j->carried_count < HT_LOSS_VERDICTS) {
			struct carried *c = &j->carried[j->carried_count++];

			c->sent = sent;
			c->lost = lost;
			c->all_flows = !path;
			if (path)
				c->path = *path;
		}
	}
	if (out->count == HT_LOSS_VERDICTS) {
		out->left_out++;
		return;
	}
	v = &out->v[out->count++];
	memset(v, 0, sizeof(*v));
	v->ttl = ttl;
	if (path)
		v->path = path->address;
	v->who = *who;
	v->kind = kind;
	v->sent = sent;
	v->lost = lost;
	v->evidence_ttl = j->evidence_ttl;
	v->evidence_is_dest = j->evidence_is_dest;
	v->evidence_sent = ev_sent;
	v->evidence_lost = ev_lost;
}

/* --flows: each path of HOP against EVIDENCE's probes of its flows. */
static void judge_paths(struct judging *j, const struct ht_hop *hop,
			const struct ht_hop *evidence)
{
	struct ht_hop_paths hp;
	unsigned i;

	ht_hop_paths_compute(hop, &hp);
	for (i = 0; i < hp.path_count; i++) {
		const struct ht_path *p = &hp.paths[i];
		struct ht_hop_stats ev;

		/* The flows nobody answered here are silence, not loss. */
		if (!p->address.family || p->stats.received == 0 ||
		    p->stats.received >= p->stats.sent)
			continue;
		ht_hop_stats_select(evidence->probes, evidence->probe_count,
				    of_flows, p, NULL, &ev);
		judge_one(j, hop->ttl, &p->address, p, p->stats.sent,
			  p->stats.sent - p->stats.received, ev.sent,
			  ev.sent - ev.received);
	}
}

/*
 * Every hop before the one compared with, in order.  HOPS, when given,
 * are SRC's hops with their probes, for BY_PATH.
 */
static void judge_all(const struct hop_source *src,
		      const struct ht_hop *const *hops, int dest_ttl,
		      int by_path, struct ht_loss_verdicts *out)
{
	struct judging j;
	struct ht_loss_hop ev;
	unsigned i;
	int e;

	memset(out, 0, sizeof(*out));
	e = evidence_index(src, dest_ttl);
	if (e < 0)
		return;
	memset(&j, 0, sizeof(j));
	j.out = out;
	src->counts(src->arg, (unsigned)e, &ev);
	j.evidence_ttl = ev.ttl;
	j.evidence_is_dest = dest_ttl > 0;
	for (i = 0; i < (unsigned)e; i++) {
		struct ht_loss_hop c;

		if (by_path && hops) {
			judge_paths(&j, hops[i], hops[e]);
			continue;
		}
		src->counts(src->arg, i, &c);
		if (c.received == 0 || c.received >= c.sent)
			continue;
		judge_one(&j, c.ttl, &c.first, NULL, c.sent,
			  c.sent - c.received, ev.sent, ev.sent - ev.received);
	}
}

void ht_loss_verdicts_compute(const struct ht_hop *const *hops, unsigned n,
			      int dest_ttl, int by_path,
			      struct ht_loss_verdicts *out)
{
	struct hop_source src = { n, probe_hop_counts, hops };

	judge_all(&src, hops, dest_ttl, by_path, out);
}

void ht_loss_verdicts_counts(const struct ht_loss_hop *hops, unsigned n,
			     int dest_ttl, struct ht_loss_verdicts *out)
{
	struct hop_source src = { n, count_hop_counts, hops };

	judge_all(&src, NULL, dest_ttl, 0, out);
}

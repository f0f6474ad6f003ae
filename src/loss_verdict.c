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

/* The hop compared with: the destination, else the deepest that
 * answered. */
static const struct ht_hop *evidence_hop(const struct ht_hop *const *hops,
					 unsigned n, int dest_ttl)
{
	unsigned i;

	for (i = n; i-- > 0;) {
		struct ht_hop_stats st;

		if (dest_ttl > 0) {
			if (hops[i]->ttl == dest_ttl)
				return hops[i];
			continue;
		}
		ht_hop_stats_compute(hops[i]->probes, hops[i]->probe_count,
				     NULL, &st);
		if (st.received > 0)
			return hops[i];
	}
	return NULL;
}

/* What the verdicts so far need to leave a continuation out. */
struct carried {
	unsigned sent, lost;
	int all_flows;			/* the whole hop, not one path */
	struct ht_path path;
};

struct judging {
	const struct ht_hop *evidence;
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

/* Judge LOST of SENT at HOP, over PATH's flows (NULL: all of them). */
static void judge_one(struct judging *j, const struct ht_hop *hop,
		      const struct ht_path *path, unsigned sent,
		      unsigned lost)
{
	struct ht_loss_verdicts *out = j->out;
	struct ht_loss_verdict *v;
	struct ht_hop_stats ev;
	enum ht_loss_kind kind;

	ht_hop_stats_select(j->evidence->probes, j->evidence->probe_count,
			    of_flows, path, NULL, &ev);
	if (ev.sent == 0)
		return;
	kind = ht_loss_judge(sent, lost, ev.sent, ev.sent - ev.received);
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
	v->ttl = hop->ttl;
	if (path)
		v->path = path->address;
	v->kind = kind;
	v->sent = sent;
	v->lost = lost;
	v->evidence_ttl = j->evidence->ttl;
	v->evidence_is_dest = j->evidence_is_dest;
	v->evidence_sent = ev.sent;
	v->evidence_lost = ev.sent - ev.received;
}

static void judge_paths(struct judging *j, const struct ht_hop *hop)
{
	struct ht_hop_paths hp;
	unsigned i;

	ht_hop_paths_compute(hop, &hp);
	for (i = 0; i < hp.path_count; i++) {
		const struct ht_path *p = &hp.paths[i];

		/* The flows nobody answered here are silence, not loss. */
		if (!p->address.family || p->stats.received == 0 ||
		    p->stats.received >= p->stats.sent)
			continue;
		judge_one(j, hop, p, p->stats.sent,
			  p->stats.sent - p->stats.received);
	}
}

void ht_loss_verdicts_compute(const struct ht_hop *const *hops, unsigned n,
			      int dest_ttl, int by_path,
			      struct ht_loss_verdicts *out)
{
	struct judging j;
	unsigned i;

	memset(out, 0, sizeof(*out));
	memset(&j, 0, sizeof(j));
	j.out = out;
	j.evidence = evidence_hop(hops, n, dest_ttl);
	if (!j.evidence)
		return;
	j.evidence_is_dest = dest_ttl > 0;
	for (i = 0; i < n && hops[i]->ttl < j.evidence->ttl; i++) {
		struct ht_hop_stats st;

		if (by_path) {
			judge_paths(&j, hops[i]);
			continue;
		}
		ht_hop_stats_compute(hops[i]->probes, hops[i]->probe_count,
				     NULL, &st);
		if (st.received == 0 || st.received >= st.sent)
			continue;
		judge_one(&j, hops[i], NULL, st.sent, st.sent - st.received);
	}
}

/*
 * loss_verdict.h: whether the loss seen at a hop carries on to the
 * destination (pure).
 *
 * A router that answers only some of the probes that expire at it may be
 * where packets die, or it may only limit the rate of its own ICMP
 * errors while forwarding everything: the hops after it tell the two
 * apart.  If the destination loses about as many of the same probes'
 * flows, the loss carries on; if it loses clearly fewer, the hop drops
 * only its own answers and is not where packets die.
 *
 * "Clearly fewer" is a test on the two proportions: the destination's
 * loss is more than four standard errors (pooled) below the hop's.
 * Within that margin the loss carries on when the destination lost at
 * least half as much as the hop; when it lost less than that (nothing,
 * say), there were too few probes to tell.  Four standard errors keep
 * the verdict for two equal losses from flipping by chance (about one
 * comparison in 30,000), and still decide 30% against 0% from about 50
 * probes each.  The half keeps a destination that lost a little from
 * making a large loss at a hop "carry on"; two equal losses of 30% fall
 * below it by chance about once in 50,000 with 200 probes each, but
 * once in 500 with 100.
 */
#ifndef HOPTRACE_LOSS_VERDICT_H
#define HOPTRACE_LOSS_VERDICT_H

#include "events.h"

enum ht_loss_kind {
	HT_LOSS_CARRIES = 0,	/* the destination loses as much */
	HT_LOSS_OWN,		/* clearly less: only the hop's answers */
	HT_LOSS_UNSURE		/* too few probes to tell */
};

/* "carries", "own", "unsure": the JSON's words. */
const char *ht_loss_kind_name(enum ht_loss_kind kind);

/* The rule above, from counts: LOST of SENT at the hop, DEST_LOST of
 * DEST_SENT at the destination over the same flows.  Only for lost > 0
 * and dest_sent > 0. */
enum ht_loss_kind ht_loss_judge(unsigned sent, unsigned lost,
				unsigned dest_sent, unsigned dest_lost);

/* At most this many verdicts a trace; the rest are counted. */
#define HT_LOSS_VERDICTS 16

struct ht_loss_verdict {
	int ttl;			/* the hop with loss */
	struct hp_addr path;		/* --flows: the path's responder;
					 * family 0: the whole hop */
	struct hp_addr who;		/* the path's responder, or the
					 * hop's first */
	enum ht_loss_kind kind;
	unsigned sent, lost;		/* at the hop (the path's flows) */
	int evidence_ttl;		/* the hop compared with */
	int evidence_is_dest;		/* it is the destination */
	unsigned evidence_sent, evidence_lost;	/* the same flows there */
};

struct ht_loss_verdicts {
	struct ht_loss_verdict v[HT_LOSS_VERDICTS];
	unsigned count;
	unsigned left_out;		/* beyond HT_LOSS_VERDICTS */
};

/*
 * The verdicts of a trace from its hops (N of them, in ttl order).
 * DEST_TTL is the destination's distance when the trace reached it, else
 * 0: the deepest hop that answered stands in for it.  BY_PATH (--flows):
 * one verdict per path with loss, each compared with the destination's
 * probes of the path's own flows; else one per hop.  A hop is judged when
 * it answered at least once and lost something, and comes before the
 * one compared with.  A hop whose loss carries on and is no larger
 * (within the margin) than that of an earlier hop whose loss carries on,
 * over the same flows, is left out: its loss started there.
 */
void ht_loss_verdicts_compute(const struct ht_hop *const *hops, unsigned n,
			      int dest_ttl, int by_path,
			      struct ht_loss_verdicts *out);

/* A hop as counts, for a view that keeps no probes (the live view). */
struct ht_loss_hop {
	int ttl;
	unsigned sent, received;
	struct hp_addr first;		/* its first responder */
};

/* The same, one verdict per hop, from counts. */
void ht_loss_verdicts_counts(const struct ht_loss_hop *hops, unsigned n,
			     int dest_ttl, struct ht_loss_verdicts *out);

#endif

/*
 * trace_diff.c: two recorded runs compared (see trace_diff.h).
 *
 * Pairs are found by sorting both runs' traces by (target, occurrence)
 * and merging, then put back in the order of run A (B's unpaired ones
 * after, in B's order), so that the output follows the recording.
 */
#include "trace_diff.h"

#include <stdlib.h>
#include <string.h>

#include "paths.h"

void ht_diff_list_init(struct ht_diff_list *l)
{
	memset(l, 0, sizeof(*l));
}

void ht_diff_list_free(struct ht_diff_list *l)
{
	free(l->items);
	ht_diff_list_init(l);
}

/* A new difference of KIND at the end of L, zeroed; NULL out of memory. */
static struct ht_diff *diff_add(struct ht_diff_list *l, enum ht_diff_kind kind,
				const char *target, unsigned occurrence,
				int ttl)
{
	struct ht_diff *d;

	if (l->count == l->cap) {
		unsigned cap = l->cap ? l->cap * 2 : 16;
		struct ht_diff *p = realloc(l->items, cap * sizeof(*p));

		if (!p)
			return NULL;
		l->items = p;
		l->cap = cap;
	}
	d = &l->items[l->count++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->target = target;
	d->occurrence = occurrence;
	d->ttl = ttl;
	d->flow_a = d->flow_b = -1;
	return d;
}

/* ---- round-trip times ----------------------------------------------- */

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

int ht_hop_median_rtt(const struct ht_hop *hop, int64_t *us)
{
	int64_t *v;
	unsigned i, n = 0;

	if (!hop || !hop->probe_count)
		return 0;
	v = malloc(hop->probe_count * sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < hop->probe_count; i++) {
		const struct hp_result *r = &hop->probes[i].result;

		if (r->responder.family && r->rtt_us >= 0)
			v[n++] = r->rtt_us;
	}
	if (n) {
		qsort(v, n, sizeof(*v), cmp_i64);
		*us = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
	free(v);
	return n ? 1 : 0;
}

static int decade_of(int64_t us)
{
	return us < 1000 ? 0 : us < 10000 ? 1 : us < 100000 ? 2 : 3;
}

const char *ht_rtt_band_name(int64_t us)
{
	static const char *const names[] = { "<1ms", "1-10ms", "10-100ms",
					     ">=100ms" };

	return names[decade_of(us)];
}

int ht_rtt_band_changed(enum ht_rtt_band mode, int64_t a, int64_t b)
{
	int64_t lo = a < b ? a : b, hi = a < b ? b : a;

	switch (mode) {
	case HT_BAND_DECADE:
		return decade_of(a) != decade_of(b);
	case HT_BAND_FACTOR2:
		/* A time of 0 us is below the clock: count it as 1 us. */
		return hi > 2 * (lo > 0 ? lo : 1);
	default:
		return 0;
	}
}

/* ---- pairs ---------------------------------------------------------- */

struct pair_key {
	const struct ht_kept_trace *t;
	unsigned index;
	unsigned occurrence;
};

static int cmp_key(const void *x, const void *y)
{
	const struct pair_key *a = x, *b = y;
	int c = strcmp(a->t->target, b->t->target);

	if (c)
		return c;
	if (a->occurrence != b->occurrence)
		return a->occurrence < b->occurrence ? -1 : 1;
	return 0;
}

static int cmp_index(const void *x, const void *y)
{
	const struct pair_key *a = x, *b = y;

	return a->index < b->index ? -1 : a->index > b->index;
}

/* S's traces in *OUT, sorted by (target, occurrence), their number in
 * *N; 0, or -1 out of memory. */
static int keys_of(const struct ht_trace_set *s, struct pair_key **out,
		   unsigned *n)
{
	struct pair_key *k;
	unsigned i, j, o, m = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < s->count; i++)
		m += s->traces[i].have;
	if (!m)
		return 0;
	k = calloc(m, sizeof(*k));
	if (!k)
		return -1;
	for (i = 0; i < s->count; i++)
		if (s->traces[i].have) {
			k[*n].t = &s->traces[i];
			k[*n].index = i;
			(*n)++;
		}
	/* By target, then within a target by index: the occurrences. */
	qsort(k, m, sizeof(*k), cmp_key);
	for (i = 0; i < m; i = j) {
		for (j = i; j < m && strcmp(k[j].t->target, k[i].t->target) == 0;
		     j++)
			;
		qsort(k + i, j - i, sizeof(*k), cmp_index);
		for (o = i; o < j; o++)
			k[o].occurrence = o - i;
	}
	*out = k;
	return 0;
}

/* ---- one pair ------------------------------------------------------- */

/* Addresses of HOP's responders (who answered) into OUT, at most MAX;
 * the rest counted in *MORE. */
static unsigned hop_addrs(const struct ht_hop *hop, struct hp_addr *out,
			  unsigned max, unsigned *more)
{
	unsigned i, n = 0;

	*more = 0;
	for (i = 0; hop && i < hop->responder_count; i++) {
		if (!hop->responders[i].address.family)
			continue;
		if (n < max)
			out[n++] = hop->responders[i].address;
		else
			(*more)++;
	}
	return n;
}

static int hop_has(const struct ht_hop *hop, const struct hp_addr *a)
{
	unsigned i;

	for (i = 0; hop && i < hop->responder_count; i++)
		if (hp_addr_equal(&hop->responders[i].address, a))
			return 1;
	return 0;
}

/* Responders of X not in Y into OUT (at most MAX, the rest in *MORE). */
static unsigned hop_minus(const struct ht_hop *x, const struct ht_hop *y,
			  struct hp_addr *out, unsigned max, unsigned *more)
{
	unsigned i, n = 0;

	*more = 0;
	for (i = 0; i < x->responder_count; i++) {
		const struct hp_addr *a = &x->responders[i].address;

		if (!a->family || hop_has(y, a))
			continue;
		if (n < max)
			out[n++] = *a;
		else
			(*more)++;
	}
	return n;
}

/* The responder FLOW reached at the hop of paths P (family 0: none). */
static struct hp_addr flow_responder(const struct ht_hop_paths *p, int flow,
				     int *seen)
{
	struct hp_addr none;
	unsigned i, j;

	memset(&none, 0, sizeof(none));
	*seen = 0;
	for (i = 0; i < p->path_count; i++)
		for (j = 0; j < p->paths[i].flow_count; j++)
			if (p->paths[i].flows[j] == flow) {
				*seen = 1;
				return p->paths[i].address;
			}
	return none;
}

/* Each flow of A's hop whose responder is another in B's. */
static int diff_flows(const struct ht_hop *ha, const struct ht_hop *hb,
		      const char *target, unsigned occ,
		      struct ht_diff_list *out)
{
	struct ht_hop_paths *pa = malloc(2 * sizeof(*pa)), *pb;
	unsigned i, j;

	if (!pa)
		return -1;
	pb = pa + 1;
	ht_hop_paths_compute(ha, pa);
	ht_hop_paths_compute(hb, pb);
	for (i = 0; i < pa->path_count; i++)
		for (j = 0; j < pa->paths[i].flow_count; j++) {
			int flow = pa->paths[i].flows[j], seen;
			struct hp_addr ra = pa->paths[i].address;
			struct hp_addr rb = flow_responder(pb, flow, &seen);
			struct ht_diff *d;

			if (!seen || hp_addr_equal(&ra, &rb) ||
			    (!ra.family && !rb.family))
				continue;
			d = diff_add(out, HT_DIFF_FLOW, target, occ, ha->ttl);
			if (!d) {
				free(pa);
				return -1;
			}
			d->flow_a = flow;
			d->a[0] = ra;
			d->b[0] = rb;
			d->a_count = ra.family != 0;
			d->b_count = rb.family != 0;
		}
	free(pa);
	return 0;
}

static int diff_hop(const struct ht_hop *ha, const struct ht_hop *hb, int ttl,
		    int paths, enum ht_rtt_band band, const char *target,
		    unsigned occ, struct ht_diff_list *out)
{
	struct hp_addr tmp[HT_DIFF_ADDRS];
	unsigned na, nb, more_a, more_b;
	struct ht_diff *d;
	int64_t ma, mb;
	int rc_a, rc_b;

	na = hop_addrs(ha, tmp, HT_DIFF_ADDRS, &more_a) + more_a;
	nb = hop_addrs(hb, tmp, HT_DIFF_ADDRS, &more_b) + more_b;
	if (!na && !nb)
		return 0;
	if (na && !nb) {
		d = diff_add(out, HT_DIFF_SILENT, target, occ, ttl);
		if (!d)
			return -1;
		d->a_count = hop_addrs(ha, d->a, HT_DIFF_ADDRS, &d->a_more);
		return 0;
	}
	if (!na && nb) {
		d = diff_add(out, HT_DIFF_ANSWERING, target, occ, ttl);
		if (!d)
			return -1;
		d->b_count = hop_addrs(hb, d->b, HT_DIFF_ADDRS, &d->b_more);
		return 0;
	}
	d = diff_add(out, HT_DIFF_RESPONDERS, target, occ, ttl);
	if (!d)
		return -1;
	d->a_count = hop_minus(ha, hb, d->a, HT_DIFF_ADDRS, &d->a_more);
	d->b_count = hop_minus(hb, ha, d->b, HT_DIFF_ADDRS, &d->b_more);
	if (!d->a_count && !d->b_count)
		out->count--;		/* the same responders */
	rc_a = ht_hop_median_rtt(ha, &ma);
	rc_b = ht_hop_median_rtt(hb, &mb);
	if (rc_a < 0 || rc_b < 0)
		return -1;
	if (rc_a && rc_b && ht_rtt_band_changed(band, ma, mb)) {
		d = diff_add(out, HT_DIFF_RTT, target, occ, ttl);
		if (!d)
			return -1;
		d->value_a = ma;
		d->value_b = mb;
	}
	if (paths && diff_flows(ha, hb, target, occ, out) < 0)
		return -1;
	return 0;
}

/* The highest ttl a trace shows. */
static int last_ttl(const struct ht_kept_trace *t)
{
	int last = t->ended ? t->end.last_ttl : 0;
	unsigned i;

	for (i = 0; i < t->hop_count; i++)
		if (t->hops[i]->ttl > last)
			last = t->hops[i]->ttl;
	return last;
}

static int reached(const struct ht_kept_trace *t)
{
	return t->ended && t->end.reached;
}

static const char *reason_of(const struct ht_kept_trace *t)
{
	return t->ended ? ht_reason_name(t->end.reason) : "not ended";
}

static int diff_pair(const struct ht_kept_trace *ta,
		     const struct ht_kept_trace *tb, unsigned occ,
		     enum ht_rtt_band band, struct ht_diff_list *out)
{
	const char *target = ta->target;
	int first, last, ttl, paths = 0;
	struct ht_diff *d;

	if (ta->start.address.family && tb->start.address.family &&
	    !hp_addr_equal(&ta->start.address, &tb->start.address)) {
		d = diff_add(out, HT_DIFF_ADDRESS, target, occ, 0);
		if (!d)
			return -1;
		d->a[0] = ta->start.address;
		d->b[0] = tb->start.address;
		d->a_count = d->b_count = 1;
	}
	if (reached(ta) != reached(tb)) {
		d = diff_add(out, HT_DIFF_REACHED, target, occ, 0);
		if (!d)
			return -1;
		d->value_a = reached(ta);
		d->value_b = reached(tb);
		d->reason_a = reason_of(ta);
		d->reason_b = reason_of(tb);
	} else if (reached(ta) && ta->end.distance != tb->end.distance) {
		d = diff_add(out, HT_DIFF_DISTANCE, target, occ, 0);
		if (!d)
			return -1;
		d->value_a = ta->end.distance;
		d->value_b = tb->end.distance;
	}
	if (ta->start.flows > 1 || tb->start.flows > 1) {
		paths = ta->start.flows == tb->start.flows &&
			ta->start.flow == tb->start.flow &&
			ta->start.flow >= 0;
		if (!paths) {
			d = diff_add(out, HT_DIFF_PATHS, target, occ, 0);
			if (!d)
				return -1;
			d->flow_a = ta->start.flow;
			d->flow_b = tb->start.flow;
			d->flows_a = ta->start.flows;
			d->flows_b = tb->start.flows;
		}
	}
	/* Past the destination of a run that reached it, that run probed
	 * nothing: compare up to the nearer such destination. */
	if (reached(ta) && reached(tb))
		last = ta->end.distance < tb->end.distance ? ta->end.distance :
		       tb->end.distance;
	else if (reached(ta))
		last = ta->end.distance;
	else if (reached(tb))
		last = tb->end.distance;
	else
		last = last_ttl(ta) > last_ttl(tb) ? last_ttl(ta) :
		       last_ttl(tb);
	first = 1;
	for (ttl = first; ttl <= last && ttl <= 255; ttl++)
		if (diff_hop(ht_kept_hop(ta, ttl), ht_kept_hop(tb, ttl), ttl,
			     paths, band, target, occ, out) < 0)
			return -1;
	return 0;
}

/* One trace of a run with its partner in the other (NULL none). */
struct pair {
	unsigned index;			/* in its own run */
	unsigned occurrence;
	const struct ht_kept_trace *t, *partner;
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;

	return a->index < b->index ? -1 : a->index > b->index;
}

int ht_trace_diff(const struct ht_trace_set *a, const struct ht_trace_set *b,
		  enum ht_rtt_band band, struct ht_diff_list *out)
{
	struct pair_key *ka = NULL, *kb = NULL;
	struct pair *pa = NULL, *pb = NULL;
	unsigned na, nb, i = 0, j = 0, nlone = 0;
	int rc = -1;

	if (keys_of(a, &ka, &na) < 0 || keys_of(b, &kb, &nb) < 0)
		goto out;
	pa = calloc(na + 1, sizeof(*pa));
	pb = calloc(nb + 1, sizeof(*pb));
	if (!pa || !pb)
		goto out;
	for (i = 0; i < na; i++) {
		pa[i].index = ka[i].index;
		pa[i].occurrence = ka[i].occurrence;
		pa[i].t = ka[i].t;
	}
	for (j = 0; j < nb; j++) {
		pb[j].index = kb[j].index;
		pb[j].occurrence = kb[j].occurrence;
		pb[j].t = kb[j].t;
	}
	/* Both sorted by (target, occurrence): merge. */
	for (i = j = 0; i < na && j < nb;) {
		int c = cmp_key(&ka[i], &kb[j]);

		if (c == 0) {
			pa[i].partner = kb[j].t;
			pb[j].partner = ka[i].t;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	/* In the order of the recordings. */
	qsort(pa, na, sizeof(*pa), cmp_pair);
	qsort(pb, nb, sizeof(*pb), cmp_pair);
	for (i = 0; i < na; i++) {
		if (!pa[i].partner) {
			out->only_a++;
			if (!diff_add(out, HT_DIFF_ONLY_A, pa[i].t->target,
				      pa[i].occurrence, 0))
				goto out;
			continue;
		}
		out->compared++;
		if (diff_pair(pa[i].t, pa[i].partner, pa[i].occurrence, band,
			      out) < 0)
			goto out;
	}
	for (j = 0; j < nb; j++) {
		if (pb[j].partner)
			continue;
		nlone++;
		if (!diff_add(out, HT_DIFF_ONLY_B, pb[j].t->target,
			      pb[j].occurrence, 0))
			goto out;
	}
	out->only_b += nlone;
	rc = 0;
out:
	free(ka);
	free(kb);
	free(pa);
	free(pb);
	return rc;
}

/*
 * stats.c: per-hop statistics from a hop's probes (pure).
 */
#include "stats.h"

#include <math.h>

/*
 * A probe counts as received when some router or the target answered it:
 * a reply, a time-exceeded, or an unreachable from a router (those carry
 * a responder and a round-trip time).  network-down and host-down come
 * only from send errors, and the local errors name no responder, so they
 * are losses like no-reply.
 */
static int stats_answered(const struct hp_result *r)
{
	if (r->responder.family == 0)
		return 0;
	switch (r->kind) {
	case HP_REPLY:
	case HP_TTL_EXPIRED:
	case HP_NO_ROUTE:
	case HP_NO_ROUTE_NETWORK:
	case HP_NO_ROUTE_HOST:
		return 1;
	default:
		return 0;
	}
}

/* (cycle, query) order, the order the probes of a hop were sent in. */
static int stats_later(const struct ht_probe *a, const struct ht_probe *b)
{
	if (a->cycle != b->cycle)
		return a->cycle > b->cycle;
	return a->query > b->query;
}

/*
 * Two passes: the mean first, then the squared deviations from it, which
 * keeps the standard deviation exact for equal values (a single pass of
 * sums of squares can come out slightly negative).  `last` is the newest
 * answered probe that has a round-trip time, so that it is always one of
 * the values best..worst span.
 */
void ht_hop_stats_compute(const struct ht_probe *probes, unsigned n,
			  const struct hp_addr *responder,
			  struct ht_hop_stats *out)
{
	ht_hop_stats_select(probes, n, NULL, NULL, responder, out);
}

void ht_hop_stats_select(const struct ht_probe *probes, unsigned n,
			 int (*keep)(const void *arg, const struct ht_probe *p),
			 const void *arg, const struct hp_addr *responder,
			 struct ht_hop_stats *out)
{
	const struct ht_probe *last = NULL;
	double sum = 0.0, dev = 0.0;
	unsigned i, sent = 0;

	out->received = 0;
	out->loss_pct = 0.0;
	out->last_us = -1;
	out->best_us = -1;
	out->worst_us = -1;
	out->avg_us = 0.0;
	out->stdev_us = 0.0;
	out->rtt_count = 0;

	for (i = 0; i < n; i++) {
		const struct hp_result *r = &probes[i].result;

		if (keep && !keep(arg, &probes[i]))
			continue;
		sent++;
		if (!stats_answered(r))
			continue;
		if (responder && !hp_addr_equal(&r->responder, responder))
			continue;
		out->received++;
		if (r->rtt_us < 0)
			continue;
		if (out->rtt_count == 0 || r->rtt_us < out->best_us)
			out->best_us = r->rtt_us;
		if (out->rtt_count == 0 || r->rtt_us > out->worst_us)
			out->worst_us = r->rtt_us;
		if (!last || stats_later(&probes[i], last))
			last = &probes[i];
		sum += (double)r->rtt_us;
		out->rtt_count++;
	}
	out->sent = sent;
	if (sent)
		out->loss_pct = 100.0 * (double)(sent - out->received) /
				(double)sent;
	if (out->rtt_count == 0)
		return;
	out->last_us = last->result.rtt_us;
	out->avg_us = sum / (double)out->rtt_count;
	for (i = 0; i < n; i++) {
		const struct hp_result *r = &probes[i].result;
		double d;

		if (keep && !keep(arg, &probes[i]))
			continue;
		if (!stats_answered(r) || r->rtt_us < 0)
			continue;
		if (responder && !hp_addr_equal(&r->responder, responder))
			continue;
		d = (double)r->rtt_us - out->avg_us;
		dev += d * d;
	}
	out->stdev_us = sqrt(dev / (double)out->rtt_count);
}

void ht_stats_acc_init(struct ht_stats_acc *a)
{
	a->sent = 0;
	a->received = 0;
	a->rtt_count = 0;
	a->last_us = -1;
	a->best_us = -1;
	a->worst_us = -1;
	a->mean_us = 0.0;
	a->m2 = 0.0;
}

void ht_stats_acc_add(struct ht_stats_acc *a, const struct hp_result *r,
		      const struct hp_addr *responder)
{
	double d;

	a->sent++;
	if (!stats_answered(r))
		return;
	if (responder && !hp_addr_equal(&r->responder, responder))
		return;
	a->received++;
	if (r->rtt_us < 0)
		return;
	if (a->rtt_count == 0 || r->rtt_us < a->best_us)
		a->best_us = r->rtt_us;
	if (a->rtt_count == 0 || r->rtt_us > a->worst_us)
		a->worst_us = r->rtt_us;
	a->last_us = r->rtt_us;
	a->rtt_count++;
	d = (double)r->rtt_us - a->mean_us;
	a->mean_us += d / (double)a->rtt_count;
	a->m2 += d * ((double)r->rtt_us - a->mean_us);
}

void ht_stats_acc_result(const struct ht_stats_acc *a,
			 struct ht_hop_stats *out)
{
	out->sent = a->sent;
	out->received = a->received;
	out->loss_pct = a->sent ? 100.0 * (double)(a->sent - a->received) /
				  (double)a->sent : 0.0;
	out->rtt_count = a->rtt_count;
	out->last_us = a->last_us;
	out->best_us = a->best_us;
	out->worst_us = a->worst_us;
	out->avg_us = a->rtt_count ? a->mean_us : 0.0;
	out->stdev_us = a->rtt_count && a->m2 > 0.0 ?
			sqrt(a->m2 / (double)a->rtt_count) : 0.0;
}

/*
 * stats.h: per-hop statistics from a hop's probes (pure).
 */
#ifndef HOPTRACE_STATS_H
#define HOPTRACE_STATS_H

#include "events.h"

struct ht_hop_stats {
	unsigned sent;		/* probes with a result (all of them) */
	unsigned received;	/* probes answered by some responder */
	double loss_pct;	/* 100 * (sent - received) / sent; 0 when none */
	/* Over answered probes with a round-trip time; -1 / 0 when none. */
	int64_t last_us;	/* of the highest cycle/query answered */
	int64_t best_us;
	int64_t worst_us;
	double avg_us;
	double stdev_us;	/* population standard deviation */
	unsigned rtt_count;	/* probes the above are computed over */
};

/* Statistics of the probes, optionally only those answered by RESPONDER
 * (NULL: all); `sent` always counts every probe. */
void ht_hop_stats_compute(const struct ht_probe *probes, unsigned n,
			  const struct hp_addr *responder,
			  struct ht_hop_stats *out);

/* The same over the probes KEEP(ARG, probe) says 1 to (NULL: all), which
 * alone count as sent: a path's flows (paths.h). */
void ht_hop_stats_select(const struct ht_probe *probes, unsigned n,
			 int (*keep)(const void *arg, const struct ht_probe *p),
			 const void *arg, const struct hp_addr *responder,
			 struct ht_hop_stats *out);

#endif

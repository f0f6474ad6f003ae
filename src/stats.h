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

/*
 * The same statistics kept as results arrive, for a view that runs
 * without end (the live view): no probe is kept, only sums.  The mean and
 * the squared deviations are updated together (Welford), which stays
 * exact for equal values like the two passes above.
 */
struct ht_stats_acc {
	unsigned sent;
	unsigned received;
	unsigned rtt_count;
	int64_t last_us;	/* of the newest answer added; -1 none */
	int64_t best_us;
	int64_t worst_us;
	double mean_us;
	double m2;		/* sum of squared deviations from the mean */
};

void ht_stats_acc_init(struct ht_stats_acc *a);
/* One probe's result, counted as sent; RESPONDER as above (NULL: any). */
void ht_stats_acc_add(struct ht_stats_acc *a, const struct hp_result *r,
		      const struct hp_addr *responder);
void ht_stats_acc_result(const struct ht_stats_acc *a,
			 struct ht_hop_stats *out);

#endif

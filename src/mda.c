/*
 * mda.c: the MDA stopping rule (see mda.h).
 */
#include <math.h>

#include "mda.h"

/* Beyond any cap a run has (64 flows); the search stops there. */
#define MDA_MAX_FLOWS 1000u

/* Up to this many next hops the alternating sum is exact in doubles. */
#define MDA_EXACT_HOPS 16u

/* The chance that N flows spread evenly over M next hops leave one unseen;
 * beyond MDA_EXACT_HOPS the union bound, which the alternating sum's
 * cancellation would make no more exact, and which errs on the side of
 * more flows. */
static double miss_chance(unsigned n, unsigned m)
{
	double sum = 0, choose = 1;
	unsigned j;

	if (m > MDA_EXACT_HOPS)
		return (double)m * pow((double)(m - 1) / (double)m, (double)n);
	for (j = 1; j <= m; j++) {
		choose = choose * (double)(m - j + 1) / (double)j;
		sum += (j % 2 ? 1 : -1) * choose *
		       pow((double)(m - j) / (double)m, (double)n);
	}
	return sum;
}

unsigned ht_mda_stop(unsigned k, int confidence)
{
	double alpha = confidence >= 99 ? 0.01 : 0.05;
	unsigned n;

	if (k == 0)
		return 0;
	for (n = k; n < MDA_MAX_FLOWS; n++)
		if (miss_chance(n, k + 1) <= alpha)
			return n;
	return MDA_MAX_FLOWS;
}

unsigned ht_mda_flows_needed(const struct ht_mda_hop *hops, unsigned n,
			     unsigned flows, unsigned cap, int confidence)
{
	unsigned want = flows, i;

	for (i = 0; i < n; i++) {
		unsigned stop = ht_mda_stop(hops[i].responders, confidence);

		if (hops[i].responders == 0 || hops[i].answered_flows >= stop)
			continue;
		if (flows + (stop - hops[i].answered_flows) > want)
			want = flows + (stop - hops[i].answered_flows);
	}
	return want < cap ? want : cap;
}

/*
 * mda.h: the stopping rule of the Multipath Detection Algorithm (Veitch,
 * Augustin, Friedman, Teixeira, "Failure control in multipath route
 * tracing", INFOCOM 2009), for --mda (pure).
 *
 * A hop where K distinct responders have answered may have a (K+1)th that
 * no flow has reached yet.  If it had, flows spread evenly over K+1 next
 * hops, and n flows would leave one of them unseen with probability
 *	sum over j = 1..K+1 of (-1)^(j+1) C(K+1, j) ((K+1-j)/(K+1))^n
 * (inclusion-exclusion over the hops missed); n_K is the least n that
 * brings this under 1 - confidence.  At 95%: 6, 11, 16, 21, 27, 33, 38,
 * 44, 51, 57, 63 flows for K = 1..11 (the paper's table 1); at 99%: 8,
 * 15, 21, 28, 36.
 */
#ifndef HOPTRACE_MDA_H
#define HOPTRACE_MDA_H

/* n_K: flows that must have answered at a hop with K responders (K >= 1)
 * to rule out one more at CONFIDENCE percent (95 or 99); 0 for K = 0. */
unsigned ht_mda_stop(unsigned k, int confidence);

/* What one hop has shown so far: flows answered there, and by how many
 * distinct responders. */
struct ht_mda_hop {
	unsigned answered_flows;
	unsigned responders;
};

/*
 * Flows to probe in all, FLOWS having been probed at every one of the N
 * hops: each answering hop wants n_K answered flows, and is given as many
 * more flows as it lacks answers (a hop that loses some of its probes
 * gets more).  Silent hops want nothing.  The result is at least FLOWS
 * and at most CAP.
 */
unsigned ht_mda_flows_needed(const struct ht_mda_hop *hops, unsigned n,
			     unsigned flows, unsigned cap, int confidence);

#endif

/*
 * paths.h: the paths of one hop when a trace probes several flows
 * (--flows), as arithmetic on the hop's probes (pure).
 *
 * Each flow (Paris traceroute) keeps its path, so at a hop where a
 * balancer splits the traffic every flow reaches one responder: the
 * responders are the hop's paths, each with the flows that reached it and
 * its own statistics over the probes of those flows, lost ones included.
 * A flow whose probes reached more than one responder shows a balancer
 * that splits per packet, not per flow: the first such flow is named,
 * and the flow is in the path of each responder it reached.  Its
 * answers count on the path of who gave them and its lost probes on the
 * path of its first responder, so that no path shows as lost what
 * another answered, and the paths' probes still add up to the hop's.
 * Flows none of whose probes were answered at the hop are a path of
 * their own with no responder.
 */
#ifndef HOPTRACE_PATHS_H
#define HOPTRACE_PATHS_H

#include "events.h"
#include "stats.h"

/* Flows and paths one hop keeps track of; more are left out and counted. */
#define HT_PATH_FLOWS 64
#define HT_PATHS 16

struct ht_path {
	struct hp_addr address;		/* family 0: the flows nobody
					 * answered at this hop */
	int flows[HT_PATH_FLOWS];	/* flow numbers, in order of first
					 * probe; under per-packet balancing
					 * a flow is in several paths */
	unsigned flow_count;
	/* Over the probes this responder answered and the lost ones of
	 * the flows it answered first: sent, received, their times. */
	struct ht_hop_stats stats;
};

struct ht_hop_paths {
	struct ht_path paths[HT_PATHS];	/* in order of first answer; the
					 * unanswered flows last */
	unsigned path_count;
	unsigned flows_left_out;	/* beyond HT_PATH_FLOWS, or in paths
					 * beyond HT_PATHS */
	int per_packet_flow;		/* a flow that reached two
					 * responders; -1 none */
	struct hp_addr per_packet[2];	/* the first two it reached */
};

/* The paths of HOP; only probes with a flow count. */
void ht_hop_paths_compute(const struct ht_hop *hop, struct ht_hop_paths *out);

#endif

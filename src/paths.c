/*
 * paths.c: the paths of a hop, flow by flow (see paths.h).
 */
#include <string.h>

#include "paths.h"

/* Answered as stats.c counts it: a responder and one of the answers. */
static int answered(const struct hp_result *r)
{
	if (!r->responder.family)
		return 0;
	return r->kind == HP_REPLY || r->kind == HP_TTL_EXPIRED ||
	       r->kind == HP_NO_ROUTE || r->kind == HP_NO_ROUTE_NETWORK ||
	       r->kind == HP_NO_ROUTE_HOST;
}

/* One flow of the hop while the paths are worked out. */
struct flow_seen {
	int flow;
	struct hp_addr first;		/* family 0: not answered yet */
};

static int path_of(struct ht_hop_paths *out, const struct hp_addr *a)
{
	unsigned i;

	for (i = 0; i < out->path_count; i++)
		if (out->paths[i].address.family == a->family &&
		    (a->family == 0 ||
		     hp_addr_equal(&out->paths[i].address, a)))
			return (int)i;
	if (out->path_count == HT_PATHS)
		return -1;
	memset(&out->paths[out->path_count], 0, sizeof(out->paths[0]));
	out->paths[out->path_count].address = *a;
	return (int)out->path_count++;
}

static int has_flow(const struct ht_path *p, int flow)
{
	unsigned i;

	for (i = 0; i < p->flow_count; i++)
		if (p->flows[i] == flow)
			return 1;
	return 0;
}

/* ht_hop_stats_select's filter: the probe is of one of the path's flows. */
static int of_path(const void *arg, const struct ht_probe *pr)
{
	return pr->flow >= 0 && has_flow(arg, pr->flow);
}

/* Every probe of P's flows is sent; those P's responder answered (none,
 * for the path of the flows nobody answered) are received and timed. */
static void path_stats(const struct ht_hop *hop, struct ht_path *p)
{
	ht_hop_stats_select(hop->probes, hop->probe_count, of_path, p,
			    &p->address, &p->stats);
}

void ht_hop_paths_compute(const struct ht_hop *hop, struct ht_hop_paths *out)
{
	struct flow_seen seen[HT_PATH_FLOWS];
	unsigned n = 0, i, j;
	struct hp_addr none;

	memset(out, 0, sizeof(*out));
	memset(&none, 0, sizeof(none));
	out->per_packet_flow = -1;
	/* Each flow and the responder its first answer came from. */
	for (i = 0; i < hop->probe_count; i++) {
		const struct ht_probe *pr = &hop->probes[i];

		if (pr->flow < 0)
			continue;
		for (j = 0; j < n && seen[j].flow != pr->flow; j++)
			;
		if (j == n) {
			if (n == HT_PATH_FLOWS) {
				out->flows_left_out++;
				continue;
			}
			seen[n].flow = pr->flow;
			seen[n].first = none;
			n++;
		}
		if (!answered(&pr->result))
			continue;
		if (!seen[j].first.family) {
			seen[j].first = pr->result.responder;
		} else if (!hp_addr_equal(&seen[j].first,
					  &pr->result.responder) &&
			   out->per_packet_flow < 0) {
			out->per_packet_flow = pr->flow;
			out->per_packet[0] = seen[j].first;
			out->per_packet[1] = pr->result.responder;
		}
	}
	/* Answered paths in order of the responders' first answers, then
	 * the flows nobody answered. */
	for (i = 0; i < hop->probe_count; i++) {
		const struct hp_result *r = &hop->probes[i].result;

		if (hop->probes[i].flow >= 0 && answered(r))
			(void)path_of(out, &r->responder);
	}
	for (j = 0; j < n; j++) {
		int k = path_of(out, &seen[j].first);

		if (k < 0) {
			out->flows_left_out++;
			continue;
		}
		out->paths[k].flows[out->paths[k].flow_count++] = seen[j].flow;
	}
	for (i = 0; i < out->path_count; i++)
		path_stats(hop, &out->paths[i]);
}

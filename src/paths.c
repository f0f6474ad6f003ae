/*
 * paths.c: the paths of a hop, flow by flow (see paths.h).
 */
#include <stdint.h>
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

/* What the probe filter of one path needs: the path, and each flow's
 * first responder (its home: where its lost probes count). */
struct path_filter {
	const struct ht_path *path;
	const struct flow_seen *seen;
	unsigned seen_count;
};

static int same_responder(const struct hp_addr *a, const struct hp_addr *b)
{
	if (a->family != b->family)
		return 0;
	return a->family == 0 || hp_addr_equal(a, b);
}

/*
 * ht_hop_stats_select's filter: a probe of the hop's kept flows that the
 * path's responder answered, or that nobody answered and whose flow's
 * home is the path.  A flow that reached two responders (per-packet
 * balancing) so counts each answer once, on the path of who gave it, and
 * each loss once, on its first responder's path; with per-flow balancing
 * that is every probe of the path's flows, as before.
 */
static int of_path(const void *arg, const struct ht_probe *pr)
{
	const struct path_filter *f = arg;
	unsigned j;

	if (pr->flow < 0)
		return 0;
	for (j = 0; j < f->seen_count && f->seen[j].flow != pr->flow; j++)
		;
	if (j == f->seen_count)
		return 0;	/* a flow left out */
	if (answered(&pr->result))
		return f->path->address.family &&
		       hp_addr_equal(&pr->result.responder,
				     &f->path->address);
	return same_responder(&f->seen[j].first, &f->path->address);
}

static void path_stats(const struct ht_hop *hop, struct ht_path *p,
		       const struct flow_seen *seen, unsigned n)
{
	struct path_filter f = { p, seen, n };

	ht_hop_stats_select(hop->probes, hop->probe_count, of_path, &f,
			    &p->address, &p->stats);
}

/* A path's reached flows are one bit each of a uint64_t. */
_Static_assert(HT_PATH_FLOWS <= 64, "HT_PATH_FLOWS must fit 64 bits");

void ht_hop_paths_compute(const struct ht_hop *hop, struct ht_hop_paths *out)
{
	struct flow_seen seen[HT_PATH_FLOWS];
	/* Per path, the kept flows (bit j: seen[j]) it answered. */
	uint64_t reached[HT_PATHS];
	unsigned n = 0, i, j;
	struct hp_addr none;

	memset(out, 0, sizeof(*out));
	memset(&none, 0, sizeof(none));
	memset(reached, 0, sizeof(reached));
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
	/* Answered paths in order of the responders' first answers, each
	 * with the flows it answered; then the flows nobody answered. */
	for (i = 0; i < hop->probe_count; i++) {
		const struct ht_probe *pr = &hop->probes[i];
		int k;

		if (pr->flow < 0 || !answered(&pr->result))
			continue;
		k = path_of(out, &pr->result.responder);
		for (j = 0; j < n && seen[j].flow != pr->flow; j++)
			;
		if (k >= 0 && j < n)
			reached[k] |= (uint64_t)1 << j;
	}
	for (j = 0; j < n; j++) {
		int k = path_of(out, &seen[j].first);

		if (k < 0) {
			out->flows_left_out++;
			continue;
		}
		if (!seen[j].first.family)
			reached[k] |= (uint64_t)1 << j;
	}
	for (i = 0; i < out->path_count; i++) {
		struct ht_path *p = &out->paths[i];

		/* In the order of the flows' first probes. */
		for (j = 0; j < n; j++)
			if (reached[i] & ((uint64_t)1 << j))
				p->flows[p->flow_count++] = seen[j].flow;
		path_stats(hop, p, seen, n);
	}
}

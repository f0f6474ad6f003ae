/*
 * render_compare.c: text and report of a run with --compare, and the
 * merged view of --each (the format is described at the top of render.c).
 * Trace T is item T % N of target T / N (N the run-start's compare_items,
 * or its each_workers; the label of a column is the item's, or the
 * worker's name); a target's block is written
 * once all N of its traces have ended, in target order, so that the
 * columns can be as wide as every row needs.  The layout and the verdict
 * are compare_table.h's; this file turns events into its columns.
 */
#include "render_impl.h"
#include "compare.h"
#include "compare_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HT_RENDER_MAX_ITEMS HT_COMPARE_MAX

struct cmp_trace {
	struct ht_render_trace t;
	struct ht_hop **hops;
	unsigned hop_count;
	unsigned hop_cap;
	int ended;
	struct ht_trace_end end;	/* detail points to detail_copy */
	char *detail_copy;
};

struct cmp_state {
	int numeric;
	int show_ips;
	unsigned items;			/* traces per target */
	int each;			/* --each: the items are workers */
	char *version;
	struct cmp_trace *traces;
	unsigned trace_count;
	unsigned next_group;		/* the first target not written */
	unsigned written;		/* blocks written */
};

static void *cmp_create(const struct ht_render_config *config)
{
	struct cmp_state *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->numeric = config->numeric;
	s->show_ips = config->show_ips;
	return s;
}

static void cmp_trace_free(struct cmp_trace *ct)
{
	ht_render_hops_free(ct->hops, ct->hop_count);
	free(ct->detail_copy);
	ht_render_trace_clear(&ct->t);
	memset(ct, 0, sizeof(*ct));
}

static void cmp_destroy(void *state)
{
	struct cmp_state *s = state;
	unsigned i;

	for (i = 0; i < s->trace_count; i++)
		cmp_trace_free(&s->traces[i]);
	free(s->traces);
	free(s->version);
	free(s);
}

static struct cmp_trace *cmp_trace_of(struct cmp_state *s, unsigned trace)
{
	if (ht_render_grow((void **)&s->traces, &s->trace_count,
			   sizeof(*s->traces), trace) < 0)
		return NULL;
	return &s->traces[trace];
}

/* The responder text of a hop as the report shows it: the name (with
 * -b "name (addr)"), or the address. */
static void responder_text(const struct cmp_state *s,
			   const struct ht_responder *rs, struct ht_outbuf *o)
{
	if (!s->numeric && rs->name && *rs->name) {
		ht_outbuf_puts(o, rs->name);
		if (s->show_ips) {
			ht_outbuf_puts(o, " (");
			ht_render_addr(o, &rs->address);
			ht_outbuf_puts(o, ")");
		}
	} else {
		ht_render_addr(o, &rs->address);
	}
}

/* The quoted TOS of the hop's first answer that quoted one; -1 none. */
static int hop_tos(const struct ht_hop *h)
{
	unsigned i;

	for (i = 0; i < h->probe_count; i++) {
		const struct hp_result *r = &h->probes[i].result;

		if (r->responder.family && (r->has & HP_HAS_QUOTED_TOS))
			return r->quoted_tos;
	}
	return -1;
}

/* The column's label: the --compare item, or the --each worker. */
static const char *trace_label(const struct cmp_trace *ct)
{
	if (!ct->t.have)
		return "?";
	if (ct->t.start.compare)
		return ct->t.start.compare;
	return ct->t.start.worker_name ? ct->t.start.worker_name : "?";
}

/* Column COL of CT; its cells and their strings in CELLS and NAMES (room
 * for every hop), freed by the caller. */
static int build_column(const struct cmp_state *s, const struct cmp_trace *ct,
			struct ht_compare_column *col,
			struct ht_compare_cell *cells, char **names)
{
	struct ht_outbuf tmp;
	unsigned i;
	int failed = 0;

	memset(col, 0, sizeof(*col));
	col->label = trace_label(ct);
	col->cells = cells;
	col->cell_count = ct->hop_count;
	col->ended = ct->ended;
	col->reached = ct->end.reached;
	col->reason = ct->end.reason;
	col->distance = ct->end.distance;
	col->detail = ct->end.detail;
	ht_outbuf_init(&tmp);
	for (i = 0; i < ct->hop_count; i++) {
		const struct ht_hop *h = ct->hops[i];
		struct ht_hop_stats st;

		ht_hop_stats_compute(h->probes, h->probe_count, NULL, &st);
		cells[i].ttl = h->ttl;
		cells[i].sent = st.sent;
		cells[i].received = st.received;
		cells[i].avg_us = st.rtt_count ? st.avg_us : -1;
		cells[i].tos = hop_tos(h);
		names[i] = NULL;
		if (h->responder_count) {
			ht_outbuf_reset(&tmp);
			responder_text(s, &h->responders[0], &tmp);
			ht_outbuf_append(&tmp, "", 1);
			names[i] = tmp.failed ? NULL : strdup(tmp.data);
			if (!names[i])
				failed = 1;
		}
		cells[i].responder = names[i];
	}
	ht_outbuf_free(&tmp);
	return failed ? -1 : 0;
}

/* "  udp:53: udp port 53 from 192.0.2.2, reached ... at hop 3, ended
 * TIME" */
static void item_line(const struct cmp_trace *ct, struct ht_outbuf *out)
{
	const struct ht_trace_start *ts = &ct->t.start;

	ht_outbuf_puts(out, "  ");
	ht_render_safe(out, trace_label(ct));
	ht_outbuf_printf(out, ": %s", hp_protocol_name(ts->protocol));
	if (ts->port > 0)
		ht_outbuf_printf(out, " port %d", ts->port);
	if (ts->source.family) {
		ht_outbuf_puts(out, " from ");
		ht_render_addr(out, &ts->source);
	}
	ht_outbuf_puts(out, ", ");
	if (ct->ended)
		ht_render_footer(out, &ct->t, &ct->end);
	else
		ht_outbuf_puts(out, "did not finish\n");
}

static void write_group(struct cmp_state *s, unsigned g,
			struct ht_outbuf *out)
{
	struct ht_compare_column cols[HT_RENDER_MAX_ITEMS];
	struct ht_compare_cell *cells[HT_RENDER_MAX_ITEMS];
	char **names[HT_RENDER_MAX_ITEMS];
	const struct cmp_trace *head = NULL;
	unsigned i, j, n = 0, first = g * s->items;
	int failed = 0;

	memset(cols, 0, sizeof(cols));
	for (i = 0; i < s->items && first + i < s->trace_count; i++) {
		const struct cmp_trace *ct = &s->traces[first + i];

		if (!ct->t.have)
			continue;
		if (!head)
			head = ct;
		cells[n] = calloc(ct->hop_count + 1, sizeof(*cells[n]));
		names[n] = calloc(ct->hop_count + 1, sizeof(*names[n]));
		n++;
		if (!cells[n - 1] || !names[n - 1] ||
		    build_column(s, ct, &cols[n - 1], cells[n - 1],
				 names[n - 1]) < 0)
			failed = 1;
		if (failed)
			break;
	}
	if (!head || failed)
		goto out;
	if (s->written++)
		ht_outbuf_puts(out, "\n");
	ht_outbuf_puts(out, "hoptrace");
	if (s->version && *s->version) {
		ht_outbuf_puts(out, " ");
		ht_render_safe(out, s->version);
	}
	ht_outbuf_puts(out, " to ");
	ht_render_safe(out, head->t.start.target ? head->t.start.target : "");
	ht_outbuf_puts(out, ", side by side:");
	for (i = 0; i < n; i++) {
		ht_outbuf_puts(out, i ? ", " : " ");
		ht_render_safe(out, cols[i].label);
	}
	ht_outbuf_puts(out, ", started ");
	ht_render_time(out, head->t.start.start_us);
	ht_outbuf_puts(out, "\n");
	for (i = 0; i < s->items && first + i < s->trace_count; i++)
		if (s->traces[first + i].t.have)
			item_line(&s->traces[first + i], out);
	ht_compare_table(out, cols, n);
	ht_compare_verdict(out, cols, n, s->each ? "worker" : "item");
out:
	if (failed)
		out->failed = 1;
	for (i = 0; i < n; i++) {
		for (j = 0; names[i] && j < cols[i].cell_count; j++)
			free(names[i][j]);
		free(names[i]);
		free(cells[i]);
	}
}

/* Whether every trace of target G has ended. */
static int group_done(const struct cmp_state *s, unsigned g)
{
	unsigned i, first = g * s->items;

	for (i = 0; i < s->items; i++)
		if (first + i >= s->trace_count ||
		    !s->traces[first + i].ended)
			return 0;
	return 1;
}

static void write_ready(struct cmp_state *s, struct ht_outbuf *out)
{
	while (s->items && group_done(s, s->next_group)) {
		write_group(s, s->next_group, out);
		s->next_group++;
	}
}

static void cmp_end(struct cmp_state *s, const struct ht_trace_end *te,
		    struct ht_outbuf *out)
{
	struct cmp_trace *ct = cmp_trace_of(s, te->trace);

	if (!ct) {
		out->failed = 1;
		return;
	}
	free(ct->detail_copy);
	ct->end = *te;
	ct->detail_copy = te->detail ? strdup(te->detail) : NULL;
	if (te->detail && !ct->detail_copy)
		out->failed = 1;
	ct->end.detail = ct->detail_copy;
	ct->ended = 1;
	write_ready(s, out);
}

static void cmp_event(void *state, const struct ht_event *ev,
		      struct ht_outbuf *out)
{
	struct cmp_state *s = state;
	struct cmp_trace *ct;
	unsigned g;

	switch (ev->kind) {
	case HT_EV_WORKER_LOST:
		/* run.c says it on stderr */
		break;
	case HT_EV_RUN_START:
		free(s->version);
		s->version = ev->u.run_start.version ?
			     strdup(ev->u.run_start.version) : NULL;
		s->items = ev->u.run_start.compare_items ?
			   ev->u.run_start.compare_items :
			   ev->u.run_start.each_workers;
		s->each = !ev->u.run_start.compare_items;
		if (s->items > HT_RENDER_MAX_ITEMS)
			s->items = HT_RENDER_MAX_ITEMS;
		break;
	case HT_EV_TRACE_START:
		ct = cmp_trace_of(s, ev->u.trace_start.trace);
		if (!ct || ht_render_trace_set(&ct->t, &ev->u.trace_start) < 0)
			out->failed = 1;
		break;
	case HT_EV_HOP:
		ct = cmp_trace_of(s, ev->u.hop.trace);
		if (!ct || ht_render_hop_keep(&ct->hops, &ct->hop_count,
					      &ct->hop_cap, &ev->u.hop) < 0)
			out->failed = 1;
		break;
	case HT_EV_TRACE_END:
		cmp_end(s, &ev->u.trace_end, out);
		break;
	case HT_EV_RUN_END:
		/* A run cut short: what there is, target by target. */
		for (g = s->next_group; s->items &&
		     (size_t)g * s->items < s->trace_count; g++)
			write_group(s, g, out);
		s->next_group = g;
		break;
	case HT_EV_PROBE:
	case HT_EV_NAME:
	case HT_EV_ASN:
		break;
	}
}

const struct ht_render_ops ht_render_compare_ops = {
	.create = cmp_create,
	.event = cmp_event,
	.destroy = cmp_destroy,
};

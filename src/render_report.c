/*
 * render_report.c: an mtr-like table per trace, written when the trace
 * ends (the format is described at the top of render.c).  Hops are kept
 * as deep copies until then, because the widths of the columns depend on
 * every row.
 */
#include "render_impl.h"
#include "loss_verdict.h"
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report_trace {
	struct ht_render_trace t;
	struct ht_hop **hops;
	unsigned hop_count;
	unsigned hop_cap;
};

struct report_state {
	int numeric;
	int show_ips;
	int show_mpls;
	int show_asn;
	char *hostname;
	char *version;
	int several_workers;		/* name each trace's worker */
	struct ht_render_order order;
	struct report_trace *traces;
	unsigned trace_count;
};

static void *report_create(const struct ht_render_config *config)
{
	struct report_state *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->numeric = config->numeric;
	s->show_ips = config->show_ips;
	s->show_mpls = config->show_mpls;
	s->show_asn = config->show_asn;
	if (config->hostname) {
		s->hostname = strdup(config->hostname);
		if (!s->hostname) {
			free(s);
			return NULL;
		}
	}
	ht_render_order_init(&s->order);
	return s;
}

static void report_trace_free(struct report_trace *rt)
{
	ht_render_hops_free(rt->hops, rt->hop_count);
	ht_render_trace_clear(&rt->t);
	memset(rt, 0, sizeof(*rt));
}

static void report_destroy(void *state)
{
	struct report_state *s = state;
	unsigned i;

	for (i = 0; i < s->trace_count; i++)
		report_trace_free(&s->traces[i]);
	free(s->traces);
	ht_render_order_free(&s->order);
	free(s->hostname);
	free(s->version);
	free(s);
}

static struct report_trace *report_trace_of(struct report_state *s,
					    unsigned trace)
{
	if (ht_render_grow((void **)&s->traces, &s->trace_count,
			   sizeof(*s->traces), trace) < 0)
		return NULL;
	return &s->traces[trace];
}

static void report_hop(struct report_state *s, const struct ht_hop *hop,
		       struct ht_outbuf *out)
{
	struct report_trace *rt = report_trace_of(s, hop->trace);

	if (!rt || ht_render_hop_keep(&rt->hops, &rt->hop_count,
				      &rt->hop_cap, hop) < 0)
		out->failed = 1;
}

/* ---- the table ----------------------------------------------------- */

/* The name cell of a responder: name, "name (addr)" with -b, or addr;
 * written sanitised, so its byte length is no less than its width. */
static void report_name(const struct report_state *s,
			const struct ht_responder *rs, struct ht_outbuf *o)
{
	if (!s->numeric && rs->name && *rs->name) {
		ht_render_safe(o, rs->name);
		if (s->show_ips) {
			ht_outbuf_puts(o, " (");
			ht_render_addr(o, &rs->address);
			ht_outbuf_puts(o, ")");
		}
	} else {
		ht_render_addr(o, &rs->address);
	}
}

/* Write RS's ASN cell (ASN) or name cell into TMP; its width. */
static size_t report_width(const struct report_state *s,
			   const struct ht_responder *rs, int asn,
			   struct ht_outbuf *tmp)
{
	ht_outbuf_reset(tmp);
	if (asn)
		ht_render_asn_tag(tmp, rs ? rs->asn : NULL, "AS???");
	else if (rs)
		report_name(s, rs, tmp);
	else
		ht_outbuf_puts(tmp, "???");
	return ht_render_safe_width(tmp->data ? tmp->data : "");
}

struct report_widths {
	size_t ttl;	/* digits */
	size_t asn;	/* 0 without -z */
	size_t name;
	int multipath;	/* --flows: a line per path under each row */
};

/* The report's HOST: this host, or in a run of several workers the
 * worker's name (the probes went out there, as mtr's HOST is where mtr
 * runs). */
static const char *report_host(const struct report_state *s,
			       const struct report_trace *rt)
{
	if (s->several_workers && rt->t.have && rt->t.start.worker_name)
		return rt->t.start.worker_name;
	return s->hostname ? s->hostname : "";
}

static void report_measure(const struct report_state *s,
			   const struct report_trace *rt,
			   struct report_widths *w, struct ht_outbuf *tmp)
{
	size_t host, lead;
	unsigned i, j;

	w->ttl = 2;
	w->asn = 0;
	w->name = 0;
	w->multipath = rt->t.have && rt->t.start.flows > 1;
	for (i = 0; i < rt->hop_count; i++) {
		const struct ht_hop *h = rt->hops[i];
		size_t digits = 1;
		int t;

		for (t = h->ttl < 0 ? -h->ttl : h->ttl; t >= 10; t /= 10)
			digits++;
		if (h->ttl < 0)
			digits++;
		if (digits > w->ttl)
			w->ttl = digits;
		/* Only rows and path lines pad their name: further
		 * responders' lines end with it, so they do not widen the
		 * column. */
		for (j = 0; j < h->responder_count || j == 0; j++) {
			const struct ht_responder *rs =
				h->responder_count ? &h->responders[j] : NULL;
			size_t n = j && !w->multipath ? 0 :
				   report_width(s, rs, 0, tmp);

			if (n > w->name)
				w->name = n;
			if (s->show_asn) {
				n = report_width(s, rs, 1, tmp);
				if (n > w->asn)
					w->asn = n;
			}
		}
	}
	/* "HOST: NAME" spans the ttl, ASN and name columns. */
	host = 6 + ht_render_safe_width(report_host(s, rt));
	lead = w->ttl + 5 + (s->show_asn ? w->asn + 1 : 0);
	if (host > lead + w->name)
		w->name = host - lead;
}

/* TEXT right-aligned in WIDTH columns (TEXT is ASCII). */
static void report_cell(struct ht_outbuf *o, size_t width,
			const struct ht_outbuf *text)
{
	if (text->len < width)
		ht_render_pad(o, width - text->len);
	ht_outbuf_append(o, text->data ? text->data : "", text->len);
}

static void report_ms_cell(struct ht_outbuf *o, size_t width, double us,
			   struct ht_outbuf *tmp)
{
	ht_outbuf_reset(tmp);
	ht_render_ms1(tmp, us);
	report_cell(o, width, tmp);
}

/* The ASN cell padded to its column, and the name cell after it. */
static void report_who(const struct report_state *s,
		       const struct report_widths *w,
		       const struct ht_responder *rs, int pad_name,
		       struct ht_outbuf *o, struct ht_outbuf *tmp)
{
	size_t n;

	if (s->show_asn) {
		n = report_width(s, rs, 1, tmp);
		ht_outbuf_append(o, tmp->data, tmp->len);
		ht_render_pad(o, w->asn - n + 1);
	}
	n = report_width(s, rs, 0, tmp);
	ht_outbuf_append(o, tmp->data, tmp->len);
	if (pad_name)
		ht_render_pad(o, w->name - n);
}

/* " Loss%   Snt   Last   Avg  Best  Wrst StDev" cells of ST. */
static void report_stats(struct ht_outbuf *o, const struct ht_hop_stats *st,
			 struct ht_outbuf *tmp)
{
	int timed = st->rtt_count > 0;

	ht_outbuf_puts(o, " ");
	ht_outbuf_reset(tmp);
	ht_render_tenths(tmp, st->loss_pct);
	report_cell(o, 5, tmp);
	ht_outbuf_printf(o, "%%%6u", st->sent);
	report_ms_cell(o, 7, timed ? (double)st->last_us : 0.0, tmp);
	report_ms_cell(o, 6, timed ? st->avg_us : 0.0, tmp);
	report_ms_cell(o, 6, timed ? (double)st->best_us : 0.0, tmp);
	report_ms_cell(o, 6, timed ? (double)st->worst_us : 0.0, tmp);
	report_ms_cell(o, 6, timed ? st->stdev_us : 0.0, tmp);
}

/*
 * --flows: under the hop's row, a line per path (paths.h) with its own
 * statistics and its flows, " | > NAME ... flows 28300,28302", the
 * unanswered flows as "???"; then a line when a flow reached two
 * responders (a balancer that splits per packet).
 */
static void report_paths(const struct report_state *s,
			 const struct report_widths *w, const struct ht_hop *h,
			 struct ht_outbuf *o, struct ht_outbuf *tmp)
{
	struct ht_hop_paths hp;
	unsigned i, j;

	ht_hop_paths_compute(h, &hp);
	for (i = 0; i < hp.path_count; i++) {
		const struct ht_path *p = &hp.paths[i];
		const struct ht_responder *rs = p->address.family ?
			ht_render_responder(h, &p->address) : NULL;

		ht_render_pad(o, w->ttl);
		ht_outbuf_puts(o, " | > ");
		report_who(s, w, rs, 1, o, tmp);
		report_stats(o, &p->stats, tmp);
		ht_outbuf_puts(o, "  flows ");
		for (j = 0; j < p->flow_count; j++)
			ht_outbuf_printf(o, "%s%d", j ? "," : "", p->flows[j]);
		ht_outbuf_puts(o, "\n");
	}
	if (hp.per_packet_flow >= 0) {
		ht_render_pad(o, w->ttl);
		ht_outbuf_printf(o, " |   per-packet balancing: flow %d "
				 "reached ", hp.per_packet_flow);
		ht_render_addr(o, &hp.per_packet[0]);
		ht_outbuf_puts(o, " and ");
		ht_render_addr(o, &hp.per_packet[1]);
		ht_outbuf_puts(o, "\n");
	}
}

static void report_row(const struct report_state *s,
		       const struct report_widths *w, const struct ht_hop *h,
		       struct ht_outbuf *o, struct ht_outbuf *tmp)
{
	const struct ht_responder *first =
		h->responder_count ? &h->responders[0] : NULL;
	struct ht_hop_stats st;
	unsigned i;

	ht_hop_stats_compute(h->probes, h->probe_count, NULL, &st);
	ht_outbuf_printf(o, "%*d.|-- ", (int)w->ttl, h->ttl);
	report_who(s, w, first, 1, o, tmp);
	report_stats(o, &st, tmp);
	ht_outbuf_puts(o, "\n");

	if (w->multipath)
		report_paths(s, w, h, o, tmp);
	for (i = 1; i < h->responder_count && !w->multipath; i++) {
		ht_render_pad(o, w->ttl + 1);
		ht_outbuf_puts(o, "|  `|-- ");
		report_who(s, w, &h->responders[i], 0, o, tmp);
		ht_outbuf_puts(o, "\n");
	}
	if (s->show_mpls) {
		char prefix[300];

		/* The pad is the ttl column's width, at most 3 digits. */
		snprintf(prefix, sizeof(prefix), "%*s|  +-- ",
			 (int)(w->ttl + 1), "");
		ht_render_hop_extras(o, h, prefix);
	}
}

/* Under the table, whether each hop's loss carries on to the destination
 * (loss_verdict.h), with the counts it was judged from. */
static void report_verdicts(const struct report_state *s,
			    const struct report_trace *rt,
			    const struct report_widths *w,
			    const struct ht_trace_end *te, struct ht_outbuf *o)
{
	const struct ht_hop *const *hops = (const struct ht_hop *const *)rt->hops;
	struct ht_loss_verdicts lv;
	unsigned i, j;

	ht_loss_verdicts_compute(hops, rt->hop_count,
				 te && te->reached ? te->distance : 0,
				 w->multipath, &lv);
	for (i = 0; i < lv.count; i++) {
		const struct ht_loss_verdict *v = &lv.v[i];
		const struct ht_responder *rs = NULL;

		for (j = 0; j < rt->hop_count && !rs; j++)
			if (rt->hops[j]->ttl == v->ttl)
				rs = ht_render_responder(rt->hops[j], &v->who);
		ht_render_loss_line(o, v, rs && !s->numeric ? rs->name : NULL);
		ht_outbuf_puts(o, "\n");
	}
	if (lv.left_out)
		ht_outbuf_printf(o, "loss: %u more not shown\n", lv.left_out);
}

static void report_table(const struct report_state *s,
			 const struct report_trace *rt, unsigned trace,
			 const struct ht_trace_end *te, struct ht_outbuf *o)
{
	struct report_widths w;
	struct ht_outbuf tmp;
	size_t host;
	unsigned i;

	ht_outbuf_init(&tmp);
	report_measure(s, rt, &w, &tmp);
	if (trace > 0)
		ht_outbuf_puts(o, "\n");
	if (rt->t.have) {
		ht_outbuf_puts(o, "Start: ");
		ht_render_time(o, rt->t.start.start_us);
		ht_outbuf_puts(o, "\n");
		ht_render_headline(o, s->version, &rt->t.start, s->several_workers);
		ht_outbuf_puts(o, "\n");
	}
	ht_outbuf_puts(o, "HOST: ");
	host = 6 + ht_render_safe(o, report_host(s, rt));
	ht_render_pad(o, w.ttl + 5 + (s->show_asn ? w.asn + 1 : 0) + w.name
			 - host);
	ht_outbuf_puts(o, "  Loss%   Snt   Last   Avg  Best  Wrst StDev\n");
	for (i = 0; i < rt->hop_count; i++)
		report_row(s, &w, rt->hops[i], o, &tmp);
	report_verdicts(s, rt, &w, te, o);
	if (tmp.failed)
		o->failed = 1;
	ht_outbuf_free(&tmp);
	if (te)
		ht_render_footer(o, &rt->t, te);
}

static void report_trace_end(struct report_state *s,
			     const struct ht_trace_end *te,
			     struct ht_outbuf *out)
{
	struct report_trace *rt = report_trace_of(s, te->trace);
	struct ht_outbuf *o = ht_render_order_out(&s->order, te->trace, out);

	if (!rt) {
		out->failed = 1;
	} else {
		if (o)
			report_table(s, rt, te->trace, te, o);
		report_trace_free(rt);
	}
	ht_render_order_end(&s->order, te->trace, out);
}

/* A run cut short still shows what its unfinished traces had, without a
 * footer, in argument order. */
static void report_run_end(struct report_state *s, struct ht_outbuf *out)
{
	unsigned i;

	for (i = 0; i < s->trace_count; i++) {
		struct report_trace *rt = &s->traces[i];
		struct ht_outbuf *o;

		if (!rt->t.have && rt->hop_count == 0)
			continue;
		o = ht_render_order_out(&s->order, i, out);
		if (o)
			report_table(s, rt, i, NULL, o);
		report_trace_free(rt);
		ht_render_order_end(&s->order, i, out);
	}
	ht_render_order_flush(&s->order, out);
}

static void report_event(void *state, const struct ht_event *ev,
			 struct ht_outbuf *out)
{
	struct report_state *s = state;
	struct report_trace *rt;

	switch (ev->kind) {
	case HT_EV_WORKER_LOST:
		/* run.c says it on stderr */
		break;
	case HT_EV_RUN_START:
		free(s->version);
		s->version = ev->u.run_start.version
			     ? strdup(ev->u.run_start.version) : NULL;
		s->several_workers = ev->u.run_start.worker_count > 1;
		break;
	case HT_EV_TRACE_START:
		rt = report_trace_of(s, ev->u.trace_start.trace);
		if (!rt || ht_render_trace_set(&rt->t, &ev->u.trace_start) < 0)
			out->failed = 1;
		break;
	case HT_EV_HOP:
		report_hop(s, &ev->u.hop, out);
		break;
	case HT_EV_TRACE_END:
		report_trace_end(s, &ev->u.trace_end, out);
		break;
	case HT_EV_RUN_END:
		report_run_end(s, out);
		break;
	case HT_EV_PROBE:
	case HT_EV_NAME:
	case HT_EV_ASN:
		break;
	}
}

const struct ht_render_ops ht_render_report_ops = {
	.create = report_create,
	.event = report_event,
	.destroy = report_destroy,
};

/*
 * render_text.c: classic traceroute output, one line per hop as each hop
 * completes (the format is described at the top of render.c).
 */
#include "render_impl.h"

#include <stdlib.h>
#include <string.h>

struct text_trace {
	struct ht_render_trace t;
	int last_mtu;			/* --pmtu: of the last hop shown */
};

struct text_state {
	int numeric;
	int show_mpls;
	int show_asn;
	int show_ns;
	int show_pmtu;
	char *version;
	int several_workers;		/* name each trace's worker */
	struct ht_render_order order;
	struct text_trace *traces;
	unsigned trace_count;
};

static void *text_create(const struct ht_render_config *config)
{
	struct text_state *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->numeric = config->numeric;
	s->show_mpls = config->show_mpls;
	s->show_asn = config->show_asn;
	s->show_ns = config->show_ns;
	s->show_pmtu = config->show_pmtu;
	ht_render_order_init(&s->order);
	return s;
}

static void text_destroy(void *state)
{
	struct text_state *s = state;
	unsigned i;

	for (i = 0; i < s->trace_count; i++)
		ht_render_trace_clear(&s->traces[i].t);
	free(s->traces);
	ht_render_order_free(&s->order);
	free(s->version);
	free(s);
}

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

static void text_trace_start(struct text_state *s,
			     const struct ht_trace_start *ts,
			     struct ht_outbuf *out)
{
	struct ht_outbuf *o;

	/* The copy is for the footer; the header can do without it. */
	if (ht_render_grow((void **)&s->traces, &s->trace_count,
			   sizeof(*s->traces), ts->trace) < 0 ||
	    ht_render_trace_set(&s->traces[ts->trace].t, ts) < 0)
		out->failed = 1;
	o = ht_render_order_out(&s->order, ts->trace, out);
	if (!o)
		return;
	if (ts->trace > 0)
		ht_outbuf_puts(o, "\n");
	ht_render_headline(o, s->version, ts, s->several_workers);
	if (ts->first_ttl > 1)
		ht_outbuf_printf(o, ", first hop %d", ts->first_ttl);
	ht_outbuf_printf(o, ", %d hop%s max, %d probe%s per hop", ts->max_ttl,
			 plural(ts->max_ttl), ts->queries, plural(ts->queries));
	if (ts->count > 1)
		ht_outbuf_printf(o, ", %d cycles", ts->count);
	ht_outbuf_puts(o, ", started ");
	ht_render_time(o, ts->start_us);
	ht_outbuf_puts(o, "\n");
}

/* The responder as the line shows it: [ASN] name (addr), or addr. */
static void text_responder(const struct text_state *s,
			   const struct ht_hop *hop,
			   const struct hp_addr *addr, struct ht_outbuf *o)
{
	const struct ht_responder *rs = ht_render_responder(hop, addr);

	ht_outbuf_puts(o, " ");
	if (s->show_asn) {
		ht_outbuf_puts(o, "[");
		ht_render_asn_tag(o, rs ? rs->asn : NULL, "AS?");
		ht_outbuf_puts(o, "] ");
	}
	if (!s->numeric && rs && rs->name && *rs->name) {
		ht_render_safe(o, rs->name);
		ht_outbuf_puts(o, " (");
		ht_render_addr(o, addr);
		ht_outbuf_puts(o, ")");
	} else {
		ht_render_addr(o, addr);
	}
}

static void text_probe(const struct text_state *s, const struct ht_hop *hop,
		       const struct hp_result *r, const struct hp_addr **shown,
		       struct ht_outbuf *o)
{
	char markbuf[32];
	const char *mark = ht_render_mark(r, markbuf, sizeof(markbuf));

	if (r->responder.family) {
		if (!*shown || !hp_addr_equal(*shown, &r->responder)) {
			text_responder(s, hop, &r->responder, o);
			*shown = &r->responder;
		}
		if (r->rtt_us >= 0) {
			ht_outbuf_puts(o, "  ");
			ht_render_rtt(o, r, s->show_ns);
			ht_outbuf_puts(o, " ms");
		} else if (!mark) {
			ht_outbuf_puts(o, " *");
		}
	} else if (!mark) {
		ht_outbuf_puts(o, " *");
	}
	if (mark)
		ht_outbuf_printf(o, " %s", mark);
}

/* --pmtu: "  [mtu 1500]", "  [mtu 1280, down from 1500]" where it drops. */
static void text_mtu(struct text_trace *tt, const struct ht_hop *hop,
		     struct ht_outbuf *o)
{
	int mtu = ht_render_hop_mtu(hop);

	if (!mtu)
		return;
	if (tt->last_mtu && mtu < tt->last_mtu)
		ht_outbuf_printf(o, "  [mtu %d, down from %d]", mtu,
				 tt->last_mtu);
	else
		ht_outbuf_printf(o, "  [mtu %d]", mtu);
	tt->last_mtu = mtu;
}

static void text_hop(struct text_state *s, const struct ht_hop *hop,
		     struct ht_outbuf *out)
{
	struct ht_outbuf *o = ht_render_order_out(&s->order, hop->trace, out);
	const struct hp_addr *shown = NULL;
	unsigned i;

	if (!o)
		return;
	ht_outbuf_printf(o, "%2d ", hop->ttl);
	for (i = 0; i < hop->probe_count; i++)
		text_probe(s, hop, &hop->probes[i].result, &shown, o);
	if (s->show_pmtu && hop->trace < s->trace_count)
		text_mtu(&s->traces[hop->trace], hop, o);
	ht_outbuf_puts(o, "\n");
	if (s->show_mpls)
		ht_render_hop_extras(o, hop, "     ");
}

static void text_trace_end(struct text_state *s,
			   const struct ht_trace_end *te,
			   struct ht_outbuf *out)
{
	struct ht_outbuf *o = ht_render_order_out(&s->order, te->trace, out);
	const struct ht_render_trace *t = te->trace < s->trace_count
					  ? &s->traces[te->trace].t : NULL;

	if (o)
		ht_render_footer(o, t, te);
	ht_render_order_end(&s->order, te->trace, out);
}

static void text_event(void *state, const struct ht_event *ev,
		       struct ht_outbuf *out)
{
	struct text_state *s = state;

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
		text_trace_start(s, &ev->u.trace_start, out);
		break;
	case HT_EV_HOP:
		text_hop(s, &ev->u.hop, out);
		break;
	case HT_EV_TRACE_END:
		text_trace_end(s, &ev->u.trace_end, out);
		break;
	case HT_EV_RUN_END:
		ht_render_order_flush(&s->order, out);
		break;
	case HT_EV_PROBE:
	case HT_EV_NAME:
	case HT_EV_ASN:
		/* The hop event carries every probe and name it needs. */
		break;
	}
}

const struct ht_render_ops ht_render_text_ops = {
	.create = text_create,
	.event = text_event,
	.destroy = text_destroy,
};

/*
 * compare_verdict.c: --compare's verdict lines (see compare_table.h).
 *
 * Each item is judged against the first: the hop where it stops
 * answering (the target's answer, an unreachable, or the last hop that
 * answered), and the hop where the TOS byte its probes carried, as the
 * routers quote it back, changed.  A firewall shows as one protocol going
 * silent (or getting an unreachable) before the hop where another reaches
 * the target; a DSCP policy as one protocol's TOS quoted differently from
 * some hop on.
 */
#include <string.h>

#include "compare_table.h"
#include "render_impl.h"

/* The highest hop of C that answered; 0 none. */
static int last_answering(const struct ht_compare_column *c)
{
	int last = 0;
	unsigned i;

	for (i = 0; i < c->cell_count; i++)
		if (c->cells[i].received && c->cells[i].ttl > last)
			last = c->cells[i].ttl;
	return last;
}

void ht_compare_outcome_of(const struct ht_compare_column *c,
			   struct ht_compare_outcome *out)
{
	out->hop = last_answering(c);
	if (!c->ended) {
		out->stop = HT_COMPARE_RUNNING;
	} else if (c->reached) {
		out->stop = HT_COMPARE_REACHED;
		out->hop = c->distance;
	} else if (c->reason == HT_REASON_UNREACHABLE) {
		out->stop = HT_COMPARE_UNREACHABLE;
	} else if (c->reason == HT_REASON_NO_ANSWER) {
		out->stop = HT_COMPARE_SILENT;
	} else if (c->reason == HT_REASON_WORKER_FAILED) {
		out->stop = HT_COMPARE_LOST;
	} else if (c->cell_count == 0) {
		out->stop = HT_COMPARE_NOT_TRACED;
		out->hop = 0;
	} else {
		/* Refused or failed midway: as far as it got. */
		out->stop = HT_COMPARE_SILENT;
	}
}

void ht_compare_tos_of(const struct ht_compare_column *c,
		       struct ht_compare_tos *out)
{
	int prev = -1;
	unsigned i;

	memset(out, 0, sizeof(*out));
	out->first = -1;
	out->to = -1;
	for (i = 0; i < c->cell_count; i++) {
		const struct ht_compare_cell *cell = &c->cells[i];

		if (cell->tos < 0)
			continue;
		if (out->first < 0)
			out->first = cell->tos;
		else if (cell->tos != prev && !out->rewritten_at) {
			out->rewritten_at = cell->ttl;
			out->to = cell->tos;
		}
		prev = cell->tos;
		out->last_hop = cell->ttl;
	}
}

/* "reaches the target at hop 3", "no answer beyond hop 2", ... */
static void outcome_words(struct ht_outbuf *out,
			  const struct ht_compare_column *c,
			  const struct ht_compare_outcome *o)
{
	switch (o->stop) {
	case HT_COMPARE_REACHED:
		ht_outbuf_printf(out, "reaches the target at hop %d", o->hop);
		return;
	case HT_COMPARE_UNREACHABLE:
		ht_outbuf_printf(out, "gets an unreachable at hop %d", o->hop);
		return;
	case HT_COMPARE_SILENT:
		if (o->hop)
			ht_outbuf_printf(out, "no answer beyond hop %d",
					 o->hop);
		else
			ht_outbuf_puts(out, "no answer from any hop");
		return;
	case HT_COMPARE_NOT_TRACED:
		ht_outbuf_puts(out, "not traced (");
		ht_render_safe(out, c->detail ? c->detail
					      : ht_reason_name(c->reason));
		ht_outbuf_puts(out, ")");
		return;
	case HT_COMPARE_RUNNING:
		ht_outbuf_puts(out, "did not finish");
		return;
	case HT_COMPARE_LOST:
		if (o->hop)
			ht_outbuf_printf(out, "lost its worker after hop %d",
					 o->hop);
		else
			ht_outbuf_puts(out, "lost its worker before any hop "
				       "answered");
		return;
	}
}

static int outcome_same(const struct ht_compare_outcome *a,
			const struct ht_compare_outcome *b)
{
	return a->stop == b->stop && a->hop == b->hop;
}

/* TOS paths differ only when both quoted something to compare. */
static int tos_same(const struct ht_compare_tos *a,
		    const struct ht_compare_tos *b)
{
	if (a->first < 0 || b->first < 0)
		return 1;
	if (a->first != b->first)
		return 0;
	return a->rewritten_at == b->rewritten_at && a->to == b->to;
}

static void tos_words(struct ht_outbuf *out, const struct ht_compare_tos *t)
{
	if (t->rewritten_at)
		ht_outbuf_printf(out, "TOS 0x%02x rewritten to 0x%02x at hop %d",
				 t->first, t->to, t->rewritten_at);
	else
		ht_outbuf_printf(out, "TOS 0x%02x kept up to hop %d", t->first,
				 t->last_hop);
}

static void label(struct ht_outbuf *out, const struct ht_compare_column *c)
{
	ht_render_safe(out, c->label ? c->label : "");
}

void ht_compare_verdict(struct ht_outbuf *out,
			const struct ht_compare_column *cols, unsigned n,
			const char *noun)
{
	struct ht_compare_outcome ref, o;
	struct ht_compare_tos ref_tos, tos;
	unsigned i, differ = 0;

	if (n == 0)
		return;
	ht_compare_outcome_of(&cols[0], &ref);
	ht_compare_tos_of(&cols[0], &ref_tos);
	for (i = 1; i < n; i++) {
		ht_compare_outcome_of(&cols[i], &o);
		if (!outcome_same(&o, &ref)) {
			differ++;
			label(out, &cols[i]);
			ht_outbuf_puts(out, ": ");
			outcome_words(out, &cols[i], &o);
			ht_outbuf_puts(out, ", ");
			label(out, &cols[0]);
			ht_outbuf_puts(out, " ");
			outcome_words(out, &cols[0], &ref);
			ht_outbuf_puts(out, "\n");
		}
		ht_compare_tos_of(&cols[i], &tos);
		if (!tos_same(&tos, &ref_tos)) {
			differ++;
			label(out, &cols[i]);
			ht_outbuf_puts(out, ": ");
			tos_words(out, &tos);
			ht_outbuf_puts(out, ", ");
			label(out, &cols[0]);
			ht_outbuf_puts(out, " ");
			tos_words(out, &ref_tos);
			ht_outbuf_puts(out, "\n");
		}
	}
	if (!differ) {
		ht_outbuf_printf(out, "verdict: every %s ", noun);
		outcome_words(out, &cols[0], &ref);
		ht_outbuf_puts(out, "\n");
	}
}

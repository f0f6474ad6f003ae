/*
 * compare_table.c: --compare's side-by-side table (see compare_table.h).
 *
 *   Hop  icmp                     udp:53
 *        Host         Loss%  Avg  Host         Loss%  Avg
 *     1  192.0.2.1     0.0%  0.1  192.0.2.1     0.0%  0.1
 *     2  192.0.2.66    0.0%  0.2  192.0.2.66    0.0%  0.2
 *     3  192.0.2.130   0.0%  0.3  ???         100.0%    -
 *
 * A group's columns are its responder (left-aligned, as wide as the
 * longest of its entries, "Host" and its label), Loss% (six wide) and Avg
 * (milliseconds rounded to tenths, "-" without a time), two spaces
 * between columns and three between groups.
 */
#include <string.h>

#include "compare_table.h"
#include "render_impl.h"

#define LOSS_WIDTH 6
#define GROUP_GAP 3

/* The cell of column C at TTL; NULL when the item showed no such hop. */
static const struct ht_compare_cell *cell_at(const struct ht_compare_column *c,
					     int ttl)
{
	unsigned i;

	for (i = 0; i < c->cell_count; i++)
		if (c->cells[i].ttl == ttl)
			return &c->cells[i];
	return NULL;
}

static const char *cell_host(const struct ht_compare_cell *cell)
{
	return cell->responder ? cell->responder : "???";
}

struct group_width {
	size_t host;
	size_t avg;
};

static size_t digits_of(int v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Right-aligned TEXT (ASCII) in WIDTH columns. */
static void right(struct ht_outbuf *out, size_t width, const char *text)
{
	size_t n = strlen(text);

	if (n < width)
		ht_render_pad(out, width - n);
	ht_outbuf_puts(out, text);
}

static void loss_text(const struct ht_compare_cell *cell, struct ht_outbuf *t)
{
	double loss = cell->sent ? 100.0 * (cell->sent - cell->received) /
				   cell->sent : 0.0;

	ht_outbuf_reset(t);
	ht_render_tenths(t, loss);
	ht_outbuf_puts(t, "%");
}

static void avg_text(const struct ht_compare_cell *cell, struct ht_outbuf *t)
{
	ht_outbuf_reset(t);
	if (cell->avg_us < 0)
		ht_outbuf_puts(t, "-");
	else
		ht_render_ms1(t, cell->avg_us);
}

void ht_compare_table(struct ht_outbuf *out,
		      const struct ht_compare_column *cols, unsigned n)
{
	struct group_width w[16];
	struct ht_outbuf tmp;
	int lo = 0, hi = 0, ttl;
	size_t ttl_w;
	unsigned g, i;

	if (n == 0)
		return;
	if (n > sizeof(w) / sizeof(w[0]))
		n = sizeof(w) / sizeof(w[0]);
	ht_outbuf_init(&tmp);
	for (g = 0; g < n; g++) {
		const struct ht_compare_column *c = &cols[g];

		w[g].host = 4;		/* "Host" */
		w[g].avg = 3;		/* "Avg" */
		for (i = 0; i < c->cell_count; i++) {
			const struct ht_compare_cell *cell = &c->cells[i];
			size_t hw = ht_render_safe_width(cell_host(cell));

			if (hw > w[g].host)
				w[g].host = hw;
			avg_text(cell, &tmp);
			if (tmp.len > w[g].avg)
				w[g].avg = tmp.len;
			if (!lo || cell->ttl < lo)
				lo = cell->ttl;
			if (cell->ttl > hi)
				hi = cell->ttl;
		}
		/* The label spans the group: widen the host column when
		 * the label is longer than the group. */
		{
			size_t label = ht_render_safe_width(c->label ? c->label
								     : "");
			size_t group = w[g].host + 2 + LOSS_WIDTH + 2 +
				       w[g].avg;

			if (label > group)
				w[g].host += label - group;
		}
	}
	ttl_w = digits_of(hi > 0 ? hi : 1);
	if (ttl_w < 3)
		ttl_w = 3;

	/* The labels. */
	right(out, ttl_w, "Hop");
	for (g = 0; g < n; g++) {
		size_t group = w[g].host + 2 + LOSS_WIDTH + 2 + w[g].avg;
		size_t lw;

		ht_render_pad(out, g ? GROUP_GAP : 2);
		lw = ht_render_safe(out, cols[g].label ? cols[g].label : "");
		/* No padding after the last group: lines end without
		 * spaces. */
		if (g + 1 < n && lw < group)
			ht_render_pad(out, group - lw);
	}
	ht_outbuf_puts(out, "\n");
	/* The column names. */
	ht_render_pad(out, ttl_w);
	for (g = 0; g < n; g++) {
		ht_render_pad(out, g ? GROUP_GAP : 2);
		ht_outbuf_puts(out, "Host");
		ht_render_pad(out, w[g].host - 4 + 2);
		right(out, LOSS_WIDTH, "Loss%");
		ht_outbuf_puts(out, "  ");
		right(out, w[g].avg, "Avg");
	}
	ht_outbuf_puts(out, "\n");

	for (ttl = lo; lo && ttl <= hi; ttl++) {
		size_t blank = 0;
		int any = 0;

		for (g = 0; g < n; g++)
			if (cell_at(&cols[g], ttl))
				any = 1;
		if (!any)
			continue;
		ht_outbuf_reset(&tmp);
		ht_outbuf_printf(&tmp, "%d", ttl);
		right(out, ttl_w, tmp.data);
		for (g = 0; g < n; g++) {
			const struct ht_compare_cell *cell =
				cell_at(&cols[g], ttl);
			size_t group = w[g].host + 2 + LOSS_WIDTH + 2 +
				       w[g].avg;
			size_t hw;

			if (!cell) {
				/* Blank, written only if a later group has
				 * something: no trailing spaces. */
				blank += (g ? GROUP_GAP : 2) + group;
				continue;
			}
			ht_render_pad(out, blank + (g ? GROUP_GAP : 2));
			blank = 0;
			hw = ht_render_safe(out, cell_host(cell));
			ht_render_pad(out, w[g].host - hw + 2);
			loss_text(cell, &tmp);
			right(out, LOSS_WIDTH, tmp.data);
			ht_outbuf_puts(out, "  ");
			avg_text(cell, &tmp);
			right(out, w[g].avg, tmp.data);
		}
		ht_outbuf_puts(out, "\n");
	}
	if (tmp.failed)
		out->failed = 1;
	ht_outbuf_free(&tmp);
}

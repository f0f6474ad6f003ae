/*
 * live_screen.c: the live view's screen (see live_screen.h).
 *
 * The lines are first written one after the other into a scratch buffer,
 * separated by '\n' (no line holds one: every name goes through
 * ht_render_safe), so that the number of lines is known before any goes
 * out; the screen then shows as many as fit and says how many did not.
 *
 * A row: "%3d. " the ttl, the host column, then the statistics, 47
 * characters: Loss% (6), Snt (" %5u"), Last, Avg, Best, Wrst, StDev
 * (" %6s" each, milliseconds to tenths).  The host column takes what the
 * width leaves, at least LIVE_HOST_MIN; lines longer than the terminal
 * are cut there.
 */
#include "live_screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "loss_verdict.h"
#include "paths.h"
#include "render_impl.h"

#define LIVE_TTL_WIDTH 5
#define LIVE_STATS_WIDTH 47
#define LIVE_HOST_MIN 12

enum ht_live_mode ht_live_mode_next(enum ht_live_mode mode, int has_paths,
				    int has_asn)
{
	if (mode == HT_LIVE_STATS && has_paths)
		return HT_LIVE_PATHS;
	if (mode != HT_LIVE_ASN && has_asn)
		return HT_LIVE_ASN;
	return HT_LIVE_STATS;
}

const char *ht_live_mode_name(enum ht_live_mode mode)
{
	switch (mode) {
	case HT_LIVE_PATHS:
		return "paths";
	case HT_LIVE_ASN:
		return "asn";
	default:
		return "stats";
	}
}

/* What one render needs besides the model. */
struct screen {
	const struct ht_live_model *m;
	const struct ht_live_view *v;
	struct ht_outbuf lines;		/* '\n'-separated */
	struct ht_outbuf scratch;
	unsigned host_width;
};

static void end_line(struct screen *s)
{
	ht_outbuf_append(&s->lines, "\n", 1);
}

/* S (sanitised already) cut to COLS characters, appended to OUT. */
static void append_cut(struct ht_outbuf *out, const char *s, size_t len,
		       unsigned cols)
{
	size_t i = 0;
	unsigned n = 0;

	while (i < len && n < cols) {
		size_t k = 1;

		if ((unsigned char)s[i] >= 0x80) {
			k = ht_render_utf8_len((const unsigned char *)s + i);
			if (k == 0 || i + k > len)
				k = 1;
		}
		i += k;
		n++;
	}
	ht_outbuf_append(out, s, i);
}

/* TEXT, made safe, in a field of exactly WIDTH characters. */
static void put_field(struct screen *s, const char *text, unsigned width)
{
	size_t w;

	ht_outbuf_reset(&s->scratch);
	w = ht_render_safe(&s->scratch, text);
	append_cut(&s->lines, s->scratch.data ? s->scratch.data : "",
		   s->scratch.len, width);
	if (w < width)
		ht_render_pad(&s->lines, width - w);
}

/* How a responder is named: per -n and -b, with its AS in ASN mode. */
static void host_label(struct screen *s, const struct hp_addr *addr,
		       struct ht_outbuf *label)
{
	const char *name, *asn;
	char text[HP_ADDR_TEXT];

	ht_outbuf_reset(label);
	if (!addr || !addr->family) {
		ht_outbuf_puts(label, "???");
		return;
	}
	ht_live_model_names(s->m, addr, &name, &asn);
	hp_addr_format(addr, text, sizeof(text));
	if (s->v->mode == HT_LIVE_ASN) {
		ht_render_asn_tag(label, asn, "AS???");
		ht_outbuf_puts(label, " ");
	}
	if (s->m->cfg.numeric || !name) {
		ht_outbuf_puts(label, text);
	} else if (s->m->cfg.show_ips) {
		ht_outbuf_printf(label, "%s (%s)", name, text);
	} else {
		ht_outbuf_puts(label, name);
	}
}

static void put_host(struct screen *s, const struct hp_addr *addr,
		     const char *suffix)
{
	struct ht_outbuf label;

	ht_outbuf_init(&label);
	host_label(s, addr, &label);
	if (suffix)
		ht_outbuf_puts(&label, suffix);
	ht_outbuf_append(&label, "", 1);
	put_field(s, label.failed ? "" : label.data, s->host_width);
	ht_outbuf_free(&label);
}

static void put_ms(struct screen *s, int64_t us, int have)
{
	struct ht_outbuf t;

	ht_outbuf_init(&t);
	if (have)
		ht_render_ms1(&t, (double)us);
	else
		ht_outbuf_puts(&t, "-");
	ht_outbuf_append(&t, "", 1);
	ht_outbuf_printf(&s->lines, " %6s", t.failed ? "" : t.data);
	ht_outbuf_free(&t);
}

static void put_stats(struct screen *s, const struct ht_hop_stats *st)
{
	struct ht_outbuf t;
	int have = st->rtt_count > 0;

	ht_outbuf_init(&t);
	ht_render_tenths(&t, st->loss_pct);
	ht_outbuf_puts(&t, "%");
	ht_outbuf_append(&t, "", 1);
	ht_outbuf_printf(&s->lines, "%6s %5u", t.failed ? "" : t.data,
			 st->sent);
	ht_outbuf_free(&t);
	put_ms(s, st->last_us, have);
	put_ms(s, (int64_t)(st->avg_us + 0.5), have);
	put_ms(s, st->best_us, have);
	put_ms(s, st->worst_us, have);
	put_ms(s, (int64_t)(st->stdev_us + 0.5), have);
}

static void header(struct screen *s)
{
	const struct ht_live_model *m = s->m;
	time_t secs = (time_t)(s->v->now_us / 1000000);
	unsigned i, targets = 0;
	const struct ht_live_trace *first = NULL;
	struct tm tm;

	for (i = 0; i < m->trace_count; i++) {
		if (!m->traces[i].have)
			continue;
		if (!first)
			first = &m->traces[i];
		targets++;
	}
	ht_outbuf_puts(&s->lines, "hoptrace ");
	ht_render_safe(&s->lines, m->version ? m->version : "");
	if (targets == 1) {
		ht_outbuf_puts(&s->lines, " to ");
		ht_render_safe(&s->lines, first->target);
		if (first->address.family) {
			ht_outbuf_puts(&s->lines, " (");
			ht_render_addr(&s->lines, &first->address);
			ht_outbuf_puts(&s->lines, ")");
		}
	} else if (targets > 1) {
		ht_outbuf_printf(&s->lines, " to %u targets", targets);
	}
	gmtime_r(&secs, &tm);
	ht_outbuf_printf(&s->lines, "  %04d-%02d-%02d %02d:%02d:%02d UTC",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
	end_line(s);
	if (s->v->plain) {
		ht_outbuf_printf(&s->lines, "Display: %s",
				 ht_live_mode_name(s->v->mode));
	} else {
		ht_outbuf_printf(&s->lines, "Keys: p %s  r reset  d display "
				 "(%s)  q quit", s->v->paused ? "resume" :
				 "pause", ht_live_mode_name(s->v->mode));
		if (s->v->paused)
			ht_outbuf_puts(&s->lines, "  [paused]");
	}
	if (m->failed)
		ht_outbuf_puts(&s->lines, "  [out of memory: some data lost]");
	end_line(s);
}

static void column_header(struct screen *s)
{
	ht_render_pad(&s->lines, LIVE_TTL_WIDTH);
	put_field(s, "Host", s->host_width);
	ht_outbuf_printf(&s->lines, " %6s %5s %6s %6s %6s %6s %6s", "Loss%",
			 "Snt", "Last", "Avg", "Best", "Wrst", "StDev");
	end_line(s);
}

/* Loss% over the results whose deadline has passed (live_model.h). */
static double hop_loss_pct(const struct screen *s, const struct ht_live_hop *h)
{
	unsigned settled, lost;

	ht_live_hop_loss(h, s->v->now_us, &settled, &lost);
	return settled ? 100.0 * lost / settled : 0.0;
}

/* Stats and ASN modes: the hop's row, then one line per other responder. */
static void hop_rows(struct screen *s, const struct ht_live_hop *h)
{
	struct ht_hop_stats st;
	unsigned i;

	ht_outbuf_printf(&s->lines, "%3d. ", h->ttl);
	put_host(s, h->responder_count ? &h->responders[0].address : NULL,
		 NULL);
	ht_outbuf_append(&s->lines, " ", 1);
	ht_stats_acc_result(&h->acc, &st);
	st.loss_pct = hop_loss_pct(s, h);
	put_stats(s, &st);
	end_line(s);
	for (i = 1; i < h->responder_count; i++) {
		ht_render_pad(&s->lines, LIVE_TTL_WIDTH);
		put_host(s, &h->responders[i].address, NULL);
		end_line(s);
	}
	if (h->others) {
		char text[64];

		ht_render_pad(&s->lines, LIVE_TTL_WIDTH);
		snprintf(text, sizeof(text), "(%u answers from others)",
			 h->others);
		put_field(s, text, s->host_width);
		end_line(s);
	}
}

/* " [flows 28232,28233]" for a path, into BUF. */
static void flows_suffix(const struct ht_path *p, char *buf, size_t len)
{
	size_t n;
	unsigned i;

	n = (size_t)snprintf(buf, len, " [flow%s ", p->flow_count == 1 ?
			     "" : "s");
	for (i = 0; i < p->flow_count && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%d", i ? "," : "",
				      p->flows[i]);
	if (n < len)
		snprintf(buf + n, len - n, "]");
}

/* Paths mode: one row per path of the hop's recent probes. */
static void path_rows(struct screen *s, const struct ht_live_trace *t,
		      const struct ht_live_hop *h)
{
	struct ht_probe probes[HT_LIVE_RECENT];
	struct ht_hop hop;
	struct ht_hop_paths paths;
	unsigned i;

	ht_live_model_recent_hop(t, h->ttl, probes, &hop);
	ht_hop_paths_compute(&hop, &paths);
	if (paths.path_count == 0) {
		struct ht_hop_stats st;

		ht_hop_stats_compute(NULL, 0, NULL, &st);
		ht_outbuf_printf(&s->lines, "%3d. ", h->ttl);
		put_host(s, NULL, NULL);
		ht_outbuf_append(&s->lines, " ", 1);
		put_stats(s, &st);
		end_line(s);
		return;
	}
	for (i = 0; i < paths.path_count; i++) {
		const struct ht_path *p = &paths.paths[i];
		char suffix[HT_PATH_FLOWS * 7 + 16];

		if (i == 0)
			ht_outbuf_printf(&s->lines, "%3d. ", h->ttl);
		else
			ht_render_pad(&s->lines, LIVE_TTL_WIDTH);
		flows_suffix(p, suffix, sizeof(suffix));
		put_host(s, p->address.family ? &p->address : NULL, suffix);
		ht_outbuf_append(&s->lines, " ", 1);
		put_stats(s, &p->stats);
		end_line(s);
	}
}

/*
 * Under the hops, whether each hop's loss carries on to the destination
 * (loss_verdict.h), judged over the whole run's counts; per hop, also
 * with --flows (the paths' recent probes are windows of different times
 * at different hops, too unlike to compare).  Only decided verdicts: a
 * view that starts with a few probes would otherwise say "too few" for
 * every hop that lost one.  Short, to fit 80 columns:
 *   "hop 2: 30.0% lost, carried on to the destination (28.0% lost there)"
 *   "hop 3: 30.0% lost, not carried on (destination lost 0.0%): own
 *    answers only"
 */
static void loss_lines(struct screen *s, const struct ht_live_trace *t,
		       int last)
{
	struct ht_loss_hop hops[256];
	struct ht_loss_verdicts lv;
	unsigned n = 0, i;
	int ttl;

	for (ttl = t->first_ttl; last && ttl <= last && n < 256; ttl++) {
		const struct ht_live_hop *h = &t->hops[ttl - t->first_ttl];

		unsigned settled, lost;

		ht_live_hop_loss(h, s->v->now_us, &settled, &lost);
		memset(&hops[n], 0, sizeof(hops[n]));
		hops[n].ttl = ttl;
		hops[n].sent = settled;
		hops[n].received = settled - lost;
		if (h->responder_count)
			hops[n].first = h->responders[0].address;
		n++;
	}
	ht_loss_verdicts_counts(hops, n, t->distance, &lv);
	for (i = 0; i < lv.count; i++) {
		const struct ht_loss_verdict *v = &lv.v[i];
		const char *there = v->evidence_is_dest ? "destination"
							: "last hop";

		if (v->kind == HT_LOSS_UNSURE)
			continue;
		ht_outbuf_printf(&s->lines, "hop %d: ", v->ttl);
		ht_render_tenths(&s->lines, 100.0 * v->lost / v->sent);
		if (v->kind == HT_LOSS_CARRIES) {
			ht_outbuf_printf(&s->lines, "%% lost, carried on to the "
					 "%s (", there);
			ht_render_tenths(&s->lines, 100.0 * v->evidence_lost /
						    v->evidence_sent);
			ht_outbuf_puts(&s->lines, "% lost there)");
		} else {
			ht_outbuf_printf(&s->lines, "%% lost, not carried on "
					 "(%s lost ", there);
			ht_render_tenths(&s->lines, 100.0 * v->evidence_lost /
						    v->evidence_sent);
			ht_outbuf_puts(&s->lines, "%): own answers only");
		}
		end_line(s);
	}
}

static void trace_block(struct screen *s, const struct ht_live_trace *t,
			int titled)
{
	int ttl, last = ht_live_model_last_ttl(t);

	if (titled) {
		ht_outbuf_puts(&s->lines, "To ");
		ht_render_safe(&s->lines, t->target);
		if (t->address.family) {
			ht_outbuf_puts(&s->lines, " (");
			ht_render_addr(&s->lines, &t->address);
			ht_outbuf_puts(&s->lines, ")");
		}
		if (t->compare) {
			ht_outbuf_puts(&s->lines, ", ");
			ht_render_safe(&s->lines, t->compare);
		}
		if (t->worker) {
			ht_outbuf_puts(&s->lines, " from ");
			ht_render_safe(&s->lines, t->worker);
		}
		end_line(s);
	}
	column_header(s);
	for (ttl = t->first_ttl; last && ttl <= last; ttl++) {
		const struct ht_live_hop *h = &t->hops[ttl - t->first_ttl];

		if (s->v->mode == HT_LIVE_PATHS && t->flows > 1)
			path_rows(s, t, h);
		else
			hop_rows(s, h);
	}
	loss_lines(s, t, last);
}

/* The lines out: on the terminal, as many as fit, each cleared to its
 * end; plain, all of them. */
static void emit_lines(struct screen *s, struct ht_outbuf *out)
{
	const char *p = s->lines.data ? s->lines.data : "";
	const char *end = p + s->lines.len;
	unsigned total = 0, shown = 0, rows = s->v->rows ? s->v->rows : 1;
	const char *q;

	for (q = p; q < end; q++)
		if (*q == '\n')
			total++;
	if (!s->v->plain)
		ht_outbuf_puts(out, "\033[H");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)(nl - p);

		if (!s->v->plain && shown + 1 == rows && total > rows) {
			char more[64];

			snprintf(more, sizeof(more), "[%u more lines: enlarge "
				 "the window]", total - shown);
			append_cut(out, more, strlen(more), s->v->cols);
			ht_outbuf_puts(out, "\033[K");
			shown++;
			break;
		}
		append_cut(out, p, len, s->v->cols);
		shown++;
		p = nl + 1;
		if (s->v->plain) {
			ht_outbuf_puts(out, "\n");
		} else {
			ht_outbuf_puts(out, "\033[K");
			if (shown == rows)
				break;
			/* No line feed after the bottom row: it would
			 * scroll the screen. */
			if (p < end)
				ht_outbuf_puts(out, "\r\n");
		}
	}
	if (!s->v->plain)
		ht_outbuf_puts(out, "\033[J");
}

void ht_live_screen_render(const struct ht_live_model *m,
			   const struct ht_live_view *v, struct ht_outbuf *out)
{
	struct screen s;
	unsigned i, targets = 0, blocks = 0;

	memset(&s, 0, sizeof(s));
	s.m = m;
	s.v = v;
	ht_outbuf_init(&s.lines);
	ht_outbuf_init(&s.scratch);
	s.host_width = v->cols > LIVE_TTL_WIDTH + 1 + LIVE_STATS_WIDTH +
			       LIVE_HOST_MIN ?
			       v->cols - LIVE_TTL_WIDTH - 1 - LIVE_STATS_WIDTH :
			       LIVE_HOST_MIN;
	for (i = 0; i < m->trace_count; i++)
		targets += m->traces[i].have ? 1 : 0;
	header(&s);
	for (i = 0; i < m->trace_count; i++) {
		if (!m->traces[i].have)
			continue;
		end_line(&s);
		blocks++;
		trace_block(&s, &m->traces[i], targets > 1);
	}
	if (s.lines.failed)
		out->failed = 1;
	else
		emit_lines(&s, out);
	ht_outbuf_free(&s.lines);
	ht_outbuf_free(&s.scratch);
}

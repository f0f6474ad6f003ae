/*
 * render_csv.c: RFC 4180 CSV, one row per hop (the format is described at
 * the top of render.c).
 *
 * A row ends with the trace's outcome, known only at its end, so each
 * trace's rows are kept as text without their last field and written,
 * completed, when the trace ends; the order helper puts the traces in
 * argument order.
 */
#include "render_impl.h"

#include <stdlib.h>
#include <string.h>

static const char csv_header_row[] =
	"schema_version,target,address,protocol,port,hop,responder,name,asn,"
	"responders,sent,received,loss_pct,last_us,avg_us,best_us,worst_us,"
	"stdev_us,reached";

struct csv_trace {
	struct ht_render_trace t;
	struct ht_outbuf rows;	/* rows without ",reached\r\n" */
	size_t *ends;		/* where each row ends in rows */
	unsigned row_count;
	unsigned row_cap;
};

struct csv_state {
	int numeric;
	int compare;		/* --compare: a column with the label */
	char *run_id;		/* the run-start's; NULL */
	char **worker_names;	/* the run-start's workers' */
	unsigned worker_count;
	int header_done;
	struct ht_render_order order;
	struct csv_trace *traces;
	unsigned trace_count;
};

static void *csv_create(const struct ht_render_config *config)
{
	struct csv_state *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->numeric = config->numeric;
	ht_render_order_init(&s->order);
	return s;
}

static void csv_trace_free(struct csv_trace *ct)
{
	ht_render_trace_clear(&ct->t);
	ht_outbuf_free(&ct->rows);
	free(ct->ends);
	memset(ct, 0, sizeof(*ct));
}

static void csv_run_forget(struct csv_state *s)
{
	unsigned i;

	for (i = 0; i < s->worker_count; i++)
		free(s->worker_names[i]);
	free(s->worker_names);
	free(s->run_id);
	s->worker_names = NULL;
	s->worker_count = 0;
	s->run_id = NULL;
}

/* What the rows' last two columns need of the run-start. */
static void csv_run_keep(struct csv_state *s, const struct ht_run_start *rs,
			 struct ht_outbuf *out)
{
	unsigned i, n = rs->workers ? rs->worker_count : 0;

	csv_run_forget(s);
	if (rs->run_id && !(s->run_id = strdup(rs->run_id)))
		out->failed = 1;
	if (n == 0)
		return;
	s->worker_names = calloc(n, sizeof(*s->worker_names));
	if (!s->worker_names) {
		out->failed = 1;
		return;
	}
	s->worker_count = n;
	for (i = 0; i < n; i++)
		if (rs->workers[i].name &&
		    !(s->worker_names[i] = strdup(rs->workers[i].name)))
			out->failed = 1;
}

static void csv_destroy(void *state)
{
	struct csv_state *s = state;
	unsigned i;

	for (i = 0; i < s->trace_count; i++)
		csv_trace_free(&s->traces[i]);
	csv_run_forget(s);
	free(s->traces);
	ht_render_order_free(&s->order);
	free(s);
}

/* Before anything else reaches the caller's buffer. */
static void csv_header(struct csv_state *s, struct ht_outbuf *out)
{
	if (s->header_done)
		return;
	ht_outbuf_puts(out, csv_header_row);
	ht_outbuf_puts(out, s->compare ? ",compare,run,worker\r\n" :
		       ",run,worker\r\n");
	s->header_done = 1;
}

/*
 * RFC 4180 section 2: a field with a comma, a quote or a line break is
 * quoted and its quotes doubled; any other control character is quoted
 * too, so that no reader takes it for a separator.  Bytes that are not
 * valid UTF-8 become U+FFFD, so the file decodes as UTF-8.
 */
static void csv_field(struct ht_outbuf *o, const char *str)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *p;
	int quote = 0;

	if (!s)
		return;
	for (p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p < 0x20 || *p == 0x7f)
			quote = 1;
	if (quote)
		ht_outbuf_puts(o, "\"");
	while (*s) {
		size_t n = 1;

		if (*s == '"') {
			ht_outbuf_puts(o, "\"\"");
		} else if (*s < 0x80) {
			ht_outbuf_append(o, (const char *)s, 1);
		} else {
			n = ht_render_utf8_len(s);
			if (n) {
				ht_outbuf_append(o, (const char *)s, n);
			} else {
				ht_outbuf_append(o, fffd, 3);
				n = 1;
			}
		}
		s += n;
	}
	if (quote)
		ht_outbuf_puts(o, "\"");
}

static struct csv_trace *csv_trace_of(struct csv_state *s, unsigned trace)
{
	if (ht_render_grow((void **)&s->traces, &s->trace_count,
			   sizeof(*s->traces), trace) < 0)
		return NULL;
	return &s->traces[trace];
}

static void csv_us(struct ht_outbuf *o, int timed, int64_t us)
{
	if (timed)
		ht_outbuf_printf(o, "%lld", (long long)us);
	ht_outbuf_puts(o, ",");
}

static void csv_us_frac(struct ht_outbuf *o, int timed, double us)
{
	if (timed)
		ht_render_tenths(o, us);
	ht_outbuf_puts(o, ",");
}

static void csv_row(const struct csv_state *s, struct csv_trace *ct,
		    const struct ht_hop *h, struct ht_outbuf *o)
{
	const struct ht_trace_start *ts = ct->t.have ? &ct->t.start : NULL;
	const struct ht_responder *first =
		h->responder_count ? &h->responders[0] : NULL;
	struct ht_hop_stats st;
	int timed;
	unsigned i;

	ht_hop_stats_compute(h->probes, h->probe_count, NULL, &st);
	timed = st.rtt_count > 0;
	ht_outbuf_printf(o, "%d,", HT_SCHEMA_VERSION);
	if (ts) {
		csv_field(o, ts->target);
		ht_outbuf_puts(o, ",");
		ht_render_addr(o, &ts->address);
		ht_outbuf_printf(o, ",%s,", hp_protocol_name(ts->protocol));
		if (ts->port > 0)
			ht_outbuf_printf(o, "%d", ts->port);
		ht_outbuf_puts(o, ",");
	} else {
		ht_outbuf_puts(o, ",,,,");
	}
	ht_outbuf_printf(o, "%d,", h->ttl);
	if (first) {
		ht_render_addr(o, &first->address);
		ht_outbuf_puts(o, ",");
		csv_field(o, s->numeric ? NULL : first->name);
		ht_outbuf_puts(o, ",");
		csv_field(o, first->asn);
		ht_outbuf_puts(o, ",");
	} else {
		ht_outbuf_puts(o, ",,,");
	}
	for (i = 0; i < h->responder_count; i++) {
		if (i)
			ht_outbuf_puts(o, " ");
		ht_render_addr(o, &h->responders[i].address);
	}
	ht_outbuf_printf(o, ",%u,%u,", st.sent, st.received);
	ht_render_tenths(o, st.loss_pct);
	ht_outbuf_puts(o, ",");
	csv_us(o, timed, st.last_us);
	csv_us_frac(o, timed, st.avg_us);
	csv_us(o, timed, st.best_us);
	csv_us(o, timed, st.worst_us);
	if (timed)
		ht_render_tenths(o, st.stdev_us);
}

static void csv_hop(struct csv_state *s, const struct ht_hop *h,
		    struct ht_outbuf *out)
{
	struct csv_trace *ct = csv_trace_of(s, h->trace);

	if (!ct) {
		out->failed = 1;
		return;
	}
	if (ct->row_count == ct->row_cap) {
		unsigned cap = ct->row_cap ? ct->row_cap * 2 : 16;
		size_t *p = realloc(ct->ends, cap * sizeof(*p));

		if (!p) {
			out->failed = 1;
			return;
		}
		ct->ends = p;
		ct->row_cap = cap;
	}
	csv_row(s, ct, h, &ct->rows);
	ct->ends[ct->row_count++] = ct->rows.len;
}

/* The rows of a trace, completed with REACHED ("" when unknown). */
static void csv_flush_trace(struct csv_state *s, unsigned trace,
			    const char *reached, struct ht_outbuf *out)
{
	struct csv_trace *ct = &s->traces[trace];
	const char *worker = NULL;
	struct ht_outbuf *o;
	size_t begin = 0;
	unsigned i;

	/* The worker all its probes went to; empty when they spread. */
	if (ct->t.have && ct->t.start.worker >= 0 &&
	    (unsigned)ct->t.start.worker < s->worker_count)
		worker = s->worker_names[ct->t.start.worker];
	csv_header(s, out);
	o = ht_render_order_out(&s->order, trace, out);
	if (ct->rows.failed)
		out->failed = 1;
	for (i = 0; o && i < ct->row_count; i++) {
		ht_outbuf_append(o, ct->rows.data + begin,
				 ct->ends[i] - begin);
		ht_outbuf_printf(o, ",%s", reached);
		if (s->compare) {
			ht_outbuf_puts(o, ",");
			csv_field(o, ct->t.have ? ct->t.start.compare : NULL);
		}
		ht_outbuf_puts(o, ",");
		csv_field(o, s->run_id);
		ht_outbuf_puts(o, ",");
		csv_field(o, worker);
		ht_outbuf_puts(o, "\r\n");
		begin = ct->ends[i];
	}
	csv_trace_free(ct);
	ht_render_order_end(&s->order, trace, out);
}

static void csv_event(void *state, const struct ht_event *ev,
		      struct ht_outbuf *out)
{
	struct csv_state *s = state;
	struct csv_trace *ct;
	unsigned i;

	switch (ev->kind) {
	case HT_EV_WORKER_LOST:
		/* The rows of the traces it ends say so. */
		break;
	case HT_EV_RUN_START:
		s->compare = ev->u.run_start.compare_items > 0;
		csv_run_keep(s, &ev->u.run_start, out);
		csv_header(s, out);
		break;
	case HT_EV_TRACE_START:
		ct = csv_trace_of(s, ev->u.trace_start.trace);
		if (!ct || ht_render_trace_set(&ct->t, &ev->u.trace_start) < 0)
			out->failed = 1;
		break;
	case HT_EV_HOP:
		csv_hop(s, &ev->u.hop, out);
		break;
	case HT_EV_TRACE_END:
		if (!csv_trace_of(s, ev->u.trace_end.trace)) {
			out->failed = 1;
			break;
		}
		csv_flush_trace(s, ev->u.trace_end.trace,
				ev->u.trace_end.reached ? "true" : "false",
				out);
		break;
	case HT_EV_RUN_END:
		/* Traces cut short: their rows, outcome unknown. */
		csv_header(s, out);
		for (i = 0; i < s->trace_count; i++)
			if (s->traces[i].row_count || s->traces[i].t.have)
				csv_flush_trace(s, i, "", out);
		ht_render_order_flush(&s->order, out);
		break;
	case HT_EV_PROBE:
	case HT_EV_NAME:
	case HT_EV_ASN:
		break;
	}
}

const struct ht_render_ops ht_render_csv_ops = {
	.create = csv_create,
	.event = csv_event,
	.destroy = csv_destroy,
};

/*
 * trace_diff_format.c: hoptrace diff's output (see trace_diff.h): one
 * plain line per difference, a summary line, or one JSON document.
 */
#include <inttypes.h>
#include <string.h>

#include "render_impl.h"
#include "trace_diff.h"

const char *ht_rtt_band_mode_name(enum ht_rtt_band mode)
{
	switch (mode) {
	case HT_BAND_DECADE:
		return "decade";
	case HT_BAND_FACTOR2:
		return "factor2";
	default:
		return "off";
	}
}

static const char *kind_name(enum ht_diff_kind k)
{
	static const char *const names[] = {
		[HT_DIFF_ONLY_A] = "only-a",
		[HT_DIFF_ONLY_B] = "only-b",
		[HT_DIFF_ADDRESS] = "address",
		[HT_DIFF_REACHED] = "reached",
		[HT_DIFF_DISTANCE] = "distance",
		[HT_DIFF_PATHS] = "paths-not-comparable",
		[HT_DIFF_SILENT] = "silent",
		[HT_DIFF_ANSWERING] = "answering",
		[HT_DIFF_RESPONDERS] = "responders",
		[HT_DIFF_RTT] = "rtt",
		[HT_DIFF_FLOW] = "flow",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] :
	       "unknown";
}

/* "192.0.2.66 192.0.2.67" and " and 3 more". */
static void addr_list(struct ht_outbuf *out, const struct hp_addr *a,
		      unsigned n, unsigned more)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (i)
			ht_outbuf_puts(out, " ");
		ht_render_addr(out, &a[i]);
	}
	if (more)
		ht_outbuf_printf(out, " and %u more", more);
}

static void addr_or_none(struct ht_outbuf *out, const struct hp_addr *a)
{
	if (a->family)
		ht_render_addr(out, a);
	else
		ht_outbuf_puts(out, "no answer");
}

static void ms(struct ht_outbuf *out, int64_t us)
{
	ht_outbuf_printf(out, "%" PRId64 ".%03d ms", us / 1000,
			 (int)(us % 1000));
}

static void first_flow(struct ht_outbuf *out, int flow, int flows)
{
	if (flow < 0)
		ht_outbuf_printf(out, "no flow, %d flow%s", flows,
				 flows == 1 ? "" : "s");
	else
		ht_outbuf_printf(out, "first flow %d, %d flow%s", flow, flows,
				 flows == 1 ? "" : "s");
}

/* What changed, without the target and hop. */
static void what(const struct ht_diff *d, enum ht_rtt_band band,
		 struct ht_outbuf *out)
{
	switch (d->kind) {
	case HT_DIFF_ONLY_A:
		ht_outbuf_puts(out, "traced in A only");
		break;
	case HT_DIFF_ONLY_B:
		ht_outbuf_puts(out, "traced in B only");
		break;
	case HT_DIFF_ADDRESS:
		ht_outbuf_puts(out, "address ");
		ht_render_addr(out, &d->a[0]);
		ht_outbuf_puts(out, " -> ");
		ht_render_addr(out, &d->b[0]);
		break;
	case HT_DIFF_REACHED:
		if (d->value_a)
			ht_outbuf_printf(out, "destination reached in A, not "
					 "in B (%s)", d->reason_b);
		else
			ht_outbuf_printf(out, "destination not reached in A "
					 "(%s), reached in B", d->reason_a);
		break;
	case HT_DIFF_DISTANCE:
		ht_outbuf_printf(out, "distance %" PRId64 " -> %" PRId64,
				 d->value_a, d->value_b);
		break;
	case HT_DIFF_PATHS:
		ht_outbuf_puts(out, "paths not comparable (A: ");
		first_flow(out, d->flow_a, d->flows_a);
		ht_outbuf_puts(out, "; B: ");
		first_flow(out, d->flow_b, d->flows_b);
		ht_outbuf_puts(out, ")");
		break;
	case HT_DIFF_SILENT:
		ht_outbuf_puts(out, "became silent (");
		addr_list(out, d->a, d->a_count, d->a_more);
		ht_outbuf_puts(out, " vanished)");
		break;
	case HT_DIFF_ANSWERING:
		ht_outbuf_puts(out, "started answering (");
		addr_list(out, d->b, d->b_count, d->b_more);
		ht_outbuf_puts(out, " appeared)");
		break;
	case HT_DIFF_RESPONDERS:
		if (d->a_count) {
			addr_list(out, d->a, d->a_count, d->a_more);
			ht_outbuf_puts(out, " vanished");
		}
		if (d->a_count && d->b_count)
			ht_outbuf_puts(out, ", ");
		if (d->b_count) {
			addr_list(out, d->b, d->b_count, d->b_more);
			ht_outbuf_puts(out, " appeared");
		}
		break;
	case HT_DIFF_RTT:
		ht_outbuf_puts(out, "median rtt ");
		ms(out, d->value_a);
		ht_outbuf_puts(out, " -> ");
		ms(out, d->value_b);
		if (band == HT_BAND_DECADE)
			ht_outbuf_printf(out, " (%s -> %s)",
					 ht_rtt_band_name(d->value_a),
					 ht_rtt_band_name(d->value_b));
		else
			ht_outbuf_puts(out, " (by more than a factor of 2)");
		break;
	case HT_DIFF_FLOW:
		ht_outbuf_printf(out, "flow %d ", d->flow_a);
		addr_or_none(out, &d->a[0]);
		ht_outbuf_puts(out, " -> ");
		addr_or_none(out, &d->b[0]);
		break;
	}
}

void ht_diff_format(const struct ht_diff *d, enum ht_rtt_band band,
		    struct ht_outbuf *out)
{
	ht_render_safe(out, d->target);
	if (d->occurrence)
		ht_outbuf_printf(out, "#%u", d->occurrence + 1);
	if (d->ttl)
		ht_outbuf_printf(out, " hop %d", d->ttl);
	ht_outbuf_puts(out, ": ");
	what(d, band, out);
	ht_outbuf_puts(out, "\n");
}

void ht_diff_summary(const struct ht_diff_list *l, struct ht_outbuf *out)
{
	if (l->count)
		ht_outbuf_printf(out, "%u difference%s", l->count,
				 l->count == 1 ? "" : "s");
	else
		ht_outbuf_puts(out, "no differences");
	ht_outbuf_printf(out, ", %u trace%s compared", l->compared,
			 l->compared == 1 ? "" : "s");
	if (l->only_a)
		ht_outbuf_printf(out, ", %u in A only", l->only_a);
	if (l->only_b)
		ht_outbuf_printf(out, ", %u in B only", l->only_b);
	ht_outbuf_puts(out, "\n");
}

/* ---- JSON ------------------------------------------------------------ */

static void json_addrs(struct ht_outbuf *out, const struct hp_addr *a,
		       unsigned n)
{
	unsigned i;

	ht_outbuf_puts(out, "[");
	for (i = 0; i < n; i++) {
		ht_outbuf_puts(out, i ? ",\"" : "\"");
		ht_render_addr(out, &a[i]);
		ht_outbuf_puts(out, "\"");
	}
	ht_outbuf_puts(out, "]");
}

static void json_addr_or_null(struct ht_outbuf *out, const struct hp_addr *a)
{
	if (!a->family) {
		ht_outbuf_puts(out, "null");
		return;
	}
	ht_outbuf_puts(out, "\"");
	ht_render_addr(out, a);
	ht_outbuf_puts(out, "\"");
}

/* "a" and "b": the two sides of the difference, of its kind's type. */
static void json_sides(const struct ht_diff *d, struct ht_outbuf *out)
{
	switch (d->kind) {
	case HT_DIFF_ADDRESS:
	case HT_DIFF_FLOW:
		ht_outbuf_puts(out, ",\"a\":");
		json_addr_or_null(out, &d->a[0]);
		ht_outbuf_puts(out, ",\"b\":");
		json_addr_or_null(out, &d->b[0]);
		break;
	case HT_DIFF_REACHED:
		ht_outbuf_printf(out, ",\"a\":%s,\"b\":%s",
				 d->value_a ? "true" : "false",
				 d->value_b ? "true" : "false");
		break;
	case HT_DIFF_DISTANCE:
	case HT_DIFF_RTT:
		ht_outbuf_printf(out, ",\"a\":%" PRId64 ",\"b\":%" PRId64,
				 d->value_a, d->value_b);
		break;
	case HT_DIFF_PATHS:
		ht_outbuf_printf(out, ",\"a\":{\"flow\":");
		if (d->flow_a < 0)
			ht_outbuf_puts(out, "null");
		else
			ht_outbuf_printf(out, "%d", d->flow_a);
		ht_outbuf_printf(out, ",\"flows\":%d},\"b\":{\"flow\":",
				 d->flows_a);
		if (d->flow_b < 0)
			ht_outbuf_puts(out, "null");
		else
			ht_outbuf_printf(out, "%d", d->flow_b);
		ht_outbuf_printf(out, ",\"flows\":%d}", d->flows_b);
		break;
	default:
		ht_outbuf_puts(out, ",\"a\":null,\"b\":null");
		break;
	}
}

void ht_diff_json(const struct ht_diff_list *l, const char *a_name,
		  const char *b_name, enum ht_rtt_band band,
		  struct ht_outbuf *out)
{
	struct ht_outbuf line;
	unsigned i;

	ht_outbuf_init(&line);
	ht_outbuf_puts(out, "{\"schema_version\":2,\"type\":\"diff\",\"a\":");
	ht_render_json_string(out, a_name);
	ht_outbuf_puts(out, ",\"b\":");
	ht_render_json_string(out, b_name);
	ht_outbuf_printf(out, ",\"rtt_band\":\"%s\",\"compared\":%u,"
			 "\"only_a\":%u,\"only_b\":%u,\"differences\":[",
			 ht_rtt_band_mode_name(band), l->compared, l->only_a,
			 l->only_b);
	for (i = 0; i < l->count; i++) {
		const struct ht_diff *d = &l->items[i];
		int vanished = d->kind == HT_DIFF_SILENT ||
			       d->kind == HT_DIFF_RESPONDERS;
		int appeared = d->kind == HT_DIFF_ANSWERING ||
			       d->kind == HT_DIFF_RESPONDERS;

		ht_outbuf_puts(out, i ? ",{\"target\":" : "{\"target\":");
		ht_render_json_string(out, d->target);
		ht_outbuf_printf(out, ",\"occurrence\":%u,\"ttl\":",
				 d->occurrence);
		if (d->ttl)
			ht_outbuf_printf(out, "%d", d->ttl);
		else
			ht_outbuf_puts(out, "null");
		ht_outbuf_printf(out, ",\"kind\":\"%s\"", kind_name(d->kind));
		ht_outbuf_puts(out, ",\"vanished\":");
		json_addrs(out, d->a, vanished ? d->a_count : 0);
		ht_outbuf_puts(out, ",\"appeared\":");
		json_addrs(out, d->b, appeared ? d->b_count : 0);
		if (d->kind == HT_DIFF_FLOW)
			ht_outbuf_printf(out, ",\"flow\":%d", d->flow_a);
		else
			ht_outbuf_puts(out, ",\"flow\":null");
		json_sides(d, out);
		/* The plain line, for people reading the document. */
		ht_outbuf_reset(&line);
		ht_diff_format(d, band, &line);
		if (line.len && !line.failed) {
			line.data[line.len - 1] = '\0';
			ht_outbuf_puts(out, ",\"text\":");
			ht_render_json_string(out, line.data);
		} else {
			ht_outbuf_puts(out, ",\"text\":null");
		}
		ht_outbuf_puts(out, "}");
	}
	ht_outbuf_puts(out, "]}\n");
	if (line.failed)
		out->failed = 1;
	ht_outbuf_free(&line);
}

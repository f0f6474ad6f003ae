/*
 * render.c: the renderer handle, its operations table per format, and
 * what the formats share.
 *
 * OUTPUT FORMATS
 *
 * Every format is a pure function of the event stream (events.h).  The
 * trace module decides which hops exist: each HT_EV_HOP is one hop line,
 * row or object, in the order the events come; hidden silent hops past
 * the last one shown only appear as a count.  Times are RFC 3339 UTC with
 * milliseconds, "2026-12-01T20:30:00.000Z".  Names from the DNS and the
 * target as typed are printed in text and report with every control byte
 * and every byte that is not part of valid UTF-8 replaced by "?".
 *
 * Several targets: text and report write the traces in argument order
 * whatever order they finish in (the first unfinished trace streams, later
 * ones are held and written when their turn comes), text and report put
 * one empty line between two traces; JSON writes one document at the end;
 * JSONL writes each record the moment its event arrives; CSV writes the
 * rows of each trace when it ends, in argument order.
 *
 * Text (default), streamed one line per hop:
 *
 *   hoptrace 0.1.0 to target.example (192.0.2.130) from 192.0.2.2, icmp,
 *     30 hops max, 3 probes per hop, started 2026-12-01T20:30:00.000Z
 *    1  gw.example (192.0.2.1)  0.123 ms  0.101 ms *
 *    2  192.0.2.5  1.001 ms 198.51.100.7  1.250 ms  1.100 ms
 *    3  target.example (192.0.2.130)  2.000 ms  2.010 ms  1.990 ms
 *   reached target.example (192.0.2.130) at hop 3, ended
 *     2026-12-01T20:30:01.250Z
 *
 * (the header and the footer are one line each).  The header gives the
 * port as "udp port 33434" when the trace has one, "from SOURCE" only when
 * the source is known, the address in parentheses only when the target
 * resolved, ", first hop N" when N > 1 and ", N cycles" when there is more
 * than one.  A hop line is the ttl ("%2d "), then per probe, cycle by
 * cycle and query by query: " RESPONDER" when the responder differs from
 * the one printed last on the line, "  R ms" with the round-trip time to
 * the microsecond, and the probe's annotation.  RESPONDER is "name (addr)"
 * when a name is known and -n was not given (-b changes nothing here),
 * else "addr"; with -z it is preceded by "[AS64496] " ("[AS?] " when
 * unknown, "[AS64496/AS64497] " for a prefix with several origins).  A
 * probe nobody answered is " *".  Annotations: " !N" no-route-network,
 * " !H" no-route-host, " !U" no-route (mtr 0.95's name for both), " !D"
 * network-down or host-down, " !W" worker-failed, and for a local error
 * " !E(NAME)" with its reply name: permission-denied, address-in-use,
 * address-not-available, invalid-argument, unexpected-error.  An
 * unreachable or packet-too-big whose ICMP type and code the reply gave
 * (reply-details) is marked from them instead (icmp_names.h): !N, !H,
 * !P, !X, !S, !V, !C, "!F-MTU" (!F without an MTU), or "!CODE".  A probe
 * with an annotation and no responder prints the annotation instead of
 * " *":
 *
 *    1  192.0.2.1  0.300 ms  0.310 ms !E(permission-denied)
 *    2  192.0.2.9  0.900 ms !N  0.950 ms !H !D
 *
 * With -e, every distinct MPLS label stack the hop's probes carried
 * follows the hop line, one line per stack, five spaces in, all labels of
 * the stack in one bracket pair separated by ", ", top of the stack first:
 *
 *    2  [AS64496] core.example (2001:db8:1::1)  0.400 ms ...
 *        [MPLS: Lbl 16001 TC 0 S 0 TTL 254, Lbl 200 TC 0 S 1 TTL 1]
 *
 * then (also with -e) every distinct ICMP line, for answers other than
 * ttl-expired and the target's, and every distinct RFC 5837 interface
 * line, the same five spaces in:
 *
 *        [ICMP 3/13: communication administratively prohibited]
 *        [ICMPv6 1/4: port unreachable]
 *        [ICMP 3/4: fragmentation needed, next-hop MTU 1280]
 *        [interface: index 2, 192.0.2.1, name "eth0", mtu 1500]
 *
 * (the interface line has only the parts the router sent; the name goes
 * through the "?" replacement).  With --ns a time that has its kernel
 * nanoseconds is written with six decimals ("0.052311 ms").  With --pmtu
 * a hop line whose probes got answers at a known size ends "  [mtu N]",
 * N the largest such size, or "  [mtu N, down from M]" when N is below
 * the last hop's M.
 *
 * The footer is "reached TARGET (ADDR) at hop N" or "not reached: DETAIL",
 * then " (N silent hops after hop K not shown)" when there were any, then
 * ", ended TIME".
 *
 * Report (-r), written when each trace ends:
 *
 *   Start: 2026-12-01T20:30:00.000Z
 *   hoptrace 0.1.0 to target.example (192.0.2.130) from 192.0.2.2, icmp
 *   HOST: probe.example    Loss%   Snt   Last   Avg  Best  Wrst StDev
 *    1.|-- gw.example      33.3%     3    0.1   0.1   0.1   0.1   0.0
 *    2.|-- 192.0.2.5        0.0%     3    1.1   1.1   1.0   1.3   0.1
 *      |  `|-- 198.51.100.7
 *    3.|-- target.example   0.0%     3    2.0   2.0   2.0   2.0   0.0
 *   reached target.example (192.0.2.130) at hop 3, ended
 *     2026-12-01T20:30:01.250Z
 *
 * The ttl column is as wide as the largest ttl (at least two digits); the
 * name column is as wide as its longest entry, never truncated, and wider
 * when "HOST: NAME" needs it.  A row's name is the hop's first
 * responder's: its name (with -b "name (addr)") or, with -n or without a
 * name, its address; "???" for a hop nobody answered.  The statistics are
 * over all the hop's probes (stats.h): Loss% of the probes sent, Snt the
 * probes sent, Last/Avg/Best/Wrst/StDev in milliseconds rounded to
 * tenths, 0.0 when no answer had a time.  Every further responder of the
 * hop gets a "|  `|-- NAME" line, then (with -e) every distinct label
 * stack a "|  +-- [MPLS: ...]" line, their "|" under the row's "|":
 *
 *    2.|-- AS64496         core.example   0.0%     2    0.5   0.4 ...
 *      |  `|-- AS64497/AS64498 2001:db8:2::1
 *      |  +-- [MPLS: Lbl 300 TC 0 S 1 TTL 1]
 *
 * With -z an ASN column ("AS64496", "AS???" when unknown, as wide as its
 * longest entry) comes before the name, on rows and on further-responder
 * lines.  A silent hop reads " 2.|-- ???   100.0% ...".  With --flows
 * (the trace-start's flows above 1) every path of a hop (paths.h) gets a
 * line " | > NAME" under the row, the name column as wide as every
 * responder's name needs, with the row's columns computed over the
 * path's probes and "  flows N,N,..." after them ("???" for the flows
 * nobody answered), then " |   per-packet balancing: flow N reached A
 * and B" when a flow reached two responders; these replace the further
 * responders' lines.  Under the table, a line for each hop whose loss
 * the hops after it can judge (loss_verdict.h): whether it carries on to
 * the destination, with the counts compared,
 *
 *    loss at hop 2 (NAME ADDR): 30.0% (30 of 100), carries on: the
 *    destination lost 28.0% (28 of 100)
 *
 * ("does not carry on: ... ; only this hop's own answers are lost (a
 * rate limit or a filter)", "too few probes to tell: ..."; with --flows
 * one per path, "loss at hop 2, path NAME ADDR: ..." against the
 * destination's probes "of the same flows"; "hop N, the last that
 * answered," when the target was not reached).  The last line is
 * the text format's footer; a trace the run cut short has none.
 *
 * Side by side (--compare; the run-start's compare_items N > 1), text and
 * report alike (render_compare.c): trace T is item T % N of target T / N;
 * one block per target, once all its traces have ended, in target order,
 * an empty line between blocks:
 *
 *   hoptrace 0.1.0 to 192.0.2.130, side by side: icmp, udp:53, started TIME
 *     icmp: icmp from 192.0.2.2, reached 192.0.2.130 (...) at hop 3, ended T
 *     udp:53: udp port 53 from 192.0.2.2, not reached: DETAIL, ended T
 *   Hop  icmp                       udp:53
 *        Host          Loss%  Avg   Host         Loss%  Avg
 *     1  192.0.2.1      0.0%  0.1   192.0.2.1     0.0%  0.1
 *     2  192.0.2.66     0.0%  0.2   192.0.2.66    0.0%  0.2
 *     3  192.0.2.130    0.0%  0.3   ???         100.0%    -
 *   udp:53: no answer beyond hop 2, icmp reaches the target at hop 3
 *
 * The item lines are "  LABEL: PROTO[ port N][ from SOURCE], " and the
 * text footer ("did not finish" for a trace cut short); the table and
 * the verdict are compare_table.h's.
 *
 * JSON (-j): one document on one line, written at the end:
 *   {"schema_version":3,"type":"hoptrace","version":"0.1.0",
 *    "worker_version":"0.1.0"|null,"run":RUN|null,"workers":[WORKER...],
 *    "shard":SHARD|null,"start":TIME,"end":TIME,
 *    "exit_status":0,"reached":N,"not_reached":N,
 *    ["workers_lost":[{"worker":NAME,"message":"...","probes_lost":N,
 *    "at":TIME}...],]"traces":[TRACE...]}
 * (workers_lost only when a worker was lost: its worker-lost records)
 * RUN is the run-start's run id (--run-id, or made up at start; null only
 * replaying a schema 2 recording), WORKER {"name":N,"command":C} in the
 * order given, SHARD {"index":I,"count":N,"seed":S} with --shard.
 * TRACE, in argument order:
 *   {"index":0,"worker":NAME|null,"target":"target.example",
 *    "address":"192.0.2.130"|null,
 *    "family":4|6|null,"source":ADDR|null,"protocol":"icmp",
 *    "port":33434|null,"first_ttl":1,"max_ttl":30,"queries":3,"count":1,
 *    "wait_ms":3000,"psize":N|null,"flow":N|null,"flows":1,
 *    ["compare":LABEL,]"pmtu":false,"rate_pps":N|null,"start":TIME,
 *    "hops":[HOP...],
 *    "end":TIME|null,"reached":true|false,"reason":"reached"|...|null,
 *    "detail":"..."|null,"distance":N|null,"last_ttl":N|null,
 *    "hidden_silent_hops":N,"loss_verdicts":[VERDICT...]}
 * "worker" is the name of the worker all the trace's probes went to
 * (trace_start.worker), null when they spread over all; "reason" is
 * ht_reason_record_name's: "worker-lost" for a lost worker.
 * VERDICT (loss_verdict.h; the report's lines under the table):
 *   {"ttl":2,"path":ADDR|null,"verdict":"carries"|"own"|"unsure",
 *    "sent":N,"lost":N,"compared_with":{"ttl":N,"destination":true,
 *    "sent":N,"lost":N}}
 * HOP:
 *   {"ttl":1,"sent":3,"received":2,"loss_pct":33.3,"last_us":101|null,
 *    "avg_us":112.0|null,"best_us":101|null,"worst_us":123|null,
 *    "stdev_us":11.0|null,"responders":[{"address":"192.0.2.1",
 *    "name":"gw.example"|null,"asn":"64496"|null,"answers":2}],
 *    "probes":[PROBE...],"mtu":N|null,"paths":[PATH...],
 *    "per_packet":{"flow":N,"addresses":[ADDR,ADDR]}|null}
 * PATH (paths.h; one per responder of the flows that reached it, then
 * the flows nobody answered, address null):
 *   {"address":ADDR|null,"flows":[N...],"sent":N,"received":N,
 *    "loss_pct":X,"last_us":..,"avg_us":..,"best_us":..,"worst_us":..,
 *    "stdev_us":..}
 * PROBE:
 *   {"cycle":0,"query":0,"sent":TIME,"result":"ttl-expired" (a lost
 *    worker's probe: "worker-lost"),
 *    "address":"192.0.2.1"|null,"rtt_us":123|null,"error_number":N|null,
 *    "mpls":[{"label":100,"tc":0,"s":1,"ttl":1}],"size":N|null,
 *    "flow":N|null,"rtt_ns":N|null,"icmp_type":N|null,
 *    "icmp_code":N|null,"reply_ttl":N|null,"quoted_ttl":N|null,
 *    "quoted_tos":N|null,"next_hop_mtu":N|null,"mtu":N|null,
 *    "interface":{"index":N|null,"address":ADDR|null,"name":S|null,
 *    "mtu":N|null}|null}
 * Numbers are JSON numbers.  Round-trip times are the integer
 * microseconds measured; avg_us and stdev_us (population) are rounded to
 * 0.1 us and loss_pct to 0.1 %, halves up, always with one decimal; the
 * time statistics are null when no answer had a time.  Absent values are
 * null: port for icmp, psize when the default, distance when the target
 * did not answer, last_ttl when no hop was shown, error_number except for
 * unexpected-error, every name with -n.  "asn" is the origin text as
 * looked up ("64496", or "64496 64497" for a prefix with several
 * origins).  A trace that never ended (the run was cut short) has end,
 * reason, detail, distance and last_ttl null and reached false.
 *
 * JSONL (--jsonl): one record per event, each on its own line, all with
 * "schema_version":3, "type", "run" (RUN) and "collector_wall_clock" (TIME
 * of the collector's clock when the record was written, the render
 * config's wall_clock; a replayed record's own, null for one of schema 2
 * or without a clock), so that every record can be shipped alone:
 *   run-start   version, worker_version, start, target_count, and with
 *               --compare compare_items (target_count counts traces),
 *               workers [WORKER...], shard SHARD|null, and with --each
 *               each_workers
 *   trace-start trace, worker, shard, and the TRACE fields from target
 *               to start
 *   probe       trace, worker, target, shard, ttl, and the PROBE fields
 *   name        address, name, error
 *   asn         address, asn, prefix, error
 *   hop         trace, worker, target, shard, and the HOP fields
 *   trace-end   trace, worker, target, shard, and the TRACE fields from
 *               end on (end and reason never null)
 *   worker-lost worker (its name), message, probes_lost, at (TIME)
 *   run-end     end, exit_status, reached, not_reached
 * ("trace" is the trace's index, the "index" of the JSON document;
 * "worker" the trace's worker's name or null, "target" its target, null
 * only when a replayed schema 2 recording lacks its trace-start; "shard"
 * the run-start's).  A replayed record of schema 3 is written with its
 * own run, worker, target and shard (ht_event.recorded), so that a
 * recording replayed as JSONL comes out byte for byte.
 *
 * CSV (-C): RFC 4180 (CRLF line ends, fields quoted with "" when they
 * hold a comma, a quote or a control character, quotes doubled), a header
 * row and then one row per hop, trace after trace in argument order:
 *   schema_version,target,address,protocol,port,hop,responder,name,asn,
 *   responders,sent,received,loss_pct,last_us,avg_us,best_us,worst_us,
 *   stdev_us,reached[,compare],run,worker
 * (compare, the trace's --compare label, only when the run-start has
 * compare_items; run the run id, worker the trace's worker's name, empty
 * when its probes spread); responder, name and asn are the first
 * responder's, responders every
 * responder's address separated by single spaces; an absent value is an
 * empty field; reached is the trace's outcome, "true" or "false" (empty
 * when the trace never ended).  Numbers are as in JSON.  Text that is not
 * valid UTF-8 gets U+FFFD for each bad byte, in JSON ("\ufffd") as in CSV.
 */
#include "render_impl.h"
#include "loss_verdict.h"
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ht_renderer {
	const struct ht_render_ops *ops;
	void *state;
	/* --each's report: after each target's reports, the merged view */
	const struct ht_render_ops *merged_ops;
	void *merged_state;
	enum ht_format format;
	struct ht_render_config config;	/* hostname not kept */
};

static const struct ht_render_ops *render_ops_of(enum ht_format format)
{
	switch (format) {
	case HT_FMT_TEXT:
		return &ht_render_text_ops;
	case HT_FMT_REPORT:
		return &ht_render_report_ops;
	case HT_FMT_JSON:
		return &ht_render_json_ops;
	case HT_FMT_JSONL:
		return &ht_render_jsonl_ops;
	case HT_FMT_CSV:
		return &ht_render_csv_ops;
	}
	return NULL;
}

struct ht_renderer *ht_renderer_new(enum ht_format format,
				    const struct ht_render_config *config)
{
	static const struct ht_render_config defaults;
	const struct ht_render_ops *ops = render_ops_of(format);
	struct ht_renderer *r;

	if (!ops)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->ops = ops;
	r->format = format;
	r->config = config ? *config : defaults;
	r->config.hostname = NULL;
	r->state = ops->create(config ? config : &defaults);
	if (!r->state) {
		free(r);
		return NULL;
	}
	return r;
}

/*
 * The run's traces go side by side: --compare's items, or --each's
 * workers (as many as fit in the table; more are written one by one).
 */
static int side_by_side(const struct ht_run_start *rs)
{
	return rs->compare_items > 1 ||
	       (rs->each_workers > 1 && rs->each_workers <= HT_COMPARE_MAX);
}

/* The merged view of --each's report, a blank line after the reports. */
static void merged_event(struct ht_renderer *r, const struct ht_event *ev,
			 struct ht_outbuf *out)
{
	struct ht_outbuf tmp;

	ht_outbuf_init(&tmp);
	r->merged_ops->event(r->merged_state, ev, &tmp);
	if (tmp.len && tmp.data[0] != '\n')
		ht_outbuf_puts(out, "\n");
	if (tmp.len)
		ht_outbuf_append(out, tmp.data, tmp.len);
	if (tmp.failed)
		out->failed = 1;
	ht_outbuf_free(&tmp);
}

void ht_renderer_event(struct ht_renderer *r, const struct ht_event *ev,
		       struct ht_outbuf *out)
{
	if (!r || !ev || !out)
		return;
	/*
	 * A run with --compare lays its traces out side by side, in text and
	 * report alike; the stream says so in its first event, so a replay
	 * renders it the same way as the run did.
	 */
	if (ev->kind == HT_EV_RUN_START && side_by_side(&ev->u.run_start) &&
	    (r->format == HT_FMT_TEXT || r->format == HT_FMT_REPORT) &&
	    r->ops != &ht_render_compare_ops && !r->merged_ops) {
		void *state = ht_render_compare_ops.create(&r->config);

		if (!state) {
			out->failed = 1;
			return;
		}
		if (ev->u.run_start.compare_items > 1 ||
		    r->format == HT_FMT_TEXT) {
			r->ops->destroy(r->state);
			r->ops = &ht_render_compare_ops;
			r->state = state;
		} else {
			r->merged_ops = &ht_render_compare_ops;
			r->merged_state = state;
		}
	}
	r->ops->event(r->state, ev, out);
	if (r->merged_ops)
		merged_event(r, ev, out);
}

void ht_renderer_free(struct ht_renderer *r)
{
	if (!r)
		return;
	r->ops->destroy(r->state);
	if (r->merged_ops)
		r->merged_ops->destroy(r->merged_state);
	free(r);
}

const char *ht_reason_name(enum ht_reason reason)
{
	switch (reason) {
	case HT_REASON_REACHED:
		return "reached";
	case HT_REASON_UNREACHABLE:
		return "unreachable";
	case HT_REASON_NO_ANSWER:
		return "no-answer";
	case HT_REASON_UNRESOLVED:
		return "unresolved";
	case HT_REASON_LOCAL_ERROR:
		return "local-error";
	case HT_REASON_WORKER_FAILED:
		return "worker-failed";
	}
	return "unknown";
}

/* Schema 3 names the end of a worker as the worker-lost record does. */
const char *ht_reason_record_name(enum ht_reason reason)
{
	if (reason == HT_REASON_WORKER_FAILED)
		return "worker-lost";
	return ht_reason_name(reason);
}

/* ---- argument order ------------------------------------------------ */

int ht_render_grow(void **array, unsigned *count, size_t elem, unsigned i)
{
	unsigned n;
	char *p;

	if (i < *count)
		return 0;
	if (i >= HT_RENDER_MAX_TRACES)
		return -1;
	n = *count ? *count : 4;
	while (n <= i)
		n *= 2;
	if (n > HT_RENDER_MAX_TRACES)
		n = HT_RENDER_MAX_TRACES;
	p = realloc(*array, (size_t)n * elem);
	if (!p)
		return -1;
	memset(p + (size_t)*count * elem, 0, (size_t)(n - *count) * elem);
	*array = p;
	*count = n;
	return 0;
}

void ht_render_order_init(struct ht_render_order *o)
{
	memset(o, 0, sizeof(*o));
}

void ht_render_order_free(struct ht_render_order *o)
{
	unsigned i;

	for (i = 0; i < o->count; i++)
		ht_outbuf_free(&o->held[i]);
	free(o->held);
	free(o->ended);
	ht_render_order_init(o);
}

/* Both arrays grow together, so they always have the same length. */
static int order_reserve(struct ht_render_order *o, unsigned trace)
{
	unsigned n1 = o->count, n2 = o->count;

	if (trace < o->count)
		return 0;
	if (ht_render_grow((void **)&o->held, &n1, sizeof(*o->held),
			   trace) < 0)
		return -1;
	if (ht_render_grow((void **)&o->ended, &n2, sizeof(*o->ended),
			   trace) < 0) {
		/* held grew and is zeroed past count: still consistent
		 * with the old count. */
		return -1;
	}
	o->count = n1 < n2 ? n1 : n2;
	return 0;
}

struct ht_outbuf *ht_render_order_out(struct ht_render_order *o,
				      unsigned trace, struct ht_outbuf *out)
{
	if (trace == o->current)
		return out;
	if (trace < o->current) {
		/* Output after the trace's end would break the order; it
		 * goes nowhere rather than into another trace's text. */
		return NULL;
	}
	if (order_reserve(o, trace) < 0) {
		o->failed = 1;
		return NULL;
	}
	return &o->held[trace];
}

static void order_flush_one(struct ht_render_order *o, unsigned i,
			    struct ht_outbuf *out)
{
	if (i >= o->count)
		return;
	if (o->held[i].failed)
		out->failed = 1;
	ht_outbuf_append(out, o->held[i].data ? o->held[i].data : "",
			 o->held[i].len);
	ht_outbuf_free(&o->held[i]);
}

void ht_render_order_end(struct ht_render_order *o, unsigned trace,
			 struct ht_outbuf *out)
{
	if (order_reserve(o, trace) < 0) {
		o->failed = 1;
		return;
	}
	o->ended[trace] = 1;
	if (o->failed)
		out->failed = 1;
	/* Every trace up to the first unfinished one is now complete in
	 * its held buffer; the unfinished one's text so far goes out too,
	 * and from now on it writes straight to OUT. */
	while (o->current < o->count && o->ended[o->current]) {
		o->current++;
		order_flush_one(o, o->current, out);
	}
}

void ht_render_order_flush(struct ht_render_order *o, struct ht_outbuf *out)
{
	unsigned i;

	for (i = o->current; i < o->count; i++)
		order_flush_one(o, i, out);
	if (o->failed)
		out->failed = 1;
	o->current = o->count;
}

/* ---- copies -------------------------------------------------------- */

static char *render_strdup(const char *s, int *failed)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	if (!p)
		*failed = 1;
	return p;
}

int ht_render_trace_set(struct ht_render_trace *t,
			const struct ht_trace_start *ts)
{
	int failed = 0;

	ht_render_trace_clear(t);
	t->start = *ts;
	t->target_copy = render_strdup(ts->target, &failed);
	t->start.target = t->target_copy;
	t->compare_copy = render_strdup(ts->compare, &failed);
	t->start.compare = t->compare_copy;
	t->worker_copy = render_strdup(ts->worker_name, &failed);
	t->start.worker_name = t->worker_copy;
	t->have = 1;
	return failed ? -1 : 0;
}

void ht_render_trace_clear(struct ht_render_trace *t)
{
	free(t->target_copy);
	free(t->compare_copy);
	free(t->worker_copy);
	memset(t, 0, sizeof(*t));
}

void ht_render_hops_free(struct ht_hop **hops, unsigned count)
{
	unsigned i;

	for (i = 0; i < count; i++)
		ht_render_hop_free(hops[i]);
	free(hops);
}

int ht_render_hop_keep(struct ht_hop ***hops, unsigned *count, unsigned *cap,
		       const struct ht_hop *hop)
{
	struct ht_hop *copy;

	if (*count == *cap) {
		unsigned n = *cap ? *cap * 2 : 8;
		struct ht_hop **p = realloc(*hops, n * sizeof(*p));

		if (!p)
			return -1;
		*hops = p;
		*cap = n;
	}
	copy = ht_render_hop_copy(hop);
	if (!copy)
		return -1;
	(*hops)[(*count)++] = copy;
	return 0;
}

struct ht_hop *ht_render_hop_copy(const struct ht_hop *hop)
{
	struct ht_hop *c = calloc(1, sizeof(*c));
	struct ht_probe *probes = NULL;
	struct ht_responder *resp = NULL;
	int failed = 0;
	unsigned i;

	if (!c)
		return NULL;
	c->trace = hop->trace;
	c->ttl = hop->ttl;
	if (hop->probe_count) {
		probes = calloc(hop->probe_count, sizeof(*probes));
		if (!probes)
			goto fail;
		memcpy(probes, hop->probes, hop->probe_count * sizeof(*probes));
	}
	c->probes = probes;
	c->probe_count = hop->probe_count;
	if (hop->responder_count) {
		resp = calloc(hop->responder_count, sizeof(*resp));
		if (!resp)
			goto fail;
		for (i = 0; i < hop->responder_count; i++) {
			resp[i].address = hop->responders[i].address;
			resp[i].answers = hop->responders[i].answers;
			resp[i].name = render_strdup(hop->responders[i].name,
						     &failed);
			resp[i].asn = render_strdup(hop->responders[i].asn,
						    &failed);
		}
	}
	c->responders = resp;
	c->responder_count = hop->responder_count;
	if (failed) {
		ht_render_hop_free(c);
		return NULL;
	}
	return c;
fail:
	free(probes);
	free(c);
	return NULL;
}

void ht_render_hop_free(struct ht_hop *hop)
{
	unsigned i;

	if (!hop)
		return;
	for (i = 0; i < hop->responder_count; i++) {
		free((char *)hop->responders[i].name);
		free((char *)hop->responders[i].asn);
	}
	free((void *)hop->responders);
	free((void *)hop->probes);
	free(hop);
}

const struct ht_responder *ht_render_responder(const struct ht_hop *hop,
					       const struct hp_addr *addr)
{
	unsigned i;

	for (i = 0; i < hop->responder_count; i++)
		if (hp_addr_equal(&hop->responders[i].address, addr))
			return &hop->responders[i];
	return NULL;
}

static int mpls_same(const struct hp_result *a, const struct hp_result *b)
{
	unsigned i;

	if (a->mpls_count != b->mpls_count)
		return 0;
	for (i = 0; i < a->mpls_count && i < HP_MAX_MPLS; i++)
		if (a->mpls[i].label != b->mpls[i].label ||
		    a->mpls[i].tc != b->mpls[i].tc ||
		    a->mpls[i].bos != b->mpls[i].bos ||
		    a->mpls[i].ttl != b->mpls[i].ttl)
			return 0;
	return 1;
}

/* Quadratic in the hop's probes, which are a few dozen at most. */
int ht_render_mpls_first(const struct ht_hop *hop, unsigned i)
{
	unsigned j;

	if (hop->probes[i].result.mpls_count == 0)
		return 0;
	for (j = 0; j < i; j++)
		if (mpls_same(&hop->probes[j].result, &hop->probes[i].result))
			return 0;
	return 1;
}

/* ---- text pieces --------------------------------------------------- */

/*
 * RFC 3629: the lead byte gives the length; continuation bytes are
 * 10xxxxxx; overlong forms, UTF-16 surrogates and values past U+10FFFF
 * are not UTF-8.
 */
size_t ht_render_utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* One pass serves both writing and measuring, so the two always agree. */
static size_t render_safe_walk(struct ht_outbuf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t cols = 0;

	if (!s)
		return 0;
	while (*s) {
		size_t n = 1;

		if (*s >= 0x80) {
			n = ht_render_utf8_len(s);
			if (n == 0) {
				n = 1;
				if (out)
					ht_outbuf_append(out, "?", 1);
			} else if (out) {
				ht_outbuf_append(out, (const char *)s, n);
			}
		} else if (*s < 0x20 || *s == 0x7f) {
			if (out)
				ht_outbuf_append(out, "?", 1);
		} else if (out) {
			ht_outbuf_append(out, (const char *)s, 1);
		}
		s += n;
		cols++;
	}
	return cols;
}

size_t ht_render_safe(struct ht_outbuf *out, const char *s)
{
	return render_safe_walk(out, s);
}

size_t ht_render_safe_width(const char *s)
{
	return render_safe_walk(NULL, s);
}

void ht_render_pad(struct ht_outbuf *out, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		ht_outbuf_append(out, spaces, k);
		n -= k;
	}
}

void ht_render_addr(struct ht_outbuf *out, const struct hp_addr *a)
{
	char text[HP_ADDR_TEXT];

	text[0] = '\0';
	if (a->family)
		hp_addr_format(a, text, sizeof(text));
	ht_outbuf_puts(out, text);
}

/*
 * The lookup gives several origins space separated; "/" keeps the tag one
 * word, so that columns still line up.  The lookup module checks that
 * they are digits; anything else still cannot reach the terminal raw.
 */
void ht_render_asn_tag(struct ht_outbuf *out, const char *asn,
		       const char *unknown)
{
	const char *p = asn ? asn : "";
	int words = 0;

	while (*p) {
		if (*p == ' ') {
			p++;
			continue;
		}
		ht_outbuf_puts(out, words ? "/AS" : "AS");
		for (; *p && *p != ' '; p++) {
			char c = (*p > 0x20 && *p < 0x7f) ? *p : '?';

			ht_outbuf_append(out, &c, 1);
		}
		words++;
	}
	if (!words)
		ht_outbuf_puts(out, unknown);
}

void ht_render_mpls(struct ht_outbuf *out, const struct hp_result *r)
{
	unsigned i, n = r->mpls_count < HP_MAX_MPLS ? r->mpls_count
						      : HP_MAX_MPLS;

	ht_outbuf_puts(out, "[MPLS: ");
	for (i = 0; i < n; i++)
		ht_outbuf_printf(out, "%sLbl %u TC %u S %u TTL %u",
				 i ? ", " : "", (unsigned)r->mpls[i].label,
				 (unsigned)r->mpls[i].tc,
				 (unsigned)r->mpls[i].bos,
				 (unsigned)r->mpls[i].ttl);
	ht_outbuf_puts(out, "]");
}

void ht_render_headline(struct ht_outbuf *out, const char *version,
			const struct ht_trace_start *ts, int with_worker)
{
	ht_outbuf_puts(out, "hoptrace");
	if (version && *version) {
		ht_outbuf_puts(out, " ");
		ht_render_safe(out, version);
	}
	ht_outbuf_puts(out, " to ");
	ht_render_safe(out, ts->target ? ts->target : "");
	if (ts->address.family) {
		ht_outbuf_puts(out, " (");
		ht_render_addr(out, &ts->address);
		ht_outbuf_puts(out, ")");
	}
	if (ts->source.family) {
		ht_outbuf_puts(out, " from ");
		ht_render_addr(out, &ts->source);
	}
	ht_outbuf_printf(out, ", %s", hp_protocol_name(ts->protocol));
	if (ts->port > 0)
		ht_outbuf_printf(out, " port %d", ts->port);
	if (ts->flow >= 0 && ts->mda)
		ht_outbuf_printf(out, " mda %d%%, up to %d flows from %d",
				 ts->mda, ts->flows, ts->flow);
	else if (ts->flow >= 0 && ts->flows > 1)
		ht_outbuf_printf(out, " %d flows from %d", ts->flows, ts->flow);
	else if (ts->flow >= 0)
		ht_outbuf_printf(out, " flow %d", ts->flow);
	if (with_worker && ts->worker_name) {
		ht_outbuf_puts(out, ", worker ");
		ht_render_safe(out, ts->worker_name);
	}
}

/* "N.N% (L of S)" */
static void loss_counts(struct ht_outbuf *o, unsigned sent, unsigned lost)
{
	ht_render_tenths(o, 100.0 * lost / sent);
	ht_outbuf_printf(o, "%% (%u of %u)", lost, sent);
}

void ht_render_loss_line(struct ht_outbuf *o, const struct ht_loss_verdict *v,
			 const char *name)
{
	ht_outbuf_printf(o, "loss at hop %d%s", v->ttl,
			 v->path.family ? ", path " : " (");
	if (name && *name) {
		ht_render_safe(o, name);
		ht_outbuf_puts(o, " ");
	}
	ht_render_addr(o, &v->who);
	ht_outbuf_puts(o, v->path.family ? ": " : "): ");
	loss_counts(o, v->sent, v->lost);
	switch (v->kind) {
	case HT_LOSS_CARRIES:
		ht_outbuf_puts(o, ", carries on: ");
		break;
	case HT_LOSS_OWN:
		ht_outbuf_puts(o, ", does not carry on: ");
		break;
	case HT_LOSS_UNSURE:
		ht_outbuf_puts(o, ", too few probes to tell: ");
		break;
	}
	if (v->evidence_is_dest)
		ht_outbuf_puts(o, "the destination");
	else
		ht_outbuf_printf(o, "hop %d, the last that answered,",
				 v->evidence_ttl);
	ht_outbuf_puts(o, " lost ");
	loss_counts(o, v->evidence_sent, v->evidence_lost);
	if (v->path.family)
		ht_outbuf_puts(o, " of the same flows");
	if (v->kind == HT_LOSS_OWN)
		ht_outbuf_puts(o, "; only this hop's own answers are lost (a "
			       "rate limit or a filter)");
}

void ht_render_footer(struct ht_outbuf *out, const struct ht_render_trace *t,
		      const struct ht_trace_end *te)
{
	if (te->reached) {
		ht_outbuf_puts(out, "reached");
		if (t && t->have) {
			ht_outbuf_puts(out, " ");
			ht_render_safe(out, t->start.target ? t->start.target
							    : "");
			if (t->start.address.family) {
				ht_outbuf_puts(out, " (");
				ht_render_addr(out, &t->start.address);
				ht_outbuf_puts(out, ")");
			}
		}
		ht_outbuf_printf(out, " at hop %d", te->distance);
	} else {
		ht_outbuf_puts(out, "not reached: ");
		ht_render_safe(out, te->detail ? te->detail
					       : ht_reason_name(te->reason));
	}
	if (te->hidden_silent_hops > 0)
		ht_outbuf_printf(out, " (%u silent hop%s after hop %d not shown)",
				 te->hidden_silent_hops,
				 te->hidden_silent_hops == 1 ? "" : "s",
				 te->last_ttl);
	ht_outbuf_puts(out, ", ended ");
	ht_render_time(out, te->end_us);
	ht_outbuf_puts(out, "\n");
	if (te->mda_flows && te->mda_capped)
		ht_outbuf_printf(out, "mda: stopped at %u flows (--flows): "
				 "some hop may have next hops not found\n",
				 te->mda_flows);
	else if (te->mda_flows)
		ht_outbuf_printf(out, "mda: %u flows; the stopping rule "
				 "held at every hop\n", te->mda_flows);
}

/* ---- numbers ------------------------------------------------------- */

/*
 * Rounding is done here on integers, half away from zero, rather than by
 * printf on a binary fraction: 150 us is then always "0.2" ms, where
 * printf("%.1f", 0.15) gives "0.1".
 */
void ht_render_tenths(struct ht_outbuf *out, double x)
{
	long long t;

	if (!(x >= 0.0))
		x = 0.0;
	if (x > 9e17)
		x = 9e17;
	t = (long long)(x * 10.0 + 0.5);
	ht_outbuf_printf(out, "%lld.%lld", t / 10, t % 10);
}

void ht_render_ms3(struct ht_outbuf *out, int64_t us)
{
	if (us < 0)
		us = 0;
	ht_outbuf_printf(out, "%lld.%03lld", (long long)(us / 1000),
			 (long long)(us % 1000));
}

void ht_render_ms1(struct ht_outbuf *out, double us)
{
	long long t;

	if (!(us >= 0.0))
		us = 0.0;
	if (us > 9e18)
		us = 9e18;
	t = (long long)(us / 100.0 + 0.5);
	ht_outbuf_printf(out, "%lld.%lld", t / 10, t % 10);
}

void ht_render_time(struct ht_outbuf *out, int64_t unix_us)
{
	char buf[40];

	ht_time_rfc3339(unix_us, buf, sizeof(buf));
	ht_outbuf_puts(out, buf);
}

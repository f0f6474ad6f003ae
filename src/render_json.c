/*
 * render_json.c: the JSON document (-j) and JSON Lines (--jsonl), both
 * described at the top of render.c and in schema/hoptrace.schema.json.
 *
 * The two share every object writer: a JSONL record is the document's
 * object of the same name with "schema_version", "type", "run" and
 * "collector_wall_clock" in front and, for a trace's records, "trace",
 * "worker", "target" and "shard", so that each record can be shipped and
 * read alone.  Those come from the run-start and the trace-start seen
 * before, or from the record a replayed event was read from
 * (ht_event.recorded), which then comes out as it went in.  The document
 * builds each trace in a buffer of its own as its events arrive and joins
 * them in argument order at HT_EV_RUN_END.
 */
#include "render_impl.h"
#include "loss_verdict.h"
#include "paths.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct json_trace {
	char *target;		/* the trace-start's, for JSONL; NULL */
	int worker;		/* the trace-start's; -1 */
	int started;		/* a trace-start was seen */
	struct ht_outbuf buf;
	int opened;		/* "{...,"hops":[" written */
	unsigned hops;		/* hop objects written */
	int closed;		/* the end fields and "}" written */
	int by_path;		/* --flows: verdicts per path */
	/* Copies of the hops, for the loss verdicts at the end. */
	struct ht_hop **kept;
	unsigned kept_count, kept_cap;
};

/* The run-start's workers, copied. */
struct json_worker {
	char *name;
	char *command;
};

struct json_state {
	int lines;		/* JSONL */
	int numeric;
	int64_t (*wall_clock)(void);
	char *version;
	char *worker_version;
	char *run_id;
	struct json_worker *workers;
	unsigned worker_count;
	unsigned shard_index, shard_count;	/* shard_count 0: none */
	uint64_t seed;
	int64_t start_us;
	int have_start;
	struct json_trace *traces;
	unsigned trace_count;
	struct ht_outbuf lost;	/* -j: the workers_lost entries */
	unsigned lost_count;
};

static void *json_create_common(const struct ht_render_config *config,
				int lines)
{
	struct json_state *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->lines = lines;
	ht_outbuf_init(&s->lost);
	s->numeric = config->numeric;
	s->wall_clock = config->wall_clock;
	return s;
}

static void *json_create(const struct ht_render_config *config)
{
	return json_create_common(config, 0);
}

static void *jsonl_create(const struct ht_render_config *config)
{
	return json_create_common(config, 1);
}

static void json_trace_forget(struct json_trace *jt)
{
	ht_render_hops_free(jt->kept, jt->kept_count);
	jt->kept = NULL;
	jt->kept_count = jt->kept_cap = 0;
}

static void json_workers_free(struct json_state *s)
{
	unsigned i;

	for (i = 0; i < s->worker_count; i++) {
		free(s->workers[i].name);
		free(s->workers[i].command);
	}
	free(s->workers);
	s->workers = NULL;
	s->worker_count = 0;
}

static void json_destroy(void *state)
{
	struct json_state *s = state;
	unsigned i;

	for (i = 0; i < s->trace_count; i++) {
		ht_outbuf_free(&s->traces[i].buf);
		json_trace_forget(&s->traces[i]);
		free(s->traces[i].target);
	}
	free(s->traces);
	free(s->version);
	free(s->worker_version);
	free(s->run_id);
	json_workers_free(s);
	ht_outbuf_free(&s->lost);
	free(s);
}

/* ---- values -------------------------------------------------------- */

/*
 * RFC 8259 section 7: quote, backslash and the control characters must be
 * escaped; DEL is escaped too so that a record is plain printable text.
 * Valid UTF-8 passes through, every byte that is not part of it becomes
 * U+FFFD, since a JSON text must be Unicode.
 */
void ht_render_json_string(struct ht_outbuf *o, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	if (!s) {
		ht_outbuf_puts(o, "null");
		return;
	}
	ht_outbuf_puts(o, "\"");
	while (*s) {
		const unsigned char *run = s;
		size_t n;

		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			s++;
		if (s > run)
			ht_outbuf_append(o, (const char *)run,
					 (size_t)(s - run));
		if (!*s)
			break;
		switch (*s) {
		case '"':
			ht_outbuf_puts(o, "\\\"");
			break;
		case '\\':
			ht_outbuf_puts(o, "\\\\");
			break;
		case '\b':
			ht_outbuf_puts(o, "\\b");
			break;
		case '\f':
			ht_outbuf_puts(o, "\\f");
			break;
		case '\n':
			ht_outbuf_puts(o, "\\n");
			break;
		case '\r':
			ht_outbuf_puts(o, "\\r");
			break;
		case '\t':
			ht_outbuf_puts(o, "\\t");
			break;
		default:
			if (*s < 0x80) {
				ht_outbuf_printf(o, "\\u%04x", *s);
				break;
			}
			n = ht_render_utf8_len(s);
			if (n) {
				ht_outbuf_append(o, (const char *)s, n);
				s += n;
				continue;
			}
			ht_outbuf_puts(o, "\\ufffd");
			break;
		}
		s++;
	}
	ht_outbuf_puts(o, "\"");
}

static void json_string(struct ht_outbuf *o, const char *str)
{
	ht_render_json_string(o, str);
}

static void json_addr(struct ht_outbuf *o, const struct hp_addr *a)
{
	if (!a->family) {
		ht_outbuf_puts(o, "null");
		return;
	}
	ht_outbuf_puts(o, "\"");
	ht_render_addr(o, a);
	ht_outbuf_puts(o, "\"");
}

static void json_time(struct ht_outbuf *o, int64_t unix_us)
{
	ht_outbuf_puts(o, "\"");
	ht_render_time(o, unix_us);
	ht_outbuf_puts(o, "\"");
}

/* A positive count, or null for the zero that means "none". */
static void json_int_or_null(struct ht_outbuf *o, long long v)
{
	if (v > 0)
		ht_outbuf_printf(o, "%lld", v);
	else
		ht_outbuf_puts(o, "null");
}

/* ,"KEY":V, or ,"KEY":null without HAS. */
static void json_opt(struct ht_outbuf *o, const char *key, int has,
		     long long v)
{
	if (has)
		ht_outbuf_printf(o, ",\"%s\":%lld", key, v);
	else
		ht_outbuf_printf(o, ",\"%s\":null", key);
}

/* ---- objects (their fields, without the braces) -------------------- */

static void json_start_fields(struct ht_outbuf *o,
			      const struct ht_trace_start *ts)
{
	ht_outbuf_puts(o, "\"target\":");
	json_string(o, ts->target ? ts->target : "");
	ht_outbuf_puts(o, ",\"address\":");
	json_addr(o, &ts->address);
	ht_outbuf_puts(o, ",\"family\":");
	if (ts->address.family == AF_INET)
		ht_outbuf_puts(o, "4");
	else if (ts->address.family == AF_INET6)
		ht_outbuf_puts(o, "6");
	else
		ht_outbuf_puts(o, "null");
	ht_outbuf_puts(o, ",\"source\":");
	json_addr(o, &ts->source);
	ht_outbuf_puts(o, ",\"protocol\":");
	json_string(o, hp_protocol_name(ts->protocol));
	ht_outbuf_puts(o, ",\"port\":");
	json_int_or_null(o, ts->port);
	ht_outbuf_printf(o, ",\"first_ttl\":%d,\"max_ttl\":%d,\"queries\":%d,"
			 "\"count\":%d,\"wait_ms\":%lu,\"psize\":",
			 ts->first_ttl, ts->max_ttl, ts->queries, ts->count,
			 (unsigned long)ts->wait_ms);
	json_int_or_null(o, ts->psize);
	json_opt(o, "flow", ts->flow >= 0, ts->flow);
	ht_outbuf_printf(o, ",\"flows\":%d", ts->flows > 1 ? ts->flows : 1);
	/* Only with --mda: the records of other runs stay as they were. */
	if (ts->mda)
		ht_outbuf_printf(o, ",\"mda\":%d", ts->mda);
	/* Only with --compare, likewise. */
	if (ts->compare) {
		ht_outbuf_puts(o, ",\"compare\":");
		json_string(o, ts->compare);
	}
	ht_outbuf_printf(o, ",\"pmtu\":%s,\"rate_pps\":",
			 ts->pmtu ? "true" : "false");
	if (ts->rate_pps > 0 && ts->rate_pps == (double)(long long)ts->rate_pps)
		ht_outbuf_printf(o, "%lld", (long long)ts->rate_pps);
	else if (ts->rate_pps > 0)
		ht_outbuf_printf(o, "%.6g", ts->rate_pps);
	else
		ht_outbuf_puts(o, "null");
	ht_outbuf_puts(o, ",\"start\":");
	json_time(o, ts->start_us);
}

static void json_probe_fields(struct ht_outbuf *o, const struct ht_probe *p)
{
	const struct hp_result *r = &p->result;
	unsigned i, n = r->mpls_count < HP_MAX_MPLS ? r->mpls_count
						      : HP_MAX_MPLS;

	ht_outbuf_printf(o, "\"cycle\":%u,\"query\":%u,\"sent\":", p->cycle,
			 p->query);
	json_time(o, p->sent_us);
	ht_outbuf_puts(o, ",\"result\":");
	/* Schema 3 names a lost worker's probes as its worker-lost record. */
	json_string(o, r->kind == HP_WORKER_FAILED ? "worker-lost" :
		    hp_kind_name(r->kind));
	ht_outbuf_puts(o, ",\"address\":");
	json_addr(o, &r->responder);
	ht_outbuf_puts(o, ",\"rtt_us\":");
	if (r->rtt_us >= 0)
		ht_outbuf_printf(o, "%lld", (long long)r->rtt_us);
	else
		ht_outbuf_puts(o, "null");
	ht_outbuf_puts(o, ",\"error_number\":");
	if (r->error_number)
		ht_outbuf_printf(o, "%d", r->error_number);
	else
		ht_outbuf_puts(o, "null");
	ht_outbuf_puts(o, ",\"mpls\":[");
	for (i = 0; i < n; i++)
		ht_outbuf_printf(o, "%s{\"label\":%lu,\"tc\":%u,\"s\":%u,"
				 "\"ttl\":%u}", i ? "," : "",
				 (unsigned long)r->mpls[i].label,
				 (unsigned)r->mpls[i].tc,
				 (unsigned)r->mpls[i].bos,
				 (unsigned)r->mpls[i].ttl);
	ht_outbuf_puts(o, "]");
	json_opt(o, "size", p->size > 0, p->size);
	json_opt(o, "flow", p->flow >= 0, p->flow);
	json_opt(o, "rtt_ns", r->has & HP_HAS_RTT_NS, (long long)r->rtt_ns);
	json_opt(o, "icmp_type", r->has & HP_HAS_ICMP, r->icmp_type);
	json_opt(o, "icmp_code", r->has & HP_HAS_ICMP, r->icmp_code);
	json_opt(o, "reply_ttl", r->has & HP_HAS_REPLY_TTL, r->reply_ttl);
	json_opt(o, "quoted_ttl", r->has & HP_HAS_QUOTED_TTL, r->quoted_ttl);
	json_opt(o, "quoted_tos", r->has & HP_HAS_QUOTED_TOS, r->quoted_tos);
	json_opt(o, "next_hop_mtu", r->has & HP_HAS_NEXT_HOP_MTU,
		 r->next_hop_mtu);
	json_opt(o, "mtu", r->has & HP_HAS_MTU, r->mtu);
	ht_outbuf_puts(o, ",\"interface\":");
	if (!ht_render_iface_shown(r)) {
		ht_outbuf_puts(o, "null");
		return;
	}
	ht_outbuf_puts(o, "{\"index\":");
	if (r->has & HP_HAS_IF_INDEX)
		ht_outbuf_printf(o, "%lu", (unsigned long)r->if_index);
	else
		ht_outbuf_puts(o, "null");
	ht_outbuf_puts(o, ",\"address\":");
	json_addr(o, &r->if_addr);
	ht_outbuf_puts(o, ",\"name\":");
	json_string(o, r->if_name[0] ? r->if_name : NULL);
	json_opt(o, "mtu", r->has & HP_HAS_IF_MTU, r->if_mtu);
	ht_outbuf_puts(o, "}");
}

/* An integer microsecond statistic, null when no answer had a time. */
static void json_us(struct ht_outbuf *o, const char *key, int timed,
		    int64_t us)
{
	ht_outbuf_printf(o, ",\"%s\":", key);
	if (timed)
		ht_outbuf_printf(o, "%lld", (long long)us);
	else
		ht_outbuf_puts(o, "null");
}

static void json_us_frac(struct ht_outbuf *o, const char *key, int timed,
			 double us)
{
	ht_outbuf_printf(o, ",\"%s\":", key);
	if (timed)
		ht_render_tenths(o, us);
	else
		ht_outbuf_puts(o, "null");
}

/* ,"paths":[...],"per_packet":{...}|null (paths.h). */
static void json_paths(struct ht_outbuf *o, const struct ht_hop *h)
{
	struct ht_hop_paths hp;
	unsigned i, j;

	ht_hop_paths_compute(h, &hp);
	ht_outbuf_puts(o, ",\"paths\":[");
	for (i = 0; i < hp.path_count; i++) {
		const struct ht_path *p = &hp.paths[i];
		int timed = p->stats.rtt_count > 0;

		ht_outbuf_puts(o, i ? ",{\"address\":" : "{\"address\":");
		json_addr(o, &p->address);
		ht_outbuf_puts(o, ",\"flows\":[");
		for (j = 0; j < p->flow_count; j++)
			ht_outbuf_printf(o, "%s%d", j ? "," : "", p->flows[j]);
		ht_outbuf_printf(o, "],\"sent\":%u,\"received\":%u,"
				 "\"loss_pct\":", p->stats.sent,
				 p->stats.received);
		ht_render_tenths(o, p->stats.loss_pct);
		json_us(o, "last_us", timed, p->stats.last_us);
		json_us_frac(o, "avg_us", timed, p->stats.avg_us);
		json_us(o, "best_us", timed, p->stats.best_us);
		json_us(o, "worst_us", timed, p->stats.worst_us);
		json_us_frac(o, "stdev_us", timed, p->stats.stdev_us);
		ht_outbuf_puts(o, "}");
	}
	ht_outbuf_puts(o, "],\"per_packet\":");
	if (hp.per_packet_flow < 0) {
		ht_outbuf_puts(o, "null");
		return;
	}
	ht_outbuf_printf(o, "{\"flow\":%d,\"addresses\":[",
			 hp.per_packet_flow);
	json_addr(o, &hp.per_packet[0]);
	ht_outbuf_puts(o, ",");
	json_addr(o, &hp.per_packet[1]);
	ht_outbuf_puts(o, "]}");
}

static void json_hop_fields(const struct json_state *s, struct ht_outbuf *o,
			    const struct ht_hop *h)
{
	struct ht_hop_stats st;
	int timed;
	unsigned i;

	ht_hop_stats_compute(h->probes, h->probe_count, NULL, &st);
	timed = st.rtt_count > 0;
	ht_outbuf_printf(o, "\"ttl\":%d,\"sent\":%u,\"received\":%u,"
			 "\"loss_pct\":", h->ttl, st.sent, st.received);
	ht_render_tenths(o, st.loss_pct);
	json_us(o, "last_us", timed, st.last_us);
	json_us_frac(o, "avg_us", timed, st.avg_us);
	json_us(o, "best_us", timed, st.best_us);
	json_us(o, "worst_us", timed, st.worst_us);
	json_us_frac(o, "stdev_us", timed, st.stdev_us);
	ht_outbuf_puts(o, ",\"responders\":[");
	for (i = 0; i < h->responder_count; i++) {
		const struct ht_responder *rs = &h->responders[i];

		ht_outbuf_puts(o, i ? ",{\"address\":" : "{\"address\":");
		json_addr(o, &rs->address);
		ht_outbuf_puts(o, ",\"name\":");
		json_string(o, s->numeric ? NULL : rs->name);
		ht_outbuf_puts(o, ",\"asn\":");
		json_string(o, rs->asn);
		ht_outbuf_printf(o, ",\"answers\":%u}", rs->answers);
	}
	ht_outbuf_puts(o, "],\"probes\":[");
	for (i = 0; i < h->probe_count; i++) {
		ht_outbuf_puts(o, i ? ",{" : "{");
		json_probe_fields(o, &h->probes[i]);
		ht_outbuf_puts(o, "}");
	}
	ht_outbuf_puts(o, "]");
	json_opt(o, "mtu", ht_render_hop_mtu(h) > 0, ht_render_hop_mtu(h));
	json_paths(o, h);
}

/* The end of a trace; TE NULL for one that never ended. */
static void json_end_fields(struct ht_outbuf *o,
			    const struct ht_trace_end *te)
{
	if (!te) {
		ht_outbuf_puts(o, "\"end\":null,\"reached\":false,"
			       "\"reason\":null,\"detail\":null,"
			       "\"distance\":null,\"last_ttl\":null,"
			       "\"hidden_silent_hops\":0");
		return;
	}
	ht_outbuf_puts(o, "\"end\":");
	json_time(o, te->end_us);
	ht_outbuf_printf(o, ",\"reached\":%s,\"reason\":",
			 te->reached ? "true" : "false");
	json_string(o, ht_reason_record_name(te->reason));
	ht_outbuf_puts(o, ",\"detail\":");
	json_string(o, te->detail);
	ht_outbuf_puts(o, ",\"distance\":");
	json_int_or_null(o, te->distance);
	ht_outbuf_puts(o, ",\"last_ttl\":");
	json_int_or_null(o, te->last_ttl);
	ht_outbuf_printf(o, ",\"hidden_silent_hops\":%u",
			 te->hidden_silent_hops);
	if (te->mda_flows)
		ht_outbuf_printf(o, ",\"mda_flows\":%u,\"mda_capped\":%s",
				 te->mda_flows,
				 te->mda_capped ? "true" : "false");
}

static void json_run_start_fields(struct ht_outbuf *o,
				  const struct ht_run_start *rs)
{
	ht_outbuf_puts(o, ",\"version\":");
	json_string(o, rs->version ? rs->version : "");
	ht_outbuf_puts(o, ",\"worker_version\":");
	json_string(o, rs->worker_version);
	ht_outbuf_puts(o, ",\"start\":");
	json_time(o, rs->start_us);
}

static void json_head(struct ht_outbuf *o, const char *type)
{
	ht_outbuf_printf(o, "{\"schema_version\":%d,\"type\":\"%s\"",
			 HT_SCHEMA_VERSION, type);
}

/* ---- what the run-start and trace-start say, kept ------------------ */

static char *json_dup(const char *s, struct ht_outbuf *out)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	if (!p)
		out->failed = 1;
	return p;
}

static void json_keep_run(struct json_state *s, const struct ht_run_start *rs,
			  struct ht_outbuf *out)
{
	unsigned i, n = rs->workers ? rs->worker_count : 0;

	free(s->version);
	free(s->worker_version);
	free(s->run_id);
	s->version = json_dup(rs->version, out);
	s->worker_version = json_dup(rs->worker_version, out);
	s->run_id = json_dup(rs->run_id, out);
	s->start_us = rs->start_us;
	s->have_start = 1;
	s->shard_index = rs->shard_index;
	s->shard_count = rs->shard_count;
	s->seed = rs->seed;
	json_workers_free(s);
	if (n == 0)
		return;
	s->workers = calloc(n, sizeof(*s->workers));
	if (!s->workers) {
		out->failed = 1;
		return;
	}
	s->worker_count = n;
	for (i = 0; i < n; i++) {
		s->workers[i].name = json_dup(rs->workers[i].name, out);
		s->workers[i].command = json_dup(rs->workers[i].command, out);
	}
}

/* The name of worker INDEX of the run-start; NULL for -1 (the probes
 * spread over all) or an index it did not list. */
static const char *json_worker_name(const struct json_state *s, long index)
{
	if (index < 0 || (unsigned long)index >= s->worker_count)
		return NULL;
	return s->workers[index].name;
}

/* "shard":{"index":I,"count":N,"seed":S} or "shard":null. */
static void json_shard(struct ht_outbuf *o, int has, unsigned index,
		       unsigned count, uint64_t seed)
{
	if (!has) {
		ht_outbuf_puts(o, ",\"shard\":null");
		return;
	}
	ht_outbuf_printf(o, ",\"shard\":{\"index\":%u,\"count\":%u,"
			 "\"seed\":%llu}", index, count,
			 (unsigned long long)seed);
}

/* ,"run":..,"workers":[..],"shard":.. of the document. */
static void json_run_fields(const struct json_state *s, struct ht_outbuf *o)
{
	unsigned i;

	ht_outbuf_puts(o, ",\"run\":");
	json_string(o, s->run_id);
	ht_outbuf_puts(o, ",\"workers\":[");
	for (i = 0; i < s->worker_count; i++) {
		ht_outbuf_puts(o, i ? ",{\"name\":" : "{\"name\":");
		json_string(o, s->workers[i].name ? s->workers[i].name : "");
		ht_outbuf_puts(o, ",\"command\":");
		json_string(o, s->workers[i].command ? s->workers[i].command :
			    "");
		ht_outbuf_puts(o, "}");
	}
	ht_outbuf_puts(o, "]");
	json_shard(o, s->shard_count > 0, s->shard_index, s->shard_count,
		   s->seed);
}

/* "worker":..,"message":..,"probes_lost":N,"at":TIME of a lost worker
 * (a worker-lost record, an entry of the document's workers_lost). */
static void json_worker_lost_fields(const struct json_state *s,
				    const struct ht_event *ev,
				    struct ht_outbuf *o)
{
	const struct ht_record_context *rc = ev->recorded;

	ht_outbuf_puts(o, "\"worker\":");
	json_string(o, rc ? rc->worker :
		    json_worker_name(s, ev->u.worker_lost.worker));
	ht_outbuf_puts(o, ",\"message\":");
	json_string(o, ev->u.worker_lost.message ?
		    ev->u.worker_lost.message : "");
	ht_outbuf_printf(o, ",\"probes_lost\":%u,\"at\":",
			 ev->u.worker_lost.probes_lost);
	json_time(o, ev->u.worker_lost.at_us);
}

/* ---- JSONL --------------------------------------------------------- */

/*
 * The head of every record: schema_version, type, run and the collector's
 * wall clock when the record is written (a replayed record's own; for
 * schema 2, which had none, null).
 */
static void jsonl_head(const struct json_state *s, const struct ht_event *ev,
		       struct ht_outbuf *o, const char *type)
{
	int64_t us = ev->collector_us;

	json_head(o, type);
	ht_outbuf_puts(o, ",\"run\":");
	json_string(o, ev->recorded ? ev->recorded->run_id : s->run_id);
	if (us == 0)
		us = s->wall_clock ? s->wall_clock() : HT_COLLECTOR_UNKNOWN;
	ht_outbuf_puts(o, ",\"collector_wall_clock\":");
	if (us > 0)
		json_time(o, us);
	else
		ht_outbuf_puts(o, "null");
}

/* The trace's own record head: "trace", "worker", and (WITH_TARGET)
 * "target", then "shard"; a comma after. */
static void jsonl_trace_head(struct json_state *s, const struct ht_event *ev,
			     struct ht_outbuf *o, unsigned trace,
			     int with_target)
{
	const struct ht_record_context *rc = ev->recorded;
	struct json_trace *jt = trace < s->trace_count ? &s->traces[trace]
						       : NULL;

	ht_outbuf_printf(o, ",\"trace\":%u,\"worker\":", trace);
	if (rc)
		json_string(o, rc->worker);
	else
		json_string(o, jt && jt->started ?
			    json_worker_name(s, jt->worker) : NULL);
	if (with_target) {
		ht_outbuf_puts(o, ",\"target\":");
		json_string(o, rc ? rc->target : jt ? jt->target : NULL);
	}
	if (rc)
		json_shard(o, rc->has_shard, rc->shard_index, rc->shard_count,
			   rc->seed);
	else
		json_shard(o, s->shard_count > 0, s->shard_index,
			   s->shard_count, s->seed);
	ht_outbuf_puts(o, ",");
}

static struct json_trace *json_trace_of(struct json_state *s, unsigned trace)
{
	if (ht_render_grow((void **)&s->traces, &s->trace_count,
			   sizeof(*s->traces), trace) < 0)
		return NULL;
	return &s->traces[trace];
}

/* A trace-start: its target and worker, for the records after it. */
static struct json_trace *json_keep_trace(struct json_state *s,
					  const struct ht_trace_start *ts,
					  struct ht_outbuf *out)
{
	struct json_trace *jt = json_trace_of(s, ts->trace);

	if (!jt) {
		out->failed = 1;
		return NULL;
	}
	free(jt->target);
	jt->target = json_dup(ts->target ? ts->target : "", out);
	jt->worker = ts->worker;
	jt->started = 1;
	return jt;
}

static void jsonl_run_start(const struct json_state *s,
			    const struct ht_event *ev, struct ht_outbuf *o)
{
	const struct ht_run_start *rs = &ev->u.run_start;
	const struct ht_record_context *rc = ev->recorded;
	unsigned i;

	jsonl_head(s, ev, o, "run-start");
	json_run_start_fields(o, rs);
	ht_outbuf_printf(o, ",\"target_count\":%u", rs->target_count);
	if (rs->compare_items)
		ht_outbuf_printf(o, ",\"compare_items\":%u",
				 rs->compare_items);
	ht_outbuf_puts(o, ",\"workers\":[");
	for (i = 0; rs->workers && i < rs->worker_count; i++) {
		ht_outbuf_puts(o, i ? ",{\"name\":" : "{\"name\":");
		json_string(o, rs->workers[i].name ? rs->workers[i].name : "");
		ht_outbuf_puts(o, ",\"command\":");
		json_string(o, rs->workers[i].command ?
			    rs->workers[i].command : "");
		ht_outbuf_puts(o, "}");
	}
	ht_outbuf_puts(o, "]");
	if (rc)
		json_shard(o, rc->has_shard, rc->shard_index, rc->shard_count,
			   rc->seed);
	else
		json_shard(o, rs->shard_count > 0, rs->shard_index,
			   rs->shard_count, rs->seed);
	/* Only with --each, as compare_items. */
	if (rs->each_workers)
		ht_outbuf_printf(o, ",\"each_workers\":%u", rs->each_workers);
}

static void jsonl_event(struct json_state *s, const struct ht_event *ev,
			struct ht_outbuf *o)
{
	switch (ev->kind) {
	case HT_EV_RUN_START:
		json_keep_run(s, &ev->u.run_start, o);
		jsonl_run_start(s, ev, o);
		break;
	case HT_EV_TRACE_START:
		/* A replayed index past any run's (HT_RENDER_MAX_TRACES) is
		 * written as it came; only its later records lack it. */
		if (ev->u.trace_start.trace < HT_RENDER_MAX_TRACES)
			(void)json_keep_trace(s, &ev->u.trace_start, o);
		jsonl_head(s, ev, o, "trace-start");
		jsonl_trace_head(s, ev, o, ev->u.trace_start.trace, 0);
		json_start_fields(o, &ev->u.trace_start);
		break;
	case HT_EV_PROBE:
		jsonl_head(s, ev, o, "probe");
		jsonl_trace_head(s, ev, o, ev->u.probe.trace, 1);
		ht_outbuf_printf(o, "\"ttl\":%d,", ev->u.probe.ttl);
		json_probe_fields(o, &ev->u.probe);
		break;
	case HT_EV_NAME:
		jsonl_head(s, ev, o, "name");
		ht_outbuf_puts(o, ",\"address\":");
		json_addr(o, &ev->u.name.address);
		ht_outbuf_puts(o, ",\"name\":");
		json_string(o, ev->u.name.name);
		ht_outbuf_puts(o, ",\"error\":");
		json_string(o, ev->u.name.error);
		break;
	case HT_EV_ASN:
		jsonl_head(s, ev, o, "asn");
		ht_outbuf_puts(o, ",\"address\":");
		json_addr(o, &ev->u.asn.address);
		ht_outbuf_puts(o, ",\"asn\":");
		json_string(o, ev->u.asn.asn);
		ht_outbuf_puts(o, ",\"prefix\":");
		json_string(o, ev->u.asn.prefix);
		ht_outbuf_puts(o, ",\"error\":");
		json_string(o, ev->u.asn.error);
		break;
	case HT_EV_HOP:
		jsonl_head(s, ev, o, "hop");
		jsonl_trace_head(s, ev, o, ev->u.hop.trace, 1);
		json_hop_fields(s, o, &ev->u.hop);
		break;
	case HT_EV_TRACE_END:
		jsonl_head(s, ev, o, "trace-end");
		jsonl_trace_head(s, ev, o, ev->u.trace_end.trace, 1);
		json_end_fields(o, &ev->u.trace_end);
		break;
	case HT_EV_RUN_END:
		jsonl_head(s, ev, o, "run-end");
		ht_outbuf_puts(o, ",\"end\":");
		json_time(o, ev->u.run_end.end_us);
		ht_outbuf_printf(o, ",\"exit_status\":%d,\"reached\":%u,"
				 "\"not_reached\":%u",
				 ev->u.run_end.exit_status,
				 ev->u.run_end.reached,
				 ev->u.run_end.not_reached);
		break;
	case HT_EV_WORKER_LOST:
		jsonl_head(s, ev, o, "worker-lost");
		ht_outbuf_puts(o, ",");
		json_worker_lost_fields(s, ev, o);
		break;
	default:
		return;
	}
	ht_outbuf_puts(o, "}\n");
}

/* ---- the document -------------------------------------------------- */

/* The object's start; a trace whose first event is not its start (which
 * the event stream does not do) gets empty start fields. */
static void json_trace_open(const struct json_state *s, struct json_trace *jt,
			    unsigned trace, const struct ht_trace_start *ts)
{
	struct ht_trace_start none;

	if (jt->opened)
		return;
	if (!ts) {
		memset(&none, 0, sizeof(none));
		none.trace = trace;
		none.worker = -1;
		ts = &none;
	}
	ht_outbuf_printf(&jt->buf, "{\"index\":%u,\"worker\":", trace);
	json_string(&jt->buf, json_worker_name(s, ts->worker));
	ht_outbuf_puts(&jt->buf, ",");
	json_start_fields(&jt->buf, ts);
	ht_outbuf_puts(&jt->buf, ",\"hops\":[");
	jt->opened = 1;
}

/*
 * ,"loss_verdicts":[VERDICT...] (loss_verdict.h), VERDICT:
 *   {"ttl":2,"path":ADDR|null,"verdict":"carries"|"own"|"unsure",
 *    "sent":N,"lost":N,"compared_with":{"ttl":N,"destination":true|false,
 *    "sent":N,"lost":N}}
 */
static void json_verdicts(struct json_trace *jt,
			  const struct ht_trace_end *te)
{
	struct ht_outbuf *o = &jt->buf;
	struct ht_loss_verdicts lv;
	unsigned i;

	ht_loss_verdicts_compute((const struct ht_hop *const *)jt->kept,
				 jt->kept_count,
				 te && te->reached ? te->distance : 0,
				 jt->by_path, &lv);
	ht_outbuf_puts(o, ",\"loss_verdicts\":[");
	for (i = 0; i < lv.count; i++) {
		const struct ht_loss_verdict *v = &lv.v[i];

		ht_outbuf_printf(o, "%s{\"ttl\":%d,\"path\":", i ? "," : "",
				 v->ttl);
		json_addr(o, &v->path);
		ht_outbuf_puts(o, ",\"verdict\":");
		json_string(o, ht_loss_kind_name(v->kind));
		ht_outbuf_printf(o, ",\"sent\":%u,\"lost\":%u,"
				 "\"compared_with\":{\"ttl\":%d,"
				 "\"destination\":%s,\"sent\":%u,"
				 "\"lost\":%u}}", v->sent, v->lost,
				 v->evidence_ttl,
				 v->evidence_is_dest ? "true" : "false",
				 v->evidence_sent, v->evidence_lost);
	}
	ht_outbuf_puts(o, "]");
}

static void json_trace_close(const struct json_state *s,
			     struct json_trace *jt, unsigned trace,
			     const struct ht_trace_end *te)
{
	if (jt->closed)
		return;
	json_trace_open(s, jt, trace, NULL);
	ht_outbuf_puts(&jt->buf, "],");
	json_end_fields(&jt->buf, te);
	json_verdicts(jt, te);
	json_trace_forget(jt);
	ht_outbuf_puts(&jt->buf, "}");
	jt->closed = 1;
}

static void json_document(struct json_state *s, const struct ht_run_end *re,
			  struct ht_outbuf *o)
{
	unsigned i, n = 0;

	json_head(o, "hoptrace");
	ht_outbuf_puts(o, ",\"version\":");
	json_string(o, s->version ? s->version : "");
	ht_outbuf_puts(o, ",\"worker_version\":");
	json_string(o, s->worker_version);
	json_run_fields(s, o);
	ht_outbuf_puts(o, ",\"start\":");
	json_time(o, s->have_start ? s->start_us : re->end_us);
	ht_outbuf_puts(o, ",\"end\":");
	json_time(o, re->end_us);
	ht_outbuf_printf(o, ",\"exit_status\":%d,\"reached\":%u,"
			 "\"not_reached\":%u", re->exit_status,
			 re->reached, re->not_reached);
	/* Only when a worker was lost (exit status 4, or 3 for the last). */
	if (s->lost_count) {
		ht_outbuf_puts(o, ",\"workers_lost\":[");
		ht_outbuf_append(o, s->lost.data, s->lost.len);
		ht_outbuf_puts(o, "]");
		if (s->lost.failed)
			o->failed = 1;
	}
	ht_outbuf_puts(o, ",\"traces\":[");
	for (i = 0; i < s->trace_count; i++) {
		struct json_trace *jt = &s->traces[i];

		if (!jt->opened)
			continue;
		json_trace_close(s, jt, i, NULL);
		if (jt->buf.failed)
			o->failed = 1;
		if (n++)
			ht_outbuf_puts(o, ",");
		ht_outbuf_append(o, jt->buf.data, jt->buf.len);
		ht_outbuf_free(&jt->buf);
	}
	ht_outbuf_puts(o, "]}\n");
}

static void json_doc_event(struct json_state *s, const struct ht_event *ev,
			   struct ht_outbuf *out)
{
	struct json_trace *jt;

	switch (ev->kind) {
	case HT_EV_WORKER_LOST:
		/* A list of its own: the traces it ends say so too. */
		ht_outbuf_puts(&s->lost, s->lost_count++ ? ",{" : "{");
		json_worker_lost_fields(s, ev, &s->lost);
		ht_outbuf_puts(&s->lost, "}");
		break;
	case HT_EV_RUN_START:
		json_keep_run(s, &ev->u.run_start, out);
		break;
	case HT_EV_TRACE_START:
		jt = json_keep_trace(s, &ev->u.trace_start, out);
		if (!jt)
			break;
		json_trace_open(s, jt, ev->u.trace_start.trace,
				&ev->u.trace_start);
		jt->by_path = ev->u.trace_start.flows > 1;
		break;
	case HT_EV_HOP:
		jt = json_trace_of(s, ev->u.hop.trace);
		if (!jt) {
			out->failed = 1;
			break;
		}
		if (jt->closed)
			break;
		json_trace_open(s, jt, ev->u.hop.trace, NULL);
		ht_outbuf_puts(&jt->buf, jt->hops++ ? ",{" : "{");
		json_hop_fields(s, &jt->buf, &ev->u.hop);
		ht_outbuf_puts(&jt->buf, "}");
		if (ht_render_hop_keep(&jt->kept, &jt->kept_count,
				       &jt->kept_cap, &ev->u.hop) < 0)
			out->failed = 1;
		break;
	case HT_EV_TRACE_END:
		jt = json_trace_of(s, ev->u.trace_end.trace);
		if (!jt) {
			out->failed = 1;
			break;
		}
		json_trace_close(s, jt, ev->u.trace_end.trace,
				 &ev->u.trace_end);
		break;
	case HT_EV_RUN_END:
		json_document(s, &ev->u.run_end, out);
		break;
	case HT_EV_PROBE:
	case HT_EV_NAME:
	case HT_EV_ASN:
		/* The hop carries its probes and names. */
		break;
	}
}

static void json_event(void *state, const struct ht_event *ev,
		       struct ht_outbuf *out)
{
	struct json_state *s = state;

	if (s->lines)
		jsonl_event(s, ev, out);
	else
		json_doc_event(s, ev, out);
}

const struct ht_render_ops ht_render_json_ops = {
	.create = json_create,
	.event = json_event,
	.destroy = json_destroy,
};

const struct ht_render_ops ht_render_jsonl_ops = {
	.create = jsonl_create,
	.event = json_event,
	.destroy = json_destroy,
};

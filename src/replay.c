/*
 * replay.c: JSONL records back into events (replay.h).
 *
 * Each record type has its list of fields, the schema's; a record must
 * have every one of them once and nothing else.  The fields are then read
 * with the typed getters of replay_fields.h, which write the first problem
 * into the message and do nothing after it, so that a record is read field
 * after field and checked once at the end.
 */
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "compare.h"
#include "json_read.h"
#include "replay_fields.h"

/* The most workers a run-start record may list. */
#define REPLAY_MAX_WORKERS 1024u

struct ht_replay {
	struct json_doc doc;		/* the strings of the event */
	struct ht_probe *probes;	/* a hop's */
	unsigned probe_cap;
	struct ht_responder *responders;
	unsigned responder_cap;
	int version;			/* the line's schema_version */
	struct ht_record_context ctx;	/* a schema 3 record's own */
	struct ht_worker_info *workers;	/* a run-start's, into doc */
	unsigned worker_cap;
	/* The last run-start's worker names, copied: trace-start and
	 * worker-lost records name their worker, the events want its
	 * index. */
	char **known;
	unsigned known_count;
};

struct ht_replay *ht_replay_new(void)
{
	struct ht_replay *r = calloc(1, sizeof(*r));

	if (r)
		json_doc_init(&r->doc);
	return r;
}

static void replay_forget_workers(struct ht_replay *r)
{
	unsigned i;

	for (i = 0; i < r->known_count; i++)
		free(r->known[i]);
	free(r->known);
	r->known = NULL;
	r->known_count = 0;
}

void ht_replay_free(struct ht_replay *r)
{
	if (!r)
		return;
	json_doc_free(&r->doc);
	free(r->probes);
	free(r->responders);
	free(r->workers);
	replay_forget_workers(r);
	free(r);
}

/* ---- names --------------------------------------------------------- */

/* A probe's result name: hp_kind_from_name knows the worker's reply
 * names; a lost worker's probes are the client's own, "worker-failed" in
 * schema 2 and "worker-lost" in 3. */
static int replay_kind(const char *s, int version)
{
	if (strcmp(s, version >= 3 ? "worker-lost" :
			  hp_kind_name(HP_WORKER_FAILED)) == 0)
		return HP_WORKER_FAILED;
	if (strcmp(s, "worker-lost") == 0 ||
	    strcmp(s, hp_kind_name(HP_WORKER_FAILED)) == 0)
		return -1;
	return hp_kind_from_name(s, strlen(s));
}

static int replay_protocol(const char *s)
{
	static const enum hp_protocol all[] = { HP_ICMP, HP_UDP, HP_TCP,
						HP_SCTP };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(s, hp_protocol_name(all[i])) == 0)
			return (int)all[i];
	return -1;
}

static int replay_reason(const char *s, int version)
{
	int i;

	for (i = HT_REASON_REACHED; i <= HT_REASON_WORKER_FAILED; i++)
		if (strcmp(s, version >= 3 ?
			      ht_reason_record_name((enum ht_reason)i) :
			      ht_reason_name((enum ht_reason)i)) == 0)
			return i;
	return -1;
}

/* ---- field lists --------------------------------------------------- */

#define FIELDS_MAX 48

struct field_list {
	const char *name[FIELDS_MAX + 1];
};

/* The NULL-terminated lists A, B and C (B, C may be NULL) as one. */
static const char *const *fields_join(struct field_list *l,
				      const char *const *a,
				      const char *const *b,
				      const char *const *c)
{
	const char *const *lists[3] = { a, b, c };
	size_t n = 0, k;

	for (k = 0; k < 3; k++) {
		const char *const *p = lists[k];

		for (; p && *p && n < FIELDS_MAX; p++)
			l->name[n++] = *p;
	}
	l->name[n] = NULL;
	return l->name;
}

/* Schema 3's head, and what a trace's records add to it. */
static const char *const head3_fields[] = { "schema_version", "type", "run",
					    "collector_wall_clock", NULL };
static const char *const trace3_fields[] = { "worker", "target", "shard",
					     NULL };

/* ---- records ------------------------------------------------------- */

#define U32 INT64_C(4294967295)

static const char *const head_fields[] = { "schema_version", "type", NULL };

static const char *const probe_fields[] = {
	"cycle", "query", "sent", "result", "address", "rtt_us",
	"error_number", "mpls", "size", "flow", "rtt_ns", "icmp_type",
	"icmp_code", "reply_ttl", "quoted_ttl", "quoted_tos", "next_hop_mtu",
	"mtu", "interface", NULL
};

static void rd_mpls(struct ht_rd *x, uint32_t obj, struct hp_result *res)
{
	static const char *const label_fields[] = { "label", "tc", "s", "ttl",
						    NULL };
	unsigned n, i;
	uint32_t e = ht_rd_array(x, obj, "mpls", &n);
	struct ht_rd y = *x;

	if (x->failed)
		return;
	if (n > HP_MAX_MPLS) {
		ht_rd_fail(x, "%s has %u MPLS labels, want at most %d", x->what,
			n, HP_MAX_MPLS);
		return;
	}
	res->mpls_count = n;
	for (i = 0, e++; i < n; i++, e = ht_rd_next(x, e)) {
		struct hp_mpls_label *l = &res->mpls[i];

		snprintf(y.what, sizeof(y.what), "%.30s mpls %u", x->what, i);
		ht_rd_object(&y, e);
		ht_rd_fields(&y, e, label_fields, NULL);
		l->label = (uint32_t)ht_rd_int(&y, e, "label", 0, 1048575, NULL);
		l->tc = (uint8_t)ht_rd_int(&y, e, "tc", 0, 7, NULL);
		l->bos = (uint8_t)ht_rd_int(&y, e, "s", 0, 1, NULL);
		l->ttl = (uint8_t)ht_rd_int(&y, e, "ttl", 0, 255, NULL);
		if (y.failed)
			break;
	}
	x->failed = y.failed;
}

static void rd_interface(struct ht_rd *x, uint32_t obj, struct hp_result *res)
{
	static const char *const if_fields[] = { "index", "address", "name",
						 "mtu", NULL };
	const struct json_value *v = ht_rd_get(x, obj, "interface");
	struct ht_rd y = *x;
	const char *name;
	uint32_t e;
	int has;

	if (!v || v->type == JSON_NULL)
		return;
	if (v->type != JSON_OBJECT) {
		ht_rd_type(x, "interface", v, "an object or null");
		return;
	}
	e = (uint32_t)(v - x->d->v);
	snprintf(y.what, sizeof(y.what), "%.30s interface", x->what);
	ht_rd_fields(&y, e, if_fields, NULL);
	res->if_index = (uint32_t)ht_rd_int(&y, e, "index", 0, U32, &has);
	if (has)
		res->has |= HP_HAS_IF_INDEX;
	res->if_addr = ht_rd_addr(&y, e, "address", 1);
	name = ht_rd_str(&y, e, "name", 1);
	if (name && strlen(name) > HP_IF_NAME_MAX)
		ht_rd_fail(&y, "%s \"name\" is longer than %d bytes", y.what,
			HP_IF_NAME_MAX);
	else if (name)
		memcpy(res->if_name, name, strlen(name) + 1);
	res->if_mtu = (uint32_t)ht_rd_int(&y, e, "mtu", 0, U32, &has);
	if (has)
		res->has |= HP_HAS_IF_MTU;
	x->failed = y.failed;
}

/* An 8-bit extension field: its value, and BIT in has when present. */
static uint8_t rd_ext8(struct ht_rd *x, uint32_t obj, const char *key,
		       struct hp_result *res, unsigned bit)
{
	int has;
	uint8_t v = (uint8_t)ht_rd_int(x, obj, key, 0, 255, &has);

	if (has)
		res->has |= bit;
	return v;
}

/* The PROBE fields of a probe record or of a hop's probe. */
static void rd_probe(struct ht_rd *x, uint32_t obj, struct ht_probe *p,
		     int version)
{
	struct hp_result *res = &p->result;
	const char *s;
	int has, has_type, has_code;
	int64_t v;

	p->cycle = (unsigned)ht_rd_int(x, obj, "cycle", 0, U32, NULL);
	p->query = (unsigned)ht_rd_int(x, obj, "query", 0, U32, NULL);
	p->sent_us = ht_rd_time(x, obj, "sent");
	s = ht_rd_str(x, obj, "result", 0);
	if (s) {
		int k = replay_kind(s, version);

		if (k < 0)
			ht_rd_fail(x, "%s \"result\" is not a result name",
				x->what);
		res->kind = k < 0 ? HP_NO_REPLY : (enum hp_kind)k;
	}
	res->responder = ht_rd_addr(x, obj, "address", 1);
	v = ht_rd_int(x, obj, "rtt_us", 0, INT64_MAX, &has);
	res->rtt_us = has ? v : -1;
	/* The writer writes 0 as null: errno 0 is no error. */
	res->error_number = (int)ht_rd_int(x, obj, "error_number", -2147483647 - 1,
					2147483647, &has);
	rd_mpls(x, obj, res);
	p->size = (int)ht_rd_int(x, obj, "size", 28, 65535, &has);
	v = ht_rd_int(x, obj, "flow", 0, 65535, &has);
	p->flow = has ? (int)v : -1;
	res->rtt_ns = ht_rd_int(x, obj, "rtt_ns", 0, INT64_MAX, &has);
	if (has)
		res->has |= HP_HAS_RTT_NS;
	res->icmp_type = (uint8_t)ht_rd_int(x, obj, "icmp_type", 0, 255,
					 &has_type);
	res->icmp_code = (uint8_t)ht_rd_int(x, obj, "icmp_code", 0, 255,
					 &has_code);
	/* One bit stands for both: a record with one of them only cannot
	 * be told apart from one with none, so it is refused. */
	if (has_type != has_code)
		ht_rd_fail(x, "%s has one of \"icmp_type\" and \"icmp_code\" "
			"without the other", x->what);
	if (has_type)
		res->has |= HP_HAS_ICMP;
	res->reply_ttl = rd_ext8(x, obj, "reply_ttl", res, HP_HAS_REPLY_TTL);
	res->quoted_ttl = rd_ext8(x, obj, "quoted_ttl", res,
				  HP_HAS_QUOTED_TTL);
	res->quoted_tos = rd_ext8(x, obj, "quoted_tos", res,
				  HP_HAS_QUOTED_TOS);
	res->next_hop_mtu = (uint32_t)ht_rd_int(x, obj, "next_hop_mtu", 0, U32,
					     &has);
	if (has)
		res->has |= HP_HAS_NEXT_HOP_MTU;
	res->mtu = (uint32_t)ht_rd_int(x, obj, "mtu", 0, U32, &has);
	if (has)
		res->has |= HP_HAS_MTU;
	rd_interface(x, obj, res);
}

/* ---- what schema 3 adds ------------------------------------------- */

static int replay_reserve(void **array, unsigned *cap, size_t size,
			  unsigned n);

/* --run-id's characters (options.h), and run.c's hexadecimal. */
static void rd_run_id(struct ht_rd *x, const char *id)
{
	size_t n;

	if (!id || x->failed)
		return;
	n = strlen(id);
	if (n < 1 || n > 64 ||
	    strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		       "0123456789._:-") != n)
		ht_rd_fail(x, "%s \"run\" is not a run id (1-64 of A-Z a-z "
			"0-9 . _ : -)", x->what);
}

/* "shard": null or {"index":I,"count":N,"seed":S}, into the context. */
static void rd_shard(struct ht_rd *x, struct ht_record_context *c)
{
	static const char *const f[] = { "index", "count", "seed", NULL };
	const struct json_value *v = ht_rd_get(x, 0, "shard");
	struct ht_rd y = *x;
	uint32_t e;

	c->has_shard = 0;
	if (!v || v->type == JSON_NULL)
		return;
	if (v->type != JSON_OBJECT) {
		ht_rd_type(x, "shard", v, "an object or null");
		return;
	}
	e = (uint32_t)(v - x->d->v);
	snprintf(y.what, sizeof(y.what), "%.40s shard", x->what);
	ht_rd_fields(&y, e, f, NULL);
	c->shard_count = (unsigned)ht_rd_int(&y, e, "count", 1, 65536, NULL);
	c->shard_index = (unsigned)ht_rd_int(&y, e, "index", 0,
					     y.failed ? 0 : c->shard_count - 1,
					     NULL);
	c->seed = ht_rd_uint64(&y, e, "seed");
	c->has_shard = !y.failed;
	x->failed = y.failed;
}

/* run and collector_wall_clock, in every record of schema 3. */
static void rd_context_head(struct ht_rd *x, struct ht_replay *r,
			    struct ht_event *ev)
{
	const struct json_value *v;

	memset(&r->ctx, 0, sizeof(r->ctx));
	r->ctx.run_id = ht_rd_str(x, 0, "run", 1);
	rd_run_id(x, r->ctx.run_id);
	v = ht_rd_get(x, 0, "collector_wall_clock");
	ev->collector_us = HT_COLLECTOR_UNKNOWN;
	if (v && v->type != JSON_NULL) {
		int64_t us = ht_rd_time(x, 0, "collector_wall_clock");

		/* The epoch itself reads as none: 0 means "now" to the
		 * writer (events.h). */
		if (us > 0)
			ev->collector_us = us;
	}
	ev->recorded = &r->ctx;
}

/* worker, target and shard of a trace's record of schema 3. */
static void rd_context_trace(struct ht_rd *x, struct ht_replay *r)
{
	r->ctx.worker = ht_rd_str(x, 0, "worker", 1);
	r->ctx.target = ht_rd_str(x, 0, "target", 1);
	rd_shard(x, &r->ctx);
}

/* The index of worker NAME in the last run-start; -1 with the message
 * when it listed none of that name. */
static int rd_worker_index(struct ht_rd *x, const struct ht_replay *r,
			   const char *name)
{
	char q[48];
	unsigned i;

	if (!name || x->failed)
		return -1;
	for (i = 0; i < r->known_count; i++)
		if (strcmp(r->known[i], name) == 0)
			return (int)i;
	ht_rd_quote(q, sizeof(q), name);
	ht_rd_fail(x, "%s \"worker\" \"%s\" is not a worker of the "
		"run-start record", x->what, q);
	return -1;
}

/* A run-start's "workers": the event's list, and the names kept for
 * the records after it. */
static void rd_workers(struct ht_rd *x, struct ht_replay *r,
		       struct ht_run_start *rs)
{
	static const char *const f[] = { "name", "command", NULL };
	unsigned n, i;
	uint32_t e = ht_rd_array(x, 0, "workers", &n);
	struct ht_rd y = *x;

	replay_forget_workers(r);
	if (x->failed)
		return;
	if (n > REPLAY_MAX_WORKERS) {
		ht_rd_fail(x, "%s has %u workers, want at most %u", x->what, n,
			REPLAY_MAX_WORKERS);
		return;
	}
	if (replay_reserve((void **)&r->workers, &r->worker_cap,
			   sizeof(*r->workers), n) < 0 ||
	    !(r->known = calloc(n ? n : 1, sizeof(*r->known)))) {
		ht_rd_fail(x, "out of memory");
		return;
	}
	for (i = 0, e++; i < n && !y.failed; i++, e = ht_rd_next(x, e)) {
		struct ht_worker_info *w = &r->workers[i];

		snprintf(y.what, sizeof(y.what), "%.30s worker %u", x->what, i);
		ht_rd_object(&y, e);
		ht_rd_fields(&y, e, f, NULL);
		w->name = ht_rd_str(&y, e, "name", 0);
		w->command = ht_rd_str(&y, e, "command", 0);
		if (y.failed)
			break;
		if (!*w->name)
			ht_rd_fail(&y, "%s \"name\" is empty", y.what);
		if (y.failed)
			break;
		/*
		 * Names are unique in a run (events.h), but a recording
		 * whose are not is still read: a name then stands for the
		 * first worker of that name, and the records, which carry
		 * the names, are written again as they were.
		 */
		r->known[i] = strdup(w->name);
		if (!r->known[i]) {
			ht_rd_fail(&y, "out of memory");
			break;
		}
		r->known_count = i + 1;
	}
	x->failed = y.failed;
	rs->worker_count = n;
	rs->workers = r->workers;
}

static void rd_run_start(struct ht_rd *x, struct ht_replay *r,
			 struct ht_event *ev)
{
	static const char *const f[] = { "version", "worker_version", "start",
					  "target_count", NULL };
	static const char *const f3[] = { "workers", "shard", NULL };
	static const char *const optional[] = { "compare_items", NULL };
	static const char *const optional3[] = { "compare_items",
						 "each_workers", NULL };
	struct ht_run_start *rs = &ev->u.run_start;
	struct field_list l;

	if (r->version >= 3) {
		ht_rd_fields_opt(x, 0, fields_join(&l, head3_fields, f, f3),
				 NULL, optional3);
		rd_context_head(x, r, ev);
		rs->run_id = r->ctx.run_id;
		rd_shard(x, &r->ctx);
		if (r->ctx.has_shard) {
			rs->shard_index = r->ctx.shard_index;
			rs->shard_count = r->ctx.shard_count;
			rs->seed = r->ctx.seed;
		}
		rd_workers(x, r, rs);
		if (json_member(x->d, 0, "each_workers") >= 0)
			rs->each_workers = (unsigned)ht_rd_int(x, 0,
				"each_workers", 1, REPLAY_MAX_WORKERS, NULL);
	} else {
		ht_rd_fields_opt(x, 0, head_fields, f, optional);
		/* A recording without workers: none to name. */
		replay_forget_workers(r);
	}
	rs->version = ht_rd_str(x, 0, "version", 0);
	rs->worker_version = ht_rd_str(x, 0, "worker_version", 1);
	rs->start_us = ht_rd_time(x, 0, "start");
	rs->target_count = (unsigned)ht_rd_int(x, 0, "target_count", 0, U32,
					    NULL);
	/* --compare's items per target: as many as it takes. */
	if (json_member(x->d, 0, "compare_items") >= 0)
		rs->compare_items = (unsigned)ht_rd_int(x, 0, "compare_items",
							HT_COMPARE_MIN,
							HT_COMPARE_MAX, NULL);
}

/* A --compare label: an item's canonical text (compare.h). */
static void rd_compare_label(struct ht_rd *x, const char *s)
{
	struct ht_compare_item it;
	char why[128];

	if (!s || x->failed)
		return;
	if (ht_compare_item_parse(s, strlen(s), &it, why, sizeof(why)) < 0 ||
	    strcmp(it.label, s) != 0)
		ht_rd_fail(x, "%s \"compare\" is not a --compare item",
			x->what);
}

static void rd_trace_start(struct ht_rd *x, struct ht_replay *r,
			   struct ht_event *ev)
{
	static const char *const f[] = {
		"trace", "target", "address", "family", "source", "protocol",
		"port", "first_ttl", "max_ttl", "queries", "count", "wait_ms",
		"psize", "flow", "flows", "pmtu", "rate_pps", "start", NULL
	};
	static const char *const f3[] = { "worker", "shard", NULL };
	static const char *const optional[] = { "mda", "compare", NULL };
	struct ht_trace_start *ts = &ev->u.trace_start;
	struct field_list l;
	const char *s;
	int64_t v;
	int has;

	ts->worker = -1;
	if (r->version >= 3) {
		ht_rd_fields_opt(x, 0, fields_join(&l, head3_fields, f, f3),
				 NULL, optional);
		rd_context_head(x, r, ev);
		r->ctx.worker = ht_rd_str(x, 0, "worker", 1);
		ts->worker = rd_worker_index(x, r, r->ctx.worker);
		/* The run-start's copy: it outlives this line. */
		ts->worker_name = ts->worker >= 0 ? r->known[ts->worker] : NULL;
		rd_shard(x, &r->ctx);
	} else {
		ht_rd_fields_opt(x, 0, head_fields, f, optional);
	}
	ts->trace = (unsigned)ht_rd_int(x, 0, "trace", 0, U32, NULL);
	ts->target = ht_rd_str(x, 0, "target", 0);
	ts->address = ht_rd_addr(x, 0, "address", 1);
	v = ht_rd_int(x, 0, "family", 4, 6, &has);
	/* The family is the address's, written for readers of the JSON. */
	if (!x->failed && (has ? v : 0) !=
			  (ts->address.family == AF_INET ? 4 :
			   ts->address.family == AF_INET6 ? 6 : 0))
		ht_rd_fail(x, "%s \"family\" does not match \"address\"",
			x->what);
	ts->source = ht_rd_addr(x, 0, "source", 1);
	s = ht_rd_str(x, 0, "protocol", 0);
	if (s) {
		int p = replay_protocol(s);

		if (p < 0)
			ht_rd_fail(x, "%s \"protocol\" is not a protocol",
				x->what);
		ts->protocol = p < 0 ? HP_ICMP : (enum hp_protocol)p;
	}
	ts->port = (int)ht_rd_int(x, 0, "port", 1, 65535, &has);
	ts->first_ttl = (int)ht_rd_int(x, 0, "first_ttl", 0, 255, NULL);
	ts->max_ttl = (int)ht_rd_int(x, 0, "max_ttl", 0, 255, NULL);
	ts->queries = (int)ht_rd_int(x, 0, "queries", 0, 2147483647, NULL);
	ts->count = (int)ht_rd_int(x, 0, "count", 0, 2147483647, NULL);
	ts->wait_ms = (uint32_t)ht_rd_int(x, 0, "wait_ms", 0, U32, NULL);
	ts->psize = (int)ht_rd_int(x, 0, "psize", 1, 2147483647, &has);
	v = ht_rd_int(x, 0, "flow", 0, 65535, &has);
	ts->flow = has ? (int)v : -1;
	ts->flows = (int)ht_rd_int(x, 0, "flows", 1, 64, NULL);
	ts->pmtu = ht_rd_bool(x, 0, "pmtu");
	if (json_member(x->d, 0, "mda") >= 0) {
		ts->mda = (int)ht_rd_int(x, 0, "mda", 95, 99, NULL);
		if (!x->failed && ts->mda != 95 && ts->mda != 99)
			ht_rd_fail(x, "%s \"mda\" is not 95 or 99", x->what);
	}
	/* hoptrace's --rate range; a wilder value would only reach the
	 * renderers' integer conversions. */
	ts->rate_pps = ht_rd_num(x, 0, "rate_pps", 0.0, 1, 1000000.0, &has);
	if (json_member(x->d, 0, "compare") >= 0) {
		ts->compare = ht_rd_str(x, 0, "compare", 0);
		rd_compare_label(x, ts->compare);
	}
	ts->start_us = ht_rd_time(x, 0, "start");
	r->ctx.target = ts->target;
}

/* The head of a record: schema 2's, or 3's with its context (and, for
 * TRACE, the trace's worker, target and shard); then F and B. */
static void rd_head_fields(struct ht_rd *x, struct ht_replay *r,
			   struct ht_event *ev, int trace,
			   const char *const *f, const char *const *b,
			   const char *const *optional)
{
	struct field_list l1, l2;

	if (r->version < 3) {
		ht_rd_fields_opt(x, 0, fields_join(&l1, head_fields, f, NULL),
				 b, optional);
		ev->collector_us = HT_COLLECTOR_UNKNOWN;
		ev->recorded = NULL;
		return;
	}
	ht_rd_fields_opt(x, 0, fields_join(&l1, head3_fields,
					   trace ? trace3_fields : NULL, f),
			 fields_join(&l2, b, NULL, NULL), optional);
	rd_context_head(x, r, ev);
	if (trace)
		rd_context_trace(x, r);
}

static void rd_probe_record(struct ht_rd *x, struct ht_replay *r,
			    struct ht_event *ev)
{
	static const char *const f[] = { "trace", "ttl", NULL };
	struct ht_probe *p = &ev->u.probe;

	rd_head_fields(x, r, ev, 1, f, probe_fields, NULL);
	p->trace = (unsigned)ht_rd_int(x, 0, "trace", 0, U32, NULL);
	p->ttl = (int)ht_rd_int(x, 0, "ttl", 0, 255, NULL);
	rd_probe(x, 0, p, r->version);
}

static void rd_worker_lost(struct ht_rd *x, struct ht_replay *r,
			   struct ht_event *ev)
{
	static const char *const f[] = { "worker", "message", "probes_lost",
					 "at", NULL };
	struct ht_worker_lost *wl = &ev->u.worker_lost;
	int i;

	rd_head_fields(x, r, ev, 0, f, NULL, NULL);
	r->ctx.worker = ht_rd_str(x, 0, "worker", 0);
	i = rd_worker_index(x, r, r->ctx.worker);
	wl->worker = i < 0 ? 0 : (unsigned)i;
	wl->message = ht_rd_str(x, 0, "message", 0);
	wl->probes_lost = (unsigned)ht_rd_int(x, 0, "probes_lost", 0, U32,
					      NULL);
	wl->at_us = ht_rd_time(x, 0, "at");
}

static void rd_name(struct ht_rd *x, struct ht_replay *r, struct ht_event *ev)
{
	static const char *const f[] = { "address", "name", "error", NULL };
	struct ht_name *n = &ev->u.name;

	rd_head_fields(x, r, ev, 0, f, NULL, NULL);
	n->address = ht_rd_addr(x, 0, "address", 0);
	n->name = ht_rd_str(x, 0, "name", 1);
	n->error = ht_rd_str(x, 0, "error", 1);
}

static void rd_asn(struct ht_rd *x, struct ht_replay *r, struct ht_event *ev)
{
	static const char *const f[] = { "address", "asn", "prefix", "error",
					 NULL };
	struct ht_asn *a = &ev->u.asn;

	rd_head_fields(x, r, ev, 0, f, NULL, NULL);
	a->address = ht_rd_addr(x, 0, "address", 0);
	a->asn = ht_rd_str(x, 0, "asn", 1);
	ht_rd_asn_text(x, "asn", a->asn);
	a->prefix = ht_rd_str(x, 0, "prefix", 1);
	a->error = ht_rd_str(x, 0, "error", 1);
}

/* Room for N items of SIZE in *ARRAY (capacity *CAP), zeroed. */
static int replay_reserve(void **array, unsigned *cap, size_t size,
			  unsigned n)
{
	void *p;

	if (n > *cap) {
		p = realloc(*array, (size_t)n * size);
		if (!p)
			return -1;
		*array = p;
		*cap = n;
	}
	if (n)
		memset(*array, 0, (size_t)n * size);
	return 0;
}

static void rd_responders(struct ht_rd *x, struct ht_replay *r,
			  struct ht_hop *h)
{
	static const char *const f[] = { "address", "name", "asn", "answers",
					  NULL };
	unsigned n, i;
	uint32_t e = ht_rd_array(x, 0, "responders", &n);
	struct ht_rd y = *x;

	if (x->failed)
		return;
	if (replay_reserve((void **)&r->responders, &r->responder_cap,
			   sizeof(*r->responders), n) < 0) {
		ht_rd_fail(x, "out of memory");
		return;
	}
	for (i = 0, e++; i < n && !y.failed; i++, e = ht_rd_next(x, e)) {
		struct ht_responder *rs = &r->responders[i];

		snprintf(y.what, sizeof(y.what), "%.30s responder %u", x->what,
			 i);
		ht_rd_object(&y, e);
		ht_rd_fields(&y, e, f, NULL);
		rs->address = ht_rd_addr(&y, e, "address", 0);
		rs->name = ht_rd_str(&y, e, "name", 1);
		rs->asn = ht_rd_str(&y, e, "asn", 1);
		ht_rd_asn_text(&y, "asn", rs->asn);
		rs->answers = (unsigned)ht_rd_int(&y, e, "answers", 0, U32,
					       NULL);
	}
	x->failed = y.failed;
	h->responder_count = n;
	h->responders = r->responders;
}

static void rd_hop(struct ht_rd *x, struct ht_replay *r, struct ht_event *ev)
{
	static const char *const f[] = {
		"trace", "ttl", "sent", "received", "loss_pct", "last_us",
		"avg_us", "best_us", "worst_us", "stdev_us", "responders",
		"probes", "mtu", "paths", "per_packet", NULL
	};
	struct ht_hop *h = &ev->u.hop;
	unsigned n, i;
	uint32_t e;
	struct ht_rd y;
	int has;

	rd_head_fields(x, r, ev, 1, f, NULL, NULL);
	h->trace = (unsigned)ht_rd_int(x, 0, "trace", 0, U32, NULL);
	h->ttl = (int)ht_rd_int(x, 0, "ttl", 0, 255, NULL);
	/* The renderer works these out from the probes again. */
	(void)ht_rd_int(x, 0, "sent", 0, INT64_MAX, NULL);
	(void)ht_rd_int(x, 0, "received", 0, INT64_MAX, NULL);
	(void)ht_rd_num(x, 0, "loss_pct", 0.0, 0, 100.0, NULL);
	(void)ht_rd_int(x, 0, "last_us", 0, INT64_MAX, &has);
	(void)ht_rd_num(x, 0, "avg_us", 0.0, 0, 0.0, &has);
	(void)ht_rd_int(x, 0, "best_us", 0, INT64_MAX, &has);
	(void)ht_rd_int(x, 0, "worst_us", 0, INT64_MAX, &has);
	(void)ht_rd_num(x, 0, "stdev_us", 0.0, 0, 0.0, &has);
	(void)ht_rd_int(x, 0, "mtu", 28, 65535, &has);
	/* The paths too (paths.h): only their shape is checked. */
	(void)ht_rd_array(x, 0, "paths", &n);
	(void)ht_rd_get(x, 0, "per_packet");
	rd_responders(x, r, h);
	e = ht_rd_array(x, 0, "probes", &n);
	if (x->failed)
		return;
	if (replay_reserve((void **)&r->probes, &r->probe_cap,
			   sizeof(*r->probes), n) < 0) {
		ht_rd_fail(x, "out of memory");
		return;
	}
	y = *x;
	for (i = 0, e++; i < n && !y.failed; i++, e = ht_rd_next(x, e)) {
		struct ht_probe *p = &r->probes[i];

		snprintf(y.what, sizeof(y.what), "hop record probe %u", i);
		ht_rd_object(&y, e);
		ht_rd_fields(&y, e, probe_fields, NULL);
		p->trace = h->trace;
		p->ttl = h->ttl;
		rd_probe(&y, e, p, r->version);
	}
	x->failed = y.failed;
	h->probe_count = n;
	h->probes = r->probes;
}

static void rd_trace_end(struct ht_rd *x, struct ht_replay *r,
			 struct ht_event *ev)
{
	static const char *const f[] = {
		"trace", "end", "reached", "reason", "detail", "distance",
		"last_ttl", "hidden_silent_hops", NULL
	};
	static const char *const optional[] = { "mda_flows", "mda_capped",
						NULL };
	struct ht_trace_end *te = &ev->u.trace_end;
	const char *s;
	int has;

	rd_head_fields(x, r, ev, 1, f, NULL, optional);
	te->trace = (unsigned)ht_rd_int(x, 0, "trace", 0, U32, NULL);
	te->end_us = ht_rd_time(x, 0, "end");
	te->reached = ht_rd_bool(x, 0, "reached");
	s = ht_rd_str(x, 0, "reason", 0);
	if (s) {
		int k = replay_reason(s, r->version);

		if (k < 0)
			ht_rd_fail(x, "%s \"reason\" is not a reason", x->what);
		te->reason = k < 0 ? HT_REASON_NO_ANSWER : (enum ht_reason)k;
	}
	te->detail = ht_rd_str(x, 0, "detail", 1);
	te->distance = (int)ht_rd_int(x, 0, "distance", 1, 255, &has);
	te->last_ttl = (int)ht_rd_int(x, 0, "last_ttl", 1, 255, &has);
	te->hidden_silent_hops = (unsigned)ht_rd_int(x, 0, "hidden_silent_hops",
						  0, U32, NULL);
	if (json_member(x->d, 0, "mda_flows") >= 0)
		te->mda_flows = (unsigned)ht_rd_int(x, 0, "mda_flows", 1, 64,
						    NULL);
	if (json_member(x->d, 0, "mda_capped") >= 0)
		te->mda_capped = ht_rd_bool(x, 0, "mda_capped");
}

static void rd_run_end(struct ht_rd *x, struct ht_replay *r,
		       struct ht_event *ev)
{
	static const char *const f[] = { "end", "exit_status", "reached",
					  "not_reached", NULL };
	struct ht_run_end *re = &ev->u.run_end;

	rd_head_fields(x, r, ev, 0, f, NULL, NULL);
	re->end_us = ht_rd_time(x, 0, "end");
	re->exit_status = (int)ht_rd_int(x, 0, "exit_status", -2147483647 - 1,
				      2147483647, NULL);
	re->reached = (unsigned)ht_rd_int(x, 0, "reached", 0, U32, NULL);
	re->not_reached = (unsigned)ht_rd_int(x, 0, "not_reached", 0, U32, NULL);
}

/* ---- a line -------------------------------------------------------- */

static const struct {
	const char *type;
	enum ht_event_kind kind;
} replay_types[] = {
	{ "run-start", HT_EV_RUN_START },
	{ "trace-start", HT_EV_TRACE_START },
	{ "probe", HT_EV_PROBE },
	{ "name", HT_EV_NAME },
	{ "asn", HT_EV_ASN },
	{ "hop", HT_EV_HOP },
	{ "trace-end", HT_EV_TRACE_END },
	{ "run-end", HT_EV_RUN_END },
	{ "worker-lost", HT_EV_WORKER_LOST },	/* schema 3 */
};

/* The record's head: schema_version first, so that a record of another
 * version is reported as such and not by the first field it lacks. */
static int rd_head(struct ht_rd *x, struct ht_replay *r,
		   enum ht_event_kind *kind)
{
	const struct json_value *v = x->d->v;
	long i;
	size_t t;
	char q[48];

	if (v[0].type != JSON_OBJECT) {
		ht_rd_fail(x, "record is %s, want an object",
			json_type_phrase(v[0].type));
		return -1;
	}
	i = json_member(x->d, 0, "schema_version");
	if (i < 0) {
		ht_rd_fail(x, "record without \"schema_version\"");
		return -1;
	}
	if (v[i].type != JSON_INT) {
		ht_rd_fail(x, "\"schema_version\" is %s, want %d or %d",
			json_type_phrase(v[i].type), HT_SCHEMA_VERSION_OLDEST,
			HT_SCHEMA_VERSION);
		return -1;
	}
	if (v[i].big || v[i].i < HT_SCHEMA_VERSION_OLDEST ||
	    v[i].i > HT_SCHEMA_VERSION) {
		if (v[i].big)
			ht_rd_fail(x, "schema_version %llu, want %d or %d",
				(unsigned long long)v[i].u,
				HT_SCHEMA_VERSION_OLDEST, HT_SCHEMA_VERSION);
		else
			ht_rd_fail(x, "schema_version %lld, want %d or %d",
				(long long)v[i].i, HT_SCHEMA_VERSION_OLDEST,
				HT_SCHEMA_VERSION);
		return -1;
	}
	r->version = (int)v[i].i;
	i = json_member(x->d, 0, "type");
	if (i < 0) {
		ht_rd_fail(x, "record without \"type\"");
		return -1;
	}
	if (v[i].type != JSON_STRING) {
		ht_rd_fail(x, "\"type\" is %s, want a string",
			json_type_phrase(v[i].type));
		return -1;
	}
	for (t = 0; t < sizeof(replay_types) / sizeof(replay_types[0]); t++) {
		/* Schema 2 had no worker-lost record. */
		if (replay_types[t].kind == HT_EV_WORKER_LOST && r->version < 3)
			continue;
		if (strcmp(v[i].str, replay_types[t].type) == 0) {
			*kind = replay_types[t].kind;
			snprintf(x->what, sizeof(x->what), "%s record",
				 replay_types[t].type);
			return 0;
		}
	}
	ht_rd_quote(q, sizeof(q), v[i].str);
	ht_rd_fail(x, "unknown record type \"%s\"", q);
	return -1;
}

static int replay_blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' &&
		    line[i] != '\n')
			return 0;
	return 1;
}

int ht_replay_line(struct ht_replay *r, const char *line, size_t len,
		   struct ht_event *ev, char *err, size_t errlen)
{
	struct ht_rd x;
	char dummy[1];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (!r || !ev || (!line && len)) {
		snprintf(err, errlen, "no line");
		return -1;
	}
	if (replay_blank(line, len))
		return 0;
	if (json_parse(&r->doc, line, len, JSON_FFFD_AS_BYTE, err,
		       errlen) < 0)
		return -1;
	memset(&x, 0, sizeof(x));
	x.d = &r->doc;
	x.err = err;
	x.errlen = errlen;
	memset(ev, 0, sizeof(*ev));
	if (rd_head(&x, r, &ev->kind) < 0)
		return -1;
	/* Schema 2 recorded no collector's clock: a replay says null
	 * rather than make one up. */
	ev->collector_us = HT_COLLECTOR_UNKNOWN;
	switch (ev->kind) {
	case HT_EV_WORKER_LOST:
		rd_worker_lost(&x, r, ev);
		break;
	case HT_EV_RUN_START:
		rd_run_start(&x, r, ev);
		break;
	case HT_EV_TRACE_START:
		rd_trace_start(&x, r, ev);
		break;
	case HT_EV_PROBE:
		rd_probe_record(&x, r, ev);
		break;
	case HT_EV_NAME:
		rd_name(&x, r, ev);
		break;
	case HT_EV_ASN:
		rd_asn(&x, r, ev);
		break;
	case HT_EV_HOP:
		rd_hop(&x, r, ev);
		break;
	case HT_EV_TRACE_END:
		rd_trace_end(&x, r, ev);
		break;
	case HT_EV_RUN_END:
		rd_run_end(&x, r, ev);
		break;
	}
	if (x.failed) {
		memset(ev, 0, sizeof(*ev));
		return -1;
	}
	return 1;
}

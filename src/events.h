/*
 * events.h: the event stream at the core of hoptrace.
 *
 * Everything hoptrace learns becomes one of these records, in the order it
 * learns it; every output format is a rendering of that sequence and of
 * nothing else (render.h).  Events are plain data: the pointers inside one
 * are valid only during the call that delivers it, so a renderer copies
 * what it keeps.  All times are microseconds since the Unix epoch, UTC.
 */
#ifndef HOPTRACE_EVENTS_H
#define HOPTRACE_EVENTS_H

#include <stdint.h>

#include "client.h"

/* Version of the JSON/JSONL/CSV records; schema/hoptrace.schema.json.
 * The reader (replay.h) takes this one and HT_SCHEMA_VERSION_OLDEST. */
#define HT_SCHEMA_VERSION 3
#define HT_SCHEMA_VERSION_OLDEST 2

enum ht_event_kind {
	HT_EV_RUN_START = 0,	/* once, first */
	HT_EV_TRACE_START,	/* a target's trace begins (after resolution) */
	HT_EV_PROBE,		/* one probe's result, as it arrives */
	HT_EV_NAME,		/* a PTR lookup finished */
	HT_EV_ASN,		/* an origin-AS lookup finished */
	HT_EV_HOP,		/* a hop is complete: all its probes, names */
	HT_EV_TRACE_END,	/* a target's summary */
	HT_EV_RUN_END,		/* once, last */
	HT_EV_WORKER_LOST	/* a worker died or misbehaved mid-run */
};

/* One worker of the run: --worker [NAME=]CMD, in the order given. */
struct ht_worker_info {
	const char *name;		/* NAME, or the host CMD reaches
					 * (options.h); unique in the run */
	const char *command;		/* run through /bin/sh */
};

struct ht_run_start {
	const char *version;		/* hoptrace's */
	const char *worker_version;	/* check-support version; NULL unknown */
	int64_t start_us;
	unsigned target_count;		/* traces: with --compare, targets
					 * times items */
	unsigned compare_items;		/* --compare: items per target (trace
					 * T is item T % N of target T / N);
					 * 0 without */
	const char *run_id;		/* --run-id, or one made up at start;
					 * in every JSONL record */
	unsigned worker_count;		/* at least 1 */
	const struct ht_worker_info *workers;
	unsigned each_workers;		/* --each: workers per target (trace
					 * T is worker T % N of target T / N);
					 * 0 without */
	/* --shard I/N --seed S: this run traces slice I (from 0) of N of
	 * the target list in the seed's order; shard_count 0 without. */
	unsigned shard_index;
	unsigned shard_count;
	uint64_t seed;
};

struct ht_trace_start {
	unsigned trace;			/* index of the target, from 0 */
	const char *target;		/* as the user gave it (no :port) */
	struct hp_addr address;		/* resolved; family 0 when it failed */
	struct hp_addr source;		/* family 0 when unknown */
	enum hp_protocol protocol;
	int port;			/* destination port; 0 for icmp */
	int first_ttl;
	int max_ttl;
	int queries;			/* probes per hop and cycle */
	int count;			/* cycles */
	uint32_t wait_ms;		/* probe timeout */
	int psize;			/* packet size asked; 0 default */
	int flow;			/* --flow: the trace's (with --flows,
					 * the first); -1 none */
	int flows;			/* --flows: flows per hop; 1 (with
					 * --mda, the most it may probe) */
	int mda;			/* --mda: its confidence, 95 or 99;
					 * 0 without */
	int pmtu;			/* --pmtu */
	double rate_pps;		/* --rate; 0 none */
	const char *compare;		/* --compare: the item's label
					 * ("udp:53"); NULL without */
	int worker;			/* index in run_start.workers of the
					 * worker all its probes go to; -1
					 * when they spread over all */
	const char *worker_name;	/* that worker's name; NULL for -1 */
	int64_t start_us;
};

struct ht_probe {
	unsigned trace;
	int ttl;
	unsigned cycle;			/* from 0 */
	unsigned query;			/* from 0, within the cycle */
	int64_t sent_us;
	int size;			/* bytes asked (last send); 0 default */
	int flow;			/* flow it went out with; -1 none */
	struct hp_result result;
};

struct ht_name {
	struct hp_addr address;
	const char *name;		/* NULL when there is none */
	const char *error;		/* NULL, or why not: "timeout", ... */
};

struct ht_asn {
	struct hp_addr address;
	const char *asn;		/* "64496" (may hold several, space
					 * separated); NULL when none */
	const char *prefix;		/* "192.0.2.0/24"; NULL when unknown */
	const char *error;		/* NULL, or why not */
};

/* One responder of a hop, in order of its first answer. */
struct ht_responder {
	struct hp_addr address;
	const char *name;		/* PTR; NULL when none or -n */
	const char *asn;		/* NULL when none or no -z */
	unsigned answers;		/* probes of this hop it answered */
};

struct ht_hop {
	unsigned trace;
	int ttl;
	/* Every probe of this ttl, cycle by cycle, query by query. */
	unsigned probe_count;
	const struct ht_probe *probes;
	unsigned responder_count;
	const struct ht_responder *responders;
};

/* Why a trace ended; ht_reason_name() gives the record's string. */
enum ht_reason {
	HT_REASON_REACHED = 0,		/* the target answered */
	HT_REASON_UNREACHABLE,		/* an ICMP unreachable from a router */
	HT_REASON_NO_ANSWER,		/* target silent up to max ttl */
	HT_REASON_UNRESOLVED,		/* the target name did not resolve */
	HT_REASON_LOCAL_ERROR,		/* the worker refused the probes */
	HT_REASON_WORKER_FAILED		/* the worker died mid-trace */
};
/* "reached", "unreachable", "no-answer", "unresolved", "local-error",
 * "worker-failed" (the JSON records of schema 3 say "worker-lost" for the
 * last: ht_reason_record_name). */
const char *ht_reason_name(enum ht_reason reason);
/* The reason as JSON and JSONL write it (schema 3). */
const char *ht_reason_record_name(enum ht_reason reason);

struct ht_trace_end {
	unsigned trace;
	int reached;			/* 1 only for HT_REASON_REACHED */
	enum ht_reason reason;
	const char *detail;		/* one sentence for people */
	int distance;			/* ttl of the target's answer; 0 */
	int last_ttl;			/* highest hop shown */
	unsigned hidden_silent_hops;	/* silent hops past the last shown */
	/* --mda: the flows it probed, and whether the stopping rule still
	 * wanted more when the cap (--flows) stopped it; 0 and 0 without. */
	unsigned mda_flows;
	int mda_capped;
	int64_t end_us;
};

struct ht_run_end {
	int64_t end_us;
	unsigned reached;		/* traces that reached their target */
	unsigned not_reached;
	int exit_status;		/* what hoptrace exits with */
};

/*
 * A worker was lost mid-run.  Its probes in flight were each given to
 * their traces first, as probes with result HP_WORKER_FAILED (written
 * "worker-lost"); the traces that only it served then end with
 * HT_REASON_WORKER_FAILED.  The other workers go on.
 */
struct ht_worker_lost {
	unsigned worker;		/* index in run_start.workers */
	const char *message;		/* what happened, the worker's stderr */
	unsigned probes_lost;		/* its probes that were in flight */
	int64_t at_us;
};

/*
 * What a JSON Lines record of schema 3 says beside its event: the run,
 * worker, shard and target it belongs to.  A replay gives a record's own
 * with its event, so that JSONL writes the record again as it was; live,
 * and replaying schema 2, it is NULL and the JSONL writer works them out
 * from the stream (the run-start's run and workers, the trace-start's
 * target and worker).
 */
struct ht_record_context {
	const char *run_id;		/* NULL: null */
	const char *worker;		/* trace records and worker-lost;
					 * NULL: null */
	const char *target;		/* trace records; NULL: null */
	int has_shard;			/* "shard" an object, not null */
	unsigned shard_index;
	unsigned shard_count;
	uint64_t seed;
};

/* ht_event.collector_us: nothing recorded (schema 2). */
#define HT_COLLECTOR_UNKNOWN (-1)

struct ht_event {
	enum ht_event_kind kind;
	/* The collector's wall clock when the record was written: 0 live
	 * (the JSONL writer asks its clock, render.h), else a replayed
	 * record's own, HT_COLLECTOR_UNKNOWN for one of schema 2. */
	int64_t collector_us;
	const struct ht_record_context *recorded;	/* NULL live */
	union {
		struct ht_run_start run_start;
		struct ht_trace_start trace_start;
		struct ht_probe probe;
		struct ht_name name;
		struct ht_asn asn;
		struct ht_hop hop;
		struct ht_trace_end trace_end;
		struct ht_run_end run_end;
		struct ht_worker_lost worker_lost;
	} u;
};

#endif

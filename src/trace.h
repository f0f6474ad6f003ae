/*
 * trace.h: one target's trace as a state machine, without I/O.
 *
 * The trace says which probe to send next and when, takes each result as it
 * arrives and turns results into events: every probe at once, each hop once
 * it is complete (all its probes answered or timed out, and the names of its
 * responders settled), in ttl order, and one summary.  All ttls of a cycle
 * are probed at once; once the target (or an unreachable) answers at ttl d,
 * nothing above d is sent any more and nothing above d is shown.  Silent
 * hops are held back until a later hop answers: a trace that never reaches
 * its target shows the first silent hop after the last answering one and
 * counts the rest.  The caller owns the clock, the worker and the names;
 * tests drive a trace with invented times and results.
 */
#ifndef HOPTRACE_TRACE_H
#define HOPTRACE_TRACE_H

#include <stdint.h>

#include "events.h"

struct ht_trace;

struct ht_trace_hooks {
	/* Deliver one event (pointers valid during the call only). */
	void (*emit)(void *arg, const struct ht_event *ev);
	/*
	 * Names of ADDR: return 1 when settled (NAME and ASN set, either may
	 * be NULL), 0 while a lookup is pending; then the hooks' owner calls
	 * ht_trace_names_settled() later.  The first call for an address is
	 * the cue to start its lookups.  NULL: names are never waited for.
	 */
	int (*names)(void *arg, struct ht_trace *trace,
		     const struct hp_addr *addr, const char **name,
		     const char **asn);
	void *arg;
};

struct ht_trace_params {
	unsigned index;
	const char *target;		/* copied */
	struct hp_addr address;
	struct hp_addr source;
	enum hp_protocol protocol;
	int port;
	int first_ttl;
	int max_ttl;
	int queries;
	int count;
	int64_t interval_us;
	uint32_t wait_ms;
	int psize;
	int flow;			/* the flow it starts with; -1 none */
	int flows;			/* --flows: flows per hop, 0 or 1: one;
					 * with mda, the most it may probe */
	int mda;			/* --mda: confidence (95, 99); 0 off */
	int pmtu;			/* --pmtu */
	double rate_pps;		/* --rate; 0 none */
	const char *compare;		/* --compare's label; NULL (copied) */
	int worker;			/* the worker its probes go to (an
					 * index); -1 any */
	const char *worker_name;	/* its name (copied); NULL for -1 */
};

/* One probe to send: which slot, and at which ttl. */
struct ht_trace_send {
	uint32_t slot;
	int ttl;
};

/* NULL when out of memory. */
struct ht_trace *ht_trace_new(const struct ht_trace_params *p,
			      const struct ht_trace_hooks *hooks);
void ht_trace_free(struct ht_trace *t);

/* Emit HT_EV_TRACE_START; cycle 0 is due at NOW. */
void ht_trace_start(struct ht_trace *t, int64_t now_us);

/*
 * The next probe due at NOW: 1 and *OUT filled, or 0 when none is due (see
 * ht_trace_next_due).  The caller sends it and calls ht_trace_sent.
 */
int ht_trace_next(struct ht_trace *t, int64_t now_us, struct ht_trace_send *out);
void ht_trace_sent(struct ht_trace *t, uint32_t slot, int64_t now_us);
/*
 * What the probe of SLOT, in flight, went out as: its size in bytes (0
 * the default) and flow (-1 none).  Called for each send of it, the last
 * one wins (--pmtu sends a probe again smaller after packet-too-big).
 */
void ht_trace_sent_as(struct ht_trace *t, uint32_t slot, int size, int flow);
/* When a probe next falls due; -1 when nothing is left to send. */
int64_t ht_trace_next_due(const struct ht_trace *t);

/* A probe's result (ignored when the trace has ended or the slot is not in
 * flight). */
void ht_trace_result(struct ht_trace *t, uint32_t slot,
		     const struct hp_result *r, int64_t now_us);
/* Names the trace waited for may have settled: emit what is complete. */
void ht_trace_names_settled(struct ht_trace *t, int64_t now_us);
/* End at once (worker failure, local error): emit the summary.  With
 * HT_REASON_WORKER_FAILED each probe still in flight is emitted first, as
 * a probe with result HP_WORKER_FAILED (it was lost with its worker). */
void ht_trace_abort(struct ht_trace *t, enum ht_reason reason,
		    const char *detail, int64_t now_us);

/*
 * The live view's endless cycles.  ht_trace_restart: an ended trace with
 * nothing in flight starts again from cycle 0 (another TRACE_START,
 * same index), its results forgotten; cycle 0 falls due at START_US.
 * -1, nothing changed, when it has not ended or probes are still out
 * (their results would land in the new round's slots).
 * ht_trace_delay: the cycles not sent yet fall due DELTA_US later (the
 * caller paused sending for that long).
 */
int ht_trace_restart(struct ht_trace *t, int64_t start_us);
void ht_trace_delay(struct ht_trace *t, int64_t delta_us);

int ht_trace_ended(const struct ht_trace *t);
int ht_trace_reached(const struct ht_trace *t);
unsigned ht_trace_index(const struct ht_trace *t);
/* Probes sent and not yet given a result. */
unsigned ht_trace_in_flight(const struct ht_trace *t);

/* The probe a slot stands for (for building the request): its ttl, and
 * its query within the cycle; -1 for a slot that is not one. */
int ht_trace_slot_ttl(const struct ht_trace *t, uint32_t slot);
int ht_trace_slot_query(const struct ht_trace *t, uint32_t slot);
/* The flow (from 0, below --flows) the probe of a slot belongs to; -1 for
 * a slot that is not one. */
int ht_trace_slot_flow(const struct ht_trace *t, uint32_t slot);

/*
 * The flow (from 0) of query QUERY of a hop's cycle of QUERIES queries
 * over FLOWS flows (pure).  Each flow's probes are consecutive queries,
 * flow 0's first: a balancer that alternates per packet then splits the
 * probes of one flow whatever the number of flows.  (Flow Q mod K, the
 * flows interleaved, would send every Kth probe through a 2-way round
 * robin the same way for even K: each flow would keep one next hop, and
 * the balancer would look as if it split per flow.)  0 when FLOWS is 0
 * or 1.
 */
unsigned ht_trace_query_flow(unsigned query, unsigned queries,
			     unsigned flows);

#endif

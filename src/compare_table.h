/*
 * compare_table.h: --compare's side-by-side block (pure): one row per hop
 * number with each item's responder, loss and average round-trip time in
 * a column group of its own, and the verdict lines under it.
 *
 * The renderer (render_compare.c) turns each item's hops and summary into
 * a column; these functions only lay out and judge, so that a test can
 * give them invented columns.
 */
#ifndef HOPTRACE_COMPARE_TABLE_H
#define HOPTRACE_COMPARE_TABLE_H

#include "events.h"
#include "render.h"

/* One hop of one item. */
struct ht_compare_cell {
	int ttl;
	const char *responder;		/* shown text; NULL: nobody answered */
	unsigned sent;
	unsigned received;
	double avg_us;			/* -1: no answer had a time */
	int tos;			/* the quoted TOS / traffic class of
					 * its answers; -1 none quoted */
};

/* One item: its hops in ttl order and how its trace ended. */
struct ht_compare_column {
	const char *label;		/* "udp:53" */
	const struct ht_compare_cell *cells;
	unsigned cell_count;
	int ended;			/* a TRACE_END came */
	int reached;
	enum ht_reason reason;
	int distance;			/* ttl of the target's answer */
	const char *detail;		/* the trace end's sentence */
};

/*
 * The table: a line with each label over its group, a line of column
 * names, then a row per hop number any item showed, lowest first.  A hop
 * an item did not show is blank in its group; one nobody answered is
 * "???".  Responder columns are as wide as their longest entry.
 */
void ht_compare_table(struct ht_outbuf *out,
		      const struct ht_compare_column *cols, unsigned n);

/* Where an item's trace stopped. */
enum ht_compare_stop {
	HT_COMPARE_REACHED = 0,		/* the target answered, at `hop` */
	HT_COMPARE_UNREACHABLE,		/* an unreachable came from `hop` */
	HT_COMPARE_SILENT,		/* nothing answered beyond `hop` (0:
					 * no hop answered) */
	HT_COMPARE_NOT_TRACED,		/* unresolved, refused, cut short
					 * before any hop */
	HT_COMPARE_RUNNING,		/* never ended (the run was cut) */
	HT_COMPARE_LOST			/* its worker was lost, after `hop`
					 * answered (0: none) */
};

struct ht_compare_outcome {
	enum ht_compare_stop stop;
	int hop;
};

void ht_compare_outcome_of(const struct ht_compare_column *c,
			   struct ht_compare_outcome *out);

/* How the quoted TOS changed along an item's path. */
struct ht_compare_tos {
	int first;			/* the first hop's quoted value; -1:
					 * no hop quoted one */
	int rewritten_at;		/* first hop quoting another value
					 * than the hop before; 0 never */
	int to;				/* the value quoted there */
	int last_hop;			/* highest hop that quoted one */
};

void ht_compare_tos_of(const struct ht_compare_column *c,
		       struct ht_compare_tos *out);

/*
 * The verdict: when every item stopped alike (and the TOS went alike), one
 * line "verdict: every NOUN ..." (NOUN "item" for --compare, "worker"
 * for --each).  Else a line per item that differs from
 * the first, "LABEL: WHERE IT STOPS, FIRST-LABEL WHERE THAT STOPS"
 * ("udp:53: no answer beyond hop 2, icmp reaches the target at hop 3"),
 * and a line per item whose quoted TOS was rewritten elsewhere than the
 * first item's ("tcp:443: TOS 0x00 rewritten to 0x20 at hop 2, icmp
 * keeps 0x00 up to hop 3").
 */
void ht_compare_verdict(struct ht_outbuf *out,
			const struct ht_compare_column *cols, unsigned n,
			const char *noun);

#endif

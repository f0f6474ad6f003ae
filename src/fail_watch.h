/*
 * fail_watch.h: --fail-on over an event stream (pure): the hops of every
 * trace kept until it ends, then each condition evaluated (fail_on.h).
 *
 * One implementation for the live run (run.c) and the replay of a
 * recording (replay_run.c), so that a recorded run fails on the same
 * conditions, with the same words, as it did live.  The watch does no
 * I/O: the sentences it writes go into a buffer the caller puts on
 * standard error.
 */
#ifndef HOPTRACE_FAIL_WATCH_H
#define HOPTRACE_FAIL_WATCH_H

#include "events.h"
#include "fail_on.h"
#include "render.h"

struct ht_fail_watch;

/* A watch of the COUNT conditions at EXPRS (kept by pointer: they must
 * outlive it); NULL when out of memory. */
struct ht_fail_watch *ht_fail_watch_new(const struct ht_fail_expr *exprs,
					unsigned count);
void ht_fail_watch_free(struct ht_fail_watch *w);

/*
 * Take one event.  A hop is kept for its trace; at the trace's end every
 * condition is evaluated and each that holds adds one line to MSGS:
 *
 *   hoptrace: TARGET: --fail-on 'EXPR' holds: WHY
 *
 * (TARGET as the trace-start gave it, EXPR in its normal form).  Returns
 * the number of conditions that held at this event, or -1 when memory ran
 * out (which also counts as failing, and says so in MSGS).
 */
int ht_fail_watch_event(struct ht_fail_watch *w, const struct ht_event *ev,
			struct ht_outbuf *msgs);

/* 1 once some condition has held (or memory ran out), else 0. */
int ht_fail_watch_failed(const struct ht_fail_watch *w);

#endif

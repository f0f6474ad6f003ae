/*
 * engine_rate.c: set-rate, a ceiling on probes a second (hopprobe(8),
 * EXTENSIONS, rate).
 *
 * A probe that finds no token in the bucket (rate_bucket.h), or finds
 * others already waiting, waits here after admission, before it has a
 * route, an identity or a deadline: nothing it would hold is held while it
 * waits, and its timeout starts when it leaves, like any probe's.  Waiting
 * probes keep the order they came in and are never dropped; they count
 * against the in-flight limit, so memory stays bounded and a client that
 * writes faster than the rate hears probes-exhausted as it would from a
 * full table.  One timer, run by the loop, wakes when the next token is
 * due; the set-rate command itself never waits, so a client can raise the
 * rate for the probes already waiting.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine_internal.h"

/*
 * The build's ceiling (configure --with-max-rate; 0: none).  `make check`
 * builds a second worker with a ceiling of its own defined here.
 */
#ifndef RATE_CEILING_PPS
#define RATE_CEILING_PPS HOPPROBE_MAX_RATE
#endif

#define RING_FIRST_CAP 64u

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Room for one more waiting probe: the ring doubled, its order kept. */
static bool ring_grow(struct engine_rate *r)
{
	uint32_t cap = r->cap ? r->cap * 2 : RING_FIRST_CAP, wrapped;
	struct rate_waiting *ring;

	if (r->count < r->cap)
		return true;
	ring = realloc(r->ring, (size_t)cap * sizeof(*ring));
	if (!ring)
		return false;
	/* The part that had wrapped round to the front moves behind. */
	wrapped = r->head + r->count > r->cap ? r->head + r->count - r->cap : 0;
	memcpy(ring + r->cap, ring, (size_t)wrapped * sizeof(*ring));
	r->ring = ring;
	r->cap = cap;
	return true;
}

/* Wake for the next token while probes wait. */
static void arm(struct engine *e)
{
	struct engine_rate *r = &e->rate;
	uint64_t wait;

	ev_timer_stop(e->loop, &r->timer);
	if (r->count == 0)
		return;
	wait = rate_bucket_wait_ns(&r->bucket, mono_ns(), r->count);
	ev_timer_set(&r->timer, (double)wait / 1e9, 0);
	ev_timer_start(e->loop, &r->timer);
}

/*
 * Send as many of the waiting probes, oldest first, as the bucket has
 * tokens for, flushing as engine_io.c does for a chunk of requests so
 * that a large release is sent and answered as it goes.
 */
static void release(struct engine *e)
{
	struct engine_rate *r = &e->rate;
	uint32_t n, k;

	n = rate_bucket_take(&r->bucket, mono_ns(), r->count);
	for (k = 0; k < n; k++) {
		/* A copy: the outbound points into it while it is sent. */
		struct rate_waiting w = r->ring[r->head];
		struct outbound ob;

		r->head = (r->head + 1) % r->cap;
		r->count--;
		memset(&ob, 0, sizeof(ob));
		ob.req = &w.req;
		ob.token = w.token;
		ob.scope_id = w.scope_id;
		ob.ifindex = w.ifindex;
		engine_probe_dispatch(e, &ob);
		if ((k + 1) % ENGINE_FLUSH_EVERY == 0)
			engine_flush_all(e);
	}
	if (n % ENGINE_FLUSH_EVERY != 0)
		engine_flush_all(e);
	arm(e);
}

static void on_rate_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	release(w->data);
}

void engine_rate_init(struct engine *e)
{
	struct engine_rate *r = &e->rate;

	memset(r, 0, sizeof(*r));
	/* Under a ceiling the worker starts at it, set-rate or not. */
	rate_bucket_set(&r->bucket, RATE_CEILING_PPS, mono_ns());
	ev_init(&r->timer, on_rate_timer);
	r->timer.data = e;
}

/* Probes still waiting are dropped unanswered, like those in flight. */
void engine_rate_free(struct engine *e)
{
	struct engine_rate *r = &e->rate;

	ev_timer_stop(e->loop, &r->timer);
	free(r->ring);
	r->ring = NULL;
	r->count = r->cap = r->head = 0;
}

/*
 * An admitted probe: true when it waits (or, without memory to wait, was
 * answered), false when it may leave at once.
 */
bool engine_rate_hold(struct engine *e, const struct outbound *ob)
{
	struct engine_rate *r = &e->rate;
	struct rate_waiting *w;

	if (r->bucket.pps == 0)
		return false;
	if (r->count == 0 && rate_bucket_take(&r->bucket, mono_ns(), 1) == 1)
		return false;
	if (!ring_grow(r)) {
		engine_emit_errno(e, ob->token, ENOMEM);
		return true;
	}
	w = &r->ring[(r->head + r->count) % r->cap];
	w->req = *ob->req;
	w->token = ob->token;
	w->scope_id = ob->scope_id;
	w->ifindex = ob->ifindex;
	r->count++;
	if (!ev_is_active(&r->timer))
		arm(e);
	return true;
}

/* TOKEN set-rate pps N: answered with the rate granted, then applied. */
void engine_rate_command(struct engine *e, const struct request *req)
{
	uint32_t pps = rate_clamp(req->rate_pps, RATE_CEILING_PPS);

	rate_bucket_set(&e->rate.bucket, pps, mono_ns());
	engine_emit(e, e->line, reply_format_rate(req->token, pps, e->line,
						  sizeof(e->line)));
	if (e->rate.count > 0)
		release(e);
}

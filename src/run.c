/*
 * run.c: one run of hoptrace (see run.h).
 *
 * Data flows one way: targets are resolved (dns.c), each becomes a trace
 * (trace.c) once the workers are ready; traces hand out probes, which go to
 * the workers through the client library within a global in-flight cap;
 * results go back to their trace, which turns them into events; names
 * arrive through names.c as events too; every event goes to the renderer,
 * whose output is written to stdout before the loop next waits.
 *
 * Scheduling without scans: traces that may have a probe to send now are in
 * a ring (`active`); one that has nothing due leaves it and, if it will
 * have something later (its next cycle), waits in `sleepers` for the one
 * cycle timer.  Probes are sent from an ev_prepare watcher, once per loop
 * iteration, so that the results of one wake-up are all taken before new
 * probes go out.
 *
 * The live view (live_view.h) takes the events instead of a renderer.
 * Without -c its cycles never end: a trace runs LIVE_ROUND_CYCLES cycles,
 * and once it has ended and its last probes are back it starts again
 * (ht_trace_restart) where the next cycle falls due, so a trace's slots
 * stay bounded however long the view runs.  `p` holds every probe not yet
 * sent, and moves the cycles not yet sent later by the time paused.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "dns.h"
#include "fail_watch.h"
#include "live_view.h"
#include "names.h"
#include "pmtu.h"
#include "record.h"
#include "render.h"
#include "renderer_for.h"
#include "run.h"
#include "source_addr.h"
#include "trace.h"

/* PACKAGE_VERSION: config.h, from configure.ac's AC_INIT alone. */
#ifndef PACKAGE_VERSION
#error "PACKAGE_VERSION comes from config.h"
#endif

/* --flow auto: flows a trace tries when its source port is taken. */
#define HT_FLOW_MOVES 8

/* Cycles of one round of a live trace without -c (see the top). */
#define LIVE_ROUND_CYCLES 20

/* Probes one run may plan (see setup); about 200 bytes each. */
#define RUN_MAX_SLOTS 4000000u

struct ht_run;

/* A worker of the run, as the run sees it. */
struct run_worker {
	struct hp_worker *handle;	/* the client library's */
	int remote;			/* the source is not ours to find */
	int lost;			/* failed */
	int announced;			/* HT_EV_WORKER_LOST emitted */
	int cut;			/* a trace of it ended unfinished */
	unsigned traces;		/* traces on it not yet ended */
	char message[512];		/* why it was lost */
};

/* The callback argument of one probe: which trace, which slot. */
struct probe_ctx {
	struct ht_run *run;
	struct ht_trace *trace;
	uint32_t slot;
	int size;			/* what it last went out as */
	int flow;
	int flow_base;			/* its trace's first flow then */
};

enum target_state {
	TARGET_RESOLVING = 0,
	TARGET_RESOLVED,
	TARGET_UNRESOLVED,
	TARGET_STARTED
};

struct target {
	struct ht_run *run;
	unsigned index;
	const char *host;
	int port;
	/* How its probes go: the command line's protocol and port, or its
	 * --compare item's (trace T is item T % N of target T / N). */
	const struct ht_compare_item *item;	/* NULL without --compare */
	enum hp_protocol protocol;
	int probe_port;			/* 0: the protocol's default */
	int worker;			/* the worker it goes to; -1 any */
	int family;			/* to resolve it in; 0 any */
	enum target_state state;
	struct hp_addr address;
	char error[64];
	struct ht_trace *trace;
	struct probe_ctx *ctx;		/* one per slot */
	int active;			/* in the active ring */
	int sleeping;			/* in sleepers */
	int flow;			/* this trace's (its first, with
					 * --flows); -1 none */
	unsigned flow_moves;		/* address-in-use: flows tried after */
	int size;			/* --pmtu: the size probes go out at */
	/* The live view: the target answered some probe (it counts as
	 * reached when the user ends the view); the trace ended and waits
	 * for its last probes to start its next round; when that round is
	 * due. */
	int answered;
	int restart_pending;
	int64_t round_start_us;
};

struct ht_run {
	struct ev_loop *loop;
	const struct ht_config *cfg;
	struct hp_client *client;
	struct ht_dns *dns;
	struct ht_names *names;
	struct ht_renderer *renderer;
	struct ht_outbuf out;
	struct ht_record *record;	/* --record FILE; NULL none */
	int record_failed;		/* writing it failed: exit 3 */
	struct ht_fail_watch *watch;	/* --fail-on; NULL none */
	struct ht_outbuf fail_msgs;	/* its sentences, for stderr */
	struct target *targets;
	unsigned target_count;
	unsigned ended;
	unsigned reached;
	unsigned workers_started;
	unsigned workers_ready;
	unsigned workers_failed;
	int started;			/* RUN_START emitted */
	int finished;			/* RUN_END emitted */
	const char *worker_version;
	struct ht_worker_info *worker_infos;	/* one per worker spec */
	struct run_worker *worker_state;	/* one per worker spec */
	unsigned worker_count;
	int pinned;			/* traces go to one worker each */
	unsigned workers_lost;		/* with traces pinned to them */
	char run_id[33];		/* 128 random bits in hex */
	int lack_flow;			/* a ready worker has no `flow` */
	int lack_rtt_ns;		/* ... no `rtt-ns` */
	struct hp_addr source;		/* -s, parsed */
	unsigned in_flight;
	int fatal_status;		/* 0 or the exit status of a failure */
	/* The active ring and the sleepers (see the top). */
	struct target **ring;
	unsigned ring_head;
	unsigned ring_len;
	struct target **sleepers;
	unsigned sleeper_count;
	ev_timer cycle_timer;
	ev_prepare prepare;
	int64_t start_us;
	/* The live view; NULL for the other formats. */
	struct ht_live_ui *live;
	int endless;			/* live without -c: rounds (the top) */
	int paused;			/* `p`: nothing is sent */
	int64_t paused_us;		/* when */
	int quit;			/* the user ended the view */
};

static int64_t wall_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* ---- output ---------------------------------------------------------------- */

/* --record FILE: what was written failed (said once on stderr); the run
 * goes on and exits 3. */
static void record_check(struct ht_run *run, int rc)
{
	char err[300];

	if (rc == 0 || run->record_failed)
		return;
	run->record_failed = 1;
	ht_record_error(run->record, err, sizeof(err));
	fprintf(stderr, "hoptrace: %s\n", err);
}

static void flush_out(struct ht_run *run)
{
	size_t done = 0;

	while (done < run->out.len) {
		ssize_t n = write(STDOUT_FILENO, run->out.data + done,
				  run->out.len - done);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			fd_set w;

			/* Someone gave us a non-blocking stdout: wait. */
			FD_ZERO(&w);
			FD_SET(STDOUT_FILENO, &w);
			(void)select(STDOUT_FILENO + 1, NULL, &w, NULL, NULL);
			continue;
		}
		/* A reader that went away (`| head`): stop quietly. */
		if (!run->fatal_status)
			run->fatal_status = 1;
		run->out.len = 0;
		ev_break(run->loop, EVBREAK_ALL);
		return;
	}
	ht_outbuf_reset(&run->out);
	if (run->record && !run->record_failed)
		record_check(run, ht_record_flush(run->record));
}

/* The exit status as things stand (see run.h). */
static int run_status(const struct ht_run *run)
{
	if (run->fatal_status)
		return run->fatal_status;
	if (run->record_failed)
		return 3;
	if (run->workers_lost)
		return 4;
	return run->reached == run->target_count &&
	       !ht_fail_watch_failed(run->watch) ? 0 : 1;
}

static void emit(void *arg, const struct ht_event *ev)
{
	struct ht_run *run = arg;

	if (run->live) {
		if (ev->kind == HT_EV_PROBE &&
		    ev->u.probe.result.kind == HP_REPLY &&
		    ev->u.probe.trace < run->target_count)
			run->targets[ev->u.probe.trace].answered = 1;
		ht_live_ui_event(run->live, ev);
	} else {
		ht_renderer_event(run->renderer, ev, &run->out);
	}
	if (run->record && !run->record_failed)
		record_check(run, ht_record_event(run->record, ev));
	if (!run->watch)
		return;
	(void)ht_fail_watch_event(run->watch, ev, &run->fail_msgs);
	if (run->fail_msgs.len) {
		/* What was already rendered goes out before the message. */
		flush_out(run);
		fwrite(run->fail_msgs.data, 1, run->fail_msgs.len, stderr);
		ht_outbuf_reset(&run->fail_msgs);
	}
}

/* ---- the end --------------------------------------------------------------- */

static void finish_run(struct ht_run *run)
{
	struct ht_event ev;

	if (run->finished)
		return;
	run->finished = 1;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_RUN_END;
	ev.u.run_end.end_us = wall_us();
	ev.u.run_end.reached = run->reached;
	ev.u.run_end.not_reached = run->target_count - run->reached;
	ev.u.run_end.exit_status = run_status(run);
	emit(run, &ev);
	flush_out(run);
	ev_break(run->loop, EVBREAK_ALL);
}

static void ensure_started(struct ht_run *run)
{
	struct ht_event ev;

	if (run->started)
		return;
	run->started = 1;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_RUN_START;
	ev.u.run_start.version = PACKAGE_VERSION;
	ev.u.run_start.worker_version = run->worker_version;
	ev.u.run_start.start_us = run->start_us;
	ev.u.run_start.target_count = run->target_count;
	ev.u.run_start.compare_items = run->cfg->compare_count;
	ev.u.run_start.run_id = run->cfg->run_id ? run->cfg->run_id :
						  run->run_id;
	ev.u.run_start.worker_count = run->worker_count;
	ev.u.run_start.workers = run->worker_infos;
	ev.u.run_start.each_workers = run->cfg->each ? run->worker_count : 0;
	ev.u.run_start.shard_index = run->cfg->shard_index;
	ev.u.run_start.shard_count = run->cfg->shard_count;
	ev.u.run_start.seed = run->cfg->seed;
	emit(run, &ev);
}

static void ring_push(struct ht_run *run, struct target *tg);

static int64_t round_us(const struct ht_run *run)
{
	return (int64_t)llround(run->cfg->interval_s * 1e6) *
	       LIVE_ROUND_CYCLES;
}

/* The live view's next round of TG, once its last probes are back. */
static void maybe_restart(struct ht_run *run, struct target *tg)
{
	int64_t now = wall_us(), due;

	if (!tg->restart_pending || ht_trace_in_flight(tg->trace))
		return;
	due = tg->round_start_us + round_us(run);
	if (due < now)
		due = now;
	if (ht_trace_restart(tg->trace, due) < 0)
		return;
	tg->restart_pending = 0;
	tg->round_start_us = due;
	ring_push(run, tg);
}

static void trace_ended(struct ht_run *run, struct target *tg)
{
	if (run->endless && !run->fatal_status && !run->quit &&
	    !run->finished) {
		tg->restart_pending = 1;
		maybe_restart(run, tg);
		return;
	}
	run->ended++;
	if (tg->worker >= 0 && run->worker_state[tg->worker].traces > 0)
		run->worker_state[tg->worker].traces--;
	if (ht_trace_reached(tg->trace))
		run->reached++;
	if (run->ended == run->target_count)
		finish_run(run);
}

static int make_trace(struct ht_run *run, struct target *tg);

/* End every trace not yet ended with REASON (a failure of the run). */
static void abort_all(struct ht_run *run, enum ht_reason reason,
		      const char *detail)
{
	unsigned i;

	ensure_started(run);
	for (i = 0; i < run->target_count; i++) {
		struct target *tg = &run->targets[i];

		if (!tg->trace && make_trace(run, tg) < 0)
			continue;
		if (tg->state != TARGET_STARTED) {
			ht_trace_start(tg->trace, wall_us());
			tg->state = TARGET_STARTED;
		}
		if (!ht_trace_ended(tg->trace)) {
			ht_trace_abort(tg->trace, reason, detail, wall_us());
			trace_ended(run, tg);
		}
	}
	finish_run(run);
}

/* The live view ended by the user: every target that answered counts as
 * reached, and the run ends as it is. */
static void live_quit(void *arg)
{
	struct ht_run *run = arg;
	unsigned i;

	if (run->finished)
		return;
	run->quit = 1;
	run->reached = 0;
	for (i = 0; i < run->target_count; i++)
		if (run->targets[i].answered)
			run->reached++;
	finish_run(run);
}

static void live_pause(void *arg, int paused)
{
	struct ht_run *run = arg;
	int64_t now = wall_us();
	unsigned i;

	if (paused == run->paused)
		return;
	run->paused = paused;
	if (paused) {
		run->paused_us = now;
		return;
	}
	for (i = 0; i < run->target_count; i++) {
		struct target *tg = &run->targets[i];

		if (!tg->trace || tg->state != TARGET_STARTED)
			continue;
		ht_trace_delay(tg->trace, now - run->paused_us);
		tg->round_start_us += now - run->paused_us;
		if (!ht_trace_ended(tg->trace))
			ring_push(run, tg);
	}
}

static void fatal(struct ht_run *run, int status, enum ht_reason reason,
		  const char *message)
{
	if (run->fatal_status >= 2)
		return;
	run->fatal_status = status;
	/* What was already rendered goes out before the message. */
	flush_out(run);
	fprintf(stderr, "hoptrace: %s\n", message);
	abort_all(run, reason, message);
}

/* ---- scheduling ------------------------------------------------------------ */

static void on_result_cb(void *arg, const struct hp_result *r);

static void ring_push(struct ht_run *run, struct target *tg)
{
	if (tg->active)
		return;
	tg->active = 1;
	run->ring[(run->ring_head + run->ring_len++) % run->target_count] = tg;
}

static struct target *ring_pop(struct ht_run *run)
{
	struct target *tg = run->ring[run->ring_head];

	run->ring_head = (run->ring_head + 1) % run->target_count;
	run->ring_len--;
	tg->active = 0;
	return tg;
}

static void arm_cycle_timer(struct ht_run *run, int64_t due_us)
{
	double after = (double)(due_us - wall_us()) / 1e6;

	if (after < 0)
		after = 0;
	if (ev_is_active(&run->cycle_timer)) {
		if (ev_timer_remaining(run->loop, &run->cycle_timer) <= after)
			return;
		ev_timer_stop(run->loop, &run->cycle_timer);
	}
	ev_timer_set(&run->cycle_timer, after, 0);
	ev_timer_start(run->loop, &run->cycle_timer);
}

/* The auto flows: 28232 and the 4535 after it. */
#define AUTO_FLOW_FIRST 28232
#define AUTO_FLOW_COUNT 4536

/*
 * The first flow of trace INDEX under --flow auto: one per trace (FLOWS
 * of them with --flows), different for the traces of one run and,
 * through the pid, most likely for two runs at once.  Flows 28232-32767
 * put UDP, TCP and SCTP probes on source ports 61000-65535 (hopprobe(8),
 * flow), above Linux's default ephemeral range, where no connection of
 * this host has its port.
 */
static int auto_flow(unsigned index, unsigned flows, unsigned moves)
{
	unsigned base = (unsigned)getpid() * 2654435761u;

	return AUTO_FLOW_FIRST + (int)((base + index * flows + moves * 997u) %
				       AUTO_FLOW_COUNT);
}

static int flows_of(const struct ht_config *cfg)
{
	return cfg->flows > 1 ? cfg->flows : 1;
}

/* The I-th flow of TG (its first is tg->flow): the next numbers, within
 * the auto range for --flow auto. */
static int flow_at(const struct ht_run *run, const struct target *tg,
		   int i)
{
	if (tg->flow < 0)
		return -1;
	if (run->cfg->flow == HT_FLOW_AUTO)
		return AUTO_FLOW_FIRST + (tg->flow - AUTO_FLOW_FIRST + i) %
					 AUTO_FLOW_COUNT;
	return (tg->flow + i) % 65536;
}

static void fill_probe(struct ht_run *run, struct target *tg,
		       const struct probe_ctx *ctx, struct hp_probe *p)
{
	const struct ht_config *cfg = run->cfg;
	int ttl = ht_trace_slot_ttl(ctx->trace, ctx->slot);

	hp_probe_init(p);
	p->dest = tg->address;
	p->protocol = tg->protocol;
	p->ttl = ttl;
	p->port = tg->probe_port;
	p->local_port = cfg->source_port;
	p->source = run->source;
	p->device = cfg->interface;
	p->tos = cfg->tos;
	p->size = cfg->psize;
	p->bit_pattern = cfg->pattern;
	p->mark = cfg->mark;
	p->timeout_ms = cfg->wait_ms;
	/* With --flows, each hop and cycle probes every flow, the probes of
	 * one flow back to back (ht_trace_query_flow says why). */
	p->flow = flow_at(run, tg, ht_trace_slot_flow(ctx->trace, ctx->slot));
	p->reply_details = 1;
	p->rtt_ns = cfg->rtt_ns;
	if (cfg->pmtu) {
		p->dont_fragment = 1;
		p->size = tg->size;
	}
}

/* Send CTX's probe (again); 0, or -1 and errno as hp_client_send. */
static int send_slot(struct ht_run *run, struct target *tg,
		     struct probe_ctx *ctx, int first)
{
	struct hp_probe p;

	fill_probe(run, tg, ctx, &p);
	if (hp_client_send_to(run->client, tg->worker >= 0 ?
				  run->worker_state[tg->worker].handle : NULL,
			      &p, on_result_cb, ctx) < 0)
		return -1;
	if (first)
		ht_trace_sent(ctx->trace, ctx->slot, wall_us());
	ctx->size = p.size;
	ctx->flow = p.flow;
	ctx->flow_base = tg->flow;
	ht_trace_sent_as(ctx->trace, ctx->slot, p.size, p.flow);
	run->in_flight++;
	return 0;
}

/* Send what is due, within the global cap, taking traces in turn. */
static void pump(struct ht_run *run)
{
	int64_t now = wall_us();

	while (run->ring_len && run->in_flight < run->cfg->max_inflight &&
	       !run->fatal_status && !run->paused) {
		struct target *tg = ring_pop(run);
		struct ht_trace_send s;
		int64_t due;

		if (ht_trace_ended(tg->trace) ||
		    (tg->worker >= 0 && run->worker_state[tg->worker].lost))
			continue;
		if (ht_trace_next(tg->trace, now, &s)) {
			struct probe_ctx *ctx = &tg->ctx[s.slot];

			if (send_slot(run, tg, ctx, 1) < 0) {
				if (errno == EINVAL)
					fatal(run, 2, HT_REASON_LOCAL_ERROR,
					      "the probe options are out of "
					      "the range the worker takes");
				else
					fatal(run, 3, HT_REASON_WORKER_FAILED,
					      "no worker is left to send probes");
				return;
			}
			ring_push(run, tg);
			continue;
		}
		due = ht_trace_next_due(tg->trace);
		if (due >= 0 && !tg->sleeping) {
			tg->sleeping = 1;
			run->sleepers[run->sleeper_count++] = tg;
			arm_cycle_timer(run, due);
		}
	}
}

static void on_cycle_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ht_run *run = w->data;
	int64_t now = wall_us(), next = -1;
	unsigned i, kept = 0;

	(void)loop;
	(void)revents;
	for (i = 0; i < run->sleeper_count; i++) {
		struct target *tg = run->sleepers[i];
		int64_t due = ht_trace_next_due(tg->trace);

		if (due < 0 || ht_trace_ended(tg->trace)) {
			tg->sleeping = 0;
		} else if (due <= now) {
			tg->sleeping = 0;
			ring_push(run, tg);
		} else {
			run->sleepers[kept++] = tg;
			if (next < 0 || due < next)
				next = due;
		}
	}
	run->sleeper_count = kept;
	if (next >= 0)
		arm_cycle_timer(run, next);
}

/* Before the loop waits: send what is due, write what was rendered. */
static void on_prepare(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ht_run *run = w->data;

	(void)loop;
	(void)revents;
	pump(run);
	flush_out(run);
}

/* ---- results --------------------------------------------------------------- */

/* Exit status and words for a probe the worker refused; 0 for others. */
static int refusal_status(const struct ht_config *cfg, enum hp_kind k,
			  const char **why)
{
	switch (k) {
	case HP_PERMISSION_DENIED:
		*why = "the worker lacks the privilege for this probe "
		       "(raw sockets, SCTP or --mark need CAP_NET_RAW)";
		return 3;
	case HP_ADDRESS_NOT_AVAILABLE:
		*why = cfg->source ? "the source address given with "
				     "-s/--source is not usable toward it" :
				     "no usable source address";
		return 2;
	case HP_ADDRESS_IN_USE:
		*why = cfg->source_port ? "the source port (-L/--sport) is "
					  "in use" :
		       "the source port of the flow (--flow) is in use";
		return 2;
	case HP_INVALID_ARGUMENT:
		*why = "the worker found a probe option invalid";
		return 2;
	case HP_UNEXPECTED_ERROR:
		*why = "sending failed unexpectedly";
		return 3;
	default:
		return 0;
	}
}

/*
 * A result that makes the probe go out again instead of being shown: 1
 * when it was sent again.
 *  - worker-failed: to a worker still alive (each failure ends a worker,
 *    so this is bounded); with none left, the failed callback ends the run
 *    and the trace shows the probe lost.  Not for a trace pinned to its
 *    worker (--each, --split): there the probe is lost with the worker;
 *  - --pmtu's packet-too-big: smaller (pmtu.h), and every later probe of
 *    the trace with it; each time smaller, so bounded;
 *  - --flow auto's address-in-use (the flow's source port is taken): the
 *    trace moves to another flow, at most HT_FLOW_MOVES times.
 */
static int send_again(struct ht_run *run, struct target *tg,
		      struct probe_ctx *ctx, const struct hp_result *r)
{
	const struct ht_config *cfg = run->cfg;

	if (ht_trace_ended(ctx->trace))
		return 0;
	if (r->kind == HP_WORKER_FAILED && tg->worker < 0 &&
	    hp_client_live_workers(run->client) > 0)
		return send_slot(run, tg, ctx, 0) == 0;
	if (r->kind == HP_PACKET_TOO_BIG && cfg->pmtu) {
		int next = ht_pmtu_next(tg->address.family, ctx->size, r);

		if (next <= 0)
			return 0;
		if (next < tg->size)
			tg->size = next;
		return send_slot(run, tg, ctx, 0) == 0;
	}
	if (r->kind == HP_ADDRESS_IN_USE && cfg->flow == HT_FLOW_AUTO &&
	    !cfg->source_port && ctx->flow >= 0) {
		if (ctx->flow_base == tg->flow) {
			if (tg->flow_moves >= HT_FLOW_MOVES)
				return 0;
			tg->flow = auto_flow(tg->index,
					     (unsigned)flows_of(cfg),
					     ++tg->flow_moves);
		}
		return send_slot(run, tg, ctx, 0) == 0;
	}
	return 0;
}

/* End TG, whose worker was lost: what it learnt stays. */
static void end_lost_trace(struct ht_run *run, struct target *tg)
{
	struct run_worker *rw = &run->worker_state[tg->worker];
	const struct ht_worker_info *info = &run->worker_infos[tg->worker];
	const char *why = rw->message;
	size_t n = strlen(info->command);
	char detail[600];

	if (!rw->cut) {
		rw->cut = 1;
		run->workers_lost++;
	}
	/* The library's message starts "worker 'COMMAND' ": the name says
	 * which worker, and the detail is short enough to read. */
	if (strncmp(why, "worker '", 8) == 0 &&
	    strncmp(why + 8, info->command, n) == 0 &&
	    strncmp(why + 8 + n, "' ", 2) == 0)
		snprintf(detail, sizeof(detail), "the worker %s was lost: it %s",
			 info->name, why + 10 + n);
	else
		snprintf(detail, sizeof(detail), "the worker %s was lost: %s",
			 info->name, why);
	ht_trace_abort(tg->trace, HT_REASON_WORKER_FAILED, detail, wall_us());
}

static void on_result_cb(void *arg, const struct hp_result *r)
{
	struct probe_ctx *ctx = arg;
	struct ht_run *run = ctx->run;
	struct target *tg = &run->targets[ht_trace_index(ctx->trace)];
	const char *why = NULL;
	int status;

	run->in_flight--;
	if (run->finished)
		return;
	if (send_again(run, tg, ctx, r))
		return;
	status = refusal_status(run->cfg, r->kind, &why);
	if (status) {
		char msg[256], addr[HP_ADDR_TEXT];

		hp_addr_format(&tg->address, addr, sizeof(addr));
		if (r->kind == HP_UNEXPECTED_ERROR)
			snprintf(msg, sizeof(msg),
				 "probe to %s: %s (unexpected-error, errno %d: %s)",
				 addr, why, r->error_number,
				 strerror(r->error_number));
		else
			snprintf(msg, sizeof(msg), "probe to %s: %s (%s)",
				 addr, why, hp_kind_name(r->kind));
		fatal(run, status, HT_REASON_LOCAL_ERROR, msg);
		return;
	}
	if (ht_trace_ended(ctx->trace)) {
		/* Only counted, for the live view's next round. */
		if (tg->restart_pending) {
			ht_trace_result(ctx->trace, ctx->slot, r, wall_us());
			maybe_restart(run, tg);
		}
		return;
	}
	ht_trace_result(ctx->trace, ctx->slot, r, wall_us());
	if (ht_trace_ended(ctx->trace))
		trace_ended(run, tg);
	else
		ring_push(run, tg);
}

/* ---- names ----------------------------------------------------------------- */

static int names_hook(void *arg, struct ht_trace *trace,
		      const struct hp_addr *addr, const char **name,
		      const char **asn)
{
	struct ht_run *run = arg;

	return ht_names_get(run->names, trace, addr, name, asn);
}

static void names_wake(void *arg, struct ht_trace *trace)
{
	struct ht_run *run = arg;
	struct target *tg = &run->targets[ht_trace_index(trace)];

	if (ht_trace_ended(trace))
		return;
	ht_trace_names_settled(trace, wall_us());
	if (ht_trace_ended(trace))
		trace_ended(run, tg);
}

/* ---- traces ---------------------------------------------------------------- */

/* The trace's probes may go out from another host. */
static int trace_is_remote(const struct ht_run *run, const struct target *tg)
{
	unsigned i;

	if (tg->worker >= 0)
		return run->worker_state[tg->worker].remote;
	for (i = 0; i < run->worker_count; i++)
		if (run->worker_state[i].remote)
			return 1;
	return 0;
}

static int make_trace(struct ht_run *run, struct target *tg)
{
	const struct ht_config *cfg = run->cfg;
	struct ht_trace_params p;
	struct ht_trace_hooks hooks = { emit, names_hook, run };
	size_t slots, i;

	memset(&p, 0, sizeof(p));
	p.index = tg->index;
	p.target = tg->host;
	p.address = tg->address;
	/* Where the worker runs on another host, the source address that
	 * routing picks here says nothing about it: unknown unless -s. */
	if (run->source.family)
		p.source = run->source;
	else if (tg->address.family && !trace_is_remote(run, tg))
		(void)ht_source_for(&tg->address, cfg->interface, &p.source);
	p.protocol = tg->protocol;
	p.port = tg->probe_port;
	p.compare = tg->item ? tg->item->label : NULL;
	p.worker = tg->worker;
	p.worker_name = tg->worker >= 0 ? run->worker_infos[tg->worker].name :
					  NULL;
	if (p.protocol == HP_ICMP)
		p.port = 0;
	else if (!p.port && p.protocol != HP_UDP)
		p.port = 80;	/* the worker's default, said in the header */
	p.first_ttl = cfg->first_ttl;
	p.max_ttl = cfg->max_ttl;
	p.queries = cfg->queries * flows_of(cfg);
	p.count = run->endless ? LIVE_ROUND_CYCLES : cfg->count;
	p.interval_us = (int64_t)llround(cfg->interval_s * 1e6);
	p.wait_ms = cfg->wait_ms;
	p.psize = cfg->psize;
	/* Without `flow` in every worker, --flow auto is off: the library
	 * would send the flow to some workers only. */
	if (cfg->flow >= 0)
		tg->flow = cfg->flow;
	else if (cfg->flow == HT_FLOW_AUTO && !run->lack_flow)
		tg->flow = auto_flow(tg->index, (unsigned)flows_of(cfg), 0);
	else
		tg->flow = -1;
	p.flow = tg->flow;
	p.flows = flows_of(cfg);
	p.mda = cfg->mda;
	/* --pmtu starts as large as a packet can be: the worker answers a
	 * probe larger than the local link at once with that link's MTU. */
	tg->size = cfg->psize ? cfg->psize : HT_PMTU_START;
	p.pmtu = cfg->pmtu;
	p.rate_pps = cfg->rate_pps;
	tg->trace = ht_trace_new(&p, &hooks);
	if (!tg->trace)
		return -1;
	slots = (size_t)(p.max_ttl - p.first_ttl + 1) * (size_t)p.count *
		(size_t)p.queries;
	tg->ctx = calloc(slots, sizeof(*tg->ctx));
	if (!tg->ctx)
		return -1;
	for (i = 0; i < slots; i++) {
		tg->ctx[i].run = run;
		tg->ctx[i].trace = tg->trace;
		tg->ctx[i].slot = (uint32_t)i;
	}
	return 0;
}

static void emit_worker_lost(struct ht_run *run, unsigned k);

/*
 * --split: TG goes to the live worker with the fewest traces not yet
 * ended (the least busy; the first of those in --worker order), and
 * stays there.  -1 when none is left (the failed callback ends the run).
 */
static int assign_worker(struct ht_run *run, struct target *tg)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < run->worker_count; i++) {
		const struct run_worker *rw = &run->worker_state[i];

		if (rw->lost || !hp_worker_is_ready(rw->handle))
			continue;
		if (best < 0 || rw->traces < run->worker_state[best].traces)
			best = (int)i;
	}
	if (best < 0)
		return -1;
	tg->worker = best;
	run->worker_state[best].traces++;
	return 0;
}

/* Start every target that can start: workers ready, address known. */
static void start_targets(struct ht_run *run)
{
	unsigned i;

	/*
	 * Every worker answers check-support (or fails) first, within the
	 * library's start-up timeout: probes then spread over all of them
	 * from the start, whichever started faster.
	 */
	if (run->workers_ready == 0 || run->fatal_status ||
	    run->workers_ready + run->workers_failed < run->workers_started)
		return;
	if (!run->started && run->cfg->rtt_ns && run->lack_rtt_ns)
		fprintf(stderr, "hoptrace: --ns: the worker has no kernel time "
			"stamps (check-support rtt-ns is not ok): times are to "
			"the microsecond\n");
	ensure_started(run);
	for (i = 0; i < run->worker_count && run->pinned; i++)
		if (run->worker_state[i].lost)
			emit_worker_lost(run, i);
	for (i = 0; i < run->target_count && !run->fatal_status; i++) {
		struct target *tg = &run->targets[i];

		if (tg->state != TARGET_RESOLVED && tg->state != TARGET_UNRESOLVED)
			continue;
		if (run->cfg->split && assign_worker(run, tg) < 0)
			return;
		if (make_trace(run, tg) < 0) {
			fatal(run, 3, HT_REASON_LOCAL_ERROR, "out of memory");
			return;
		}
		tg->round_start_us = wall_us();
		ht_trace_start(tg->trace, tg->round_start_us);
		if (tg->state == TARGET_UNRESOLVED) {
			char detail[160];

			tg->state = TARGET_STARTED;
			if (tg->item)
				snprintf(detail, sizeof(detail), "%s: cannot "
					 "resolve %s: %s", tg->item->label,
					 tg->host, tg->error);
			else
				snprintf(detail, sizeof(detail),
					 "cannot resolve %s: %s", tg->host,
					 tg->error);
			fprintf(stderr, "hoptrace: %s\n", detail);
			ht_trace_abort(tg->trace, HT_REASON_UNRESOLVED, detail,
				       wall_us());
			trace_ended(run, tg);
			continue;
		}
		tg->state = TARGET_STARTED;
		if (tg->worker >= 0 && run->worker_state[tg->worker].lost) {
			/* --each: its worker failed before the start. */
			end_lost_trace(run, tg);
			trace_ended(run, tg);
			continue;
		}
		ring_push(run, tg);
	}
	/* An empty shard (--shard): nothing to trace, the records still
	 * say the run happened. */
	if (run->target_count == 0)
		finish_run(run);
}

static void on_resolved(void *arg, const struct hp_addr *addrs, unsigned n,
			const char *error)
{
	struct target *tg = arg;

	if (n > 0) {
		tg->address = addrs[0];
		tg->state = TARGET_RESOLVED;
	} else {
		snprintf(tg->error, sizeof(tg->error), "%s",
			 error ? error : "no address");
		tg->state = TARGET_UNRESOLVED;
	}
	start_targets(tg->run);
}

/* ---- workers --------------------------------------------------------------- */

/* The feature a trace of this configuration needs, or NULL when all are
 * there; FAMILY 0 checks only the protocol. */
static const char *missing_feature(const struct hp_worker *w,
				   const struct ht_config *cfg,
				   enum hp_protocol protocol, int family)
{
	static const char *const proto_feature[] = { "icmp", "udp", "tcp",
						      "sctp" };

	if (!hp_worker_supports(w, "send-probe"))
		return "send-probe";
	if (!hp_worker_supports(w, proto_feature[protocol]))
		return proto_feature[protocol];
	if (family == AF_INET && !hp_worker_supports(w, "ip-4"))
		return "ip-4";
	if (family == AF_INET6 && !hp_worker_supports(w, "ip-6"))
		return "ip-6";
	if (cfg->mark >= 0 && !hp_worker_supports(w, "mark"))
		return "mark";
	if (cfg->flow >= 0 && !hp_worker_supports(w, "flow"))
		return "flow";
	if (cfg->pmtu && !hp_worker_supports(w, "dont-fragment"))
		return "dont-fragment";
	return NULL;
}

static void on_worker_ready(void *arg, struct hp_worker *w)
{
	struct ht_run *run = arg;
	const char *missing;
	unsigned i;

	run->workers_ready++;
	if (!run->worker_version)
		run->worker_version = hp_worker_feature(w, "version");
	if (!hp_worker_supports(w, "flow"))
		run->lack_flow = 1;
	if (!hp_worker_supports(w, "rtt-ns"))
		run->lack_rtt_ns = 1;
	missing = missing_feature(w, run->cfg, run->cfg->protocol, 0);
	for (i = 0; !missing && i < run->target_count; i++)
		missing = missing_feature(w, run->cfg,
					  run->targets[i].protocol,
					  run->targets[i].address.family);
	if (missing) {
		char msg[300];

		snprintf(msg, sizeof(msg),
			 "the worker '%s' cannot do this here: check-support "
			 "%s answered '%s' (is it installed with CAP_NET_RAW, "
			 "setuid, or run as root?%s)",
			 hp_worker_command(w), missing,
			 hp_worker_feature(w, missing) ?
				 hp_worker_feature(w, missing) : "nothing",
			 strcmp(missing, "icmp") == 0 ?
				 " Unprivileged ICMP also needs the user's "
				 "group in net.ipv4.ping_group_range" : "");
		fatal(run, 3, HT_REASON_WORKER_FAILED, msg);
		return;
	}
	start_targets(run);
}

/* The index of W among the run's workers; -1 when not one. */
static int worker_index(const struct ht_run *run, const struct hp_worker *w)
{
	unsigned i;

	for (i = 0; i < run->worker_count; i++)
		if (run->worker_state[i].handle == w)
			return (int)i;
	return -1;
}

/* Say that worker K was lost: the event, with its probes still out. */
static void emit_worker_lost(struct ht_run *run, unsigned k)
{
	struct run_worker *rw = &run->worker_state[k];
	struct ht_event ev;
	unsigned i, lost = 0;

	if (rw->announced)
		return;
	rw->announced = 1;
	for (i = 0; i < run->target_count; i++) {
		const struct target *tg = &run->targets[i];

		if (tg->worker == (int)k && tg->trace &&
		    !ht_trace_ended(tg->trace))
			lost += ht_trace_in_flight(tg->trace);
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_WORKER_LOST;
	ev.u.worker_lost.worker = k;
	ev.u.worker_lost.message = rw->message;
	ev.u.worker_lost.probes_lost = lost;
	ev.u.worker_lost.at_us = wall_us();
	emit(run, &ev);
}

/*
 * Worker K, lost, had traces pinned to it: say so, and end them there,
 * each probe still out a worker-failed one (the library's completions of
 * them, right after the failed callback, find their traces ended).
 */
static void announce_lost(struct ht_run *run, unsigned k)
{
	unsigned i;

	emit_worker_lost(run, k);
	for (i = 0; i < run->target_count && !run->finished; i++) {
		struct target *tg = &run->targets[i];

		if (tg->worker != (int)k || !tg->trace ||
		    ht_trace_ended(tg->trace))
			continue;
		end_lost_trace(run, tg);
		trace_ended(run, tg);
	}
}

static void on_worker_failed(void *arg, struct hp_worker *w,
			     const char *message)
{
	struct ht_run *run = arg;
	int k = worker_index(run, w);

	if (run->finished)
		return;
	run->workers_failed++;
	if (hp_worker_is_ready(w))
		run->workers_ready--;
	if (k >= 0) {
		run->worker_state[k].lost = 1;
		snprintf(run->worker_state[k].message,
			 sizeof(run->worker_state[k].message), "%s", message);
	}
	if (hp_client_live_workers(run->client) > 0) {
		if (k >= 0 && run->pinned) {
			fprintf(stderr, "hoptrace: %s (its traces end there; "
				"going on with the others)\n", message);
			/* Before the start, start_targets says it. */
			if (run->started)
				announce_lost(run, (unsigned)k);
		} else {
			fprintf(stderr, "hoptrace: %s (going on with the "
				"others)\n", message);
		}
		start_targets(run);
		return;
	}
	if (k >= 0 && run->started)
		emit_worker_lost(run, (unsigned)k);
	fatal(run, 3, HT_REASON_WORKER_FAILED, message);
}

/* ---- the run --------------------------------------------------------------- */

/*
 * How TG's probes go: the command line's protocol and port (TARGET:PORT
 * before -p), or with --compare those of item ITEM, whose own parts win
 * (compare.h); the family it resolves in: the item's, -4/-6, the
 * source's, or any.
 */
static void target_probe(const struct ht_config *cfg, const struct ht_run *run,
			 struct target *tg, unsigned item)
{
	struct ht_compare_probe pr;
	int family = cfg->family ? cfg->family : run->source.family;
	int port = tg->port ? tg->port : cfg->port;

	if (cfg->compare_count) {
		tg->item = &cfg->compare[item];
		ht_compare_effective(tg->item, cfg->protocol, port, family,
				     &pr);
		tg->protocol = pr.protocol;
		tg->probe_port = pr.port;
		tg->family = pr.family;
		return;
	}
	tg->protocol = cfg->protocol;
	tg->probe_port = cfg->protocol == HP_ICMP ? 0 : port;
	tg->family = family;
}

/* 128 bits from the kernel's generator in hex: runs of one campaign from
 * many machines do not collide (--run-id gives one of the user's). */
static void make_run_id(char *buf, size_t len)
{
	unsigned char bits[16];
	size_t i;

	if (getrandom(bits, sizeof(bits), 0) != (ssize_t)sizeof(bits)) {
		/* No generator: time and pid still tell runs apart. */
		uint64_t t = (uint64_t)wall_us(), pid = (uint64_t)getpid();

		for (i = 0; i < 8; i++) {
			bits[i] = (unsigned char)(t >> (8 * i));
			bits[8 + i] = (unsigned char)(pid >> (8 * i));
		}
	}
	for (i = 0; i < sizeof(bits) && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", bits[i]);
}

static int setup(struct ht_run *run, const struct ht_config *cfg,
		 const struct ht_worker_spec *workers, unsigned worker_count)
{
	struct hp_client_callbacks cb = { on_worker_ready, on_worker_failed,
					  run };
	struct hp_client_options copts;
	struct ht_names_hooks nhooks = { emit, names_wake, run };
	char err[256];
	unsigned i;
	int need_dns = !cfg->numeric || cfg->asn;
	int count = run->endless ? LIVE_ROUND_CYCLES : cfg->count;
	unsigned items = cfg->compare_count ? cfg->compare_count : 1;

	run->start_us = wall_us();
	make_run_id(run->run_id, sizeof(run->run_id));
	/* With --compare every target is traced once per item, with --each
	 * once per worker (the two exclude each other: options.c). */
	if (cfg->each)
		items = worker_count;
	run->target_count = cfg->target_count * items;
	/* Every probe of a run has its slot, kept until the end for the hop
	 * records: refuse runs whose slots would not fit in memory. */
	if ((double)run->target_count * (cfg->max_ttl - cfg->first_ttl + 1) *
		    count * cfg->queries * flows_of(cfg) > RUN_MAX_SLOTS) {
		fprintf(stderr, "hoptrace: too many probes for one run: %u "
			"traces x %d hops x %d cycles x %d queries x %d "
			"flows is above %u; lower -c, -q, -m or --flows\n",
			run->target_count, cfg->max_ttl - cfg->first_ttl + 1,
			count, cfg->queries, flows_of(cfg),
			(unsigned)RUN_MAX_SLOTS);
		return 2;
	}
	run->targets = calloc(run->target_count, sizeof(*run->targets));
	run->ring = calloc(run->target_count, sizeof(*run->ring));
	run->sleepers = calloc(run->target_count, sizeof(*run->sleepers));
	if (!run->targets || !run->ring || !run->sleepers) {
		fprintf(stderr, "hoptrace: out of memory\n");
		return 3;
	}
	if (cfg->source && hp_addr_parse(cfg->source, &run->source) < 0) {
		fprintf(stderr, "hoptrace: option -s/--source: '%s' is not an "
			"address\n", cfg->source);
		return 2;
	}
	if (cfg->interface && if_nametoindex(cfg->interface) == 0) {
		fprintf(stderr, "hoptrace: option -I/--interface: no "
			"interface '%s' here\n", cfg->interface);
		return 2;
	}
	for (i = 0; i < run->target_count; i++) {
		struct target *tg = &run->targets[i];
		const struct ht_target *arg = &cfg->targets[i / items];

		tg->run = run;
		tg->index = i;
		tg->host = arg->host;
		tg->port = arg->port;
		/* --split assigns its worker when it starts; one worker has
		 * them all; spread over several, none. */
		tg->worker = cfg->each ? (int)(i % items) :
			     worker_count == 1 ? 0 : -1;
		target_probe(cfg, run, tg, cfg->each ? 0 : i % items);
		if (hp_addr_parse(tg->host, &tg->address) == 0 &&
		    tg->family && tg->address.family != tg->family) {
			/* A literal of the other family than its item's:
			 * that item says so, the others run. */
			snprintf(tg->error, sizeof(tg->error), "it is an "
				 "IPv%c address, the item is IPv%c",
				 tg->address.family == AF_INET ? '4' : '6',
				 tg->family == AF_INET ? '4' : '6');
			memset(&tg->address, 0, sizeof(tg->address));
			tg->state = TARGET_UNRESOLVED;
		} else if (tg->address.family) {
			tg->state = TARGET_RESOLVED;
			if (run->source.family &&
			    run->source.family != tg->address.family) {
				fprintf(stderr, "hoptrace: target %s and "
					"source %s are of different IP "
					"versions\n", tg->host, cfg->source);
				return 2;
			}
		} else {
			need_dns = 1;
		}
	}

	ht_outbuf_init(&run->out);
	if (cfg->live == 1) {
		struct ht_live_view_hooks lh = { live_pause, live_quit, run };

		/* Last of the checks above: their messages are not held. */
		run->live = ht_live_ui_new(run->loop, cfg, &lh, err,
					   sizeof(err));
		if (!run->live) {
			fprintf(stderr, "hoptrace: --live: %s\n", err);
			return 3;
		}
	} else {
		run->renderer = ht_renderer_for(cfg, cfg->target_count);
		if (!run->renderer) {
			fprintf(stderr, "hoptrace: out of memory\n");
			return 3;
		}
	}
	ht_outbuf_init(&run->fail_msgs);
	if (cfg->fail_on_count) {
		run->watch = ht_fail_watch_new(cfg->fail_on,
					       cfg->fail_on_count);
		if (!run->watch) {
			fprintf(stderr, "hoptrace: out of memory\n");
			return 3;
		}
	}
	if (cfg->record) {
		/* Before any worker starts: a file that cannot be written
		 * is a usage error, found before anything is probed. */
		run->record = ht_record_open(cfg->record,
					     ht_renderer_for_format(cfg,
						cfg->target_count,
						HT_FMT_JSONL),
					     err, sizeof(err));
		if (!run->record) {
			fprintf(stderr, "hoptrace: %s\n", err);
			return 2;
		}
	}

	if (need_dns) {
		run->dns = ht_dns_new(run->loop, cfg->dns_timeout_s, err,
				      sizeof(err));
		if (!run->dns) {
			fprintf(stderr, "hoptrace: cannot start the resolver: "
				"%s\n", err);
			return 3;
		}
	}
	run->names = ht_names_new(run->dns, !cfg->numeric, cfg->asn,
				  cfg->asn_zone4, cfg->asn_zone6, &nhooks);
	if (!run->names) {
		fprintf(stderr, "hoptrace: out of memory\n");
		return 3;
	}

	memset(&copts, 0, sizeof(copts));
	/* The global cap is ours; a worker's window only has to hold it,
	 * or is --worker-window. */
	copts.window = cfg->max_inflight < 65536 ? cfg->max_inflight : 65536;
	if (cfg->worker_window)
		copts.window = cfg->worker_window;
	run->client = hp_client_new(run->loop, &copts, &cb);
	if (!run->client) {
		fprintf(stderr, "hoptrace: out of memory\n");
		return 3;
	}
	if (cfg->rate_pps > 0 &&
	    hp_client_set_rate(run->client, cfg->rate_pps) < 0) {
		fprintf(stderr, "hoptrace: option --rate: %g is not a rate\n",
			cfg->rate_pps);
		return 2;
	}
	run->worker_infos = calloc(worker_count ? worker_count : 1,
				   sizeof(*run->worker_infos));
	run->worker_state = calloc(worker_count ? worker_count : 1,
				   sizeof(*run->worker_state));
	if (!run->worker_infos || !run->worker_state) {
		fprintf(stderr, "hoptrace: out of memory\n");
		return 3;
	}
	run->worker_count = worker_count;
	for (i = 0; i < worker_count; i++) {
		run->worker_infos[i].name = workers[i].name ?
					    workers[i].name :
					    workers[i].command;
		run->worker_infos[i].command = workers[i].command;
		run->worker_state[i].remote = workers[i].remote;
	}
	run->pinned = cfg->each || cfg->split || worker_count == 1;
	for (i = 0; i < worker_count; i++) {
		run->worker_state[i].handle =
			hp_client_add_worker(run->client, workers[i].command,
					     workers[i].use_shell, err,
					     sizeof(err));
		if (!run->worker_state[i].handle) {
			fprintf(stderr, "hoptrace: cannot start the worker "
				"'%s': %s\n", workers[i].command, err);
			return 3;
		}
		run->workers_started++;
	}

	for (i = 0; i < run->target_count; i++) {
		struct target *tg = &run->targets[i];

		if (tg->state == TARGET_RESOLVING)
			ht_dns_resolve(run->dns, tg->host, tg->family,
				       on_resolved, tg);
	}
	return 0;
}

int ht_run(const struct ht_config *cfg, const struct ht_worker_spec *workers,
	   unsigned worker_count)
{
	struct ht_run run;
	unsigned i;
	int status, ran = 0;

	memset(&run, 0, sizeof(run));
	run.cfg = cfg;
	run.endless = cfg->live == 1 && !cfg->count_given;
	/*
	 * A loop of our own, not the default one: the default loop reaps
	 * every child on SIGCHLD, and the client library wants the exit
	 * status of its workers for its messages.
	 */
	run.loop = ev_loop_new(EVFLAG_NOENV);
	if (!run.loop) {
		fprintf(stderr, "hoptrace: cannot start the event loop\n");
		return 3;
	}
	ev_timer_init(&run.cycle_timer, on_cycle_timer, 0, 0);
	run.cycle_timer.data = &run;
	ev_prepare_init(&run.prepare, on_prepare);
	run.prepare.data = &run;
	ev_prepare_start(run.loop, &run.prepare);

	status = setup(&run, cfg, workers, worker_count);
	if (status == 0) {
		ran = 1;
		ev_run(run.loop, 0);
		flush_out(&run);
		status = run_status(&run);
	}

	/* The terminal back before anything else can fail or print; the
	 * last screen stays in view when the cycles ran out or the run
	 * failed, not when the user quit. */
	ht_live_ui_end(run.live, ran && !run.quit);
	ev_prepare_stop(run.loop, &run.prepare);
	ev_timer_stop(run.loop, &run.cycle_timer);
	/* The client first: it calls nothing back once it is being freed. */
	hp_client_free(run.client);
	ht_dns_free(run.dns);
	ht_names_free(run.names);
	ht_renderer_free(run.renderer);
	ht_outbuf_free(&run.out);
	if (ht_record_close(run.record) < 0 && status == 0 &&
	    !run.record_failed) {
		char err[300];

		ht_record_error(run.record, err, sizeof(err));
		fprintf(stderr, "hoptrace: %s\n", err);
		status = 3;
	}
	ht_record_free(run.record);
	ht_fail_watch_free(run.watch);
	ht_outbuf_free(&run.fail_msgs);
	for (i = 0; run.targets && i < run.target_count; i++) {
		ht_trace_free(run.targets[i].trace);
		free(run.targets[i].ctx);
	}
	free(run.targets);
	free(run.worker_infos);
	free(run.worker_state);
	free(run.ring);
	free(run.sleepers);
	ev_loop_destroy(run.loop);
	return status;
}

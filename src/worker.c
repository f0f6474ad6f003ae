/*
 * worker.c: one worker of the client library (client.h), on the caller's
 * libev loop; the client above it (queue, dispatch, the API's entry
 * points, hp_client_free) is client.c, the process itself worker_spawn.c.
 *
 * Structure.  A struct hp_worker (worker_internal.h) is one child
 * process: ev_io watchers on its three pipes, a bounded line buffer for
 * its stdout, an output buffer for its stdin (written when writable,
 * never dropped), a slot table that hands out tokens, and one FIFO of
 * probes in flight per distinct timeout value, each with one timer for its
 * head (no scan over probes).  A struct hp_pending is one probe from
 * hp_client_send() until its callback.
 *
 * A probe's life: hpw_send() gives it a slot (token), writes its request
 * line and appends it to its timeout list.  The answer line finds the
 * slot by token (index and generation, so a stale or invented token is
 * caught) and the callback runs.  `probes-exhausted` puts it back at the
 * front of the client's queue and pauses this worker.  Without
 * timeout-ms, the list's timer also completes it with HP_NO_REPLY at its
 * own deadline; its token stays taken until the worker answers too.
 *
 * A worker's life: STARTING (check-support questions out, start-up
 * timer), READY, then either given up by us (stall, nonsense, start-up
 * timeout: killed and reported at once) or found dying (end of its
 * stdout, or EPIPE: reported when a short polling timer has collected
 * its exit status); then FAILED, its struct kept until hp_client_free()
 * because the caller may still hold it.  Every watcher callback that can
 * call back runs between hpc_enter() and hpc_leave() and stops calling
 * back as soon as the client is closing (see client.c); err_cb only
 * fills the stderr tail.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wire.h"
#include "worker_internal.h"

#define WORKER_DEFAULT_TIMEOUT_S 10.0	/* a probe sent without timeout */
#define NONSENSE_SHOWN 200		/* bytes of a bad line in a message */
#define READS_PER_WAKEUP 8
#define BACKOFF_MIN_S 0.010
#define BACKOFF_MAX_S 0.5
#define REAP_INTERVAL_S 0.005		/* waitpid(WNOHANG) polling */
#define REAP_EOF_WAIT_S 0.5		/* exited, stdout still open */
#define REAP_KILL_S 1.0			/* closed its pipes, still running */
#define REAP_GIVE_UP_S 2.0
#define TIMER_SLACK_S 1e-4

/*
 * Tokens: the slot index in the low 20 bits, a generation of 11 bits
 * (1..2047, never 0) above, so that no token is 0 (the token of
 * command-parse-error) and a token reused by a slot is not taken for its
 * previous probe's.
 */
#define SLOT_BITS 20
#define SLOT_MAX HPW_SLOT_MAX
#define GEN_MAX 2047u
#define SLOT_NONE UINT32_MAX

/* The start-up questions, in the order hp_worker.feature_value keeps. */
const char *const hpw_features[HPW_FEATURE_COUNT] = {
	"version", "send-probe", "ip-4", "ip-6", "icmp", "udp", "tcp",
	"sctp", "mark", "timeout-ms", "reply-details", "flow",
	"dont-fragment", "rtt-ns", "link-events", "rate",
};
#define FEATURE_COUNT HPW_FEATURE_COUNT
#define FEATURE_FIRST_EXTENSION 9

/* The wire bit of each extension above, from "timeout-ms" on. */
static const unsigned extension_bits[FEATURE_COUNT -
				     FEATURE_FIRST_EXTENSION] = {
	HP_WIRE_HAS_TIMEOUT_MS, HP_WIRE_HAS_REPLY_DETAILS, HP_WIRE_HAS_FLOW,
	HP_WIRE_HAS_DONT_FRAGMENT, HP_WIRE_HAS_RTT_NS,
	HP_WIRE_HAS_LINK_EVENTS, HP_WIRE_HAS_RATE,
};

static void worker_fail(struct hp_worker *w, const char *reason);

/* ---- slots and tokens --------------------------------------------------- */

static uint32_t slot_token(const struct hp_worker *w, uint32_t idx)
{
	return ((uint32_t)w->slots[idx].gen << SLOT_BITS) | idx;
}

/* A free slot, growing the table when needed; SLOT_NONE when full. */
static uint32_t slot_alloc(struct hp_worker *w)
{
	uint32_t idx;

	if (w->free_head == SLOT_NONE) {
		uint32_t n = w->nslots ? w->nslots * 2 : 64, i;
		struct hp_slot *s;

		if (n > SLOT_MAX)
			n = SLOT_MAX;
		if (n <= w->nslots)
			return SLOT_NONE;
		s = realloc(w->slots, n * sizeof(*s));
		if (!s)
			return SLOT_NONE;
		for (i = n; i-- > w->nslots;) {
			s[i].probe = NULL;
			s[i].gen = 1;
			s[i].feature = -1;
			s[i].used = false;
			s[i].next_free = w->free_head;
			w->free_head = i;
		}
		w->slots = s;
		w->nslots = n;
	}
	idx = w->free_head;
	w->free_head = w->slots[idx].next_free;
	w->slots[idx].used = true;
	w->slots[idx].probe = NULL;
	w->slots[idx].feature = -1;
	return idx;
}

static void slot_release(struct hp_worker *w, uint32_t idx)
{
	struct hp_slot *s = &w->slots[idx];

	s->used = false;
	s->probe = NULL;
	s->gen = s->gen >= GEN_MAX ? 1 : s->gen + 1;
	s->next_free = w->free_head;
	w->free_head = idx;
}

/* The slot TOKEN names now, or SLOT_NONE for a token not in flight. */
static uint32_t slot_find(const struct hp_worker *w, uint32_t token)
{
	uint32_t idx = token & (SLOT_MAX - 1);

	if (idx >= w->nslots || !w->slots[idx].used ||
	    w->slots[idx].gen != token >> SLOT_BITS)
		return SLOT_NONE;
	return idx;
}

/* ---- the output buffer -------------------------------------------------- */

static bool outbuf_append(struct hp_outbuf *o, const char *p, size_t n)
{
	if (o->tail + n > o->cap && o->head > 0) {
		memmove(o->data, o->data + o->head, o->tail - o->head);
		o->tail -= o->head;
		o->head = 0;
	}
	if (o->tail + n > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *d;

		while (cap < o->tail + n)
			cap *= 2;
		d = realloc(o->data, cap);
		if (!d)
			return false;
		o->data = d;
		o->cap = cap;
	}
	memcpy(o->data + o->tail, p, n);
	o->tail += n;
	return true;
}

static bool worker_write(struct hp_worker *w, const char *line, size_t n)
{
	if (w->input_closed || !outbuf_append(&w->out, line, n))
		return false;
	if (!ev_is_active(&w->in_w))
		ev_io_start(w->client->loop, &w->in_w);
	return true;
}

/* ---- timeout lists ------------------------------------------------------ */

static void tlist_cb(struct ev_loop *loop, ev_timer *t, int revents);

/* The list of W for TIMEOUT_MS, made on first use; NULL without memory. */
static struct hp_tlist *tlist_get(struct hp_worker *w, uint32_t timeout_ms)
{
	struct hp_tlist **v, *l;
	ev_tstamp wait;
	unsigned i;

	for (i = 0; i < w->nlists; i++)
		if (w->lists[i]->timeout_ms == timeout_ms)
			return w->lists[i];
	v = realloc(w->lists, (w->nlists + 1) * sizeof(*v));
	if (!v)
		return NULL;
	w->lists = v;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->worker = w;
	l->timeout_ms = timeout_ms;
	/*
	 * Without timeout-ms the worker waits whole seconds, rounded up:
	 * its answer is due then, and we answer no-reply ourselves earlier.
	 */
	if (timeout_ms == 0)
		wait = WORKER_DEFAULT_TIMEOUT_S;
	else if (w->features & HP_WIRE_HAS_TIMEOUT_MS)
		wait = timeout_ms / 1000.0;
	else
		wait = hp_wire_timeout_seconds(timeout_ms);
	l->stall_after = wait + w->client->stall_grace_s;
	l->local_after = timeout_ms &&
			 !(w->features & HP_WIRE_HAS_TIMEOUT_MS) ?
			 timeout_ms / 1000.0 : 0;
	ev_timer_init(&l->timer, tlist_cb, 0, 0);
	l->timer.data = l;
	w->lists[w->nlists++] = l;
	return l;
}

/* The next time something in L is due; 0 for an empty list. */
static ev_tstamp tlist_next(const struct hp_tlist *l)
{
	ev_tstamp t;

	if (!l->head)
		return 0;
	t = l->head->stall_at;
	if (l->local_after && l->live && l->live->local_at < t)
		t = l->live->local_at;
	return t;
}

/*
 * Arm L's timer for its next deadline.  Removing probes only makes the
 * next deadline later, so the timer is moved only when it must fire
 * earlier; a timer that fires too early finds nothing due and re-arms.
 */
static void tlist_arm(struct hp_tlist *l)
{
	struct ev_loop *loop = l->worker->client->loop;
	ev_tstamp t = tlist_next(l), after;

	if (!l->head || l->worker->eof || l->worker->input_closed ||
	    l->worker->state == W_FAILED)
		return;
	if (ev_is_active(&l->timer) && t >= l->armed_at)
		return;
	ev_timer_stop(loop, &l->timer);
	after = t - ev_now(loop);
	ev_timer_set(&l->timer, after > 0 ? after : 0, 0);
	ev_timer_start(loop, &l->timer);
	l->armed_at = t;
}

static void tlist_push(struct hp_tlist *l, struct hp_pending *p)
{
	ev_tstamp now = ev_now(l->worker->client->loop);

	p->list = l;
	p->stall_at = now + l->stall_after;
	p->local_at = l->local_after ? now + l->local_after : 0;
	p->expired = false;
	p->next = NULL;
	p->prev = l->tail;
	if (l->tail)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
	if (!l->live)
		l->live = p;
	tlist_arm(l);
}

static void tlist_remove(struct hp_pending *p)
{
	struct hp_tlist *l = p->list;

	if (l->live == p)
		l->live = p->next;
	if (p->prev)
		p->prev->next = p->next;
	else
		l->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		l->tail = p->prev;
	p->next = p->prev = NULL;
	p->list = NULL;
}

/*
 * A list's timer: first the probes whose own deadline has come (no-reply
 * from us, the token kept until the worker answers too), then the oldest
 * probe: past its stall deadline, the worker has stalled.
 */
static void tlist_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct hp_tlist *l = t->data;
	struct hp_worker *w = l->worker;
	struct hp_client *c = w->client;
	ev_tstamp now = ev_now(loop) + TIMER_SLACK_S;
	struct hp_result r;

	(void)revents;
	hpc_enter(c);
	while (l->local_after && l->live && l->live->local_at <= now &&
	       !c->closing && w->state != W_FAILED) {
		struct hp_pending *p = l->live;
		hp_result_cb cb = p->cb;

		l->live = p->next;
		p->expired = true;
		p->cb = NULL;
		c->in_flight--;
		hpc_result_empty(&r, HP_NO_REPLY);
		cb(p->arg, &r);
	}
	if (!c->closing && w->state != W_FAILED) {
		if (l->head && l->head->stall_at <= now) {
			char reason[128];

			snprintf(reason, sizeof(reason),
				 "stalled: no answer to probe %u within %.1f s",
				 (unsigned)l->head->token, l->stall_after);
			worker_fail(w, reason);
		} else {
			tlist_arm(l);
		}
	}
	hpc_leave(c);
}

bool hpw_send(struct hp_worker *w, struct hp_pending *p)
{
	char line[HP_WIRE_REQUEST_MAX];
	struct hp_tlist *l = tlist_get(w, p->probe.timeout_ms);
	uint32_t idx;
	int n;

	if (!l)
		return false;
	idx = slot_alloc(w);
	if (idx == SLOT_NONE)
		return false;
	n = hp_wire_format_probe(slot_token(w, idx), &p->probe,
				 w->features, line, sizeof(line));
	if (n < 0 || !worker_write(w, line, (size_t)n)) {
		slot_release(w, idx);
		return false;
	}
	w->slots[idx].probe = p;
	p->token = slot_token(w, idx);
	tlist_push(l, p);
	w->outstanding++;
	w->client->in_flight++;
	hp_pace_take(&w->pace, ev_now(w->client->loop));
	return true;
}

bool hpw_can_take(const struct hp_worker *w, bool room_only)
{
	if (w->state != W_READY || w->eof || w->input_closed ||
	    ev_is_active(&w->backoff_timer) || w->outstanding >= w->window)
		return false;
	return room_only || hp_pace_ready(&w->pace, ev_now(w->client->loop));
}

/*
 * The library's spacing: the share, or the worker's grant when that is
 * lower (a build with --with-max-rate).
 */
static void worker_pace_apply(struct hp_worker *w)
{
	double rate = w->rate_share;

	if (rate > 0 && w->rate_granted > 0 && w->rate_granted < rate)
		rate = (double)w->rate_granted;
	hp_pace_set(&w->pace, rate, ev_now(w->client->loop));
}

void hpw_set_share(struct hp_worker *w, double share)
{
	char line[HP_WIRE_REQUEST_MAX];
	int64_t ask;
	uint32_t idx;
	int n;

	w->rate_share = share > 0 ? share : 0;
	worker_pace_apply(w);
	if (!(w->features & HP_WIRE_HAS_RATE))
		return;
	/* Whole probes a second, rounded up: the library's own spacing is
	 * the exact share. */
	if (w->rate_share >= (double)UINT32_MAX) {
		ask = UINT32_MAX;
	} else {
		ask = (int64_t)w->rate_share;
		if ((double)ask < w->rate_share)
			ask++;
	}
	if (ask == w->rate_asked || (ask == 0 && w->rate_asked < 0))
		return;
	idx = slot_alloc(w);
	if (idx == SLOT_NONE)
		return;
	w->slots[idx].feature = HPW_SLOT_RATE;
	n = hp_wire_format_set_rate(slot_token(w, idx), (uint32_t)ask, line,
				    sizeof(line));
	if (n < 0 || !worker_write(w, line, (size_t)n)) {
		slot_release(w, idx);
		return;
	}
	w->rate_asked = ask;
	w->rate_granted = -1;
}

/* ---- failure ------------------------------------------------------------ */

static void reap_cb(struct ev_loop *loop, ev_timer *t, int revents);

void hpw_stop_watchers(struct hp_worker *w)
{
	struct ev_loop *loop = w->client->loop;
	unsigned i;

	ev_io_stop(loop, &w->in_w);
	ev_io_stop(loop, &w->out_w);
	ev_io_stop(loop, &w->err_w);
	ev_timer_stop(loop, &w->start_timer);
	ev_timer_stop(loop, &w->backoff_timer);
	ev_timer_stop(loop, &w->reap_timer);
	for (i = 0; i < w->nlists; i++)
		ev_timer_stop(loop, &w->lists[i]->timer);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

bool hpw_try_reap(struct hp_worker *w)
{
	pid_t r;

	if (w->reaped)
		return true;
	do
		r = waitpid(w->pid, &w->status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == w->pid || (r < 0 && errno == ECHILD)) {
		/* ECHILD: someone else collected it; the status is lost. */
		if (r < 0)
			w->status = -1;
		w->reaped = true;
	}
	return w->reaped;
}

static void worker_kill(struct hp_worker *w)
{
	/* The whole group (worker_spawn.c): what sh started goes too, even
	 * when sh itself has already been reaped. */
	if (!w->killed) {
		kill(-w->pid, SIGKILL);
		w->killed = true;
	}
}

/* Oldest first per list; the expired ones have had their callback. */
struct hp_pending *hpw_detach_probes(struct hp_worker *w)
{
	struct hp_pending *chain = NULL, **tail = &chain;
	unsigned i;

	for (i = 0; i < w->nlists; i++) {
		struct hp_tlist *l = w->lists[i];

		while (l->head) {
			struct hp_pending *p = l->head;

			tlist_remove(p);
			slot_release(w, p->token & (SLOT_MAX - 1));
			if (p->expired) {
				free(p);
				continue;
			}
			w->client->in_flight--;
			*tail = p;
			tail = &p->next;
		}
	}
	w->outstanding = 0;
	return chain;
}

/*
 * Report W failed, once: stop it, tell the caller why, complete its
 * probes in flight and those pinned to it with HP_WORKER_FAILED, and give
 * the waiting probes to the others, or fail them too when no worker is
 * left.
 */
static void worker_report(struct hp_worker *w, const char *reason)
{
	struct hp_client *c = w->client;
	struct hp_pending *chain, *p;
	struct hp_result r;
	char *msg;

	if (w->state == W_FAILED)
		return;
	w->state = W_FAILED;
	c->live--;
	hpw_stop_watchers(w);
	if (w->err_fd >= 0)
		hp_tail_drain(&w->err_tail, w->err_fd);
	close_fd(&w->in_fd);
	close_fd(&w->out_fd);
	close_fd(&w->err_fd);
	worker_kill(w);
	if (!hpw_try_reap(w)) {
		w->dying_since = ev_now(c->loop);
		ev_timer_set(&w->reap_timer, REAP_INTERVAL_S, REAP_INTERVAL_S);
		ev_timer_start(c->loop, &w->reap_timer);
	}
	chain = hpw_detach_probes(w);
	msg = hp_failure_message(w->command, reason, &w->err_tail);
	if (c->cb.failed)
		c->cb.failed(c->cb.arg, w, msg ? msg : reason);
	free(msg);
	hpc_result_empty(&r, HP_WORKER_FAILED);
	while ((p = chain)) {
		chain = p->next;
		if (c->closing)
			free(p);
		else
			hpc_complete(c, p, &r);
	}
	/* Its pinned probes can go nowhere else. */
	while (!c->closing && w->phead)
		hpc_complete(c, hpc_queue_pop(c, w), &r);
	while (!c->closing && c->live == 0 && c->qhead)
		hpc_complete(c, hpc_queue_pop(c, NULL), &r);
	if (!c->closing)
		hpc_rate_update(c);
	hpc_dispatch(c);
}

/* We give up on W ourselves: kill it and report at once. */
static void worker_fail(struct hp_worker *w, const char *reason)
{
	worker_kill(w);
	worker_report(w, reason);
}

static void worker_nonsense(struct hp_worker *w, const char *line, size_t n)
{
	char shown[4 * NONSENSE_SHOWN + 8], reason[sizeof(shown) + 32];

	hp_escape(line, n, NONSENSE_SHOWN, true, shown, sizeof(shown));
	snprintf(reason, sizeof(reason), "answered nonsense: \"%s\"", shown);
	worker_fail(w, reason);
}

/*
 * The worker closed its stdout or its stdin: it is going.  Its exit
 * status makes the message, so poll for it briefly before reporting.
 */
static void worker_dying(struct hp_worker *w)
{
	struct ev_loop *loop = w->client->loop;
	unsigned i;

	ev_timer_stop(loop, &w->start_timer);
	for (i = 0; i < w->nlists; i++)
		ev_timer_stop(loop, &w->lists[i]->timer);
	if (!ev_is_active(&w->reap_timer)) {
		w->dying_since = ev_now(loop);
		ev_timer_set(&w->reap_timer, 0, REAP_INTERVAL_S);
		ev_timer_start(loop, &w->reap_timer);
	}
}

static void reap_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct hp_worker *w = t->data;
	struct hp_client *c = w->client;
	ev_tstamp waited = ev_now(loop) - w->dying_since;
	char reason[96];

	(void)revents;
	hpc_enter(c);
	hpw_try_reap(w);
	if (w->state == W_FAILED) {
		/* Reported already; only the zombie is left to collect. */
		if (w->reaped || waited >= REAP_GIVE_UP_S)
			ev_timer_stop(loop, t);
	} else if (w->reaped && (w->eof || waited >= REAP_EOF_WAIT_S)) {
		if (w->status == -1)
			snprintf(reason, sizeof(reason), "exited");
		else
			hp_describe_status(w->status, reason, sizeof(reason));
		worker_report(w, reason);
	} else if (waited >= REAP_GIVE_UP_S) {
		worker_fail(w, w->eof ? "closed its output" :
			    "stopped reading its input");
	} else if (waited >= REAP_KILL_S) {
		worker_kill(w);
	}
	hpc_leave(c);
}

/* ---- answers ------------------------------------------------------------ */

static void backoff_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct hp_worker *w = t->data;
	struct hp_client *c = w->client;

	(void)loop;
	(void)revents;
	hpc_enter(c);
	hpc_dispatch(c);
	hpc_leave(c);
}

/*
 * The worker's table is full: the probe goes back to the front of the
 * queue, the window shrinks to what the worker holds, and the worker
 * gets nothing new until a back-off that doubles while it lasts.
 */
static void worker_exhausted(struct hp_worker *w, struct hp_pending *p)
{
	struct hp_client *c = w->client;

	if (p->expired) {
		free(p);
	} else {
		c->in_flight--;
		hpc_queue_push_front(c, p);
	}
	w->window = w->outstanding > 1 ? w->outstanding : 1;
	if (!ev_is_active(&w->backoff_timer)) {
		ev_timer_set(&w->backoff_timer, w->backoff_s, 0);
		ev_timer_start(c->loop, &w->backoff_timer);
		w->backoff_s *= 2;
		if (w->backoff_s > BACKOFF_MAX_S)
			w->backoff_s = BACKOFF_MAX_S;
	}
}

static void worker_answer(struct hp_worker *w, uint32_t idx,
			  const struct hp_wire_reply *reply)
{
	struct hp_client *c = w->client;
	struct hp_pending *p = w->slots[idx].probe;

	tlist_remove(p);
	slot_release(w, idx);
	w->outstanding--;
	if (reply->kind == HP_WIRE_PROBES_EXHAUSTED) {
		worker_exhausted(w, p);
		return;
	}
	w->backoff_s = BACKOFF_MIN_S;
	if (w->window < c->window)
		w->window++;
	if (p->expired) {
		free(p);
		return;
	}
	c->in_flight--;
	hpc_complete(c, p, &reply->result);
}

static void worker_feature(struct hp_worker *w, uint32_t idx,
			   const struct hp_wire_reply *reply)
{
	struct hp_client *c = w->client;
	int f = w->slots[idx].feature;

	slot_release(w, idx);
	free(w->feature_value[f]);
	w->feature_value[f] = strndup(reply->support, reply->support_len);
	if (!w->feature_value[f]) {
		worker_fail(w, "could not be set up: out of memory");
		return;
	}
	if (++w->answered < FEATURE_COUNT)
		return;
	ev_timer_stop(c->loop, &w->start_timer);
	w->state = W_READY;
	w->ready = true;
	w->window = c->window;
	for (f = FEATURE_FIRST_EXTENSION; f < FEATURE_COUNT; f++)
		if (strcmp(w->feature_value[f], "ok") == 0)
			w->features |= extension_bits[f -
						      FEATURE_FIRST_EXTENSION];
	hpc_rate_update(c);
	if (c->cb.ready)
		c->cb.ready(c->cb.arg, w);
}

/* `rate-set pps N`: pace at N when that is below the share. */
static void worker_rate_answer(struct hp_worker *w, uint32_t idx,
			       const struct hp_wire_reply *reply)
{
	slot_release(w, idx);
	w->rate_granted = reply->pps;
	worker_pace_apply(w);
}

/* One line from the worker's stdout. */
static void worker_line(struct hp_worker *w, const char *line, size_t n)
{
	struct hp_wire_reply reply;
	uint32_t idx;
	bool question;

	if (hp_wire_parse_reply(line, n, &reply) != 0) {
		worker_nonsense(w, line, n);
		return;
	}
	idx = slot_find(w, reply.token);
	if (idx == SLOT_NONE) {
		worker_nonsense(w, line, n);
		return;
	}
	question = w->slots[idx].feature >= 0;
	if (w->slots[idx].feature == HPW_SLOT_RATE) {
		if (reply.kind == HP_WIRE_RATE_SET)
			worker_rate_answer(w, idx, &reply);
		else
			worker_nonsense(w, line, n);
	} else if (question && reply.kind == HP_WIRE_FEATURE_SUPPORT) {
		worker_feature(w, idx, &reply);
	} else if (!question && (hp_wire_kind_is_result(reply.kind) ||
				 reply.kind == HP_WIRE_PROBES_EXHAUSTED)) {
		worker_answer(w, idx, &reply);
	} else {
		worker_nonsense(w, line, n);
	}
}

/* Cut the read buffer into lines; keep a partial last one. */
static void worker_lines(struct hp_worker *w)
{
	struct hp_client *c = w->client;
	size_t start = 0;
	char *nl;

	while (!c->closing && w->state != W_FAILED &&
	       (nl = memchr(w->rbuf + start, '\n', w->rlen - start))) {
		size_t n = (size_t)(nl - (w->rbuf + start));

		worker_line(w, w->rbuf + start, n);
		start += n + 1;
	}
	if (c->closing || w->state == W_FAILED)
		return;
	memmove(w->rbuf, w->rbuf + start, w->rlen - start);
	w->rlen -= start;
	if (w->rlen == sizeof(w->rbuf))
		worker_nonsense(w, w->rbuf, w->rlen);
}

static void out_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct hp_worker *w = io->data;
	struct hp_client *c = w->client;
	int i;

	(void)revents;
	hpc_enter(c);
	for (i = 0; i < READS_PER_WAKEUP; i++) {
		ssize_t n = read(w->out_fd, w->rbuf + w->rlen,
				 sizeof(w->rbuf) - w->rlen);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			/* A partial last line is dropped with the worker. */
			ev_io_stop(loop, io);
			w->eof = true;
			worker_dying(w);
			break;
		}
		w->rlen += (size_t)n;
		worker_lines(w);
		if (c->closing || w->state == W_FAILED)
			break;
	}
	if (!c->closing)
		hpc_dispatch(c);
	hpc_leave(c);
}

static void in_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct hp_worker *w = io->data;
	struct hp_client *c = w->client;
	struct hp_outbuf *o = &w->out;

	(void)revents;
	hpc_enter(c);
	while (o->head < o->tail) {
		ssize_t n = write(w->in_fd, o->data + o->head,
				  o->tail - o->head);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0 && errno == EPIPE) {
			/* Its answers may still be in the stdout pipe. */
			w->input_closed = true;
			o->head = o->tail = 0;
			worker_dying(w);
			break;
		}
		if (n < 0) {
			char reason[128];

			snprintf(reason, sizeof(reason),
				 "could not be written to: %s",
				 strerror(errno));
			worker_fail(w, reason);
			break;
		}
		o->head += (size_t)n;
	}
	if (o->head == o->tail) {
		o->head = o->tail = 0;
		ev_io_stop(loop, io);
	}
	hpc_leave(c);
}

static void err_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct hp_worker *w = io->data;

	(void)revents;
	if (hp_tail_drain(&w->err_tail, w->err_fd)) {
		ev_io_stop(loop, io);
		close_fd(&w->err_fd);
	}
}

static void start_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct hp_worker *w = t->data;
	struct hp_client *c = w->client;
	char reason[96];

	(void)loop;
	(void)revents;
	hpc_enter(c);
	snprintf(reason, sizeof(reason),
		 "did not answer check-support within %.1f s",
		 c->startup_timeout_s);
	worker_fail(w, reason);
	hpc_leave(c);
}

/* ---- start and end ------------------------------------------------------ */

void hpw_free(struct hp_worker *w)
{
	unsigned i;

	for (i = 0; i < w->nlists; i++)
		free(w->lists[i]);
	free(w->lists);
	for (i = 0; i < FEATURE_COUNT; i++)
		free(w->feature_value[i]);
	free(w->slots);
	free(w->out.data);
	free(w->command);
	free(w);
}

/* Ask every start-up question; false when memory is short. */
static bool worker_ask(struct hp_worker *w)
{
	char line[HP_WIRE_REQUEST_MAX];
	unsigned f;

	for (f = 0; f < FEATURE_COUNT; f++) {
		uint32_t idx = slot_alloc(w);
		int n;

		if (idx == SLOT_NONE)
			return false;
		w->slots[idx].feature = (int16_t)f;
		n = hp_wire_format_check_support(slot_token(w, idx),
						 hpw_features[f], line,
						 sizeof(line));
		if (n < 0 || !outbuf_append(&w->out, line, (size_t)n))
			return false;
	}
	return true;
}

struct hp_worker *hp_client_add_worker(struct hp_client *c,
				       const char *command, int use_shell,
				       char *err, size_t errlen)
{
	struct hp_spawned sp;
	struct hp_worker *w;

	if (c->closing) {
		snprintf(err, errlen, "the client is being freed");
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->command = strdup(command))) {
		free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->client = c;
	w->free_head = SLOT_NONE;
	hp_pace_init(&w->pace);
	w->rate_asked = -1;
	w->rate_granted = -1;
	w->backoff_s = BACKOFF_MIN_S;
	w->window = c->window;
	hp_tail_init(&w->err_tail);
	if (!worker_ask(w)) {
		hpw_free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (hp_spawn(command, use_shell, &sp, err, errlen) != 0) {
		hpw_free(w);
		return NULL;
	}
	w->pid = sp.pid;
	w->in_fd = sp.in_fd;
	w->out_fd = sp.out_fd;
	w->err_fd = sp.err_fd;
	ev_io_init(&w->in_w, in_cb, w->in_fd, EV_WRITE);
	ev_io_init(&w->out_w, out_cb, w->out_fd, EV_READ);
	ev_io_init(&w->err_w, err_cb, w->err_fd, EV_READ);
	ev_timer_init(&w->start_timer, start_cb, c->startup_timeout_s, 0);
	ev_timer_init(&w->backoff_timer, backoff_cb, 0, 0);
	ev_timer_init(&w->reap_timer, reap_cb, 0, 0);
	w->in_w.data = w->out_w.data = w->err_w.data = w;
	w->start_timer.data = w->backoff_timer.data = w->reap_timer.data = w;
	ev_io_start(c->loop, &w->in_w);
	ev_io_start(c->loop, &w->out_w);
	ev_io_start(c->loop, &w->err_w);
	ev_timer_start(c->loop, &w->start_timer);
	if (c->workers_tail)
		c->workers_tail->next = w;
	else
		c->workers = w;
	c->workers_tail = w;
	c->live++;
	return w;
}

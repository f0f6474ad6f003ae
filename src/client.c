/*
 * client.c: the client of client.h above its workers: options, the FIFO
 * of probes waiting for a worker, dispatch to the least loaded worker with
 * room, the guard that makes callbacks safe to re-enter, the read-only
 * accessors, and the end of everything in hp_client_free() (the only
 * bounded wait).  One worker's machinery is worker.c.
 *
 * Re-entrancy.  User callbacks run only from the library's watcher
 * callbacks, each bracketed by hpc_enter()/hpc_leave().  hp_client_free()
 * inside a callback only stops the watchers and marks the client closing;
 * every loop that calls back checks that mark, and the outermost
 * hpc_leave() frees.  hp_client_send() never calls back: it only queues
 * and writes into output buffers.
 */
#include "client.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wire.h"
#include "worker_internal.h"

#define DEFAULT_WINDOW 4096
#define DEFAULT_STALL_GRACE_S 5.0
#define DEFAULT_STARTUP_TIMEOUT_S 10.0
#define FREE_WAIT_S 0.2			/* SIGTERM to SIGKILL in free */

static void client_destroy(struct hp_client *c);

void hpc_enter(struct hp_client *c)
{
	c->depth++;
}

void hpc_leave(struct hp_client *c)
{
	if (--c->depth == 0 && c->closing)
		client_destroy(c);
}

/* The queue a probe waits in: its worker's when pinned, else the shared. */
static void queue_ends(struct hp_client *c, struct hp_worker *pin,
		       struct hp_pending ***head, struct hp_pending ***tail)
{
	if (pin) {
		*head = &pin->phead;
		*tail = &pin->ptail;
	} else {
		*head = &c->qhead;
		*tail = &c->qtail;
	}
}

static void queue_push_back(struct hp_client *c, struct hp_pending *p)
{
	struct hp_pending **head, **tail;

	queue_ends(c, p->pin, &head, &tail);
	p->next = NULL;
	if (*tail)
		(*tail)->next = p;
	else
		*head = p;
	*tail = p;
	c->queued++;
}

void hpc_queue_push_front(struct hp_client *c, struct hp_pending *p)
{
	struct hp_pending **head, **tail;

	queue_ends(c, p->pin, &head, &tail);
	p->next = *head;
	*head = p;
	if (!*tail)
		*tail = p;
	c->queued++;
}

struct hp_pending *hpc_queue_pop(struct hp_client *c, struct hp_worker *w)
{
	struct hp_pending **head, **tail, *p;

	queue_ends(c, w, &head, &tail);
	p = *head;
	if (p) {
		*head = p->next;
		if (!*head)
			*tail = NULL;
		c->queued--;
		p->next = NULL;
	}
	return p;
}

void hpc_result_empty(struct hp_result *r, enum hp_kind kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->rtt_us = -1;
}

bool hpc_complete(struct hp_client *c, struct hp_pending *p,
		  const struct hp_result *r)
{
	hp_result_cb cb = p->cb;
	void *arg = p->arg;

	free(p);
	if (cb && !c->closing)
		cb(arg, r);
	return !c->closing;
}

/*
 * Probes wait for a rate share: dispatch again when the first of the
 * workers with room (or ONLY, when the first probe must go there) may
 * take one.
 */
static void rate_wait(struct hp_client *c, const struct hp_worker *only)
{
	ev_tstamp now = ev_now(c->loop), due = 0;
	struct hp_worker *w;

	for (w = c->workers; w; w = w->next) {
		ev_tstamp t;

		if ((only && w != only) || !hpw_can_take(w, true))
			continue;
		t = hp_pace_due(&w->pace, now);
		if (due == 0 || t < due)
			due = t;
	}
	if (due == 0 || ev_is_active(&c->rate_timer))
		return;
	ev_timer_set(&c->rate_timer, due > now ? due - now : 0, 0);
	ev_timer_start(c->loop, &c->rate_timer);
}

static void rate_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct hp_client *c = t->data;

	(void)loop;
	(void)revents;
	hpc_enter(c);
	hpc_dispatch(c);
	hpc_leave(c);
}

/* Workers that answered every start-up question and have not failed. */
static unsigned ready_workers(const struct hp_client *c)
{
	const struct hp_worker *w;
	unsigned ready = 0;

	for (w = c->workers; w; w = w->next)
		if (w->state == W_READY)
			ready++;
	return ready;
}

/*
 * A flow's source port is held by the worker that sends its probes
 * (hopprobe(8), flow): a second worker asking for it would be answered
 * address-in-use.  So the UDP, TCP and SCTP probes of flow N all go to
 * the same ready worker, the (N mod ready)th; NULL when none is ready.
 */
static struct hp_worker *flow_home(struct hp_client *c,
				   const struct hp_probe *p)
{
	unsigned ready = ready_workers(c), k;
	struct hp_worker *w;

	if (ready == 0)
		return NULL;
	k = (unsigned)p->flow % ready;
	for (w = c->workers; w; w = w->next)
		if (w->state == W_READY && k-- == 0)
			return w;
	return NULL;
}

static bool holds_a_port(const struct hp_probe *p)
{
	return p->flow >= 0 && p->protocol != HP_ICMP;
}

/* W's pinned probes, while it has room; 1 when some wait for its rate. */
static bool dispatch_pinned(struct hp_client *c, struct hp_worker *w)
{
	while (w->phead && !c->closing) {
		struct hp_pending *p;

		if (!hpw_can_take(w, false))
			return c->rate_pps > 0 && hpw_can_take(w, true);
		p = hpc_queue_pop(c, w);
		if (!hpw_send(w, p)) {
			hpc_queue_push_front(c, p);
			return false;
		}
	}
	return false;
}

/*
 * Pinned probes first, each worker's own (they can go nowhere else).
 * Then each probe of the shared queue goes to the worker with the fewest
 * in flight among those with room (and rate to spare), until the queue
 * or the room runs out: O(workers) a probe.  A probe whose flow holds a
 * port waits, first in line, for its flow's worker.
 */
void hpc_dispatch(struct hp_client *c)
{
	struct hp_worker *pw;

	for (pw = c->workers; pw && !c->closing; pw = pw->next)
		if (dispatch_pinned(c, pw))
			rate_wait(c, pw);
	while (c->qhead && !c->closing) {
		struct hp_worker *w, *best = NULL, *home = NULL;
		struct hp_pending *p;

		if (holds_a_port(&c->qhead->probe)) {
			home = flow_home(c, &c->qhead->probe);
			if (!home)
				return;
			if (hpw_can_take(home, false))
				best = home;
		} else {
			for (w = c->workers; w; w = w->next)
				if (hpw_can_take(w, false) &&
				    (!best ||
				     w->outstanding < best->outstanding))
					best = w;
		}
		if (!best) {
			if (c->rate_pps > 0)
				rate_wait(c, home);
			return;
		}
		p = hpc_queue_pop(c, NULL);
		if (!hpw_send(best, p)) {
			hpc_queue_push_front(c, p);
			return;
		}
	}
}

void hpc_rate_update(struct hp_client *c)
{
	unsigned ready = ready_workers(c);
	struct hp_worker *w;

	for (w = c->workers; w; w = w->next)
		if (w->state == W_READY)
			hpw_set_share(w, c->rate_pps > 0 ?
				      c->rate_pps / ready : 0);
}

int hp_client_set_rate(struct hp_client *c, double pps)
{
	if (c->closing || !isfinite(pps) || pps < 0) {
		errno = EINVAL;
		return -1;
	}
	c->rate_pps = pps;
	hpc_rate_update(c);
	ev_timer_stop(c->loop, &c->rate_timer);
	hpc_dispatch(c);
	return 0;
}

long hp_worker_rate(const struct hp_worker *w)
{
	if (!(w->features & HP_WIRE_HAS_RATE) || w->rate_granted < 0)
		return -1;
	return (long)w->rate_granted;
}

struct hp_client *hp_client_new(struct ev_loop *loop,
				const struct hp_client_options *opts,
				const struct hp_client_callbacks *cb)
{
	struct hp_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->loop = loop;
	ev_timer_init(&c->rate_timer, rate_cb, 0, 0);
	c->rate_timer.data = c;
	c->window = DEFAULT_WINDOW;
	c->stall_grace_s = DEFAULT_STALL_GRACE_S;
	c->startup_timeout_s = DEFAULT_STARTUP_TIMEOUT_S;
	if (opts && opts->window)
		c->window = opts->window;
	/* A worker's tokens serve its probes and its start-up questions. */
	if (c->window > HPW_SLOT_MAX - HPW_FEATURE_COUNT)
		c->window = HPW_SLOT_MAX - HPW_FEATURE_COUNT;
	if (opts && opts->stall_grace_s > 0)
		c->stall_grace_s = opts->stall_grace_s;
	if (opts && opts->startup_timeout_s > 0)
		c->startup_timeout_s = opts->startup_timeout_s;
	if (cb)
		c->cb = *cb;
	return c;
}

int hp_client_send(struct hp_client *c, const struct hp_probe *probe,
		   hp_result_cb cb, void *arg)
{
	return hp_client_send_to(c, NULL, probe, cb, arg);
}

int hp_client_send_to(struct hp_client *c, struct hp_worker *w,
		      const struct hp_probe *probe, hp_result_cb cb, void *arg)
{
	struct hp_pending *p;

	if (c->closing || !cb || hp_wire_check_probe(probe) != 0 ||
	    (w && w->client != c)) {
		errno = EINVAL;
		return -1;
	}
	if (c->live == 0 || (w && w->state == W_FAILED)) {
		errno = ENOENT;
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -1;
	p->probe = *probe;
	/* Checked above: at most 15 bytes. */
	if (probe->device) {
		strcpy(p->device, probe->device);
		p->probe.device = p->device;
	}
	p->cb = cb;
	p->arg = arg;
	p->pin = w;
	queue_push_back(c, p);
	hpc_dispatch(c);
	return 0;
}

unsigned hp_client_in_flight(const struct hp_client *c)
{
	return c->in_flight;
}

unsigned hp_client_queued(const struct hp_client *c)
{
	return c->queued;
}

unsigned hp_client_live_workers(const struct hp_client *c)
{
	return c->live;
}

const char *hp_worker_feature(const struct hp_worker *w, const char *name)
{
	unsigned f;

	for (f = 0; f < HPW_FEATURE_COUNT; f++)
		if (strcmp(hpw_features[f], name) == 0)
			return w->feature_value[f];
	return NULL;
}

int hp_worker_supports(const struct hp_worker *w, const char *name)
{
	const char *v = hp_worker_feature(w, name);

	return v && strcmp(v, "ok") == 0;
}

const char *hp_worker_command(const struct hp_worker *w)
{
	return w->command;
}

unsigned hp_worker_in_flight(const struct hp_worker *w)
{
	return w->outstanding;
}

int hp_worker_is_ready(const struct hp_worker *w)
{
	return w->ready;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * End of input first, as a worker finishes on it; SIGTERM for one that
 * does not stop there.
 */
static bool worker_begin_stop(struct hp_worker *w)
{
	close_fd(&w->in_fd);
	close_fd(&w->out_fd);
	close_fd(&w->err_fd);
	/* The group, not just the leader: see worker_spawn.c. */
	kill(-w->pid, SIGTERM);
	if (hpw_try_reap(w))
		return false;
	return true;
}

static void worker_force_stop(struct hp_worker *w)
{
	kill(-w->pid, SIGKILL);
	if (w->reaped)
		return;
	while (waitpid(w->pid, &w->status, 0) < 0 && errno == EINTR)
		;
	w->reaped = true;
}

/*
 * Stop every process: end of input and SIGTERM to all, one bounded wait
 * for all of them together, then SIGKILL for the rest.  This is the only
 * place in the library that sleeps.
 */
static void client_stop_processes(struct hp_client *c)
{
	struct timespec t0, nap = { 0, 200 * 1000 };
	struct hp_worker *w;
	bool left = false;

	for (w = c->workers; w; w = w->next)
		if (worker_begin_stop(w))
			left = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (left && seconds_since(&t0) < FREE_WAIT_S) {
		nanosleep(&nap, NULL);
		left = false;
		for (w = c->workers; w; w = w->next)
			if (!hpw_try_reap(w))
				left = true;
	}
	for (w = c->workers; w; w = w->next)
		worker_force_stop(w);
}

static void client_destroy(struct hp_client *c)
{
	struct hp_worker *w, *next;
	struct hp_pending *p, *n;

	client_stop_processes(c);
	for (w = c->workers; w; w = next) {
		next = w->next;
		for (p = hpw_detach_probes(w); p; p = n) {
			n = p->next;
			free(p);
		}
		while ((p = hpc_queue_pop(c, w)))
			free(p);
		hpw_free(w);
	}
	while ((p = hpc_queue_pop(c, NULL)))
		free(p);
	free(c);
}

void hp_client_free(struct hp_client *c)
{
	struct hp_worker *w;

	if (!c || c->closing)
		return;
	c->closing = true;
	ev_timer_stop(c->loop, &c->rate_timer);
	for (w = c->workers; w; w = w->next)
		hpw_stop_watchers(w);
	/* Inside one of our callbacks: the outermost hpc_leave() frees. */
	if (c->depth == 0)
		client_destroy(c);
}

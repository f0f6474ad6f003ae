/*
 * engine_probe.c: a probe's life, whichever backend sends it.
 *
 * engine_submit() takes a parsed send-probe request through fixed steps:
 * checks that need nothing reserved (family, protocol, names, the in-flight
 * limit, the client's source address), a wait for the rate when set-rate
 * asked for one (engine_rate.c), then engine_probe_dispatch(): the
 * backend's preparation (route, source), the timeout list, the identity
 * (an entry in the probe table), and the backend's send.  Past the
 * identity there is one way back, engine_probe_abandon(), which answers
 * the error and releases what the probe holds.  A probe that went out
 * ends in engine_probe_finish(): with its answer (engine_probe_answer) or
 * at its deadline (no-reply).
 */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "too_big.h"
#include "wire_identity.h"

/* Attempts to find an identity not in flight before giving up. */
#define IDENTITY_TRIES 64

static const enum reply_type reply_of_kind[] = {
	[KIND_REPLY] = REPLY_REPLY,
	[KIND_TTL_EXPIRED] = REPLY_TTL_EXPIRED,
	[KIND_NO_ROUTE_NETWORK] = REPLY_NO_ROUTE_NETWORK,
	[KIND_NO_ROUTE_HOST] = REPLY_NO_ROUTE_HOST,
};

/* ---- deadlines ----------------------------------------------------------- */

/*
 * A list's timer runs while the list has probes: armed for its head's
 * deadline when a probe joins an idle list, and re-armed for the new head
 * each time it fires.  A probe answered early leaves the timer as it is;
 * the timer then fires for a head that is no longer there and re-arms for
 * the current one, which costs one wake-up instead of a timer operation
 * per answer.
 */
static void arm_list(struct engine *e, uint32_t list_id, double now)
{
	struct timeout_list *l = timeout_set_at(&e->timeouts, list_id);
	struct list_timer *lt = l->timer;
	double wait;

	if (l->head == PROBE_NONE || ev_is_active(&lt->timer))
		return;
	wait = probe_table_at(&e->table, l->head)->deadline - now;
	ev_timer_set(&lt->timer, wait > 0 ? wait : 0, 0);
	ev_timer_start(e->loop, &lt->timer);
}

/* A timeout list's timer: answer no-reply for every probe now due. */
static void on_list_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct list_timer *lt = (struct list_timer *)w;
	struct engine *e = lt->engine;
	struct timeout_list *l = timeout_set_at(&e->timeouts, lt->list);
	double now = engine_mono_now();

	(void)loop;
	(void)revents;
	while (l->head != PROBE_NONE) {
		uint32_t i = l->head;
		struct probe *p = probe_table_at(&e->table, i);

		if (p->deadline > now)
			break;
		engine_emit_simple(e, p->token, REPLY_NO_REPLY, 0);
		engine_probe_finish(e, i);
	}
	arm_list(e, lt->list, now);
}

/*
 * The list for a timeout in milliseconds, with its timer; UINT32_MAX
 * without memory.
 */
static uint32_t list_for_timeout(struct engine *e, uint32_t ms)
{
	uint32_t id = timeout_set_list(&e->timeouts, ms);
	struct timeout_list *l;
	struct list_timer *lt;

	if (id == UINT32_MAX)
		return id;
	l = timeout_set_at(&e->timeouts, id);
	if (!l->timer) {
		lt = calloc(1, sizeof(*lt));
		if (!lt)
			return UINT32_MAX;
		lt->engine = e;
		lt->list = id;
		ev_init(&lt->timer, on_list_timer);
		l->timer = lt;
	}
	return id;
}

void engine_timers_free(struct engine *e)
{
	uint32_t l;

	for (l = 0; l < e->timeouts.count; l++) {
		struct list_timer *lt = timeout_set_at(&e->timeouts, l)->timer;

		if (lt)
			ev_timer_stop(e->loop, &lt->timer);
		free(lt);
	}
}

/* ---- the end of a probe -------------------------------------------------- */

void engine_probe_finish(struct engine *e, uint32_t i)
{
	if (probe_table_at(&e->table, i)->state == PROBE_IN_FLIGHT)
		timeout_list_remove(&e->timeouts, &e->table, i);
	engine_rttns_end(e, i);
	engine_link_forget(e, i);
	e->backend->release(e, i);
	probe_table_remove(&e->table, i);
}

void engine_probe_abandon(struct engine *e, uint32_t i, int err)
{
	engine_emit_errno(e, probe_table_at(&e->table, i)->token, err);
	engine_probe_finish(e, i);
}

void engine_probe_sent(struct engine *e, uint32_t i, uint32_t list,
		       const struct timespec *sent, double now)
{
	struct probe *p = probe_table_at(&e->table, i);

	p->sent = *sent;
	p->deadline = now + timeout_set_at(&e->timeouts, list)->ms / 1000.0;
	p->state = PROBE_IN_FLIGHT;
	timeout_list_push(&e->timeouts, list, &e->table, i);
	arm_list(e, list, now);
}

static uint64_t rtt_microseconds(const struct timespec *sent,
				 const struct timespec *got)
{
	int64_t ns = (int64_t)(got->tv_sec - sent->tv_sec) * 1000000000 +
		     (got->tv_nsec - sent->tv_nsec);

	/* A clock stepped backwards gives no negative times. */
	return ns > 0 ? (uint64_t)(ns + 500) / 1000 : 0;
}

void engine_probe_answer(struct engine *e, uint32_t i, enum reply_kind kind,
			 const struct net_addr *responder,
			 const struct timespec *stamp,
			 const struct mpls_stack *mpls,
			 const struct reply_details *details)
{
	struct probe *p = probe_table_at(&e->table, i);
	struct probe_reply r;

	memset(&r, 0, sizeof(r));
	r.token = p->token;
	r.type = reply_of_kind[kind];
	r.responder = *responder;
	r.has_rtt = true;
	r.rtt_us = rtt_microseconds(&p->sent, stamp);
	r.has_rtt_ns = engine_rttns_result(e, i, stamp, &r.rtt_ns);
	r.mpls = mpls;
	/* Without reply-details 1 the reply stays as mtr-packet gives it. */
	if (p->extensions & PROBE_EXT_DETAILS)
		r.details = details;
	engine_emit_reply(e, &r);
	engine_probe_finish(e, i);
}

/*
 * A router's fragmentation needed or packet too big.  A probe sent with
 * dont-fragment is answered packet-too-big with the router's MTU; any
 * other probe gets what the answer meant before (too_big_plain_kind):
 * for IPv4 the host unreachable reply it always gave, for IPv6 nothing.
 */
void engine_probe_too_big(struct engine *e, uint32_t i,
			  const struct decoded *d,
			  const struct timespec *stamp)
{
	struct probe *p = probe_table_at(&e->table, i);
	enum reply_kind plain;
	struct probe_reply r;

	if (!(p->extensions & PROBE_EXT_DONT_FRAGMENT)) {
		plain = too_big_plain_kind(d->key.family);
		if (plain != KIND_NONE)
			engine_probe_answer(e, i, plain, &d->responder, stamp,
					    &d->mpls, &d->details);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.token = p->token;
	r.type = REPLY_PACKET_TOO_BIG;
	r.responder = d->responder;
	r.has_rtt = true;
	r.rtt_us = rtt_microseconds(&p->sent, stamp);
	r.has_rtt_ns = engine_rttns_result(e, i, stamp, &r.rtt_ns);
	r.has_mtu = true;
	r.mtu = d->next_hop_mtu;
	r.mpls = &d->mpls;
	if (p->extensions & PROBE_EXT_DETAILS)
		r.details = &d->details;
	engine_emit_reply(e, &r);
	engine_probe_finish(e, i);
}

void engine_probe_too_big_local(struct engine *e, uint32_t i, uint32_t mtu)
{
	struct probe_reply r;

	memset(&r, 0, sizeof(r));
	r.token = probe_table_at(&e->table, i)->token;
	r.type = REPLY_PACKET_TOO_BIG;
	r.has_mtu = true;
	r.mtu = mtu;
	engine_emit_reply(e, &r);
	engine_probe_finish(e, i);
}

/* ---- submission ---------------------------------------------------------- */

/* Resolve interface names; 0 with *bad set when a name matches none. */
static unsigned name_to_index(const char *name, bool *bad)
{
	unsigned idx;

	if (!name[0])
		return 0;
	idx = if_nametoindex(name);
	if (!idx)
		*bad = true;
	return idx;
}

/*
 * What can be refused before anything is reserved; answers and returns
 * false when the request cannot be sent.
 */
static bool admit(struct engine *e, const struct request *req,
		  struct outbound *ob)
{
	const struct probe_request *pr = &req->probe;
	const struct engine_backend *b = e->backend;
	bool bad_name = false;
	int err;

	if (!b->family_ok(e, pr->dst.family)) {
		engine_emit_invalid(e, req->token, REASON_IP_VERSION);
		return false;
	}
	if (!b->proto_ok(e, pr->dst.family, pr->proto)) {
		b->refuse_proto(e, req->token);
		return false;
	}
	ob->scope_id = name_to_index(pr->dst_scope, &bad_name);
	ob->ifindex = (int)name_to_index(pr->device, &bad_name);
	if (bad_name) {
		engine_emit_invalid(e, req->token, REASON_NONE);
		return false;
	}
	/* Probes waiting for the rate hold their place in the limit. */
	if (e->table.count + e->rate.count >= e->table.limit) {
		engine_emit_simple(e, req->token, REPLY_PROBES_EXHAUSTED, 0);
		return false;
	}
	if (pr->has_mark && !b->can_mark(e)) {
		engine_emit_simple(e, req->token, REPLY_PERMISSION_DENIED, 0);
		return false;
	}
	/* Like a mark, a flow needs the raw sockets of a privileged worker. */
	if (pr->has_flow && !b->can_flow(e)) {
		engine_emit_simple(e, req->token, REPLY_PERMISSION_DENIED, 0);
		return false;
	}
	/* A source the client names must be one of this host's. */
	if (pr->local.family) {
		err = src_cache_check_local(&e->srcs, &pr->local, &pr->dst,
					    engine_mono_now());
		if (err) {
			engine_emit_errno(e, req->token, err);
			return false;
		}
	}
	return true;
}

/* The probe's fields that come from the request alone. */
static void spec_from_request(const struct probe_request *pr,
			      struct probe_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->proto = pr->proto;
	spec->dst = pr->dst;
	spec->src = pr->local;
	spec->ttl = pr->ttl;
	spec->tos = pr->tos;
	spec->size = (uint16_t)pr->size;
	spec->pattern = pr->pattern;
	spec->sport = pr->local_port;
	if (pr->has_flow)
		wire_flow_apply(spec, pr->flow);
}

/*
 * An identity no probe in flight has (usually the first one tried): the
 * probe's entry in the table, or PROBE_NONE when every try collided.
 */
static uint32_t reserve_identity(struct engine *e, struct outbound *ob)
{
	struct probe_key key;
	struct probe *p;
	uint32_t i = PROBE_NONE;
	int tries;

	for (tries = 0; tries < IDENTITY_TRIES && i == PROBE_NONE; tries++) {
		wire_identity_apply(&ob->spec, identity_next(&e->identities),
				    e->icmp_id, ob->req->port);
		probe_spec_key(&ob->spec, &key);
		i = probe_table_insert(&e->table, &key);
	}
	if (i == PROBE_NONE)
		return i;
	p = probe_table_at(&e->table, i);
	p->token = ob->token;
	p->local_port = 0;
	p->state = PROBE_QUEUED;
	p->extensions = (ob->req->reply_details ? PROBE_EXT_DETAILS : 0) |
			(ob->spec.dont_fragment ? PROBE_EXT_DONT_FRAGMENT : 0);
	return i;
}

/* timeout-ms wins over timeout (whole seconds). */
static uint32_t timeout_ms_of(const struct probe_request *pr)
{
	return pr->timeout_ms ? pr->timeout_ms : pr->timeout * 1000u;
}

/*
 * An admitted probe on its way: route, timeout list, identity, send.  Its
 * outbound holds the request and what admit() found.
 */
void engine_probe_dispatch(struct engine *e, struct outbound *ob)
{
	uint32_t i, oif = 0;
	int err;

	spec_from_request(ob->req, &ob->spec);
	err = e->backend->prepare(e, ob);
	if (err) {
		engine_emit_errno(e, ob->token, err);
		return;
	}
	if (ob->req->link_events)
		oif = engine_link_route(e, ob);
	ob->list = list_for_timeout(e, timeout_ms_of(ob->req));
	if (ob->list == UINT32_MAX) {
		engine_emit_simple(e, ob->token, REPLY_UNEXPECTED_ERROR,
				   ENOMEM);
		return;
	}
	i = reserve_identity(e, ob);
	if (i == PROBE_NONE) {
		engine_emit_simple(e, ob->token, REPLY_PROBES_EXHAUSTED, 0);
		return;
	}
	/* Watched before it leaves: every way it can end then unwatches. */
	if (oif && !engine_link_watch(e, i, oif))
		return;
	/*
	 * Where transmit timestamps do not work, or no memory is left for
	 * the slot, the probe still goes: its reply lacks
	 * round-trip-time-ns (hopprobe(8), rtt-ns).
	 */
	if (ob->req->rtt_ns && e->backend->rtt_ns_ok(e))
		(void)engine_rttns_begin(e, i);
	err = e->backend->send(e, i, ob);
	if (err)
		engine_probe_abandon(e, i, err);
}

void engine_submit(struct engine *e, const struct request *req)
{
	struct outbound ob;

	memset(&ob, 0, sizeof(ob));
	ob.req = &req->probe;
	ob.token = req->token;
	if (!admit(e, req, &ob) || engine_rate_hold(e, &ob))
		return;
	engine_probe_dispatch(e, &ob);
}

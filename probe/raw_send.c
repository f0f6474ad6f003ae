/*
 * raw_send.c: the raw-socket backend's set-up and sending (raw_backend.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "privilege.h"
#include "raw_backend.h"
#include "fragment.h"

/* linux/in6.h's, which cannot be included with netinet/in.h. */
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO 11
#endif

/* ---- set-up -------------------------------------------------------------- */

static int raw_start(struct engine *e, const struct engine_setup *setup,
		     char *msg, size_t cap)
{
	struct raw_backend *rb = calloc(1, sizeof(*rb));
	int err;

	if (!rb) {
		snprintf(msg, cap, "out of memory");
		return -1;
	}
	rb->rx = setup->rx;
	rb->tx = setup->tx;
	rb->batch_fd = -1;
	rb->can_mark = privilege_can_mark();
	err = ports_init(&rb->ports);
	if (err) {
		snprintf(msg, cap, "cannot reserve source ports: %s",
			 strerror(err));
		free(rb);
		return -1;
	}
	icmp_id_choose(&rb->icmp_id);
	e->icmp_id = rb->icmp_id.id;
	sockets_filter_ports(&rb->rx, &rb->ports);
	e->raw = rb;
	raw_start_receivers(e);
	return 0;
}

static void raw_stop(struct engine *e)
{
	struct raw_backend *rb = e->raw;
	unsigned m;

	if (!rb)
		return;
	raw_stop_receivers(e);
	raw_txstamp_stop(e);
	ports_free(&rb->ports);
	for (m = 0; m < rb->bound_count; m++)
		sockets_close_send(&rb->bound[m]);
	sockets_close_send(&rb->tx);
	sockets_close_recv(&rb->rx);
	icmp_id_release(&rb->icmp_id);
	free(rb);
	e->raw = NULL;
}

static bool raw_family_ok(const struct engine *e, uint8_t family)
{
	return sockets_family_ok(&e->raw->rx, &e->raw->tx, family);
}

/*
 * ICMP's sockets are opened at start; the others' on first use (a probe
 * or check-support), with the capability raised for that moment, as for
 * marks and devices.
 */
static bool raw_proto_ok(struct engine *e, uint8_t family,
			 enum probe_proto proto)
{
	struct raw_backend *rb = e->raw;

	if ((unsigned)proto >= PROTO_COUNT)
		return false;
	if (!rb->rx.opened[proto]) {
		if (privilege_raise_net() == 0) {
			sockets_open_proto(&rb->rx, &rb->tx, proto);
			privilege_lower();
		}
		rb->rx.opened[proto] = true;
		sockets_filter_ports(&rb->rx, &rb->ports);
		raw_start_receivers(e);
	}
	return sockets_proto_ok(&rb->rx, &rb->tx, family, proto);
}

static bool raw_can_mark(const struct engine *e)
{
	return e->raw->can_mark;
}

/* Raw sockets write every field a flow holds (build.c, set_message). */
static bool raw_can_flow(const struct engine *e)
{
	(void)e;
	return true;
}

/* Raw sockets can be told never to fragment (sockets_open_bound). */
static bool raw_can_dont_fragment(const struct engine *e)
{
	(void)e;
	return true;
}

/* With raw sockets, a protocol that cannot be opened is not supported. */
static void raw_refuse_proto(struct engine *e, int32_t token)
{
	engine_emit_invalid(e, token, REASON_PROTOCOL);
}

/* ---- preparing a probe --------------------------------------------------- */

/*
 * The send sockets for a probe: the unmarked, unbound set, or the set for
 * its mark, interface and fragmentation (dont-fragment), opened on first
 * use.
 */
static struct send_set *send_set_for(struct engine *e,
					   const struct probe_request *pr,
					   int ifindex, int *err)
{
	struct raw_backend *rb = e->raw;
	struct send_set *set;
	unsigned i;

	*err = 0;
	if (!pr->has_mark && !ifindex && !pr->dont_fragment)
		return &rb->tx;
	for (i = 0; i < rb->bound_count; i++) {
		set = &rb->bound[i];
		if (set->marked == pr->has_mark &&
		    (!pr->has_mark || set->mark == pr->mark) &&
		    set->ifindex == ifindex &&
		    set->dont_fragment == pr->dont_fragment)
			return set;
	}
	if (rb->bound_count == MAX_BOUND_SETS) {
		/*
		 * Recycle the oldest set.  Its probes are already on the
		 * wire: a batch never holds probes of a set it can recycle,
		 * since the batch leaves whenever the socket changes.
		 */
		raw_txstamp_forget_set(e, &rb->bound[0]);
		sockets_close_send(&rb->bound[0]);
		memmove(&rb->bound[0], &rb->bound[1],
			(MAX_BOUND_SETS - 1) * sizeof(rb->bound[0]));
		rb->bound_count--;
	}
	/* Raw sockets, marks and devices need the capability once, here. */
	if (privilege_raise_net() == -1) {
		*err = errno;
		return NULL;
	}
	set = &rb->bound[rb->bound_count];
	*err = sockets_open_bound(set, pr->has_mark, pr->mark, ifindex,
				  pr->dont_fragment);
	privilege_lower();
	if (*err)
		return NULL;
	rb->bound_count++;
	return set;
}

/*
 * A checksum over the pseudo-header (UDP, TCP) needs the source first; so
 * does an ICMPv6 checksum the worker chooses (a flow's), since the kernel
 * computes ICMPv6's anew with the real source.
 */
static bool needs_source(const struct probe_spec *spec)
{
	return spec->proto == PROTO_UDP || spec->proto == PROTO_TCP ||
	       (spec->proto == PROTO_ICMP && spec->flow &&
		spec->dst.family == AF_INET6);
}

static void raw_send_batch(struct engine *e);

static int raw_prepare(struct engine *e, struct outbound *ob)
{
	struct raw_backend *rb = e->raw;
	const struct probe_request *pr = ob->req;
	struct send_set *tx;
	int err;

	sockets_enable_timestamps(&rb->rx);
	/* A recycled set must not be one the queued probes still need. */
	if (rb->queued && (pr->has_mark || ob->ifindex || pr->dont_fragment) &&
	    rb->bound_count == MAX_BOUND_SETS)
		raw_send_batch(e);
	tx = send_set_for(e, pr, ob->ifindex, &err);
	if (!tx)
		return err;
	ob->route = tx;
	ob->spec.dont_fragment = pr->dont_fragment;

	/*
	 * The source: the client's (admitted already), or routing's when a
	 * checksum covers it; otherwise the kernel fills it in.
	 */
	if (!pr->local.family && needs_source(&ob->spec)) {
		err = src_cache_lookup(&e->srcs,
				       sockets_lookup(tx, pr->dst.family),
				       &pr->dst,
				       ob->scope_id, pr->has_mark, pr->mark,
				       ob->ifindex, engine_mono_now(),
				       &ob->spec.src);
		if (err)
			return err;
	} else if (!pr->local.family) {
		ob->spec.src.family = pr->dst.family;	/* any */
	}
	if (pr->proto == PROTO_ICMP)
		ob->spec.sport = 0;
	else if (!ob->spec.sport)
		ob->spec.sport = rb->ports.default_port[pr->proto];
	return 0;
}

/* ---- queueing ------------------------------------------------------------ */

/*
 * The message for a built probe: its destination and, for IPv6, hop limit,
 * traffic class, a flow's label and (when the checksum was computed with
 * it) the source as ancillary data.  IPv4's header, built whole, carries
 * all of that.  A label of 0 is left out: the kernel's choice, as before.
 * A probe that asked for rtt-ns also asks for its transmit stamp.
 */
static void set_message(struct queued_probe *q, struct msghdr *m,
			const uint8_t *pkt, size_t len, uint32_t scope_id,
			bool explicit_src, bool stamp)
{
	const struct probe_spec *spec = &q->spec;
	size_t clen = 0;

	memset(m, 0, sizeof(*m));
	q->iov.iov_base = (void *)pkt;
	q->iov.iov_len = len;
	m->msg_name = &q->addr;
	m->msg_namelen = net_addr_to_sockaddr(&spec->dst, 0, scope_id,
					      &q->addr);
	m->msg_iov = &q->iov;
	m->msg_iovlen = 1;
	if (spec->dst.family == AF_INET6) {
		int hops = spec->ttl, tclass = spec->tos;

		memset(&q->control, 0, sizeof(q->control));
		raw_put_cmsg(q->control.buf, &clen, IPPROTO_IPV6,
			     IPV6_HOPLIMIT, &hops, sizeof(hops));
		raw_put_cmsg(q->control.buf, &clen, IPPROTO_IPV6,
			     IPV6_TCLASS, &tclass, sizeof(tclass));
		if (spec->flow_label) {
			uint32_t label = htonl(spec->flow_label);

			raw_put_cmsg(q->control.buf, &clen, IPPROTO_IPV6,
				     IPV6_FLOWINFO, &label, sizeof(label));
		}
		if (explicit_src) {
			struct in6_pktinfo info;

			memset(&info, 0, sizeof(info));
			memcpy(&info.ipi6_addr, spec->src.bytes, 16);
			raw_put_cmsg(q->control.buf, &clen, IPPROTO_IPV6,
				     IPV6_PKTINFO, &info, sizeof(info));
		}
	} else if (stamp) {
		memset(&q->control, 0, sizeof(q->control));
	}
	if (stamp)
		raw_txstamp_put(q->control.buf, &clen, q->index);
	if (clen) {
		m->msg_control = q->control.buf;
		m->msg_controllen = clen;
	}
}

static int send_fd(const struct send_set *tx, const struct probe_spec *spec)
{
	return spec->dst.family == AF_INET ? tx->v4 : tx->v6[spec->proto];
}

static int raw_send(struct engine *e, uint32_t i, struct outbound *ob)
{
	struct raw_backend *rb = e->raw;
	struct send_set *tx = ob->route;
	struct probe *p = probe_table_at(&e->table, i);
	struct queued_probe *q;
	size_t min, room, len;
	int fd, err;

	fd = send_fd(tx, &ob->spec);
	if (fd < 0)
		return EAFNOSUPPORT;
	if (ob->spec.proto != PROTO_ICMP) {
		/*
		 * A port of the client's choosing (or a flow's) is reserved
		 * with a socket bound to it, which would take the queued
		 * probes' packets to that port (a UDP probe's, say) instead
		 * of answering them: those leave first, as they would have
		 * unbatched.  A port held already binds nothing new.
		 */
		if (rb->queued &&
		    !ports_held(&rb->ports, ob->spec.proto, ob->spec.sport))
			raw_send_batch(e);
		err = ports_acquire(&rb->ports, ob->spec.proto,
				    ob->spec.sport);
		if (err)
			return err;
		p->local_port = ob->spec.sport;
		/* Before sending: the answer must pass the new filter. */
		sockets_filter_ports(&rb->rx, &rb->ports);
	}

	/* The batch leaves first when this probe cannot join it. */
	min = probe_spec_min_size(&ob->spec);
	room = ob->spec.size > min ? ob->spec.size : min;
	if (rb->queued == SEND_BATCH || (rb->queued && fd != rb->batch_fd) ||
	    SEND_ARENA - rb->arena_used < room)
		raw_send_batch(e);

	/* A socket that cannot report stamps: the reply goes without. */
	if (engine_rttns_wanted(e, i) && !raw_txstamp_arm(e, fd))
		engine_rttns_end(e, i);

	q = &rb->queue[rb->queued];
	q->index = i;
	q->list = ob->list;
	q->tx = tx;
	q->spec = ob->spec;
	len = probe_build(&q->spec, rb->arena + rb->arena_used,
			  SEND_ARENA - rb->arena_used);
	if (len == 0)
		return EINVAL;
	set_message(q, &rb->msgs[rb->queued].msg_hdr,
		    rb->arena + rb->arena_used, len, ob->scope_id,
		    ob->spec.dst.family == AF_INET6 &&
		    (needs_source(&ob->spec) || ob->req->local.family),
		    engine_rttns_wanted(e, i));
	rb->arena_used += len;
	rb->batch_fd = fd;
	rb->queued++;
	return 0;
}

/* ---- sending ------------------------------------------------------------- */

/*
 * The MTU of the route to an IPv4 destination, as the kernel tells a UDP
 * socket connected there: the send set's lookup socket, which has the
 * set's mark and device and so the probes' route.  (The source cache
 * connects it anew for every lookup, so leaving it connected is harmless.)
 */
static int route_mtu4(int lookup_fd, const struct net_addr *dst, size_t *mtu)
{
	struct sockaddr_storage ss;
	socklen_t len = net_addr_to_sockaddr(dst, 9, 0, &ss);
	socklen_t optlen;
	int value = 0;

	if (lookup_fd < 0)
		return EMSGSIZE;
	optlen = sizeof(value);
	if (connect(lookup_fd, (struct sockaddr *)&ss, len) == -1 ||
	    getsockopt(lookup_fd, IPPROTO_IP, IP_MTU, &value, &optlen) == -1)
		return errno;
	*mtu = value > 0 ? (size_t)value : 0;
	return 0;
}

/*
 * An IPv4 probe larger than its route's MTU.  The IP_HDRINCL socket never
 * fragments (it fails with EMSGSIZE), so the fragments are made here, as
 * the kernel makes them for ping -s 2000, and sent one after the other;
 * they share the probe's IP ID, which is never 0 (wire_identity.h).  A
 * fragment that meets a full send queue loses the probe, like a congested
 * link: the caller treats EAGAIN and ENOBUFS so.  Fragmenting cannot help
 * when the route's MTU already holds the probe (the device's is smaller):
 * that stays EMSGSIZE.
 */
static int send_fragments(struct raw_backend *rb, const struct queued_probe *q,
			  const struct msghdr *whole)
{
	const uint8_t *pkt = q->iov.iov_base;
	size_t len = q->iov.iov_len, mtu = 0, count, k, n;
	struct iovec iov;
	struct msghdr m = *whole;
	int err;

	err = route_mtu4(sockets_lookup(q->tx, AF_INET), &q->spec.dst, &mtu);
	if (err)
		return err;
	count = fragment_ipv4_count(pkt, len, mtu);
	if (count < 2)
		return EMSGSIZE;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	for (k = 0; k < count; k++) {
		n = fragment_ipv4_write(pkt, len, mtu, k, rb->fragment,
					sizeof(rb->fragment));
		if (n == 0)
			return EMSGSIZE;
		iov.iov_base = rb->fragment;
		iov.iov_len = n;
		while (sendmsg(q->tx->v4, &m, 0) == -1) {
			if (errno != EINTR)
				return errno;
		}
	}
	return 0;
}

/* Errors come to the ICMP socket, answers to the protocol's own. */
static void note_sent(struct raw_backend *rb, const struct probe_spec *spec)
{
	unsigned base = spec->dst.family == AF_INET ? 0 : PROTO_COUNT;

	rb->sent_count++;
	rb->sent_mask |= 1u << (base + PROTO_ICMP);
	if (spec->proto == PROTO_TCP || spec->proto == PROTO_SCTP)
		rb->sent_mask |= 1u << (base + spec->proto);
}

/* t0 + fraction num/den of (t1 - t0). */
static struct timespec stamp_between(const struct timespec *t0,
				     const struct timespec *t1,
				     unsigned num, unsigned den)
{
	int64_t span = (int64_t)(t1->tv_sec - t0->tv_sec) * 1000000000 +
		       (t1->tv_nsec - t0->tv_nsec);
	int64_t ns = t0->tv_nsec + (span > 0 ? span * num / den : 0);
	struct timespec t = { t0->tv_sec + ns / 1000000000,
			      ns % 1000000000 };

	return t;
}

/*
 * A dont-fragment probe larger than the MTU of the device it leaves
 * through (its set's sockets fail exactly then: sockets_open_bound) is
 * answered packet-too-big with that MTU, asked of rtnetlink: the route's
 * device, then the device's MTU.  The kernel's own figure would come on
 * the socket's error queue, but IP_RECVERR would also queue there every
 * ICMP error about the IPv6 sockets' probes and fail their next sends.
 * IP_MTU, on a socket connected there, would give the learned path MTU
 * instead, which such probes do not heed.
 */
static void too_big_here(struct engine *e, const struct queued_probe *q)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&q->addr;
	int ifindex = q->tx->ifindex;
	uint32_t mtu = 0;
	int err;

	/* A link-local destination's scope names the device. */
	if (!ifindex && q->spec.dst.family == AF_INET6)
		ifindex = (int)sin6->sin6_scope_id;
	err = src_cache_device_mtu(&e->srcs, &q->spec.dst, &q->spec.src,
				   q->tx->marked, q->tx->mark, ifindex, &mtu);
	if (err && err != EBADMSG) {
		/* The route went away in between: say so, as a send would. */
		engine_probe_abandon(e, q->index, err);
		return;
	}
	engine_probe_too_big_local(e, q->index, mtu);
}

/*
 * One probe of the batch could not go (sendmmsg() stops at the first that
 * fails).  A full send queue (EAGAIN, ENOBUFS) loses it as a congested
 * link would: it stays in flight and ends as no-reply.  An IPv4 probe too
 * large for its route goes out in fragments, unless it was sent with
 * dont-fragment.  Any other error answers it.
 */
static void send_failed(struct engine *e, struct queued_probe *q,
			const struct msghdr *m, int err,
			const struct timespec *sent, double now)
{
	struct raw_backend *rb = e->raw;

	if (err == EMSGSIZE && q->spec.dont_fragment) {
		too_big_here(e, q);
		return;
	}
	if (err == EMSGSIZE && q->spec.dst.family == AF_INET)
		err = send_fragments(rb, q, m);
	if (err && err != EAGAIN && err != ENOBUFS) {
		engine_probe_abandon(e, q->index, err);
		return;
	}
	note_sent(rb, &q->spec);
	if (engine_rttns_wanted(e, q->index))
		engine_rttns_sent(e, q->index, rb->batch_fd, sent);
	engine_probe_sent(e, q->index, q->list, sent, now);
}

/*
 * Send the queued probes, as few sendmmsg() calls as errors allow.  Each
 * probe is timed from the start of its call plus its share of the call's
 * duration: the kernel sends them one after the other, and on fast paths
 * (loopback, a lab of namespaces) handles each one's answer within the
 * same call, so the share is close to when it left.
 */
static void raw_send_batch(struct engine *e)
{
	struct raw_backend *rb = e->raw;
	struct timespec t0, t1, stamp;
	unsigned k = 0, j;
	double now;
	int n;

	while (k < rb->queued) {
		clock_gettime(CLOCK_REALTIME, &t0);
		n = sendmmsg(rb->batch_fd, &rb->msgs[k], rb->queued - k, 0);
		if (n < 0 && errno == EINTR)
			continue;
		clock_gettime(CLOCK_REALTIME, &t1);
		now = engine_mono_now();
		if (n <= 0) {
			send_failed(e, &rb->queue[k], &rb->msgs[k].msg_hdr,
				    n < 0 ? errno : EIO, &t0, now);
			k++;
			continue;
		}
		for (j = 0; j < (unsigned)n; j++) {
			struct queued_probe *q = &rb->queue[k + j];

			stamp = stamp_between(&t0, &t1, j, (unsigned)n);
			note_sent(rb, &q->spec);
			if (engine_rttns_wanted(e, q->index))
				engine_rttns_sent(e, q->index, rb->batch_fd,
						  &t0);
			engine_probe_sent(e, q->index, q->list, &stamp, now);
		}
		k += (unsigned)n;
	}
	rb->queued = 0;
	rb->arena_used = 0;
}

static void raw_release(struct engine *e, uint32_t i)
{
	struct raw_backend *rb = e->raw;
	struct probe *p = probe_table_at(&e->table, i);

	if (!p->local_port)
		return;
	ports_release(&rb->ports, (enum probe_proto)p->key.proto,
		      p->local_port);
	sockets_filter_ports(&rb->rx, &rb->ports);
	p->local_port = 0;
}

static void raw_flush(struct engine *e)
{
	raw_send_batch(e);
	raw_drain_after_send(e);
}

static bool raw_rtt_ns_ok(struct engine *e)
{
	return raw_txstamp_supported(e);
}

const struct engine_backend engine_backend_raw = {
	.start = raw_start,
	.stop = raw_stop,
	.family_ok = raw_family_ok,
	.proto_ok = raw_proto_ok,
	.can_mark = raw_can_mark,
	.can_flow = raw_can_flow,
	.can_dont_fragment = raw_can_dont_fragment,
	.refuse_proto = raw_refuse_proto,
	.prepare = raw_prepare,
	.send = raw_send,
	.release = raw_release,
	.flush = raw_flush,
	.rtt_ns_ok = raw_rtt_ns_ok,
};

/*
 * engine.c: submit, send, receive, expire.
 *
 * Everything here runs on one libev loop.  Commands arrive in batches (one
 * read of stdin), each becomes a probe in the table and one sendmsg(); the
 * raw receive sockets are drained with recvmmsg() on every wake-up; each
 * datagram is decoded (pure), looked up by key (O(1)) and answered; the
 * timeout lists expire what was not.  Answers go to an output queue written
 * once per loop iteration, so a slow reader pauses input, never probing,
 * and never loses a reply.
 */
#include "config.h"

#include "engine.h"

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <signal.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "icmp_id.h"
#include "identity.h"
#include "decode.h"
#include "dgram.h"
#include "fragment.h"
#include "lineio.h"
#include "ports.h"
#include "privilege.h"
#include "probe_table.h"
#include "sandbox.h"
#include "srccache.h"
#include "timeout_queue.h"

#define INPUT_CHUNK 65536
/* Pause reading commands while this much output waits for the reader. */
#define OUTPUT_HIGH_WATER (4u << 20)
#define OUTPUT_LOW_WATER (1u << 20)
#define RECV_BATCH 64
/* At most this many recvmmsg() batches per socket per loop iteration. */
#define RECV_BATCHES_PER_WAKEUP 8
/*
 * The largest datagram a raw socket can deliver (an IPv4 total length, an
 * IPv6 payload length): answers to large probes arrive reassembled, and an
 * SCTP INIT-ACK, which carries our INIT in its cookie, is decoded only
 * whole (its CRC covers every byte).  The buffers are touched only as far
 * as datagrams fill them.
 */
#define RECV_BUFFER 65536
#define MAX_BOUND_SETS 64
/* UDP probes without a port go to the traditional traceroute range. */
#define UDP_BASE_PORT 33434
#define UDP_PORT_SPAN 100
/* Attempts to find an identity not in flight before giving up. */
#define IDENTITY_TRIES 64

struct list_timer {
	ev_timer timer;
	struct engine *engine;
	uint32_t list;
};

/* An unprivileged probe's socket and what its answer must match. */
struct dgram_watch {
	ev_io io;
	struct engine *engine;
	uint32_t index;
	struct probe_spec spec;
};

struct rx_watcher {
	ev_io io;
	struct engine *engine;
	uint8_t family;
	enum probe_proto proto;
};

struct engine {
	struct ev_loop *loop;
	struct recv_sockets rx;
	struct send_set tx;
	struct send_set bound[MAX_BOUND_SETS];	/* per mark and interface */
	unsigned bound_count;
	bool can_mark;
	enum reply_names names;

	/* Without raw sockets: one unprivileged socket per probe (dgram.h). */
	bool dgram;
	bool dgram_ok[2][PROTO_COUNT];
	struct dgram_watch **dgram_watch;	/* by probe index */
	uint32_t dgram_watch_cap;

	struct probe_table table;
	struct timeout_set timeouts;
	struct src_cache srcs;
	struct port_pool ports;

	int in_fd, out_fd;
	struct line_framer framer;
	struct out_queue out;
	ev_io in_watcher, out_watcher, netlink_watcher;
	ev_prepare flush_watcher;
	ev_signal signal_watchers[3];	/* SIGTERM, SIGINT, SIGHUP */
	struct rx_watcher rx_watchers[2][PROTO_COUNT];
	bool input_closed;
	bool output_broken;
	int exit_status;

	struct icmp_id icmp_id;		/* this worker's echo identifier */
	unsigned sent_mask;		/* receive sockets to read after sends */
	uint32_t sent_count;		/* probes sent since that read */
	struct identity_gen identities;	/* per-probe identity values */

	char line[REPLY_MAX_LINE];
	uint8_t packet[PROBE_MAX_SIZE];
	uint8_t fragment[PROBE_MAX_SIZE];	/* one of packet's at a time */
	uint8_t rx_buf[RECV_BATCH][RECV_BUFFER];
};

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- output ------------------------------------------------------------ */

static void emit(struct engine *e, const char *text, size_t len)
{
	if (len == 0 || e->output_broken)
		return;
	if (!out_queue_append(&e->out, text, len)) {
		fprintf(stderr, "hopprobe: out of memory for replies\n");
		e->exit_status = 1;
		ev_break(e->loop, EVBREAK_ALL);
		return;
	}
	/* Backpressure: stop taking commands, keep answering probes. */
	if (out_queue_pending(&e->out) > OUTPUT_HIGH_WATER &&
	    ev_is_active(&e->in_watcher))
		ev_io_stop(e->loop, &e->in_watcher);
}

static void emit_probe_reply(struct engine *e, const struct probe_reply *r)
{
	emit(e, e->line, reply_format_probe(r, e->names, e->line,
					    sizeof(e->line)));
}

static void emit_simple(struct engine *e, int32_t token, enum reply_type type,
			int err)
{
	struct probe_reply r = { .token = token, .type = type, .err = err };

	emit_probe_reply(e, &r);
}

static void emit_invalid(struct engine *e, int32_t token,
			 enum request_reason reason)
{
	struct request req = {
		.status = REQ_INVALID_ARGUMENT,
		.reason = reason,
		.token = token,
	};

	emit(e, e->line, reply_format_request_error(&req, e->line,
						    sizeof(e->line)));
}

/* A send or set-up errno, as the protocol names it. */
static enum reply_type reply_for_errno(int err)
{
	switch (err) {
	case ENETUNREACH:
		return REPLY_NO_ROUTE_NETWORK;
	case EHOSTUNREACH:
		return REPLY_NO_ROUTE_HOST;
	case ENETDOWN:
		return REPLY_NETWORK_DOWN;
	case EHOSTDOWN:
		return REPLY_HOST_DOWN;
	case EPERM:
	case EACCES:
		return REPLY_PERMISSION_DENIED;
	case EADDRINUSE:
		return REPLY_ADDRESS_IN_USE;
	case EADDRNOTAVAIL:
		return REPLY_ADDRESS_NOT_AVAILABLE;
	case EINVAL:
		return REPLY_INVALID_ARGUMENT;
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		/*
		 * Out of descriptors or kernel memory for a socket or a port
		 * reservation: a resource that frees itself as probes finish,
		 * so the client is told to slow down, not that it failed.
		 */
		return REPLY_PROBES_EXHAUSTED;
	default:
		return REPLY_UNEXPECTED_ERROR;
	}
}

static void update_input(struct engine *e);
static void drain_after_send(struct engine *e);

static void flush_output(struct engine *e)
{
	if (out_queue_pending(&e->out) > 0 && !e->output_broken &&
	    out_queue_flush(&e->out, e->out_fd) < 0) {
		/* The reader is gone: nobody can receive answers any more. */
		e->output_broken = true;
		e->exit_status = 1;
		ev_break(e->loop, EVBREAK_ALL);
		return;
	}
	if (out_queue_pending(&e->out) > 0) {
		if (!ev_is_active(&e->out_watcher))
			ev_io_start(e->loop, &e->out_watcher);
	} else if (ev_is_active(&e->out_watcher)) {
		ev_io_stop(e->loop, &e->out_watcher);
	}
	update_input(e);
}

static uint64_t rtt_microseconds(const struct timespec *sent,
				 const struct timespec *got)
{
	int64_t ns = (int64_t)(got->tv_sec - sent->tv_sec) * 1000000000 +
		     (got->tv_nsec - sent->tv_nsec);

	/* A clock stepped backwards gives no negative times. */
	return ns > 0 ? (uint64_t)(ns + 500) / 1000 : 0;
}

static const enum reply_type reply_of_kind[] = {
	[KIND_REPLY] = REPLY_REPLY,
	[KIND_TTL_EXPIRED] = REPLY_TTL_EXPIRED,
	[KIND_NO_ROUTE_NETWORK] = REPLY_NO_ROUTE_NETWORK,
	[KIND_NO_ROUTE_HOST] = REPLY_NO_ROUTE_HOST,
};

/* ---- probe lifetime ---------------------------------------------------- */

static void finish_probe(struct engine *e, uint32_t i)
{
	struct probe *p = probe_table_at(&e->table, i);

	timeout_list_remove(&e->timeouts, &e->table, i);
	if (e->dgram) {
		struct dgram_watch *w = e->dgram_watch[i];

		ev_io_stop(e->loop, &w->io);
		dgram_close(w->io.fd, w->spec.proto);
		free(w);
		e->dgram_watch[i] = NULL;
	} else {
		ports_release(&e->ports, (enum probe_proto)p->key.proto,
			      p->local_port);
		sockets_filter_ports(&e->rx, &e->ports);
	}
	probe_table_remove(&e->table, i);
}

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
	double now = mono_now();

	(void)loop;
	(void)revents;
	while (l->head != PROBE_NONE) {
		uint32_t i = l->head;
		struct probe *p = probe_table_at(&e->table, i);

		if (p->deadline > now)
			break;
		emit_simple(e, p->token, REPLY_NO_REPLY, 0);
		finish_probe(e, i);
	}
	arm_list(e, lt->list, now);
}

static uint32_t list_for_timeout(struct engine *e, uint32_t seconds)
{
	uint32_t id = timeout_set_list(&e->timeouts, seconds);
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

/* ---- sending ------------------------------------------------------------ */

/*
 * The send sockets for a probe: the unmarked, unbound set, or the set for
 * its mark and interface, opened on first use.
 */
static const struct send_set *send_set_for(struct engine *e,
					   const struct probe_request *pr,
					   int ifindex, int *err)
{
	struct send_set *set;
	unsigned i;

	*err = 0;
	if (!pr->has_mark && !ifindex)
		return &e->tx;
	for (i = 0; i < e->bound_count; i++) {
		set = &e->bound[i];
		if (set->marked == pr->has_mark &&
		    (!pr->has_mark || set->mark == pr->mark) &&
		    set->ifindex == ifindex)
			return set;
	}
	if (pr->has_mark && !e->can_mark) {
		*err = EPERM;
		return NULL;
	}
	if (e->bound_count == MAX_BOUND_SETS) {
		/* Recycle the oldest set; its probes are already on the wire. */
		sockets_close_send(&e->bound[0]);
		memmove(&e->bound[0], &e->bound[1],
			(MAX_BOUND_SETS - 1) * sizeof(e->bound[0]));
		e->bound_count--;
	}
	/* Raw sockets, marks and devices need the capability once, here. */
	if (privilege_raise_net() == -1) {
		*err = errno;
		return NULL;
	}
	set = &e->bound[e->bound_count];
	*err = sockets_open_bound(set, pr->has_mark, pr->mark, ifindex);
	privilege_lower();
	if (*err)
		return NULL;
	e->bound_count++;
	return set;
}

/* Append one control message to buf at *used (the caller sized buf). */
static void put_cmsg(char *buf, size_t *used, int level, int type,
		     const void *data, size_t len)
{
	struct cmsghdr *c = (struct cmsghdr *)(buf + *used);

	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
	*used += CMSG_SPACE(len);
}

static int send_packet(const struct send_set *tx, const struct probe_spec *spec,
		       const uint8_t *pkt, size_t len, uint32_t scope_id,
		       bool explicit_src)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			 2 * CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct sockaddr_storage ss;
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	struct msghdr msg = {
		.msg_name = &ss,
		.msg_namelen = net_addr_to_sockaddr(&spec->dst, 0, scope_id, &ss),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	size_t clen = 0;
	int fd;

	memset(&control, 0, sizeof(control));
	if (spec->dst.family == AF_INET) {
		/* The IPv4 header we built carries TTL, TOS and source. */
		fd = tx->v4;
	} else {
		int hops = spec->ttl, tclass = spec->tos;

		fd = tx->v6[spec->proto];
		put_cmsg(control.buf, &clen, IPPROTO_IPV6, IPV6_HOPLIMIT, &hops,
			 sizeof(hops));
		put_cmsg(control.buf, &clen, IPPROTO_IPV6, IPV6_TCLASS, &tclass,
			 sizeof(tclass));
		if (explicit_src) {
			struct in6_pktinfo info;

			/* The source the checksum was computed with. */
			memset(&info, 0, sizeof(info));
			memcpy(&info.ipi6_addr, spec->src.bytes, 16);
			put_cmsg(control.buf, &clen, IPPROTO_IPV6, IPV6_PKTINFO,
				 &info, sizeof(info));
		}
	}
	if (clen) {
		msg.msg_control = control.buf;
		msg.msg_controllen = clen;
	}
	if (fd < 0)
		return EAFNOSUPPORT;
	while (sendmsg(fd, &msg, 0) == -1) {
		if (errno != EINTR)
			return errno;
	}
	return 0;
}

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
 * they share the probe's IP ID, which is never 0 (set_identity).  A
 * fragment that meets a full send queue loses the probe, like a congested
 * link: the caller treats EAGAIN and ENOBUFS so.  Fragmenting cannot help
 * when the route's MTU already holds the probe (the device's is smaller):
 * that stays EMSGSIZE.
 */
static int send_fragments(struct engine *e, const struct send_set *tx,
			  const struct probe_spec *spec, size_t len)
{
	size_t mtu = 0, count, k, n;
	int err;

	err = route_mtu4(tx->lookup4, &spec->dst, &mtu);
	if (err)
		return err;
	count = fragment_ipv4_count(e->packet, len, mtu);
	if (count < 2)
		return EMSGSIZE;
	for (k = 0; k < count; k++) {
		n = fragment_ipv4_write(e->packet, len, mtu, k, e->fragment,
					sizeof(e->fragment));
		if (n == 0)
			return EMSGSIZE;
		err = send_packet(tx, spec, e->fragment, n, 0, false);
		if (err)
			return err;
	}
	return 0;
}

/* Fill the identity fields of spec from a 32-bit identity value. */
static void set_identity(struct engine *e, struct probe_spec *spec,
			 const struct probe_request *pr, uint32_t id)
{
	switch (spec->proto) {
	case PROTO_ICMP:
		spec->icmp_id = e->icmp_id.id;
		spec->icmp_seq = (uint16_t)id;
		break;
	case PROTO_UDP:
		spec->dport = pr->port ? pr->port :
			(uint16_t)(UDP_BASE_PORT + id % UDP_PORT_SPAN);
		spec->udp_checksum = (uint16_t)(1 + id % 0xfffe);
		break;
	case PROTO_TCP:
		/*
		 * The low 16 bits stay zero: a RST answering a SYN that
		 * carries data acknowledges the data too (ack = seq + 1 +
		 * length), a SYN-ACK usually does not, so replies are matched
		 * on the high 16 bits of ack - 1 (see decode.c).
		 */
		spec->tcp_seq = id << 16;
		break;
	case PROTO_SCTP:
		spec->sctp_tag = id ? id : 1;
		break;
	default:
		break;
	}
	/*
	 * Never 0: the kernel gives an IP_HDRINCL packet with ID 0 a new ID
	 * of its own, and each fragment of a large probe would get another.
	 */
	spec->ip_id = (uint16_t)id ? (uint16_t)id : 1;
}

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

static bool family_ok(struct engine *e, uint8_t family)
{
	if (e->dgram)
		return e->dgram_ok[family == AF_INET6][PROTO_UDP];
	return sockets_family_ok(&e->rx, &e->tx, family);
}

static bool proto_ok(struct engine *e, uint8_t family, enum probe_proto p)
{
	if (e->dgram)
		return e->dgram_ok[family == AF_INET6][p];
	return sockets_proto_ok(&e->rx, &e->tx, family, p);
}

/* An unprivileged probe's socket has news: maybe the probe's answer. */
static void on_dgram(struct ev_loop *loop, ev_io *io, int revents)
{
	struct dgram_watch *w = (struct dgram_watch *)io;
	struct engine *e = w->engine;
	struct probe *p = probe_table_at(&e->table, w->index);
	struct dgram_event ev;
	struct probe_reply r;

	(void)loop;
	(void)revents;
	if (!dgram_read(io->fd, &w->spec, &ev))
		return;
	memset(&r, 0, sizeof(r));
	r.token = p->token;
	if (ev.kind == KIND_NONE) {
		r.type = reply_for_errno(ev.err);
		r.err = ev.err;
	} else {
		r.type = reply_of_kind[ev.kind];
		r.responder = ev.responder;
		r.has_rtt = true;
		r.rtt_us = rtt_microseconds(&p->sent, &ev.stamp);
	}
	emit_probe_reply(e, &r);
	finish_probe(e, w->index);
}

/* Room in the index -> watcher map for probe index i. */
static bool dgram_slot(struct engine *e, uint32_t i)
{
	struct dgram_watch **grown;
	uint32_t cap;

	if (i < e->dgram_watch_cap)
		return true;
	cap = e->table.capacity > i ? e->table.capacity : i + 1;
	grown = realloc(e->dgram_watch, cap * sizeof(*grown));
	if (!grown)
		return false;
	memset(grown + e->dgram_watch_cap, 0,
	       (cap - e->dgram_watch_cap) * sizeof(*grown));
	e->dgram_watch = grown;
	e->dgram_watch_cap = cap;
	return true;
}

/*
 * Send a probe without privilege: its own socket (dgram.c), watched until
 * an answer or the timeout.  Marks need privilege; so do SCTP and, where
 * ping_group_range excludes the user, ICMP (proto_ok said so already).
 */
static void submit_dgram(struct engine *e, const struct request *req,
			 uint32_t scope_id, int ifindex)
{
	const struct probe_request *pr = &req->probe;
	struct dgram_watch *w;
	struct probe_key key;
	struct probe *p;
	uint32_t i = PROBE_NONE, list, id = 0;
	double now = mono_now();
	int err, tries;

	if (pr->has_mark) {
		emit_simple(e, req->token, REPLY_PERMISSION_DENIED, 0);
		return;
	}
	if (pr->local.family) {
		err = src_cache_check_local(&e->srcs, &pr->local,
					    &pr->dst, now);
		if (err) {
			emit_simple(e, req->token, reply_for_errno(err), err);
			return;
		}
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		emit_simple(e, req->token, REPLY_UNEXPECTED_ERROR, ENOMEM);
		return;
	}
	/* The socket is the identity; the key only needs to be unique. */
	memset(&key, 0, sizeof(key));
	key.family = pr->dst.family;
	key.proto = pr->proto;
	memcpy(key.dst, pr->dst.bytes, 16);
	for (tries = 0; tries < IDENTITY_TRIES && i == PROBE_NONE; tries++) {
		id = identity_next(&e->identities);
		key.wire_id = id;
		i = probe_table_insert(&e->table, &key);
	}
	list = list_for_timeout(e, pr->timeout);
	if (i == PROBE_NONE || list == UINT32_MAX || !dgram_slot(e, i)) {
		if (i != PROBE_NONE)
			probe_table_remove(&e->table, i);
		free(w);
		emit_simple(e, req->token, REPLY_PROBES_EXHAUSTED, 0);
		return;
	}
	w->spec.proto = pr->proto;
	w->spec.dst = pr->dst;
	w->spec.src = pr->local;
	w->spec.ttl = pr->ttl;
	w->spec.tos = pr->tos;
	w->spec.size = (uint16_t)pr->size;
	w->spec.pattern = pr->pattern;
	w->spec.icmp_seq = (uint16_t)id;
	w->spec.sport = pr->local_port;
	w->spec.dport = pr->port ? pr->port : pr->proto == PROTO_UDP ?
		(uint16_t)(UDP_BASE_PORT + id % UDP_PORT_SPAN) : 80;
	p = probe_table_at(&e->table, i);
	p->token = req->token;
	err = dgram_send(&w->spec, scope_id, ifindex, &w->io.fd, &p->sent);
	if (err) {
		probe_table_remove(&e->table, i);
		free(w);
		/* Out of descriptors is the unprivileged probes-exhausted. */
		if (err == EMFILE || err == ENFILE)
			emit_simple(e, req->token, REPLY_PROBES_EXHAUSTED, 0);
		else
			emit_simple(e, req->token, reply_for_errno(err), err);
		return;
	}
	w->engine = e;
	w->index = i;
	ev_io_init(&w->io, on_dgram, w->io.fd,
		   EV_READ | (pr->proto == PROTO_TCP ? EV_WRITE : 0));
	ev_io_start(e->loop, &w->io);
	e->dgram_watch[i] = w;
	now = mono_now();
	p->deadline = now + pr->timeout;
	timeout_list_push(&e->timeouts, list, &e->table, i);
	arm_list(e, list, now);
}

static void submit_probe(struct engine *e, const struct request *req)
{
	const struct probe_request *pr = &req->probe;
	uint8_t family = pr->dst.family;
	struct probe_spec spec;
	const struct send_set *tx;
	struct probe_key key;
	struct probe *p;
	bool bad_name = false, need_src;
	unsigned scope_id, ifindex;
	uint32_t i = PROBE_NONE, list;
	size_t len;
	int err, tries;
	double now;

	if (!family_ok(e, family)) {
		emit_invalid(e, req->token, REASON_IP_VERSION);
		return;
	}
	if (!proto_ok(e, family, pr->proto)) {
		/* Unprivileged, it is privilege that is missing. */
		if (e->dgram)
			emit_simple(e, req->token, REPLY_PERMISSION_DENIED, 0);
		else
			emit_invalid(e, req->token, REASON_PROTOCOL);
		return;
	}
	scope_id = name_to_index(pr->dst_scope, &bad_name);
	ifindex = name_to_index(pr->device, &bad_name);
	if (bad_name) {
		emit_invalid(e, req->token, REASON_NONE);
		return;
	}
	if (e->table.count >= e->table.limit) {
		emit_simple(e, req->token, REPLY_PROBES_EXHAUSTED, 0);
		return;
	}
	if (e->dgram) {
		submit_dgram(e, req, scope_id, (int)ifindex);
		return;
	}
	tx = send_set_for(e, pr, (int)ifindex, &err);
	if (!tx) {
		emit_simple(e, req->token, reply_for_errno(err), err);
		return;
	}

	memset(&spec, 0, sizeof(spec));
	spec.proto = pr->proto;
	spec.dst = pr->dst;
	spec.ttl = pr->ttl;
	spec.tos = pr->tos;
	spec.size = (uint16_t)pr->size;
	spec.pattern = pr->pattern;
	now = mono_now();

	/*
	 * The source: the client's (if it is ours), or routing's when a
	 * checksum covers it (UDP, TCP); otherwise the kernel fills it in.
	 */
	need_src = pr->proto == PROTO_UDP || pr->proto == PROTO_TCP;
	if (pr->local.family) {
		err = src_cache_check_local(&e->srcs, &pr->local,
					    &pr->dst, now);
		if (err) {
			emit_simple(e, req->token, reply_for_errno(err), err);
			return;
		}
		spec.src = pr->local;
	} else if (need_src) {
		err = src_cache_lookup(&e->srcs, family == AF_INET ?
				       tx->lookup4 : tx->lookup6, &pr->dst,
				       scope_id, pr->has_mark, pr->mark,
				       (int)ifindex, now, &spec.src);
		if (err) {
			emit_simple(e, req->token, reply_for_errno(err), err);
			return;
		}
	} else {
		spec.src.family = family;	/* any: the kernel chooses */
	}

	if (pr->proto != PROTO_ICMP) {
		spec.sport = pr->local_port ? pr->local_port :
			e->ports.default_port[pr->proto];
		spec.dport = pr->port ? pr->port : 80;
		err = ports_acquire(&e->ports, pr->proto, spec.sport);
		if (err) {
			emit_simple(e, req->token, reply_for_errno(err), err);
			return;
		}
		/* Before sending: the answer must pass the new filter. */
		sockets_filter_ports(&e->rx, &e->ports);
	}

	/* An identity no probe in flight has: usually the first one tried. */
	for (tries = 0; tries < IDENTITY_TRIES; tries++) {
		set_identity(e, &spec, pr, identity_next(&e->identities));
		probe_spec_key(&spec, &key);
		i = probe_table_insert(&e->table, &key);
		if (i != PROBE_NONE)
			break;
	}
	if (i == PROBE_NONE) {
		ports_release(&e->ports, pr->proto, spec.sport);
		sockets_filter_ports(&e->rx, &e->ports);
		emit_simple(e, req->token, REPLY_PROBES_EXHAUSTED, 0);
		return;
	}
	p = probe_table_at(&e->table, i);
	p->token = req->token;
	p->local_port = spec.sport;

	list = list_for_timeout(e, pr->timeout);
	len = probe_build(&spec, e->packet, sizeof(e->packet));
	if (list == UINT32_MAX || len == 0) {
		ports_release(&e->ports, pr->proto, spec.sport);
		sockets_filter_ports(&e->rx, &e->ports);
		probe_table_remove(&e->table, i);
		emit_simple(e, req->token, list == UINT32_MAX ?
			    REPLY_UNEXPECTED_ERROR : REPLY_INVALID_ARGUMENT,
			    ENOMEM);
		return;
	}

	clock_gettime(CLOCK_REALTIME, &p->sent);
	err = send_packet(tx, &spec, e->packet, len, scope_id,
			  family == AF_INET6 && (need_src || pr->local.family));
	if (err == EMSGSIZE && family == AF_INET)
		err = send_fragments(e, tx, &spec, len);
	if (err && err != EAGAIN && err != ENOBUFS) {
		ports_release(&e->ports, pr->proto, spec.sport);
		sockets_filter_ports(&e->rx, &e->ports);
		probe_table_remove(&e->table, i);
		emit_simple(e, req->token, reply_for_errno(err), err);
		return;
	}
	/*
	 * A full send queue (EAGAIN, ENOBUFS) loses the packet as a congested
	 * link would: the probe stays in flight and ends as no-reply.
	 */
	/* Errors come to the ICMP socket, answers to the protocol's own. */
	e->sent_count++;
	e->sent_mask |= 1u << ((family == AF_INET ? 0 : PROTO_COUNT) +
			       PROTO_ICMP);
	if (pr->proto == PROTO_TCP || pr->proto == PROTO_SCTP)
		e->sent_mask |= 1u << ((family == AF_INET ? 0 : PROTO_COUNT) +
				       pr->proto);
	now = mono_now();
	p->deadline = now + pr->timeout;
	timeout_list_push(&e->timeouts, list, &e->table, i);
	arm_list(e, list, now);
}

/* ---- commands ----------------------------------------------------------- */

static const char *support_answer(struct engine *e, const char *feature)
{
	static const char *const protos[PROTO_COUNT] = {
		"icmp", "udp", "tcp", "sctp"
	};
	int p;

	if (strcmp(feature, "version") == 0)
		return PACKAGE_VERSION;
	if (strcmp(feature, "send-probe") == 0)
		return "ok";
	if (strcmp(feature, "ip-4") == 0)
		return family_ok(e, AF_INET) ? "ok" : "no";
	if (strcmp(feature, "ip-6") == 0)
		return family_ok(e, AF_INET6) ? "ok" : "no";
	if (strcmp(feature, "mark") == 0)
		return e->can_mark && !e->dgram ? "ok" : "no";
	for (p = 0; p < PROTO_COUNT; p++) {
		if (strcmp(feature, protos[p]) == 0)
			return proto_ok(e, AF_INET, p) ||
			       proto_ok(e, AF_INET6, p) ? "ok" : "no";
	}
	return "no";
}

static void on_line(void *ctx, const char *text, size_t len)
{
	struct engine *e = ctx;
	struct request req;

	request_parse(text, len, &req);
	if (req.status != REQ_OK) {
		emit(e, e->line, reply_format_request_error(&req, e->line,
							    sizeof(e->line)));
		return;
	}
	if (req.command == CMD_CHECK_SUPPORT) {
		emit(e, e->line,
		     reply_format_support(req.token,
					  support_answer(e, req.feature),
					  e->line, sizeof(e->line)));
		return;
	}
	submit_probe(e, &req);
}

static void on_overflow(void *ctx)
{
	struct engine *e = ctx;

	emit(e, e->line, reply_format_overflow(e->line, sizeof(e->line)));
}

/* Resume reading commands once the reader has caught up. */
static void update_input(struct engine *e)
{
	if (e->input_closed || ev_is_active(&e->in_watcher))
		return;
	if (out_queue_pending(&e->out) <= OUTPUT_LOW_WATER)
		ev_io_start(e->loop, &e->in_watcher);
}

static void on_input(struct ev_loop *loop, ev_io *w, int revents)
{
	struct engine *e = w->data;
	char buf[INPUT_CHUNK];
	ssize_t n;

	(void)revents;
	n = read(e->in_fd, buf, sizeof(buf));
	if (n > 0) {
		line_framer_feed(&e->framer, buf, (size_t)n, on_line,
				 on_overflow, e);
		drain_after_send(e);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* End of input (or an unreadable stdin): finish what is in flight. */
	line_framer_finish(&e->framer, on_line, e);
	e->input_closed = true;
	ev_io_stop(loop, w);
}

static void on_output(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	flush_output(w->data);
}

/* Before the loop sleeps: write what was answered, and maybe finish. */
static void on_prepare(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct engine *e = w->data;

	(void)revents;
	flush_output(e);
	if (e->input_closed && e->table.count == 0 &&
	    out_queue_pending(&e->out) == 0)
		ev_break(loop, EVBREAK_ALL);
}

/* ---- receiving ------------------------------------------------------------ */

static void handle_datagram(struct engine *e, uint8_t family,
			    enum probe_proto proto, const uint8_t *buf,
			    size_t len, const struct sockaddr_storage *from,
			    const struct timespec *stamp)
{
	struct decoded d;
	struct probe_reply r;
	struct probe *p;
	uint32_t i;
	bool ok;

	if (family == AF_INET) {
		ok = decode_ipv4(buf, len, &d);
	} else {
		const struct sockaddr_in6 *sin6 =
			(const struct sockaddr_in6 *)from;

		if (from->ss_family != AF_INET6)
			return;
		ok = decode_ipv6(proto, sin6->sin6_addr.s6_addr, buf, len, &d);
	}
	if (!ok || d.kind == KIND_NONE)
		return;
	i = probe_table_find(&e->table, &d.key);
	if (i == PROBE_NONE)
		return;		/* not ours, or answered already */
	p = probe_table_at(&e->table, i);
	memset(&r, 0, sizeof(r));
	r.token = p->token;
	r.type = reply_of_kind[d.kind];
	r.responder = d.responder;
	r.has_rtt = true;
	r.rtt_us = rtt_microseconds(&p->sent, stamp);
	r.mpls = d.kind == KIND_TTL_EXPIRED || d.kind == KIND_NO_ROUTE_HOST ||
			 d.kind == KIND_NO_ROUTE_NETWORK ? &d.mpls : NULL;
	emit_probe_reply(e, &r);
	finish_probe(e, i);
}

static void drain_socket(struct rx_watcher *rw, uint32_t max_batches)
{
	struct engine *e = rw->engine;
	ev_io *w = &rw->io;
	struct mmsghdr msgs[RECV_BATCH];
	struct iovec iovs[RECV_BATCH];
	struct sockaddr_storage from[RECV_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec)) + 64];
		struct cmsghdr align;
	} control[RECV_BATCH];
	int n, k, batches;

	/*
	 * Drain up to a budget per wake-up (max_batches recvmmsg calls): a
	 * flood of datagrams that are not ours must not keep stdin, timers
	 * and output waiting.  What is left is read on the next loop
	 * iteration (epoll is level-triggered: the watcher fires again).
	 */
	for (batches = 0; batches < (int)max_batches; batches++) {
		for (k = 0; k < RECV_BATCH; k++) {
			iovs[k].iov_base = e->rx_buf[k];
			iovs[k].iov_len = RECV_BUFFER;
			memset(&msgs[k], 0, sizeof(msgs[k]));
			msgs[k].msg_hdr.msg_name = &from[k];
			msgs[k].msg_hdr.msg_namelen = sizeof(from[k]);
			msgs[k].msg_hdr.msg_iov = &iovs[k];
			msgs[k].msg_hdr.msg_iovlen = 1;
			msgs[k].msg_hdr.msg_control = control[k].buf;
			msgs[k].msg_hdr.msg_controllen = sizeof(control[k].buf);
		}
		n = recvmmsg(w->fd, msgs, RECV_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		for (k = 0; k < n; k++) {
			struct msghdr *m = &msgs[k].msg_hdr;
			struct timespec stamp = { 0, 0 };
			struct cmsghdr *c;
			size_t len = msgs[k].msg_len;

			for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
				if (c->cmsg_level == SOL_SOCKET &&
				    c->cmsg_type == SO_TIMESTAMPNS)
					memcpy(&stamp, CMSG_DATA(c),
					       sizeof(stamp));
			if (stamp.tv_sec == 0)
				clock_gettime(CLOCK_REALTIME, &stamp);
			if (len > RECV_BUFFER)
				len = RECV_BUFFER;	/* truncated */
			handle_datagram(e, rw->family, rw->proto,
					e->rx_buf[k], len, &from[k], &stamp);
		}
		if (n < RECV_BATCH)
			break;
	}
}

static void on_receive(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	drain_socket((struct rx_watcher *)w, RECV_BATCHES_PER_WAKEUP);
}

/*
 * After a batch of sends, read the sockets the answers come to before
 * sleeping: on fast paths (loopback, a lab of namespaces) the kernel has
 * queued them during the send already, and reading now saves a wake-up and
 * the latency of one more loop iteration.
 */
static void drain_after_send(struct engine *e)
{
	/*
	 * Besides the usual budget, as many datagrams as probes were just
	 * sent: their answers are what is queued, and reading fewer would let
	 * a long burst of commands overrun the receive buffer.  Still bounded
	 * by the input just read, so a flood cannot hold the loop here.
	 */
	uint32_t batches = RECV_BATCHES_PER_WAKEUP +
			   (e->sent_count + RECV_BATCH - 1) / RECV_BATCH;
	int f, p;

	for (f = 0; f < 2; f++) {
		for (p = 0; p < PROTO_COUNT; p++) {
			struct rx_watcher *rw = &e->rx_watchers[f][p];

			if (e->sent_mask & (1u << (f * PROTO_COUNT + p)) &&
			    ev_is_active(&rw->io))
				drain_socket(rw, batches);
		}
	}
	e->sent_mask = 0;
	e->sent_count = 0;
}

static void on_netlink(struct ev_loop *loop, ev_io *w, int revents)
{
	struct engine *e = w->data;

	(void)loop;
	(void)revents;
	src_cache_netlink_read(&e->srcs);
}

/*
 * SIGTERM, SIGINT, SIGHUP: stop at once, without waiting for the probes in
 * flight; engine_run then restores the descriptors' flags (shared with the
 * shell or the client) and the worker exits with 128 + the signal number,
 * as a shell reports a death by that signal.
 */
static void on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct engine *e = w->data;

	(void)revents;
	e->exit_status = 128 + w->signum;
	ev_break(loop, EVBREAK_ALL);
}

/* ---- set-up --------------------------------------------------------------- */

static void set_nonblocking(int fd, int *saved)
{
	*saved = fcntl(fd, F_GETFL);
	if (*saved != -1)
		(void)fcntl(fd, F_SETFL, *saved | O_NONBLOCK);
}

static void start_receivers(struct engine *e)
{
	int f, p;

	for (f = 0; f < 2; f++) {
		for (p = 0; p < PROTO_COUNT; p++) {
			struct rx_watcher *rw = &e->rx_watchers[f][p];
			int fd = f == 0 ? e->rx.v4[p] : e->rx.v6[p];

			if (fd < 0)
				continue;
			rw->engine = e;
			rw->family = f == 0 ? AF_INET : AF_INET6;
			rw->proto = p;
			ev_io_init(&rw->io, on_receive, fd, EV_READ);
			ev_io_start(e->loop, &rw->io);
		}
	}
}

static void engine_cleanup(struct engine *e)
{
	uint32_t l;
	unsigned m;

	for (l = 0; l < e->dgram_watch_cap; l++) {
		struct dgram_watch *w = e->dgram_watch[l];

		if (w) {
			ev_io_stop(e->loop, &w->io);
			dgram_close(w->io.fd, w->spec.proto);
			free(w);
		}
	}
	free(e->dgram_watch);
	for (l = 0; l < e->timeouts.count; l++) {
		struct list_timer *lt = timeout_set_at(&e->timeouts, l)->timer;

		if (lt)
			ev_timer_stop(e->loop, &lt->timer);
		free(lt);
	}
	timeout_set_free(&e->timeouts);
	probe_table_free(&e->table);
	src_cache_free(&e->srcs);
	ports_free(&e->ports);
	out_queue_free(&e->out);
	for (m = 0; m < 3; m++)
		ev_signal_stop(e->loop, &e->signal_watchers[m]);
	for (m = 0; m < e->bound_count; m++)
		sockets_close_send(&e->bound[m]);
	sockets_close_send(&e->tx);
	sockets_close_recv(&e->rx);
	icmp_id_release(&e->icmp_id);
	ev_loop_destroy(e->loop);
}

/* A key for the identity permutation: random, or at worst not guessable
 * from the PID alone. */
static void seed_identities(struct identity_gen *g)
{
	uint32_t key[IDENTITY_KEY_WORDS];
	struct timespec ts;
	int i;

	if (getrandom(key, sizeof(key), GRND_NONBLOCK) != sizeof(key)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		for (i = 0; i < IDENTITY_KEY_WORDS; i++)
			key[i] = ((uint32_t)ts.tv_nsec ^ (uint32_t)getpid() ^
				  (uint32_t)i) * 2654435761u;
	}
	identity_init(g, key);
}

int engine_run(const struct engine_setup *setup)
{
	struct engine *e = calloc(1, sizeof(*e));
	int in_flags, out_flags, status, err, sig;
	char msg[256];

	if (!e) {
		fprintf(stderr, "hopprobe: out of memory\n");
		return 1;
	}
	e->rx = setup->rx;
	e->tx = setup->tx;
	e->names = setup->names;
	e->in_fd = setup->in_fd;
	e->out_fd = setup->out_fd;
	e->can_mark = privilege_can_mark();
	e->dgram = setup->unprivileged;
	if (e->dgram) {
		int f, p;

		for (f = 0; f < 2; f++)
			for (p = 0; p < PROTO_COUNT; p++)
				e->dgram_ok[f][p] = dgram_available(
					f ? AF_INET6 : AF_INET, p);
		if (!e->dgram_ok[0][PROTO_UDP] && !e->dgram_ok[1][PROTO_UDP]) {
			fprintf(stderr, "hopprobe: cannot open any socket\n");
			free(e);
			return 1;
		}
	}
	if (!e->dgram)
		icmp_id_choose(&e->icmp_id);
	else
		e->icmp_id.fd4 = e->icmp_id.fd6 = -1;
	seed_identities(&e->identities);

	/* No environment variable may steer a privileged program's loop. */
	e->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOENV);
	if (!e->loop || !probe_table_init(&e->table, setup->max_in_flight) ||
	    !timeout_set_init(&e->timeouts)) {
		fprintf(stderr, "hopprobe: out of memory\n");
		free(e);
		return 1;
	}
	/* Unprivileged probes' own sockets hold their ports. */
	err = e->dgram ? 0 : ports_init(&e->ports);
	if (err) {
		fprintf(stderr, "hopprobe: cannot reserve source ports: %s\n",
			strerror(err));
		free(e);
		return 1;
	}
	if (!e->dgram)
		sockets_filter_ports(&e->rx, &e->ports);
	src_cache_init(&e->srcs);
	line_framer_init(&e->framer);
	out_queue_init(&e->out);

	set_nonblocking(e->in_fd, &in_flags);
	set_nonblocking(e->out_fd, &out_flags);
	ev_io_init(&e->in_watcher, on_input, e->in_fd, EV_READ);
	e->in_watcher.data = e;
	ev_io_start(e->loop, &e->in_watcher);
	ev_io_init(&e->out_watcher, on_output, e->out_fd, EV_WRITE);
	e->out_watcher.data = e;
	ev_prepare_init(&e->flush_watcher, on_prepare);
	e->flush_watcher.data = e;
	ev_prepare_start(e->loop, &e->flush_watcher);
	if (src_cache_netlink_fd(&e->srcs) >= 0) {
		ev_io_init(&e->netlink_watcher, on_netlink,
			   src_cache_netlink_fd(&e->srcs), EV_READ);
		e->netlink_watcher.data = e;
		ev_io_start(e->loop, &e->netlink_watcher);
	}
	start_receivers(e);
	for (sig = 0; sig < 3; sig++) {
		static const int handled[3] = { SIGTERM, SIGINT, SIGHUP };

		ev_signal_init(&e->signal_watchers[sig], on_signal,
			       handled[sig]);
		e->signal_watchers[sig].data = e;
		ev_signal_start(e->loop, &e->signal_watchers[sig]);
	}

	/*
	 * From here on only the calls of the loop (sandbox.h), before a byte
	 * of input is read; a worker that cannot be confined does not run.
	 */
	if (sandbox_install(msg, sizeof(msg)) == -1) {
		fprintf(stderr, "hopprobe: %s\n", msg);
		e->exit_status = 1;
	} else {
		ev_run(e->loop, 0);
	}

	/* Answers already queued still go out if the reader takes them. */
	if (!e->output_broken && out_queue_pending(&e->out) > 0)
		(void)out_queue_flush(&e->out, e->out_fd);
	status = e->exit_status;
	if (in_flags != -1)
		(void)fcntl(e->in_fd, F_SETFL, in_flags);
	if (out_flags != -1)
		(void)fcntl(e->out_fd, F_SETFL, out_flags);
	engine_cleanup(e);
	free(e);
	return status;
}

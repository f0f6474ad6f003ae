/*
 * raw_receive.c: the raw-socket backend's receiving (raw_backend.h).
 *
 * The receive sockets are drained with recvmmsg() on every wake-up; each
 * datagram is decoded (pure, decode.h), looked up by key (O(1)) and
 * answered.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "raw_backend.h"

/*
 * hop_limit: the IPv6 answer's hop limit from its IPV6_HOPLIMIT control
 * message, or -1; an IPv4 answer's TTL is in the header decode_ipv4 reads.
 */
static void handle_datagram(struct engine *e, uint8_t family,
			    enum probe_proto proto, const uint8_t *buf,
			    size_t len, const struct sockaddr_storage *from,
			    const struct timespec *stamp, int hop_limit)
{
	struct decoded d;
	uint32_t i;
	bool ok;
	int fd;

	if (family == AF_INET) {
		ok = decode_ipv4(buf, len, &d);
	} else {
		const struct sockaddr_in6 *sin6 =
			(const struct sockaddr_in6 *)from;

		if (from->ss_family != AF_INET6)
			return;
		ok = decode_ipv6(proto, sin6->sin6_addr.s6_addr, buf, len, &d);
		if (ok && hop_limit >= 0 && hop_limit <= UINT8_MAX) {
			d.details.have |= DETAIL_REPLY_TTL;
			d.details.reply_ttl = (uint8_t)hop_limit;
		}
	}
	if (!ok || d.kind == KIND_NONE)
		return;
	i = probe_table_find(&e->table, &d.key);
	/* Not ours, answered already, or (forged) ahead of its probe. */
	if (i == PROBE_NONE ||
	    probe_table_at(&e->table, i)->state != PROBE_IN_FLIGHT)
		return;
	/*
	 * rtt-ns: the transmit stamp is queued before the answer arrives,
	 * but its socket's watcher may not have run yet.
	 */
	fd = engine_rttns_waiting(e, i);
	if (fd >= 0)
		raw_txstamp_drain(e, fd);
	if (d.kind == KIND_PACKET_TOO_BIG)
		engine_probe_too_big(e, i, &d, stamp);
	else
		engine_probe_answer(e, i, d.kind, &d.responder, stamp,
				    d.kind == KIND_REPLY ? NULL : &d.mpls,
				    &d.details);
}

static void drain_socket(struct rx_watcher *rw, uint32_t max_batches)
{
	struct engine *e = rw->engine;
	struct raw_backend *rb = e->raw;
	struct mmsghdr msgs[RECV_BATCH];
	struct iovec iovs[RECV_BATCH];
	struct sockaddr_storage from[RECV_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec)) + 64];
		struct cmsghdr align;
	} control[RECV_BATCH];
	int n, k;
	uint32_t batches;

	/*
	 * Drain up to a budget per wake-up (max_batches recvmmsg calls): a
	 * flood of datagrams that are not ours must not keep stdin, timers
	 * and output waiting.  What is left is read on the next loop
	 * iteration (epoll is level-triggered: the watcher fires again).
	 */
	for (batches = 0; batches < max_batches; batches++) {
		for (k = 0; k < RECV_BATCH; k++) {
			iovs[k].iov_base = rb->rx_buf[k];
			iovs[k].iov_len = RECV_BUFFER;
			memset(&msgs[k], 0, sizeof(msgs[k]));
			msgs[k].msg_hdr.msg_name = &from[k];
			msgs[k].msg_hdr.msg_namelen = sizeof(from[k]);
			msgs[k].msg_hdr.msg_iov = &iovs[k];
			msgs[k].msg_hdr.msg_iovlen = 1;
			msgs[k].msg_hdr.msg_control = control[k].buf;
			msgs[k].msg_hdr.msg_controllen = sizeof(control[k].buf);
		}
		n = recvmmsg(rw->io.fd, msgs, RECV_BATCH, MSG_DONTWAIT, NULL);
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
			int hop_limit = -1;

			for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
				if (c->cmsg_level == SOL_SOCKET &&
				    c->cmsg_type == SO_TIMESTAMPNS)
					memcpy(&stamp, CMSG_DATA(c),
					       sizeof(stamp));
				else if (c->cmsg_level == IPPROTO_IPV6 &&
					 c->cmsg_type == IPV6_HOPLIMIT &&
					 c->cmsg_len >= CMSG_LEN(sizeof(int)))
					memcpy(&hop_limit, CMSG_DATA(c),
					       sizeof(hop_limit));
			}
			if (stamp.tv_sec == 0)
				clock_gettime(CLOCK_REALTIME, &stamp);
			if (len > RECV_BUFFER)
				len = RECV_BUFFER;	/* truncated */
			handle_datagram(e, rw->family, rw->proto,
					rb->rx_buf[k], len, &from[k], &stamp,
					hop_limit);
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
void raw_drain_after_send(struct engine *e)
{
	struct raw_backend *rb = e->raw;
	/*
	 * Besides the usual budget, as many datagrams as probes were just
	 * sent: their answers are what is queued, and reading fewer would let
	 * a long burst of commands overrun the receive buffer.  Still bounded
	 * by the input just read, so a flood cannot hold the loop here.
	 */
	uint32_t batches = RECV_BATCHES_PER_WAKEUP +
			   (rb->sent_count + RECV_BATCH - 1) / RECV_BATCH;
	int f, p;

	for (f = 0; f < 2; f++) {
		for (p = 0; p < PROTO_COUNT; p++) {
			struct rx_watcher *rw = &rb->rx_watchers[f][p];

			if (rb->sent_mask & (1u << (f * PROTO_COUNT + p)) &&
			    ev_is_active(&rw->io))
				drain_socket(rw, batches);
		}
	}
	rb->sent_mask = 0;
	rb->sent_count = 0;
}

/* Watch every receive socket open and not watched yet. */
void raw_start_receivers(struct engine *e)
{
	struct raw_backend *rb = e->raw;
	int f, p;

	for (f = 0; f < 2; f++) {
		for (p = 0; p < PROTO_COUNT; p++) {
			struct rx_watcher *rw = &rb->rx_watchers[f][p];
			int fd = f == 0 ? rb->rx.v4[p] : rb->rx.v6[p];

			if (fd < 0 || ev_is_active(&rw->io))
				continue;
			rw->engine = e;
			rw->family = f == 0 ? AF_INET : AF_INET6;
			rw->proto = p;
			ev_io_init(&rw->io, on_receive, fd, EV_READ);
			ev_io_start(e->loop, &rw->io);
		}
	}
}

void raw_stop_receivers(struct engine *e)
{
	struct raw_backend *rb = e->raw;
	int f, p;

	for (f = 0; f < 2; f++)
		for (p = 0; p < PROTO_COUNT; p++)
			ev_io_stop(e->loop, &rb->rx_watchers[f][p].io);
}

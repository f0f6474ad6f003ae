/*
 * dgram.c: per-probe unprivileged sockets: open, send, read the outcome.
 */
#include "config.h"

#include "dgram.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dgram_parse.h"
#include "txstamp.h"

static int socket_for(uint8_t family, enum probe_proto proto)
{
	int type = SOCK_DGRAM, protocol = 0;

	if (proto == PROTO_ICMP)
		protocol = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	else if (proto == PROTO_TCP)
		type = SOCK_STREAM;
	else if (proto != PROTO_UDP)
		return -1;
	return socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
}

bool dgram_available(uint8_t family, enum probe_proto proto)
{
	int fd;

	if (proto == PROTO_SCTP)
		return false;	/* no unprivileged way to send SCTP INIT */
	fd = socket_for(family, proto);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value)) == -1 ? errno
									 : 0;
}

/*
 * One probe per socket: every transmit stamp the socket reports is the
 * probe's, so the socket itself asks for them (TXSTAMP_RECORD).
 */
static int set_stamping(int fd)
{
	return set_int(fd, SOL_SOCKET, SO_TIMESTAMPING,
		       TXSTAMP_REPORT | TXSTAMP_RECORD);
}

bool dgram_stamps_available(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = set_stamping(fd) == 0;
	close(fd);
	return ok;
}

/* Hop limit, traffic class, error queue, timestamps, device, source. */
static int configure(int fd, const struct probe_spec *spec, int ifindex)
{
	bool v4 = spec->dst.family == AF_INET;
	struct sockaddr_storage ss;
	socklen_t len;
	int err;

	err = set_int(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
		      v4 ? IP_TTL : IPV6_UNICAST_HOPS, spec->ttl);
	if (!err)
		err = set_int(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
			      v4 ? IP_TOS : IPV6_TCLASS, spec->tos);
	if (!err)
		err = set_int(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
			      v4 ? IP_RECVERR : IPV6_RECVERR, 1);
	if (!err)
		err = set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
	/* The answer's TTL, for reply-details, errors included. */
	if (!err)
		err = set_int(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
			      v4 ? IP_RECVTTL : IPV6_RECVHOPLIMIT, 1);
	if (!err && ifindex)
		err = set_int(fd, SOL_SOCKET, SO_BINDTOIFINDEX, ifindex);
	/*
	 * Several probes in flight may name one local-port (mtr -L): their
	 * sockets share it, and an IPv6 one must not claim the IPv4 port.
	 */
	if (!err && !v4)
		err = set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	if (!err && spec->sport && spec->proto != PROTO_ICMP)
		err = set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (!err && (spec->src.family || spec->sport)) {
		struct net_addr any = { .family = spec->dst.family };

		len = net_addr_to_sockaddr(spec->src.family ? &spec->src : &any,
					   spec->proto == PROTO_ICMP ? 0 :
					   spec->sport, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, len) == -1)
			err = errno;
	}
	return err;
}

int dgram_send(const struct probe_spec *spec, uint32_t scope_id, int ifindex,
	       bool stamp, int *fd_out, struct timespec *sent)
{
	uint8_t buf[PROBE_MAX_SIZE];
	struct sockaddr_storage ss;
	const uint8_t *payload = buf;
	size_t len = 0, ip_header = spec->dst.family == AF_INET ? 20 : 40;
	socklen_t slen;
	int fd, err;

	fd = socket_for(spec->dst.family, spec->proto);
	if (fd < 0)
		return errno ? errno : EPROTONOSUPPORT;
	err = configure(fd, spec, ifindex);
	if (!err && stamp && spec->proto != PROTO_TCP)
		err = set_stamping(fd);
	if (err)
		goto fail;
	slen = net_addr_to_sockaddr(&spec->dst, spec->proto == PROTO_ICMP ? 0 :
				    spec->dport, scope_id, &ss);
	if (spec->proto == PROTO_ICMP) {
		/* The kernel writes the identifier and the checksum. */
		len = probe_build(spec, buf, sizeof(buf));
		if (spec->dst.family == AF_INET && len > ip_header) {
			payload = buf + ip_header;
			len -= ip_header;
		}
	} else if (spec->proto == PROTO_UDP) {
		size_t want = spec->size > ip_header + 8 ?
			spec->size - ip_header - 8 : 0;

		memset(buf, spec->pattern, want);
		len = want;
	}
	if (spec->proto == PROTO_TCP) {
		/* The SYN is the probe: the connect's outcome is the answer. */
		clock_gettime(CLOCK_REALTIME, sent);
		if (connect(fd, (struct sockaddr *)&ss, slen) == -1 &&
		    errno != EINPROGRESS) {
			err = errno;
			goto fail;
		}
		goto done;
	}
	/* A connected UDP socket is told of errors about its datagrams. */
	if (spec->proto == PROTO_UDP &&
	    connect(fd, (struct sockaddr *)&ss, slen) == -1) {
		err = errno;
		goto fail;
	}
	clock_gettime(CLOCK_REALTIME, sent);
	if (sendto(fd, payload, len, 0,
		   spec->proto == PROTO_ICMP ? (struct sockaddr *)&ss : NULL,
		   spec->proto == PROTO_ICMP ? slen : 0) == -1) {
		err = errno;
		goto fail;
	}
done:
	*fd_out = fd;
	return 0;
fail:
	close(fd);
	return err;
}

/*
 * Pull the timestamp, the TTL and the extended error out of a message's
 * cmsgs; what the error means for the probe is dgram_parse_error's to say.
 * The TTL is this message's (the kernel copies the error's own IP header
 * TTL to its error queue entry), so none from an earlier message stays.
 */
static bool read_control(struct msghdr *m, const struct probe_spec *spec,
			 struct dgram_event *ev)
{
	struct cmsghdr *c;
	bool got = false;
	int ttl = -1;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		size_t len = c->cmsg_len - CMSG_LEN(0);

		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_TIMESTAMPNS &&
		    len >= sizeof(ev->stamp)) {
			memcpy(&ev->stamp, CMSG_DATA(c), sizeof(ev->stamp));
		} else if ((c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_RECVERR) ||
			   (c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_RECVERR)) {
			if (dgram_parse_error(spec, CMSG_DATA(c), len, ev))
				got = true;
		} else if (((c->cmsg_level == IPPROTO_IP &&
			     c->cmsg_type == IP_TTL) ||
			    (c->cmsg_level == IPPROTO_IPV6 &&
			     c->cmsg_type == IPV6_HOPLIMIT)) &&
			   len >= sizeof(ttl)) {
			memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
		}
	}
	ev->details.have &= ~(unsigned)DETAIL_REPLY_TTL;
	if (ttl >= 0 && ttl <= UINT8_MAX) {
		ev->details.have |= DETAIL_REPLY_TTL;
		ev->details.reply_ttl = (uint8_t)ttl;
	}
	return got;
}

/* A transmit timestamp (the probe's own: one probe per socket). */
static bool read_stamp(struct msghdr *m, struct dgram_event *ev)
{
	struct txstamp ts;

	if (!txstamp_parse(m->msg_control, m->msg_controllen, &ts))
		return false;
	ev->has_tx = true;
	ev->tx = ts.when;
	return true;
}

union control_buf {
	char buf[512];
	struct cmsghdr align;
};

/* One non-blocking recvmsg into the given buffers (flags: MSG_ERRQUEUE). */
static ssize_t receive(int fd, int flags, struct msghdr *m, struct iovec *iov,
		       struct sockaddr_storage *from, union control_buf *control)
{
	memset(m, 0, sizeof(*m));
	m->msg_name = from;
	m->msg_namelen = sizeof(*from);
	m->msg_iov = iov;
	m->msg_iovlen = 1;
	m->msg_control = control->buf;
	m->msg_controllen = sizeof(control->buf);
	return recvmsg(fd, m, flags | MSG_DONTWAIT);
}

bool dgram_read(int fd, const struct probe_spec *spec, struct dgram_event *ev)
{
	union control_buf control;
	uint8_t data[2048];
	struct sockaddr_storage from;
	struct net_addr sender;
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr m;
	ssize_t n;
	int soerr = 0, i;
	socklen_t slen = sizeof(soerr);

	memset(ev, 0, sizeof(*ev));
	/* Every queued error first: the last conclusive one decides. */
	for (i = 0; i < 16; i++) {
		n = receive(fd, MSG_ERRQUEUE, &m, &iov, &from, &control);
		if (n < 0)
			break;
		if (read_stamp(&m, ev))
			continue;
		if (read_control(&m, spec, ev))
			goto found;
	}
	if (spec->proto == PROTO_TCP) {
		/* A finished connect: accepted or refused, the host answered. */
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &slen) == -1)
			return false;
		if (soerr == 0) {
			struct sockaddr_storage peer;
			socklen_t plen = sizeof(peer);

			if (getpeername(fd, (struct sockaddr *)&peer, &plen))
				return false;	/* still connecting */
		} else if (soerr != ECONNREFUSED) {
			ev->err = soerr;
			clock_gettime(CLOCK_REALTIME, &ev->stamp);
			return true;
		}
		ev->kind = KIND_REPLY;
		ev->responder = spec->dst;
		clock_gettime(CLOCK_REALTIME, &ev->stamp);
		return true;
	}
	for (i = 0; i < 16; i++) {
		n = receive(fd, 0, &m, &iov, &from, &control);
		if (n < 0)
			return false;
		read_control(&m, spec, ev);
		/* No sender address, no answer: sender stays family 0. */
		memset(&sender, 0, sizeof(sender));
		if (m.msg_namelen >= sizeof(sa_family_t))
			net_addr_from_sockaddr(&from, &sender);
		if (dgram_parse_answer(spec, &sender, data, (size_t)n, ev))
			goto found;
	}
	return false;
found:
	if (ev->stamp.tv_sec == 0)
		clock_gettime(CLOCK_REALTIME, &ev->stamp);
	return true;
}

void dgram_close(int fd, enum probe_proto proto)
{
	if (proto == PROTO_TCP) {
		struct linger reset = { .l_onoff = 1, .l_linger = 0 };

		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset,
				 sizeof(reset));
	}
	close(fd);
}

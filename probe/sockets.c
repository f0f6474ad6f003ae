/*
 * sockets.c: opening and configuring the raw sockets.
 */
#include "config.h"

#include "sockets.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ports.h"

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif

/*
 * Receive buffers: large enough for bursts of replies to many probes, but
 * never above net.core.rmem_max.  Linux caps an SO_RCVBUF request at
 * rmem_max and then doubles it (the doubled value, which getsockopt and
 * `ss -m` report as rb, is what the socket may hold, bookkeeping
 * included); SO_RCVBUFFORCE would skip the cap.  A worker installed setuid
 * can be stopped by the user who started it with all its receive sockets
 * filling up, so each may pin no more kernel memory than the administrator
 * allows any unprivileged socket: we ask for half of rmem_max, so that the
 * doubled size is rmem_max, and never for more than RECV_BUFFER_CEILING in
 * all.  When rmem_max cannot be read we ask for RECV_BUFFER_FALLBACK, half
 * of the stock Linux rmem_max (212992 bytes on 64-bit builds): on such a
 * kernel the buffer stays at the size a plain socket gets.
 */
#define RECV_BUFFER_CEILING (8u * 1024 * 1024)
#define RECV_BUFFER_FALLBACK (212992u / 2)
#define RMEM_MAX_PATH "/proc/sys/net/core/rmem_max"

/* Ports are listed in the receive filters by aligned blocks this large. */
#define RECV_FILTER_BLOCK 64u

static const int ip_protocol[PROTO_COUNT] = {
	[PROTO_ICMP] = IPPROTO_ICMP,
	[PROTO_UDP] = IPPROTO_UDP,
	[PROTO_TCP] = IPPROTO_TCP,
	[PROTO_SCTP] = IPPROTO_SCTP,
};

/* ICMP means ICMPv6 in IPv6. */
static int protocol_of(int family, enum probe_proto proto)
{
	if (family == AF_INET6 && proto == PROTO_ICMP)
		return IPPROTO_ICMPV6;
	return ip_protocol[proto];
}

static int open_raw(int family, int protocol)
{
	return socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		      protocol);
}

/* A send socket must never queue what it receives: drop it all. */
static void drop_all_input(int fd)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };

	(void)setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* A decimal number and a newline, as /proc/sys prints it; 0 if not. */
static uint32_t parse_sysctl_u32(const char *text, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
		v = v * 10 + (uint64_t)(text[i] - '0');
		if (v > UINT32_MAX)
			return 0;
	}
	if (i == 0 || (i < len && text[i] != '\n'))
		return 0;
	return (uint32_t)v;
}

/* What to ask SO_RCVBUF for, from rmem_max (see RECV_BUFFER_CEILING). */
static int receive_buffer_request(void)
{
	char text[32];
	uint32_t rmem_max = 0;
	ssize_t n;
	int fd;

	fd = open(RMEM_MAX_PATH, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, text, sizeof(text));
		if (n > 0)
			rmem_max = parse_sysctl_u32(text, (size_t)n);
		close(fd);
	}
	if (!rmem_max)
		return (int)RECV_BUFFER_FALLBACK;
	if (rmem_max > RECV_BUFFER_CEILING)
		rmem_max = RECV_BUFFER_CEILING;
	return (int)(rmem_max / 2);
}

static void set_receive_buffer(int fd, int request)
{
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &request,
			 sizeof(request));
}

static void enable_timestamps(int fd)
{
	int on = 1;

	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
}

static void enable_hop_limit(int fd)
{
	int on = 1;

	(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
}

/*
 * Only the ICMP types that can answer a probe reach the ICMP sockets: echo
 * reply, destination unreachable, time exceeded (and for ICMPv6 parameter
 * problem, Linux's protocol unreachable).  Every echo request on the host
 * would otherwise be copied to us too.
 */
static void filter_icmp4(int fd)
{
	struct icmp_filter f;

	f.data = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) |
		   (1u << ICMP_TIME_EXCEEDED));
	(void)setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
}

static void filter_icmp6(int fd, bool receive)
{
	struct icmp6_filter f;

	ICMP6_FILTER_SETBLOCKALL(&f);
	if (receive) {
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		/* Only answers dont-fragment probes (too_big.h). */
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
	}
	(void)setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
}

/* An IPPROTO_RAW socket is send-only (raw(7)): nothing to filter. */
static int open_send_v4(void)
{
	return open_raw(AF_INET, IPPROTO_RAW);
}

/*
 * ICMPv6's own filter blocks every type before a copy is made, at no cost;
 * the other protocols need the BPF program.
 */
static int open_send_v6(enum probe_proto proto)
{
	int fd = open_raw(AF_INET6, protocol_of(AF_INET6, proto));

	if (fd < 0)
		return -1;
	if (proto == PROTO_ICMP)
		filter_icmp6(fd, false);
	else
		drop_all_input(fd);
	return fd;
}

/* A UDP socket that is only ever connected, to learn source addresses. */
static int open_lookup(int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		drop_all_input(fd);
	return fd;
}

int sockets_lookup(struct send_set *tx, uint8_t family)
{
	int *fd = family == AF_INET ? &tx->lookup4 : &tx->lookup6;

	/* The unmarked set's are opened on first use (no privilege needed);
	   a bound set's come with it, marked and bound. */
	if (*fd == SOCKET_UNOPENED)
		*fd = open_lookup(family);
	return *fd;
}

/*
 * Configure one receive socket.  TCP and SCTP ones drop everything until
 * sockets_filter_ports knows the reserved ports.
 */
static void setup_receive(int fd, int family, enum probe_proto proto,
			  int buffer, bool timestamps)
{
	if (fd < 0)
		return;
	if (timestamps)
		enable_timestamps(fd);
	/*
	 * A raw IPv6 socket delivers no IP header: the answer's hop limit,
	 * for reply-details, comes as a control message.
	 */
	if (family == AF_INET6)
		enable_hop_limit(fd);
	if (proto == PROTO_ICMP && family == AF_INET)
		filter_icmp4(fd);
	else if (proto == PROTO_ICMP)
		filter_icmp6(fd, true);
	/*
	 * TCP and SCTP sockets get their port filter, and their full buffer
	 * with it, once the engine has reserved its ports: until then the
	 * smallest buffer holds the few segments of that moment, which the
	 * decoder drops (attaching a program is costly: see filter_proto).
	 */
	set_receive_buffer(fd, proto == PROTO_ICMP ? buffer : 0);
}

void sockets_open(struct recv_sockets *rx, struct send_set *tx)
{
	int p;

	memset(rx, 0, sizeof(*rx));
	memset(tx, 0, sizeof(*tx));
	/* Read before any socket exists, while /proc is surely reachable. */
	rx->buffer = receive_buffer_request();
	tx->lookup4 = tx->lookup6 = SOCKET_UNOPENED;
	for (p = 0; p < PROTO_COUNT; p++)
		rx->v4[p] = rx->v6[p] = tx->v6[p] = SOCKET_UNOPENED;
	tx->v4 = open_send_v4();
	tx->v6[PROTO_ICMP] = open_send_v6(PROTO_ICMP);
	rx->v4[PROTO_ICMP] = open_raw(AF_INET, IPPROTO_ICMP);
	setup_receive(rx->v4[PROTO_ICMP], AF_INET, PROTO_ICMP, rx->buffer,
		      false);
	rx->v6[PROTO_ICMP] = open_raw(AF_INET6, IPPROTO_ICMPV6);
	setup_receive(rx->v6[PROTO_ICMP], AF_INET6, PROTO_ICMP, rx->buffer,
		      false);
	rx->opened[PROTO_ICMP] = true;
}

void sockets_enable_timestamps(struct recv_sockets *rx)
{
	int p;

	if (rx->timestamping)
		return;
	rx->timestamping = true;
	for (p = 0; p < PROTO_COUNT; p++) {
		if (rx->v4[p] >= 0)
			enable_timestamps(rx->v4[p]);
		if (rx->v6[p] >= 0)
			enable_timestamps(rx->v6[p]);
	}
}

void sockets_open_proto(struct recv_sockets *rx, struct send_set *tx,
			enum probe_proto proto)
{
	if (rx->opened[proto])
		return;
	rx->opened[proto] = true;
	if (proto == PROTO_UDP) {
		/* UDP probes are answered by ICMP: a send socket only. */
		tx->v6[proto] = open_send_v6(proto);
		return;
	}
	rx->v4[proto] = open_raw(AF_INET, ip_protocol[proto]);
	setup_receive(rx->v4[proto], AF_INET, proto, rx->buffer,
		      rx->timestamping);
	rx->v6[proto] = open_raw(AF_INET6, protocol_of(AF_INET6, proto));
	setup_receive(rx->v6[proto], AF_INET6, proto, rx->buffer,
		      rx->timestamping);
	/*
	 * IPv6 TCP and SCTP probes of the unmarked set leave through the
	 * receive socket: one that is filtered already, instead of one more
	 * to filter.
	 */
	tx->v6[proto] = rx->v6[proto];
	tx->v6_shared[proto] = true;
}

static void attach_filter(int fd, struct sock_filter *insns, size_t len)
{
	struct sock_fprog prog = { .len = (unsigned short)len,
				   .filter = insns };

	if (fd >= 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				 sizeof(prog));
}

/*
 * Re-attach proto's filters when its ports changed.  Attaching costs the
 * kernel a translation and JIT compilation of the program (a good part of
 * a millisecond for both families), so the filter lists each port's
 * aligned block of RECV_FILTER_BLOCK ports rather than the port alone,
 * and is attached again only when the program comes out different: ports
 * that come and go within blocks already listed (a client stepping
 * through consecutive local-ports, say), and any change while the set is
 * too large to list (the flags-only program, rxfilter.h), cost no system
 * call.  The price is that answers (SYN-ACK, RST-ACK, INIT-ACK, ABORT,
 * nothing else) to up to RECV_FILTER_BLOCK - 1 neighbours of a reserved
 * port are queued too and dropped by the decoder.  A new filter replaces
 * the old one atomically; what the old one queued stays queued.
 */
static void filter_proto(struct recv_sockets *rx,
			 const struct port_pool *ports, enum probe_proto proto)
{
	struct sock_filter v4[RXFILTER_MAX_INSNS], v6[RXFILTER_MAX_INSNS];
	uint16_t list[RXFILTER_MAX_PORTS];
	const uint16_t *listed;
	uint32_t gen = ports_generation(ports, proto);
	size_t count, n4, n6;

	if (rx->v4[proto] < 0 && rx->v6[proto] < 0)
		return;
	if (rx->filtered[proto] && rx->filtered_generation[proto] == gen)
		return;
	count = ports_list(ports, proto, list, RXFILTER_MAX_PORTS);
	listed = count <= RXFILTER_MAX_PORTS ? list : NULL;
	n4 = rxfilter_build(proto, RXFILTER_AT_IPV4, listed, count,
			    RECV_FILTER_BLOCK, v4, RXFILTER_MAX_INSNS, NULL);
	if (!n4)
		return;		/* cannot happen: the old filter stays */
	rx->filtered_generation[proto] = gen;
	/* Both programs come from the same ranges: compare one. */
	if (rx->filtered[proto] && rx->filter_len[proto] == n4 &&
	    !memcmp(rx->filter[proto], v4, n4 * sizeof(*v4)))
		return;
	n6 = rxfilter_build(proto, RXFILTER_AT_TRANSPORT, listed, count,
			    RECV_FILTER_BLOCK, v6, RXFILTER_MAX_INSNS, NULL);
	if (!n6)
		return;
	attach_filter(rx->v4[proto], v4, n4);
	attach_filter(rx->v6[proto], v6, n6);
	if (!rx->filtered[proto]) {
		set_receive_buffer(rx->v4[proto], rx->buffer);
		set_receive_buffer(rx->v6[proto], rx->buffer);
	}
	memcpy(rx->filter[proto], v4, n4 * sizeof(*v4));
	rx->filter_len[proto] = n4;
	rx->filtered[proto] = true;
}

void sockets_filter_ports(struct recv_sockets *rx,
			  const struct port_pool *ports)
{
	filter_proto(rx, ports, PROTO_TCP);
	filter_proto(rx, ports, PROTO_SCTP);
}

/*
 * Never fragment, and ignore the learned path MTU (sockets_open_bound).
 * 0 or an errno.  IPV6_DONTFRAG alone would not do: Linux honours it only
 * on sockets of the UDP and ICMPv6 protocols.
 */
static int set_dont_fragment(int fd, int family)
{
	int probe = family == AF_INET ? IP_PMTUDISC_PROBE : IPV6_PMTUDISC_PROBE;
	int on = 1;

	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &probe,
				  sizeof(probe)) == -1 ? errno : 0;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &probe,
		       sizeof(probe)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &on, sizeof(on)) == -1)
		return errno;
	return 0;
}

/* Apply the set's mark and interface to one of its sockets. */
static int bind_socket(int fd, const struct send_set *tx)
{
	if (fd < 0)
		return 0;
	if (tx->marked && setsockopt(fd, SOL_SOCKET, SO_MARK, &tx->mark,
				     sizeof(tx->mark)) == -1)
		return errno;
	if (tx->ifindex && setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX,
				      &tx->ifindex,
				      sizeof(tx->ifindex)) == -1)
		return errno;
	return 0;
}

int sockets_open_bound(struct send_set *tx, bool marked, uint32_t mark,
		       int ifindex, bool dont_fragment)
{
	int p, err;

	memset(tx, 0, sizeof(*tx));
	tx->marked = marked;
	tx->mark = mark;
	tx->ifindex = ifindex;
	tx->dont_fragment = dont_fragment;
	tx->lookup4 = open_lookup(AF_INET);
	tx->lookup6 = open_lookup(AF_INET6);
	tx->v4 = open_send_v4();
	for (p = 0; p < PROTO_COUNT; p++)
		tx->v6[p] = open_send_v6(p);
	if (tx->v4 < 0 && tx->v6[PROTO_ICMP] < 0) {
		err = errno ? errno : EPERM;
		sockets_close_send(tx);
		return err;
	}
	err = bind_socket(tx->lookup4, tx);
	if (!err)
		err = bind_socket(tx->lookup6, tx);
	if (!err)
		err = bind_socket(tx->v4, tx);
	for (p = 0; p < PROTO_COUNT && !err; p++)
		err = bind_socket(tx->v6[p], tx);
	if (!err && dont_fragment && tx->v4 >= 0)
		err = set_dont_fragment(tx->v4, AF_INET);
	for (p = 0; p < PROTO_COUNT && !err && dont_fragment; p++)
		if (tx->v6[p] >= 0)
			err = set_dont_fragment(tx->v6[p], AF_INET6);
	if (err)
		sockets_close_send(tx);
	return err;
}

void sockets_close_send(struct send_set *tx)
{
	int p;

	if (tx->v4 >= 0)
		close(tx->v4);
	if (tx->lookup4 >= 0)
		close(tx->lookup4);
	if (tx->lookup6 >= 0)
		close(tx->lookup6);
	tx->v4 = tx->lookup4 = tx->lookup6 = -1;
	for (p = 0; p < PROTO_COUNT; p++) {
		if (tx->v6[p] >= 0 && !tx->v6_shared[p])
			close(tx->v6[p]);
		tx->v6[p] = -1;
	}
}

void sockets_close_recv(struct recv_sockets *rx)
{
	int p;

	for (p = 0; p < PROTO_COUNT; p++) {
		if (rx->v4[p] >= 0)
			close(rx->v4[p]);
		if (rx->v6[p] >= 0)
			close(rx->v6[p]);
		rx->v4[p] = rx->v6[p] = -1;
	}
}

bool sockets_family_ok(const struct recv_sockets *rx,
		       const struct send_set *tx, uint8_t family)
{
	if (family == AF_INET)
		return tx->v4 >= 0 && rx->v4[PROTO_ICMP] >= 0;
	return tx->v6[PROTO_ICMP] >= 0 && rx->v6[PROTO_ICMP] >= 0;
}

bool sockets_proto_ok(const struct recv_sockets *rx,
		      const struct send_set *tx, uint8_t family,
		      enum probe_proto proto)
{
	const int *r = family == AF_INET ? rx->v4 : rx->v6;

	if (!sockets_family_ok(rx, tx, family))
		return false;
	if (family == AF_INET6 && tx->v6[proto] < 0)
		return false;
	/* UDP is answered through ICMP; the others need their own socket. */
	return proto == PROTO_UDP || r[proto] >= 0;
}

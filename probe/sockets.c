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

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif

/* Receive buffers large enough for bursts of replies to many probes. */
#define RECV_BUFFER_BYTES (8 * 1024 * 1024)

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

static void big_receive_buffer(int fd)
{
	int size = RECV_BUFFER_BYTES;

	/* FORCE needs CAP_NET_ADMIN; without it the sysctl maximum applies. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
				 sizeof(size));
}

static void enable_timestamps(int fd)
{
	int on = 1;

	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
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
	}
	(void)setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
}

static int open_send_v4(void)
{
	int fd = open_raw(AF_INET, IPPROTO_RAW);

	if (fd >= 0)
		drop_all_input(fd);
	return fd;
}

static int open_send_v6(enum probe_proto proto)
{
	int fd = open_raw(AF_INET6, protocol_of(AF_INET6, proto));

	if (fd < 0)
		return -1;
	if (proto == PROTO_ICMP)
		filter_icmp6(fd, false);
	drop_all_input(fd);
	return fd;
}

/* UDP sockets that are only ever connected, to learn source addresses. */
static void open_lookup(struct send_set *tx)
{
	tx->lookup4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	tx->lookup6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (tx->lookup4 >= 0)
		drop_all_input(tx->lookup4);
	if (tx->lookup6 >= 0)
		drop_all_input(tx->lookup6);
}

void sockets_open(struct recv_sockets *rx, struct send_set *tx)
{
	int p;

	memset(tx, 0, sizeof(*tx));
	open_lookup(tx);
	tx->v4 = open_send_v4();
	for (p = 0; p < PROTO_COUNT; p++) {
		rx->v4[p] = rx->v6[p] = -1;
		tx->v6[p] = open_send_v6(p);
		if (p == PROTO_UDP)
			continue;	/* UDP probes are answered by ICMP */
		rx->v4[p] = open_raw(AF_INET, ip_protocol[p]);
		if (rx->v4[p] >= 0) {
			big_receive_buffer(rx->v4[p]);
			enable_timestamps(rx->v4[p]);
			if (p == PROTO_ICMP)
				filter_icmp4(rx->v4[p]);
		}
		rx->v6[p] = open_raw(AF_INET6, protocol_of(AF_INET6, p));
		if (rx->v6[p] >= 0) {
			big_receive_buffer(rx->v6[p]);
			enable_timestamps(rx->v6[p]);
			if (p == PROTO_ICMP)
				filter_icmp6(rx->v6[p], true);
		}
	}
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
		       int ifindex)
{
	int p, err;

	memset(tx, 0, sizeof(*tx));
	tx->marked = marked;
	tx->mark = mark;
	tx->ifindex = ifindex;
	open_lookup(tx);
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
		if (tx->v6[p] >= 0)
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

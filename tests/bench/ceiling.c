/*
 * ceiling.c: the least a probe sender can do per probe, as a reference for
 * what the kernel and this machine allow.  No pipes, no line protocol: it
 * builds probes itself, sends them in batches with sendmmsg(2), reads
 * replies in batches with recvmmsg(2), and matches them in O(1) through a
 * 16-bit key carried in the probe (ICMP sequence, UDP destination port,
 * TCP sequence number) that indexes a slot array.
 *
 *	ceiling [-d ADDR] [-p icmp|udp|tcp] [-P PORT] [-t TTL] [-w WINDOW]
 *	        [-n COUNT] [-D SECONDS] [-T TIMEOUT] [-k reply|ttl-expired]
 *	        [-R RESPONDER] [-i GAP] [-L LABELS] [-o CSV]
 *
 * It keeps WINDOW probes in flight for SECONDS, like hopbench does with a
 * worker, and prints the same CSV row (benchutil.h); the CPU figure is its
 * own (getrusage over the probe phase).
 *
 * With -i GAP it sends one probe at a time, GAP after the previous one
 * was answered, and sleeps in between, as a worker driven at window 1
 * does; its round-trip times are then the kernel's receive time stamp
 * (SO_TIMESTAMPNS) less the clock read just before sendmmsg, as ping's
 * and the worker's are: the round trip of the kernel alone at that pace,
 * with whatever waking from idle costs (ping spins between probes, so
 * its CPU never goes idle; neither the worker nor this does).  It needs raw sockets (root), and
 * the runner points it at loopback and lab addresses only.
 */
#define _GNU_SOURCE
#include "benchutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define KEYS 65536u		/* key 0 is never used */
#define BATCH 256u
#define PKT_MAX 128u
#define RX_MAX 1500u
#define PROBE_SIZE 64u		/* whole packet, as mtr's default */

enum proto { P_ICMP, P_UDP, P_TCP };

struct slot {
	uint64_t seq_no;	/* running number of the probe using the key */
	uint64_t sent_ns;
	uint64_t sent_real_ns;	/* CLOCK_REALTIME, for paced round trips */
	bool out;
};

struct ceiling {
	/* options */
	const char *dest;
	const char *responder;
	const char *expect_kind;
	const char *labels;
	const char *csv;
	enum proto proto;
	uint16_t port;
	unsigned ttl;
	uint64_t window, count, duration_ns, timeout_ns;
	uint64_t gap_ns;	/* -i: paced, one probe at a time */

	/* sockets and addresses */
	int family;
	struct sockaddr_storage dst;
	socklen_t dst_len;
	unsigned char dst_addr[16], src_addr[16], resp_addr[16];
	int tx;
	int rx[2];
	int nrx;
	uint16_t ident;		/* ICMP id, UDP and TCP source port */
	bool expect_ttl;	/* ttl-expired is due, not a reply */

	/* probes */
	struct slot *slots;
	uint64_t next, oldest, outstanding, answered;
	uint32_t *rtts;
	size_t n_rtts;
	uint64_t rx_stamp_ns;	/* kernel receive stamp of the datagram read */

	/* batches */
	unsigned char (*txbuf)[PKT_MAX];
	struct iovec txiov[BATCH];
	struct mmsghdr txmsg[BATCH];
	unsigned char (*rxbuf)[RX_MAX];
	struct iovec rxiov[BATCH];
	struct mmsghdr rxmsg[BATCH];
	struct sockaddr_in6 rxfrom[BATCH];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct timespec)) + 64];
	} rxctl[BATCH];

	struct bench_result r;
};

static void usage(FILE *to)
{
	fputs("usage: ceiling [-d ADDR] [-p icmp|udp|tcp] [-P PORT] [-t TTL]\n"
	      "               [-w WINDOW] [-n COUNT] [-D SECONDS] [-T TIMEOUT]\n"
	      "               [-k reply|ttl-expired] [-R RESPONDER] [-i GAP]\n"
	      "               [-L LABELS] [-o CSV]\n", to);
}

static uint16_t key_of(uint64_t seq_no)
{
	return (uint16_t)(1 + seq_no % (KEYS - 1));
}

/* Internet checksum (RFC 1071) of data, folded into sum. */
static uint32_t csum_add(uint32_t sum, const unsigned char *p, size_t n)
{
	while (n > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		n -= 2;
	}
	if (n)
		sum += (uint32_t)(p[0] << 8);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/*
 * Build one probe (the transport header and payload; the kernel adds the
 * IP header).  IPv6 checksums are left to the kernel (IPV6_CHECKSUM, and
 * always for ICMPv6).
 */
static size_t build_probe(const struct ceiling *c, unsigned char *p,
			  uint16_t key)
{
	size_t ip_len = c->family == AF_INET ? 20 : 40;
	size_t len;
	uint32_t sum;

	switch (c->proto) {
	case P_ICMP:
		len = PROBE_SIZE - ip_len;
		memset(p, 0, len);
		p[0] = c->family == AF_INET ? 8 : ICMP6_ECHO_REQUEST;
		put16(p + 4, c->ident);
		put16(p + 6, key);
		if (c->family == AF_INET)
			put16(p + 2, csum_fold(csum_add(0, p, len)));
		return len;
	case P_UDP:
		len = PROBE_SIZE - ip_len;
		memset(p, 0, len);
		put16(p, c->ident);
		put16(p + 2, key);
		put16(p + 4, (uint16_t)len);
		return len;	/* IPv4: no checksum, which UDP allows */
	case P_TCP:
	default:
		len = 20;
		memset(p, 0, len);
		put16(p, c->ident);
		put16(p + 2, c->port);
		put32(p + 4, key);
		p[12] = 5 << 4;
		p[13] = 0x02;	/* SYN */
		put16(p + 14, 65535);
		if (c->family == AF_INET) {
			sum = csum_add(0, c->src_addr, 4);
			sum = csum_add(sum, c->dst_addr, 4);
			sum += 6 + (uint32_t)len;
			sum = csum_add(sum, p, len);
			put16(p + 16, csum_fold(sum));
		}
		return len;
	}
}

/* ---- set-up ------------------------------------------------------------ */

static int raw_socket(int family, int proto)
{
	int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	int big = 8 << 20;

	if (fd == -1) {
		perror("ceiling: raw socket");
		return -1;
	}
	/* As root the buffers may exceed rmem_max: a full window fits. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	return fd;
}

/* The source address routing picks, for the IPv4 TCP checksum. */
static int learn_source(struct ceiling *c)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = socket(c->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&c->dst, c->dst_len) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	if (c->family == AF_INET)
		memcpy(c->src_addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(c->src_addr, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	return 0;
}

static int setup(struct ceiling *c)
{
	static const int tx_proto[2][3] = {
		{ IPPROTO_ICMP, IPPROTO_UDP, IPPROTO_TCP },
		{ IPPROTO_ICMPV6, IPPROTO_UDP, IPPROTO_TCP },
	};
	int v6 = c->family == AF_INET6;
	int ttl = (int)c->ttl;
	unsigned i;

	memset(&c->dst, 0, sizeof(c->dst));
	if (!v6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&c->dst;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, c->dst_addr, 4);
		c->dst_len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&c->dst;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, c->dst_addr, 16);
		c->dst_len = sizeof(*sin6);
	}
	if (learn_source(c) == -1) {
		perror("ceiling: no route to the destination");
		return -1;
	}

	c->tx = raw_socket(c->family, tx_proto[v6][c->proto]);
	if (c->tx == -1)
		return -1;
	if (!v6) {
		setsockopt(c->tx, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	} else {
		int off = c->proto == P_UDP ? 6 : 16;

		setsockopt(c->tx, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
			   sizeof(ttl));
		if (c->proto != P_ICMP &&
		    setsockopt(c->tx, IPPROTO_IPV6, IPV6_CHECKSUM, &off,
			       sizeof(off)) == -1) {
			perror("ceiling: IPV6_CHECKSUM");
			return -1;
		}
	}

	/* ICMP errors (and echo replies) always; TCP answers for tcp. */
	c->nrx = 0;
	if (c->proto == P_ICMP) {
		c->rx[c->nrx++] = c->tx;
	} else {
		c->rx[c->nrx] = raw_socket(c->family,
					   v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
		if (c->rx[c->nrx++] == -1)
			return -1;
	}
	if (c->proto == P_TCP)
		c->rx[c->nrx++] = c->tx;	/* a raw TCP socket sees all TCP */
	if (v6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		setsockopt(c->rx[0], IPPROTO_ICMPV6, ICMP6_FILTER, &f,
			   sizeof(f));
	}
	if (c->gap_ns) {
		int on = 1;

		for (i = 0; i < (unsigned)c->nrx; i++)
			setsockopt(c->rx[i], SOL_SOCKET, SO_TIMESTAMPNS, &on,
				   sizeof(on));
	}

	c->slots = calloc(KEYS, sizeof(*c->slots));
	c->rtts = malloc((c->count + 1) * sizeof(*c->rtts));
	c->txbuf = malloc(BATCH * sizeof(*c->txbuf));
	c->rxbuf = malloc(BATCH * sizeof(*c->rxbuf));
	if (!c->slots || !c->rtts || !c->txbuf || !c->rxbuf)
		return -1;
	for (i = 0; i < BATCH; i++) {
		c->txiov[i].iov_base = c->txbuf[i];
		memset(&c->txmsg[i], 0, sizeof(c->txmsg[i]));
		c->txmsg[i].msg_hdr.msg_name = &c->dst;
		c->txmsg[i].msg_hdr.msg_namelen = c->dst_len;
		c->txmsg[i].msg_hdr.msg_iov = &c->txiov[i];
		c->txmsg[i].msg_hdr.msg_iovlen = 1;
		c->rxiov[i].iov_base = c->rxbuf[i];
		c->rxiov[i].iov_len = RX_MAX;
	}
	c->ident = (uint16_t)(32768 + getpid() % 28000);
	return 0;
}

/* ---- matching ---------------------------------------------------------- */

/*
 * Account the answer for key: good when it is the kind due and comes from
 * the responder, wrong otherwise.  Unknown or already answered keys are
 * stray packets (another process's, or a duplicate).
 */
static void answer(struct ceiling *c, uint16_t key, bool is_ttl,
		   const unsigned char *from, uint64_t now)
{
	struct slot *s = &c->slots[key];
	size_t alen = c->family == AF_INET ? 4 : 16;

	if (!s->out) {
		c->r.dups++;
		return;
	}
	s->out = false;
	c->outstanding--;
	c->answered++;
	if (is_ttl == c->expect_ttl && memcmp(from, c->resp_addr, alen) == 0) {
		c->r.good++;
		uint64_t rtt = c->gap_ns && c->rx_stamp_ns > s->sent_real_ns ?
			       c->rx_stamp_ns - s->sent_real_ns :
			       now - s->sent_ns;

		c->rtts[c->n_rtts++] = (uint32_t)((rtt + 500) / 1000u);
	} else {
		c->r.wrong++;
	}
}

/*
 * The probe quoted in an ICMP error: the 16-bit key from the transport
 * header, or 0 when it is not one of ours.
 */
static uint16_t quoted_key(const struct ceiling *c, const unsigned char *q,
			   size_t n, int inner_proto)
{
	if (n < 8)
		return 0;
	switch (c->proto) {
	case P_ICMP:
		if (inner_proto != (c->family == AF_INET ? IPPROTO_ICMP :
				    IPPROTO_ICMPV6) || get16(q + 4) != c->ident)
			return 0;
		return get16(q + 6);
	case P_UDP:
		if (inner_proto != IPPROTO_UDP || get16(q) != c->ident)
			return 0;
		return get16(q + 2);
	case P_TCP:
	default:
		if (inner_proto != IPPROTO_TCP || get16(q) != c->ident)
			return 0;
		return (uint16_t)get32(q + 4);
	}
}

/* An ICMP message (header first) from `from`. */
static void on_icmp(struct ceiling *c, const unsigned char *p, size_t n,
		    const unsigned char *from, uint64_t now)
{
	bool v6 = c->family == AF_INET6;
	unsigned type, code;
	const unsigned char *in;
	size_t in_n, ihl;
	int inner_proto;
	uint16_t key;

	if (n < 8)
		return;
	type = p[0];
	code = p[1];
	if ((!v6 && type == 0) || (v6 && type == ICMP6_ECHO_REPLY)) {
		if (c->proto == P_ICMP && get16(p + 4) == c->ident)
			answer(c, get16(p + 6), false, from, now);
		return;
	}
	/* Time exceeded; port unreachable from the destination = reply. */
	if (!((!v6 && type == 11) || (v6 && type == ICMP6_TIME_EXCEEDED) ||
	      (!v6 && type == 3 && code == 3) ||
	      (v6 && type == ICMP6_DST_UNREACH && code == 4)))
		return;
	in = p + 8;
	in_n = n - 8;
	if (!v6) {
		if (in_n < 20)
			return;
		ihl = (size_t)(in[0] & 15) * 4;
		if (ihl < 20 || in_n < ihl)
			return;
		inner_proto = in[9];
	} else {
		if (in_n < 40)
			return;
		ihl = 40;
		inner_proto = in[6];
	}
	key = quoted_key(c, in + ihl, in_n - ihl, inner_proto);
	if (key)
		answer(c, key, v6 ? type == ICMP6_TIME_EXCEEDED : type == 11,
		       from, now);
}

/* A TCP segment (header first): RST or SYN-ACK to our port. */
static void on_tcp(struct ceiling *c, const unsigned char *p, size_t n,
		   const unsigned char *from, uint64_t now)
{
	unsigned flags;

	if (n < 20 || get16(p + 2) != c->ident || get16(p) != c->port)
		return;
	flags = p[13];
	if (!(flags & 0x04) && (flags & 0x12) != 0x12)
		return;
	answer(c, (uint16_t)(get32(p + 8) - 1), false, from, now);
}

/* Read every datagram waiting on socket i; returns how many. */
/* The SO_TIMESTAMPNS stamp of a datagram read, in ns; 0 without one. */
static uint64_t rx_stamp(struct msghdr *m)
{
	struct cmsghdr *cm;
	struct timespec ts;

	if (!m->msg_control)
		return 0;
	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SO_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			return (uint64_t)ts.tv_sec * 1000000000u +
			       (uint64_t)ts.tv_nsec;
		}
	}
	return 0;
}

static unsigned drain(struct ceiling *c, int i)
{
	unsigned total = 0;
	bool v6 = c->family == AF_INET6;
	bool is_tcp = c->proto == P_TCP && c->rx[i] == c->tx;

	for (;;) {
		unsigned k;
		int got;
		uint64_t now;

		for (k = 0; k < BATCH; k++) {
			memset(&c->rxmsg[k].msg_hdr, 0,
			       sizeof(c->rxmsg[k].msg_hdr));
			c->rxmsg[k].msg_hdr.msg_iov = &c->rxiov[k];
			c->rxmsg[k].msg_hdr.msg_iovlen = 1;
			c->rxmsg[k].msg_hdr.msg_name = &c->rxfrom[k];
			c->rxmsg[k].msg_hdr.msg_namelen = sizeof(c->rxfrom[k]);
			if (c->gap_ns) {
				c->rxmsg[k].msg_hdr.msg_control = c->rxctl[k].buf;
				c->rxmsg[k].msg_hdr.msg_controllen =
					sizeof(c->rxctl[k].buf);
			}
		}
		got = recvmmsg(c->rx[i], c->rxmsg, BATCH, MSG_DONTWAIT, NULL);
		if (got <= 0)
			return total;
		now = bench_now_ns();
		for (k = 0; k < (unsigned)got; k++) {
			const unsigned char *p = c->rxbuf[k];
			size_t n = c->rxmsg[k].msg_len;
			const unsigned char *from;
			size_t ihl;

			c->rx_stamp_ns = rx_stamp(&c->rxmsg[k].msg_hdr);
			if (!v6) {
				/* IPv4 raw sockets deliver the IP header. */
				if (n < 20)
					continue;
				ihl = (size_t)(p[0] & 15) * 4;
				if (ihl < 20 || n < ihl)
					continue;
				from = p + 12;
				p += ihl;
				n -= ihl;
			} else {
				from = (const unsigned char *)
				       &c->rxfrom[k].sin6_addr;
			}
			if (is_tcp)
				on_tcp(c, p, n, from, now);
			else
				on_icmp(c, p, n, from, now);
		}
		total += (unsigned)got;
		if ((unsigned)got < BATCH)
			return total;
	}
}

/* Probes whose time is up, oldest first: O(1) per probe. */
static void expire(struct ceiling *c, uint64_t now)
{
	while (c->oldest < c->next) {
		struct slot *s = &c->slots[key_of(c->oldest)];

		if (!s->out || s->seq_no != c->oldest) {
			c->oldest++;
			continue;
		}
		if (now - s->sent_ns < c->timeout_ns)
			return;
		s->out = false;
		c->outstanding--;
		c->answered++;
		c->r.noreply++;
		c->oldest++;
	}
}

/* Send up to room probes in batches; returns how many went out. */
static uint64_t send_some(struct ceiling *c, uint64_t room)
{
	uint64_t sent = 0;

	while (room > 0 && c->next < c->count) {
		unsigned k, n = BATCH;
		uint64_t now = bench_now_ns();
		struct timespec real;
		int got;

		if (n > room)
			n = (unsigned)room;
		if (n > c->count - c->next)
			n = (unsigned)(c->count - c->next);
		for (k = 0; k < n; k++) {
			uint64_t seq_no = c->next + k;

			c->txiov[k].iov_len = build_probe(c, c->txbuf[k],
							  key_of(seq_no));
		}
		clock_gettime(CLOCK_REALTIME, &real);
		got = sendmmsg(c->tx, c->txmsg, n, MSG_DONTWAIT);
		if (got <= 0)
			break;	/* a full queue: try again after reading */
		for (k = 0; k < (unsigned)got; k++) {
			struct slot *s = &c->slots[key_of(c->next)];

			if (s->out)	/* its key came round again: lost */
				c->r.noreply++, c->outstanding--;
			s->seq_no = c->next;
			s->sent_ns = now;
			s->sent_real_ns = (uint64_t)real.tv_sec * 1000000000u +
					  (uint64_t)real.tv_nsec;
			s->out = true;
			c->next++;
			c->outstanding++;
		}
		sent += (unsigned)got;
		room -= (unsigned)got;
		if ((unsigned)got < n)
			break;
	}
	return sent;
}

static double tv_us(const struct timeval *tv)
{
	return (double)tv->tv_sec * 1e6 + (double)tv->tv_usec;
}

static void run(struct ceiling *c)
{
	uint64_t t0, stop_at, deadline, t_last = 0, t_stop = 0, t_steady = 0;
	uint64_t good_steady = 0, good_stop = 0, next_send = 0;
	struct rusage ru0, ru1;
	bool sending = true;
	struct pollfd p[2];
	int i;

	getrusage(RUSAGE_SELF, &ru0);
	t0 = bench_now_ns();
	stop_at = t0 + c->duration_ns;
	deadline = stop_at + c->timeout_ns + 5000000000u;
	for (;;) {
		uint64_t now = bench_now_ns();
		unsigned got = 0;

		if (sending && (now >= stop_at || c->next >= c->count)) {
			sending = false;
			t_stop = now;
			good_stop = c->r.good;
		}
		if (sending && c->outstanding < c->window &&
		    now >= next_send && send_some(c, c->window - c->outstanding))
			next_send = now + c->gap_ns;
		for (i = 0; i < c->nrx; i++)
			got += drain(c, i);
		if (got)
			t_last = bench_now_ns();
		if (t_steady == 0 && c->answered >= c->window) {
			t_steady = bench_now_ns();
			good_steady = c->r.good;
		}
		expire(c, bench_now_ns());
		if (!sending && c->outstanding == 0)
			break;
		if (now > deadline) {
			c->r.status = "timeout";
			break;
		}
		if (got == 0 && sending && c->outstanding < c->window &&
		    next_send > now) {
			/* Paced: asleep until the next probe is due, as a
			 * worker waiting for its next command is. */
			struct timespec nap = {
				0, (long)(next_send - now) };

			nanosleep(&nap, NULL);
			continue;
		}
		if (got == 0 && (!sending || c->outstanding >= c->window)) {
			int wait_ms = 100;

			for (i = 0; i < c->nrx; i++) {
				p[i].fd = c->rx[i];
				p[i].events = POLLIN;
			}
			if (sending && stop_at > now &&
			    (stop_at - now) / 1000000u < 100)
				wait_ms = (int)((stop_at - now) / 1000000u) + 1;
			poll(p, (nfds_t)c->nrx, wait_ms);
		}
	}
	getrusage(RUSAGE_SELF, &ru1);

	c->r.sent = c->next;
	c->r.unanswered = c->outstanding;
	if (t_last > t0)
		c->r.elapsed_s = (double)(t_last - t0) / 1e9;
	if (t_steady && t_stop > t_steady &&
	    (t_stop - t_steady) * 4 >= c->duration_ns &&
	    good_stop > good_steady)
		c->r.pps = (double)(good_stop - good_steady) * 1e9 /
			   (double)(t_stop - t_steady);
	else if (t_last > t0)
		c->r.pps = (double)c->r.good * 1e9 / (double)(t_last - t0);
	if (c->r.sent) {
		double cpu = tv_us(&ru1.ru_utime) - tv_us(&ru0.ru_utime) +
			     tv_us(&ru1.ru_stime) - tv_us(&ru0.ru_stime);

		c->r.cpu_us_per_probe = cpu / (double)c->r.sent;
		c->r.cpu_phase_us_per_probe = c->r.cpu_us_per_probe;
	}
	c->r.maxrss_kb = ru1.ru_maxrss;
	if (c->n_rtts) {
		c->r.rtt_med_us = bench_quantile(c->rtts, c->n_rtts, 0.5);
		c->r.rtt_p99_us = bench_quantile(c->rtts, c->n_rtts, 0.99);
	}
	snprintf(c->r.note, sizeof(c->r.note), "sendmmsg/recvmmsg batch %u",
		 BATCH);
}

int main(int argc, char **argv)
{
	struct ceiling *c = calloc(1, sizeof(*c));
	uint64_t v;
	int opt;

	if (!c)
		return 1;
	c->dest = "127.0.0.1";
	c->expect_kind = "reply";
	c->labels = "run,ceiling,,,,,";
	c->proto = P_ICMP;
	c->port = 80;
	c->ttl = 64;
	c->window = 1;
	c->count = 1000000;
	c->duration_ns = 1000000000u;
	c->timeout_ns = 2000000000u;
	bench_result_init(&c->r);

	while ((opt = getopt(argc, argv, "d:p:P:t:w:n:D:T:k:R:i:L:o:Hh")) != -1) {
		switch (opt) {
		case 'd':
			c->dest = optarg;
			break;
		case 'p':
			if (strcmp(optarg, "icmp") == 0)
				c->proto = P_ICMP;
			else if (strcmp(optarg, "udp") == 0)
				c->proto = P_UDP;
			else if (strcmp(optarg, "tcp") == 0)
				c->proto = P_TCP;
			else
				goto bad;
			break;
		case 'P':
			if (!bench_parse_u64("-P", optarg, 1, 65535, &v))
				goto bad;
			c->port = (uint16_t)v;
			break;
		case 't':
			if (!bench_parse_u64("-t", optarg, 1, 255, &v))
				goto bad;
			c->ttl = (unsigned)v;
			break;
		case 'w':
			/* The key space must outnumber the probes in flight. */
			if (!bench_parse_u64("-w", optarg, 1, KEYS / 2,
					     &c->window))
				goto bad;
			break;
		case 'n':
			if (!bench_parse_u64("-n", optarg, 0, 100000000,
					     &c->count))
				goto bad;
			break;
		case 'D':
			if (!bench_parse_seconds("-D", optarg, &c->duration_ns))
				goto bad;
			break;
		case 'T':
			if (!bench_parse_u64("-T", optarg, 1, 3600, &v))
				goto bad;
			c->timeout_ns = v * 1000000000u;
			break;
		case 'k':
			c->expect_kind = optarg;
			break;
		case 'R':
			c->responder = optarg;
			break;
		case 'i':
			if (!bench_parse_seconds("-i", optarg, &c->gap_ns) ||
			    c->gap_ns >= 1000000000u)
				goto bad;
			break;
		case 'L':
			c->labels = optarg;
			break;
		case 'o':
			c->csv = optarg;
			break;
		case 'H':
			bench_csv_header(stdout);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	if (strcmp(c->expect_kind, "ttl-expired") == 0)
		c->expect_ttl = true;
	else if (strcmp(c->expect_kind, "reply") != 0)
		goto bad;
	if (!c->responder)
		c->responder = c->dest;
	if (c->gap_ns)
		c->window = 1;
	c->family = strchr(c->dest, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(c->family, c->dest, c->dst_addr) != 1 ||
	    inet_pton(c->family, c->responder, c->resp_addr) != 1) {
		fprintf(stderr, "ceiling: -d and -R take addresses of one "
			"family\n");
		return 2;
	}
	if (setup(c) == -1)
		c->r.status = "no-start";
	else
		run(c);
	opt = bench_emit(c->csv, c->labels, &c->r) == 0 ? 0 : 1;
	free(c->slots);
	free(c->rtts);
	free(c->txbuf);
	free(c->rxbuf);
	free(c);
	return opt;
bad:
	usage(stderr);
	return 2;
}

/*
 * sockets.h: the worker's raw sockets.
 *
 * Sending and receiving use separate sockets.  Receive sockets, one per
 * family and protocol that can answer a probe (ICMP, TCP, SCTP), take every
 * such datagram the host gets; the decoders pick ours.  Send sockets come in
 * sets, one set per packet mark: the unmarked set is opened at start-up,
 * before privilege is dropped; a set for a mark or an interface is opened
 * on first use with the network capabilities raised for that moment, and
 * SO_MARK and SO_BINDTODEVICE are then properties of those sockets, so no
 * capability is needed per packet, and the interface binds strictly (an
 * IPv6 interface index given with a source address in IPV6_PKTINFO only
 * picks a next hop when routing already allows it).
 *
 * IPv4 sends through one IP_HDRINCL socket (the builder writes the header);
 * IPv6 through one raw socket per protocol, with hop limit, traffic class,
 * source and interface as ancillary data.  Send sockets never receive: a
 * filter drops everything queued to them.
 */
#ifndef HOPPROBE_SOCKETS_H
#define HOPPROBE_SOCKETS_H

#include <stdbool.h>
#include <stdint.h>

#include "netaddr.h"
#include "rxfilter.h"

struct send_set {
	bool marked;
	uint32_t mark;
	int ifindex;		/* bound interface, 0 for none */
	int v4;			/* AF_INET, IPPROTO_RAW (IP_HDRINCL) */
	int v6[PROTO_COUNT];	/* AF_INET6, raw, per protocol */
	int lookup4, lookup6;	/* UDP sockets, same mark: source lookups */
};

struct recv_sockets {
	int v4[PROTO_COUNT];	/* ICMP, TCP, SCTP; UDP is -1 (ICMP answers) */
	int v6[PROTO_COUNT];
	/* TCP and SCTP port filters: the ports_generation they were built
	   for, and the IPv4 program attached (to skip attaching it again). */
	bool filtered[PROTO_COUNT];
	uint32_t filtered_generation[PROTO_COUNT];
	size_t filter_len[PROTO_COUNT];
	struct sock_filter filter[PROTO_COUNT][RXFILTER_MAX_INSNS];
};

struct port_pool;

/*
 * Open the receive sockets and the unmarked send set.  Sockets that cannot
 * be opened stay -1 (sockets_family_ok and sockets_proto_ok tell).  The TCP
 * and SCTP receive sockets queue nothing until sockets_filter_ports.
 */
void sockets_open(struct recv_sockets *rx, struct send_set *tx);
/*
 * (Re)attach the TCP and SCTP receive sockets' filters (rxfilter.h) so that
 * they queue answers to the ports the pool holds now and nothing else.
 * Cheap when no set changed since the last call: call it after every
 * ports_acquire and ports_release, and once after ports_init.
 */
void sockets_filter_ports(struct recv_sockets *rx,
			  const struct port_pool *ports);
/*
 * Open a send set for a mark (when marked) and an interface (ifindex, or 0);
 * needs the network capabilities effective.  Returns 0 or an errno.
 */
int sockets_open_bound(struct send_set *tx, bool marked, uint32_t mark,
		       int ifindex);
void sockets_close_send(struct send_set *tx);
void sockets_close_recv(struct recv_sockets *rx);

/* Whether this family can send and receive this protocol. */
bool sockets_family_ok(const struct recv_sockets *rx,
		       const struct send_set *tx, uint8_t family);
bool sockets_proto_ok(const struct recv_sockets *rx,
		      const struct send_set *tx, uint8_t family,
		      enum probe_proto proto);

#endif

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
 * source and interface as ancillary data.  Send sockets never receive:
 * IPPROTO_RAW is send-only, ICMPv6's type filter blocks every type, a BPF
 * program drops the rest; the unmarked set sends IPv6 TCP and SCTP
 * through the (port-filtered) receive sockets.
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
	bool dont_fragment;	/* never fragmented (sockets_open_bound) */
	int v4;			/* AF_INET, IPPROTO_RAW (IP_HDRINCL) */
	int v6[PROTO_COUNT];	/* AF_INET6, raw, per protocol */
	bool v6_shared[PROTO_COUNT];	/* the receive socket's descriptor */
	int lookup4, lookup6;	/* UDP sockets, same mark: source lookups
				   (sockets_lookup) */
};

/* A socket not opened yet (the unmarked set's and the receive sockets
   are opened on first use); any negative descriptor is no socket. */
#define SOCKET_UNOPENED (-2)

struct recv_sockets {
	int v4[PROTO_COUNT];	/* ICMP, TCP, SCTP; UDP is -1 (ICMP answers) */
	int v6[PROTO_COUNT];
	/* TCP and SCTP port filters: the ports_generation they were built
	   for, and the IPv4 program attached (to skip attaching it again). */
	bool filtered[PROTO_COUNT];
	uint32_t filtered_generation[PROTO_COUNT];
	size_t filter_len[PROTO_COUNT];
	struct sock_filter filter[PROTO_COUNT][RXFILTER_MAX_INSNS];
	int buffer;		/* the SO_RCVBUF request (rmem_max / 2) */
	bool opened[PROTO_COUNT];	/* sockets_open_proto was called */
	bool timestamping;	/* sockets_enable_timestamps was called */
};

struct port_pool;

/*
 * Open what every probe needs, before privilege is dropped: the IPv4 send
 * socket, the ICMPv6 one, and the ICMP receive sockets of both families
 * (errors about every protocol's probes come to those).  Sockets that
 * cannot be opened stay negative (sockets_family_ok tells).  The other
 * protocols' sockets wait for sockets_open_proto.
 */
void sockets_open(struct recv_sockets *rx, struct send_set *tx);
/*
 * Open proto's sockets, once, on its first use: the IPv6 UDP send socket;
 * the TCP or SCTP receive sockets (which queue nothing but a few segments
 * of the moment, in the smallest buffer, until sockets_filter_ports).
 * Needs the network capability effective.  Failures leave them negative
 * (sockets_proto_ok tells).  Opening only what a client uses keeps the
 * start short: each BPF program attached costs the kernel a compilation.
 */
void sockets_open_proto(struct recv_sockets *rx, struct send_set *tx,
			enum probe_proto proto);
/*
 * Have the kernel stamp every answer's arrival (SO_TIMESTAMPNS) on the
 * receive sockets open now and on those opened later; once, before the
 * first probe leaves.  Not at start: when no socket on the host asks for
 * timestamps, the first to ask makes the kernel switch them on for the
 * whole host, by patching its own code, which took about 1 ms here
 * (hopprobe(8), BUILD OPTIONS): a worker that is only asked check-support
 * never pays it, and the first probe pays it before it is sent, outside
 * its round trip.
 */
void sockets_enable_timestamps(struct recv_sockets *rx);
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
 * needs the network capabilities effective.  Returns 0 or an errno.  A set
 * for dont_fragment probes (hopprobe(8)) never fragments what it sends:
 * IP_PMTUDISC_PROBE / IPV6_PMTUDISC_PROBE, so that a probe larger than
 * its device's MTU fails with EMSGSIZE, and one that fits its device goes
 * out whatever path MTU the kernel has learned, for the router whose link
 * is smaller to answer (the IPv4 probes carry DF in the header they are
 * built with).
 */
int sockets_open_bound(struct send_set *tx, bool marked, uint32_t mark,
		       int ifindex, bool dont_fragment);
/* The set's source-lookup socket for family, or -1 if none can be had. */
int sockets_lookup(struct send_set *tx, uint8_t family);
void sockets_close_send(struct send_set *tx);
void sockets_close_recv(struct recv_sockets *rx);

/* Whether this family can send and receive this protocol. */
bool sockets_family_ok(const struct recv_sockets *rx,
		       const struct send_set *tx, uint8_t family);
bool sockets_proto_ok(const struct recv_sockets *rx,
		      const struct send_set *tx, uint8_t family,
		      enum probe_proto proto);

#endif

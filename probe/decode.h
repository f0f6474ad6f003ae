/*
 * decode.h: received datagrams -> what they say about which probe.
 * Pure functions over (pointer, length): they find the kind of answer, the
 * responder, the identity of the probe it answers (struct probe_key, to be
 * looked up by the engine) and any MPLS label stack.  They never read past
 * the bytes given and never trust a length field from the packet.
 */
#ifndef HOPPROBE_DECODE_H
#define HOPPROBE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire_identity.h"
#include "icmp_ext.h"
#include "reply_details.h"

enum reply_kind {
	KIND_NONE = 0,		/* not an answer to any probe of ours */
	KIND_REPLY,		/* the destination answered (echo reply,
				   TCP or SCTP answer, or port / protocol
				   unreachable sent by the destination) */
	KIND_TTL_EXPIRED,	/* ICMP time exceeded in transit */
	KIND_NO_ROUTE_NETWORK,	/* ICMP net unreachable, ICMPv6 no route */
	KIND_NO_ROUTE_HOST,	/* ICMP host unreachable, ICMPv6 address unr. */
	KIND_PACKET_TOO_BIG,	/* ICMP fragmentation needed, ICMPv6 packet
				   too big (too_big.h) */
};

struct decoded {
	enum reply_kind kind;
	struct net_addr responder;	/* who sent the datagram */
	struct probe_key key;		/* the probe it answers */
	struct mpls_stack mpls;		/* labels from an ICMP extension */
	/*
	 * What the answer said (reply-details).  IPv6 has no reply_ttl
	 * here: the raw socket strips the header, so the receive path adds
	 * the hop limit from its control message.
	 */
	struct reply_details details;
	uint32_t next_hop_mtu;		/* KIND_PACKET_TOO_BIG: the MTU the
					   router gave (0 if it gave none) */
};

/*
 * IPv4: pkt starts at the IP header, as a raw IPv4 socket delivers it.
 * Handles ICMP (echo reply; time exceeded and destination unreachable
 * quoting an ICMP, UDP, TCP or SCTP probe), TCP (SYN-ACK or RST with ACK)
 * and SCTP (INIT-ACK or ABORT, CRC32c checked).  Returns false (kind
 * KIND_NONE) for anything else, including our own outgoing probes seen on
 * loopback.  A quote of a non-first fragment of a probe never matches.
 * Port and protocol unreachable are KIND_REPLY only from the quoted
 * destination, KIND_NO_ROUTE_HOST from any other sender (see
 * icmp_error_kind_by_sender).  Fragmentation needed is KIND_PACKET_TOO_BIG
 * with the router's MTU in next_hop_mtu (too_big.h).
 */
bool decode_ipv4(const uint8_t *pkt, size_t len, struct decoded *out);

/*
 * IPv6: pkt starts at the transport header, as a raw IPv6 socket delivers
 * it; proto is the socket's protocol (PROTO_ICMP means ICMPv6) and src the
 * sender's address from recvmsg.  ICMPv6 parameter problem code 1
 * (unrecognized next header, Linux's answer to an unknown protocol) from the
 * destination counts as a reply, like protocol unreachable in IPv4; it and
 * port unreachable from anyone else are KIND_NO_ROUTE_HOST.  A quoted probe
 * may carry one Fragment header (the kernel fragments large IPv6 probes):
 * it is skipped when it starts the datagram (offset 0), and a quote of any
 * later fragment never matches.  Packet too big is KIND_PACKET_TOO_BIG with
 * the router's MTU in next_hop_mtu (too_big.h).
 */
bool decode_ipv6(enum probe_proto proto, const uint8_t src[16],
		 const uint8_t *pkt, size_t len, struct decoded *out);

/*
 * What an ICMP (family AF_INET) or ICMPv6 (AF_INET6) error of this type
 * and code means for the probe it quotes; KIND_NONE for anything else.
 * Shared with the error-queue decoder of the unprivileged mode.  KIND_REPLY
 * (port or protocol unreachable, ICMPv6 parameter problem code 1) holds
 * only if the destination sent it: see icmp_error_kind_by_sender().
 */
enum reply_kind icmp_error_kind(uint8_t family, uint8_t type, uint8_t code);

/*
 * The kind of an error, given by icmp_error_kind(), once its sender is
 * known: port and protocol unreachable from anyone but the probe's
 * destination dst (a firewall on the path rejecting the probe) mean that
 * the destination cannot be reached from there, KIND_NO_ROUTE_HOST.  Other
 * kinds are returned as they are.
 */
/*
 * The next-hop MTU of a fragmentation needed or packet too big (read by
 * too_big.h, or the error queue's ee_info) into d, with
 * DETAIL_NEXT_HOP_MTU; nothing for a zero MTU (a router older than
 * RFC 1191 says nothing there).
 */
void details_next_hop_mtu(uint32_t mtu, struct reply_details *d);

enum reply_kind icmp_error_kind_by_sender(enum reply_kind kind,
					  const struct net_addr *responder,
					  const struct net_addr *dst);

#endif

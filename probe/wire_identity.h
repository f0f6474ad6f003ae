/*
 * wire_identity.h: what identifies one probe on the wire, in one place.
 *
 * A reply is attributed to a probe only through the fields it quotes (an
 * ICMP error) or echoes (an echo reply, a TCP RST or SYN-ACK, an SCTP
 * ABORT or INIT-ACK): the family, the transport protocol, the destination
 * the probe was sent to, and the fields of the first eight bytes of the
 * transport header that the worker chose, plus the SCTP initiate tag.
 * Routers quote at least those eight bytes (RFC 792; RFC 4443 quotes
 * more).  This module says which fields those are per protocol, how the
 * worker fills them from a per-probe identity value (identity.h makes the
 * values), and how a key is made from a probe about to be sent
 * (probe_spec_key) so that the decoders (decode.c, which build the same key
 * from the bytes of a reply) and the probe table can meet on it.
 *
 * Per protocol, the identity value n goes into:
 * - ICMP echo: the sequence number (low 16 bits of n); the identifier is
 *   the worker's own (icmp_id.h), the same for all its probes.
 * - UDP: the checksum field (1 + n mod 0xfffe: never 0, "no checksum", nor
 *   0xffff, zero's other form), steered by two payload bytes (build.c);
 *   the destination port too when the client gave none (the traceroute
 *   range 33434-33533).
 * - TCP SYN: the high 16 bits of the sequence number; the low 16 bits stay
 *   zero.  A RST answering a SYN that carries data acknowledges the data
 *   too (ack = seq + 1 + payload length), a SYN-ACK usually does not
 *   (ack = seq + 1): clearing the low bits of ack - 1
 *   (wire_identity_tcp_seq_of_ack) gives seq back in both cases, for any
 *   payload shorter than 65,535 bytes.
 * - SCTP INIT: the initiate tag (never 0, RFC 4960 3.3.2), which an ABORT
 *   carries as its verification tag and an INIT-ACK echoes in its cookie.
 * - IPv4: the IP identification field too (low 16 bits of n, never 0: the
 *   kernel gives an IP_HDRINCL packet with ID 0 an ID of its own, and each
 *   fragment of a large probe would get another).  It is not part of the
 *   key (errors quote it, answers do not), but it makes fragments of one
 *   probe reassemble and keeps probes apart for middleboxes.
 *
 * A flow probe (send-probe's `flow N`, Paris traceroute) keeps constant
 * every field that routers hash to spread traffic over equal-cost paths,
 * so that all probes of one flow to one destination take one path; the
 * identity above rides in fields they do not hash.  wire_flow_apply says
 * what flow N puts on the wire (hopprobe(8) documents it):
 * - UDP, TCP, SCTP: the source port WIRE_FLOW_PORT_BASE + N mod
 *   WIRE_FLOW_PORT_SPAN unless the client named a local-port; UDP's
 *   destination port is the client's or WIRE_UDP_BASE_PORT for every
 *   probe (no longer one per identity).  The identity stays where it was:
 *   UDP checksum, TCP sequence number, SCTP initiate tag.
 * - ICMP echo: the checksum field N mod 0xffff (0xffff itself cannot be
 *   reached), held there by two payload bytes (build.c) while the
 *   sequence number carries the identity.
 * - IPv6: the flow label WIRE_FLOW_LABEL_BASE + N, in the range RFC 6437
 *   and Linux leave to stateless labels, never 0 (unlabelled).
 * Pure: no sockets, no clock.
 */
#ifndef HOPPROBE_WIRE_IDENTITY_H
#define HOPPROBE_WIRE_IDENTITY_H

#include <stdint.h>

#include "netaddr.h"

struct probe_spec;

/* UDP probes without a port go to the traditional traceroute range. */
#define WIRE_UDP_BASE_PORT 33434
#define WIRE_UDP_PORT_SPAN 100
/* TCP and SCTP probes without a port go to the HTTP port. */
#define WIRE_DEFAULT_PORT 80
/* Flow probes: source ports 32768-65535, IPv6 labels 0x80000-0x8ffff. */
#define WIRE_FLOW_PORT_BASE 32768
#define WIRE_FLOW_PORT_SPAN 32768
#define WIRE_FLOW_ICMP_SPAN 0xffff
#define WIRE_FLOW_LABEL_BASE 0x80000u

struct probe_key {
	uint8_t family;
	uint8_t proto;		/* enum probe_proto */
	uint8_t dst[16];	/* IPv4 in dst[0..3], rest zero */
	uint64_t wire_id;	/* the fields below, packed */
};

/* ICMP echo: identifier and sequence number. */
static inline uint64_t probe_wire_icmp(uint16_t id, uint16_t seq)
{
	return ((uint64_t)id << 16) | seq;
}

/* UDP: source port, destination port and the UDP checksum field. */
static inline uint64_t probe_wire_udp(uint16_t sport, uint16_t dport,
				      uint16_t checksum)
{
	return ((uint64_t)sport << 32) | ((uint64_t)dport << 16) | checksum;
}

/* TCP SYN: source port, destination port and the sequence number. */
static inline uint64_t probe_wire_tcp(uint16_t sport, uint16_t dport,
				      uint32_t seq)
{
	return ((uint64_t)sport << 48) | ((uint64_t)dport << 32) | seq;
}

/* SCTP INIT: source port, destination port and the INIT's initiate tag. */
static inline uint64_t probe_wire_sctp(uint16_t sport, uint16_t dport,
				       uint32_t initiate_tag)
{
	return ((uint64_t)sport << 48) | ((uint64_t)dport << 32) | initiate_tag;
}

/* The SYN's sequence number, from the acknowledgment number of its answer. */
static inline uint32_t wire_identity_tcp_seq_of_ack(uint32_t ack)
{
	return (ack - 1) & 0xffff0000u;
}

/*
 * Make spec a probe of flow (see above): its hashed fields, before its
 * identity.  spec->proto and spec->dst must be set, and spec->sport to the
 * client's local-port or 0.
 */
void wire_flow_apply(struct probe_spec *spec, uint16_t flow);

/*
 * Fill spec's identity fields (see above) from identity value n.  icmp_id
 * is the worker's echo identifier; port is the destination port the client
 * asked for, 0 for the default.  spec->proto and spec->dst must be set,
 * and wire_flow_apply called first for a flow probe.
 */
void wire_identity_apply(struct probe_spec *spec, uint32_t n, uint16_t icmp_id,
			 uint16_t port);

/* The key a reply to spec must produce, as probe_build() puts it on the wire. */
void probe_spec_key(const struct probe_spec *spec, struct probe_key *key);

#endif

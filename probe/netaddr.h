/*
 * netaddr.h: the address and probe-identity types shared by every module
 * of the worker.  Plain data only; no I/O.
 */
#ifndef HOPPROBE_NETADDR_H
#define HOPPROBE_NETADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 address in network byte order.  IPv4 uses bytes[0..3]. */
struct net_addr {
	uint8_t family;		/* AF_INET or AF_INET6; 0 means "none" */
	uint8_t bytes[16];
};

enum probe_proto {
	PROTO_ICMP = 0,
	PROTO_UDP,
	PROTO_TCP,
	PROTO_SCTP,
	PROTO_COUNT
};

/*
 * What identifies one probe on the wire, and so what a reply must carry for
 * it to be attributed to that probe: the family, the transport protocol, the
 * destination the probe was sent to and the fields of the first eight bytes
 * of the transport header that the worker chose (plus the SCTP initiate tag).
 * wire_id packs those fields, see probe_key_*() below.
 */
struct probe_key {
	uint8_t family;
	uint8_t proto;		/* enum probe_proto */
	uint8_t dst[16];	/* IPv4 in dst[0..3], rest zero */
	uint64_t wire_id;
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

/*
 * TCP SYN: source port, destination port and the sequence number, whose low
 * 16 bits the worker keeps zero: an answer acknowledges seq + 1, or seq + 1
 * + the SYN's payload length, and decoders clear those bits of ack - 1.
 */
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

static inline size_t net_addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/*
 * The socket address of a with port and (IPv6) scope; returns its length.
 * The conversions live here so that every module builds addresses alike.
 */
static inline socklen_t net_addr_to_sockaddr(const struct net_addr *a,
					     uint16_t port, uint32_t scope_id,
					     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->bytes, 4);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_scope_id = scope_id;
		memcpy(&sin6->sin6_addr, a->bytes, 16);
		return sizeof(*sin6);
	}
}

static inline void net_addr_from_sockaddr(const struct sockaddr_storage *ss,
					  struct net_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)ss->ss_family;
	if (ss->ss_family == AF_INET)
		memcpy(a->bytes, &((const struct sockaddr_in *)ss)->sin_addr,
		       4);
	else
		memcpy(a->bytes,
		       &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
}

#endif

/*
 * netaddr.h: the address and protocol types shared by every module of the
 * worker.  Plain data only; no I/O.  (A probe's identity on the wire:
 * wire_identity.h.)
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

/*
 * rtquery.h: one rtnetlink route query (RTM_GETROUTE), as bytes.
 *
 * "Is this address a unicast address of this host?" is what the routing
 * table answers: a route lookup for the address itself gives a route of
 * type RTN_LOCAL exactly when packets to it are delivered here as to a
 * unicast address.  Broadcast, multicast, anycast, an unassigned address
 * that ip_nonlocal_bind would let bind() take: every other answer is not
 * ours.  The request and the answer are built and read here without I/O;
 * srccache.c sends and receives them.
 */
#ifndef HOPPROBE_RTQUERY_H
#define HOPPROBE_RTQUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

/*
 * Room for a request: netlink header, rtmsg, two address attributes
 * (destination, source) and two numbers (mark, interface).
 */
#define RTQUERY_REQUEST_MAX 96

/*
 * The RTM_GETROUTE request for a route to addr, with sequence number seq.
 * Returns its length, or 0 if buf is too small or the family unknown.
 */
size_t rtquery_build(const struct net_addr *addr, uint32_t seq, void *buf,
		     size_t cap);

/*
 * What a probe's route depends on besides its destination: the source
 * the client named (family 0: none), its mark, and the interface it is
 * bound to or its destination's IPv6 scope (0: none).  Policy routing may
 * choose by each of them.
 */
struct rtquery_route {
	const struct net_addr *dst;
	const struct net_addr *src;	/* NULL or family 0: none */
	bool has_mark;
	uint32_t mark;
	uint32_t oif;
};

/* The RTM_GETROUTE request for q; its length, or 0 as rtquery_build. */
size_t rtquery_build_route(const struct rtquery_route *q, uint32_t seq,
			   void *buf, size_t cap);

/*
 * Read the kernel's answer to request seq from the bytes of one recv().
 * Returns 0 with *route_type set (RTN_LOCAL, RTN_UNICAST, ...), the errno
 * the kernel answered (an NLMSG_ERROR: ENETUNREACH, ...), or EBADMSG when
 * the bytes hold no answer to seq.
 */
int rtquery_parse(const void *buf, size_t len, uint32_t seq,
		  uint8_t *route_type);

/*
 * The same, with the interface the route leaves through (its RTA_OIF;
 * 0 when the answer names none, as for a local or blackhole route).
 */
int rtquery_parse_route(const void *buf, size_t len, uint32_t seq,
			uint8_t *route_type, uint32_t *oif);

/*
 * What no route lookup is needed to refuse as a probe's source address:
 * the unspecified address, multicast, the limited broadcast address, and a
 * loopback address (127.0.0.0/8, ::1) towards a destination that is not
 * loopback (the kernel would put it on the wire).  True if src may be
 * asked about, false if it is refused outright.
 */
bool rtquery_source_shape_ok(const struct net_addr *src,
			     const struct net_addr *dst);

#endif

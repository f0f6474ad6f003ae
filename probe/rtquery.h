/*
 * rtquery.h: rtnetlink route and link queries (RTM_GETROUTE, RTM_GETLINK),
 * as bytes.
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
 * Room for a request: netlink header, rtmsg and up to three attributes
 * (two addresses and a mark), or ifinfomsg.
 */
#define RTQUERY_REQUEST_MAX 96

/*
 * The RTM_GETROUTE request for a route to addr, with sequence number seq.
 * Returns its length, or 0 if buf is too small or the family unknown.
 */
size_t rtquery_build(const struct net_addr *addr, uint32_t seq, void *buf,
		     size_t cap);

/*
 * Read the kernel's answer to request seq from the bytes of one recv().
 * Returns 0 with *route_type set (RTN_LOCAL, RTN_UNICAST, ...), the errno
 * the kernel answered (an NLMSG_ERROR: ENETUNREACH, ...), or EBADMSG when
 * the bytes hold no answer to seq.
 */
int rtquery_parse(const void *buf, size_t len, uint32_t seq,
		  uint8_t *route_type);

/*
 * What no route lookup is needed to refuse as a probe's source address:
 * the unspecified address, multicast, the limited broadcast address, and a
 * loopback address (127.0.0.0/8, ::1) towards a destination that is not
 * loopback (the kernel would put it on the wire).  True if src may be
 * asked about, false if it is refused outright.
 */
bool rtquery_source_shape_ok(const struct net_addr *src,
			     const struct net_addr *dst);

/*
 * The MTU of the device a probe leaves through, for a dont-fragment probe
 * that did not fit it (hopprobe(8)): the route query names the device
 * (RTA_OIF), a link query (RTM_GETLINK) its MTU (IFLA_MTU).
 *
 * The route request for dst as a probe takes it: from src when it is an
 * address of dst's family, not the unspecified one (policy routing may
 * select on it), with the mark when has_mark.
 * Returns its length, or 0 if buf is too small or the family unknown.
 */
size_t rtquery_build_oif(const struct net_addr *dst,
			 const struct net_addr *src, bool has_mark,
			 uint32_t mark, uint32_t seq, void *buf, size_t cap);
/* Its answer: 0 with *oif set, an errno the kernel answered, or EBADMSG. */
int rtquery_parse_oif(const void *buf, size_t len, uint32_t seq,
		      uint32_t *oif);
/* The link request for interface ifindex; its length, or 0. */
size_t rtquery_build_link(uint32_t ifindex, uint32_t seq, void *buf,
			  size_t cap);
/* Its answer: 0 with *mtu set, an errno the kernel answered, or EBADMSG. */
int rtquery_parse_link_mtu(const void *buf, size_t len, uint32_t seq,
			   uint32_t *mtu);

#endif

/*
 * srccache.h: which source address the kernel would use towards a
 * destination, and whether a requested source is an address of this host.
 *
 * UDP and TCP checksums cover the source address, and IPv4 probes are
 * built with their IP header, so the worker must know the source before it
 * builds.  Asking the kernel costs a connect() and a getsockname() on a UDP
 * socket (no packet is sent); the answer is cached per destination, mark
 * and interface, and the whole cache is dropped whenever the routing or
 * address configuration changes (an rtnetlink subscription tells) and in
 * any case after SRC_CACHE_SECONDS.
 */
#ifndef HOPPROBE_SRCCACHE_H
#define HOPPROBE_SRCCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

#define SRC_CACHE_SECONDS 2.0
#define SRC_CACHE_MAX 65536

struct src_entry;

struct src_cache {
	struct src_entry *entries;	/* open addressing */
	uint32_t mask;
	uint32_t count;
	int netlink;			/* change notifications, or -1 */
	int query;			/* route queries (rtquery.h), or -1 */
	uint32_t query_seq;
};

void src_cache_init(struct src_cache *c);
void src_cache_free(struct src_cache *c);
/* The rtnetlink socket to watch (-1 if none). */
int src_cache_netlink_fd(const struct src_cache *c);
/*
 * What the subscription heard: the bytes of one recv(), or buf NULL (len
 * 0) when the kernel dropped notifications because the socket's buffer
 * was full (ENOBUFS), so that anything may have changed.
 */
typedef void (*src_cache_news_fn)(void *ctx, const void *buf, size_t len);

/*
 * Drain change notifications, handing each datagram to fn (when not
 * NULL); flush the cache if there were any.
 */
void src_cache_netlink_read(struct src_cache *c, src_cache_news_fn fn,
			    void *ctx);
void src_cache_flush(struct src_cache *c);

/*
 * The source address for a probe to dst (scope_id for IPv6 link-local),
 * with the mark (when has_mark) and interface (ifindex, 0 for none) that
 * the probe will use.  lookup_fd is a UDP socket of dst's family carrying
 * that mark and bound to that interface (the probe's send set has one).
 * Returns 0, or the errno of the route lookup (ENETUNREACH, ...).  now: a
 * monotonic time in seconds.
 */
int src_cache_lookup(struct src_cache *c, int lookup_fd,
		     const struct net_addr *dst,
		     uint32_t scope_id, bool has_mark, uint32_t mark,
		     int ifindex, double now, struct net_addr *src);

/*
 * Whether addr may be the source of a probe to dst: a unicast address of
 * this host (the routing table's answer, rtquery.h), and not loopback
 * towards a destination that is not.  bind() is no test: Linux grants it
 * for broadcast, multicast and, with ip_nonlocal_bind, any address.
 * Returns 0 or EADDRNOTAVAIL.
 */
int src_cache_check_local(struct src_cache *c, const struct net_addr *addr,
			  const struct net_addr *dst, double now);

/*
 * The interface the route to dst leaves through, as the routing table
 * answers an RTM_GETROUTE for the destination with the source the client
 * named (src NULL or family 0: none), the mark, and the IPv6 scope
 * (scope_id, 0 for none), cached like sources.  Returns 0 with *oif set,
 * or the errno of the lookup (ENETUNREACH also for a route that names no
 * interface).  Only probes sent with link-events 1 ask (hopprobe(8)).
 */
int src_cache_route_oif(struct src_cache *c, const struct net_addr *dst,
			const struct net_addr *src, bool has_mark,
			uint32_t mark, uint32_t scope_id, double now,
			uint32_t *oif);

/*
 * The MTU of the device a packet to dst leaves through: ifindex's when
 * non-zero, else the routing table's choice for dst from src (when it is
 * an address of dst's family other than the unspecified one) with the
 * mark (when has_mark).  Not cached: it is asked only for a dont-fragment
 * probe that did not fit (hopprobe(8)).  Returns 0, the errno of the
 * route lookup, or EBADMSG when the kernel did not say.
 */
int src_cache_device_mtu(struct src_cache *c, const struct net_addr *dst,
			 const struct net_addr *src, bool has_mark,
			 uint32_t mark, int ifindex, uint32_t *mtu);

struct link_news;
/*
 * The state of link ifindex now (RTM_GETLINK, never cached): 0 with
 * *news filled, ENODEV when there is no such link, or another errno.
 */
int src_cache_link_state(struct src_cache *c, uint32_t ifindex,
			 struct link_news *news);

#endif

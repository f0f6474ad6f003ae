/*
 * srccache.c: source address lookups through the kernel's routing, cached.
 */
#include "config.h"

#include "srccache.h"

#include "rtquery.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum entry_kind { ENTRY_EMPTY = 0, ENTRY_ROUTE, ENTRY_LOCAL };

struct src_entry {
	uint8_t kind;
	uint8_t has_mark;
	struct net_addr dst;	/* route: destination; local: the address */
	uint32_t scope_id;
	uint32_t mark;
	int ifindex;
	int err;		/* cached answer: 0 or errno */
	struct net_addr src;
	double expires;
};

#define INITIAL_ENTRIES 64u

void src_cache_init(struct src_cache *c)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	memset(c, 0, sizeof(*c));
	c->entries = calloc(INITIAL_ENTRIES, sizeof(*c->entries));
	c->mask = c->entries ? INITIAL_ENTRIES - 1 : 0;
	/* Any change of addresses, routes, rules or links may change sources. */
	nl.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
		       RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE |
		       RTMGRP_IPV4_RULE;
	c->netlink = socket(AF_NETLINK,
			    SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    NETLINK_ROUTE);
	if (c->netlink >= 0 &&
	    bind(c->netlink, (struct sockaddr *)&nl, sizeof(nl)) == -1) {
		close(c->netlink);
		c->netlink = -1;
	}
	/* Queries get a socket of their own: no notification in between. */
	c->query = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			  NETLINK_ROUTE);
}

void src_cache_free(struct src_cache *c)
{
	free(c->entries);
	if (c->netlink >= 0)
		close(c->netlink);
	if (c->query >= 0)
		close(c->query);
	memset(c, 0, sizeof(*c));
	c->netlink = c->query = -1;
}

int src_cache_netlink_fd(const struct src_cache *c)
{
	return c->netlink;
}

void src_cache_flush(struct src_cache *c)
{
	if (c->entries)
		memset(c->entries, 0, (c->mask + 1) * sizeof(*c->entries));
	c->count = 0;
}

void src_cache_netlink_read(struct src_cache *c)
{
	char buf[8192];
	bool changed = false;
	int i;

	/* Bounded: a flood of notifications cannot hold the loop. */
	for (i = 0; i < 64; i++) {
		ssize_t n = recv(c->netlink, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0 || (n < 0 && errno == ENOBUFS)) {
			/* ENOBUFS: notifications were lost; assume a change */
			changed = true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	if (changed)
		src_cache_flush(c);
}

static uint32_t entry_hash(uint8_t kind, const struct net_addr *a,
			   uint32_t mark, int ifindex)
{
	uint32_t h = 2166136261u ^ kind;
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	h = (h ^ mark) * 16777619u;
	h = (h ^ (uint32_t)ifindex) * 16777619u;
	return h;
}

static bool entry_matches(const struct src_entry *e, uint8_t kind,
			  const struct net_addr *a, uint32_t scope_id,
			  bool has_mark, uint32_t mark, int ifindex)
{
	return e->kind == kind && e->dst.family == a->family &&
	       memcmp(e->dst.bytes, a->bytes, 16) == 0 &&
	       e->scope_id == scope_id && e->has_mark == has_mark &&
	       e->mark == mark && e->ifindex == ifindex;
}

/*
 * The slot for this key: the matching entry, or an empty one to fill.
 * The table is cleared rather than grown past SRC_CACHE_MAX; it is a cache.
 */
static struct src_entry *entry_slot(struct src_cache *c, uint8_t kind,
				    const struct net_addr *a,
				    uint32_t scope_id, bool has_mark,
				    uint32_t mark, int ifindex)
{
	uint32_t h;

	if (!c->entries)
		return NULL;
	if ((c->count + 1) * 2 > c->mask + 1) {
		uint32_t n = (c->mask + 1) * 2;
		struct src_entry *bigger = NULL;

		if (n <= SRC_CACHE_MAX)
			bigger = calloc(n, sizeof(*bigger));
		if (bigger) {
			/* Old entries are simply dropped: they refill on use. */
			free(c->entries);
			c->entries = bigger;
			c->mask = n - 1;
			c->count = 0;
		} else {
			src_cache_flush(c);
		}
	}
	h = entry_hash(kind, a, mark, ifindex) & c->mask;
	while (c->entries[h].kind != ENTRY_EMPTY &&
	       !entry_matches(&c->entries[h], kind, a, scope_id, has_mark,
			      mark, ifindex))
		h = (h + 1) & c->mask;
	return &c->entries[h];
}

/* Ask the routing code: connect a UDP socket, read back its address. */
static int route_source(int fd, const struct net_addr *dst, uint32_t scope_id,
			struct net_addr *src)
{
	struct sockaddr_storage ss;
	socklen_t len = net_addr_to_sockaddr(dst, 9, scope_id, &ss);

	if (connect(fd, (struct sockaddr *)&ss, len) == -1)
		return errno;
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return errno;
	net_addr_from_sockaddr(&ss, src);
	return 0;
}

int src_cache_lookup(struct src_cache *c, int lookup_fd,
		     const struct net_addr *dst, uint32_t scope_id,
		     bool has_mark, uint32_t mark, int ifindex, double now,
		     struct net_addr *src)
{
	struct src_entry *e = entry_slot(c, ENTRY_ROUTE, dst, scope_id,
					 has_mark, mark, ifindex);
	int err;

	if (e && e->kind == ENTRY_ROUTE && e->expires > now) {
		*src = e->src;
		return e->err;
	}
	if (lookup_fd < 0)
		err = EAFNOSUPPORT;
	else
		err = route_source(lookup_fd, dst, scope_id, src);
	if (e) {
		if (e->kind == ENTRY_EMPTY)
			c->count++;
		e->kind = ENTRY_ROUTE;
		e->has_mark = has_mark;
		e->dst = *dst;
		e->scope_id = scope_id;
		e->mark = mark;
		e->ifindex = ifindex;
		e->err = err;
		e->src = err ? (struct net_addr){ 0 } : *src;
		e->expires = now + SRC_CACHE_SECONDS;
	}
	return err;
}

/* A parser of rtquery.h for one kind of answer, with its result. */
typedef int (*answer_parser)(const void *buf, size_t len, uint32_t seq,
			     void *out);

/*
 * Send one rtnetlink request (of len bytes, for sequence number
 * c->query_seq) and read its answer into answer, handing each datagram to
 * parse until it finds the answer.  rtnetlink answers while the request
 * is being sent, so the answer is read without waiting.  0, the errno the
 * kernel answered, or EBADMSG for no answer.
 */
static int ask_kernel(struct src_cache *c, const void *req, size_t len,
		      char *answer, size_t cap, answer_parser parse,
		      void *out)
{
	ssize_t n;
	int tries, err = EBADMSG;

	if (len == 0 || send(c->query, req, len, 0) != (ssize_t)len)
		return EBADMSG;
	/* Skip answers to earlier queries that were given up on. */
	for (tries = 0; tries < 8 && err == EBADMSG; tries++) {
		n = recv(c->query, answer, cap, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		err = parse(answer, (size_t)n, c->query_seq, out);
	}
	return err;
}

static int parse_route_type(const void *buf, size_t len, uint32_t seq,
			    void *out)
{
	return rtquery_parse(buf, len, seq, out);
}

static int parse_oif(const void *buf, size_t len, uint32_t seq, void *out)
{
	return rtquery_parse_oif(buf, len, seq, out);
}

static int parse_link_mtu(const void *buf, size_t len, uint32_t seq,
			  void *out)
{
	return rtquery_parse_link_mtu(buf, len, seq, out);
}

/*
 * The routing table's type for a route to addr (RTN_LOCAL for an address
 * of this host); any failure counts as "not local".
 */
static int route_type_of(struct src_cache *c, const struct net_addr *addr,
			 uint8_t *type)
{
	uint8_t req[RTQUERY_REQUEST_MAX];
	char answer[1024];
	size_t len;

	if (c->query < 0)
		return EADDRNOTAVAIL;
	len = rtquery_build(addr, ++c->query_seq, req, sizeof(req));
	return ask_kernel(c, req, len, answer, sizeof(answer),
			  parse_route_type, type);
}

int src_cache_device_mtu(struct src_cache *c, const struct net_addr *dst,
			 const struct net_addr *src, bool has_mark,
			 uint32_t mark, int ifindex, uint32_t *mtu)
{
	uint8_t req[RTQUERY_REQUEST_MAX];
	/* A link's answer carries its statistics and settings too. */
	char answer[16384];
	uint32_t oif = (uint32_t)ifindex;
	size_t len;
	int err;

	if (c->query < 0)
		return EBADMSG;
	if (!oif) {
		len = rtquery_build_oif(dst, src, has_mark, mark,
					++c->query_seq, req, sizeof(req));
		err = ask_kernel(c, req, len, answer, sizeof(answer),
				 parse_oif, &oif);
		if (err)
			return err;
	}
	len = rtquery_build_link(oif, ++c->query_seq, req, sizeof(req));
	return ask_kernel(c, req, len, answer, sizeof(answer), parse_link_mtu,
			  mtu);
}

int src_cache_check_local(struct src_cache *c, const struct net_addr *addr,
			  const struct net_addr *dst, double now)
{
	struct src_entry *e;
	uint8_t type = 0;
	int err;

	if (!rtquery_source_shape_ok(addr, dst))
		return EADDRNOTAVAIL;
	e = entry_slot(c, ENTRY_LOCAL, addr, 0, false, 0, 0);
	if (e && e->kind == ENTRY_LOCAL && e->expires > now)
		return e->err;
	err = route_type_of(c, addr, &type);
	err = err == 0 && type == RTN_LOCAL ? 0 : EADDRNOTAVAIL;
	if (e) {
		if (e->kind == ENTRY_EMPTY)
			c->count++;
		e->kind = ENTRY_LOCAL;
		e->has_mark = 0;
		e->dst = *addr;
		e->scope_id = 0;
		e->mark = 0;
		e->ifindex = 0;
		e->err = err;
		e->expires = now + SRC_CACHE_SECONDS;
	}
	return err;
}

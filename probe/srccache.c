/*
 * srccache.c: source address lookups through the kernel's routing, cached.
 */
#include "config.h"

#include "srccache.h"

#include "linkmsg.h"
#include "rtquery.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum entry_kind { ENTRY_EMPTY = 0, ENTRY_ROUTE, ENTRY_LOCAL, ENTRY_OIF };

struct src_entry {
	uint8_t kind;
	uint8_t has_mark;
	struct net_addr dst;	/* route, oif: destination; local: the address */
	uint32_t scope_id;
	uint32_t mark;
	int ifindex;
	int err;		/* cached answer: 0 or errno */
	struct net_addr src;	/* route: the answer; oif: the client's source */
	uint32_t oif;		/* oif: the answer */
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

void src_cache_netlink_read(struct src_cache *c, src_cache_news_fn fn,
			    void *ctx)
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
			if (fn)
				fn(ctx, n > 0 ? buf : NULL,
				   n > 0 ? (size_t)n : 0);
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
			   const struct net_addr *from, uint32_t mark,
			   int ifindex)
{
	uint32_t h = 2166136261u ^ kind;
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	for (i = 0; from && i < 16; i++)
		h = (h ^ from->bytes[i]) * 16777619u;
	h = (h ^ mark) * 16777619u;
	h = (h ^ (uint32_t)ifindex) * 16777619u;
	return h;
}

/* from: the client's source, part of the key of oif entries only. */
static bool entry_matches(const struct src_entry *e, uint8_t kind,
			  const struct net_addr *a,
			  const struct net_addr *from, uint32_t scope_id,
			  bool has_mark, uint32_t mark, int ifindex)
{
	return e->kind == kind && e->dst.family == a->family &&
	       memcmp(e->dst.bytes, a->bytes, 16) == 0 &&
	       e->scope_id == scope_id && e->has_mark == has_mark &&
	       e->mark == mark && e->ifindex == ifindex &&
	       (!from || (e->src.family == from->family &&
			  memcmp(e->src.bytes, from->bytes, 16) == 0));
}

/*
 * The slot for this key: the matching entry, or an empty one to fill.
 * The table is cleared rather than grown past SRC_CACHE_MAX; it is a cache.
 */
static struct src_entry *entry_slot(struct src_cache *c, uint8_t kind,
				    const struct net_addr *a,
				    const struct net_addr *from,
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
	h = entry_hash(kind, a, from, mark, ifindex) & c->mask;
	while (c->entries[h].kind != ENTRY_EMPTY &&
	       !entry_matches(&c->entries[h], kind, a, from, scope_id,
			      has_mark, mark, ifindex))
		h = (h + 1) & c->mask;
	return &c->entries[h];
}

/* Fill slot e (from entry_slot) with a key and an answer's errno. */
static void entry_fill(struct src_cache *c, struct src_entry *e, uint8_t kind,
		       const struct net_addr *dst, uint32_t scope_id,
		       bool has_mark, uint32_t mark, int ifindex, int err,
		       double now)
{
	if (e->kind == ENTRY_EMPTY)
		c->count++;
	e->kind = kind;
	e->has_mark = has_mark;
	e->dst = *dst;
	e->scope_id = scope_id;
	e->mark = mark;
	e->ifindex = ifindex;
	e->err = err;
	e->expires = now + SRC_CACHE_SECONDS;
}

/*
 * Ask the routing code: connect a UDP socket, read back its address.  A
 * connected socket keeps the source its first connect() chose (Linux
 * fills it in only while unset), and a route is then looked up from that
 * source, so a destination through another interface would get the
 * first one's address, and an address since removed would stay.  So the
 * socket is disconnected first (AF_UNSPEC), which clears a source it was
 * not bound to; but disconnecting also drops a device binding, so a
 * socket bound to an interface (ifindex) is not: all its routes leave
 * through that one interface anyway.
 */
static int route_source(int fd, const struct net_addr *dst, uint32_t scope_id,
			int ifindex, struct net_addr *src)
{
	struct sockaddr_storage ss;
	socklen_t len = net_addr_to_sockaddr(dst, 9, scope_id, &ss);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	if (!ifindex)
		(void)connect(fd, &unspec, sizeof(unspec));
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
	struct src_entry *e = entry_slot(c, ENTRY_ROUTE, dst, NULL, scope_id,
					 has_mark, mark, ifindex);
	int err;

	if (e && e->kind == ENTRY_ROUTE && e->expires > now) {
		*src = e->src;
		return e->err;
	}
	if (lookup_fd < 0)
		err = EAFNOSUPPORT;
	else
		err = route_source(lookup_fd, dst, scope_id, ifindex, src);
	if (e) {
		entry_fill(c, e, ENTRY_ROUTE, dst, scope_id, has_mark, mark,
			   ifindex, err, now);
		e->src = err ? (struct net_addr){ 0 } : *src;
	}
	return err;
}

/*
 * What one rtnetlink query is answered: the request in req (len bytes),
 * sequence number seq, and a parser that fills out from the answer and
 * returns 0, an errno, or EBADMSG for "no answer to seq in these bytes".
 */
typedef int (*answer_parser)(const void *buf, size_t len, uint32_t seq,
			     void *out);

/*
 * rtnetlink answers while the request is being sent, so the answer is
 * read without waiting; answers to earlier queries that were given up on
 * are skipped.  Any failure is EBADMSG.
 */
static int ask(struct src_cache *c, const void *req, size_t len,
	       uint32_t seq, answer_parser parse, void *out)
{
	/* A link's answer carries its statistics and settings too. */
	char answer[16384];
	ssize_t n;
	int tries, err = EBADMSG;

	if (c->query < 0 || len == 0 ||
	    send(c->query, req, len, 0) != (ssize_t)len)
		return EBADMSG;
	for (tries = 0; tries < 8 && err == EBADMSG; tries++) {
		n = recv(c->query, answer, sizeof(answer), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		err = parse(answer, (size_t)n, seq, out);
	}
	return err;
}

/* A route's type and interface, as ask() wants its parser. */
struct route_answer {
	uint8_t type;
	uint32_t oif;
};

static int parse_route(const void *buf, size_t len, uint32_t seq, void *out)
{
	struct route_answer *a = out;

	return rtquery_parse_route(buf, len, seq, &a->type, &a->oif);
}

static int parse_link(const void *buf, size_t len, uint32_t seq, void *out)
{
	return linkmsg_parse_answer(buf, len, seq, out);
}

/* The routing table's answer for q (RTN_LOCAL for an address of ours). */
static int route_of(struct src_cache *c, const struct rtquery_route *q,
		    struct route_answer *a)
{
	uint8_t req[RTQUERY_REQUEST_MAX];
	uint32_t seq = ++c->query_seq;

	return ask(c, req, rtquery_build_route(q, seq, req, sizeof(req)), seq,
		   parse_route, a);
}

int src_cache_check_local(struct src_cache *c, const struct net_addr *addr,
			  const struct net_addr *dst, double now)
{
	struct rtquery_route q = { .dst = addr };
	struct route_answer a = { 0, 0 };
	struct src_entry *e;
	int err;

	if (!rtquery_source_shape_ok(addr, dst))
		return EADDRNOTAVAIL;
	e = entry_slot(c, ENTRY_LOCAL, addr, NULL, 0, false, 0, 0);
	if (e && e->kind == ENTRY_LOCAL && e->expires > now)
		return e->err;
	/* Any failure counts as "not local". */
	err = route_of(c, &q, &a);
	err = err == 0 && a.type == RTN_LOCAL ? 0 : EADDRNOTAVAIL;
	if (e)
		entry_fill(c, e, ENTRY_LOCAL, addr, 0, false, 0, 0, err, now);
	return err;
}

int src_cache_route_oif(struct src_cache *c, const struct net_addr *dst,
			const struct net_addr *src, bool has_mark,
			uint32_t mark, uint32_t scope_id, double now,
			uint32_t *oif)
{
	struct net_addr none = { 0 };
	const struct net_addr *from = src && src->family ? src : &none;
	struct rtquery_route q = {
		.dst = dst, .src = from, .has_mark = has_mark, .mark = mark,
		.oif = scope_id,
	};
	struct route_answer a = { 0, 0 };
	struct src_entry *e = entry_slot(c, ENTRY_OIF, dst, from, scope_id,
					 has_mark, mark, 0);
	int err;

	if (e && e->kind == ENTRY_OIF && e->expires > now) {
		*oif = e->oif;
		return e->err;
	}
	err = route_of(c, &q, &a);
	if (err == 0 && a.oif == 0)
		err = ENETUNREACH;
	*oif = err ? 0 : a.oif;
	if (e) {
		entry_fill(c, e, ENTRY_OIF, dst, scope_id, has_mark, mark, 0,
			   err, now);
		e->src = *from;
		e->oif = *oif;
	}
	return err;
}

int src_cache_link_state(struct src_cache *c, uint32_t ifindex,
			 struct link_news *news)
{
	uint8_t req[LINKMSG_REQUEST_MAX];
	uint32_t seq = ++c->query_seq;

	return ask(c, req, linkmsg_build_get(ifindex, seq, req, sizeof(req)),
		   seq, parse_link, news);
}

int src_cache_device_mtu(struct src_cache *c, const struct net_addr *dst,
			 const struct net_addr *src, bool has_mark,
			 uint32_t mark, int ifindex, uint32_t *mtu)
{
	struct rtquery_route q = {
		.dst = dst, .src = src, .has_mark = has_mark, .mark = mark,
	};
	struct route_answer a = { 0, 0 };
	struct link_news news;
	int err;

	if (!ifindex) {
		err = route_of(c, &q, &a);
		if (err)
			return err;
		if (!a.oif)
			return EBADMSG;
		ifindex = (int)a.oif;
	}
	err = src_cache_link_state(c, (uint32_t)ifindex, &news);
	if (err)
		return err;
	if (!news.has_mtu)
		return EBADMSG;
	*mtu = news.mtu;
	return 0;
}

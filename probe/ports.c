/*
 * ports.c: reserved source ports, reference counted.
 */
#include "config.h"

#include "ports.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif

struct port_entry {
	uint16_t port;		/* 0: empty slot */
	uint8_t proto;
	uint8_t tombstone;	/* was used; keeps probe chains intact */
	uint32_t refs;
	int fd;			/* the reserving socket, or -1 */
};

#define INITIAL_ENTRIES 64u

static int socket_for(enum probe_proto proto, int family)
{
	switch (proto) {
	case PROTO_UDP:
		return socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	case PROTO_TCP:
		return socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	case PROTO_SCTP:
		return socket(family, SOCK_STREAM | SOCK_CLOEXEC,
			      IPPROTO_SCTP);
	default:
		errno = EINVAL;
		return -1;
	}
}

/*
 * Bind a socket of proto to port (0: any) on the wildcard address of both
 * families.  Returns the descriptor and the port bound, or -1 with errno.
 */
static int reserve(enum probe_proto proto, uint16_t port, uint16_t *bound)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int off = 0, fd, err;

	fd = socket_for(proto, AF_INET6);
	if (fd >= 0) {
		sin6.sin6_port = htons(port);
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
				 sizeof(off));
		if (bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == -1)
			goto fail;
	} else {
		/* No IPv6: hold the IPv4 port only. */
		fd = socket_for(proto, AF_INET);
		if (fd < 0)
			return -1;
		sin.sin_port = htons(port);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			goto fail;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		goto fail;
	*bound = ntohs(ss.ss_family == AF_INET6 ?
			       ((struct sockaddr_in6 *)&ss)->sin6_port :
			       ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int ports_init(struct port_pool *p)
{
	uint16_t port;
	int fd;

	memset(p, 0, sizeof(*p));
	p->entries = calloc(INITIAL_ENTRIES, sizeof(*p->entries));
	if (!p->entries)
		return ENOMEM;
	p->mask = INITIAL_ENTRIES - 1;

	fd = socket_for(PROTO_SCTP, AF_INET6);
	if (fd < 0)
		fd = socket_for(PROTO_SCTP, AF_INET);
	p->sctp_sockets = fd >= 0;
	if (fd >= 0)
		close(fd);

	/* Default ports are held for the worker's whole life. */
	fd = reserve(PROTO_UDP, 0, &port);
	if (fd < 0)
		return errno;
	p->default_port[PROTO_UDP] = port;
	fd = reserve(PROTO_TCP, 0, &port);
	if (fd < 0)
		return errno;
	p->default_port[PROTO_TCP] = port;
	if (p->sctp_sockets) {
		fd = reserve(PROTO_SCTP, 0, &port);
		if (fd < 0)
			return errno;
		p->default_port[PROTO_SCTP] = port;
	} else {
		/* Nothing else can use SCTP ports here; borrow TCP's number. */
		p->default_port[PROTO_SCTP] = p->default_port[PROTO_TCP];
	}
	return 0;
}

void ports_free(struct port_pool *p)
{
	uint32_t i;

	for (i = 0; p->entries && i <= p->mask; i++)
		if (p->entries[i].port && p->entries[i].fd >= 0)
			close(p->entries[i].fd);
	free(p->entries);
	memset(p, 0, sizeof(*p));
}

static struct port_entry *find(struct port_pool *p, enum probe_proto proto,
			       uint16_t port, struct port_entry **free_slot)
{
	uint32_t h = ((uint32_t)port * 40503u + proto) & p->mask;
	uint32_t n;

	*free_slot = NULL;
	for (n = 0; n <= p->mask; n++, h = (h + 1) & p->mask) {
		struct port_entry *e = &p->entries[h];

		if (e->port == port && e->proto == proto)
			return e;
		if (!e->port && !*free_slot)
			*free_slot = e;
		if (!e->port && !e->tombstone)
			break;
	}
	return NULL;
}

/* Rebuild at twice the size, dropping tombstones. */
static bool grow(struct port_pool *p)
{
	struct port_pool bigger = *p;
	uint32_t i;

	bigger.mask = p->mask * 2 + 1;
	bigger.entries = calloc(bigger.mask + 1, sizeof(*bigger.entries));
	if (!bigger.entries)
		return false;
	bigger.count = 0;
	for (i = 0; i <= p->mask; i++) {
		struct port_entry *e = &p->entries[i], *slot;

		if (!e->port)
			continue;
		(void)find(&bigger, e->proto, e->port, &slot);
		*slot = *e;
		bigger.count++;
	}
	free(p->entries);
	*p = bigger;
	return true;
}

int ports_acquire(struct port_pool *p, enum probe_proto proto, uint16_t port)
{
	struct port_entry *e, *slot;
	uint16_t bound;
	int fd = -1;

	if (proto == PROTO_ICMP || port == p->default_port[proto])
		return 0;
	e = find(p, proto, port, &slot);
	if (e) {
		e->refs++;
		return 0;
	}
	if ((p->count + 1) * 2 > p->mask + 1) {
		if (!grow(p))
			return ENOMEM;
		(void)find(p, proto, port, &slot);
	}
	if (proto != PROTO_SCTP || p->sctp_sockets) {
		fd = reserve(proto, port, &bound);
		if (fd < 0)
			return errno;
	}
	slot->port = port;
	slot->proto = (uint8_t)proto;
	slot->tombstone = 0;
	slot->refs = 1;
	slot->fd = fd;
	p->count++;
	p->named[proto]++;
	p->generation[proto]++;
	return 0;
}

void ports_release(struct port_pool *p, enum probe_proto proto, uint16_t port)
{
	struct port_entry *e, *slot;

	if (proto == PROTO_ICMP || port == p->default_port[proto])
		return;
	e = find(p, proto, port, &slot);
	if (!e || --e->refs > 0)
		return;
	if (e->fd >= 0)
		close(e->fd);
	e->port = 0;
	e->fd = -1;
	e->tombstone = 1;
	p->count--;
	p->named[proto]--;
	p->generation[proto]++;
}

bool ports_held(struct port_pool *p, enum probe_proto proto, uint16_t port)
{
	struct port_entry *slot;

	if (proto == PROTO_ICMP || port == p->default_port[proto])
		return true;
	return find(p, proto, port, &slot) != NULL;
}

size_t ports_list(const struct port_pool *p, enum probe_proto proto,
		  uint16_t *out, size_t max)
{
	size_t total, n = 0;
	uint32_t i;

	if (proto == PROTO_ICMP || proto >= PROTO_COUNT)
		return 0;
	total = 1 + (size_t)p->named[proto];
	if (total > max)
		return total;
	out[n++] = p->default_port[proto];
	for (i = 0; p->entries && i <= p->mask && n < total; i++)
		if (p->entries[i].port && p->entries[i].proto == proto)
			out[n++] = p->entries[i].port;
	return total;
}

uint32_t ports_generation(const struct port_pool *p, enum probe_proto proto)
{
	return proto < PROTO_COUNT ? p->generation[proto] : 0;
}

/*
 * ports.h: source ports held so that the kernel hands them to no one else
 * while probes use them.
 *
 * A port is reserved by binding a socket of the probe's own protocol to it
 * on the wildcard address (dual-stack where IPv6 exists), so no local
 * program can bind it and no connection is given it as an ephemeral port.
 * Each protocol has one default port, chosen by the kernel at start-up and
 * held for the worker's life; ports a client names with `local-port` are
 * reserved on first use and released when their last probe is answered.
 * Where the kernel has no SCTP, nothing can take an SCTP port, and the
 * reservation is only recorded.
 */
#ifndef HOPPROBE_PORTS_H
#define HOPPROBE_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

struct port_entry;

struct port_pool {
	uint16_t default_port[PROTO_COUNT];	/* 0 for ICMP */
	struct port_entry *entries;		/* open addressing */
	uint32_t mask;
	uint32_t count;
	uint32_t named[PROTO_COUNT];		/* entries of each protocol */
	uint32_t generation[PROTO_COUNT];	/* counts changes of each set */
	bool sctp_sockets;			/* kernel has SCTP sockets */
};

/* Reserve the default ports; returns 0 or an errno. */
int ports_init(struct port_pool *p);
void ports_free(struct port_pool *p);

/*
 * Take a reference on port for proto, reserving it if it is new.  Returns 0
 * or an errno (EADDRINUSE when another program holds it).
 */
int ports_acquire(struct port_pool *p, enum probe_proto proto, uint16_t port);
void ports_release(struct port_pool *p, enum probe_proto proto, uint16_t port);
/* Whether port is held for proto already (a default port always is). */
bool ports_held(struct port_pool *p, enum probe_proto proto, uint16_t port);

/*
 * The ports proto holds now, the default one first: returns how many; out
 * is filled only when that is at most max.  The receive filters (rxfilter.h)
 * list them.
 */
size_t ports_list(const struct port_pool *p, enum probe_proto proto,
		  uint16_t *out, size_t max);
/*
 * A number that changes whenever proto's set of ports does (a port reserved
 * or released, not a reference taken on one already held), so that a user
 * of ports_list can tell when to list them again.
 */
uint32_t ports_generation(const struct port_pool *p, enum probe_proto proto);

#endif

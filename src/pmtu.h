/*
 * pmtu.h: hoptrace --pmtu's choice of the next probe size after a
 * packet-too-big, as arithmetic (no I/O).
 *
 * A probe that did not fit a link is sent again at the MTU the router (or
 * this host, for its own link) said.  When that MTU is missing (an old
 * router's 0, RFC 1191 section 5), is not below the size that failed, or
 * is below what the family allows, the next plateau of RFC 1191's table
 * below the failed size is tried instead.  The sizes never go below the
 * family's minimum: 68 bytes for IPv4 (RFC 791), 1280 for IPv6 (RFC 8200).
 */
#ifndef HOPTRACE_PMTU_H
#define HOPTRACE_PMTU_H

#include "client.h"

/* The first size --pmtu tries without --psize: the largest there is. */
#define HT_PMTU_START 65535

/* The smallest MTU of FAMILY (AF_INET, AF_INET6). */
int ht_pmtu_floor(int family);

/*
 * The size to send a probe of SENT bytes again at, after R (a
 * packet-too-big, maybe with HP_HAS_MTU); 0 when it cannot be smaller.
 * SENT 0 (the worker's default size) counts as HT_PMTU_START.
 */
int ht_pmtu_next(int family, int sent, const struct hp_result *r);

#endif

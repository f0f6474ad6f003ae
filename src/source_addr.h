/*
 * source_addr.h: the source address routing would choose toward a
 * destination, found without sending anything (a connected UDP socket and
 * getsockname), for the header of a trace.
 */
#ifndef HOPTRACE_SOURCE_ADDR_H
#define HOPTRACE_SOURCE_ADDR_H

#include "client.h"

/* 0 and *OUT set, or -1 (no route, no such device): the source is then
 * unknown.  DEVICE may be NULL. */
int ht_source_for(const struct hp_addr *dest, const char *device,
		  struct hp_addr *out);

#endif

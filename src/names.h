/*
 * names.h: what hoptrace knows of each responder's names, and who waits.
 *
 * One entry per address seen: its PTR name and origin AS once settled, and
 * the traces that wait for them.  The first question about an address
 * starts its lookups through dns.c; answers become HT_EV_NAME / HT_EV_ASN
 * events (once per address) and wake the traces that waited.  With neither
 * names nor AS numbers wanted, every address is settled at once.
 */
#ifndef HOPTRACE_NAMES_H
#define HOPTRACE_NAMES_H

#include "dns.h"
#include "events.h"
#include "trace.h"

struct ht_names;

struct ht_names_hooks {
	void (*emit)(void *arg, const struct ht_event *ev);
	/* Names of some address settled: TRACE may be able to go on. */
	void (*wake)(void *arg, struct ht_trace *trace);
	void *arg;
};

/* DNS may be NULL when neither PTR nor ASN is wanted. */
struct ht_names *ht_names_new(struct ht_dns *dns, int want_ptr, int want_asn,
			      const char *asn_zone4, const char *asn_zone6,
			      const struct ht_names_hooks *hooks);
void ht_names_free(struct ht_names *n);

/* The `names` hook of trace.h. */
int ht_names_get(struct ht_names *n, struct ht_trace *trace,
		 const struct hp_addr *addr, const char **name,
		 const char **asn);

#endif

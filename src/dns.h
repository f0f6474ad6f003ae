/*
 * dns.h: names through c-ares on the caller's libev loop.
 *
 * Forward lookups (A/AAAA, /etc/hosts honoured, the system's resolv.conf),
 * PTR and origin-AS TXT lookups, all concurrent and cached per address.
 * Every lookup completes exactly once, never from inside the call that
 * started it, and never later than the timeout given to ht_dns_new (plus
 * the loop's own latency): a dead or slow server costs at most that.
 */
#ifndef HOPTRACE_DNS_H
#define HOPTRACE_DNS_H

#include <ev.h>
#include <stddef.h>

#include "client.h"

struct ht_dns;

/* ADDRS (N of them, in the resolver's order) or ERROR ("not-found",
 * "timeout", ...), never both. */
typedef void (*ht_dns_addr_cb)(void *arg, const struct hp_addr *addrs,
			       unsigned n, const char *error);
/* NAME, or NULL with ERROR.  For ASN lookups NAME is the AS number text
 * and PREFIX the announced prefix (may be NULL). */
typedef void (*ht_dns_name_cb)(void *arg, const struct hp_addr *addr,
			       const char *name, const char *prefix,
			       const char *error);

/* NULL with ERR filled when c-ares cannot start (no resolv.conf is fine:
 * c-ares then uses its defaults). */
struct ht_dns *ht_dns_new(struct ev_loop *loop, double timeout_s,
			  char *err, size_t errlen);

/*
 * Use the servers of CSV ("192.0.2.53,[2001:db8::53]:5353,127.0.0.1:5300")
 * instead of resolv.conf's: for tests and a future --dns-server.  Call it
 * before any lookup is pending (c-ares refuses otherwise).  0, or -1.
 */
int ht_dns_set_servers(struct ht_dns *dns, const char *csv);

/* FAMILY: 0 (any), AF_INET or AF_INET6. */
void ht_dns_resolve(struct ht_dns *dns, const char *host, int family,
		    ht_dns_addr_cb cb, void *arg);
void ht_dns_ptr(struct ht_dns *dns, const struct hp_addr *addr,
		ht_dns_name_cb cb, void *arg);
/* ZONE: e.g. "origin.asn.cymru.com" for IPv4, "origin6.asn.cymru.com". */
void ht_dns_asn(struct ht_dns *dns, const struct hp_addr *addr,
		const char *zone, ht_dns_name_cb cb, void *arg);

/* Cancel everything: no callback runs after this. */
void ht_dns_free(struct ht_dns *dns);

/* ---- pure helpers (dns_names.c), unit-tested ---- */

/* "1.2.0.192.in-addr.arpa" / nibble ip6.arpa name; 0, or -1 if too small. */
int ht_dns_ptr_name(const struct hp_addr *addr, char *buf, size_t len);
/* "1.2.0.192.ZONE" (IPv4 octets reversed) or nibbles + ZONE for IPv6. */
int ht_dns_asn_name(const struct hp_addr *addr, const char *zone,
		    char *buf, size_t len);
/*
 * Parse a Team Cymru origin TXT string "64496 | 192.0.2.0/24 | ZZ | arin |
 * 2026-01-01": the AS number field (digits, possibly several separated by
 * spaces) into ASN and the prefix into PREFIX.  0, or -1 when malformed.
 */
int ht_dns_parse_origin_txt(const char *txt, size_t len, char *asn,
			    size_t asnlen, char *prefix, size_t prefixlen);

#endif

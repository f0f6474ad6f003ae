/*
 * icmp_names.h: what ICMP and ICMPv6 types and codes are called, and
 * traceroute's annotation for each unreachable, for hoptrace -e and the
 * marks after a probe's time.  Pure tables.
 */
#ifndef HOPTRACE_ICMP_NAMES_H
#define HOPTRACE_ICMP_NAMES_H

/* "destination unreachable", "time exceeded"...; NULL when unknown. */
const char *ht_icmp_type_name(int family, unsigned type);

/*
 * The code's own name within its type ("administratively prohibited",
 * "fragmentation needed"); NULL when the type has no named codes or the
 * code is unknown.
 */
const char *ht_icmp_code_name(int family, unsigned type, unsigned code);

/*
 * traceroute's mark for an error that stops a trace: "!N" network, "!H"
 * host, "!P" protocol, "!X" administratively prohibited, "!F"
 * fragmentation needed / packet too big, "!S" source route or scope, "!V"
 * host precedence violation, "!C" precedence cutoff; NULL for a type and
 * code that has none of these (the caller writes "!<code>" or its own).
 */
const char *ht_icmp_mark(int family, unsigned type, unsigned code);

#endif

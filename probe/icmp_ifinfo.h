/*
 * icmp_ifinfo.h: the interface information object (RFC 5837) inside an
 * ICMP extension structure (RFC 4884), as far as hopprobe(8) reports it
 * (EXTENSIONS, reply-details).  Pure functions.
 */
#ifndef HOPPROBE_ICMP_IFINFO_H
#define HOPPROBE_ICMP_IFINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

/* RFC 5837 4.5: the name sub-object is at most 64 bytes, its length
   byte included. */
#define ICMP_IFINFO_NAME_MAX 63

/* Which fields of struct icmp_ifinfo hold something. */
enum {
	IFINFO_INDEX = 1 << 0,
	IFINFO_ADDR = 1 << 1,
	IFINFO_NAME = 1 << 2,
	IFINFO_MTU = 1 << 3,
};

struct icmp_ifinfo {
	unsigned have;		/* IFINFO_* bits; 0: no object reported */
	uint8_t role;		/* RFC 5837 interface role, 0 to 3 */
	uint32_t index;		/* ifIndex */
	struct net_addr addr;	/* AF_INET or AF_INET6 */
	/* NUL-terminated; only printable ASCII without spaces (0x21-0x7e). */
	char name[ICMP_IFINFO_NAME_MAX + 1];
	uint32_t mtu;
};

/*
 * ext, len: an extension structure, as for icmp_ext_parse_mpls().  Fills
 * *out from the first interface information object (class 2), whatever
 * its role; later ones are not looked at.  Returns true when one was
 * reported.  Nothing is reported (out->have 0) when the structure is
 * malformed or that object is: its fields must fill its payload exactly,
 * its address family must be IPv4 (1) or IPv6 (2), and its name
 * sub-object's length a multiple of 4 from 4 to 64.  A well-formed name
 * that is empty once its NUL padding is gone, or that holds any byte
 * outside 0x21-0x7e, is left out (IFINFO_NAME clear) while the other
 * fields are kept: a reply's words are separated by spaces.
 */
bool icmp_ext_parse_ifinfo(const uint8_t *ext, size_t len,
			   struct icmp_ifinfo *out);

#endif

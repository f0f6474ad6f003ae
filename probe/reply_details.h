/*
 * reply_details.h: what an answer said beyond what the mtr-packet
 * protocol reports, for the reply-details extension (hopprobe(8),
 * EXTENSIONS).  Filled by the decoders (decode.h, dgram_parse.h) and the
 * receive paths (the answer's TTL comes from a control message where the
 * IP header is not delivered); formatted by reply_format_probe().
 */
#ifndef HOPPROBE_REPLY_DETAILS_H
#define HOPPROBE_REPLY_DETAILS_H

#include <stdint.h>

#include "icmp_ifinfo.h"

/* Which fields of struct reply_details hold something. */
enum {
	DETAIL_ICMP = 1 << 0,		/* icmp_type and icmp_code */
	DETAIL_REPLY_TTL = 1 << 1,	/* reply_ttl */
	DETAIL_QUOTED = 1 << 2,		/* quoted_ttl and quoted_tos */
	DETAIL_NEXT_HOP_MTU = 1 << 3,	/* next_hop_mtu */
};

struct reply_details {
	unsigned have;			/* DETAIL_* bits */
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint8_t reply_ttl;		/* TTL / hop limit of the answer */
	uint8_t quoted_ttl;		/* our probe's, as the router quoted it */
	uint8_t quoted_tos;		/* IPv6: the traffic class */
	uint32_t next_hop_mtu;		/* fragmentation needed, too big */
	struct icmp_ifinfo ifinfo;	/* RFC 5837, the first object */
};

#endif

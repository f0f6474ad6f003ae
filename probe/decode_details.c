/*
 * decode_details.c: the parts of struct reply_details that depend on the
 * ICMP message's type (decode.h), apart from decode.c's matching.
 */
#include "decode.h"

#include <netinet/in.h>

#include "wirebuf.h"

#define ICMP4_DEST_UNREACH	3
#define ICMP4_FRAG_NEEDED	4	/* its code */
#define ICMP6_PACKET_TOO_BIG	2

#define ICMP4_MTU_AT		6	/* RFC 1191 */
#define ICMP6_MTU_AT		4	/* RFC 4443 section 3.2 */

/* The messages whose header holds the next-hop MTU. */
static bool carries_mtu(uint8_t family, uint8_t type, uint8_t code)
{
	if (family == AF_INET)
		return type == ICMP4_DEST_UNREACH && code == ICMP4_FRAG_NEEDED;
	return family == AF_INET6 && type == ICMP6_PACKET_TOO_BIG;
}

void details_next_hop_mtu_value(uint8_t family, uint8_t type, uint8_t code,
				uint32_t mtu, struct reply_details *d)
{
	if (!carries_mtu(family, type, code) || mtu == 0)
		return;
	d->have |= DETAIL_NEXT_HOP_MTU;
	d->next_hop_mtu = mtu;
}

void details_next_hop_mtu(uint8_t family, uint8_t type, uint8_t code,
			  const struct wire_reader *icmp_header,
			  struct reply_details *d)
{
	struct wire_reader r = *icmp_header;
	uint16_t mtu16;
	uint32_t mtu;

	if (!carries_mtu(family, type, code))
		return;
	if (family == AF_INET) {
		if (!wire_seek(&r, ICMP4_MTU_AT) || !wire_read_u16(&r, &mtu16))
			return;
		mtu = mtu16;
	} else if (!wire_seek(&r, ICMP6_MTU_AT) || !wire_read_u32(&r, &mtu)) {
		return;
	}
	details_next_hop_mtu_value(family, type, code, mtu, d);
}

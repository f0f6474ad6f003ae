/*
 * too_big.c: fragmentation needed and packet too big (too_big.h).
 */
#include "too_big.h"

#include <netinet/in.h>

#include "wirebuf.h"

#define ICMP4_DEST_UNREACH	3
#define ICMP4_FRAG_NEEDED	4
#define ICMP4_MTU_AT		6	/* RFC 1191 section 4 */
#define ICMP6_PACKET_TOO_BIG	2
#define ICMP6_MTU_AT		4	/* RFC 4443 section 3.2 */

bool too_big_message(uint8_t family, uint8_t type, uint8_t code)
{
	if (family == AF_INET)
		return type == ICMP4_DEST_UNREACH && code == ICMP4_FRAG_NEEDED;
	/* The code is 0 when sent and ignored when received (RFC 4443). */
	return family == AF_INET6 && type == ICMP6_PACKET_TOO_BIG;
}

bool too_big_mtu(uint8_t family, uint8_t type, uint8_t code,
		 const uint8_t *icmp_header, uint32_t *mtu)
{
	struct wire_reader r;
	uint16_t v16;

	wire_reader_init(&r, icmp_header, TOO_BIG_ICMP_HEADER_LEN);
	if (family == AF_INET && type == ICMP4_DEST_UNREACH &&
	    code == ICMP4_FRAG_NEEDED) {
		if (!wire_seek(&r, ICMP4_MTU_AT) || !wire_read_u16(&r, &v16))
			return false;
		*mtu = v16;
		return true;
	}
	/* The code is 0 when sent and ignored when received (RFC 4443). */
	if (family == AF_INET6 && type == ICMP6_PACKET_TOO_BIG)
		return wire_seek(&r, ICMP6_MTU_AT) && wire_read_u32(&r, mtu);
	return false;
}

enum reply_kind too_big_plain_kind(uint8_t family)
{
	return family == AF_INET ? KIND_NO_ROUTE_HOST : KIND_NONE;
}

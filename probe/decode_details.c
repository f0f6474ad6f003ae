/*
 * decode_details.c: the parts of struct reply_details that depend on the
 * ICMP message's type (decode.h), apart from decode.c's matching.
 */
#include "decode.h"

void details_next_hop_mtu(uint32_t mtu, struct reply_details *d)
{
	if (mtu == 0)
		return;
	d->have |= DETAIL_NEXT_HOP_MTU;
	d->next_hop_mtu = mtu;
}

/*
 * pmtu.c: the next probe size after packet-too-big (see pmtu.h).
 */
#include <sys/socket.h>

#include "pmtu.h"

/* RFC 1191 section 7's plateaus, largest first. */
static const int plateaus[] = { 65535, 32000, 17914, 8166, 4352, 2002,
				1492, 1006, 508, 296, 68 };

int ht_pmtu_floor(int family)
{
	return family == AF_INET6 ? 1280 : 68;
}

int ht_pmtu_next(int family, int sent, const struct hp_result *r)
{
	int floor = ht_pmtu_floor(family);
	unsigned i;

	if (sent <= 0)
		sent = HT_PMTU_START;
	if (sent <= floor)
		return 0;
	if (r && (r->has & HP_HAS_MTU) && r->mtu < (uint32_t)sent &&
	    r->mtu >= (uint32_t)floor)
		return (int)r->mtu;
	for (i = 0; i < sizeof(plateaus) / sizeof(plateaus[0]); i++)
		if (plateaus[i] < sent)
			return plateaus[i] > floor ? plateaus[i] : floor;
	return floor;
}

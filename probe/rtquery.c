/*
 * rtquery.c: RTM_GETROUTE requests and answers (rtnetlink(7)).
 */

#include "rtquery.h"

#include "nlwalk.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

size_t rtquery_build(const struct net_addr *addr, uint32_t seq, void *buf,
		     size_t cap)
{
	struct rtquery_route q = { .dst = addr };

	return rtquery_build_route(&q, seq, buf, cap);
}

size_t rtquery_build_route(const struct rtquery_route *q, uint32_t seq,
			   void *buf, size_t cap)
{
	uint8_t family = q->dst->family;
	size_t alen = net_addr_len(family);
	struct nl_request r;
	struct rtmsg rtm;
	static const uint8_t zero[16];
	/* An unspecified source is none: routing chooses one. */
	bool has_src = q->src && q->src->family == family &&
		       memcmp(q->src->bytes, zero, alen) != 0;

	if (family != AF_INET && family != AF_INET6)
		return 0;
	nl_request_start(&r, buf, cap, RTM_GETROUTE, seq, family,
			 sizeof(rtm));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = family;
	rtm.rtm_dst_len = (unsigned char)(alen * 8);
	rtm.rtm_src_len = has_src ? (unsigned char)(alen * 8) : 0;
	if (nl_fixed(&r))
		memcpy(nl_fixed(&r), &rtm, sizeof(rtm));
	nl_put_attr(&r, RTA_DST, q->dst->bytes, alen);
	if (has_src)
		nl_put_attr(&r, RTA_SRC, q->src->bytes, alen);
	if (q->has_mark)
		nl_put_attr(&r, RTA_MARK, &q->mark, sizeof(q->mark));
	if (q->oif)
		nl_put_attr(&r, RTA_OIF, &q->oif, sizeof(q->oif));
	return nl_request_end(&r);
}

/* An RTM_NEWROUTE payload: its type and outgoing interface. */
static bool route_answer(struct wire_reader *payload, uint8_t *route_type,
			 uint32_t *oif)
{
	struct rtmsg rtm;
	struct wire_reader value;
	uint16_t type;

	if (!wire_read_bytes(payload, &rtm, sizeof(rtm)))
		return false;
	*route_type = rtm.rtm_type;
	*oif = 0;
	while (nl_next_attr(payload, &type, &value)) {
		if (type == RTA_OIF && !nl_read_u32(&value, oif))
			*oif = 0;
	}
	return true;
}

int rtquery_parse_route(const void *buf, size_t len, uint32_t seq,
			uint8_t *route_type, uint32_t *oif)
{
	struct wire_reader payload;
	uint32_t dummy;
	int err = nl_find_answer(buf, len, seq, RTM_NEWROUTE, &payload);

	if (err)
		return err;
	return route_answer(&payload, route_type, oif ? oif : &dummy) ?
	       0 : EBADMSG;
}

int rtquery_parse(const void *buf, size_t len, uint32_t seq,
		  uint8_t *route_type)
{
	return rtquery_parse_route(buf, len, seq, route_type, NULL);
}

static bool is_loopback(const struct net_addr *a)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	if (a->family == AF_INET)
		return a->bytes[0] == 127;
	return memcmp(a->bytes, v6_loopback, 16) == 0;
}

bool rtquery_source_shape_ok(const struct net_addr *src,
			     const struct net_addr *dst)
{
	static const uint8_t zero[16];
	static const uint8_t all_ones[4] = { 255, 255, 255, 255 };
	size_t alen = src->family == AF_INET ? 4 : 16;

	if (src->family != AF_INET && src->family != AF_INET6)
		return false;
	if (memcmp(src->bytes, zero, alen) == 0)
		return false;
	if (src->family == AF_INET &&
	    ((src->bytes[0] & 0xf0) == 0xe0 ||
	     memcmp(src->bytes, all_ones, 4) == 0))
		return false;
	if (src->family == AF_INET6 && src->bytes[0] == 0xff)
		return false;
	return !is_loopback(src) || (dst && is_loopback(dst));
}

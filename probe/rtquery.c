/*
 * rtquery.c: RTM_GETROUTE requests and answers (rtnetlink(7)).
 */

#include "rtquery.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

size_t rtquery_build(const struct net_addr *addr, uint32_t seq, void *buf,
		     size_t cap)
{
	size_t alen = addr->family == AF_INET ? 4 : 16;
	size_t len = NLMSG_SPACE(sizeof(struct rtmsg)) + RTA_SPACE(alen);
	struct nlmsghdr *nh = buf;
	struct rtmsg *rtm;
	struct rtattr *rta;

	if ((addr->family != AF_INET && addr->family != AF_INET6) ||
	    cap < len || len > RTQUERY_REQUEST_MAX)
		return 0;
	memset(buf, 0, len);
	nh->nlmsg_len = (uint32_t)len;
	nh->nlmsg_type = RTM_GETROUTE;
	nh->nlmsg_flags = NLM_F_REQUEST;
	nh->nlmsg_seq = seq;
	rtm = NLMSG_DATA(nh);
	rtm->rtm_family = addr->family;
	rtm->rtm_dst_len = (unsigned char)(alen * 8);
	rta = (struct rtattr *)((char *)buf +
				NLMSG_SPACE(sizeof(struct rtmsg)));
	rta->rta_type = RTA_DST;
	rta->rta_len = (unsigned short)RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), addr->bytes, alen);
	return len;
}

int rtquery_parse(const void *buf, size_t len, uint32_t seq,
		  uint8_t *route_type)
{
	const char *at = buf;

	/* Walk the messages by their own lengths, never past len. */
	while (len >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr nh;
		size_t step;

		memcpy(&nh, at, sizeof(nh));
		if (nh.nlmsg_len < sizeof(nh) || nh.nlmsg_len > len)
			return EBADMSG;
		if (nh.nlmsg_seq == seq) {
			if (nh.nlmsg_type == NLMSG_ERROR &&
			    nh.nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
				int err;

				memcpy(&err, at + NLMSG_HDRLEN, sizeof(err));
				/* An acknowledgement (0) is no answer. */
				return err < 0 ? -err : EBADMSG;
			}
			if (nh.nlmsg_type == RTM_NEWROUTE &&
			    nh.nlmsg_len >= NLMSG_LENGTH(sizeof(struct rtmsg))) {
				struct rtmsg rtm;

				memcpy(&rtm, at + NLMSG_HDRLEN, sizeof(rtm));
				*route_type = rtm.rtm_type;
				return 0;
			}
		}
		step = NLMSG_ALIGN(nh.nlmsg_len);
		if (step >= len)
			break;
		at += step;
		len -= step;
	}
	return EBADMSG;
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

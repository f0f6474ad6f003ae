/*
 * rtquery.c: RTM_GETROUTE and RTM_GETLINK requests and answers (rtnetlink(7)).
 */

#include "rtquery.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

/* Append one attribute to the request of nh (room checked by the caller). */
static void put_attr(struct nlmsghdr *nh, unsigned short type,
		     const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nh +
					       NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = (uint32_t)(NLMSG_ALIGN(nh->nlmsg_len) +
				   RTA_SPACE(len));
}

/*
 * Start a request of this type and sequence number whose fixed header
 * (rtmsg, ifinfomsg) has fixed_len bytes, in buf, which must hold need
 * bytes in all; NULL when it cannot.
 */
static struct nlmsghdr *start_request(void *buf, size_t cap, size_t need,
				      uint16_t type, uint32_t seq,
				      size_t fixed_len)
{
	struct nlmsghdr *nh = buf;

	if (cap < need || need > RTQUERY_REQUEST_MAX)
		return NULL;
	memset(buf, 0, need);
	nh->nlmsg_len = (uint32_t)NLMSG_LENGTH(fixed_len);
	nh->nlmsg_type = type;
	nh->nlmsg_flags = NLM_F_REQUEST;
	nh->nlmsg_seq = seq;
	return nh;
}

size_t rtquery_build(const struct net_addr *addr, uint32_t seq, void *buf,
		     size_t cap)
{
	static const struct net_addr no_source;

	return rtquery_build_oif(addr, &no_source, false, 0, seq, buf, cap);
}

/*
 * Find the kernel's answer to request seq among the messages of one
 * recv(), walking them by their own lengths, never past len.  Returns 0
 * with *msg and *msg_len set to the message of type want_type (at least
 * min_len bytes of payload), the errno of an NLMSG_ERROR for seq, or
 * EBADMSG.
 */
static int find_answer(const void *buf, size_t len, uint32_t seq,
		       uint16_t want_type, size_t min_len, const char **msg,
		       size_t *msg_len)
{
	const char *at = buf;

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
			if (nh.nlmsg_type == want_type &&
			    nh.nlmsg_len >= NLMSG_LENGTH(min_len)) {
				*msg = at;
				*msg_len = nh.nlmsg_len;
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

int rtquery_parse(const void *buf, size_t len, uint32_t seq,
		  uint8_t *route_type)
{
	const char *msg;
	size_t msg_len;
	struct rtmsg rtm;
	int err = find_answer(buf, len, seq, RTM_NEWROUTE, sizeof(rtm), &msg,
			      &msg_len);

	if (err)
		return err;
	memcpy(&rtm, msg + NLMSG_HDRLEN, sizeof(rtm));
	*route_type = rtm.rtm_type;
	return 0;
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

size_t rtquery_build_oif(const struct net_addr *dst,
			 const struct net_addr *src, bool has_mark,
			 uint32_t mark, uint32_t seq, void *buf, size_t cap)
{
	static const uint8_t zero[16];
	size_t alen = dst->family == AF_INET ? 4 : 16;
	bool with_src = src->family == dst->family &&
			memcmp(src->bytes, zero, alen) != 0;
	size_t need = NLMSG_SPACE(sizeof(struct rtmsg)) +
		      RTA_SPACE(alen) * (with_src ? 2 : 1) +
		      (has_mark ? RTA_SPACE(sizeof(mark)) : 0);
	struct nlmsghdr *nh;
	struct rtmsg *rtm;

	if (dst->family != AF_INET && dst->family != AF_INET6)
		return 0;
	nh = start_request(buf, cap, need, RTM_GETROUTE, seq, sizeof(*rtm));
	if (!nh)
		return 0;
	rtm = NLMSG_DATA(nh);
	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = (unsigned char)(alen * 8);
	put_attr(nh, RTA_DST, dst->bytes, alen);
	if (with_src) {
		rtm->rtm_src_len = (unsigned char)(alen * 8);
		put_attr(nh, RTA_SRC, src->bytes, alen);
	}
	if (has_mark)
		put_attr(nh, RTA_MARK, &mark, sizeof(mark));
	return nh->nlmsg_len;
}

/*
 * The u32 attribute of type want among the attributes from attrs to the
 * end of the message (end); false when it is missing or malformed.
 */
static bool find_u32_attr(const char *attrs, const char *end,
			  unsigned short want, uint32_t *value)
{
	while (end - attrs >= (ptrdiff_t)sizeof(struct rtattr)) {
		struct rtattr rta;

		memcpy(&rta, attrs, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || rta.rta_len > end - attrs)
			return false;
		if (rta.rta_type == want) {
			if (rta.rta_len != RTA_LENGTH(sizeof(*value)))
				return false;
			memcpy(value, attrs + RTA_LENGTH(0), sizeof(*value));
			return true;
		}
		if (RTA_ALIGN(rta.rta_len) >= (size_t)(end - attrs))
			break;
		attrs += RTA_ALIGN(rta.rta_len);
	}
	return false;
}

/*
 * The u32 attribute attr of the answer of type want_type to seq, whose
 * attributes follow a fixed header of fixed_len bytes.
 */
static int parse_u32_answer(const void *buf, size_t len, uint32_t seq,
			    uint16_t want_type, size_t fixed_len,
			    unsigned short attr, uint32_t *value)
{
	const char *msg;
	size_t msg_len;
	int err = find_answer(buf, len, seq, want_type, fixed_len, &msg,
			      &msg_len);

	if (err)
		return err;
	return find_u32_attr(msg + NLMSG_SPACE(fixed_len), msg + msg_len, attr,
			     value) ? 0 : EBADMSG;
}

int rtquery_parse_oif(const void *buf, size_t len, uint32_t seq,
		      uint32_t *oif)
{
	return parse_u32_answer(buf, len, seq, RTM_NEWROUTE,
				sizeof(struct rtmsg), RTA_OIF, oif);
}

size_t rtquery_build_link(uint32_t ifindex, uint32_t seq, void *buf,
			  size_t cap)
{
	struct nlmsghdr *nh;
	struct ifinfomsg *ifi;

	if (ifindex == 0 || ifindex > INT32_MAX)
		return 0;
	nh = start_request(buf, cap, NLMSG_LENGTH(sizeof(*ifi)), RTM_GETLINK,
			   seq, sizeof(*ifi));
	if (!nh)
		return 0;
	ifi = NLMSG_DATA(nh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	return nh->nlmsg_len;
}

int rtquery_parse_link_mtu(const void *buf, size_t len, uint32_t seq,
			   uint32_t *mtu)
{
	return parse_u32_answer(buf, len, seq, RTM_NEWLINK,
				sizeof(struct ifinfomsg), IFLA_MTU, mtu);
}

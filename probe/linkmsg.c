/*
 * linkmsg.c: reading and asking for link state over rtnetlink (linkmsg.h).
 */
#include "linkmsg.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "nlwalk.h"

/*
 * An RTM_NEWLINK or RTM_DELLINK payload: struct ifinfomsg (family, pad,
 * type, index, flags, change; rtnetlink(7)), then attributes.  Only the
 * name is read from those; a name without its terminating NUL within
 * IF_NAMESIZE bytes is no name.
 */
static bool read_link(struct wire_reader *payload, bool gone,
		      struct link_news *news)
{
	struct ifinfomsg ifi;
	struct wire_reader value;
	uint16_t type;

	memset(news, 0, sizeof(*news));
	if (!wire_read_bytes(payload, &ifi, sizeof(ifi)) || ifi.ifi_index <= 0)
		return false;
	news->ifindex = (uint32_t)ifi.ifi_index;
	news->gone = gone;
	news->down = gone || !(ifi.ifi_flags & IFF_UP) ||
		     !(ifi.ifi_flags & IFF_RUNNING);
	while (nl_next_attr(payload, &type, &value)) {
		size_t n = wire_remaining(&value);
		const uint8_t *text = wire_cursor(&value);
		const uint8_t *nul;

		if (type == IFLA_MTU) {
			news->has_mtu = nl_read_u32(&value, &news->mtu);
			continue;
		}
		if (type != IFLA_IFNAME)
			continue;
		nul = memchr(text, '\0', n < IF_NAMESIZE ? n : IF_NAMESIZE);
		news->name[0] = '\0';
		if (nul && nul > text)
			memcpy(news->name, text, (size_t)(nul - text) + 1);
	}
	return true;
}

unsigned linkmsg_each(const void *buf, size_t len, linkmsg_fn fn, void *ctx)
{
	struct wire_reader r;
	struct nl_msg m;
	struct link_news news;
	unsigned count = 0;

	wire_reader_init(&r, buf, len);
	while (nl_next_msg(&r, &m)) {
		if (m.type != RTM_NEWLINK && m.type != RTM_DELLINK)
			continue;
		if (!read_link(&m.payload, m.type == RTM_DELLINK, &news))
			continue;
		fn(ctx, &news);
		count++;
	}
	return count;
}

size_t linkmsg_build_get(uint32_t ifindex, uint32_t seq, void *buf,
			 size_t cap)
{
	struct nl_request q;
	struct ifinfomsg ifi;

	/* Index 0 would ask by name: never what a probe's route needs. */
	if (ifindex == 0 || ifindex > INT32_MAX)
		return 0;
	nl_request_start(&q, buf, cap, RTM_GETLINK, seq, AF_UNSPEC,
			 sizeof(ifi));
	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = (int)ifindex;
	if (nl_fixed(&q))
		memcpy(nl_fixed(&q), &ifi, sizeof(ifi));
	return nl_request_end(&q);
}

int linkmsg_parse_answer(const void *buf, size_t len, uint32_t seq,
			 struct link_news *news)
{
	struct wire_reader payload;
	int err = nl_find_answer(buf, len, seq, RTM_NEWLINK, &payload);

	if (err)
		return err;
	return read_link(&payload, false, news) ? 0 : EBADMSG;
}

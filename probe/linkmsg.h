/*
 * linkmsg.h: rtnetlink link messages (RTM_NEWLINK, RTM_DELLINK), read and
 * asked for, without I/O.
 *
 * The worker's rtnetlink subscription (srccache.h) hears of every change
 * to a link of its network namespace; a probe sent with link-events 1 is
 * answered network-down as soon as the interface its route leaves
 * through goes down (hopprobe(8), EXTENSIONS).  A link counts as down
 * when it is removed from the namespace, administratively down (no
 * IFF_UP), or not operationally up (no IFF_RUNNING, which the kernel
 * reports exactly while the RFC 2863 operational state is neither up nor
 * unknown: carrier lost, the lower layer down, dormant).  The kernel sends
 * RTM_NEWLINK for every change of those, so reading the state from each
 * message is enough; no transition is tracked here.
 */
#ifndef HOPPROBE_LINKMSG_H
#define HOPPROBE_LINKMSG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What one link message says. */
struct link_news {
	uint32_t ifindex;
	bool gone;			/* RTM_DELLINK: no longer here */
	bool down;			/* gone, or not up and running */
	char name[IF_NAMESIZE];		/* IFLA_IFNAME; "" when absent */
	bool has_mtu;			/* IFLA_MTU was there */
	uint32_t mtu;
};

typedef void (*linkmsg_fn)(void *ctx, const struct link_news *news);

/*
 * Call fn for each link message in the bytes of one recv() from the
 * subscription, in order; other messages and malformed ones are skipped
 * (a malformed one ends the walk).  Returns how many were reported.
 */
unsigned linkmsg_each(const void *buf, size_t len, linkmsg_fn fn, void *ctx);

/* Room for an RTM_GETLINK request: netlink header and ifinfomsg. */
#define LINKMSG_REQUEST_MAX 32

/*
 * The RTM_GETLINK request for the link with this index; its length, or 0
 * when buf is too small.
 */
size_t linkmsg_build_get(uint32_t ifindex, uint32_t seq, void *buf,
			 size_t cap);

/*
 * The kernel's answer to RTM_GETLINK request seq: 0 with *news filled,
 * the errno it answered (ENODEV: no such link), or EBADMSG when the bytes
 * hold no answer to seq.
 */
int linkmsg_parse_answer(const void *buf, size_t len, uint32_t seq,
			 struct link_news *news);

#endif

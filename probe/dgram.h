/*
 * dgram.h: probes without privilege.
 *
 * When no raw socket can be opened, each probe gets a socket of its own
 * that an unprivileged process may open: an ICMP datagram ("ping") socket
 * where net.ipv4.ping_group_range admits the user, a UDP socket, or a TCP
 * socket doing a non-blocking connect().  TTL, TOS, device and source are
 * socket options; ICMP errors about the probe come back on the socket's
 * error queue (IP_RECVERR / IPV6_RECVERR), decoded by errqueue.c.  The
 * engine owns the sockets' watchers and the probes' lifetimes.
 */
#ifndef HOPPROBE_DGRAM_H
#define HOPPROBE_DGRAM_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "build.h"
#include "decode.h"

/* Whether this family and protocol can be probed without privilege. */
bool dgram_available(uint8_t family, enum probe_proto proto);

/*
 * Open the probe's socket, apply spec (ttl, tos, size, pattern, sport when
 * non-zero, dport, icmp_seq, src when spec->src.family is set), bind it to
 * ifindex when non-zero, and send the probe (TCP: start connecting).  With
 * stamp (ICMP and UDP only), the kernel is asked for the probe's transmit
 * timestamp, which comes back on the error queue (dgram_read).
 * Returns 0 with *fd set, or an errno (the socket is closed then).
 */
int dgram_send(const struct probe_spec *spec, uint32_t scope_id, int ifindex,
	       bool stamp, int *fd, struct timespec *sent);
/* Whether this kernel gives unprivileged sockets transmit timestamps. */
bool dgram_stamps_available(void);

struct dgram_event {
	enum reply_kind kind;		/* KIND_NONE: nothing for us yet */
	struct net_addr responder;
	struct timespec stamp;		/* when it arrived (kernel or now) */
	int err;			/* a local error: reply by errno */
	/*
	 * reply-details: the ICMP type and code, the next-hop MTU and the
	 * answer's TTL; the kernel hands an unprivileged socket neither the
	 * quoted IP header nor the ICMP extensions.
	 */
	struct reply_details details;
	bool has_tx;			/* the probe's transmit timestamp came */
	struct timespec tx;		/* (whatever dgram_read returns) */
};

/*
 * Read what the socket has about its probe: the error queue first, then an
 * answer (echo reply with our sequence number, UDP data, TCP connection
 * result).  Returns true when *ev says how the probe ended (a kind, or a
 * local error in ev->err); false when there was nothing conclusive.
 */
bool dgram_read(int fd, const struct probe_spec *spec, struct dgram_event *ev);

/* Close a probe's socket; a TCP one with a reset, not a FIN. */
void dgram_close(int fd, enum probe_proto proto);

#endif

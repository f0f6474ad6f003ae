/*
 * errqueue.h: what the kernel's socket error queue says about a probe.
 *
 * Without raw sockets the worker sends each probe on a datagram or stream
 * socket of its own and learns of ICMP errors through IP_RECVERR /
 * IPV6_RECVERR: recvmsg(MSG_ERRQUEUE) yields a control message holding a
 * struct sock_extended_err followed by the address of the node that sent
 * the error (SO_EE_OFFENDER).  This decoder turns that control message's
 * payload into a reply kind and responder.  Pure: bytes in, result out.
 */
#ifndef HOPPROBE_ERRQUEUE_H
#define HOPPROBE_ERRQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "netaddr.h"

struct errqueue_result {
	enum reply_kind kind;
	struct net_addr responder;	/* family 0 when the kernel gave none */
	int err;			/* ee_errno: local errors (EMSGSIZE...) */
	uint8_t type, code;		/* the ICMP error's (ee_type, ee_code) */
	uint32_t info;			/* ee_info: the next-hop MTU of a
					   fragmentation needed / too big */
};

/*
 * data, len: the payload of an IP_RECVERR (family AF_INET) or IPV6_RECVERR
 * (AF_INET6) control message.  Returns true and fills *out when it reports
 * an ICMP error from the network (origin ICMP / ICMP6) that answers a
 * probe, or a local error (origin local: out->kind KIND_NONE, out->err set).
 * Returns false for anything truncated or not understood.
 */
bool errqueue_decode(uint8_t family, const uint8_t *data, size_t len,
		     struct errqueue_result *out);

#endif

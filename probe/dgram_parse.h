/*
 * dgram_parse.h: what the bytes read from an unprivileged probe's own
 * socket (dgram.h) say about that probe.  Pure: dgram.c does the recvmsg()
 * calls and hands the datagrams and control messages here, so that unit
 * tests and a fuzzer see exactly the decisions the worker makes.
 */
#ifndef HOPPROBE_DGRAM_PARSE_H
#define HOPPROBE_DGRAM_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "dgram.h"
#include "netaddr.h"

/*
 * A datagram read from the normal queue of the socket that sent the probe
 * spec, from the address from (as recvmsg gave it).  Returns true, with
 * ev->kind KIND_REPLY and ev->responder the destination, when it answers
 * the probe; false, leaving *ev alone, otherwise.
 *
 * ICMP (a ping socket): an echo reply of the probe's family, code 0, with
 * the probe's sequence number.  The kernel chose the identifier and hands
 * the socket only replies carrying it, so it is not compared.  UDP (a
 * connected socket): any datagram.  Either must come from the probe's
 * destination, as the raw-socket decoder requires of an echo reply.  TCP
 * has no datagrams: its answer is the connection's outcome.
 */
bool dgram_parse_answer(const struct probe_spec *spec,
			const struct net_addr *from, const uint8_t *data,
			size_t len, struct dgram_event *ev);

/*
 * The payload of an IP_RECVERR or IPV6_RECVERR control message (decoded by
 * errqueue_decode) about the probe spec.  Returns true when it is
 * conclusive: an ICMP error from the network (ev->kind and ev->responder
 * set, ev->err 0) or a local error (ev->kind KIND_NONE, ev->err the
 * errno).  Port and protocol unreachable count as the destination's answer
 * only when the destination sent them (icmp_error_kind_by_sender); an error
 * without an offender address keeps the kind the type and code give.
 * Returns false, leaving *ev alone, for anything else.
 */
bool dgram_parse_error(const struct probe_spec *spec, const uint8_t *data,
		       size_t len, struct dgram_event *ev);

#endif

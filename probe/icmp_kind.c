/*
 * icmp_kind.c: what an ICMP or ICMPv6 error means for the probe it quotes
 * (icmp_kind.h, decode.h): the reply kind of each type and code, which
 * errors may carry RFC 4884 extensions, and who must have sent an error
 * for it to mean "the destination answered".
 */
#include "icmp_kind.h"

#include <netinet/in.h>
#include <string.h>

#define ICMP4_DEST_UNREACH	3
#define ICMP4_TIME_EXCEEDED	11

#define ICMP6_DEST_UNREACH	1
#define ICMP6_TIME_EXCEEDED	3
#define ICMP6_PARAM_PROBLEM	4

/*
 * ICMPv4 time exceeded and destination unreachable (RFC 792; RFC 1122
 * and RFC 1812 section 5.2.7.1 for codes 6 to 15).  Codes that are
 * neither "no route to the network" nor "the destination answered" (host
 * unreachable, but also fragmentation needed, source route failed, host
 * isolated, administratively prohibited, precedence problems) all mean
 * that this host cannot be reached from where the error came.  Protocol
 * and port unreachable mean "the destination answered" only when the
 * destination sent them: icmp_error_kind_by_sender() decides.
 */
enum reply_kind icmp4_error_kind(uint8_t type, uint8_t code)
{
	if (type == ICMP4_TIME_EXCEEDED)
		/* Code 1, reassembly time exceeded, is not about TTL. */
		return code == 0 ? KIND_TTL_EXPIRED : KIND_NONE;
	if (type != ICMP4_DEST_UNREACH)
		return KIND_NONE;
	switch (code) {
	case 2:		/* protocol unreachable, if from the destination */
	case 3:		/* port unreachable, if from the destination */
		return KIND_REPLY;
	case 0:		/* net unreachable */
	case 6:		/* destination network unknown */
	case 9:		/* network administratively prohibited */
	case 11:	/* network unreachable for TOS */
		return KIND_NO_ROUTE_NETWORK;
	default:
		return KIND_NO_ROUTE_HOST;
	}
}

/* RFC 4884 extensions, on the two ICMPv4 errors we report. */
bool icmp4_error_has_ext(uint8_t type)
{
	return type == ICMP4_DEST_UNREACH || type == ICMP4_TIME_EXCEEDED;
}

/*
 * ICMPv6 errors (RFC 4443 section 3, RFC 6550 for destination unreachable
 * code 7).  Parameter problem code 1 is what Linux sends when the
 * destination has no handler for the next header, e.g. SCTP without its
 * module: the destination answered, as with ICMPv4 protocol unreachable
 * (and, like it and port unreachable, only if the destination sent it:
 * icmp_error_kind_by_sender()).  Codes not listed are not defined for
 * what we send and are ignored.
 */
enum reply_kind icmp6_error_kind(uint8_t type, uint8_t code)
{
	switch (type) {
	case ICMP6_TIME_EXCEEDED:
		/* Code 1, fragment reassembly time exceeded, is not ours. */
		return code == 0 ? KIND_TTL_EXPIRED : KIND_NONE;
	case ICMP6_PARAM_PROBLEM:
		return code == 1 ? KIND_REPLY : KIND_NONE;
	case ICMP6_DEST_UNREACH:
		break;
	default:
		return KIND_NONE;
	}
	switch (code) {
	case 0:		/* no route to destination */
		return KIND_NO_ROUTE_NETWORK;
	case 4:		/* port unreachable, if from the destination */
		return KIND_REPLY;
	case 1:		/* administratively prohibited */
	case 2:		/* beyond scope of source address */
	case 3:		/* address unreachable */
	case 5:		/* source address failed ingress/egress policy */
	case 6:		/* reject route to destination */
	case 7:		/* error in source routing header */
		return KIND_NO_ROUTE_HOST;
	default:
		return KIND_NONE;
	}
}

/* RFC 4884 extensions: destination unreachable and time exceeded. */
bool icmp6_error_has_ext(uint8_t type)
{
	return type == ICMP6_DEST_UNREACH || type == ICMP6_TIME_EXCEEDED;
}

/*
 * Whether an error that says "the destination answered" came from the
 * destination (decode.h).  A firewall rejecting our probe with port
 * unreachable (nftables' and iptables' default reject) is not the
 * destination, and what it says is that the destination cannot be reached.
 */
enum reply_kind icmp_error_kind_by_sender(enum reply_kind kind,
					  const struct net_addr *responder,
					  const struct net_addr *dst)
{
	if (kind != KIND_REPLY)
		return kind;
	if (responder->family == dst->family &&
	    memcmp(responder->bytes, dst->bytes,
		   net_addr_len(dst->family)) == 0)
		return KIND_REPLY;
	return KIND_NO_ROUTE_HOST;
}

enum reply_kind icmp_error_kind(uint8_t family, uint8_t type, uint8_t code)
{
	if (family == AF_INET)
		return icmp4_error_kind(type, code);
	if (family == AF_INET6)
		return icmp6_error_kind(type, code);
	return KIND_NONE;
}

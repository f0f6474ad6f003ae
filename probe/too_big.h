/*
 * too_big.h: the ICMP errors that say a probe was too big for a link on
 * its path, and the MTU they give: RFC 1191's fragmentation needed (ICMP
 * destination unreachable code 4, next-hop MTU in the last 16 bits of the
 * ICMP header) and RFC 4443's packet too big (ICMPv6 type 2, any code, the
 * MTU in the 32 bits after the checksum).  Pure.
 *
 * The decoders report both as KIND_PACKET_TOO_BIG.  Only a probe sent
 * with dont-fragment (hopprobe(8)) is answered packet-too-big; for any
 * other probe the answer keeps the meaning it had before that extension
 * existed (too_big_plain_kind).
 */
#ifndef HOPPROBE_TOO_BIG_H
#define HOPPROBE_TOO_BIG_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

#define TOO_BIG_ICMP_HEADER_LEN 8

/*
 * Whether an ICMP (family AF_INET) or ICMPv6 (AF_INET6) message of this
 * type and code says "too big"; then *mtu is read from its header, the
 * TOO_BIG_ICMP_HEADER_LEN bytes at icmp_header.  A router that predates
 * RFC 1191 leaves the IPv4 field 0, and *mtu is 0 then.
 */
bool too_big_mtu(uint8_t family, uint8_t type, uint8_t code,
		 const uint8_t *icmp_header, uint32_t *mtu);
/* Whether that type and code say "too big" (the MTU read elsewhere). */
bool too_big_message(uint8_t family, uint8_t type, uint8_t code);

/*
 * What a too-big answer means for a probe sent without dont-fragment:
 * fragmentation needed is one of ICMP's host unreachable codes
 * (KIND_NO_ROUTE_HOST, RFC 792), and packet too big answers nothing
 * (KIND_NONE: such a probe waits for its timeout, as it always did).
 */
enum reply_kind too_big_plain_kind(uint8_t family);

#endif

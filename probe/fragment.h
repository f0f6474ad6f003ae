/*
 * fragment.h: one IPv4 datagram -> the fragments that carry it over a link
 * of a given MTU (RFC 791 section 2.3 "Fragmentation" and section 3.2, "An
 * Example Fragmentation Procedure").
 *
 * IPv4 probes go out on an IP_HDRINCL raw socket, which the kernel never
 * fragments: a probe larger than the route's MTU fails with EMSGSIZE.  The
 * engine then sends the fragments made here instead, as the kernel would
 * for any other socket.  Pure: a packet in, one fragment at a time out into
 * the caller's buffer, no allocation.
 *
 * Every fragment but the last carries the largest multiple of 8 payload
 * bytes that fits the MTU; the last carries what remains (up to the MTU).
 * Each is a copy of the header with its total length, More Fragments flag
 * and fragment offset (in 8-byte units) set and its checksum recomputed.
 * A datagram that fits the MTU is one fragment equal to itself (checksum
 * recomputed).  A datagram that is itself a fragment is split further as
 * RFC 791 says: offsets add to its own, and its last piece keeps its MF.
 *
 * Refused (count 0): anything shorter than an IPv4 header, another
 * version, a total length other than the bytes given, Don't Fragment set,
 * an identification of 0 (with IP_HDRINCL the kernel gives a zero ID a new
 * value per packet, so the fragments would not reassemble), an MTU below
 * 68 (the least every IPv4 link carries, RFC 791), offsets beyond the
 * 13-bit field, and IP options: the worker's builder sends none, and
 * RFC 791 would copy only some of them into later fragments.
 */
#ifndef HOPPROBE_FRAGMENT_H
#define HOPPROBE_FRAGMENT_H

#include <stddef.h>
#include <stdint.h>

#define FRAGMENT_MIN_MTU 68

/*
 * How many fragments the IPv4 datagram pkt (len bytes) makes on a link of
 * this MTU; 0 when it cannot be fragmented (see above).
 */
size_t fragment_ipv4_count(const uint8_t *pkt, size_t len, size_t mtu);

/*
 * Write fragment number index (from 0) of pkt into buf, of cap bytes.
 * Returns the fragment's length, or 0 when pkt cannot be fragmented, index
 * is past the last fragment or cap is too small.  buf must not overlap pkt.
 */
size_t fragment_ipv4_write(const uint8_t *pkt, size_t len, size_t mtu,
			   size_t index, uint8_t *buf, size_t cap);

#endif

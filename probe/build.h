/*
 * build.h: probe packets, per protocol and family, built into a caller's
 * buffer.  Pure: no sockets, no clock, no process id; everything that ends
 * up on the wire is in struct probe_spec.
 *
 * IPv4 probes are built whole, IP header included, for a raw socket with
 * IP_HDRINCL.  IPv6 probes are built from the transport header on (the
 * kernel writes the IPv6 header; hop limit, traffic class and source travel
 * as ancillary data), but spec->size still counts the 40-byte IPv6 header so
 * that `size` means the same for both families.
 */
#ifndef HOPPROBE_BUILD_H
#define HOPPROBE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "wire_identity.h"

#define PROBE_MAX_SIZE 65535

struct probe_spec {
	enum probe_proto proto;
	struct net_addr src;	/* for IPv4 header and pseudo-header sums;
				   IPv4 ICMP may leave it zero (kernel fills) */
	struct net_addr dst;	/* family selects IPv4 or IPv6 */
	uint8_t ttl;
	uint8_t tos;		/* IPv4 TOS byte (IPv6: sent as ancillary data) */
	uint16_t size;		/* whole packet incl. IP header; raised to
				   probe_spec_min_size() when below it */
	uint8_t pattern;	/* payload fill byte */
	uint16_t ip_id;		/* IPv4 identification field */
	uint16_t icmp_id;	/* ICMP / ICMPv6 echo */
	uint16_t icmp_seq;
	uint16_t sport;		/* UDP, TCP, SCTP */
	uint16_t dport;
	uint16_t udp_checksum;	/* UDP: the checksum field value wanted, in
				   1..0xfffe; two payload bytes are set so
				   that the checksum comes out as this */
	uint32_t tcp_seq;	/* TCP SYN sequence number */
	uint32_t sctp_tag;	/* SCTP INIT initiate tag, non-zero */
	/*
	 * A flow probe (wire_identity.h): an ICMP echo's checksum field is
	 * held at icmp_checksum (0..0xfffe) by its first two payload bytes,
	 * and an IPv6 probe carries flow_label (sent as ancillary data:
	 * the kernel writes the IPv6 header).  Without flow, both are unused.
	 */
	bool flow;
	uint16_t icmp_checksum;
	uint32_t flow_label;	/* 20 bits; 0: the kernel chooses */
	bool dont_fragment;	/* IPv4: the DF bit (IPv6 needs no field) */
};

/*
 * Smallest packet (IP header included) the builder makes for this family
 * and protocol: IPv4 ICMP 28, UDP 30, TCP 40, SCTP 52; IPv6 ICMP 48, UDP 50,
 * TCP 60, SCTP 72.  (UDP needs two payload bytes to steer its checksum.)
 */
size_t probe_min_size(uint8_t family, enum probe_proto proto);
/*
 * The same for this spec: a flow ICMP echo needs two payload bytes more
 * (IPv4 30, IPv6 50) to steer its checksum; 0 for a spec probe_build
 * refuses by family or protocol.
 */
size_t probe_spec_min_size(const struct probe_spec *spec);

/*
 * Write the probe into buf.  Returns the number of bytes written (for IPv6:
 * without the IPv6 header), or 0 when the spec is invalid or cap is too
 * small.  The IPv4 header checksum is computed too, although the kernel
 * rewrites it, so that the bytes are a valid packet on their own.
 * ICMPv6 carries its checksum computed with spec->src (the kernel rewrites
 * it with the real source).  SCTP pads with a Padding parameter (RFC 4820)
 * in whole 4-byte units, so its packet may be up to 3 bytes below size.
 */
size_t probe_build(const struct probe_spec *spec, uint8_t *buf, size_t cap);

#endif

/*
 * icmp_ext.h: ICMP extension structures (RFC 4884) and the MPLS label stack
 * object in them (RFC 4950).  Pure functions.
 */
#ifndef HOPPROBE_ICMP_EXT_H
#define HOPPROBE_ICMP_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wirebuf.h"

/* More labels than this are not reported (mtr shows at most a handful). */
#define MPLS_MAX_LABELS 16

struct mpls_label {
	uint32_t label;		/* 20 bits */
	uint8_t traffic_class;	/* 3 bits (the former EXP field) */
	uint8_t bottom_of_stack;/* 1 bit */
	uint8_t ttl;
};

struct mpls_stack {
	unsigned count;
	struct mpls_label labels[MPLS_MAX_LABELS];
};

/*
 * ext points at an ICMP extension structure (version 2 header: version,
 * reserved, checksum; then objects).  Fills *out with the labels of every
 * MPLS label stack object (class 1, c-type 1), in order.  Returns false,
 * leaving out->count 0, when the structure is malformed: wrong version, bad
 * non-zero checksum, an object length below 4 or beyond the bytes given.
 */
bool icmp_ext_parse_mpls(const uint8_t *ext, size_t len,
			 struct mpls_stack *out);

/*
 * Called by icmp_ext_walk() for each object in order, with a reader over
 * exactly the object's payload; returning false makes the whole structure
 * malformed.
 */
typedef bool (*icmp_ext_object_fn)(uint8_t class_num, uint8_t c_type,
				   struct wire_reader *payload, void *ctx);

/*
 * Check the structure at ext (version 2, checksum when non-zero, object
 * lengths of at least 4 that add up to len exactly) and hand each object
 * to fn.  Returns false when it is malformed or fn refused an object.
 */
bool icmp_ext_walk(const uint8_t *ext, size_t len, icmp_ext_object_fn fn,
		   void *ctx);

/*
 * Given the ICMP message body after the 8-byte ICMP header (the quoted
 * datagram and anything after it) and the ICMP header's length field
 * (RFC 4884: 32-bit words for ICMPv4, 64-bit words for ICMPv6, already
 * multiplied out to bytes by the caller; 0 when absent), locate the
 * extension structure: at the given length when non-zero, else after a
 * 128-byte original datagram when the body is longer than 128 bytes (the
 * pre-RFC 4884 form many routers send).  Returns false when there is none.
 */
bool icmp_ext_locate(size_t body_len, size_t quoted_len_bytes,
		     size_t *ext_offset);

#endif

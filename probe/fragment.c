/*
 * fragment.c: IPv4 fragmentation (RFC 791), one fragment at a time.
 *
 * The datagram is read through a wire_reader and each fragment written
 * through a wire_writer, so a lying header can only make a call fail.  Both
 * calls first work out the same plan from the header and the MTU, so the
 * caller needs one MTU-sized buffer, not one per fragment.
 */
#include "fragment.h"

#include <stdbool.h>

#include "checksum.h"
#include "wirebuf.h"

#define IPV4_HEADER_LEN		20
#define IPV4_VERSION_IHL	0x45	/* version 4, no options */
#define IPV4_TOTAL_LEN_AT	2
#define IPV4_FLAGS_AT		6
#define IPV4_CHECKSUM_AT	10
#define IPV4_FLAG_DF		0x4000
#define IPV4_FLAG_MF		0x2000
#define IPV4_OFFSET_MASK	0x1fff
#define FRAGMENT_UNIT		8	/* offsets count 8-byte units */

/* How a datagram splits up on one MTU. */
struct fragment_plan {
	uint16_t flags_offset;	/* the datagram's own flags and offset */
	size_t payload_len;	/* bytes after the header */
	size_t per_fragment;	/* payload of every fragment but the last */
	size_t count;
};

/*
 * Check the datagram and work out its fragments.  Every fragment but the
 * last must carry a multiple of 8 bytes (the offset unit); the last may
 * carry up to all the MTU leaves after the header, as scapy's fragment()
 * and Linux's ip_fragment() do, so that no fragment is needlessly small.
 */
static bool fragment_plan(const uint8_t *pkt, size_t len, size_t mtu,
			  struct fragment_plan *p)
{
	struct wire_reader r;
	uint8_t version_ihl;
	uint16_t total_len, id;
	size_t last_max, own_offset, last_offset;

	if (!pkt || mtu < FRAGMENT_MIN_MTU)
		return false;
	wire_reader_init(&r, pkt, len);
	/*
	 * Version/IHL, TOS, total length, identification, flags and offset;
	 * TTL, protocol, checksum and the addresses are only copied.
	 */
	if (!wire_read_u8(&r, &version_ihl) ||
	    version_ihl != IPV4_VERSION_IHL || !wire_skip(&r, 1) || !wire_read_u16(&r, &total_len) ||
	    !wire_read_u16(&r, &id) || !wire_read_u16(&r, &p->flags_offset) ||
	    !wire_skip(&r, IPV4_HEADER_LEN - IPV4_FLAGS_AT - 2))
		return false;
	if (total_len != len || id == 0 || p->flags_offset & IPV4_FLAG_DF)
		return false;

	p->payload_len = len - IPV4_HEADER_LEN;
	last_max = mtu - IPV4_HEADER_LEN;
	p->per_fragment = last_max / FRAGMENT_UNIT * FRAGMENT_UNIT;
	p->count = 1;
	if (p->payload_len > last_max)
		p->count += (p->payload_len - last_max + p->per_fragment - 1) /
			    p->per_fragment;

	/* The last fragment's offset must fit the 13-bit field. */
	own_offset = p->flags_offset & IPV4_OFFSET_MASK;
	last_offset = own_offset +
		      (p->count - 1) * p->per_fragment / FRAGMENT_UNIT;
	return last_offset <= IPV4_OFFSET_MASK;
}

size_t fragment_ipv4_count(const uint8_t *pkt, size_t len, size_t mtu)
{
	struct fragment_plan p;

	return fragment_plan(pkt, len, mtu, &p) ? p.count : 0;
}

size_t fragment_ipv4_write(const uint8_t *pkt, size_t len, size_t mtu,
			   size_t index, uint8_t *buf, size_t cap)
{
	struct fragment_plan p;
	struct wire_reader r, header, payload;
	struct wire_writer w;
	size_t start, n;
	uint16_t flags_offset;
	bool last;

	if (!buf || !fragment_plan(pkt, len, mtu, &p) || index >= p.count)
		return 0;
	last = index == p.count - 1;
	start = index * p.per_fragment;
	n = last ? p.payload_len - start : p.per_fragment;

	wire_reader_init(&r, pkt, len);
	if (!wire_sub(&r, IPV4_HEADER_LEN, &header) ||
	    !wire_seek(&r, IPV4_HEADER_LEN + start) ||
	    !wire_sub(&r, n, &payload))
		return 0;

	/*
	 * RFC 791: MF on every fragment but the last, which keeps the
	 * datagram's own MF (set when it is itself a non-last fragment);
	 * offsets add to the datagram's own.  The reserved bit is copied.
	 */
	flags_offset = p.flags_offset & (uint16_t)~(IPV4_FLAG_MF |
						     IPV4_OFFSET_MASK);
	flags_offset |= last ? p.flags_offset & IPV4_FLAG_MF : IPV4_FLAG_MF;
	flags_offset |= (uint16_t)((p.flags_offset & IPV4_OFFSET_MASK) +
				   start / FRAGMENT_UNIT);

	wire_writer_init(&w, buf, cap);
	if (!wire_write_bytes(&w, wire_cursor(&header), IPV4_HEADER_LEN) ||
	    !wire_write_bytes(&w, wire_cursor(&payload), n) ||
	    !wire_patch_u16(&w, IPV4_TOTAL_LEN_AT,
			    (uint16_t)(IPV4_HEADER_LEN + n)) ||
	    !wire_patch_u16(&w, IPV4_FLAGS_AT, flags_offset) ||
	    !wire_patch_u16(&w, IPV4_CHECKSUM_AT, 0) ||
	    !wire_patch_u16(&w, IPV4_CHECKSUM_AT,
			    inet_checksum(buf, IPV4_HEADER_LEN)))
		return 0;
	return w.pos;
}

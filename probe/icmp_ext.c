/*
 * icmp_ext.c: finding and walking ICMP extension structures (RFC 4884) and
 * reading the MPLS label stack objects in them (RFC 4950).
 *
 * An extension structure is a 4-byte header (version 2 in the high four
 * bits of the first byte, 12 reserved bits, a 16-bit Internet checksum over
 * the whole structure) followed by objects, each a 4-byte header (16-bit
 * length including that header, class-num, c-type) and its payload.  The
 * structure runs to the end of the ICMP message.
 */
#include "icmp_ext.h"

#include <string.h>

#include "checksum.h"
#include "wirebuf.h"

#define EXT_HEADER_LEN		4
#define EXT_VERSION		2
#define EXT_OBJECT_HEADER_LEN	4

/*
 * RFC 4884: when an extension structure is appended, the "original
 * datagram" field MUST hold at least 128 bytes (zero-padded); the
 * pre-RFC 4884 senders its section 5 describes always use exactly 128.
 */
#define EXT_MIN_ORIGINAL_LEN	128

#define MPLS_CLASS_NUM		1	/* RFC 4950 */
#define MPLS_C_TYPE_STACK	1
#define MPLS_ENTRY_LEN		4

/*
 * Where the extension structure starts in the ICMP body, if there is one.
 *
 * With a non-zero length attribute (a compliant sender in the terms of
 * RFC 4884 section 5) the original datagram field has that many bytes and
 * the structure follows.  A non-zero length below 128 bytes breaks the
 * RFC's MUST and is more likely junk in a field older senders left unused
 * than a real length, so it is taken as "no extension"; nothing is lost,
 * since no compliant sender produces it.  There is no fallback to offset
 * 128 in that case either: the sender did claim to use the length
 * attribute.
 *
 * With a zero length attribute (the non-compliant senders of section 5,
 * widely deployed before the RFC, notably MPLS routers) the structure is
 * looked for right after a 128-byte original datagram when the message is
 * long enough to hold one.  RFC 4884 has receivers check version and
 * checksum there before believing it; icmp_ext_parse_mpls() does that, so
 * locating it here is safe.  The RFC looks only at messages with room for
 * an object header as well (144 bytes with the ICMPv4 header); a shorter
 * structure could hold no labels anyway, so the 4-byte minimum is enough.
 *
 * Either way at least the 4-byte extension header must fit.
 */
bool icmp_ext_locate(size_t body_len, size_t quoted_len_bytes,
		     size_t *ext_offset)
{
	size_t offset = quoted_len_bytes ? quoted_len_bytes :
					   EXT_MIN_ORIGINAL_LEN;

	*ext_offset = 0;
	if (offset < EXT_MIN_ORIGINAL_LEN)
		return false;
	/* Written as a subtraction so a huge offset cannot wrap around. */
	if (body_len < offset || body_len - offset < EXT_HEADER_LEN)
		return false;
	*ext_offset = offset;
	return true;
}

/*
 * Append the entries of one MPLS label stack object, dropping any beyond
 * MPLS_MAX_LABELS.  The payload must be whole 4-byte entries (RFC 4950);
 * anything else is malformed.
 */
static bool read_mpls_object(struct wire_reader *payload,
			     struct mpls_stack *out)
{
	uint32_t entry;
	struct mpls_label *l;

	if (wire_remaining(payload) % MPLS_ENTRY_LEN)
		return false;
	while (wire_remaining(payload)) {
		if (!wire_read_u32(payload, &entry))
			return false;
		if (out->count >= MPLS_MAX_LABELS)
			continue;
		/* RFC 3032 section 2.1: label 20, TC 3, S 1, TTL 8 bits. */
		l = &out->labels[out->count++];
		l->label = entry >> 12;
		l->traffic_class = (uint8_t)(entry >> 9 & 0x7);
		l->bottom_of_stack = (uint8_t)(entry >> 8 & 0x1);
		l->ttl = (uint8_t)(entry & 0xff);
	}
	return true;
}

/*
 * Walk the whole structure: every object must be well formed, since a
 * broken length anywhere means the sender's idea of the layout differs
 * from ours and none of it can be trusted.  Object lengths need not be
 * multiples of 4 (RFC 4884 asks for it but nothing depends on it here, so
 * it is not enforced).  A structure with no objects at all is accepted.
 */
bool icmp_ext_walk(const uint8_t *ext, size_t len, icmp_ext_object_fn fn,
		   void *ctx)
{
	struct wire_reader r, payload;
	uint8_t version_byte, class_num, c_type;
	uint16_t checksum, object_len;

	wire_reader_init(&r, ext, len);
	if (!wire_read_u8(&r, &version_byte) || !wire_skip(&r, 1) ||
	    !wire_read_u16(&r, &checksum))
		return false;
	if (version_byte >> 4 != EXT_VERSION)
		return false;
	/*
	 * RFC 4884: a zero checksum means the sender did not
	 * compute one.  Otherwise the one's-complement sum over the whole
	 * structure, checksum field included, must come out as zero.
	 */
	if (checksum != 0 && inet_checksum(ext, len) != 0)
		return false;

	while (wire_remaining(&r)) {
		if (!wire_read_u16(&r, &object_len) ||
		    !wire_read_u8(&r, &class_num) ||
		    !wire_read_u8(&r, &c_type))
			return false;
		if (object_len < EXT_OBJECT_HEADER_LEN)
			return false;
		if (!wire_sub(&r, object_len - EXT_OBJECT_HEADER_LEN,
			      &payload))
			return false;
		if (!fn(class_num, c_type, &payload, ctx))
			return false;
	}
	return true;
}

/* An MPLS label stack object is malformed when its entries are. */
static bool mpls_object(uint8_t class_num, uint8_t c_type,
			struct wire_reader *payload, void *ctx)
{
	if (class_num != MPLS_CLASS_NUM || c_type != MPLS_C_TYPE_STACK)
		return true;
	return read_mpls_object(payload, ctx);
}

bool icmp_ext_parse_mpls(const uint8_t *ext, size_t len,
			 struct mpls_stack *out)
{
	memset(out, 0, sizeof(*out));
	if (icmp_ext_walk(ext, len, mpls_object, out))
		return true;
	memset(out, 0, sizeof(*out));
	return false;
}

/*
 * decode.c: received datagrams -> struct decoded (kind, responder, the key
 * of the probe answered, MPLS labels).
 *
 * Everything is read through a wire_reader, so a short or lying packet
 * can only make a read fail, never read past the bytes given.  Any failure
 * ends in KIND_NONE with *out all zero.
 *
 * ICMPv4 and ICMPv6 errors share one decoder; what differs between them
 * (type numbers, code meanings, the quoted IP header, where RFC 4884 keeps
 * its length attribute) is in one table per family.
 */
#include "decode.h"

#include <netinet/in.h>
#include <string.h>

#include "checksum.h"
#include "icmp_kind.h"
#include "too_big.h"
#include "wirebuf.h"

#define IPV4_MIN_HEADER_LEN	20
#define IPV4_FRAG_OFFSET_MASK	0x1fff
#define IPV6_VERSION		6
#define IPV6_NEXT_FRAGMENT	44
#define IPV6_FRAG_OFFSET_SHIFT	3

#define ICMP_HEADER_LEN		8
#define ICMP_REST_AT		4	/* the four type-specific bytes */

#define ICMP4_ECHO_REPLY	0
#define ICMP4_ECHO_REQUEST	8

#define ICMP6_ECHO_REQUEST	128
#define ICMP6_ECHO_REPLY	129

#define TCP_FLAG_SYN		0x02
#define TCP_FLAG_RST		0x04
#define TCP_FLAG_ACK		0x10

#define SCTP_CHUNK_INIT		1
#define SCTP_CHUNK_INIT_ACK	2
#define SCTP_CHUNK_ABORT	6
#define SCTP_CHECKSUM_LEN	4

/* The quoted IP header, as far as matching and reply-details need it. */
struct quoted_ip {
	uint8_t proto;		/* IP protocol / next header */
	uint8_t dst[16];
	uint8_t ttl;		/* TTL / hop limit */
	uint8_t tos;		/* TOS / traffic class */
};

/* What differs between ICMPv4 and ICMPv6 when reading an answer. */
struct icmp_family {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t icmp_proto;	/* IP protocol number of its ICMP */
	uint8_t echo_request;
	uint8_t echo_reply;
	/*
	 * RFC 4884 length attribute: its offset in the ICMP header and its
	 * unit (the sixth byte, in 32-bit words, for ICMPv4; the fifth
	 * byte, in 64-bit words, for ICMPv6).
	 */
	size_t ext_length_at;
	size_t ext_length_unit;
	enum reply_kind (*error_kind)(uint8_t type, uint8_t code);
	bool (*error_has_ext)(uint8_t type);
	bool (*read_quoted_ip)(struct wire_reader *r, struct quoted_ip *ip);
};

/* The fields of an IPv4 header that any decoder here looks at. */
struct ipv4_header {
	size_t header_len;
	uint16_t total_len;
	uint16_t frag_offset;
	uint8_t tos;
	uint8_t ttl;
	uint8_t proto;
	uint8_t src[4];
	uint8_t dst[4];
};

/*
 * Read an IPv4 header, options included, and leave r just past it.  Only
 * the version and the header length are checked here: the caller decides
 * what the total length and fragment offset mean for it.
 */
static bool read_ipv4_header(struct wire_reader *r, struct ipv4_header *h)
{
	struct wire_reader peek = *r, hdr;
	uint8_t version_ihl;
	uint16_t frag;

	if (!wire_read_u8(&peek, &version_ihl) || version_ihl >> 4 != 4)
		return false;
	h->header_len = (size_t)(version_ihl & 0x0f) * 4;
	if (h->header_len < IPV4_MIN_HEADER_LEN ||
	    !wire_sub(r, h->header_len, &hdr))
		return false;
	/*
	 * Version/IHL and TOS, total length, identification, flags and
	 * fragment offset, TTL, protocol, checksum, addresses; the options
	 * after them stay unread.
	 */
	if (!wire_skip(&hdr, 1) || !wire_read_u8(&hdr, &h->tos) ||
	    !wire_read_u16(&hdr, &h->total_len) ||
	    !wire_skip(&hdr, 2) || !wire_read_u16(&hdr, &frag) ||
	    !wire_read_u8(&hdr, &h->ttl) || !wire_read_u8(&hdr, &h->proto) ||
	    !wire_skip(&hdr, 2) ||
	    !wire_read_bytes(&hdr, h->src, sizeof(h->src)) ||
	    !wire_read_bytes(&hdr, h->dst, sizeof(h->dst)))
		return false;
	h->frag_offset = frag & IPV4_FRAG_OFFSET_MASK;
	return true;
}

/*
 * The IPv4 header quoted in an ICMP error.  A non-first fragment of a
 * probe (a large probe the kernel fragmented) quotes payload bytes where a
 * transport header would be, and payload bytes alone must never match.
 */
static bool read_quoted_ipv4(struct wire_reader *r, struct quoted_ip *ip)
{
	struct ipv4_header h;

	if (!read_ipv4_header(r, &h) || h.frag_offset != 0)
		return false;
	ip->proto = h.proto;
	ip->ttl = h.ttl;
	ip->tos = h.tos;
	memset(ip->dst, 0, sizeof(ip->dst));
	memcpy(ip->dst, h.dst, sizeof(h.dst));
	return true;
}

/*
 * The IPv6 header quoted in an ICMPv6 error.  The worker sends no
 * extension headers, but the kernel adds a Fragment header (RFC 8200
 * section 4.5) to a raw IPv6 probe larger than the path MTU, and an error
 * about such a probe quotes its first fragment.  So one Fragment header is
 * skipped when its offset is 0, and the transport header follows it; a
 * later fragment quotes payload bytes where a transport header would be,
 * which must never match, as in read_quoted_ipv4().  Any other next header
 * is left to read_quoted_transport(), which takes only our protocols.
 */
static bool read_quoted_ipv6(struct wire_reader *r, struct quoted_ip *ip)
{
	uint32_t first_word;
	uint16_t offset_flags;

	/* Version/class/flow, payload length, next header, hop limit, src. */
	if (!wire_read_u32(r, &first_word) || first_word >> 28 != IPV6_VERSION)
		return false;
	ip->tos = (uint8_t)(first_word >> 20);
	if (!wire_skip(r, 2) || !wire_read_u8(r, &ip->proto) ||
	    !wire_read_u8(r, &ip->ttl) || !wire_skip(r, 16) ||
	    !wire_read_bytes(r, ip->dst, sizeof(ip->dst)))
		return false;
	if (ip->proto != IPV6_NEXT_FRAGMENT)
		return true;
	/*
	 * Next header, reserved; fragment offset (13 bits, in 8-byte units),
	 * two reserved bits and M; identification.
	 */
	return wire_read_u8(r, &ip->proto) && wire_skip(r, 1) &&
	       wire_read_u16(r, &offset_flags) &&
	       offset_flags >> IPV6_FRAG_OFFSET_SHIFT == 0 &&
	       wire_skip(r, 4);
}

static const struct icmp_family icmp4_family = {
	.family = AF_INET,
	.icmp_proto = IPPROTO_ICMP,
	.echo_request = ICMP4_ECHO_REQUEST,
	.echo_reply = ICMP4_ECHO_REPLY,
	.ext_length_at = 5,
	.ext_length_unit = 4,
	.error_kind = icmp4_error_kind,
	.error_has_ext = icmp4_error_has_ext,
	.read_quoted_ip = read_quoted_ipv4,
};

static const struct icmp_family icmp6_family = {
	.family = AF_INET6,
	.icmp_proto = IPPROTO_ICMPV6,
	.echo_request = ICMP6_ECHO_REQUEST,
	.echo_reply = ICMP6_ECHO_REPLY,
	.ext_length_at = 4,
	.ext_length_unit = 8,
	.error_kind = icmp6_error_kind,
	.error_has_ext = icmp6_error_has_ext,
	.read_quoted_ip = read_quoted_ipv6,
};

/*
 * The transport header of a quoted probe, as far as it identifies the
 * probe: eight bytes for ICMP (an echo request), UDP and TCP; twenty for
 * SCTP, whose identity lies in the INIT chunk's initiate tag after the
 * 12-byte common header.  Fills key->proto and key->wire_id.
 */
static bool read_quoted_transport(const struct icmp_family *fam,
				  uint8_t ip_proto, struct wire_reader *r,
				  struct probe_key *key)
{
	uint16_t sport, dport, checksum, id, seq;
	uint32_t value;
	uint8_t type;

	if (ip_proto == fam->icmp_proto) {
		if (!wire_read_u8(r, &type) || type != fam->echo_request ||
		    !wire_skip(r, 3) || !wire_read_u16(r, &id) ||
		    !wire_read_u16(r, &seq))
			return false;
		key->proto = PROTO_ICMP;
		key->wire_id = probe_wire_icmp(id, seq);
		return true;
	}
	if (!wire_read_u16(r, &sport) || !wire_read_u16(r, &dport))
		return false;
	switch (ip_proto) {
	case IPPROTO_UDP:
		/* Length, then the checksum the worker chose. */
		if (!wire_skip(r, 2) || !wire_read_u16(r, &checksum))
			return false;
		key->proto = PROTO_UDP;
		key->wire_id = probe_wire_udp(sport, dport, checksum);
		return true;
	case IPPROTO_TCP:
		if (!wire_read_u32(r, &value))
			return false;
		key->proto = PROTO_TCP;
		key->wire_id = probe_wire_tcp(sport, dport, value);
		return true;
	case IPPROTO_SCTP:
		/* Verification tag, checksum; chunk type, flags, length. */
		if (!wire_skip(r, 4 + SCTP_CHECKSUM_LEN) ||
		    !wire_read_u8(r, &type) || type != SCTP_CHUNK_INIT ||
		    !wire_skip(r, 3) || !wire_read_u32(r, &value))
			return false;
		key->proto = PROTO_SCTP;
		key->wire_id = probe_wire_sctp(sport, dport, value);
		return true;
	default:
		return false;
	}
}

/*
 * Labels and interface information from an RFC 4884 extension after the
 * quoted datagram.  A missing or malformed extension leaves mpls.count and
 * ifinfo->have at 0; it never costs the reply.
 */
static void read_icmp_ext(const struct icmp_family *fam,
			  const struct wire_reader *icmp_header,
			  const struct wire_reader *body,
			  struct mpls_stack *mpls, struct icmp_ifinfo *ifinfo)
{
	struct wire_reader hdr = *icmp_header, ext = *body;
	uint8_t length_attr;
	size_t ext_offset;

	if (!wire_seek(&hdr, fam->ext_length_at) ||
	    !wire_read_u8(&hdr, &length_attr))
		return;
	if (!icmp_ext_locate(wire_remaining(body),
			     (size_t)length_attr * fam->ext_length_unit,
			     &ext_offset) ||
	    !wire_seek(&ext, ext_offset))
		return;
	icmp_ext_parse_mpls(wire_cursor(&ext), wire_remaining(&ext), mpls);
	icmp_ext_parse_ifinfo(wire_cursor(&ext), wire_remaining(&ext), ifinfo);
}

/*
 * An ICMP or ICMPv6 message (r holds exactly the message).  out->responder
 * is already set.  An echo reply answers the probe sent to its sender; an
 * error answers the probe whose IP and transport headers it quotes.
 *
 * The quote is read from the start of the body whether or not an RFC 4884
 * length attribute is present: a compliant length is at least 128 bytes,
 * more than the largest IP header plus the 20 transport bytes read here.
 *
 * A port or protocol unreachable names the probe's destination in its
 * quote; when someone else sent it (a firewall on the path rejecting the
 * probe), the destination was not reached.
 */
static bool decode_icmp(const struct icmp_family *fam, struct wire_reader *r,
			struct decoded *out)
{
	struct wire_reader hdr, body, quote;
	const uint8_t *icmp_header = wire_cursor(r);
	struct net_addr quoted_dst;
	struct quoted_ip ip;
	enum reply_kind kind;
	uint8_t type, code;
	uint16_t id, seq;

	if (!wire_sub(r, ICMP_HEADER_LEN, &hdr))
		return false;
	wire_rest(r, &body);
	/*
	 * Type and code.  The checksum is not verified: the kernel has done
	 * so for ICMPv6, and a corrupted ICMPv4 error is still attributed
	 * only when its quote carries every identifier of one of our probes.
	 */
	if (!wire_read_u8(&hdr, &type) || !wire_read_u8(&hdr, &code))
		return false;
	out->details.have |= DETAIL_ICMP;
	out->details.icmp_type = type;
	out->details.icmp_code = code;

	out->key.family = fam->family;
	if (type == fam->echo_reply) {
		if (!wire_seek(&hdr, ICMP_REST_AT) ||
		    !wire_read_u16(&hdr, &id) || !wire_read_u16(&hdr, &seq))
			return false;
		out->kind = KIND_REPLY;
		out->key.proto = PROTO_ICMP;
		memcpy(out->key.dst, out->responder.bytes,
		       sizeof(out->key.dst));
		out->key.wire_id = probe_wire_icmp(id, seq);
		return true;
	}

	kind = fam->error_kind(type, code);
	if (too_big_mtu(fam->family, type, code, icmp_header,
			&out->next_hop_mtu))
		kind = KIND_PACKET_TOO_BIG;
	if (kind == KIND_NONE)
		return false;
	quote = body;
	if (!fam->read_quoted_ip(&quote, &ip) ||
	    !read_quoted_transport(fam, ip.proto, &quote, &out->key))
		return false;
	memcpy(out->key.dst, ip.dst, sizeof(out->key.dst));
	out->details.have |= DETAIL_QUOTED;
	out->details.quoted_ttl = ip.ttl;
	out->details.quoted_tos = ip.tos;
	if (kind == KIND_PACKET_TOO_BIG)
		details_next_hop_mtu(out->next_hop_mtu, &out->details);
	if (fam->error_has_ext(type))
		read_icmp_ext(fam, &hdr, &body, &out->mpls,
			      &out->details.ifinfo);
	quoted_dst.family = fam->family;
	memcpy(quoted_dst.bytes, ip.dst, sizeof(quoted_dst.bytes));
	out->kind = icmp_error_kind_by_sender(kind, &out->responder,
					      &quoted_dst);
	return true;
}

/*
 * A TCP segment answering our SYN: SYN-ACK from an open port, RST-ACK from
 * a closed one; the sequence number comes back from the acknowledgment
 * number as wire_identity.h explains.  A segment without ACK cannot answer
 * a SYN; in particular our own SYN,
 * which raw sockets on loopback see too, is not a reply.
 */
static bool decode_tcp(struct wire_reader *r, struct probe_key *key)
{
	uint16_t sport, dport;
	uint32_t ack;
	uint8_t flags;

	/* Ports, sequence number, acknowledgment, data offset, flags. */
	if (!wire_read_u16(r, &sport) || !wire_read_u16(r, &dport) ||
	    !wire_skip(r, 4) || !wire_read_u32(r, &ack) ||
	    !wire_skip(r, 1) || !wire_read_u8(r, &flags))
		return false;
	if (!(flags & TCP_FLAG_ACK) ||
	    !(flags & (TCP_FLAG_SYN | TCP_FLAG_RST)))
		return false;
	key->proto = PROTO_TCP;
	/* Our ports are the reply's ports swapped. */
	key->wire_id = probe_wire_tcp(dport, sport,
				       wire_identity_tcp_seq_of_ack(ack));
	return true;
}

/*
 * An SCTP packet answering our INIT: INIT-ACK from a listener, ABORT
 * otherwise (RFC 4960 section 8.4).  Both carry our initiate tag as their
 * verification tag.  The CRC32c (RFC 4960 appendix B) covers the whole
 * packet with the checksum field taken as zero, and is stored least
 * significant byte first.  r must hold exactly the SCTP packet.
 */
static bool decode_sctp(struct wire_reader *r, struct probe_key *key)
{
	static const uint8_t zero_checksum[SCTP_CHECKSUM_LEN];
	struct wire_reader common, chunks, peek;
	uint8_t stored[SCTP_CHECKSUM_LEN], chunk_type;
	uint16_t sport, dport;
	uint32_t vtag, crc, stored_crc;

	if (!wire_sub(r, 8, &common) ||
	    !wire_read_bytes(r, stored, sizeof(stored)))
		return false;
	wire_rest(r, &chunks);
	/* At least one chunk header: type, flags, length. */
	peek = chunks;
	if (!wire_read_u8(&peek, &chunk_type) || !wire_skip(&peek, 3))
		return false;
	if (chunk_type != SCTP_CHUNK_INIT_ACK && chunk_type != SCTP_CHUNK_ABORT)
		return false;

	crc = crc32c(0, wire_cursor(&common), wire_remaining(&common));
	crc = crc32c(crc, zero_checksum, sizeof(zero_checksum));
	crc = crc32c(crc, wire_cursor(&chunks), wire_remaining(&chunks));
	stored_crc = (uint32_t)stored[0] | (uint32_t)stored[1] << 8 |
		     (uint32_t)stored[2] << 16 | (uint32_t)stored[3] << 24;
	if (crc != stored_crc)
		return false;

	if (!wire_read_u16(&common, &sport) ||
	    !wire_read_u16(&common, &dport) ||
	    !wire_read_u32(&common, &vtag))
		return false;
	key->proto = PROTO_SCTP;
	key->wire_id = probe_wire_sctp(dport, sport, vtag);
	return true;
}

/* A reply from the destination itself: the key's address is the sender. */
static void answered_by_sender(struct decoded *out)
{
	out->kind = KIND_REPLY;
	out->key.family = out->responder.family;
	memcpy(out->key.dst, out->responder.bytes, sizeof(out->key.dst));
}

/* Every decode ends here, so that a rejected datagram leaves no trace. */
static bool finish(struct decoded *out, bool ok)
{
	if (!ok)
		memset(out, 0, sizeof(*out));
	return ok;
}

/*
 * The IPv4 total length only ever shortens what we look at (Ethernet pads
 * short frames, and the SCTP CRC must not cover the padding); it never
 * extends past the bytes received.  Linux raw sockets deliver the header
 * as it came off the wire, so the total length is in network byte order
 * and includes the header.
 */
bool decode_ipv4(const uint8_t *pkt, size_t len, struct decoded *out)
{
	struct wire_reader r, payload;
	struct ipv4_header ip;
	size_t payload_len;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	wire_reader_init(&r, pkt, len);
	if (!read_ipv4_header(&r, &ip) || ip.total_len < ip.header_len)
		return finish(out, false);
	/* Only a first fragment holds the transport or ICMP header. */
	if (ip.frag_offset != 0)
		return finish(out, false);
	payload_len = ip.total_len - ip.header_len;
	if (payload_len > wire_remaining(&r))
		payload_len = wire_remaining(&r);
	if (!wire_sub(&r, payload_len, &payload))
		return finish(out, false);

	out->responder.family = AF_INET;
	memcpy(out->responder.bytes, ip.src, sizeof(ip.src));
	out->details.have = DETAIL_REPLY_TTL;
	out->details.reply_ttl = ip.ttl;
	switch (ip.proto) {
	case IPPROTO_ICMP:
		ok = decode_icmp(&icmp4_family, &payload, out);
		break;
	case IPPROTO_TCP:
		ok = decode_tcp(&payload, &out->key);
		if (ok)
			answered_by_sender(out);
		break;
	case IPPROTO_SCTP:
		ok = decode_sctp(&payload, &out->key);
		if (ok)
			answered_by_sender(out);
		break;
	default:
		break;
	}
	return finish(out, ok);
}

/*
 * Raw IPv6 sockets strip the IP header, so the sender comes from recvmsg
 * and the protocol from the socket.  UDP probes are answered only by
 * ICMPv6, so nothing arriving on a UDP socket is decoded.
 */
bool decode_ipv6(enum probe_proto proto, const uint8_t src[16],
		 const uint8_t *pkt, size_t len, struct decoded *out)
{
	struct wire_reader r;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!src)
		return finish(out, false);
	wire_reader_init(&r, pkt, len);
	out->responder.family = AF_INET6;
	memcpy(out->responder.bytes, src, sizeof(out->responder.bytes));
	switch (proto) {
	case PROTO_ICMP:
		ok = decode_icmp(&icmp6_family, &r, out);
		break;
	case PROTO_TCP:
		ok = decode_tcp(&r, &out->key);
		if (ok)
			answered_by_sender(out);
		break;
	case PROTO_SCTP:
		ok = decode_sctp(&r, &out->key);
		if (ok)
			answered_by_sender(out);
		break;
	case PROTO_UDP:		/* answered by ICMPv6 only */
	default:
		break;
	}
	return finish(out, ok);
}

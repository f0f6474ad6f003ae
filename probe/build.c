/*
 * build.c: probe packets per protocol and family, written field by field
 * through a wire_writer into the caller's buffer.
 *
 * Two tables drive the builder: one per address family (IP header, the
 * ICMP flavour, the checksum pseudo-header) and one per transport protocol
 * (smallest header, spec checks, the transport writer, the wire identity).
 * Every checksum field is written as zero first and patched once the bytes
 * it covers are in place.
 */
#include "build.h"

#include <stdbool.h>
#include <string.h>

#include "checksum.h"
#include "wirebuf.h"

#define IPV4_HEADER_LEN		20
#define IPV6_HEADER_LEN		40
#define IPV4_VERSION_IHL	0x45	/* version 4, five 32-bit words */
#define IPV4_TOTAL_LEN_AT	2	/* offsets inside the IPv4 header */
#define IPV4_CHECKSUM_AT	10
#define IPV4_FLAG_DF		0x4000	/* in flags and fragment offset */

#define ICMP_HEADER_LEN		8
#define ICMP_CHECKSUM_AT	2
#define ICMP_ECHO_REQUEST	8
#define ICMP6_ECHO_REQUEST	128
/* A flow probe's first two payload bytes hold its ICMP checksum still. */
#define ICMP_STEER_LEN		2
#define ICMP_STEER_AT		8

#define UDP_HEADER_LEN		8
/* The first two payload bytes steer the UDP checksum to a chosen value. */
#define UDP_STEER_LEN		2
#define UDP_CHECKSUM_AT		6
#define UDP_STEER_AT		8

#define TCP_HEADER_LEN		20
#define TCP_CHECKSUM_AT		16
#define TCP_DATA_OFFSET		(5 << 4)	/* 5 words */
#define TCP_FLAG_SYN		0x02
#define TCP_WINDOW		65535

#define SCTP_COMMON_LEN		12
#define SCTP_CHECKSUM_AT	8
#define SCTP_INIT_LEN		20
#define SCTP_CHUNK_INIT		1
#define SCTP_INIT_RWND		65535
#define SCTP_INIT_STREAMS	1
#define SCTP_PARAM_HEADER_LEN	4
#define SCTP_PARAM_PADDING	0x8005	/* RFC 4820 section 3 */

/* Longest pseudo-header: the IPv6 one of RFC 8200 section 8.1. */
#define PSEUDO_HEADER_MAX	40

struct family_ops;

/* What every part of one build needs to know, worked out once. */
struct build_ctx {
	const struct probe_spec *spec;
	const struct family_ops *fam;
	const uint8_t *src;	/* spec->src bytes, or zeros when unset */
	const uint8_t *dst;
	size_t addr_len;
	size_t transport_len;	/* spec->size less the IP header */
	uint8_t ip_proto;
};

struct family_ops {
	uint8_t family;
	/* Counted in spec->size whether or not it is written here. */
	size_t ip_header_len;
	uint8_t ip_proto[PROTO_COUNT];
	uint8_t echo_request;
	/* ICMPv6 covers a pseudo-header (RFC 8200 8.1); ICMPv4 does not. */
	bool icmp_pseudo_header;
	/*
	 * The IP header, for families where the worker writes it: begin
	 * writes it with zero length and checksum, finish patches both once
	 * the transport is written.  NULL for IPv6, where the kernel does it.
	 */
	bool (*ip_begin)(const struct build_ctx *c, struct wire_writer *w);
	bool (*ip_finish)(struct wire_writer *w, size_t start);
	void (*pseudo_header)(const struct build_ctx *c, struct wire_writer *w,
			      size_t len);
};

struct proto_ops {
	size_t min_transport_len;
	size_t flow_extra_len;	/* more for a flow probe */
	/* Spec fields this protocol needs in range; NULL when any will do. */
	bool (*spec_ok)(const struct probe_spec *spec);
	bool (*write)(const struct build_ctx *c, struct wire_writer *w);
};

/* ---- address families ------------------------------------------------ */

static bool ipv4_begin(const struct build_ctx *c, struct wire_writer *w)
{
	const struct probe_spec *spec = c->spec;

	wire_write_u8(w, IPV4_VERSION_IHL);
	wire_write_u8(w, spec->tos);
	wire_write_u16(w, 0);		/* total length, patched */
	wire_write_u16(w, spec->ip_id);
	/*
	 * Flags and fragment offset: DF only when the client asked
	 * (dont-fragment, hopprobe(8)); otherwise routers may fragment.
	 */
	wire_write_u16(w, spec->dont_fragment ? IPV4_FLAG_DF : 0);
	wire_write_u8(w, spec->ttl);
	wire_write_u8(w, c->ip_proto);
	wire_write_u16(w, 0);		/* header checksum, patched */
	wire_write_bytes(w, c->src, c->addr_len);
	return wire_write_bytes(w, c->dst, c->addr_len);
}

/*
 * The total length is only known now, because an SCTP probe can come out
 * shorter than spec->size.  The header checksum must come after it.
 */
static bool ipv4_finish(struct wire_writer *w, size_t start)
{
	if (!wire_patch_u16(w, start + IPV4_TOTAL_LEN_AT,
			    (uint16_t)(w->pos - start)))
		return false;
	return wire_patch_u16(w, start + IPV4_CHECKSUM_AT,
			      inet_checksum(w->data + start,
					    IPV4_HEADER_LEN));
}

/* RFC 768 / RFC 793: source, destination, zero, protocol, length. */
static void ipv4_pseudo_header(const struct build_ctx *c,
			       struct wire_writer *w, size_t len)
{
	wire_write_bytes(w, c->src, c->addr_len);
	wire_write_bytes(w, c->dst, c->addr_len);
	wire_write_u8(w, 0);
	wire_write_u8(w, c->ip_proto);
	wire_write_u16(w, (uint16_t)len);
}

/* RFC 8200 8.1: source, destination, 32-bit length, 3 zeros, next header. */
static void ipv6_pseudo_header(const struct build_ctx *c,
			       struct wire_writer *w, size_t len)
{
	wire_write_bytes(w, c->src, c->addr_len);
	wire_write_bytes(w, c->dst, c->addr_len);
	wire_write_u32(w, (uint32_t)len);
	wire_write_fill(w, 0, 3);
	wire_write_u8(w, c->ip_proto);
}

static const struct family_ops families[] = {
	{
		.family = AF_INET,
		.ip_header_len = IPV4_HEADER_LEN,
		.ip_proto = {
			[PROTO_ICMP] = 1, [PROTO_UDP] = 17,
			[PROTO_TCP] = 6, [PROTO_SCTP] = 132,
		},
		.echo_request = ICMP_ECHO_REQUEST,
		.icmp_pseudo_header = false,
		.ip_begin = ipv4_begin,
		.ip_finish = ipv4_finish,
		.pseudo_header = ipv4_pseudo_header,
	},
	{
		.family = AF_INET6,
		.ip_header_len = IPV6_HEADER_LEN,
		.ip_proto = {
			[PROTO_ICMP] = 58, [PROTO_UDP] = 17,
			[PROTO_TCP] = 6, [PROTO_SCTP] = 132,
		},
		.echo_request = ICMP6_ECHO_REQUEST,
		.icmp_pseudo_header = true,
		.ip_begin = NULL,
		.ip_finish = NULL,
		.pseudo_header = ipv6_pseudo_header,
	},
};

static const struct family_ops *family_find(uint8_t family)
{
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (families[i].family == family)
			return &families[i];
	return NULL;
}

/* ---- checksum helpers ------------------------------------------------ */

/* One's-complement sum of the pseudo-header for a transport of len bytes. */
static uint32_t pseudo_sum(const struct build_ctx *c, size_t len)
{
	uint8_t buf[PSEUDO_HEADER_MAX];
	struct wire_writer pw;

	wire_writer_init(&pw, buf, sizeof(buf));
	c->fam->pseudo_header(c, &pw, len);
	return inet_sum_add(0, buf, pw.pos);
}

/* Add what has been written since start to a running sum. */
static uint32_t written_sum(const struct wire_writer *w, size_t start,
			    uint32_t sum)
{
	return inet_sum_add(sum, w->data + start, w->pos - start);
}

/*
 * The 16-bit word x for two steering bytes.  With those bytes zero the
 * data sums to s (folded); the checksum field then comes out as ~(s + x)
 * in one's-complement arithmetic.  For it to equal want, s + x = ~want,
 * so x = ~want - s = ~want + ~s.  A want of 0xffff would need the data
 * to fold to zero, which only all-zero data does (an echo request's type
 * and a UDP length are never zero); any other want is reached exactly
 * (the callers check it the way a receiver does).
 */
static uint16_t steer_word(uint32_t sum, uint16_t want)
{
	uint16_t not_s = inet_sum_finish(sum);	/* ~fold(sum) */
	uint32_t x = (uint32_t)(uint16_t)~want + not_s;

	return (uint16_t)~inet_sum_finish(x);	/* fold(x) */
}

/* Check the way a receiver does (RFC 1071): all ones with the field in. */
static bool sum_verifies(const struct wire_writer *w, size_t start,
			 uint32_t sum)
{
	return inet_sum_finish(written_sum(w, start, sum)) == 0;
}

/* ---- ICMP echo request ----------------------------------------------- */

/* 0xffff cannot be reached (steer_word): a flow checksum is below it. */
static bool icmp_spec_ok(const struct probe_spec *spec)
{
	return !spec->flow || spec->icmp_checksum != 0xffff;
}

/*
 * A flow probe's checksum is chosen, not computed: its first two payload
 * bytes make the message sum to it, so that routers hashing the first
 * word (type, code, checksum) see the same word whatever the sequence
 * number.  ICMPv6's checksum covers the source, which the kernel rewrites
 * it with: the caller must give the real one.
 */
static bool write_icmp(const struct build_ctx *c, struct wire_writer *w)
{
	const struct probe_spec *spec = c->spec;
	size_t start = w->pos;
	size_t steer = spec->flow ? ICMP_STEER_LEN : 0;
	uint32_t sum = 0;

	wire_write_u8(w, c->fam->echo_request);
	wire_write_u8(w, 0);		/* code */
	wire_write_u16(w, 0);		/* checksum, patched */
	wire_write_u16(w, spec->icmp_id);
	wire_write_u16(w, spec->icmp_seq);
	wire_write_fill(w, 0, steer);	/* steering bytes, patched */
	if (!wire_write_fill(w, spec->pattern,
			     c->transport_len - ICMP_HEADER_LEN - steer))
		return false;
	if (c->fam->icmp_pseudo_header)
		sum = pseudo_sum(c, c->transport_len);
	if (!spec->flow)
		return wire_patch_u16(w, start + ICMP_CHECKSUM_AT,
				      inet_sum_finish(written_sum(w, start,
								  sum)));
	if (!wire_patch_u16(w, start + ICMP_STEER_AT,
			    steer_word(written_sum(w, start, sum),
				       spec->icmp_checksum)) ||
	    !wire_patch_u16(w, start + ICMP_CHECKSUM_AT, spec->icmp_checksum))
		return false;
	return sum_verifies(w, start, sum);
}


/* ---- UDP ------------------------------------------------------------- */

/*
 * Zero means "no checksum" (RFC 768) and 0xffff is zero's other form in
 * one's complement: neither can be aimed at.
 */
static bool udp_spec_ok(const struct probe_spec *spec)
{
	return spec->udp_checksum != 0 && spec->udp_checksum != 0xffff;
}

static bool write_udp(const struct build_ctx *c, struct wire_writer *w)
{
	const struct probe_spec *spec = c->spec;
	size_t start = w->pos;
	uint32_t pseudo = pseudo_sum(c, c->transport_len);
	uint16_t steer;

	wire_write_u16(w, spec->sport);
	wire_write_u16(w, spec->dport);
	wire_write_u16(w, (uint16_t)c->transport_len);
	wire_write_u16(w, 0);		/* checksum, patched */
	wire_write_u16(w, 0);		/* steering bytes, patched */
	if (!wire_write_fill(w, spec->pattern, c->transport_len -
			     UDP_HEADER_LEN - UDP_STEER_LEN))
		return false;

	steer = steer_word(written_sum(w, start, pseudo), spec->udp_checksum);
	if (!wire_patch_u16(w, start + UDP_STEER_AT, steer) ||
	    !wire_patch_u16(w, start + UDP_CHECKSUM_AT, spec->udp_checksum))
		return false;

	/* The wire identity depends on this field: a wrong one never leaves. */
	return sum_verifies(w, start, pseudo);
}


/* ---- TCP SYN --------------------------------------------------------- */

static bool write_tcp(const struct build_ctx *c, struct wire_writer *w)
{
	const struct probe_spec *spec = c->spec;
	size_t start = w->pos;
	uint32_t sum;

	wire_write_u16(w, spec->sport);
	wire_write_u16(w, spec->dport);
	wire_write_u32(w, spec->tcp_seq);
	wire_write_u32(w, 0);		/* acknowledgment number */
	wire_write_u8(w, TCP_DATA_OFFSET);
	wire_write_u8(w, TCP_FLAG_SYN);
	wire_write_u16(w, TCP_WINDOW);
	wire_write_u16(w, 0);		/* checksum, patched */
	wire_write_u16(w, 0);		/* urgent pointer */
	if (!wire_write_fill(w, spec->pattern,
			     c->transport_len - TCP_HEADER_LEN))
		return false;
	sum = written_sum(w, start, pseudo_sum(c, c->transport_len));
	return wire_patch_u16(w, start + TCP_CHECKSUM_AT, inet_sum_finish(sum));
}


/* ---- SCTP INIT ------------------------------------------------------- */

/* RFC 4960 3.3.2: an initiate tag of zero is a protocol violation. */
static bool sctp_spec_ok(const struct probe_spec *spec)
{
	return spec->sctp_tag != 0;
}

/* SCTP stores its CRC32c least significant byte first (RFC 4960 B). */
static uint32_t sctp_crc_field(uint32_t crc)
{
	return (crc & 0xff) << 24 | (crc & 0xff00) << 8 |
	       (crc >> 8 & 0xff00) | crc >> 24;
}

/*
 * One INIT chunk and nothing else.  Chunk parameters come in whole 4-byte
 * units, so the size is made up with one RFC 4820 Padding parameter, and
 * only when 4 or more bytes are left over: the packet may come out up to
 * 3 bytes short of the size asked for.  Padding is of type 0x8005, whose
 * top bits tell a receiver that does not know it to skip it silently.
 */
static bool write_sctp(const struct build_ctx *c, struct wire_writer *w)
{
	const struct probe_spec *spec = c->spec;
	size_t start = w->pos;
	size_t extra = c->transport_len - SCTP_COMMON_LEN - SCTP_INIT_LEN;
	size_t padding = extra & ~(size_t)3;

	wire_write_u16(w, spec->sport);
	wire_write_u16(w, spec->dport);
	wire_write_u32(w, 0);		/* verification tag: 0 for INIT */
	wire_write_u32(w, 0);		/* checksum, patched */

	wire_write_u8(w, SCTP_CHUNK_INIT);
	wire_write_u8(w, 0);		/* chunk flags */
	wire_write_u16(w, (uint16_t)(SCTP_INIT_LEN + padding));
	wire_write_u32(w, spec->sctp_tag);
	wire_write_u32(w, SCTP_INIT_RWND);
	wire_write_u16(w, SCTP_INIT_STREAMS);	/* outbound */
	wire_write_u16(w, SCTP_INIT_STREAMS);	/* inbound */
	wire_write_u32(w, spec->sctp_tag);	/* initial TSN */
	if (padding) {
		wire_write_u16(w, SCTP_PARAM_PADDING);
		wire_write_u16(w, (uint16_t)padding);
		wire_write_fill(w, spec->pattern,
				padding - SCTP_PARAM_HEADER_LEN);
	}
	if (w->error)
		return false;
	return wire_patch_u32(w, start + SCTP_CHECKSUM_AT,
			      sctp_crc_field(crc32c(0, w->data + start,
						    w->pos - start)));
}


static const struct proto_ops protos[PROTO_COUNT] = {
	[PROTO_ICMP] = {
		.min_transport_len = ICMP_HEADER_LEN,
		.flow_extra_len = ICMP_STEER_LEN,
		.spec_ok = icmp_spec_ok,
		.write = write_icmp,
	},
	[PROTO_UDP] = {
		.min_transport_len = UDP_HEADER_LEN + UDP_STEER_LEN,
		.spec_ok = udp_spec_ok,
		.write = write_udp,
	},
	[PROTO_TCP] = {
		.min_transport_len = TCP_HEADER_LEN,
		.spec_ok = NULL,
		.write = write_tcp,
	},
	[PROTO_SCTP] = {
		.min_transport_len = SCTP_COMMON_LEN + SCTP_INIT_LEN,
		.spec_ok = sctp_spec_ok,
		.write = write_sctp,
	},
};

static const struct proto_ops *proto_find(enum probe_proto proto)
{
	/* The cast also turns a negative value into a huge one. */
	if ((unsigned int)proto >= PROTO_COUNT)
		return NULL;
	return &protos[proto];
}

/* ---- entry points ---------------------------------------------------- */

size_t probe_min_size(uint8_t family, enum probe_proto proto)
{
	const struct family_ops *fam = family_find(family);
	const struct proto_ops *ops = proto_find(proto);

	if (!fam || !ops)
		return 0;
	return fam->ip_header_len + ops->min_transport_len;
}

size_t probe_spec_min_size(const struct probe_spec *spec)
{
	const struct family_ops *fam = family_find(spec->dst.family);
	const struct proto_ops *ops = proto_find(spec->proto);

	if (!fam || !ops)
		return 0;
	return fam->ip_header_len + ops->min_transport_len +
	       (spec->flow ? ops->flow_extra_len : 0);
}

size_t probe_build(const struct probe_spec *spec, uint8_t *buf, size_t cap)
{
	static const uint8_t no_addr[16];
	const struct family_ops *fam;
	const struct proto_ops *ops;
	struct build_ctx c;
	struct wire_writer w;
	size_t size, min;

	fam = family_find(spec->dst.family);
	ops = proto_find(spec->proto);
	if (!fam || !ops)
		return 0;
	if (spec->src.family != 0 && spec->src.family != spec->dst.family)
		return 0;
	if (ops->spec_ok && !ops->spec_ok(spec))
		return 0;

	min = probe_spec_min_size(spec);
	size = spec->size < min ? min : spec->size;
	if (size > PROBE_MAX_SIZE)
		return 0;

	c.spec = spec;
	c.fam = fam;
	c.src = spec->src.family ? spec->src.bytes : no_addr;
	c.dst = spec->dst.bytes;
	c.addr_len = net_addr_len(fam->family);
	c.transport_len = size - fam->ip_header_len;
	c.ip_proto = fam->ip_proto[spec->proto];

	/* Too small a buffer shows up as a failed write, before any patch. */
	wire_writer_init(&w, buf, cap);
	if (fam->ip_begin && !fam->ip_begin(&c, &w))
		return 0;
	if (!ops->write(&c, &w))
		return 0;
	if (fam->ip_finish && !fam->ip_finish(&w, 0))
		return 0;
	return w.error ? 0 : w.pos;
}

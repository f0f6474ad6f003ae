/*
 * fuzz_roundtrip.c: build a probe, quote it in an ICMP time exceeded the
 * way a router would, decode the error, and check that the decoder names
 * exactly that probe.  This finds wrong matches, not only crashes:
 *
 *   1. The error decodes to KIND_TTL_EXPIRED from the router, with the key
 *      probe_spec_key() gives for the probe, when the quote holds the
 *      probe's identity; when it is cut shorter than that, it is rejected.
 *   2. Changing one byte of the quote that is part of the probe's identity
 *      makes the decoder reject the error or name another key.
 *   3. Changing one byte of the quote that is not part of it (routers and
 *      middleboxes rewrite some of those) still names the probe.
 *   4. IPv4: a quote whose fragment offset is not 0 is rejected.
 *
 * The input is read in order (missing bytes read as 0): a control byte
 * (family, protocol, how much the router quotes, whether the probe is one
 * of a flow), the probe's fields (addresses within the documentation
 * ranges, ttl, tos, size, pattern and the identity fields the engine
 * sets; for a flow probe, its flow number last), then the mutations'
 * positions and values.  A flow probe is made as the engine makes it
 * (wire_flow_apply): its ICMP checksum and source port chosen, its IPv6
 * flow label set; it must match exactly as any other probe does.
 *
 * What the identity is (decode.c, netaddr.h): the family; the quoted IP
 * header's protocol and destination; the transport bytes that carry the
 * worker's identifiers: ICMP echo type, identifier and sequence; UDP ports
 * and checksum; TCP ports and sequence number; SCTP ports, first chunk
 * type and initiate tag.  Not part of it, and so free to change: the IP
 * header's TOS or traffic class, flow label, lengths, identification,
 * flags, TTL or hop limit, checksum and source (NAT rewrites the source,
 * and the worker's probe table is its own, so the key does not carry it);
 * the ICMP code and checksum, UDP length, SCTP verification tag, checksum,
 * chunk flags and length, and anything after the identifying bytes.  Left
 * out of both lists: the IPv4 version and header length and the IPv6
 * version, which decide where the transport header is read rather than
 * what it says, and the fragment offset, checked on its own (4).
 *
 * The ICMP wrapping is written here from RFC 792 and RFC 4443: an IPv4
 * header and ICMP type 11 code 0 for IPv4; for IPv6 the ICMPv6 message
 * alone (type 3 code 0), as a raw socket delivers it, with the quoted IPv6
 * header written here too, since the kernel writes it for the probe.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "build.h"
#include "checksum.h"
#include "decode.h"
#include "fuzz.h"
#include "wirebuf.h"

#define IPV4_HEADER	20
#define IPV6_HEADER	40
#define ICMP_HEADER	8
/* RFC 1812 4.3.2.3 and RFC 4443 2.4 (c): the largest error a router sends. */
#define ICMP4_MAX_ERROR	576
#define ICMP6_MAX_ERROR	1280
/* Sizes beyond this add nothing but time: the quote is cut at 1232 bytes. */
#define FUZZ_MAX_SIZE	1600

/* The fuzz input, read in order; past its end every read gives 0. */
static uint8_t take8(struct wire_reader *in)
{
	uint8_t v = 0;

	(void)wire_read_u8(in, &v);
	return v;
}

static uint16_t take16(struct wire_reader *in)
{
	uint16_t v = 0;

	(void)wire_read_u16(in, &v);
	return v;
}

static uint32_t take32(struct wire_reader *in)
{
	uint32_t v = 0;

	(void)wire_read_u32(in, &v);
	return v;
}

/* An address in 192.0.2.0/24, 198.51.100.0/24 or 2001:db8:<net>::/48. */
static void doc_addr(struct net_addr *a, uint8_t family, int net,
		     struct wire_reader *in)
{
	static const uint8_t v4[3][3] = {
		{ 192, 0, 2 }, { 198, 51, 100 }, { 203, 0, 113 }
	};

	memset(a, 0, sizeof(*a));
	a->family = family;
	if (family == AF_INET) {
		memcpy(a->bytes, v4[net], 3);
		a->bytes[3] = take8(in);
		return;
	}
	a->bytes[0] = 0x20;
	a->bytes[1] = 0x01;
	a->bytes[2] = 0x0d;
	a->bytes[3] = 0xb8;
	a->bytes[5] = (uint8_t)net;
	a->bytes[14] = take8(in);
	a->bytes[15] = take8(in);
}

/*
 * The identity fields as the engine sets them: a UDP checksum in
 * 1..0xfffe, the low 16 bits of the TCP sequence zero (engine.c), a
 * non-zero SCTP initiate tag (RFC 9260 3.3.2).
 */
static void read_spec(struct wire_reader *in, uint8_t family,
		      enum probe_proto proto, struct probe_spec *s)
{
	uint32_t v;

	memset(s, 0, sizeof(*s));
	s->proto = proto;
	doc_addr(&s->src, family, 0, in);
	doc_addr(&s->dst, family, 1, in);
	s->ttl = take8(in);
	if (s->ttl == 0)
		s->ttl = 1;
	s->tos = take8(in);
	s->size = (uint16_t)(take16(in) % FUZZ_MAX_SIZE);
	s->pattern = take8(in);
	s->ip_id = take16(in);
	s->icmp_id = take16(in);
	s->icmp_seq = take16(in);
	s->sport = take16(in);
	s->dport = take16(in);
	s->udp_checksum = (uint16_t)(1 + take16(in) % 0xfffe);
	s->tcp_seq = take32(in) & 0xffff0000u;
	v = take32(in);
	s->sctp_tag = v ? v : 1;
}

/* A probe of a flow: the flow's fields, then the identity ones again. */
static void read_flow(struct wire_reader *in, struct probe_spec *s)
{
	struct probe_spec id = *s;

	s->sport = 0;
	wire_flow_apply(s, take16(in));
	s->icmp_seq = id.icmp_seq;
	s->udp_checksum = id.udp_checksum;
	s->tcp_seq = id.tcp_seq;
	s->sctp_tag = id.sctp_tag;
	if (s->proto == PROTO_UDP)
		s->dport = WIRE_UDP_BASE_PORT;
}

static const uint8_t ip_proto[PROTO_COUNT] = {
	[PROTO_UDP] = IPPROTO_UDP,
	[PROTO_TCP] = IPPROTO_TCP,
	[PROTO_SCTP] = IPPROTO_SCTP,
};

/*
 * The datagram as the router saw it: IPv4 as built; IPv6 with the header
 * the kernel would have put in front (RFC 8200 section 3).
 */
static size_t as_sent(const struct probe_spec *s, const uint8_t *probe,
		      size_t len, uint8_t *out, size_t cap)
{
	struct wire_writer w;
	uint8_t next = s->proto == PROTO_ICMP ? IPPROTO_ICMPV6
					      : ip_proto[s->proto];

	wire_writer_init(&w, out, cap);
	if (s->dst.family == AF_INET) {
		wire_write_bytes(&w, probe, len);
		return w.error ? 0 : w.pos;
	}
	wire_write_u32(&w, 6u << 28 | (uint32_t)s->tos << 20 | s->flow_label);
	wire_write_u16(&w, (uint16_t)len);
	wire_write_u8(&w, next);
	wire_write_u8(&w, s->ttl);
	wire_write_bytes(&w, s->src.bytes, 16);
	wire_write_bytes(&w, s->dst.bytes, 16);
	wire_write_bytes(&w, probe, len);
	return w.error ? 0 : w.pos;
}

/*
 * The time exceeded the router sends back to the probe's source, quoting
 * the first qlen bytes of the datagram.  IPv4 (RFC 792): the whole packet
 * from the IP header on.  IPv6 (RFC 4443 section 3.3): from the ICMPv6
 * header on, its checksum over the pseudo-header of RFC 8200 section 8.1.
 */
static size_t wrap(const struct probe_spec *s, const struct net_addr *router,
		   const uint8_t *quote, size_t qlen, uint8_t *out, size_t cap)
{
	struct wire_writer w;
	size_t icmp_at = 0;
	uint32_t sum;

	wire_writer_init(&w, out, cap);
	if (s->dst.family == AF_INET) {
		wire_write_u8(&w, 0x45);
		wire_write_u8(&w, 0xc0);	/* internetwork control */
		wire_write_u16(&w, (uint16_t)(IPV4_HEADER + ICMP_HEADER +
					      qlen));
		wire_write_u16(&w, 0);
		wire_write_u16(&w, 0);
		wire_write_u8(&w, 64);
		wire_write_u8(&w, IPPROTO_ICMP);
		wire_write_u16(&w, 0);
		wire_write_bytes(&w, router->bytes, 4);
		wire_write_bytes(&w, s->src.bytes, 4);
		icmp_at = w.pos;
	}
	wire_write_u8(&w, s->dst.family == AF_INET ? 11 : 3);
	wire_write_u8(&w, 0);
	wire_write_u16(&w, 0);
	wire_write_u32(&w, 0);
	wire_write_bytes(&w, quote, qlen);
	if (w.error)
		return 0;
	if (s->dst.family == AF_INET) {
		wire_patch_u16(&w, 10, inet_checksum(out, IPV4_HEADER));
		wire_patch_u16(&w, icmp_at + 2,
			       inet_checksum(out + icmp_at, w.pos - icmp_at));
	} else {
		uint8_t pseudo[40];
		struct wire_writer p;

		wire_writer_init(&p, pseudo, sizeof(pseudo));
		wire_write_bytes(&p, router->bytes, 16);
		wire_write_bytes(&p, s->src.bytes, 16);
		wire_write_u32(&p, (uint32_t)w.pos);
		wire_write_u32(&p, IPPROTO_ICMPV6);
		sum = inet_sum_add(0, pseudo, sizeof(pseudo));
		sum = inet_sum_add(sum, out, w.pos);
		wire_patch_u16(&w, 2, inet_sum_finish(sum));
	}
	return w.pos;
}

static bool decode(const struct probe_spec *s, const struct net_addr *router,
		   const uint8_t *pkt, size_t len, struct decoded *d)
{
	if (s->dst.family == AF_INET)
		return decode_ipv4(pkt, len, d);
	return decode_ipv6(PROTO_ICMP, router->bytes, pkt, len, d);
}

static bool same_key(const struct probe_key *a, const struct probe_key *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       memcmp(a->dst, b->dst, sizeof(a->dst)) == 0 &&
	       a->wire_id == b->wire_id;
}

/* Offsets of bytes in the quote; ranges [from, to). */
struct span {
	size_t from, to;
};

#define MAX_SPANS 8

struct spans {
	struct span s[MAX_SPANS];
	size_t count;
};

static void add(struct spans *l, size_t from, size_t to)
{
	if (l->count < MAX_SPANS) {
		l->s[l->count].from = from;
		l->s[l->count].to = to;
		l->count++;
	}
}

/* The k-th byte (mod their number) of the spans that lie within qlen. */
static bool pick(const struct spans *l, size_t qlen, size_t k, size_t *at)
{
	size_t i, n = 0, total = 0;

	for (i = 0; i < l->count; i++)
		if (l->s[i].to <= qlen)
			total += l->s[i].to - l->s[i].from;
	if (total == 0)
		return false;
	k %= total;
	for (i = 0; i < l->count; i++) {
		if (l->s[i].to > qlen)
			continue;
		n = l->s[i].to - l->s[i].from;
		if (k < n) {
			*at = l->s[i].from + k;
			return true;
		}
		k -= n;
	}
	return false;
}

/* The identifying bytes of the quote, and the ones free to change. */
static void classify(const struct probe_spec *s, struct spans *id,
		     struct spans *free_bytes)
{
	size_t t;

	memset(id, 0, sizeof(*id));
	memset(free_bytes, 0, sizeof(*free_bytes));
	if (s->dst.family == AF_INET) {
		t = IPV4_HEADER;
		add(id, 9, 10);			/* protocol */
		add(id, 16, 20);		/* destination */
		add(free_bytes, 1, 6);		/* TOS, length, id */
		add(free_bytes, 8, 9);		/* TTL */
		add(free_bytes, 10, 16);	/* checksum, source */
	} else {
		t = IPV6_HEADER;
		add(id, 6, 7);			/* next header */
		add(id, 24, 40);		/* destination */
		add(free_bytes, 1, 6);		/* class, flow, length */
		add(free_bytes, 7, 24);		/* hop limit, source */
	}
	switch (s->proto) {
	case PROTO_ICMP:
		add(id, t, t + 1);		/* type: echo request */
		add(id, t + 4, t + 8);		/* identifier, sequence */
		add(free_bytes, t + 1, t + 4);	/* code, checksum */
		break;
	case PROTO_UDP:
		add(id, t, t + 4);		/* ports */
		add(id, t + 6, t + 8);		/* checksum */
		add(free_bytes, t + 4, t + 6);	/* length */
		break;
	case PROTO_TCP:
		add(id, t, t + 8);		/* ports, sequence */
		add(free_bytes, t + 8, t + 20);	/* ack, offset, flags... */
		break;
	default:
		add(id, t, t + 4);		/* ports */
		add(id, t + 12, t + 13);	/* chunk type: INIT */
		add(id, t + 16, t + 20);	/* initiate tag */
		add(free_bytes, t + 4, t + 12);	/* vtag, checksum */
		add(free_bytes, t + 13, t + 16);	/* flags, length */
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t probe[PROBE_MAX_SIZE], sent[PROBE_MAX_SIZE + 40],
		pkt[ICMP6_MAX_ERROR + 64], quote[ICMP6_MAX_ERROR];
	struct wire_reader in;
	struct probe_spec spec;
	struct probe_key want;
	struct net_addr router;
	struct spans id, free_bytes;
	struct decoded d;
	uint8_t control, family, flip;
	uint16_t cut;
	enum probe_proto proto;
	size_t len, whole, hdr, need, qlen, cap, n, at, k;
	bool ok;

	wire_reader_init(&in, data, size);
	control = take8(&in);
	family = control & 1 ? AF_INET6 : AF_INET;
	proto = (enum probe_proto)((control >> 1) & 3);
	read_spec(&in, family, proto, &spec);
	if (control & 0x20)
		read_flow(&in, &spec);
	doc_addr(&router, family, 2, &in);

	len = probe_build(&spec, probe, sizeof(probe));
	if (len == 0)
		return 0;
	whole = as_sent(&spec, probe, len, sent, sizeof(sent));
	if (whole == 0)
		abort();
	hdr = family == AF_INET ? IPV4_HEADER : IPV6_HEADER;
	/* What the decoder must see of the transport header: decode.c. */
	need = hdr + (proto == PROTO_SCTP ? 20 : 8);
	cap = (family == AF_INET ? ICMP4_MAX_ERROR - IPV4_HEADER
				 : ICMP6_MAX_ERROR - IPV6_HEADER) - ICMP_HEADER;
	/* How much the router quotes (the length is read in any case). */
	cut = take16(&in);
	switch ((control >> 3) & 3) {
	case 0:			/* RFC 792: the header and 64 bits */
		qlen = hdr + 8;
		break;
	case 1:			/* as much as fits (RFC 1812, RFC 4443) */
		qlen = cap;
		break;
	default:		/* anything up to that */
		qlen = cut % (cap + 1);
		break;
	}
	if (qlen > whole)
		qlen = whole;
	memcpy(quote, sent, qlen);

	probe_spec_key(&spec, &want);
	n = wrap(&spec, &router, quote, qlen, pkt, sizeof(pkt));
	if (n == 0)
		abort();
	ok = decode(&spec, &router, pkt, n, &d);
	/* 1: a quote holding the identity names the probe; a shorter not. */
	if (qlen < need) {
		if (ok)
			abort();
		return 0;
	}
	if (!ok || d.kind != KIND_TTL_EXPIRED ||
	    d.responder.family != family ||
	    memcmp(d.responder.bytes, router.bytes, 16) != 0 ||
	    !same_key(&d.key, &want) || d.mpls.count != 0)
		abort();

	classify(&spec, &id, &free_bytes);
	/* 2: one identifying byte changed: rejected, or another key. */
	k = take16(&in);
	flip = take8(&in);
	if (pick(&id, qlen, k, &at)) {
		quote[at] ^= flip ? flip : 0x01;
		n = wrap(&spec, &router, quote, qlen, pkt, sizeof(pkt));
		if (decode(&spec, &router, pkt, n, &d) &&
		    same_key(&d.key, &want))
			abort();
		memcpy(quote, sent, qlen);
	}
	/* 3: one byte outside the identity changed: still the probe. */
	k = take16(&in);
	flip = take8(&in);
	if (pick(&free_bytes, qlen, k, &at)) {
		quote[at] ^= flip ? flip : 0x01;
		n = wrap(&spec, &router, quote, qlen, pkt, sizeof(pkt));
		if (!decode(&spec, &router, pkt, n, &d) ||
		    d.kind != KIND_TTL_EXPIRED || !same_key(&d.key, &want))
			abort();
		memcpy(quote, sent, qlen);
	}
	/* 4: a later fragment's quote (offset 1 to 8191) never matches. */
	if (family == AF_INET) {
		uint16_t offset = (uint16_t)(1 + take16(&in) % 0x1fff);

		quote[6] = (uint8_t)((quote[6] & 0xe0) | offset >> 8);
		quote[7] = (uint8_t)offset;
		n = wrap(&spec, &router, quote, qlen, pkt, sizeof(pkt));
		if (decode(&spec, &router, pkt, n, &d))
			abort();
	}
	return 0;
}

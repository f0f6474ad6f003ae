/*
 * fuzz_decode.c: the reply decoders, one libFuzzer target per decoder,
 * chosen at compile time by FUZZ_TARGET:
 *   1 decode_ipv4 (the input is an IPv4 datagram)
 *   2 decode_ipv6 (first byte: the socket's protocol; then the datagram)
 *   3 icmp_ext_parse_mpls, icmp_ext_parse_ifinfo and icmp_ext_locate (an
 *     extension structure)
 *   4 errqueue_decode (first byte: the family; then the control message)
 *   5 txstamp_parse (an error-queue message's whole control data)
 * Besides crashes, each target checks that what it decoded is consistent:
 * a known kind, a responder and key of the right family, at most
 * MPLS_MAX_LABELS labels with in-range fields, an MTU only with a too-big
 * error, and reply details that claim only fields an answer of that kind
 * can have, with an interface name that is safe to print.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "errqueue.h"
#include "fuzz.h"
#include "icmp_ext.h"
#include "icmp_ifinfo.h"
#include "txstamp.h"

#ifndef FUZZ_TARGET
#error "define FUZZ_TARGET: 1 ipv4, 2 ipv6, 3 icmp_ext, 4 errqueue, 5 txstamp"
#endif

static void check_mpls(const struct mpls_stack *st)
{
	unsigned i;

	if (st->count > MPLS_MAX_LABELS)
		abort();
	for (i = 0; i < st->count; i++)
		if (st->labels[i].label > 0xfffff ||
		    st->labels[i].traffic_class > 7 ||
		    st->labels[i].bottom_of_stack > 1)
			abort();
}

/* What an interface information object can give (icmp_ifinfo.h). */
static void check_ifinfo(const struct icmp_ifinfo *f)
{
	const char *end, *c;

	if (f->have & ~(unsigned)(IFINFO_INDEX | IFINFO_ADDR | IFINFO_NAME |
				  IFINFO_MTU) || f->role > 3)
		abort();
	if ((f->have & IFINFO_ADDR) && f->addr.family != AF_INET &&
	    f->addr.family != AF_INET6)
		abort();
	if (!(f->have & IFINFO_NAME))
		return;
	end = memchr(f->name, '\0', sizeof(f->name));
	if (!end || end == f->name)
		abort();
	for (c = f->name; c < end; c++)
		if (*c <= ' ' || *c > '~')
			abort();
}

/*
 * Only an ICMP message has a type, a quote and extensions; a TCP or SCTP
 * answer carries nothing but its TTL.
 */
static void check_details(const struct decoded *d)
{
	const struct reply_details *r = &d->details;

	if (r->have & ~(unsigned)(DETAIL_ICMP | DETAIL_REPLY_TTL |
				  DETAIL_QUOTED | DETAIL_NEXT_HOP_MTU))
		abort();
	if (!(r->have & DETAIL_ICMP) &&
	    (r->have & (DETAIL_QUOTED | DETAIL_NEXT_HOP_MTU) ||
	     r->ifinfo.have || d->mpls.count))
		abort();
	if ((r->have & DETAIL_NEXT_HOP_MTU) && r->next_hop_mtu == 0)
		abort();
	check_ifinfo(&r->ifinfo);
}

static void check(bool ok, const struct decoded *d, uint8_t family)
{
	if (!ok) {
		if (d->kind != KIND_NONE)
			abort();
		return;
	}
	if (d->kind < KIND_REPLY || d->kind > KIND_PACKET_TOO_BIG ||
	    d->responder.family != family || d->key.family != family ||
	    d->key.proto >= PROTO_COUNT)
		abort();
	/* Only a too-big error gives an MTU; IPv4's has 16 bits. */
	if (d->kind != KIND_PACKET_TOO_BIG && d->next_hop_mtu != 0)
		abort();
	if (family == AF_INET && d->next_hop_mtu > 0xffff)
		abort();
	check_mpls(&d->mpls);
	check_details(d);
}

/* Exact-size heap copies let AddressSanitizer see any over-read. */
static uint8_t *copy_of(const uint8_t *data, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);

	if (copy && n)
		memcpy(copy, data, n);
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decoded d;
	uint8_t *copy;

#if FUZZ_TARGET == 1
	copy = copy_of(data, size);
	if (!copy)
		return 0;
	check(decode_ipv4(copy, size, &d), &d, AF_INET);
#elif FUZZ_TARGET == 2
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	if (size < 1)
		return 0;
	copy = copy_of(data + 1, size - 1);
	if (!copy)
		return 0;
	check(decode_ipv6((enum probe_proto)(data[0] % PROTO_COUNT), src, copy,
			  size - 1, &d), &d, AF_INET6);
#elif FUZZ_TARGET == 3
	struct mpls_stack st;
	struct icmp_ifinfo ifi;
	size_t off;

	(void)d;
	copy = copy_of(data, size);
	if (!copy)
		return 0;
	if (!icmp_ext_parse_mpls(copy, size, &st) && st.count != 0)
		abort();
	check_mpls(&st);
	if (icmp_ext_parse_ifinfo(copy, size, &ifi) != (ifi.have != 0))
		abort();
	check_ifinfo(&ifi);
	if (size > 0 && icmp_ext_locate(size, data[0] * 4u, &off) &&
	    off > size)
		abort();
#elif FUZZ_TARGET == 4
	struct errqueue_result er;

	(void)d;
	if (size < 1)
		return 0;
	copy = copy_of(data + 1, size - 1);
	if (!copy)
		return 0;
	if (errqueue_decode(data[0] & 1 ? AF_INET6 : AF_INET, copy, size - 1,
			    &er) && er.kind > KIND_NO_ROUTE_HOST)
		abort();
#elif FUZZ_TARGET == 5
	struct txstamp ts;

	(void)d;
	copy = copy_of(data, size);
	if (!copy)
		return 0;
	/* A stamp is a valid time, never zero. */
	if (txstamp_parse(copy, size, &ts) &&
	    (ts.when.tv_nsec < 0 || ts.when.tv_nsec >= 1000000000L ||
	     (ts.when.tv_sec == 0 && ts.when.tv_nsec == 0)))
		abort();
#endif
	free(copy);
	return 0;
}

/*
 * fuzz_dgram.c: what an unprivileged probe's socket hands the worker
 * (dgram_parse.h).  The first byte chooses the family (bit 0), the
 * protocol (bits 1-2), who sent the datagram (bits 3-4: the destination,
 * a router, the destination's address in the other family, nobody) and
 * whether the rest is a datagram or an error-queue payload (bit 5); the
 * next two bytes are the probe's sequence number.
 *
 * Besides crashes, it checks the promises of dgram_parse.h against its
 * own reading of the bytes: an answer comes from the destination, is
 * never a TCP or SCTP datagram, and for ICMP is an echo reply of the
 * family with code 0 and the probe's sequence number; an error that says
 * the destination answered names the destination or nobody; a rejected
 * input leaves the event untouched.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dgram_parse.h"
#include "fuzz.h"

static const uint8_t dst4[4] = { 198, 51, 100, 7 };
static const uint8_t router4[4] = { 203, 0, 113, 1 };
static const uint8_t dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 7 };
static const uint8_t router6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 3, [15] = 1 };

static void set_addr(struct net_addr *a, uint8_t family, const uint8_t *v4,
		     const uint8_t *v6)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->bytes, family == AF_INET ? v4 : v6, net_addr_len(family));
}

static bool same(const struct net_addr *a, const struct net_addr *b)
{
	return a->family == b->family &&
	       memcmp(a->bytes, b->bytes, net_addr_len(a->family)) == 0;
}

static void check_answer(const struct probe_spec *spec,
			 const struct net_addr *from, const uint8_t *p,
			 size_t n)
{
	struct dgram_event ev, before;

	memset(&ev, 0x5a, sizeof(ev));
	before = ev;
	if (!dgram_parse_answer(spec, from, p, n, &ev)) {
		if (memcmp(&ev, &before, sizeof(ev)) != 0)
			abort();
		return;
	}
	if (ev.kind != KIND_REPLY || ev.err != 0 ||
	    !same(&ev.responder, &spec->dst) || !same(from, &spec->dst))
		abort();
	if (spec->proto == PROTO_TCP || spec->proto == PROTO_SCTP)
		abort();
	if (spec->proto == PROTO_ICMP &&
	    (n < 8 || p[0] != (spec->dst.family == AF_INET ? 0 : 129) ||
	     p[1] != 0 || p[6] != spec->icmp_seq >> 8 ||
	     p[7] != (spec->icmp_seq & 0xff)))
		abort();
}

static void check_error(const struct probe_spec *spec, const uint8_t *p,
			size_t n)
{
	struct dgram_event ev, before;

	memset(&ev, 0x5a, sizeof(ev));
	before = ev;
	if (!dgram_parse_error(spec, p, n, &ev)) {
		if (memcmp(&ev, &before, sizeof(ev)) != 0)
			abort();
		return;
	}
	if (ev.kind > KIND_NO_ROUTE_HOST ||
	    (ev.responder.family != 0 &&
	     ev.responder.family != spec->dst.family))
		abort();
	if (ev.kind == KIND_REPLY && ev.responder.family != 0 &&
	    !same(&ev.responder, &spec->dst))
		abort();
	if (ev.kind == KIND_NONE && ev.err == 0)
		abort();
	if (ev.kind != KIND_NONE && ev.err != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_spec spec;
	struct net_addr from;
	uint8_t family, *copy;
	size_t n;

	if (size < 3)
		return 0;
	family = data[0] & 1 ? AF_INET6 : AF_INET;
	memset(&spec, 0, sizeof(spec));
	spec.proto = (enum probe_proto)((data[0] >> 1) & 3);
	set_addr(&spec.dst, family, dst4, dst6);
	spec.icmp_seq = (uint16_t)(data[1] << 8 | data[2]);
	switch ((data[0] >> 3) & 3) {
	case 0:
		from = spec.dst;
		break;
	case 1:
		set_addr(&from, family, router4, router6);
		break;
	case 2:
		set_addr(&from, family == AF_INET ? AF_INET6 : AF_INET, dst4,
			 dst6);
		break;
	default:
		memset(&from, 0, sizeof(from));
		break;
	}
	/* An exact-size heap copy lets AddressSanitizer see any over-read. */
	n = size - 3;
	copy = malloc(n ? n : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 3, n);
	if (data[0] & 0x20)
		check_error(&spec, copy, n);
	else
		check_answer(&spec, &from, copy, n);
	free(copy);
	return 0;
}

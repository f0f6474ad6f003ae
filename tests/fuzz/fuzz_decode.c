/*
 * fuzz_decode.c: both reply decoders and the ICMP extension parser.  The
 * first input byte picks the decoder (and, for IPv6, the socket protocol);
 * the rest is the datagram (selector 7: an error-queue control message).  A decoded reply must be self-consistent: a
 * known kind, a responder and key of the right family, at most
 * MPLS_MAX_LABELS labels with 20-bit label values.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "errqueue.h"
#include "fuzz.h"
#include "icmp_ext.h"

static void check(bool ok, const struct decoded *d, uint8_t family)
{
	unsigned i;

	if (!ok) {
		if (d->kind != KIND_NONE)
			abort();
		return;
	}
	if (d->kind < KIND_REPLY || d->kind > KIND_NO_ROUTE_HOST ||
	    d->responder.family != family || d->key.family != family ||
	    d->key.proto >= PROTO_COUNT || d->mpls.count > MPLS_MAX_LABELS)
		abort();
	for (i = 0; i < d->mpls.count; i++)
		if (d->mpls.labels[i].label > 0xfffff ||
		    d->mpls.labels[i].traffic_class > 7 ||
		    d->mpls.labels[i].bottom_of_stack > 1)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct decoded d;
	struct mpls_stack st;
	uint8_t *copy;
	size_t n, off;

	if (size < 1)
		return 0;
	n = size - 1;
	copy = malloc(n ? n : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, n);
	switch (data[0] & 7) {
	case 0:
	case 1:
		check(decode_ipv4(copy, n, &d), &d, AF_INET);
		break;
	case 2:
		check(decode_ipv6(PROTO_ICMP, src, copy, n, &d), &d, AF_INET6);
		break;
	case 3:
		check(decode_ipv6(PROTO_TCP, src, copy, n, &d), &d, AF_INET6);
		break;
	case 4:
		check(decode_ipv6(PROTO_SCTP, src, copy, n, &d), &d, AF_INET6);
		break;
	case 5:
		check(decode_ipv6(PROTO_UDP, src, copy, n, &d), &d, AF_INET6);
		break;
	case 7: {
		struct errqueue_result er;

		if (errqueue_decode(data[0] & 8 ? AF_INET6 : AF_INET, copy, n,
				    &er) && er.kind > KIND_NO_ROUTE_HOST)
			abort();
		break;
	}
	default:
		if (!icmp_ext_parse_mpls(copy, n, &st) && st.count != 0)
			abort();
		if (st.count > MPLS_MAX_LABELS)
			abort();
		if (icmp_ext_locate(n, data[0] * 4u, &off) && off > n)
			abort();
		break;
	}
	free(copy);
	return 0;
}

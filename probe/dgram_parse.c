/*
 * dgram_parse.c: answers and errors read from an unprivileged probe's own
 * socket -> struct dgram_event.  Every byte of a datagram is read through
 * a wire_reader.
 */
#include "dgram_parse.h"

#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "errqueue.h"
#include "too_big.h"
#include "wirebuf.h"

#define ICMP4_ECHO_REPLY	0
#define ICMP6_ECHO_REPLY	129

static bool same_addr(const struct net_addr *a, const struct net_addr *b)
{
	return a->family == b->family &&
	       memcmp(a->bytes, b->bytes, net_addr_len(a->family)) == 0;
}

/*
 * What a ping socket delivers: the ICMP or ICMPv6 message without the IP
 * header (RFC 792, RFC 4443 section 4.2): type, code, checksum, identifier,
 * sequence number, data.
 */
static bool echo_reply_matches(const struct probe_spec *spec,
			       const uint8_t *data, size_t len,
			       struct reply_details *details)
{
	uint8_t want = spec->dst.family == AF_INET ? ICMP4_ECHO_REPLY
						   : ICMP6_ECHO_REPLY;
	struct wire_reader r;
	uint8_t type, code;
	uint16_t seq;

	wire_reader_init(&r, data, len);
	if (!wire_read_u8(&r, &type) || !wire_read_u8(&r, &code) ||
	    !wire_skip(&r, 2 + 2) || !wire_read_u16(&r, &seq))
		return false;
	if (type != want || code != 0 || seq != spec->icmp_seq)
		return false;
	details->have |= DETAIL_ICMP;
	details->icmp_type = type;
	details->icmp_code = code;
	return true;
}

bool dgram_parse_answer(const struct probe_spec *spec,
			const struct net_addr *from, const uint8_t *data,
			size_t len, struct dgram_event *ev)
{
	bool ok;

	if (!from || !same_addr(from, &spec->dst))
		return false;
	switch (spec->proto) {
	case PROTO_ICMP:
		ok = echo_reply_matches(spec, data, len, &ev->details);
		break;
	case PROTO_UDP:
		ok = true;
		break;
	default:
		ok = false;
		break;
	}
	if (ok) {
		ev->kind = KIND_REPLY;
		ev->responder = spec->dst;
		ev->err = 0;
	}
	return ok;
}

bool dgram_parse_error(const struct probe_spec *spec, const uint8_t *data,
		       size_t len, struct dgram_event *ev)
{
	struct errqueue_result r;

	if (!errqueue_decode(spec->dst.family, data, len, &r))
		return false;
	if (r.responder.family)
		r.kind = icmp_error_kind_by_sender(r.kind, &r.responder,
						   &spec->dst);
	ev->kind = r.kind;
	ev->responder = r.responder;
	ev->err = r.kind == KIND_NONE ? r.err : 0;
	if (r.kind == KIND_NONE)
		return true;
	ev->details.have |= DETAIL_ICMP;
	ev->details.icmp_type = r.type;
	ev->details.icmp_code = r.code;
	if (too_big_message(spec->dst.family, r.type, r.code))
		details_next_hop_mtu(r.info, &ev->details);
	return true;
}

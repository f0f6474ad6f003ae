/*
 * wire_identity.c: a probe's identity fields and its key (wire_identity.h).
 */
#include "wire_identity.h"

#include <string.h>

#include "build.h"

void wire_flow_apply(struct probe_spec *spec, uint16_t flow)
{
	spec->flow = true;
	if (spec->proto == PROTO_ICMP)
		spec->icmp_checksum = (uint16_t)(flow % WIRE_FLOW_ICMP_SPAN);
	else if (!spec->sport)
		spec->sport = (uint16_t)(WIRE_FLOW_PORT_BASE +
					 flow % WIRE_FLOW_PORT_SPAN);
	if (spec->dst.family == AF_INET6)
		spec->flow_label = WIRE_FLOW_LABEL_BASE + flow;
}

void wire_identity_apply(struct probe_spec *spec, uint32_t n, uint16_t icmp_id,
			 uint16_t port)
{
	spec->dport = port ? port : WIRE_DEFAULT_PORT;
	switch (spec->proto) {
	case PROTO_ICMP:
		spec->icmp_id = icmp_id;
		spec->icmp_seq = (uint16_t)n;
		spec->dport = 0;
		break;
	case PROTO_UDP:
		/* A flow's ports stay: the checksum tells its probes apart. */
		if (port)
			spec->dport = port;
		else if (spec->flow)
			spec->dport = WIRE_UDP_BASE_PORT;
		else
			spec->dport = (uint16_t)(WIRE_UDP_BASE_PORT +
						 n % WIRE_UDP_PORT_SPAN);
		spec->udp_checksum = (uint16_t)(1 + n % 0xfffe);
		break;
	case PROTO_TCP:
		spec->tcp_seq = n << 16;
		break;
	case PROTO_SCTP:
		spec->sctp_tag = n ? n : 1;
		break;
	default:
		break;
	}
	spec->ip_id = (uint16_t)n ? (uint16_t)n : 1;
}

void probe_spec_key(const struct probe_spec *spec, struct probe_key *key)
{
	/* Zero first: the padding too, so keys can be compared bytewise. */
	memset(key, 0, sizeof(*key));
	key->family = spec->dst.family;
	key->proto = (uint8_t)spec->proto;
	memcpy(key->dst, spec->dst.bytes, net_addr_len(spec->dst.family));
	switch (spec->proto) {
	case PROTO_ICMP:
		key->wire_id = probe_wire_icmp(spec->icmp_id, spec->icmp_seq);
		break;
	case PROTO_UDP:
		key->wire_id = probe_wire_udp(spec->sport, spec->dport,
					      spec->udp_checksum);
		break;
	case PROTO_TCP:
		key->wire_id = probe_wire_tcp(spec->sport, spec->dport,
					      spec->tcp_seq);
		break;
	case PROTO_SCTP:
		key->wire_id = probe_wire_sctp(spec->sport, spec->dport,
					       spec->sctp_tag);
		break;
	default:
		key->wire_id = 0;
		break;
	}
}

/*
 * render_details.c: what reply-details and the other extensions add to
 * the text formats (-e, --ns, --pmtu): the ICMP line and the RFC 5837
 * interface line of a hop, the mark of an unreachable, nanosecond times
 * and the hop's path MTU.  The formats are described at the top of
 * render.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "icmp_names.h"
#include "render_impl.h"

static int icmp_family(const struct hp_result *r)
{
	return r->responder.family == AF_INET6 ? AF_INET6 : AF_INET;
}

int ht_render_icmp_shown(const struct hp_result *r)
{
	return (r->has & HP_HAS_ICMP) && r->kind != HP_REPLY &&
	       r->kind != HP_TTL_EXPIRED;
}

int ht_render_iface_shown(const struct hp_result *r)
{
	return (r->has & (HP_HAS_IF_INDEX | HP_HAS_IF_MTU)) ||
	       r->if_addr.family || r->if_name[0];
}

/* The MTU a too-big answer gave: packet-too-big's, else next-hop-mtu. */
static uint32_t too_big_mtu(const struct hp_result *r)
{
	if (r->has & HP_HAS_MTU)
		return r->mtu;
	if (r->has & HP_HAS_NEXT_HOP_MTU)
		return r->next_hop_mtu;
	return 0;
}

void ht_render_icmp(struct ht_outbuf *o, const struct hp_result *r)
{
	int family = icmp_family(r);
	const char *type = ht_icmp_type_name(family, r->icmp_type);
	const char *code = ht_icmp_code_name(family, r->icmp_type,
					     r->icmp_code);
	uint32_t mtu = too_big_mtu(r);

	ht_outbuf_printf(o, "[%s %u/%u", family == AF_INET6 ? "ICMPv6" : "ICMP",
			 (unsigned)r->icmp_type, (unsigned)r->icmp_code);
	if (code)
		ht_outbuf_printf(o, ": %s", code);
	else if (type)
		ht_outbuf_printf(o, ": %s", type);
	if (mtu)
		ht_outbuf_printf(o, ", next-hop MTU %" PRIu32, mtu);
	ht_outbuf_puts(o, "]");
}

void ht_render_iface(struct ht_outbuf *o, const struct hp_result *r)
{
	const char *sep = "";

	ht_outbuf_puts(o, "[interface: ");
	if (r->has & HP_HAS_IF_INDEX) {
		ht_outbuf_printf(o, "index %" PRIu32, r->if_index);
		sep = ", ";
	}
	if (r->if_addr.family) {
		ht_outbuf_puts(o, sep);
		ht_render_addr(o, &r->if_addr);
		sep = ", ";
	}
	if (r->if_name[0]) {
		ht_outbuf_printf(o, "%sname \"", sep);
		ht_render_safe(o, r->if_name);
		ht_outbuf_puts(o, "\"");
		sep = ", ";
	}
	if (r->has & HP_HAS_IF_MTU)
		ht_outbuf_printf(o, "%smtu %" PRIu32, sep, r->if_mtu);
	ht_outbuf_puts(o, "]");
}

static int icmp_same(const struct hp_result *a, const struct hp_result *b)
{
	return icmp_family(a) == icmp_family(b) &&
	       a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code &&
	       too_big_mtu(a) == too_big_mtu(b);
}

static int iface_same(const struct hp_result *a, const struct hp_result *b)
{
	unsigned bits = HP_HAS_IF_INDEX | HP_HAS_IF_MTU;

	return (a->has & bits) == (b->has & bits) &&
	       (!(a->has & HP_HAS_IF_INDEX) || a->if_index == b->if_index) &&
	       (!(a->has & HP_HAS_IF_MTU) || a->if_mtu == b->if_mtu) &&
	       hp_addr_equal(&a->if_addr, &b->if_addr) ==
		       (a->if_addr.family || b->if_addr.family) &&
	       strcmp(a->if_name, b->if_name) == 0;
}

/* As ht_render_mpls_first: quadratic in the hop's probes. */
int ht_render_icmp_first(const struct ht_hop *hop, unsigned i)
{
	const struct hp_result *r = &hop->probes[i].result;
	unsigned j;

	if (!ht_render_icmp_shown(r))
		return 0;
	for (j = 0; j < i; j++)
		if (ht_render_icmp_shown(&hop->probes[j].result) &&
		    icmp_same(&hop->probes[j].result, r))
			return 0;
	return 1;
}

int ht_render_iface_first(const struct ht_hop *hop, unsigned i)
{
	const struct hp_result *r = &hop->probes[i].result;
	unsigned j;

	if (!ht_render_iface_shown(r))
		return 0;
	for (j = 0; j < i; j++)
		if (ht_render_iface_shown(&hop->probes[j].result) &&
		    iface_same(&hop->probes[j].result, r))
			return 0;
	return 1;
}

void ht_render_hop_extras(struct ht_outbuf *o, const struct ht_hop *hop,
			  const char *prefix)
{
	unsigned i;

	for (i = 0; i < hop->probe_count; i++) {
		if (ht_render_mpls_first(hop, i)) {
			ht_outbuf_puts(o, prefix);
			ht_render_mpls(o, &hop->probes[i].result);
			ht_outbuf_puts(o, "\n");
		}
	}
	for (i = 0; i < hop->probe_count; i++) {
		if (ht_render_icmp_first(hop, i)) {
			ht_outbuf_puts(o, prefix);
			ht_render_icmp(o, &hop->probes[i].result);
			ht_outbuf_puts(o, "\n");
		}
	}
	for (i = 0; i < hop->probe_count; i++) {
		if (ht_render_iface_first(hop, i)) {
			ht_outbuf_puts(o, prefix);
			ht_render_iface(o, &hop->probes[i].result);
			ht_outbuf_puts(o, "\n");
		}
	}
}

const char *ht_render_mark(const struct hp_result *r, char *buf, size_t len)
{
	const char *mark = NULL;
	uint32_t mtu;

	switch (r->kind) {
	case HP_REPLY:
	case HP_TTL_EXPIRED:
	case HP_NO_REPLY:
		return NULL;
	case HP_NO_ROUTE:
	case HP_NO_ROUTE_NETWORK:
	case HP_NO_ROUTE_HOST:
	case HP_PACKET_TOO_BIG:
		break;
	case HP_NETWORK_DOWN:
	case HP_HOST_DOWN:
		return "!D";
	case HP_WORKER_FAILED:
		return "!W";
	default:
		snprintf(buf, len, "!E(%s)", hp_kind_name(r->kind));
		return buf;
	}
	/* What the router said, where the reply says it (reply-details). */
	if (r->has & HP_HAS_ICMP) {
		mark = ht_icmp_mark(icmp_family(r), r->icmp_type, r->icmp_code);
		if (!mark) {
			snprintf(buf, len, "!%u", (unsigned)r->icmp_code);
			return buf;
		}
	} else if (r->kind == HP_NO_ROUTE_NETWORK) {
		mark = "!N";
	} else if (r->kind == HP_NO_ROUTE_HOST) {
		mark = "!H";
	} else if (r->kind == HP_NO_ROUTE) {
		mark = "!U";
	} else {
		mark = "!F";
	}
	mtu = too_big_mtu(r);
	if (strcmp(mark, "!F") == 0 && mtu) {
		snprintf(buf, len, "!F-%" PRIu32, mtu);
		return buf;
	}
	return mark;
}

void ht_render_rtt(struct ht_outbuf *o, const struct hp_result *r, int ns)
{
	if (ns && (r->has & HP_HAS_RTT_NS) && r->rtt_ns >= 0) {
		ht_outbuf_printf(o, "%" PRId64 ".%06" PRId64, r->rtt_ns / 1000000,
				 r->rtt_ns % 1000000);
		return;
	}
	ht_render_ms3(o, r->rtt_us);
}

int ht_render_hop_mtu(const struct ht_hop *hop)
{
	unsigned i;
	int mtu = 0;

	for (i = 0; i < hop->probe_count; i++) {
		const struct ht_probe *p = &hop->probes[i];

		if ((p->result.kind == HP_REPLY ||
		     p->result.kind == HP_TTL_EXPIRED) &&
		    p->result.responder.family && p->size > mtu)
			mtu = p->size;
	}
	return mtu;
}

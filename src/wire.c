/*
 * wire.c: request formatting and reply parsing for the mtr-packet
 * protocol, with the small value helpers of client.h (kind names,
 * addresses, probe defaults).  Pure: no I/O, no clock, no globals.
 */
#include "wire.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/*
 * Reply names in hp_wire_kind order.  HP_WORKER_FAILED sits between the
 * probe results and the other lines and has no name on the wire.
 */
static const char *const wire_names[HP_WIRE_KIND_END] = {
	[HP_WIRE_REPLY] = "reply",
	[HP_WIRE_TTL_EXPIRED] = "ttl-expired",
	[HP_WIRE_NO_REPLY] = "no-reply",
	[HP_WIRE_NO_ROUTE] = "no-route",
	[HP_WIRE_NO_ROUTE_NETWORK] = "no-route-network",
	[HP_WIRE_NO_ROUTE_HOST] = "no-route-host",
	[HP_WIRE_NETWORK_DOWN] = "network-down",
	[HP_WIRE_HOST_DOWN] = "host-down",
	[HP_WIRE_PERMISSION_DENIED] = "permission-denied",
	[HP_WIRE_ADDRESS_IN_USE] = "address-in-use",
	[HP_WIRE_ADDRESS_NOT_AVAILABLE] = "address-not-available",
	[HP_WIRE_INVALID_ARGUMENT] = "invalid-argument",
	[HP_WIRE_UNEXPECTED_ERROR] = "unexpected-error",
	[HP_WIRE_PACKET_TOO_BIG] = "packet-too-big",
	[HP_WIRE_FEATURE_SUPPORT] = "feature-support",
	[HP_WIRE_PROBES_EXHAUSTED] = "probes-exhausted",
	[HP_WIRE_COMMAND_PARSE_ERROR] = "command-parse-error",
	[HP_WIRE_COMMAND_BUFFER_OVERFLOW] = "command-buffer-overflow",
	[HP_WIRE_UNKNOWN_COMMAND] = "unknown-command",
	[HP_WIRE_RATE_SET] = "rate-set",
};

const char *hp_wire_kind_name(enum hp_wire_kind kind)
{
	if ((int)kind < 0 || kind >= HP_WIRE_KIND_END)
		return NULL;
	return wire_names[kind];
}

int hp_wire_kind_from_name(const char *name, size_t len)
{
	int k;

	for (k = 0; k < HP_WIRE_KIND_END; k++) {
		const char *n = wire_names[k];

		if (n && strlen(n) == len && memcmp(n, name, len) == 0)
			return k;
	}
	return -1;
}

bool hp_wire_kind_is_result(enum hp_wire_kind kind)
{
	return (int)kind >= 0 && (int)kind < HP_WORKER_FAILED;
}

const char *hp_kind_name(enum hp_kind kind)
{
	if (kind == HP_WORKER_FAILED)
		return "worker-failed";
	if (!hp_wire_kind_is_result((enum hp_wire_kind)kind))
		return "unknown";
	return wire_names[kind];
}

int hp_kind_from_name(const char *name, size_t len)
{
	int k = hp_wire_kind_from_name(name, len);

	return k >= 0 && hp_wire_kind_is_result((enum hp_wire_kind)k) ? k : -1;
}

const char *hp_protocol_name(enum hp_protocol p)
{
	switch (p) {
	case HP_ICMP:
		return "icmp";
	case HP_UDP:
		return "udp";
	case HP_TCP:
		return "tcp";
	case HP_SCTP:
		return "sctp";
	}
	return "unknown";
}

int hp_addr_parse(const char *text, struct hp_addr *out)
{
	struct hp_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, &a.u.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, &a.u.v6) == 1)
		a.family = AF_INET6;
	else
		return -1;
	*out = a;
	return 0;
}

void hp_addr_format(const struct hp_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	if (a->family == AF_INET || a->family == AF_INET6) {
		if (!inet_ntop(a->family, &a->u, buf, (socklen_t)len))
			buf[0] = '\0';
	}
}

int hp_addr_equal(const struct hp_addr *a, const struct hp_addr *b)
{
	if (a->family != b->family)
		return 0;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	return 1;
}

void hp_probe_init(struct hp_probe *p)
{
	memset(p, 0, sizeof(*p));
	p->protocol = HP_ICMP;
	p->tos = -1;
	p->bit_pattern = -1;
	p->mark = -1;
	p->flow = -1;
}

/* ---- parsing ---------------------------------------------------------- */

/*
 * The one reader every reply goes through: a cursor over the line that
 * hands out blank-separated fields and never looks past END.
 */
struct wire_cursor {
	const char *p;
	const char *end;
};

struct wire_field {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next field, or false at the end of the line. */
static bool cursor_next(struct wire_cursor *c, struct wire_field *f)
{
	while (c->p < c->end && is_blank(*c->p))
		c->p++;
	if (c->p == c->end)
		return false;
	f->p = c->p;
	while (c->p < c->end && !is_blank(*c->p))
		c->p++;
	f->len = (size_t)(c->p - f->p);
	return true;
}

static bool field_is(const struct wire_field *f, const char *s)
{
	return strlen(s) == f->len && memcmp(f->p, s, f->len) == 0;
}

/*
 * A plain decimal number of at most MAX: digits only (no sign, no space,
 * no fraction), checked for overflow before each step.
 */
static bool parse_number(const char *p, size_t len, uint64_t max,
			 uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (p[i] < '0' || p[i] > '9')
			return false;
		d = (unsigned)(p[i] - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool parse_field_number(const struct wire_field *f, uint64_t max,
			       uint64_t *out)
{
	return parse_number(f->p, f->len, max, out);
}

/* An address literal of FAMILY; inet_pton needs a NUL terminated copy. */
static bool parse_address(const struct wire_field *f, int family,
			  struct hp_addr *out)
{
	char text[INET6_ADDRSTRLEN + 1];

	if (f->len >= sizeof(text) || memchr(f->p, '\0', f->len))
		return false;
	memcpy(text, f->p, f->len);
	text[f->len] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(family, text, &out->u) != 1)
		return false;
	out->family = family;
	return true;
}

/*
 * `mpls label,tc,s,ttl[,label,tc,s,ttl...]`: four bounded numbers per
 * label, at most HP_MAX_MPLS labels; anything else is malformed.
 */
static bool parse_mpls(const struct wire_field *f, struct hp_result *r)
{
	static const uint64_t max[4] = { 1048575, 7, 1, 255 };
	const char *p = f->p, *end = f->p + f->len;
	uint64_t v[4];
	unsigned n = 0;

	for (;;) {
		unsigned i;

		if (n == HP_MAX_MPLS)
			return false;
		for (i = 0; i < 4; i++) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *stop = comma ? comma : end;

			if (!parse_number(p, (size_t)(stop - p), max[i], &v[i]))
				return false;
			if (!comma) {
				if (i != 3)
					return false;
				p = end;
			} else {
				p = comma + 1;
				if (p == end)
					return false;
			}
		}
		r->mpls[n].label = (uint32_t)v[0];
		r->mpls[n].tc = (uint8_t)v[1];
		r->mpls[n].bos = (uint8_t)v[2];
		r->mpls[n].ttl = (uint8_t)v[3];
		n++;
		if (p == end)
			break;
	}
	r->mpls_count = n;
	return true;
}

static bool printable_word(const char *p, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= ' ' || c >= 0x7f)
			return false;
	}
	return true;
}

/* A number of at most MAX into *OUT, with its bit set in the result. */
static bool parse_has_u32(const struct wire_field *value, uint64_t max,
			  uint32_t *out, unsigned bit, struct hp_result *r)
{
	uint64_t v;

	if (!parse_field_number(value, max, &v))
		return false;
	*out = (uint32_t)v;
	r->has |= bit;
	return true;
}

static bool parse_has_u8(const struct wire_field *value, uint64_t max,
			 uint8_t *out, unsigned bit, struct hp_result *r)
{
	uint32_t v;

	if (!parse_has_u32(value, max, &v, bit, r))
		return false;
	*out = (uint8_t)v;
	return true;
}

/*
 * A word of printable ASCII without blanks into BUF (CAP bytes with its
 * NUL): an interface or device name.
 */
static bool parse_name(const struct wire_field *value, char *buf, size_t cap)
{
	if (value->len >= cap || !printable_word(value->p, value->len))
		return false;
	memcpy(buf, value->p, value->len);
	buf[value->len] = '\0';
	return true;
}

/*
 * The words of reply-details and the other extensions (hopprobe(8));
 * true, doing nothing, for a name that is none of them.
 */
static bool parse_extension_pair(const struct wire_field *name,
				 const struct wire_field *value,
				 struct hp_result *r)
{
	uint64_t v;

	if (field_is(name, "round-trip-time-ns")) {
		if (!parse_field_number(value, INT64_MAX, &v))
			return false;
		r->rtt_ns = (int64_t)v;
		r->has |= HP_HAS_RTT_NS;
		return true;
	}
	if (field_is(name, "mtu"))
		return parse_has_u32(value, UINT32_MAX, &r->mtu, HP_HAS_MTU, r);
	if (field_is(name, "icmp-type"))
		return parse_has_u8(value, 255, &r->icmp_type, HP_HAS_ICMP, r);
	if (field_is(name, "icmp-code"))
		return parse_has_u8(value, 255, &r->icmp_code, HP_HAS_ICMP, r);
	if (field_is(name, "reply-ttl"))
		return parse_has_u8(value, 255, &r->reply_ttl,
				    HP_HAS_REPLY_TTL, r);
	if (field_is(name, "quoted-ttl"))
		return parse_has_u8(value, 255, &r->quoted_ttl,
				    HP_HAS_QUOTED_TTL, r);
	if (field_is(name, "quoted-tos"))
		return parse_has_u8(value, 255, &r->quoted_tos,
				    HP_HAS_QUOTED_TOS, r);
	if (field_is(name, "next-hop-mtu"))
		return parse_has_u32(value, UINT32_MAX, &r->next_hop_mtu,
				     HP_HAS_NEXT_HOP_MTU, r);
	if (field_is(name, "interface-index"))
		return parse_has_u32(value, UINT32_MAX, &r->if_index,
				     HP_HAS_IF_INDEX, r);
	if (field_is(name, "interface-mtu"))
		return parse_has_u32(value, UINT32_MAX, &r->if_mtu,
				     HP_HAS_IF_MTU, r);
	if (field_is(name, "interface-ip-4"))
		return parse_address(value, AF_INET, &r->if_addr);
	if (field_is(name, "interface-ip-6"))
		return parse_address(value, AF_INET6, &r->if_addr);
	if (field_is(name, "interface-name"))
		return parse_name(value, r->if_name, sizeof(r->if_name));
	if (field_is(name, "device"))
		return parse_name(value, r->device, sizeof(r->device));
	return true;
}

/* One `NAME VALUE` pair; unknown names are accepted and ignored. */
static bool parse_pair(const struct wire_field *name,
		       const struct wire_field *value,
		       struct hp_wire_reply *out)
{
	uint64_t v;

	if (field_is(name, "ip-4"))
		return parse_address(value, AF_INET, &out->result.responder);
	if (field_is(name, "ip-6"))
		return parse_address(value, AF_INET6, &out->result.responder);
	if (field_is(name, "round-trip-time")) {
		if (!parse_field_number(value, INT64_MAX, &v))
			return false;
		out->result.rtt_us = (int64_t)v;
		return true;
	}
	if (field_is(name, "mpls"))
		return parse_mpls(value, &out->result);
	if (field_is(name, "errno")) {
		if (!parse_field_number(value, INT_MAX, &v))
			return false;
		out->result.error_number = (int)v;
		return true;
	}
	if (field_is(name, "support")) {
		if (!printable_word(value->p, value->len))
			return false;
		out->support = value->p;
		out->support_len = value->len;
		return true;
	}
	if (field_is(name, "pps")) {
		if (!parse_field_number(value, UINT32_MAX, &v))
			return false;
		out->pps = (int64_t)v;
		return true;
	}
	return parse_extension_pair(name, value, &out->result);
}

int hp_wire_parse_reply(const char *line, size_t len,
			struct hp_wire_reply *out)
{
	struct wire_cursor c = { line, line + len };
	struct wire_field tok, name, value;
	uint64_t token;
	int kind;

	memset(out, 0, sizeof(*out));
	out->result.rtt_us = -1;
	out->pps = -1;
	if (!cursor_next(&c, &tok) ||
	    !parse_field_number(&tok, HP_WIRE_TOKEN_MAX, &token))
		return -1;
	if (!cursor_next(&c, &name))
		return -1;
	kind = hp_wire_kind_from_name(name.p, name.len);
	if (kind < 0)
		return -1;
	out->token = (uint32_t)token;
	out->kind = (enum hp_wire_kind)kind;
	while (cursor_next(&c, &name)) {
		if (!cursor_next(&c, &value))
			return -1;
		if (!parse_pair(&name, &value, out))
			return -1;
	}
	if (out->kind == HP_WIRE_FEATURE_SUPPORT && !out->support)
		return -1;
	if ((out->kind == HP_WIRE_RATE_SET) != (out->pps >= 0))
		return -1;
	if (hp_wire_kind_is_result(out->kind)) {
		out->result.kind = (enum hp_kind)out->kind;
	} else {
		struct hp_result empty;

		memset(&empty, 0, sizeof(empty));
		empty.kind = HP_WORKER_FAILED;
		empty.rtt_us = -1;
		out->result = empty;
	}
	return 0;
}

/* ---- formatting ------------------------------------------------------- */

int hp_wire_check_probe(const struct hp_probe *p)
{
	int fam = p->dest.family;

	if (fam != AF_INET && fam != AF_INET6)
		return -1;
	if ((int)p->protocol < HP_ICMP || p->protocol > HP_SCTP)
		return -1;
	if (p->ttl < 0 || p->ttl > 255)
		return -1;
	if (p->port < 0 || p->port > 65535)
		return -1;
	if (p->local_port != 0 &&
	    (p->local_port < 1024 || p->local_port > 65535))
		return -1;
	if (p->source.family != 0 && p->source.family != fam)
		return -1;
	/* A blank or newline in a device name would split the request. */
	if (p->device && (strlen(p->device) > 15 ||
			  !printable_word(p->device, strlen(p->device))))
		return -1;
	if (p->tos < -1 || p->tos > 255)
		return -1;
	if (p->size < 0 || p->size > 65535)
		return -1;
	if (p->bit_pattern < -1 || p->bit_pattern > 255)
		return -1;
	if (p->mark < -1 || p->mark > 4294967295LL)
		return -1;
	if (p->timeout_ms > HP_WIRE_TIMEOUT_MS_MAX)
		return -1;
	if (p->flow < -1 || p->flow > 65535)
		return -1;
	if ((p->dont_fragment | p->reply_details | p->rtt_ns |
	     p->link_events) & ~1)
		return -1;
	return 0;
}

uint32_t hp_wire_timeout_seconds(uint32_t timeout_ms)
{
	return timeout_ms / 1000 + (timeout_ms % 1000 != 0);
}

/* An appender that remembers whether anything did not fit. */
struct wire_out {
	char *buf;
	size_t len;
	size_t used;
	bool overflow;
};

__attribute__((format(printf, 2, 3)))
static void out_printf(struct wire_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->used)
		o->overflow = true;
	else
		o->used += (size_t)n;
}

static int out_finish(struct wire_out *o)
{
	if (o->overflow || o->used > INT_MAX)
		return -1;
	return (int)o->used;
}

int hp_wire_format_probe(uint32_t token, const struct hp_probe *p,
			 unsigned features, char *buf, size_t len)
{
	struct wire_out o = { buf, len, 0, len == 0 };
	char addr[HP_ADDR_TEXT];
	const char *v6 = p->dest.family == AF_INET6 ? "6" : "4";

	if (token > HP_WIRE_TOKEN_MAX || hp_wire_check_probe(p) != 0)
		return -1;
	hp_addr_format(&p->dest, addr, sizeof(addr));
	out_printf(&o, "%" PRIu32 " send-probe ip-%s %s", token, v6, addr);
	if (p->protocol != HP_ICMP)
		out_printf(&o, " protocol %s", hp_protocol_name(p->protocol));
	if (p->port)
		out_printf(&o, " port %d", p->port);
	if (p->source.family) {
		hp_addr_format(&p->source, addr, sizeof(addr));
		out_printf(&o, " local-ip-%s %s", v6, addr);
	}
	if (p->local_port)
		out_printf(&o, " local-port %d", p->local_port);
	if (p->device)
		out_printf(&o, " local-device %s", p->device);
	if (p->ttl)
		out_printf(&o, " ttl %d", p->ttl);
	if (p->tos >= 0)
		out_printf(&o, " tos %d", p->tos);
	if (p->size)
		out_printf(&o, " size %d", p->size);
	if (p->bit_pattern >= 0)
		out_printf(&o, " bit-pattern %d", p->bit_pattern);
	if (p->mark >= 0)
		out_printf(&o, " mark %" PRId64, p->mark);
	if (p->timeout_ms && (features & HP_WIRE_HAS_TIMEOUT_MS))
		out_printf(&o, " timeout-ms %" PRIu32, p->timeout_ms);
	else if (p->timeout_ms)
		out_printf(&o, " timeout %" PRIu32,
			   hp_wire_timeout_seconds(p->timeout_ms));
	if (p->flow >= 0 && (features & HP_WIRE_HAS_FLOW))
		out_printf(&o, " flow %d", p->flow);
	if (p->dont_fragment && (features & HP_WIRE_HAS_DONT_FRAGMENT))
		out_printf(&o, " dont-fragment 1");
	if (p->reply_details && (features & HP_WIRE_HAS_REPLY_DETAILS))
		out_printf(&o, " reply-details 1");
	if (p->rtt_ns && (features & HP_WIRE_HAS_RTT_NS))
		out_printf(&o, " rtt-ns 1");
	if (p->link_events && (features & HP_WIRE_HAS_LINK_EVENTS))
		out_printf(&o, " link-events 1");
	out_printf(&o, "\n");
	return out_finish(&o);
}

int hp_wire_format_check_support(uint32_t token, const char *name,
				 char *buf, size_t len)
{
	struct wire_out o = { buf, len, 0, len == 0 };

	if (token > HP_WIRE_TOKEN_MAX || !printable_word(name, strlen(name)))
		return -1;
	out_printf(&o, "%" PRIu32 " check-support feature %s\n", token, name);
	return out_finish(&o);
}

int hp_wire_format_set_rate(uint32_t token, uint32_t pps, char *buf,
			    size_t len)
{
	struct wire_out o = { buf, len, 0, len == 0 };

	if (token > HP_WIRE_TOKEN_MAX)
		return -1;
	out_printf(&o, "%" PRIu32 " set-rate pps %" PRIu32 "\n", token, pps);
	return out_finish(&o);
}

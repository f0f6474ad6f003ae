/*
 * reply_format.c: reply structs out as protocol lines (hopprobe(8),
 * REPLIES).  Pure: each function writes one line into the caller's
 * buffer.
 */
#include "command.h"

#include <string.h>

#include "addr_text.h"

/*
 * Reply formatting appends to a bounded buffer; the first piece that does
 * not fit poisons it, so callers check once at the end.  One byte is kept
 * for a terminating NUL, so the result is also a C string.
 */
struct out_line {
	char *buf;
	size_t cap;
	size_t len;
	bool full;
};

static void out_init(struct out_line *o, char *buf, size_t cap)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->full = cap == 0;
}

/* Room for n more bytes and the NUL; poisons the line when there is not. */
static bool out_room(struct out_line *o, size_t n)
{
	if (o->full || n >= o->cap - o->len)
		o->full = true;
	return !o->full;
}

static void out_bytes(struct out_line *o, const char *s, size_t n)
{
	if (!out_room(o, n))
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* A string literal: its length is known when compiling. */
#define OUT_LIT(o, literal) out_bytes((o), (literal), sizeof(literal) - 1)

static void out_str(struct out_line *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

/* How many decimal digits v has. */
static size_t decimal_len(uint64_t v)
{
	uint64_t limit = 10;
	size_t n = 1;

	/* 10^19 is the largest power of ten below 2^64. */
	while (n < 20 && v >= limit) {
		n++;
		limit *= 10;
	}
	return n;
}

/*
 * Write v in decimal into the decimal_len(v) bytes that end at end, two
 * digits per division from a table of the pairs "00" to "99".
 */
static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

static void put_decimal(char *end, uint64_t v)
{
	while (v >= 100) {
		unsigned pair = (unsigned)(v % 100);

		v /= 100;
		end -= 2;
		memcpy(end, &digit_pairs[2 * pair], 2);
	}
	if (v >= 10) {
		memcpy(end - 2, &digit_pairs[2 * v], 2);
	} else {
		end[-1] = (char)('0' + v);
	}
}

static void out_u64(struct out_line *o, uint64_t v)
{
	size_t n = decimal_len(v);

	if (!out_room(o, n))
		return;
	o->len += n;
	put_decimal(o->buf + o->len, v);
}

static void out_i64(struct out_line *o, int64_t v)
{
	if (v < 0) {
		OUT_LIT(o, "-");
		/* Negate in unsigned arithmetic: INT64_MIN has no positive. */
		out_u64(o, 0 - (uint64_t)v);
	} else {
		out_u64(o, (uint64_t)v);
	}
}

/* Finish the line: the newline, the NUL, and the length or 0. */
static size_t out_end(struct out_line *o)
{
	OUT_LIT(o, "\n");
	if (o->full)
		return 0;
	o->buf[o->len] = '\0';
	return o->len;
}

/* A reply name with its length, so that appending it needs no strlen. */
struct reply_word {
	const char *text;
	size_t len;
};

#define WORD(literal) { (literal), sizeof(literal) - 1 }

static const struct reply_word *reply_name(enum reply_type type,
					   enum reply_names names)
{
	static const struct reply_word names_096[] = {
		[REPLY_REPLY] = WORD("reply"),
		[REPLY_TTL_EXPIRED] = WORD("ttl-expired"),
		[REPLY_NO_REPLY] = WORD("no-reply"),
		[REPLY_NO_ROUTE_NETWORK] = WORD("no-route-network"),
		[REPLY_NO_ROUTE_HOST] = WORD("no-route-host"),
		[REPLY_NETWORK_DOWN] = WORD("network-down"),
		[REPLY_HOST_DOWN] = WORD("host-down"),
		[REPLY_PERMISSION_DENIED] = WORD("permission-denied"),
		[REPLY_ADDRESS_IN_USE] = WORD("address-in-use"),
		[REPLY_ADDRESS_NOT_AVAILABLE] = WORD("address-not-available"),
		[REPLY_INVALID_ARGUMENT] = WORD("invalid-argument"),
		[REPLY_PROBES_EXHAUSTED] = WORD("probes-exhausted"),
		[REPLY_UNEXPECTED_ERROR] = WORD("unexpected-error"),
		[REPLY_PACKET_TOO_BIG] = WORD("packet-too-big"),
	};
	static const struct reply_word no_route = WORD("no-route");

	if ((unsigned)type >= sizeof(names_096) / sizeof(names_096[0]))
		return NULL;
	/* mtr 0.95 knew only one unreachable name for both cases. */
	if (names == REPLY_NAMES_095 &&
	    (type == REPLY_NO_ROUTE_NETWORK || type == REPLY_NO_ROUTE_HOST))
		return &no_route;
	return &names_096[type];
}

/*
 * An address after the word that names its family (" ip-4 ", " ip-6 "),
 * the words given as literals so that their lengths are known when
 * compiling: every reply has one, and a strlen each was measurable.
 */
#define OUT_FAMILY_ADDR(o, word4, word6, a) \
	out_family_addr((o), (word4), sizeof(word4) - 1, (word6), \
			sizeof(word6) - 1, (a))

static void out_family_addr(struct out_line *o, const char *word4,
			    size_t len4, const char *word6, size_t len6,
			    const struct net_addr *a)
{
	char text[ADDR_TEXT_MAX];

	if (a->family == AF_INET) {
		out_bytes(o, word4, len4);
		out_bytes(o, text, addr_text_format4(a->bytes, text));
	} else if (a->family == AF_INET6) {
		out_bytes(o, word6, len6);
		out_bytes(o, text, addr_text_format6(a->bytes, text));
	} else {
		o->full = true;
	}
}

static void out_addr(struct out_line *o, const struct net_addr *a)
{
	OUT_FAMILY_ADDR(o, " ip-4 ", " ip-6 ", a);
}

/* "mpls L,TC,S,TTL[,L,TC,S,TTL...]": one argument, in stack order. */
static void out_mpls(struct out_line *o, const struct mpls_stack *m)
{
	unsigned count = m->count < MPLS_MAX_LABELS ? m->count : MPLS_MAX_LABELS;
	unsigned i;

	OUT_LIT(o, " mpls ");
	for (i = 0; i < count; i++) {
		const struct mpls_label *l = &m->labels[i];

		if (i > 0)
			OUT_LIT(o, ",");
		out_u64(o, l->label);
		OUT_LIT(o, ",");
		out_u64(o, l->traffic_class);
		OUT_LIT(o, ",");
		out_u64(o, l->bottom_of_stack);
		OUT_LIT(o, ",");
		out_u64(o, l->ttl);
	}
}

/*
 * Whether s can be one token of a reply: not empty, printable ASCII, no
 * white space.  Linux allows interface names any byte but white space,
 * '/' and ':', so a name is shown only when it passes.
 */
static bool is_token(const char *s)
{
	const char *c;

	for (c = s; *c; c++) {
		if (*c <= ' ' || *c > '~')
			return false;
	}
	return c != s;
}

/*
 * The interface name is known to be printable ASCII without spaces
 * (icmp_ifinfo.h); it is checked again here, as reply_format_support()
 * checks its value, since one stray space would shift every word after it.
 */
static void out_ifinfo(struct out_line *o, const struct icmp_ifinfo *f)
{
	if (f->have & IFINFO_INDEX) {
		OUT_LIT(o, " interface-index ");
		out_u64(o, f->index);
	}
	if (f->have & IFINFO_ADDR)
		OUT_FAMILY_ADDR(o, " interface-ip-4 ", " interface-ip-6 ",
				&f->addr);
	if ((f->have & IFINFO_NAME) &&
	    memchr(f->name, '\0', sizeof(f->name)) && is_token(f->name)) {
		OUT_LIT(o, " interface-name ");
		out_str(o, f->name);
	}
	if (f->have & IFINFO_MTU) {
		OUT_LIT(o, " interface-mtu ");
		out_u64(o, f->mtu);
	}
}

/* reply-details, in the fixed order of hopprobe(8), EXTENSIONS. */
static void out_details(struct out_line *o, const struct reply_details *d)
{
	if (d->have & DETAIL_ICMP) {
		OUT_LIT(o, " icmp-type ");
		out_u64(o, d->icmp_type);
		OUT_LIT(o, " icmp-code ");
		out_u64(o, d->icmp_code);
	}
	if (d->have & DETAIL_REPLY_TTL) {
		OUT_LIT(o, " reply-ttl ");
		out_u64(o, d->reply_ttl);
	}
	if (d->have & DETAIL_QUOTED) {
		OUT_LIT(o, " quoted-ttl ");
		out_u64(o, d->quoted_ttl);
		OUT_LIT(o, " quoted-tos ");
		out_u64(o, d->quoted_tos);
	}
	if (d->have & DETAIL_NEXT_HOP_MTU) {
		OUT_LIT(o, " next-hop-mtu ");
		out_u64(o, d->next_hop_mtu);
	}
	out_ifinfo(o, &d->ifinfo);
}

size_t reply_format_probe(const struct probe_reply *r, enum reply_names names,
			  char *buf, size_t cap)
{
	const struct reply_word *name = reply_name(r->type, names);
	struct out_line o;

	if (!name)
		return 0;
	out_init(&o, buf, cap);
	out_i64(&o, r->token);
	OUT_LIT(&o, " ");
	out_bytes(&o, name->text, name->len);
	if (r->type == REPLY_UNEXPECTED_ERROR) {
		OUT_LIT(&o, " errno ");
		out_i64(&o, r->err);
		return out_end(&o);
	}
	if (r->responder.family != 0)
		out_addr(&o, &r->responder);
	if (r->has_rtt) {
		OUT_LIT(&o, " round-trip-time ");
		out_u64(&o, r->rtt_us);
	}
	if (r->has_rtt && r->has_rtt_ns) {
		OUT_LIT(&o, " round-trip-time-ns ");
		out_u64(&o, r->rtt_ns);
	}
	if (r->has_mtu) {
		OUT_LIT(&o, " mtu ");
		out_u64(&o, r->mtu);
	}
	if (r->mpls && r->mpls->count > 0)
		out_mpls(&o, r->mpls);
	if (r->details)
		out_details(&o, r->details);
	if (r->device && is_token(r->device)) {
		OUT_LIT(&o, " device ");
		out_str(&o, r->device);
	}
	return out_end(&o);
}

/*
 * The value becomes one token of the reply, so it must be printable ASCII
 * without white space; anything else would break the client's framing.
 */
size_t reply_format_support(int32_t token, const char *value, char *buf,
			    size_t cap)
{
	struct out_line o;

	if (!value || !is_token(value))
		return 0;
	out_init(&o, buf, cap);
	out_i64(&o, token);
	OUT_LIT(&o, " feature-support support ");
	out_str(&o, value);
	return out_end(&o);
}

size_t reply_format_rate(int32_t token, uint32_t pps, char *buf,
			 size_t cap)
{
	struct out_line o;

	out_init(&o, buf, cap);
	out_i64(&o, token);
	OUT_LIT(&o, " rate-set pps ");
	out_u64(&o, pps);
	return out_end(&o);
}

size_t reply_format_request_error(const struct request *req, char *buf,
				  size_t cap)
{
	struct out_line o;

	out_init(&o, buf, cap);
	switch (req->status) {
	case REQ_PARSE_ERROR:
		/* The token may be what failed to parse: always 0. */
		OUT_LIT(&o, "0 command-parse-error");
		break;
	case REQ_UNKNOWN_COMMAND:
		out_i64(&o, req->token);
		OUT_LIT(&o, " unknown-command");
		break;
	case REQ_INVALID_ARGUMENT:
		out_i64(&o, req->token);
		OUT_LIT(&o, " invalid-argument");
		if (req->reason == REASON_IP_VERSION)
			OUT_LIT(&o, " reason ip-version-not-supported");
		else if (req->reason == REASON_PROTOCOL)
			OUT_LIT(&o, " reason protocol-not-supported");
		break;
	default:
		return 0;
	}
	return out_end(&o);
}

size_t reply_format_overflow(char *buf, size_t cap)
{
	struct out_line o;

	out_init(&o, buf, cap);
	OUT_LIT(&o, "0 command-buffer-overflow");
	return out_end(&o);
}

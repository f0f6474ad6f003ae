/*
 * command.c: request lines in (the protocol of hopprobe(8)); the reply
 * lines out are reply_format.c's.
 *
 * Everything here is pure: a request line is split into tokens in place,
 * checked against the grammar and the argument ranges, and turned into a
 * struct request.  What
 * needs the host (does IPv6 work, does a scope name an interface, is a
 * local address ours) is left to the engine.
 */
#include "command.h"

#include <string.h>

#include "addr_text.h"
#include "build.h"

/* A token: a run of bytes inside the request line, not NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

/*
 * What each byte is to the tokenizer.  A newline never reaches us (the
 * framer strips it); '\r' separates so that CRLF lines parse.  A NUL byte
 * ends a token like a separator does, and the caller then refuses the
 * line: finding it during the one scan of the line spares a separate pass.
 */
enum byte_class {
	BYTE_TEXT = 0,
	BYTE_SEP,
	BYTE_NUL,
};

static const uint8_t byte_class[256] = {
	['\0'] = BYTE_NUL,
	[' '] = BYTE_SEP, ['\t'] = BYTE_SEP, ['\r'] = BYTE_SEP,
	['\v'] = BYTE_SEP, ['\f'] = BYTE_SEP,
};

static enum byte_class class_of(char c)
{
	return (enum byte_class)byte_class[(unsigned char)c];
}

/*
 * Unaligned loads for the word-at-a-time code below; memcpy compiles to
 * one load.  The 64-bit one puts the first byte lowest on every host, so
 * that the lowest set bit of a mask marks the first byte.
 */
static uint64_t load_le64(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

static uint32_t load32(const char *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/*
 * Whether a and b, both n bytes long with 3 <= n <= 16, are equal: two
 * overlapping loads from each end cover every byte, which is cheaper than
 * a call to memcmp for the short names of the protocol.
 */
static bool short_equal(const char *a, const char *b, size_t n)
{
	if (n >= 8)
		return load_le64(a) == load_le64(b) &&
		       load_le64(a + n - 8) == load_le64(b + n - 8);
	if (n >= 4)
		return load32(a) == load32(b) &&
		       load32(a + n - 4) == load32(b + n - 4);
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

/*
 * Where the token starting at p ends: at end or at the first separator or
 * NUL.  Both are below '!', so eight bytes at a time are tested for a byte
 * below '!': (w - 0x21 in every byte) & ~w & 0x80 in every byte flags such
 * bytes.  Flags above the lowest may be wrong (a borrow can run into the
 * next byte) but the lowest is exact, since no borrow comes from the
 * bytes under it, and only the lowest is used.  A flagged control byte
 * that is text after all is stepped over.
 */
static inline const char *token_end(const char *p, const char *end)
{
	while (end - p >= 8) {
		uint64_t w = load_le64(p);
		uint64_t low = (w - ONES * '!') & ~w & HIGHS;

		if (low == 0) {
			p += 8;
			continue;
		}
		p += __builtin_ctzll(low) / 8;
		if (class_of(*p) != BYTE_TEXT)
			return p;
		p++;
	}
	while (p < end && class_of(*p) == BYTE_TEXT)
		p++;
	return p;
}

/* A request line being split into tokens. */
struct scanner {
	const char *p;
	const char *end;
	bool nul;		/* it holds a NUL byte: a parse error */
};

/* The next token, or false at the end of the line or at a NUL byte. */
static inline bool next_token(struct scanner *sc, struct span *tok)
{
	const char *p = sc->p;
	const char *start;

	/* Tokens are mostly one space apart: step over it at once. */
	if (sc->end - p >= 2 && p[0] == ' ' && (unsigned char)p[1] > ' ')
		p++;
	else
		while (p < sc->end && class_of(*p) == BYTE_SEP)
			p++;
	start = p;
	p = token_end(p, sc->end);
	sc->p = p;
	if (p < sc->end && *p == '\0') {
		sc->nul = true;
		return false;
	}
	tok->p = start;
	tok->len = (size_t)(p - start);
	return p != start;
}

/* Whether the token is exactly the literal word (3 to 16 bytes). */
#define SPAN_IS(s, word) \
	((s)->len == sizeof(word) - 1 && short_equal((s)->p, (word), (s)->len))

/*
 * A number made of decimal digits only, at most max.  Sign, "0x", a
 * fraction, trailing junk and an empty string are refused; leading zeros
 * are fine.  Every max is below 2^32, so ten digits cannot overflow 64
 * bits and the value is compared with max once at the end; only a longer
 * number needs its leading zeros skipped first, and if more than ten
 * digits are left it is too large.
 */
#define DECIMAL_MAX_DIGITS 10

static inline bool parse_decimal(const struct span *s, uint32_t max,
				 uint32_t *out)
{
	const char *p = s->p;
	const char *end = s->p + s->len;
	uint64_t v = 0;

	if (s->len == 0)
		return false;
	if (s->len > DECIMAL_MAX_DIGITS) {
		while (p < end && *p == '0')
			p++;
		if (end - p > DECIMAL_MAX_DIGITS)
			return false;
	}
	for (; p < end; p++) {
		unsigned d = (unsigned)(unsigned char)*p - '0';

		if (d > 9)
			return false;
		v = v * 10 + d;
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool addr_parse(const struct span *s, uint8_t family,
		       struct net_addr *out)
{
	if (family == AF_INET)
		return addr_text_parse4(s->p, s->len, out);
	return addr_text_parse6(s->p, s->len, out);
}

/* Copy a name of 1..cap-1 bytes into a NUL-terminated field of cap bytes. */
static bool copy_name(const char *p, size_t len, char *dst, size_t cap)
{
	if (len == 0 || len >= cap)
		return false;
	memcpy(dst, p, len);
	dst[len] = '\0';
	return true;
}

/*
 * The argument names we know.  The values are collected first (the last
 * occurrence of a name wins) and validated afterwards, so an earlier bad
 * value that a later one replaces does no harm.
 */
enum arg_index {
	ARG_FEATURE,
	ARG_IP4,
	ARG_IP6,
	ARG_PROTOCOL,
	ARG_PORT,
	ARG_LOCAL_IP4,
	ARG_LOCAL_IP6,
	ARG_LOCAL_PORT,
	ARG_LOCAL_DEVICE,
	ARG_TTL,
	ARG_TOS,
	ARG_SIZE,
	ARG_PATTERN,
	ARG_MARK,
	ARG_TIMEOUT,
	/* our extensions (hopprobe(8), EXTENSIONS) */
	ARG_REPLY_DETAILS,
	ARG_FLOW,
	ARG_DONT_FRAGMENT,
	ARG_TIMEOUT_MS,
	ARG_LINK_EVENTS,
	ARG_RTT_NS,
	/* set-rate */
	ARG_PPS,
	ARG_COUNT
};

static const char *const arg_names[ARG_COUNT] = {
	[ARG_FEATURE] = "feature",
	[ARG_IP4] = "ip-4",
	[ARG_IP6] = "ip-6",
	[ARG_PROTOCOL] = "protocol",
	[ARG_PORT] = "port",
	[ARG_LOCAL_IP4] = "local-ip-4",
	[ARG_LOCAL_IP6] = "local-ip-6",
	[ARG_LOCAL_PORT] = "local-port",
	[ARG_LOCAL_DEVICE] = "local-device",
	[ARG_TTL] = "ttl",
	[ARG_TOS] = "tos",
	[ARG_SIZE] = "size",
	[ARG_PATTERN] = "bit-pattern",
	[ARG_MARK] = "mark",
	[ARG_TIMEOUT] = "timeout",
	[ARG_REPLY_DETAILS] = "reply-details",
	[ARG_FLOW] = "flow",
	[ARG_DONT_FRAGMENT] = "dont-fragment",
	[ARG_TIMEOUT_MS] = "timeout-ms",
	[ARG_LINK_EVENTS] = "link-events",
	[ARG_RTT_NS] = "rtt-ns",
	[ARG_PPS] = "pps",
};

/*
 * Which argument a name is, or ARG_COUNT for a name we do not know.  Only
 * "tos" and "pps" have both the same length and the same last byte (their
 * first byte tells them apart), so a switch on the pair picks the only
 * candidate and one comparison confirms it (tests/unit/test_command.c
 * tries every name and near misses of each).
 */
#define NAME_KEY(len, last) ((unsigned)(len) << 8 | (unsigned char)(last))

static enum arg_index arg_lookup(const struct span *s)
{
	enum arg_index arg;

	if (s->len < 3 || s->len > 13)
		return ARG_COUNT;
	switch (NAME_KEY(s->len, s->p[s->len - 1])) {
	case NAME_KEY(3, 'l'): arg = ARG_TTL; break;
	case NAME_KEY(3, 's'):
		arg = s->p[0] == 'p' ? ARG_PPS : ARG_TOS;
		break;
	case NAME_KEY(4, 'w'): arg = ARG_FLOW; break;
	case NAME_KEY(6, 's'): arg = ARG_RTT_NS; break;
	case NAME_KEY(10, 's'): arg = ARG_TIMEOUT_MS; break;
	case NAME_KEY(11, 's'): arg = ARG_LINK_EVENTS; break;
	case NAME_KEY(13, 's'): arg = ARG_REPLY_DETAILS; break;
	case NAME_KEY(13, 't'): arg = ARG_DONT_FRAGMENT; break;
	case NAME_KEY(4, '4'): arg = ARG_IP4; break;
	case NAME_KEY(4, '6'): arg = ARG_IP6; break;
	case NAME_KEY(4, 't'): arg = ARG_PORT; break;
	case NAME_KEY(4, 'e'): arg = ARG_SIZE; break;
	case NAME_KEY(4, 'k'): arg = ARG_MARK; break;
	case NAME_KEY(7, 'e'): arg = ARG_FEATURE; break;
	case NAME_KEY(7, 't'): arg = ARG_TIMEOUT; break;
	case NAME_KEY(8, 'l'): arg = ARG_PROTOCOL; break;
	case NAME_KEY(10, '4'): arg = ARG_LOCAL_IP4; break;
	case NAME_KEY(10, '6'): arg = ARG_LOCAL_IP6; break;
	case NAME_KEY(10, 't'): arg = ARG_LOCAL_PORT; break;
	case NAME_KEY(11, 'n'): arg = ARG_PATTERN; break;
	case NAME_KEY(12, 'e'): arg = ARG_LOCAL_DEVICE; break;
	default: return ARG_COUNT;
	}
	return short_equal(s->p, arg_names[arg], s->len) ? arg : ARG_COUNT;
}

/* Only the values whose bit is set in given have been written. */
struct arg_values {
	uint32_t given;
	struct span value[ARG_COUNT];
};

static bool arg_given(const struct arg_values *args, enum arg_index arg)
{
	return (args->given >> arg) & 1;
}

static void arg_record(struct arg_values *args, const struct span *name,
		       const struct span *value)
{
	enum arg_index arg = arg_lookup(name);

	/* Unknown names are ignored: clients may speak a newer protocol. */
	if (arg == ARG_COUNT)
		return;
	args->given |= 1u << arg;
	args->value[arg] = *value;
}

static void check_support_fill(struct request *req,
			       const struct arg_values *args)
{
	const struct span *v = &args->value[ARG_FEATURE];

	if (!arg_given(args, ARG_FEATURE)) {
		req->status = REQ_INVALID_ARGUMENT;
		return;
	}
	/* A name too long to store is no feature we know: answered "no". */
	if (v->len < sizeof(req->feature)) {
		memcpy(req->feature, v->p, v->len);
		req->feature[v->len] = '\0';
	}
}

/*
 * The range of each numeric argument of send-probe.  They are checked in
 * the order of enum arg_index: port, local-port, ttl, tos, size,
 * bit-pattern, mark, timeout, then the extensions.  An extension that is
 * a switch takes 0 (off, as if not given) or 1.
 */
struct numeric_range {
	uint32_t min;
	uint32_t max;
};

static const struct numeric_range numeric_ranges[ARG_COUNT] = {
	[ARG_PORT] = { 1, 65535 },
	[ARG_LOCAL_PORT] = { 1024, 65535 },
	[ARG_TTL] = { 1, 255 },
	[ARG_TOS] = { 0, 255 },
	[ARG_SIZE] = { 0, PROBE_MAX_SIZE },
	[ARG_PATTERN] = { 0, 255 },
	[ARG_MARK] = { 0, 4294967295u },
	[ARG_TIMEOUT] = { 0, TIMEOUT_MAX_SECONDS },
	[ARG_REPLY_DETAILS] = { 0, 1 },
	[ARG_FLOW] = { 0, 65535 },
	[ARG_DONT_FRAGMENT] = { 0, 1 },
	[ARG_TIMEOUT_MS] = { 1, TIMEOUT_MAX_MS },
	[ARG_LINK_EVENTS] = { 0, 1 },
	[ARG_RTT_NS] = { 0, 1 },
};

#define NUMERIC_ARGS                                                        \
	(1u << ARG_PORT | 1u << ARG_LOCAL_PORT | 1u << ARG_TTL |             \
	 1u << ARG_TOS | 1u << ARG_SIZE | 1u << ARG_PATTERN | 1u << ARG_MARK | \
	 1u << ARG_TIMEOUT | 1u << ARG_REPLY_DETAILS | 1u << ARG_FLOW |       \
	 1u << ARG_DONT_FRAGMENT | 1u << ARG_TIMEOUT_MS |                     \
	 1u << ARG_LINK_EVENTS | 1u << ARG_RTT_NS)

static void numeric_store(struct probe_request *p, enum arg_index arg,
			  uint32_t v)
{
	switch (arg) {
	case ARG_PORT:
		p->port = (uint16_t)v;
		break;
	case ARG_LOCAL_PORT:
		p->local_port = (uint16_t)v;
		break;
	case ARG_TTL:
		p->ttl = (uint8_t)v;
		break;
	case ARG_TOS:
		p->tos = (uint8_t)v;
		break;
	case ARG_SIZE:
		p->size = v;
		break;
	case ARG_PATTERN:
		p->pattern = (uint8_t)v;
		break;
	case ARG_MARK:
		p->has_mark = true;
		p->mark = v;
		break;
	case ARG_TIMEOUT:
		p->timeout = v;
		break;
	case ARG_REPLY_DETAILS:
		p->reply_details = v != 0;
		break;
	case ARG_FLOW:
		p->has_flow = true;
		p->flow = (uint16_t)v;
		break;
	case ARG_DONT_FRAGMENT:
		p->dont_fragment = v != 0;
		break;
	case ARG_TIMEOUT_MS:
		p->timeout_ms = v;
		break;
	case ARG_LINK_EVENTS:
		p->link_events = v != 0;
		break;
	case ARG_RTT_NS:
		p->rtt_ns = v != 0;
		break;
	default:
		break;
	}
}

static bool protocol_parse(const struct span *v, enum probe_proto *out)
{
	if (SPAN_IS(v, "icmp"))
		*out = PROTO_ICMP;
	else if (SPAN_IS(v, "udp"))
		*out = PROTO_UDP;
	else if (SPAN_IS(v, "tcp"))
		*out = PROTO_TCP;
	else if (SPAN_IS(v, "sctp"))
		*out = PROTO_SCTP;
	else
		return false;
	return true;
}

/* "2001:db8::1" or "2001:db8::1%eth0": the scope goes to dst_scope. */
static bool ip6_dst_parse(const struct span *v, struct probe_request *p)
{
	const char *pct = memchr(v->p, '%', v->len);
	size_t addr_len = pct ? (size_t)(pct - v->p) : v->len;

	if (!addr_text_parse6(v->p, addr_len, &p->dst))
		return false;
	if (pct) {
		size_t scope_len = v->len - addr_len - 1;

		if (!copy_name(pct + 1, scope_len, p->dst_scope,
			       sizeof(p->dst_scope)))
			return false;
	}
	return true;
}

/*
 * Validate the collected send-probe arguments.  Value errors are checked
 * first and a missing destination last, which is the order in which
 * mtr-packet 0.95 reports them ("N send-probe protocol foo" is not an
 * ip-version error).  On failure req->status is REQ_INVALID_ARGUMENT with
 * the reason the reply carries; on success it is REQ_OK.
 */
static void send_probe_fill(struct request *req, const struct arg_values *args)
{
	struct probe_request *p = &req->probe;
	uint32_t todo;

	req->status = REQ_INVALID_ARGUMENT;
	req->reason = REASON_NONE;

	if (arg_given(args, ARG_PROTOCOL) &&
	    !protocol_parse(&args->value[ARG_PROTOCOL], &p->proto)) {
		req->reason = REASON_PROTOCOL;
		return;
	}
	/* Only the numeric arguments given, lowest bit first. */
	for (todo = args->given & NUMERIC_ARGS; todo != 0; todo &= todo - 1) {
		enum arg_index arg = (enum arg_index)__builtin_ctz(todo);
		const struct numeric_range *r = &numeric_ranges[arg];
		uint32_t v;

		if (!parse_decimal(&args->value[arg], r->max, &v) || v < r->min)
			return;
		numeric_store(p, arg, v);
	}
	if (arg_given(args, ARG_LOCAL_DEVICE)) {
		const struct span *v = &args->value[ARG_LOCAL_DEVICE];

		if (!copy_name(v->p, v->len, p->device, sizeof(p->device)))
			return;
	}
	if (arg_given(args, ARG_LOCAL_IP4) && arg_given(args, ARG_LOCAL_IP6))
		return;
	if (arg_given(args, ARG_LOCAL_IP4) &&
	    !addr_parse(&args->value[ARG_LOCAL_IP4], AF_INET, &p->local))
		return;
	if (arg_given(args, ARG_LOCAL_IP6) &&
	    !addr_parse(&args->value[ARG_LOCAL_IP6], AF_INET6, &p->local))
		return;
	if (arg_given(args, ARG_IP4) && arg_given(args, ARG_IP6))
		return;
	if (arg_given(args, ARG_IP4) &&
	    !addr_parse(&args->value[ARG_IP4], AF_INET, &p->dst))
		return;
	if (arg_given(args, ARG_IP6) &&
	    !ip6_dst_parse(&args->value[ARG_IP6], p))
		return;
	if (p->dst.family == 0) {
		req->reason = REASON_IP_VERSION;
		return;
	}
	if (p->local.family != 0 && p->local.family != p->dst.family)
		return;
	req->status = REQ_OK;
}

/* set-rate pps N: N probes a second at most, 0 for no limit. */
static void set_rate_fill(struct request *req, const struct arg_values *args)
{
	if (!arg_given(args, ARG_PPS) ||
	    !parse_decimal(&args->value[ARG_PPS], RATE_MAX_PPS,
			   &req->rate_pps))
		req->status = REQ_INVALID_ARGUMENT;
}

static void request_defaults(struct request *req)
{
	memset(req, 0, sizeof(*req));
	req->probe.proto = PROTO_ICMP;
	req->probe.ttl = 255;
	req->probe.size = 64;
	req->probe.timeout = 10;
}

static void parse_error(struct request *req)
{
	request_defaults(req);
	req->status = REQ_PARSE_ERROR;
}

void request_parse(const char *line, size_t len, struct request *req)
{
	struct scanner sc = { line, line + len, false };
	struct arg_values args;
	struct span token, command, name, value;
	uint32_t t;

	request_defaults(req);
	if (!next_token(&sc, &token) || !next_token(&sc, &command)) {
		parse_error(req);
		return;
	}

	/*
	 * The whole line is scanned before the command name is looked at:
	 * a name without a value or a NUL byte anywhere makes the line
	 * unparseable whatever the command, and the parse error wins over
	 * unknown-command.
	 */
	args.given = 0;
	while (next_token(&sc, &name)) {
		if (!next_token(&sc, &value)) {
			parse_error(req);
			return;
		}
		arg_record(&args, &name, &value);
	}
	if (sc.nul || !parse_decimal(&token, INT32_MAX, &t)) {
		parse_error(req);
		return;
	}

	req->token = (int32_t)t;
	if (SPAN_IS(&command, "check-support")) {
		req->command = CMD_CHECK_SUPPORT;
		check_support_fill(req, &args);
	} else if (SPAN_IS(&command, "send-probe")) {
		req->command = CMD_SEND_PROBE;
		send_probe_fill(req, &args);
	} else if (SPAN_IS(&command, "set-rate")) {
		req->command = CMD_SET_RATE;
		set_rate_fill(req, &args);
	} else {
		req->status = REQ_UNKNOWN_COMMAND;
	}
}

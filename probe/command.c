/*
 * command.c: request lines in, reply lines out (shared/protocol.md).
 *
 * Everything here is pure: a request line is split into tokens in place,
 * checked against the grammar and the argument ranges, and turned into a
 * struct request; a reply struct is turned into one line of ASCII.  What
 * needs the host (does IPv6 work, does a scope name an interface, is a
 * local address ours) is left to the engine.
 */
#include "command.h"

#include <arpa/inet.h>
#include <string.h>

#include "build.h"

/* A token: a run of bytes inside the request line, not NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

/*
 * The white space that separates tokens.  A newline never reaches us (the
 * framer strips it); '\r' is here so that CRLF lines parse.
 */
static const bool separator[256] = {
	[' '] = true, ['\t'] = true, ['\r'] = true, ['\v'] = true,
	['\f'] = true,
};

static bool is_sep(char c)
{
	return separator[(unsigned char)c];
}

/* The next token at or after *pos, or false at the end of the line. */
static bool next_token(const char *line, size_t len, size_t *pos,
		       struct span *tok)
{
	size_t i = *pos;
	size_t start;

	while (i < len && is_sep(line[i]))
		i++;
	if (i == len) {
		*pos = i;
		return false;
	}
	start = i;
	while (i < len && !is_sep(line[i]))
		i++;
	tok->p = line + start;
	tok->len = i - start;
	*pos = i;
	return true;
}

/* Whether the token is exactly word; stops at the first differing byte. */
static bool span_is(const struct span *s, const char *word)
{
	size_t i;

	for (i = 0; i < s->len; i++)
		if (word[i] == '\0' || word[i] != s->p[i])
			return false;
	return word[i] == '\0';
}

/*
 * A number made of decimal digits only, at most max.  Sign, "0x", a
 * fraction, trailing junk and an empty string are refused; leading zeros
 * are fine.  Overflow is caught before it happens: v * 10 + d <= max is
 * tested as v <= (max - d) / 10, which cannot wrap.
 */
static bool parse_decimal(const struct span *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s->len == 0)
		return false;
	for (i = 0; i < s->len; i++) {
		unsigned d;

		if (s->p[i] < '0' || s->p[i] > '9')
			return false;
		d = (unsigned)(s->p[i] - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* A number in [min, max], narrowed by the caller to the field's type. */
static bool parse_ranged(const struct span *s, uint64_t min, uint64_t max,
			 uint64_t *out)
{
	return parse_decimal(s, max, out) && *out >= min;
}

/*
 * inet_pton() wants a C string.  No literal of either family comes near
 * this length, so anything longer is refused without looking at it.
 */
#define ADDR_TEXT_MAX 64

static bool parse_addr(const char *p, size_t len, uint8_t family,
		       struct net_addr *out)
{
	char text[ADDR_TEXT_MAX];
	struct net_addr a;

	if (len == 0 || len >= sizeof(text))
		return false;
	memcpy(text, p, len);
	text[len] = '\0';
	memset(&a, 0, sizeof(a));
	if (inet_pton(family, text, a.bytes) != 1)
		return false;
	a.family = family;
	*out = a;
	return true;
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
};

struct arg_values {
	bool given[ARG_COUNT];
	struct span value[ARG_COUNT];
};

static void arg_record(struct arg_values *args, const struct span *name,
		       const struct span *value)
{
	int i;

	for (i = 0; i < ARG_COUNT; i++) {
		if (span_is(name, arg_names[i])) {
			args->given[i] = true;
			args->value[i] = *value;
			return;
		}
	}
	/* Unknown names are ignored: clients may speak a newer protocol. */
}

static void check_support_fill(struct request *req,
			       const struct arg_values *args)
{
	const struct span *v = &args->value[ARG_FEATURE];

	if (!args->given[ARG_FEATURE]) {
		req->status = REQ_INVALID_ARGUMENT;
		return;
	}
	/* A name too long to store is no feature we know: answered "no". */
	if (v->len < sizeof(req->feature)) {
		memcpy(req->feature, v->p, v->len);
		req->feature[v->len] = '\0';
	}
}

/* The numeric arguments of send-probe, their ranges and where they go. */
struct numeric_arg {
	enum arg_index arg;
	uint64_t min;
	uint64_t max;
};

static const struct numeric_arg numeric_args[] = {
	{ ARG_PORT, 1, 65535 },
	{ ARG_LOCAL_PORT, 1024, 65535 },
	{ ARG_TTL, 1, 255 },
	{ ARG_TOS, 0, 255 },
	{ ARG_SIZE, 0, PROBE_MAX_SIZE },
	{ ARG_PATTERN, 0, 255 },
	{ ARG_MARK, 0, 4294967295u },
	{ ARG_TIMEOUT, 0, TIMEOUT_MAX_SECONDS },
};

static void numeric_store(struct probe_request *p, enum arg_index arg,
			  uint64_t v)
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
		p->size = (uint32_t)v;
		break;
	case ARG_PATTERN:
		p->pattern = (uint8_t)v;
		break;
	case ARG_MARK:
		p->has_mark = true;
		p->mark = (uint32_t)v;
		break;
	case ARG_TIMEOUT:
		p->timeout = (uint32_t)v;
		break;
	default:
		break;
	}
}

static bool protocol_parse(const struct span *v, enum probe_proto *out)
{
	static const char *const names[PROTO_COUNT] = {
		[PROTO_ICMP] = "icmp",
		[PROTO_UDP] = "udp",
		[PROTO_TCP] = "tcp",
		[PROTO_SCTP] = "sctp",
	};
	int i;

	for (i = 0; i < PROTO_COUNT; i++) {
		if (span_is(v, names[i])) {
			*out = (enum probe_proto)i;
			return true;
		}
	}
	return false;
}

/* "2001:db8::1" or "2001:db8::1%eth0": the scope goes to dst_scope. */
static bool ip6_dst_parse(const struct span *v, struct probe_request *p)
{
	const char *pct = memchr(v->p, '%', v->len);
	size_t addr_len = pct ? (size_t)(pct - v->p) : v->len;

	if (!parse_addr(v->p, addr_len, AF_INET6, &p->dst))
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
	size_t i;

	req->status = REQ_INVALID_ARGUMENT;
	req->reason = REASON_NONE;

	if (args->given[ARG_PROTOCOL] &&
	    !protocol_parse(&args->value[ARG_PROTOCOL], &p->proto)) {
		req->reason = REASON_PROTOCOL;
		return;
	}
	for (i = 0; i < sizeof(numeric_args) / sizeof(numeric_args[0]); i++) {
		const struct numeric_arg *n = &numeric_args[i];
		uint64_t v;

		if (!args->given[n->arg])
			continue;
		if (!parse_ranged(&args->value[n->arg], n->min, n->max, &v))
			return;
		numeric_store(p, n->arg, v);
	}
	if (args->given[ARG_LOCAL_DEVICE]) {
		const struct span *v = &args->value[ARG_LOCAL_DEVICE];

		if (!copy_name(v->p, v->len, p->device, sizeof(p->device)))
			return;
	}
	if (args->given[ARG_LOCAL_IP4] && args->given[ARG_LOCAL_IP6])
		return;
	if (args->given[ARG_LOCAL_IP4] &&
	    !parse_addr(args->value[ARG_LOCAL_IP4].p,
			args->value[ARG_LOCAL_IP4].len, AF_INET, &p->local))
		return;
	if (args->given[ARG_LOCAL_IP6] &&
	    !parse_addr(args->value[ARG_LOCAL_IP6].p,
			args->value[ARG_LOCAL_IP6].len, AF_INET6, &p->local))
		return;
	if (args->given[ARG_IP4] && args->given[ARG_IP6])
		return;
	if (args->given[ARG_IP4] &&
	    !parse_addr(args->value[ARG_IP4].p, args->value[ARG_IP4].len,
			AF_INET, &p->dst))
		return;
	if (args->given[ARG_IP6] && !ip6_dst_parse(&args->value[ARG_IP6], p))
		return;
	if (p->dst.family == 0) {
		req->reason = REASON_IP_VERSION;
		return;
	}
	if (p->local.family != 0 && p->local.family != p->dst.family)
		return;
	req->status = REQ_OK;
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
	struct arg_values args;
	struct span token, command, name, value;
	size_t pos = 0;
	uint64_t t;

	request_defaults(req);
	if (len > 0 && memchr(line, '\0', len)) {
		parse_error(req);
		return;
	}
	if (!next_token(line, len, &pos, &token) ||
	    !next_token(line, len, &pos, &command) ||
	    !parse_decimal(&token, INT32_MAX, &t)) {
		parse_error(req);
		return;
	}

	/*
	 * The whole line is scanned before the command name is looked at:
	 * a name without a value makes the line unparseable whatever the
	 * command, and the parse error wins over unknown-command.
	 */
	memset(&args, 0, sizeof(args));
	while (next_token(line, len, &pos, &name)) {
		if (!next_token(line, len, &pos, &value)) {
			parse_error(req);
			return;
		}
		arg_record(&args, &name, &value);
	}

	req->token = (int32_t)t;
	if (span_is(&command, "check-support")) {
		req->command = CMD_CHECK_SUPPORT;
		check_support_fill(req, &args);
	} else if (span_is(&command, "send-probe")) {
		req->command = CMD_SEND_PROBE;
		send_probe_fill(req, &args);
	} else {
		req->status = REQ_UNKNOWN_COMMAND;
	}
}

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

static void out_bytes(struct out_line *o, const char *s, size_t n)
{
	if (o->full || n >= o->cap - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_str(struct out_line *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

static void out_u64(struct out_line *o, uint64_t v)
{
	char digits[20];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_bytes(o, digits + i, sizeof(digits) - i);
}

static void out_i64(struct out_line *o, int64_t v)
{
	if (v < 0) {
		out_str(o, "-");
		/* Negate in unsigned arithmetic: INT64_MIN has no positive. */
		out_u64(o, 0 - (uint64_t)v);
	} else {
		out_u64(o, (uint64_t)v);
	}
}

/* Finish the line: the newline, the NUL, and the length or 0. */
static size_t out_end(struct out_line *o)
{
	out_str(o, "\n");
	if (o->full)
		return 0;
	o->buf[o->len] = '\0';
	return o->len;
}

static const char *reply_name(enum reply_type type, enum reply_names names)
{
	static const char *const names_096[] = {
		[REPLY_REPLY] = "reply",
		[REPLY_TTL_EXPIRED] = "ttl-expired",
		[REPLY_NO_REPLY] = "no-reply",
		[REPLY_NO_ROUTE_NETWORK] = "no-route-network",
		[REPLY_NO_ROUTE_HOST] = "no-route-host",
		[REPLY_NETWORK_DOWN] = "network-down",
		[REPLY_HOST_DOWN] = "host-down",
		[REPLY_PERMISSION_DENIED] = "permission-denied",
		[REPLY_ADDRESS_IN_USE] = "address-in-use",
		[REPLY_ADDRESS_NOT_AVAILABLE] = "address-not-available",
		[REPLY_INVALID_ARGUMENT] = "invalid-argument",
		[REPLY_PROBES_EXHAUSTED] = "probes-exhausted",
		[REPLY_UNEXPECTED_ERROR] = "unexpected-error",
	};

	if ((unsigned)type >= sizeof(names_096) / sizeof(names_096[0]))
		return NULL;
	/* mtr 0.95 knew only one unreachable name for both cases. */
	if (names == REPLY_NAMES_095 &&
	    (type == REPLY_NO_ROUTE_NETWORK || type == REPLY_NO_ROUTE_HOST))
		return "no-route";
	return names_096[type];
}

static void out_addr(struct out_line *o, const struct net_addr *a)
{
	char text[INET6_ADDRSTRLEN];

	if (a->family == AF_INET)
		out_str(o, " ip-4 ");
	else if (a->family == AF_INET6)
		out_str(o, " ip-6 ");
	else {
		o->full = true;
		return;
	}
	if (a->family == AF_INET) {
		/* Dotted quad by hand: inet_ntop goes through printf. */
		int i;

		for (i = 0; i < 4; i++) {
			if (i > 0)
				out_bytes(o, ".", 1);
			out_u64(o, a->bytes[i]);
		}
		return;
	}
	if (!inet_ntop(a->family, a->bytes, text, sizeof(text))) {
		o->full = true;
		return;
	}
	out_str(o, text);
}

/* "mpls L,TC,S,TTL[,L,TC,S,TTL...]": one argument, in stack order. */
static void out_mpls(struct out_line *o, const struct mpls_stack *m)
{
	unsigned count = m->count < MPLS_MAX_LABELS ? m->count : MPLS_MAX_LABELS;
	unsigned i;

	out_str(o, " mpls ");
	for (i = 0; i < count; i++) {
		const struct mpls_label *l = &m->labels[i];

		if (i > 0)
			out_str(o, ",");
		out_u64(o, l->label);
		out_str(o, ",");
		out_u64(o, l->traffic_class);
		out_str(o, ",");
		out_u64(o, l->bottom_of_stack);
		out_str(o, ",");
		out_u64(o, l->ttl);
	}
}

size_t reply_format_probe(const struct probe_reply *r, enum reply_names names,
			  char *buf, size_t cap)
{
	const char *name = reply_name(r->type, names);
	struct out_line o;

	if (!name)
		return 0;
	out_init(&o, buf, cap);
	out_i64(&o, r->token);
	out_str(&o, " ");
	out_str(&o, name);
	if (r->type == REPLY_UNEXPECTED_ERROR) {
		out_str(&o, " errno ");
		out_i64(&o, r->err);
		return out_end(&o);
	}
	if (r->responder.family != 0)
		out_addr(&o, &r->responder);
	if (r->has_rtt) {
		out_str(&o, " round-trip-time ");
		out_u64(&o, r->rtt_us);
	}
	if (r->mpls && r->mpls->count > 0)
		out_mpls(&o, r->mpls);
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
	const char *c;

	if (!value || !*value)
		return 0;
	for (c = value; *c; c++) {
		if (*c <= ' ' || *c > '~')
			return 0;
	}
	out_init(&o, buf, cap);
	out_i64(&o, token);
	out_str(&o, " feature-support support ");
	out_str(&o, value);
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
		out_str(&o, "0 command-parse-error");
		break;
	case REQ_UNKNOWN_COMMAND:
		out_i64(&o, req->token);
		out_str(&o, " unknown-command");
		break;
	case REQ_INVALID_ARGUMENT:
		out_i64(&o, req->token);
		out_str(&o, " invalid-argument");
		if (req->reason == REASON_IP_VERSION)
			out_str(&o, " reason ip-version-not-supported");
		else if (req->reason == REASON_PROTOCOL)
			out_str(&o, " reason protocol-not-supported");
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
	out_str(&o, "0 command-buffer-overflow");
	return out_end(&o);
}

/*
 * wire.h: the client side of the mtr-packet protocol as pure functions.
 *
 * Requests are formatted into a caller's buffer and replies are parsed
 * from (pointer, length) into a struct; nothing here reads a clock, a
 * descriptor or a global.  Anything a worker can say that is not exactly
 * the protocol of hopprobe(8) is reported as malformed, so that the
 * library can treat the worker as answering nonsense instead of guessing.
 *
 * Besides the hp_kind names (client.h), a worker can answer with lines
 * that are no probe result: the feature answer, the three errors about
 * the request itself, and `probes-exhausted`, which the library handles
 * without telling its caller.  enum hp_wire_kind names all of them.
 */
#ifndef HOPPROBE_WIRE_H
#define HOPPROBE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client.h"

/* Largest token the protocol allows (it is never wrapped). */
#define HP_WIRE_TOKEN_MAX 2147483647u
/* Longest timeout-ms value a worker accepts (one day). */
#define HP_WIRE_TIMEOUT_MS_MAX 86400000u
/*
 * A send-probe request with every field at its longest fits in this many
 * bytes with its newline and NUL; so does a check-support request for a
 * feature name of up to 64 bytes.
 */
#define HP_WIRE_REQUEST_MAX 448

/*
 * Every reply name a worker can send.  The first ones have the values of
 * the hp_kind they stand for, so that a probe result converts by a cast;
 * HP_WORKER_FAILED has no line of its own and is skipped.
 */
enum hp_wire_kind {
	HP_WIRE_REPLY = HP_REPLY,
	HP_WIRE_TTL_EXPIRED = HP_TTL_EXPIRED,
	HP_WIRE_NO_REPLY = HP_NO_REPLY,
	HP_WIRE_NO_ROUTE = HP_NO_ROUTE,
	HP_WIRE_NO_ROUTE_NETWORK = HP_NO_ROUTE_NETWORK,
	HP_WIRE_NO_ROUTE_HOST = HP_NO_ROUTE_HOST,
	HP_WIRE_NETWORK_DOWN = HP_NETWORK_DOWN,
	HP_WIRE_HOST_DOWN = HP_HOST_DOWN,
	HP_WIRE_PERMISSION_DENIED = HP_PERMISSION_DENIED,
	HP_WIRE_ADDRESS_IN_USE = HP_ADDRESS_IN_USE,
	HP_WIRE_ADDRESS_NOT_AVAILABLE = HP_ADDRESS_NOT_AVAILABLE,
	HP_WIRE_INVALID_ARGUMENT = HP_INVALID_ARGUMENT,
	HP_WIRE_UNEXPECTED_ERROR = HP_UNEXPECTED_ERROR,
	HP_WIRE_PACKET_TOO_BIG = HP_PACKET_TOO_BIG,
	HP_WIRE_FEATURE_SUPPORT = HP_KIND_COUNT,
	HP_WIRE_PROBES_EXHAUSTED,
	HP_WIRE_COMMAND_PARSE_ERROR,
	HP_WIRE_COMMAND_BUFFER_OVERFLOW,
	HP_WIRE_UNKNOWN_COMMAND,
	HP_WIRE_RATE_SET,		/* the answer to set-rate */
	HP_WIRE_KIND_END
};

/* The reply name of KIND ("probes-exhausted"); NULL for no such kind. */
const char *hp_wire_kind_name(enum hp_wire_kind kind);
/* The kind of reply name NAME (LEN bytes); -1 when it is none. */
int hp_wire_kind_from_name(const char *name, size_t len);
/* True for the kinds that are the result of a probe (an hp_kind). */
bool hp_wire_kind_is_result(enum hp_wire_kind kind);

/* One reply line, parsed. */
struct hp_wire_reply {
	uint32_t token;			/* 0..HP_WIRE_TOKEN_MAX */
	enum hp_wire_kind kind;
	/*
	 * For result kinds, the result (kind, responder, round-trip time,
	 * MPLS labels, errno); for the others kind is HP_WORKER_FAILED and
	 * the rest empty.
	 */
	struct hp_result result;
	/* feature-support: the `support` value inside the line; else NULL. */
	const char *support;
	size_t support_len;
	/* rate-set: the rate granted (0: no limit); -1 for other kinds. */
	int64_t pps;
};

/*
 * Parse one reply line of LEN bytes (without its newline; the bytes need
 * not be NUL terminated and may contain NUL, which makes the line
 * malformed).  Tokens are separated by runs of spaces or tabs.  Returns 0
 * and fills OUT, or -1 for a malformed line: a token that is not a number
 * of 0..2147483647, an unknown reply name, an argument name without a
 * value, a value of a known argument that does not parse, a
 * feature-support without its `support` value, or a rate-set without its
 * `pps`.  The extensions' words (hopprobe(8), EXTENSIONS) fill the
 * result's extension fields and set their bits in result.has.  Unknown argument pairs are
 * ignored, as newer workers may add some.
 */
int hp_wire_parse_reply(const char *line, size_t len,
			struct hp_wire_reply *out);

/*
 * 0 when every field of P is in the range client.h gives (a destination
 * of either family, a source of the same family or none, a device name of
 * 1-15 printable characters without blanks, ...); -1 otherwise.
 */
int hp_wire_check_probe(const struct hp_probe *p);

/*
 * The whole seconds sent as `timeout` to a worker without timeout-ms:
 * TIMEOUT_MS rounded up (0 stays 0, the worker's default).
 */
uint32_t hp_wire_timeout_seconds(uint32_t timeout_ms);

/* The extensions a worker answered ok to, for hp_wire_format_probe. */
enum hp_wire_feature {
	HP_WIRE_HAS_TIMEOUT_MS = 1u << 0,
	HP_WIRE_HAS_REPLY_DETAILS = 1u << 1,
	HP_WIRE_HAS_FLOW = 1u << 2,
	HP_WIRE_HAS_DONT_FRAGMENT = 1u << 3,
	HP_WIRE_HAS_RTT_NS = 1u << 4,
	HP_WIRE_HAS_LINK_EVENTS = 1u << 5,
	HP_WIRE_HAS_RATE = 1u << 6
};

/*
 * Format `TOKEN send-probe ...\n` for P into BUF (LEN bytes, NUL
 * terminated), with only the fields that differ from their default.
 * FEATURES (enum hp_wire_feature bits) says what the worker knows: the
 * timeout goes as `timeout-ms N` with HP_WIRE_HAS_TIMEOUT_MS, else as
 * whole seconds rounded up; each extension argument of P goes only when
 * its bit is set.  Returns the length without the NUL, or -1 when P is
 * out of range, TOKEN is above HP_WIRE_TOKEN_MAX or BUF is too small
 * (HP_WIRE_REQUEST_MAX is always enough).
 */
int hp_wire_format_probe(uint32_t token, const struct hp_probe *p,
			 unsigned features, char *buf, size_t len);

/*
 * Format `TOKEN set-rate pps N\n` (N up to 4294967295, 0 no limit).
 * Returns the length, or -1.
 */
int hp_wire_format_set_rate(uint32_t token, uint32_t pps, char *buf,
			    size_t len);

/*
 * Format `TOKEN check-support feature NAME\n`.  NAME must be a non-empty
 * run of printable characters without blanks.  Returns the length, or -1.
 */
int hp_wire_format_check_support(uint32_t token, const char *name,
				 char *buf, size_t len);

#endif

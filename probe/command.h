/*
 * command.h: the request side and the reply side of the mtr-packet
 * protocol (hopprobe(8)), as pure functions.  A request line
 * becomes a struct request or an error; a reply becomes one line of text.
 */
#ifndef HOPPROBE_COMMAND_H
#define HOPPROBE_COMMAND_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "icmp_ext.h"
#include "reply_details.h"

#define COMMAND_MAX_LINE 4095	/* bytes, newline excluded */
#define TIMEOUT_MAX_SECONDS 86400
#define TIMEOUT_MAX_MS (TIMEOUT_MAX_SECONDS * 1000u)
#define RATE_MAX_PPS 100000000u	/* set-rate: above this, invalid-argument */

enum request_status {
	REQ_OK = 0,
	REQ_PARSE_ERROR,	/* "0 command-parse-error" */
	REQ_UNKNOWN_COMMAND,	/* "TOKEN unknown-command" */
	REQ_INVALID_ARGUMENT,	/* "TOKEN invalid-argument [reason R]" */
};

enum request_reason {
	REASON_NONE = 0,
	REASON_IP_VERSION,	/* reason ip-version-not-supported */
	REASON_PROTOCOL,	/* reason protocol-not-supported */
};

enum command_name {
	CMD_CHECK_SUPPORT,
	CMD_SEND_PROBE,
	CMD_SET_RATE,		/* our extension "rate" */
};

struct probe_request {
	struct net_addr dst;		/* family set: ip-4 or ip-6 given */
	char dst_scope[IF_NAMESIZE];	/* ip-6 "fe80::1%eth0": "eth0", or "" */
	enum probe_proto proto;		/* default PROTO_ICMP */
	uint16_t port;			/* 0: worker's default */
	struct net_addr local;		/* family 0: routing chooses */
	uint16_t local_port;		/* 0: worker chooses */
	char device[IF_NAMESIZE];	/* "" : none */
	uint8_t ttl;			/* default 255 */
	uint8_t tos;			/* default 0 */
	uint32_t size;			/* default 64; <= PROBE_MAX_SIZE */
	uint8_t pattern;		/* default 0 */
	bool has_mark;
	uint32_t mark;
	uint32_t timeout;		/* seconds, default 10,
					   <= TIMEOUT_MAX_SECONDS */
	/* Our extensions (hopprobe(8), EXTENSIONS); all off by default. */
	uint32_t timeout_ms;		/* timeout-ms; 0: not given */
	bool reply_details;		/* reply-details 1 */
	bool has_flow;			/* flow N given */
	uint16_t flow;
	bool dont_fragment;		/* dont-fragment 1 */
	bool link_events;		/* link-events 1 */
	bool rtt_ns;			/* rtt-ns 1 */
};

struct request {
	enum request_status status;
	enum request_reason reason;	/* with REQ_INVALID_ARGUMENT */
	int32_t token;			/* 0 when the token was unparseable */
	enum command_name command;
	char feature[32];		/* check-support: the feature name ("" if
					   longer than fits: answered "no") */
	struct probe_request probe;	/* send-probe */
	uint32_t rate_pps;		/* set-rate */
};

/*
 * Parse one request line (no newline; len bytes, which may contain NUL
 * bytes: a NUL inside a line makes it a parse error).  Never fails to fill
 * *req: on error, req->status says which error reply to give.
 */
void request_parse(const char *line, size_t len, struct request *req);

/* The mtr version whose unreachable reply names we speak. */
enum reply_names {
	REPLY_NAMES_095,	/* no-route */
	REPLY_NAMES_096,	/* no-route-network, no-route-host */
};

enum reply_type {
	REPLY_REPLY,
	REPLY_TTL_EXPIRED,
	REPLY_NO_REPLY,
	REPLY_NO_ROUTE_NETWORK,
	REPLY_NO_ROUTE_HOST,
	REPLY_NETWORK_DOWN,
	REPLY_HOST_DOWN,
	REPLY_PERMISSION_DENIED,
	REPLY_ADDRESS_IN_USE,
	REPLY_ADDRESS_NOT_AVAILABLE,
	REPLY_INVALID_ARGUMENT,
	REPLY_PROBES_EXHAUSTED,
	REPLY_UNEXPECTED_ERROR,
	REPLY_PACKET_TOO_BIG,	/* dont-fragment (hopprobe(8), EXTENSIONS) */
};

struct probe_reply {
	int32_t token;
	enum reply_type type;
	struct net_addr responder;	/* family 0: none */
	bool has_rtt;
	uint64_t rtt_us;
	bool has_rtt_ns;		/* rtt-ns: the kernel's round trip */
	uint64_t rtt_ns;
	const struct mpls_stack *mpls;	/* NULL or count 0: none */
	/* reply-details: NULL when not asked; words only for what it has. */
	const struct reply_details *details;
	const char *device;		/* link-events' network-down: the
					   interface, or NULL */
	int err;			/* errno, for REPLY_UNEXPECTED_ERROR */
	bool has_mtu;			/* "mtu N" (REPLY_PACKET_TOO_BIG) */
	uint32_t mtu;
};

/*
 * Format into buf (cap bytes) one line ending in '\n'.  Returns its length,
 * or 0 if it does not fit (a buffer of REPLY_MAX_LINE always fits).
 */
#define REPLY_MAX_LINE 1024
size_t reply_format_probe(const struct probe_reply *r, enum reply_names names,
			  char *buf, size_t cap);
size_t reply_format_support(int32_t token, const char *value, char *buf,
			    size_t cap);
/* "TOKEN rate-set pps N\n": the rate set-rate granted. */
size_t reply_format_rate(int32_t token, uint32_t pps, char *buf, size_t cap);
/* The error replies for a request that failed to parse (req->status). */
size_t reply_format_request_error(const struct request *req, char *buf,
				  size_t cap);
/* "0 command-buffer-overflow\n" */
size_t reply_format_overflow(char *buf, size_t cap);

#endif

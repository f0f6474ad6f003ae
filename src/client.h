/*
 * client.h: the hopprobe client library, the installed API.
 *
 * A client starts one or more workers (hopprobe or anything else that
 * speaks the mtr-packet protocol of hopprobe(8)), negotiates features with
 * `check-support`, allocates tokens, queues probes behind a per-worker
 * in-flight window and calls one completion callback per probe.  It runs on
 * the caller's libev loop and owns no global state: every handle is opaque
 * and every callback gets the caller's pointer back.
 *
 * Guarantees:
 *  - every probe given to hp_client_send() gets exactly one callback, never
 *    from inside hp_client_send() itself;
 *  - `probes-exhausted` is never passed to the caller: the probe is queued
 *    again and retried after a short back-off, with the window shrunk;
 *  - a worker that exits, stalls (a probe still unanswered well past its
 *    timeout, or no answer to check-support within the start-up timeout) or
 *    answers something that is not the protocol is killed and reported once
 *    through the `failed` callback, with the last lines it wrote to stderr;
 *    its probes in flight complete with HP_WORKER_FAILED; probes still queued
 *    go to another live worker, or complete with HP_WORKER_FAILED when none
 *    is left.
 *
 * The caller must ignore SIGPIPE (signal(SIGPIPE, SIG_IGN)) before adding
 * a worker: writing to a worker that has gone raises it, and the library
 * never changes process-wide signal dispositions.  With SIGPIPE ignored
 * the write fails with EPIPE and the worker's end is reported as above.
 * Workers themselves start with SIGPIPE at its default.  Exit statuses
 * are collected with waitpid() on each worker's pid; a SIGCHLD handler
 * that reaps every child (waitpid(-1, ...)) leaves the message without
 * the status.
 */
#ifndef HOPPROBE_CLIENT_H
#define HOPPROBE_CLIENT_H

#include <ev.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HP_MAX_MPLS 16
/* Longest address text hp_addr_format() writes, with its NUL. */
#define HP_ADDR_TEXT 46

/* What the worker answered to one probe (protocol reply names). */
enum hp_kind {
	HP_REPLY = 0,		/* the destination answered */
	HP_TTL_EXPIRED,		/* a router said time exceeded */
	HP_NO_REPLY,		/* nothing before the timeout */
	HP_NO_ROUTE,		/* mtr 0.95's name for both unreachables */
	HP_NO_ROUTE_NETWORK,
	HP_NO_ROUTE_HOST,
	HP_NETWORK_DOWN,
	HP_HOST_DOWN,
	HP_PERMISSION_DENIED,
	HP_ADDRESS_IN_USE,
	HP_ADDRESS_NOT_AVAILABLE,
	HP_INVALID_ARGUMENT,
	HP_UNEXPECTED_ERROR,
	/* dont-fragment: a link on the path, or our own, is smaller than
	 * the probe (hp_result.mtu) */
	HP_PACKET_TOO_BIG,
	HP_WORKER_FAILED,	/* the worker died or misbehaved first */
	HP_KIND_COUNT
};

/* The protocol name of a kind ("ttl-expired"); "worker-failed" for the last. */
const char *hp_kind_name(enum hp_kind kind);
/* The kind of a protocol reply name; -1 when NAME is not one. */
int hp_kind_from_name(const char *name, size_t len);

/* An IPv4 or IPv6 address; family 0 means none. */
struct hp_addr {
	int family;		/* AF_INET, AF_INET6 or 0 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* Parse an address literal (either family); 0 on success, -1 otherwise. */
int hp_addr_parse(const char *text, struct hp_addr *out);
/* Write the literal of A into BUF (at least HP_ADDR_TEXT bytes); "" for none. */
void hp_addr_format(const struct hp_addr *a, char *buf, size_t len);
/* 1 when A and B are the same address of the same family. */
int hp_addr_equal(const struct hp_addr *a, const struct hp_addr *b);

struct hp_mpls_label {
	uint32_t label;		/* 20 bits */
	uint8_t tc;		/* traffic class, 3 bits */
	uint8_t bos;		/* bottom of stack, 0 or 1 */
	uint8_t ttl;
};

/*
 * Which of hp_result's extension fields a reply carried (hopprobe(8),
 * EXTENSIONS): a bit per field, so that a zeroed result has none.
 */
enum hp_result_has {
	HP_HAS_ICMP = 1u << 0,		/* icmp_type and icmp_code */
	HP_HAS_REPLY_TTL = 1u << 1,
	HP_HAS_QUOTED_TTL = 1u << 2,
	HP_HAS_QUOTED_TOS = 1u << 3,
	HP_HAS_NEXT_HOP_MTU = 1u << 4,
	HP_HAS_IF_INDEX = 1u << 5,
	HP_HAS_IF_MTU = 1u << 6,
	HP_HAS_MTU = 1u << 7,		/* packet-too-big's mtu */
	HP_HAS_RTT_NS = 1u << 8
};

/* Longest RFC 5837 interface name, without its NUL. */
#define HP_IF_NAME_MAX 63

struct hp_result {
	enum hp_kind kind;
	struct hp_addr responder;	/* family 0 when the reply named none */
	int64_t rtt_us;			/* -1 when the reply had none */
	unsigned mpls_count;
	struct hp_mpls_label mpls[HP_MAX_MPLS];
	int error_number;		/* errno of unexpected-error, else 0 */
	/* The extensions' fields; each valid only with its bit in HAS. */
	unsigned has;			/* enum hp_result_has bits */
	int64_t rtt_ns;			/* rtt-ns: kernel timestamps */
	uint32_t mtu;			/* packet-too-big; 0: the router gave
					 * none */
	/* reply-details */
	uint8_t icmp_type, icmp_code;
	uint8_t reply_ttl;		/* of the arriving answer */
	uint8_t quoted_ttl, quoted_tos;	/* our probe as quoted */
	uint32_t next_hop_mtu;
	uint32_t if_index;		/* RFC 5837 interface information */
	uint32_t if_mtu;
	struct hp_addr if_addr;		/* family 0: none */
	char if_name[HP_IF_NAME_MAX + 1];	/* "": none */
	/* link-events: the device of a network-down; "": none */
	char device[16];
};

enum hp_protocol {
	HP_ICMP = 0,
	HP_UDP,
	HP_TCP,
	HP_SCTP
};
/* "icmp", "udp", "tcp", "sctp". */
const char *hp_protocol_name(enum hp_protocol p);

/* One probe.  Fields left at their "default" value are not sent. */
struct hp_probe {
	struct hp_addr dest;		/* required */
	enum hp_protocol protocol;
	int ttl;			/* 1-255; 0: worker default */
	int port;			/* 1-65535; 0: worker default */
	int local_port;			/* 1024-65535; 0: worker default */
	struct hp_addr source;		/* family 0: chosen by routing */
	const char *device;		/* NULL: routing */
	int tos;			/* 0-255; -1: default */
	int size;			/* bytes; 0: default */
	int bit_pattern;		/* 0-255; -1: default */
	int64_t mark;			/* 0-4294967295; -1: none */
	/*
	 * Milliseconds before no-reply; 0: the worker's default (10 s).  A
	 * worker that does not support `timeout-ms` is sent whole seconds
	 * (rounded up) and the library itself completes the probe with
	 * HP_NO_REPLY when TIMEOUT_MS have passed, ignoring a later answer.
	 */
	uint32_t timeout_ms;
	/*
	 * Extensions (hopprobe(8), EXTENSIONS).  Each is sent only to a
	 * worker that answered its check-support with ok, and left out for
	 * any other, whose reply then lacks what it would have added.
	 */
	/*
	 * 0-65535: Paris traceroute; -1: none.  The UDP, TCP and SCTP
	 * probes of one flow all go to the same worker, which holds the
	 * flow's source port for them.
	 */
	int flow;
	int dont_fragment;		/* 1: answered HP_PACKET_TOO_BIG */
	int reply_details;		/* 1: icmp_type ... if_name */
	int rtt_ns;			/* 1: rtt_ns */
	int link_events;		/* 1: network-down at once */
};

/* Set every field of P to its default (dest left as none). */
void hp_probe_init(struct hp_probe *p);

struct hp_client;
struct hp_worker;

typedef void (*hp_result_cb)(void *arg, const struct hp_result *result);

struct hp_client_callbacks {
	/* A worker answered every start-up check-support question. */
	void (*ready)(void *arg, struct hp_worker *worker);
	/*
	 * A worker failed (see above).  MESSAGE says what happened and ends
	 * with the worker's stderr, if it wrote any; it lives only during the
	 * call.
	 */
	void (*failed)(void *arg, struct hp_worker *worker, const char *message);
	void *arg;
};

struct hp_client_options {
	unsigned window;	/* in-flight cap per worker; 0: 4096 */
	double stall_grace_s;	/* past a probe's timeout before "stalled"; 0: 5 */
	double startup_timeout_s; /* for the check-support answers; 0: 10 */
};

/* A client on LOOP.  OPTS may be NULL (defaults); CB is copied. */
struct hp_client *hp_client_new(struct ev_loop *loop,
				const struct hp_client_options *opts,
				const struct hp_client_callbacks *cb);

/*
 * Start a worker.  With USE_SHELL, COMMAND is run as `/bin/sh -c COMMAND`;
 * otherwise COMMAND is the path of an executable run without arguments.
 * Returns NULL (and fills ERR) when the process cannot be started at all;
 * a command that starts and then fails is reported through `failed`.
 */
struct hp_worker *hp_client_add_worker(struct hp_client *client,
				       const char *command, int use_shell,
				       char *err, size_t errlen);

/*
 * Queue one probe; CB(ARG, result) is called exactly once, later.  Returns
 * 0, or -1 with errno EINVAL for a probe without a destination or with a
 * value out of range, and ENOENT when no worker is alive.  Probes may be
 * sent before any worker is ready: they wait in the queue.
 */
int hp_client_send(struct hp_client *client, const struct hp_probe *probe,
		   hp_result_cb cb, void *arg);

/*
 * hp_client_send() for a probe that must go to WORKER and no other (a
 * vantage point): it waits for that worker's room, and completes with
 * HP_WORKER_FAILED when that worker fails, whatever the others do.
 * WORKER NULL is hp_client_send().  -1 with errno ENOENT when WORKER has
 * failed already, EINVAL when it is not this client's.
 */
int hp_client_send_to(struct hp_client *client, struct hp_worker *worker,
		      const struct hp_probe *probe, hp_result_cb cb,
		      void *arg);

/* Probes sent to a worker and not yet answered, and probes waiting. */
unsigned hp_client_in_flight(const struct hp_client *client);
unsigned hp_client_queued(const struct hp_client *client);
/* Workers started and not failed. */
unsigned hp_client_live_workers(const struct hp_client *client);

/*
 * The answer a worker gave to `check-support feature NAME` at start-up:
 * "ok", "no", or for "version" the version string; NULL when not (yet)
 * asked.  The library asks: version send-probe ip-4 ip-6 icmp udp tcp sctp
 * mark timeout-ms reply-details flow dont-fragment rtt-ns link-events rate.
 */
const char *hp_worker_feature(const struct hp_worker *worker, const char *name);
/* 1 when that answer was "ok". */
int hp_worker_supports(const struct hp_worker *worker, const char *name);
/* The command the worker was started with. */
const char *hp_worker_command(const struct hp_worker *worker);
/* Probes on this worker not yet answered (its tokens in use). */
unsigned hp_worker_in_flight(const struct hp_worker *worker);
/* 1 once the worker has answered the start-up questions. */
int hp_worker_is_ready(const struct hp_worker *worker);

/*
 * At most PPS probes a second leave the client from now on, over all its
 * workers together (0: no limit, the default).  The library spaces its
 * own requests to each live worker at that worker's share (PPS divided
 * evenly among the ready workers), and tells each worker that supports
 * `rate` its share (set-rate, rounded up), so that the worker keeps it on
 * the wire as well; a worker whose build caps the rate lower answers with
 * its cap, and that worker's share becomes the cap.  Probes above the rate
 * wait in the queue; none is dropped.  Returns 0, or -1 (EINVAL) for a
 * negative or non-finite PPS.
 */
int hp_client_set_rate(struct hp_client *client, double pps);
/*
 * The rate a worker last granted (`rate-set pps N`): N, 0 for no limit,
 * -1 while none was asked or answered, or when it has no `rate`.
 */
long hp_worker_rate(const struct hp_worker *worker);

/*
 * Stop every worker (SIGTERM, then SIGKILL if it has not exited within
 * a short, bounded wait), complete nothing further (no callback runs after
 * this is called) and free everything.
 */
void hp_client_free(struct hp_client *client);

#ifdef __cplusplus
}
#endif

#endif

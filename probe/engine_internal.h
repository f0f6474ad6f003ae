/*
 * engine_internal.h: what the engine's files share, and nothing else does.
 *
 * The engine is split along its seams:
 *   engine.c          set-up, the loop, signals, tear-down;
 *   engine_io.c       commands in (framing, parsing, check-support) and
 *                     answers out (the output queue, backpressure);
 *   engine_probe.c    a probe's life, the same for every backend: the
 *                     request checked, its identity reserved, its
 *                     deadline kept, its answer formatted, its end;
 *   raw_send.c,       the raw-socket backend: probes built here, sent
 *   raw_receive.c     in batches with sendmmsg(), replies read in batches
 *                     with recvmmsg() and decoded (raw_backend.h);
 *   dgram_backend.c   the unprivileged backend: one socket per probe
 *                     (dgram.h);
 *   engine_rttns.c,   rtt-ns: kernel transmit timestamps matched to
 *   raw_txstamp.c     their probes (the raw backend's error queues);
 *   engine_link.c     link-events: the probes that asked, answered when
 *                     their interface goes down;
 *   engine_rate.c     set-rate: probes above the rate wait in order
 *                     between admission and their identity.
 * A backend is a table of operations (struct engine_backend) chosen once
 * at start-up, so the common code never asks which one runs.
 */
#ifndef HOPPROBE_ENGINE_INTERNAL_H
#define HOPPROBE_ENGINE_INTERNAL_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "build.h"
#include "command.h"
#include "decode.h"
#include "engine.h"
#include "identity.h"
#include "lineio.h"
#include "probe_table.h"
#include "rate_bucket.h"
#include "srccache.h"
#include "timeout_queue.h"

/* A probe on its way out: what the common steps and the backend share. */
struct outbound {
	const struct probe_request *req;
	int32_t token;
	struct probe_spec spec;		/* identity fields filled on reserve */
	uint32_t scope_id;		/* IPv6 destination's scope */
	int ifindex;			/* `device`, 0 for none */
	uint32_t list;			/* its timeout list */
	void *route;			/* the backend's: how it leaves */
};

struct engine_backend {
	/*
	 * Take over setup's sockets and prepare the backend's state; 0, or -1
	 * with a message for stderr in msg.
	 */
	int (*start)(struct engine *e, const struct engine_setup *setup,
		     char *msg, size_t cap);
	/* Release everything, probes' resources included. */
	void (*stop)(struct engine *e);
	bool (*family_ok)(const struct engine *e, uint8_t family);
	/* May open the protocol's sockets on its first use. */
	bool (*proto_ok)(struct engine *e, uint8_t family,
			 enum probe_proto proto);
	bool (*can_mark)(const struct engine *e);
	/* Whether it controls every field a flow holds (wire_identity.h). */
	bool (*can_flow)(const struct engine *e);
	/* Whether probes can be sent unfragmented (dont-fragment). */
	bool (*can_dont_fragment)(const struct engine *e);
	/* The answer to a protocol proto_ok refuses. */
	void (*refuse_proto)(struct engine *e, int32_t token);
	/*
	 * Before an identity is reserved: the route, the source (spec.src),
	 * the source port (spec.sport) and, where the backend honours it,
	 * spec.dont_fragment.  0 or an errno for the reply.
	 */
	int (*prepare)(struct engine *e, struct outbound *ob);
	/*
	 * Send probe i, whose identity is in the table: at once, or queued
	 * for the next flush.  The backend calls engine_probe_sent() once it
	 * is on its way, or engine_probe_abandon() when it cannot go; a
	 * non-zero errno returned here abandons it too.
	 */
	int (*send)(struct engine *e, uint32_t i, struct outbound *ob);
	/* What probe i holds (a port, a socket), at its end. */
	void (*release)(struct engine *e, uint32_t i);
	/* After a batch of commands: send what is queued, read what came. */
	void (*flush)(struct engine *e);
	/* Whether transmit timestamps work here (check-support rtt-ns). */
	bool (*rtt_ns_ok)(struct engine *e);
};

extern const struct engine_backend engine_backend_raw;
extern const struct engine_backend engine_backend_dgram;

struct raw_backend;
struct dgram_backend;
struct link_watch;

/*
 * One timer per timeout list (timeout_queue.h), allocated with the list
 * the first time a probe uses that timeout value, so that the timer's
 * address stays fixed while the list array grows (libev keeps pointers to
 * active watchers) and lists that are never used cost nothing.
 */
struct list_timer {
	ev_timer timer;
	struct engine *engine;
	uint32_t list;
};

/*
 * rtt-ns: per probe index, what its round trip in nanoseconds needs
 * (engine_rttns.c); allocated on the first probe that asks.
 */
struct rttns_slot {
	struct timespec call;		/* its send call began (REALTIME) */
	struct timespec tx;		/* the kernel's transmit stamp */
	int handle;			/* the backend's: the socket it left by */
	uint8_t state;			/* 0: not asked */
};

struct rttns_table {
	struct rttns_slot *slots;
	uint32_t cap;
};

/* A probe waiting for the rate: the request and what admit() found. */
struct rate_waiting {
	struct probe_request req;
	int32_t token;
	uint32_t scope_id;
	int ifindex;
};

/*
 * set-rate's state (engine_rate.c): the bucket, the probes that wait for
 * it (a ring, in arrival order) and the timer that wakes for the next
 * token while any wait.
 */
struct engine_rate {
	struct rate_bucket bucket;
	ev_timer timer;
	struct rate_waiting *ring;
	uint32_t head;			/* the oldest */
	uint32_t count;
	uint32_t cap;
};

struct engine {
	struct ev_loop *loop;
	const struct engine_backend *backend;
	struct raw_backend *raw;	/* the raw backend's state, or NULL */
	struct dgram_backend *dgram;	/* the unprivileged one's, or NULL */
	enum reply_names names;

	struct probe_table table;
	struct timeout_set timeouts;
	struct src_cache srcs;
	struct link_watch *links;	/* link-events; NULL until asked */
	struct identity_gen identities;	/* per-probe identity values */
	struct rttns_table rttns;
	struct engine_rate rate;
	uint16_t icmp_id;		/* this worker's echo identifier */

	int in_fd, out_fd;
	struct line_framer framer;
	struct out_queue out;
	ev_io in_watcher, out_watcher, netlink_watcher;
	ev_prepare flush_watcher;
	ev_signal signal_watchers[3];	/* SIGTERM, SIGINT, SIGHUP */
	uint32_t probes_since_flush;	/* submitted since the last flush */
	bool input_closed;
	bool output_broken;
	int exit_status;

	char line[REPLY_MAX_LINE];
};

/* Probe states (struct probe's state byte). */
#define PROBE_QUEUED 1		/* identity reserved, not yet sent */
#define PROBE_IN_FLIGHT 2	/* sent: answered, or expired at deadline */

/* Extensions a probe asked for (struct probe's extensions bits). */
#define PROBE_EXT_DETAILS 0x01	/* reply-details 1 */
#define PROBE_EXT_DONT_FRAGMENT 0x02	/* sent with dont-fragment 1 */

/* Probes between flushes within one chunk of requests (engine_io.c). */
#define ENGINE_FLUSH_EVERY 32

double engine_mono_now(void);

/* engine_io.c */
void engine_emit(struct engine *e, const char *text, size_t len);
void engine_emit_reply(struct engine *e, const struct probe_reply *r);
void engine_emit_simple(struct engine *e, int32_t token,
			enum reply_type type, int err);
void engine_emit_invalid(struct engine *e, int32_t token,
			 enum request_reason reason);
void engine_emit_errno(struct engine *e, int32_t token, int err);
enum reply_type engine_reply_for_errno(int err);
void engine_flush_output(struct engine *e);
void engine_flush_all(struct engine *e);
void engine_on_input(struct ev_loop *loop, ev_io *w, int revents);
void engine_on_output(struct ev_loop *loop, ev_io *w, int revents);

/* engine_probe.c */
void engine_submit(struct engine *e, const struct request *req);
void engine_probe_dispatch(struct engine *e, struct outbound *ob);
void engine_probe_sent(struct engine *e, uint32_t i, uint32_t list,
		       const struct timespec *sent, double now);
void engine_probe_abandon(struct engine *e, uint32_t i, int err);
void engine_probe_answer(struct engine *e, uint32_t i, enum reply_kind kind,
			 const struct net_addr *responder,
			 const struct timespec *stamp,
			 const struct mpls_stack *mpls,
			 const struct reply_details *details);
void engine_probe_finish(struct engine *e, uint32_t i);
/* too_big.c's KIND_PACKET_TOO_BIG answer d to probe i (engine_probe.c). */
void engine_probe_too_big(struct engine *e, uint32_t i,
			  const struct decoded *d,
			  const struct timespec *stamp);
/* A dont-fragment probe larger than its device's MTU: answered at once. */
void engine_probe_too_big_local(struct engine *e, uint32_t i, uint32_t mtu);
void engine_timers_free(struct engine *e);

/* engine_rttns.c */
/* Probe i asks for rtt-ns; false when there is no memory for it. */
bool engine_rttns_begin(struct engine *e, uint32_t i);
/* Whether probe i asked (and engine_rttns_begin succeeded): one compare
   for a worker never asked. */
static inline bool engine_rttns_wanted(const struct engine *e, uint32_t i)
{
	return i < e->rttns.cap && e->rttns.slots[i].state != 0;
}
/* Probe i's send call began at call, on the backend's socket handle. */
void engine_rttns_sent(struct engine *e, uint32_t i, int handle,
		       const struct timespec *call);
/* The kernel's transmit stamp for probe i, read from socket handle. */
void engine_rttns_stamp(struct engine *e, uint32_t i, int handle,
			const struct timespec *tx);
/* The handle of a probe still waiting for its transmit stamp, or -1. */
int engine_rttns_waiting(const struct engine *e, uint32_t i);
/* Nanoseconds from the transmit stamp to rx; false when there is none. */
bool engine_rttns_result(struct engine *e, uint32_t i,
			 const struct timespec *rx, uint64_t *ns);
void engine_rttns_end(struct engine *e, uint32_t i);
void engine_rttns_free(struct engine *e);
/* engine_link.c */
bool engine_link_supported(const struct engine *e);
/*
 * The interface probe ob's route leaves through, or 0 when it has none
 * (or link-events cannot work here): asked only for link-events 1.
 */
uint32_t engine_link_route(struct engine *e, const struct outbound *ob);
/*
 * Put reserved probe i on interface oif's list.  False when the probe
 * was answered instead (that link is down already, or memory is short)
 * and has ended.
 */
bool engine_link_watch(struct engine *e, uint32_t i, uint32_t oif);
/* Probe i ends: off its list, if it is on one. */
void engine_link_forget(struct engine *e, uint32_t i);
/* The rtnetlink subscription is readable. */
void engine_link_news(struct engine *e);
void engine_link_free(struct engine *e);
/* engine_rate.c */
void engine_rate_init(struct engine *e);
void engine_rate_free(struct engine *e);
bool engine_rate_hold(struct engine *e, const struct outbound *ob);
void engine_rate_command(struct engine *e, const struct request *req);

#endif

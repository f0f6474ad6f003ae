/*
 * worker_internal.h: what worker.c (one worker process) and client.c (the
 * client: queue, dispatch, the API's entry points) share.  Private to the
 * library; the installed API is client.h.
 */
#ifndef HOPPROBE_WORKER_INTERNAL_H
#define HOPPROBE_WORKER_INTERNAL_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "client.h"
#include "pace.h"
#include "worker_spawn.h"

#define HPW_LINE_MAX 8192		/* longest reply line we take */
#define HPW_FEATURE_COUNT 16		/* start-up questions */
/* hp_slot.feature of a set-rate request (not a start-up question). */
#define HPW_SLOT_RATE (-2)
/* Tokens of one worker: 20 bits of slot index (see worker.c). */
#define HPW_SLOT_MAX (1u << 20)

struct hp_tlist;

struct hp_pending {
	struct hp_probe probe;
	char device[16];		/* probe.device points here */
	hp_result_cb cb;
	void *arg;
	struct hp_worker *pin;		/* hp_client_send_to's; NULL any */
	struct hp_pending *next;	/* in the queue or a timeout list */
	struct hp_pending *prev;	/* in a timeout list */
	struct hp_tlist *list;		/* NULL while queued */
	uint32_t token;
	ev_tstamp stall_at;		/* the worker stalled if not answered */
	ev_tstamp local_at;		/* our own no-reply; 0: none */
	bool expired;			/* completed locally, token kept */
};

/*
 * The probes in flight on one worker with one timeout value, oldest
 * first.  Deadlines grow along the list, so the locally expired probes
 * are a prefix and LIVE points just past it.
 */
struct hp_tlist {
	struct hp_worker *worker;
	uint32_t timeout_ms;
	ev_tstamp stall_after;		/* worker's wait + stall grace */
	ev_tstamp local_after;		/* 0: the worker times out itself */
	struct hp_pending *head, *tail, *live;
	ev_timer timer;
	ev_tstamp armed_at;
};

struct hp_slot {
	struct hp_pending *probe;	/* NULL for a feature question */
	uint32_t next_free;
	uint16_t gen;
	int16_t feature;		/* index into hpw_features, -1 for a
					 * probe, HPW_SLOT_RATE */
	bool used;
};

enum worker_state { W_STARTING, W_READY, W_FAILED };

struct hp_outbuf {
	char *data;
	size_t head, tail, cap;
};

struct hp_worker {
	struct hp_client *client;
	struct hp_worker *next;
	char *command;
	enum worker_state state;
	bool ready;			/* answered every question once */
	bool eof;			/* end of its stdout */
	bool input_closed;		/* EPIPE on its stdin */
	bool reaped;
	bool killed;			/* we sent SIGKILL */
	unsigned features;		/* enum hp_wire_feature bits */
	int status;
	pid_t pid;
	int in_fd, out_fd, err_fd;
	ev_io in_w, out_w, err_w;
	ev_timer start_timer, backoff_timer, reap_timer;
	ev_tstamp dying_since;
	char rbuf[HPW_LINE_MAX];
	size_t rlen;
	struct hp_outbuf out;
	struct hp_tail err_tail;
	struct hp_slot *slots;
	uint32_t nslots, free_head;
	unsigned outstanding;		/* probe tokens reserved */
	unsigned window;		/* current cap on OUTSTANDING */
	ev_tstamp backoff_s;		/* the next back-off */
	char *feature_value[HPW_FEATURE_COUNT];
	unsigned answered;
	struct hp_tlist **lists;
	unsigned nlists;
	/* Probes pinned to this worker (hp_client_send_to) waiting for
	 * room; they go before the shared queue's. */
	struct hp_pending *phead, *ptail;
	/* hp_client_set_rate: this worker's share, as the library spaces
	 * it, and what was last asked of and granted by the worker. */
	struct hp_pace pace;
	double rate_share;		/* 0: no limit */
	int64_t rate_asked;		/* -1: never asked */
	int64_t rate_granted;		/* -1: no answer */
};

struct hp_client {
	struct ev_loop *loop;
	unsigned window;
	double stall_grace_s, startup_timeout_s;
	struct hp_client_callbacks cb;
	struct hp_worker *workers, *workers_tail;
	struct hp_pending *qhead, *qtail;
	unsigned queued, in_flight, live;
	unsigned depth;			/* our watcher callbacks running */
	bool closing;			/* hp_client_free() was called */
	double rate_pps;		/* hp_client_set_rate; 0: none */
	ev_timer rate_timer;		/* dispatch again when a share allows */
};

/* ---- client.c --------------------------------------------------------- */

/* Bracket every watcher callback; after hpc_leave() C may be gone. */
void hpc_enter(struct hp_client *c);
void hpc_leave(struct hp_client *c);
/* Back to the front of its queue: its worker's when pinned, else the
 * shared one. */
void hpc_queue_push_front(struct hp_client *c, struct hp_pending *p);
/* The first of the shared queue, or of W's pinned one when W. */
struct hp_pending *hpc_queue_pop(struct hp_client *c, struct hp_worker *w);
void hpc_result_empty(struct hp_result *r, enum hp_kind kind);
/*
 * Call P's callback once and free P.  Returns false when the callback
 * closed the client: the caller must then stop calling back.
 */
bool hpc_complete(struct hp_client *c, struct hp_pending *p,
		  const struct hp_result *r);
/* Give waiting probes to workers with room; never calls back. */
void hpc_dispatch(struct hp_client *c);
/*
 * The ready workers changed, or the rate did: share the rate among them
 * again (and tell those that support `rate`).
 */
void hpc_rate_update(struct hp_client *c);

/* ---- worker.c --------------------------------------------------------- */

/* The check-support names asked at start-up, indexing feature_value. */
extern const char *const hpw_features[HPW_FEATURE_COUNT];

/* W may be given a probe now; ROOM_ONLY: leaving its rate aside. */
bool hpw_can_take(const struct hp_worker *w, bool room_only);
/*
 * Pace W's requests at SHARE a second (0: none) and tell a worker that
 * knows `rate`.  A share that cannot be told (stdin gone, memory short)
 * is still kept by the library's own spacing.
 */
void hpw_set_share(struct hp_worker *w, double share);
/* Put P on W: a token, its line in the output buffer; false if no room. */
bool hpw_send(struct hp_worker *w, struct hp_pending *p);
void hpw_stop_watchers(struct hp_worker *w);
/*
 * Take W's probes in flight off it as one chain (linked by next), the
 * locally expired ones freed already.
 */
struct hp_pending *hpw_detach_probes(struct hp_worker *w);
/* waitpid() without blocking; true once the status is known. */
bool hpw_try_reap(struct hp_worker *w);
void hpw_free(struct hp_worker *w);

#endif

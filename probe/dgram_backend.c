/*
 * dgram_backend.c: the unprivileged backend, one socket per probe.
 *
 * Without raw sockets each probe gets a socket of its own (dgram.h) that
 * is watched until its answer or its deadline; the socket is the probe's
 * identity, so its key in the probe table only has to be unique.  Marks
 * need privilege; so do SCTP and, where ping_group_range excludes the
 * user, ICMP (proto_ok says which).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgram.h"
#include "engine_internal.h"

/* An unprivileged probe's socket and what its answer must match. */
struct dgram_watch {
	ev_io io;
	struct engine *engine;
	uint32_t index;
	struct probe_spec spec;
};

struct dgram_backend {
	bool ok[2][PROTO_COUNT];	/* by family (v6 = 1) and protocol */
	bool stamps_checked, stamps_ok;	/* rtt-ns, found out on first use */
	struct dgram_watch **watch;	/* by probe index */
	uint32_t watch_cap;
};

static int dgram_start(struct engine *e, const struct engine_setup *setup,
		       char *msg, size_t cap)
{
	struct dgram_backend *db = calloc(1, sizeof(*db));
	int f, p;

	(void)setup;
	if (!db) {
		snprintf(msg, cap, "out of memory");
		return -1;
	}
	for (f = 0; f < 2; f++)
		for (p = 0; p < PROTO_COUNT; p++)
			db->ok[f][p] = dgram_available(f ? AF_INET6 : AF_INET,
						       p);
	if (!db->ok[0][PROTO_UDP] && !db->ok[1][PROTO_UDP]) {
		snprintf(msg, cap, "cannot open any socket");
		free(db);
		return -1;
	}
	e->dgram = db;
	return 0;
}

static void close_watch(struct engine *e, struct dgram_watch *w)
{
	ev_io_stop(e->loop, &w->io);
	dgram_close(w->io.fd, w->spec.proto);
	free(w);
}

static void dgram_stop(struct engine *e)
{
	struct dgram_backend *db = e->dgram;
	uint32_t i;

	if (!db)
		return;
	for (i = 0; i < db->watch_cap; i++)
		if (db->watch[i])
			close_watch(e, db->watch[i]);
	free(db->watch);
	free(db);
	e->dgram = NULL;
}

static bool dgram_family_ok(const struct engine *e, uint8_t family)
{
	return e->dgram->ok[family == AF_INET6][PROTO_UDP];
}

static bool dgram_proto_ok(struct engine *e, uint8_t family,
			   enum probe_proto proto)
{
	return e->dgram->ok[family == AF_INET6][proto];
}

static bool dgram_can_mark(const struct engine *e)
{
	(void)e;
	return false;
}

/*
 * A flow needs the ICMP checksum, the UDP checksum and TCP sequence chosen
 * by the worker and many probes sharing one source port; per-probe
 * sockets give the kernel those choices and would share an answer's
 * socket between probes.
 */
static bool dgram_can_flow(const struct engine *e)
{
	(void)e;
	return false;
}

/*
 * A probe's own socket could be told not to fragment, but its answer then
 * comes as a local EMSGSIZE on the error queue that this backend does not
 * read as packet-too-big yet: dont-fragment is the raw backend's alone
 * (hopprobe(8)), and the argument is ignored here.
 */
static bool dgram_can_dont_fragment(const struct engine *e)
{
	(void)e;
	return false;
}

/* Unprivileged, it is privilege that is missing, not the protocol. */
static void dgram_refuse_proto(struct engine *e, int32_t token)
{
	engine_emit_simple(e, token, REPLY_PERMISSION_DENIED, 0);
}

/* The kernel picks source address and port when the client gave none. */
static int dgram_prepare(struct engine *e, struct outbound *ob)
{
	(void)e;
	(void)ob;
	return 0;
}

/* A probe's socket has news: maybe the probe's answer. */
static void on_dgram(struct ev_loop *loop, ev_io *io, int revents)
{
	struct dgram_watch *w = (struct dgram_watch *)io;
	struct engine *e = w->engine;
	struct dgram_event ev;
	bool done;

	(void)loop;
	(void)revents;
	done = dgram_read(io->fd, &w->spec, &ev);
	if (ev.has_tx)
		engine_rttns_stamp(e, w->index, io->fd, &ev.tx);
	if (!done)
		return;
	if (ev.kind == KIND_NONE)
		engine_probe_abandon(e, w->index, ev.err);
	else
		engine_probe_answer(e, w->index, ev.kind, &ev.responder,
				    &ev.stamp, NULL, &ev.details);
}

/* Room in the index -> watcher map for probe index i. */
static bool watch_slot(struct engine *e, uint32_t i)
{
	struct dgram_backend *db = e->dgram;
	struct dgram_watch **grown;
	uint32_t cap;

	if (i < db->watch_cap)
		return true;
	cap = e->table.capacity > i ? e->table.capacity : i + 1;
	grown = realloc(db->watch, cap * sizeof(*grown));
	if (!grown)
		return false;
	memset(grown + db->watch_cap, 0,
	       (cap - db->watch_cap) * sizeof(*grown));
	db->watch = grown;
	db->watch_cap = cap;
	return true;
}

static int dgram_send_probe(struct engine *e, uint32_t i, struct outbound *ob)
{
	struct dgram_watch *w;
	struct timespec sent;
	bool stamp;
	int err;

	if (!watch_slot(e, i))
		return ENOMEM;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ENOMEM;
	w->spec = ob->spec;
	/* A TCP probe is a connect(): the SYN it sends has no stamp. */
	stamp = engine_rttns_wanted(e, i) && ob->spec.proto != PROTO_TCP;
	err = dgram_send(&w->spec, ob->scope_id, ob->ifindex, stamp,
			 &w->io.fd, &sent);
	if (err) {
		free(w);
		return err;
	}
	if (stamp)
		engine_rttns_sent(e, i, w->io.fd, &sent);
	else
		engine_rttns_end(e, i);
	w->engine = e;
	w->index = i;
	ev_io_init(&w->io, on_dgram, w->io.fd,
		   EV_READ | (ob->spec.proto == PROTO_TCP ? EV_WRITE : 0));
	ev_io_start(e->loop, &w->io);
	e->dgram->watch[i] = w;
	engine_probe_sent(e, i, ob->list, &sent, engine_mono_now());
	return 0;
}

static void dgram_release(struct engine *e, uint32_t i)
{
	struct dgram_backend *db = e->dgram;

	if (i < db->watch_cap && db->watch[i]) {
		close_watch(e, db->watch[i]);
		db->watch[i] = NULL;
	}
}

/* Each probe left when it was submitted. */
static void dgram_flush(struct engine *e)
{
	(void)e;
}

static bool dgram_rtt_ns_ok(struct engine *e)
{
	struct dgram_backend *db = e->dgram;

	if (!db->stamps_checked) {
		db->stamps_checked = true;
		db->stamps_ok = dgram_stamps_available();
	}
	return db->stamps_ok;
}

const struct engine_backend engine_backend_dgram = {
	.start = dgram_start,
	.stop = dgram_stop,
	.family_ok = dgram_family_ok,
	.proto_ok = dgram_proto_ok,
	.can_mark = dgram_can_mark,
	.can_flow = dgram_can_flow,
	.can_dont_fragment = dgram_can_dont_fragment,
	.refuse_proto = dgram_refuse_proto,
	.prepare = dgram_prepare,
	.send = dgram_send_probe,
	.release = dgram_release,
	.flush = dgram_flush,
	.rtt_ns_ok = dgram_rtt_ns_ok,
};

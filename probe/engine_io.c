/*
 * engine_io.c: commands in, answers out.
 *
 * stdin is read in chunks; the framer (lineio.h) cuts them into lines and
 * each line is parsed (command.h) and handed on: check-support answered
 * here, send-probe to engine_probe.c.  After a chunk the backend flushes:
 * the probes of every line in it leave together.  Answers go to an output
 * queue written once per loop iteration (and whenever stdout is writable
 * again), so a slow reader pauses input, never probing, and never loses a
 * reply.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine_internal.h"

#define INPUT_CHUNK 65536
/* Pause reading commands while this much output waits for the reader. */
#define OUTPUT_HIGH_WATER (4u << 20)
#define OUTPUT_LOW_WATER (1u << 20)

/* ---- answers out --------------------------------------------------------- */

void engine_emit(struct engine *e, const char *text, size_t len)
{
	if (len == 0 || e->output_broken)
		return;
	if (!out_queue_append(&e->out, text, len)) {
		fprintf(stderr, "hopprobe: out of memory for replies\n");
		e->exit_status = 1;
		ev_break(e->loop, EVBREAK_ALL);
		return;
	}
	/* Backpressure: stop taking commands, keep answering probes. */
	if (out_queue_pending(&e->out) > OUTPUT_HIGH_WATER &&
	    ev_is_active(&e->in_watcher))
		ev_io_stop(e->loop, &e->in_watcher);
}

void engine_emit_reply(struct engine *e, const struct probe_reply *r)
{
	engine_emit(e, e->line, reply_format_probe(r, e->names, e->line,
						   sizeof(e->line)));
}

void engine_emit_simple(struct engine *e, int32_t token, enum reply_type type,
			int err)
{
	struct probe_reply r = { .token = token, .type = type, .err = err };

	engine_emit_reply(e, &r);
}

void engine_emit_invalid(struct engine *e, int32_t token,
			 enum request_reason reason)
{
	struct request req = {
		.status = REQ_INVALID_ARGUMENT,
		.reason = reason,
		.token = token,
	};

	engine_emit(e, e->line, reply_format_request_error(&req, e->line,
							   sizeof(e->line)));
}

/* A send or set-up errno, as the protocol names it. */
enum reply_type engine_reply_for_errno(int err)
{
	switch (err) {
	case ENETUNREACH:
		return REPLY_NO_ROUTE_NETWORK;
	case EHOSTUNREACH:
		return REPLY_NO_ROUTE_HOST;
	case ENETDOWN:
		return REPLY_NETWORK_DOWN;
	case EHOSTDOWN:
		return REPLY_HOST_DOWN;
	case EPERM:
	case EACCES:
		return REPLY_PERMISSION_DENIED;
	case EADDRINUSE:
		return REPLY_ADDRESS_IN_USE;
	case EADDRNOTAVAIL:
		return REPLY_ADDRESS_NOT_AVAILABLE;
	case EINVAL:
		return REPLY_INVALID_ARGUMENT;
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		/*
		 * Out of descriptors or kernel memory for a socket or a port
		 * reservation: a resource that frees itself as probes finish,
		 * so the client is told to slow down, not that it failed.
		 */
		return REPLY_PROBES_EXHAUSTED;
	default:
		return REPLY_UNEXPECTED_ERROR;
	}
}

void engine_emit_errno(struct engine *e, int32_t token, int err)
{
	engine_emit_simple(e, token, engine_reply_for_errno(err), err);
}

/* Resume reading commands once the reader has caught up. */
static void update_input(struct engine *e)
{
	if (e->input_closed || ev_is_active(&e->in_watcher))
		return;
	if (out_queue_pending(&e->out) <= OUTPUT_LOW_WATER)
		ev_io_start(e->loop, &e->in_watcher);
}

void engine_flush_output(struct engine *e)
{
	if (out_queue_pending(&e->out) > 0 && !e->output_broken &&
	    out_queue_flush(&e->out, e->out_fd) < 0) {
		/* The reader is gone: nobody can receive answers any more. */
		e->output_broken = true;
		e->exit_status = 1;
		ev_break(e->loop, EVBREAK_ALL);
		return;
	}
	if (out_queue_pending(&e->out) > 0) {
		if (!ev_is_active(&e->out_watcher))
			ev_io_start(e->loop, &e->out_watcher);
	} else if (ev_is_active(&e->out_watcher)) {
		ev_io_stop(e->loop, &e->out_watcher);
	}
	update_input(e);
}

void engine_on_output(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	engine_flush_output(w->data);
}

/* ---- commands in --------------------------------------------------------- */

static const char *support_answer(struct engine *e, const char *feature)
{
	static const char *const protos[PROTO_COUNT] = {
		"icmp", "udp", "tcp", "sctp"
	};
	const struct engine_backend *b = e->backend;
	int p;

	if (strcmp(feature, "version") == 0)
		return PACKAGE_VERSION;
	if (strcmp(feature, "send-probe") == 0)
		return "ok";
	if (strcmp(feature, "ip-4") == 0)
		return b->family_ok(e, AF_INET) ? "ok" : "no";
	if (strcmp(feature, "ip-6") == 0)
		return b->family_ok(e, AF_INET6) ? "ok" : "no";
	if (strcmp(feature, "mark") == 0)
		return b->can_mark(e) ? "ok" : "no";
	if (strcmp(feature, "flow") == 0)
		return b->can_flow(e) ? "ok" : "no";
	/* Both backends report details; hopprobe(8) says which ones. */
	if (strcmp(feature, "reply-details") == 0)
		return "ok";
	if (strcmp(feature, "dont-fragment") == 0)
		return b->can_dont_fragment(e) ? "ok" : "no";
	if (strcmp(feature, "rtt-ns") == 0)
		return b->rtt_ns_ok(e) ? "ok" : "no";
	if (strcmp(feature, "link-events") == 0)
		return engine_link_supported(e) ? "ok" : "no";
	/* The engine's own, the same for both backends. */
	if (strcmp(feature, "timeout-ms") == 0 || strcmp(feature, "rate") == 0)
		return "ok";
	for (p = 0; p < PROTO_COUNT; p++) {
		if (strcmp(feature, protos[p]) == 0)
			return b->proto_ok(e, AF_INET, p) ||
			       b->proto_ok(e, AF_INET6, p) ? "ok" : "no";
	}
	return "no";
}

/* Probes queued go out, answers come in and are written. */
void engine_flush_all(struct engine *e)
{
	e->probes_since_flush = 0;
	e->backend->flush(e);
	engine_flush_output(e);
}

static void on_line(void *ctx, const char *text, size_t len)
{
	struct engine *e = ctx;
	struct request req;

	request_parse(text, len, &req);
	if (req.status != REQ_OK) {
		engine_emit(e, e->line,
			    reply_format_request_error(&req, e->line,
						       sizeof(e->line)));
		return;
	}
	if (req.command == CMD_CHECK_SUPPORT) {
		engine_emit(e, e->line,
			    reply_format_support(req.token,
						 support_answer(e, req.feature),
						 e->line, sizeof(e->line)));
		return;
	}
	if (req.command == CMD_SET_RATE) {
		engine_rate_command(e, &req);
		return;
	}
	engine_submit(e, &req);
	/*
	 * Every ENGINE_FLUSH_EVERY probes of a long chunk of requests, send
	 * them, read what came back and write the answers, rather than only
	 * at the chunk's end: the client can then read and send its next
	 * requests while the rest of the chunk is handled, instead of
	 * waiting for all of it (a pipe is a pipeline only when both ends
	 * work at once).
	 */
	if (++e->probes_since_flush >= ENGINE_FLUSH_EVERY)
		engine_flush_all(e);
}

static void on_overflow(void *ctx)
{
	struct engine *e = ctx;

	engine_emit(e, e->line, reply_format_overflow(e->line,
						      sizeof(e->line)));
}

void engine_on_input(struct ev_loop *loop, ev_io *w, int revents)
{
	struct engine *e = w->data;
	char buf[INPUT_CHUNK];
	ssize_t n;

	(void)revents;
	n = read(e->in_fd, buf, sizeof(buf));
	if (n > 0) {
		line_framer_feed(&e->framer, buf, (size_t)n, on_line,
				 on_overflow, e);
		engine_flush_all(e);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* End of input (or an unreadable stdin): finish what is in flight. */
	line_framer_finish(&e->framer, on_line, e);
	engine_flush_all(e);
	e->input_closed = true;
	ev_io_stop(loop, w);
}

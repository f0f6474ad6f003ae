/*
 * engine.c: the worker's loop: set-up, signals, tear-down.
 *
 * Everything runs on one libev loop.  Commands arrive in chunks
 * (engine_io.c); each becomes a probe in the table (engine_probe.c) that
 * the backend chosen here sends: raw sockets when main.c could open them,
 * one unprivileged socket per probe otherwise.  The probes of one chunk
 * leave together; replies are read in batches, matched by key in O(1)
 * and answered; the timeout lists expire what was not.
 */
#include "config.h"

#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "engine_internal.h"
#include "sandbox.h"

double engine_mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Before the loop sleeps: write what was answered, and maybe finish. */
static void on_prepare(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct engine *e = w->data;

	(void)revents;
	engine_flush_output(e);
	if (e->input_closed && e->table.count == 0 && e->rate.count == 0 &&
	    out_queue_pending(&e->out) == 0)
		ev_break(loop, EVBREAK_ALL);
}

static void on_netlink(struct ev_loop *loop, ev_io *w, int revents)
{
	struct engine *e = w->data;

	(void)loop;
	(void)revents;
	engine_link_news(e);
}

/*
 * SIGTERM, SIGINT, SIGHUP: stop at once, without waiting for the probes in
 * flight or for those waiting for the rate; engine_run then restores the
 * descriptors' flags (shared with the shell or the client) and the worker
 * exits with 128 + the signal number, as a shell reports a death by that
 * signal.
 */
static void on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct engine *e = w->data;

	(void)revents;
	e->exit_status = 128 + w->signum;
	ev_break(loop, EVBREAK_ALL);
}

static void set_nonblocking(int fd, int *saved)
{
	*saved = fcntl(fd, F_GETFL);
	if (*saved != -1)
		(void)fcntl(fd, F_SETFL, *saved | O_NONBLOCK);
}

/* A key for the identity permutation: random, or at worst not guessable
 * from the PID alone. */
static void seed_identities(struct identity_gen *g)
{
	uint32_t key[IDENTITY_KEY_WORDS];
	struct timespec ts;
	int i;

	if (getrandom(key, sizeof(key), GRND_NONBLOCK) != sizeof(key)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		for (i = 0; i < IDENTITY_KEY_WORDS; i++)
			key[i] = ((uint32_t)ts.tv_nsec ^ (uint32_t)getpid() ^
				  (uint32_t)i) * 2654435761u;
	}
	identity_init(g, key);
}

static void start_watchers(struct engine *e)
{
	static const int handled[3] = { SIGTERM, SIGINT, SIGHUP };
	int sig;

	ev_io_init(&e->in_watcher, engine_on_input, e->in_fd, EV_READ);
	e->in_watcher.data = e;
	ev_io_start(e->loop, &e->in_watcher);
	ev_io_init(&e->out_watcher, engine_on_output, e->out_fd, EV_WRITE);
	e->out_watcher.data = e;
	ev_prepare_init(&e->flush_watcher, on_prepare);
	e->flush_watcher.data = e;
	ev_prepare_start(e->loop, &e->flush_watcher);
	if (src_cache_netlink_fd(&e->srcs) >= 0) {
		ev_io_init(&e->netlink_watcher, on_netlink,
			   src_cache_netlink_fd(&e->srcs), EV_READ);
		e->netlink_watcher.data = e;
		ev_io_start(e->loop, &e->netlink_watcher);
	}
	for (sig = 0; sig < 3; sig++) {
		ev_signal_init(&e->signal_watchers[sig], on_signal,
			       handled[sig]);
		e->signal_watchers[sig].data = e;
		ev_signal_start(e->loop, &e->signal_watchers[sig]);
	}
}

static void engine_cleanup(struct engine *e)
{
	int m;

	e->backend->stop(e);
	engine_rate_free(e);
	engine_timers_free(e);
	engine_rttns_free(e);
	engine_link_free(e);
	timeout_set_free(&e->timeouts);
	probe_table_free(&e->table);
	src_cache_free(&e->srcs);
	out_queue_free(&e->out);
	for (m = 0; m < 3; m++)
		ev_signal_stop(e->loop, &e->signal_watchers[m]);
	ev_loop_destroy(e->loop);
}

int engine_run(const struct engine_setup *setup)
{
	struct engine *e = calloc(1, sizeof(*e));
	int in_flags, out_flags, status;
	char msg[256];

	if (!e) {
		fprintf(stderr, "hopprobe: out of memory\n");
		return 1;
	}
	e->names = setup->names;
	e->in_fd = setup->in_fd;
	e->out_fd = setup->out_fd;
	e->backend = setup->unprivileged ? &engine_backend_dgram :
					   &engine_backend_raw;
	seed_identities(&e->identities);

	/* No environment variable may steer a privileged program's loop. */
	e->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOENV);
	if (!e->loop || !probe_table_init(&e->table, setup->max_in_flight) ||
	    !timeout_set_init(&e->timeouts)) {
		fprintf(stderr, "hopprobe: out of memory\n");
		free(e);
		return 1;
	}
	if (e->backend->start(e, setup, msg, sizeof(msg)) == -1) {
		fprintf(stderr, "hopprobe: %s\n", msg);
		free(e);
		return 1;
	}
	src_cache_init(&e->srcs);
	engine_rate_init(e);
	line_framer_init(&e->framer);
	out_queue_init(&e->out);

	set_nonblocking(e->in_fd, &in_flags);
	set_nonblocking(e->out_fd, &out_flags);
	start_watchers(e);

	/*
	 * From here on only the calls of the loop (sandbox.h), before a byte
	 * of input is read; a worker that cannot be confined does not run.
	 */
	if (sandbox_install(msg, sizeof(msg)) == -1) {
		fprintf(stderr, "hopprobe: %s\n", msg);
		e->exit_status = 1;
	} else {
		ev_run(e->loop, 0);
	}

	/* Answers already queued still go out if the reader takes them. */
	if (!e->output_broken && out_queue_pending(&e->out) > 0)
		(void)out_queue_flush(&e->out, e->out_fd);
	status = e->exit_status;
	if (in_flags != -1)
		(void)fcntl(e->in_fd, F_SETFL, in_flags);
	if (out_flags != -1)
		(void)fcntl(e->out_fd, F_SETFL, out_flags);
	engine_cleanup(e);
	free(e);
	return status;
}

/*
 * Unit tests for the client library (src/client.c, src/worker.c) on a
 * real libev loop, against tests/unit/fake_worker (its path from the
 * environment variable FAKE_WORKER, default ./tests/unit/fake_worker).
 * The fake's answers are fixed by its header comment: ttl T < 3 gives
 * ttl-expired from 192.0.2.T (2001:db8::T) after 100*T us, 203.0.113.1
 * never answers, anything else is a reply from the destination with 300.
 *
 * Every wait is bounded by an ev_timer guard that fails the test.  With
 * HOPPROBE set to the real worker's path, one more test probes 127.0.0.1
 * (loopback only) through it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <ev.h>

#include "client.h"

#define MAX_PROBES 2000
#define GUARD_S 10.0

struct harness {
	struct ev_loop *loop;
	struct hp_client *c;
	unsigned ready;
	struct hp_worker *ready_w[4];
	unsigned failed;
	struct hp_worker *failed_w;
	char msg[8192];
	ev_tstamp start, failed_at;
	unsigned results;
	unsigned free_after;	/* free the client in the Nth callback */
	bool free_in_failed;
	unsigned resend_left;	/* callbacks send a new probe meanwhile */
	unsigned max_in_flight;	/* seen in callbacks */
	unsigned max_in_flight_late;	/* seen by the loop after a result */
	ev_check check;
	unsigned calls_inside_send;
	bool in_send;
};

struct rec {
	struct harness *h;
	unsigned calls;
	struct hp_result r;
	ev_tstamp at;
	struct hp_probe probe;
};

static struct rec recs[MAX_PROBES];

static const char *fake_path(void)
{
	const char *p = getenv("FAKE_WORKER");

	return p && *p ? p : "./tests/unit/fake_worker";
}

static void fake_cmd(char *buf, size_t len, const char *args)
{
	snprintf(buf, len, "exec '%s' %s", fake_path(), args);
}

/* ---- callbacks -------------------------------------------------------- */

static void on_ready(void *arg, struct hp_worker *w)
{
	struct harness *h = arg;

	if (h->ready < 4)
		h->ready_w[h->ready] = w;
	h->ready++;
}

static void on_failed(void *arg, struct hp_worker *w, const char *msg)
{
	struct harness *h = arg;

	h->failed++;
	h->failed_w = w;
	h->failed_at = ev_now(h->loop);
	snprintf(h->msg, sizeof(h->msg), "%s", msg);
	if (h->free_in_failed) {
		hp_client_free(h->c);
		h->c = NULL;
	}
}

static void on_result(void *arg, const struct hp_result *r);

static int send_rec(struct harness *h, struct rec *p)
{
	int rc;

	p->h = h;
	h->in_send = true;
	rc = hp_client_send(h->c, &p->probe, on_result, p);
	h->in_send = false;
	return rc;
}

static void on_result(void *arg, const struct hp_result *r)
{
	struct rec *p = arg;
	struct harness *h = p->h;

	if (h->in_send)
		h->calls_inside_send++;
	p->calls++;
	p->r = *r;
	p->at = ev_now(h->loop);
	h->results++;
	if (h->c && hp_client_in_flight(h->c) > h->max_in_flight)
		h->max_in_flight = hp_client_in_flight(h->c);
	if (h->free_after && h->results == h->free_after) {
		hp_client_free(h->c);
		h->c = NULL;
		return;
	}
	if (h->resend_left && h->c) {
		struct rec *n = &recs[MAX_PROBES - h->resend_left];

		h->resend_left--;
		assert_int_equal(send_rec(h, n), 0);
	}
}

/* ---- loop helpers ----------------------------------------------------- */

static void guard_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)revents;
	*(bool *)t->data = true;
}

typedef bool (*done_fn)(const struct harness *h, unsigned n);

/* Run the loop until DONE or MAX_S seconds; false when the time ran out. */
static bool run_until(struct harness *h, done_fn done, unsigned n,
		      double max_s)
{
	bool fired = false;
	ev_timer guard;

	ev_timer_init(&guard, guard_cb, max_s, 0);
	guard.data = &fired;
	ev_timer_start(h->loop, &guard);
	while (!(done && done(h, n)) && !fired)
		ev_run(h->loop, EVRUN_ONCE);
	ev_timer_stop(h->loop, &guard);
	return done && done(h, n);
}

static void run_for(struct harness *h, double s)
{
	run_until(h, NULL, 0, s);
}

static bool results_at_least(const struct harness *h, unsigned n)
{
	return h->results >= n;
}

static bool failed_at_least(const struct harness *h, unsigned n)
{
	return h->failed >= n;
}

static bool ready_at_least(const struct harness *h, unsigned n)
{
	return h->ready >= n;
}

/* After each loop iteration: what is in flight once answers flow. */
static void check_cb(struct ev_loop *loop, ev_check *w, int revents)
{
	struct harness *h = w->data;

	(void)loop;
	(void)revents;
	if (h->c && h->results > 0 &&
	    hp_client_in_flight(h->c) > h->max_in_flight_late)
		h->max_in_flight_late = hp_client_in_flight(h->c);
}

static void setup_harness(struct harness *h, unsigned window, double grace,
			  double startup)
{
	struct hp_client_options o = { window, grace, startup };
	struct hp_client_callbacks cb = { on_ready, on_failed, h };

	memset(h, 0, sizeof(*h));
	memset(recs, 0, sizeof(recs));
	h->loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(h->loop);
	h->c = hp_client_new(h->loop, &o, &cb);
	assert_non_null(h->c);
	ev_check_init(&h->check, check_cb);
	h->check.data = h;
	ev_check_start(h->loop, &h->check);
	ev_now_update(h->loop);
	h->start = ev_now(h->loop);
}

static void teardown_harness(struct harness *h)
{
	if (h->c)
		hp_client_free(h->c);
	h->c = NULL;
	ev_check_stop(h->loop, &h->check);
	ev_loop_destroy(h->loop);
}

static struct hp_worker *add_fake(struct harness *h, const char *args)
{
	char cmd[1024], err[256] = "";
	struct hp_worker *w;

	fake_cmd(cmd, sizeof(cmd), args);
	w = hp_client_add_worker(h->c, cmd, 1, err, sizeof(err));
	if (!w)
		fail_msg("cannot start %s: %s", cmd, err);
	return w;
}

/* Probe I of a test run: families and ttls mixed. */
static void make_probe(unsigned i, uint32_t timeout_ms, struct hp_probe *p)
{
	char addr[64];

	hp_probe_init(p);
	if (i % 2)
		snprintf(addr, sizeof(addr), "2001:db8::%x", 0x100 + i);
	else
		snprintf(addr, sizeof(addr), "198.51.100.%u", 1 + i % 200);
	assert_int_equal(hp_addr_parse(addr, &p->dest), 0);
	p->ttl = 1 + (int)(i % 5);
	p->protocol = (enum hp_protocol)(i % 4);
	p->timeout_ms = timeout_ms;
}

static void send_probes(struct harness *h, unsigned n, uint32_t timeout_ms)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		make_probe(i, timeout_ms, &recs[i].probe);
		assert_int_equal(send_rec(h, &recs[i]), 0);
	}
	assert_int_equal(h->calls_inside_send, 0);
}

/* The fake's answer to P, from its specification. */
static void check_normal(const struct rec *p)
{
	char want[HP_ADDR_TEXT], got[HP_ADDR_TEXT];
	int ttl = p->probe.ttl ? p->probe.ttl : 255;	/* 0: the default */

	assert_int_equal(p->calls, 1);
	hp_addr_format(&p->r.responder, got, sizeof(got));
	if (ttl < 3) {
		assert_int_equal(p->r.kind, HP_TTL_EXPIRED);
		snprintf(want, sizeof(want), p->probe.dest.family == AF_INET ?
			 "192.0.2.%d" : "2001:db8::%d", ttl);
		assert_true(p->r.rtt_us == 100 * ttl);
	} else {
		assert_int_equal(p->r.kind, HP_REPLY);
		hp_addr_format(&p->probe.dest, want, sizeof(want));
		assert_true(p->r.rtt_us == 300);
	}
	assert_string_equal(got, want);
	assert_int_equal(p->r.mpls_count, 0);
}

/* Every probe called back once: normal answers and worker-failed ones. */
static void count_outcomes(unsigned n, unsigned *normal, unsigned *failed)
{
	unsigned i;

	*normal = *failed = 0;
	for (i = 0; i < n; i++) {
		assert_int_equal(recs[i].calls, 1);
		if (recs[i].r.kind == HP_WORKER_FAILED) {
			(*failed)++;
		} else {
			check_normal(&recs[i]);
			(*normal)++;
		}
	}
}

static void expect_message(const struct harness *h, const char *args,
			   const char *rest)
{
	char cmd[1024], want[2048];

	fake_cmd(cmd, sizeof(cmd), args);
	snprintf(want, sizeof(want), "worker '%s' %s", cmd, rest);
	assert_string_equal(h->msg, want);
}

/* ---- tests ------------------------------------------------------------ */

static void test_normal_run(void **state)
{
	struct harness h;
	struct hp_worker *w;
	unsigned i;

	(void)state;
	setup_harness(&h, 16, 0, 0);
	w = add_fake(&h, "");
	assert_int_equal(hp_client_live_workers(h.c), 1);
	assert_int_equal(hp_worker_is_ready(w), 0);
	assert_null(hp_worker_feature(w, "version"));
	/* Before the worker is ready, probes wait in the queue. */
	send_probes(&h, 1000, 0);
	assert_int_equal(hp_client_queued(h.c), 1000);
	assert_int_equal(hp_client_in_flight(h.c), 0);
	assert_true(run_until(&h, results_at_least, 1000, GUARD_S));
	run_for(&h, 0.05);
	assert_int_equal(h.results, 1000);
	for (i = 0; i < 1000; i++)
		check_normal(&recs[i]);
	assert_int_equal(h.ready, 1);
	assert_ptr_equal(h.ready_w[0], w);
	assert_int_equal(h.failed, 0);
	assert_true(h.max_in_flight <= 16);
	assert_int_equal(hp_client_in_flight(h.c), 0);
	assert_int_equal(hp_client_queued(h.c), 0);
	assert_int_equal(hp_worker_is_ready(w), 1);
	assert_string_equal(hp_worker_feature(w, "version"), "fake-1.0");
	assert_string_equal(hp_worker_feature(w, "flow"), "no");
	assert_null(hp_worker_feature(w, "no-such-feature"));
	assert_int_equal(hp_worker_supports(w, "timeout-ms"), 1);
	assert_int_equal(hp_worker_supports(w, "ip-6"), 1);
	assert_int_equal(hp_worker_supports(w, "reply-details"), 0);
	assert_non_null(strstr(hp_worker_command(w), "exec '"));
	teardown_harness(&h);
}

/* The executable itself, without a shell; MPLS labels arrive whole. */
static void test_no_shell_and_errors(void **state)
{
	struct hp_probe p;
	struct harness h;
	char err[256];

	(void)state;
	setup_harness(&h, 0, 0, 0);
	hp_probe_init(&p);
	assert_int_equal(hp_addr_parse("192.0.2.77", &p.dest), 0);
	/* No worker yet. */
	errno = 0;
	assert_int_equal(hp_client_send(h.c, &p, on_result, &recs[0]), -1);
	assert_int_equal(errno, ENOENT);
	err[0] = '\0';
	assert_null(hp_client_add_worker(h.c, "/nonexistent/hopprobe", 0, err,
					 sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/hopprobe"));
	assert_non_null(strstr(err, "No such file"));
	assert_non_null(hp_client_add_worker(h.c, fake_path(), 0, err,
					     sizeof(err)));
	/* Out of range: EINVAL, and no callback ever. */
	recs[0].probe = p;
	recs[0].probe.dest.family = 0;
	errno = 0;
	assert_int_equal(send_rec(&h, &recs[0]), -1);
	assert_int_equal(errno, EINVAL);
	recs[0].probe = p;
	recs[0].probe.ttl = 300;
	assert_int_equal(send_rec(&h, &recs[0]), -1);
	recs[0].probe = p;
	recs[0].probe.device = "eth0\n1 send-probe";
	assert_int_equal(send_rec(&h, &recs[0]), -1);
	assert_int_equal(errno, EINVAL);
	/* A good one. */
	recs[1].probe = p;
	recs[1].probe.ttl = 2;
	recs[1].probe.device = "lo";
	assert_int_equal(send_rec(&h, &recs[1]), 0);
	assert_true(run_until(&h, results_at_least, 1, GUARD_S));
	run_for(&h, 0.05);
	assert_int_equal(recs[0].calls, 0);
	check_normal(&recs[1]);
	teardown_harness(&h);
}

static void test_mpls(void **state)
{
	struct harness h;

	(void)state;
	setup_harness(&h, 0, 0, 0);
	add_fake(&h, "--mpls");
	hp_probe_init(&recs[0].probe);
	assert_int_equal(hp_addr_parse("192.0.2.77", &recs[0].probe.dest), 0);
	recs[0].probe.ttl = 1;
	assert_int_equal(send_rec(&h, &recs[0]), 0);
	assert_true(run_until(&h, results_at_least, 1, GUARD_S));
	assert_int_equal(recs[0].r.kind, HP_TTL_EXPIRED);
	assert_int_equal(recs[0].r.mpls_count, 2);
	assert_int_equal(recs[0].r.mpls[0].label, 16001);
	assert_int_equal(recs[0].r.mpls[0].tc, 5);
	assert_int_equal(recs[0].r.mpls[0].bos, 0);
	assert_int_equal(recs[0].r.mpls[0].ttl, 1);
	assert_int_equal(recs[0].r.mpls[1].label, 16002);
	assert_int_equal(recs[0].r.mpls[1].bos, 1);
	assert_int_equal(recs[0].r.mpls[1].ttl, 255);
	teardown_harness(&h);
}

static void test_exhausted_backoff(void **state)
{
	static const char *const faults[] = {
		"--exhaust-every 7",
		/*
		 * Held until all 500 are read: every refusal of the first
		 * burst is then on the pipe before the first answer, however
		 * the fake is scheduled.
		 */
		"--max-pending 20 --delay-ms 5 --hold-until 500",
	};
	unsigned f, normal, failed;

	(void)state;
	for (f = 0; f < 2; f++) {
		struct harness h;

		setup_harness(&h, 0, 0, 0);
		add_fake(&h, faults[f]);
		assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
		send_probes(&h, 500, 0);
		assert_true(run_until(&h, results_at_least, 500, GUARD_S));
		run_for(&h, 0.05);
		assert_int_equal(h.results, 500);
		count_outcomes(500, &normal, &failed);
		assert_int_equal(normal, 500);
		assert_int_equal(h.failed, 0);
		assert_int_equal(hp_client_queued(h.c), 0);
		assert_int_equal(hp_client_in_flight(h.c), 0);
		/*
		 * The window shrank to what the worker held (20) and grows
		 * back one by one: once answers flow, never near the 500
		 * sent at first.
		 */
		if (f == 1)
			assert_true(h.max_in_flight_late <= 100);
		teardown_harness(&h);
	}
}

/*
 * The back-off itself, timed: it starts at 10 ms and doubles while the
 * worker keeps refusing (10+20+40+80+160 ms before the sixth try), and
 * starts again at 10 ms after a success.
 */
static void test_backoff_timing(void **state)
{
	static const struct {
		const char *args;
		unsigned window, probes;
		double at_least, below;
	} cases[] = {
		{ "--exhaust-first 5", 1, 1, 0.30, 1.0 },
		/* Every second try refused, each after a success: 20 x 10 ms. */
		{ "--exhaust-every 2", 1, 20, 0.19, 2.0 },
	};
	unsigned i, normal, failed;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness h;
		ev_tstamp last = 0;
		unsigned j;

		setup_harness(&h, cases[i].window, 0, 0);
		add_fake(&h, cases[i].args);
		assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
		ev_now_update(h.loop);
		h.start = ev_now(h.loop);
		/* ttl 3 and up: replies. */
		for (j = 0; j < cases[i].probes; j++) {
			make_probe(j, 0, &recs[j].probe);
			recs[j].probe.ttl = 3;
			assert_int_equal(send_rec(&h, &recs[j]), 0);
		}
		assert_true(run_until(&h, results_at_least, cases[i].probes,
				      GUARD_S));
		count_outcomes(cases[i].probes, &normal, &failed);
		assert_int_equal(normal, cases[i].probes);
		for (j = 0; j < cases[i].probes; j++)
			if (recs[j].at > last)
				last = recs[j].at;
		assert_true(last - h.start >= cases[i].at_least);
		assert_true(last - h.start < cases[i].below);
		teardown_harness(&h);
	}
}

/*
 * After refusals the window is what the worker held (10 of the first 50)
 * and grows back by one per answer to the configured 50, never above.
 */
static void test_window_regrows(void **state)
{
	unsigned j, normal, failed;
	struct harness h;

	(void)state;
	setup_harness(&h, 50, 0, 0);
	add_fake(&h, "--exhaust-first 40 --delay-ms 20");
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	for (j = 0; j < 400; j++) {
		make_probe(j, 0, &recs[j].probe);
		recs[j].probe.ttl = 3;
		assert_int_equal(send_rec(&h, &recs[j]), 0);
	}
	assert_true(run_until(&h, results_at_least, 400, GUARD_S));
	count_outcomes(400, &normal, &failed);
	assert_int_equal(normal, 400);
	assert_int_equal(h.max_in_flight_late, 50);
	teardown_harness(&h);
}

static void test_death(void **state)
{
	const char *args = "--die-after 100 --delay-ms 20";
	unsigned normal, failed;
	struct harness h;
	struct hp_worker *w;
	struct hp_probe p;

	(void)state;
	setup_harness(&h, 50, 0, 0);
	w = add_fake(&h, args);
	send_probes(&h, 300, 0);
	assert_true(run_until(&h, results_at_least, 300, GUARD_S));
	run_for(&h, 0.05);
	assert_int_equal(h.failed, 1);
	assert_ptr_equal(h.failed_w, w);
	expect_message(&h, args, "exited with status 3; its stderr said: "
		       "fake: dying on purpose");
	count_outcomes(300, &normal, &failed);
	assert_true(normal <= 100);
	assert_true(failed >= 200);
	assert_int_equal(hp_client_live_workers(h.c), 0);
	assert_int_equal(hp_client_in_flight(h.c), 0);
	assert_int_equal(hp_client_queued(h.c), 0);
	/* Nobody left to send to. */
	make_probe(0, 0, &p);
	errno = 0;
	assert_int_equal(hp_client_send(h.c, &p, on_result, &recs[0]), -1);
	assert_int_equal(errno, ENOENT);
	teardown_harness(&h);
}

static void test_stall(void **state)
{
	const char *args = "--stall-after 10 --say 'fake: about to stall'";
	unsigned normal, failed;
	struct harness h;

	(void)state;
	setup_harness(&h, 0, 0.3, 0);
	add_fake(&h, args);
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	ev_now_update(h.loop);
	h.start = ev_now(h.loop);
	send_probes(&h, 20, 200);
	assert_true(run_until(&h, failed_at_least, 1, 3.0));
	/* Deadline: 0.2 s of timeout and 0.3 s of grace. */
	assert_true(h.failed_at - h.start >= 0.45);
	assert_true(h.failed_at - h.start < 1.5);
	assert_non_null(strstr(h.msg, "' stalled: no answer to probe "));
	assert_non_null(strstr(h.msg, " within 0.5 s; its stderr said: "
			       "fake: about to stall"));
	run_for(&h, 0.05);
	count_outcomes(20, &normal, &failed);
	assert_int_equal(normal, 10);
	assert_int_equal(failed, 10);
	teardown_harness(&h);
}

static void test_nonsense(void **state)
{
	static const struct {
		const char *args;
		const char *msg;	/* the message after "worker 'CMD' " */

	} cases[] = {
		{ "--garbage-after 5",
		  "answered nonsense: \"this is not the protocol\"" },
		{ "--wrong-token",
		  "answered nonsense: \"2147483647 ttl-expired ip-4 192.0.2.1 "
		  "round-trip-time 100\"" },
	};
	unsigned i, normal, failed;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness h;

		setup_harness(&h, 0, 0, 0);
		add_fake(&h, cases[i].args);
		assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
		send_probes(&h, 10, 0);
		assert_true(run_until(&h, results_at_least, 10, GUARD_S));
		run_for(&h, 0.05);
		assert_int_equal(h.failed, 1);
		expect_message(&h, cases[i].args, cases[i].msg);
		count_outcomes(10, &normal, &failed);
		assert_int_equal(normal + failed, 10);
		teardown_harness(&h);
	}
}

/*
 * A second answer to a probe, arriving when its slot serves another
 * probe already: the generation tells them apart, so it is nonsense and
 * not a reply to the other probe.
 */
static void test_stale_token(void **state)
{
	struct harness h;

	(void)state;
	setup_harness(&h, 1, 0, 0);
	add_fake(&h, "--duplicate-after 0 --delay-ms 20");
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	hp_probe_init(&recs[0].probe);
	assert_int_equal(hp_addr_parse("192.0.2.60", &recs[0].probe.dest), 0);
	hp_probe_init(&recs[1].probe);
	assert_int_equal(hp_addr_parse("203.0.113.1", &recs[1].probe.dest), 0);
	recs[1].probe.timeout_ms = 1000;
	assert_int_equal(send_rec(&h, &recs[0]), 0);
	assert_int_equal(send_rec(&h, &recs[1]), 0);
	assert_true(run_until(&h, results_at_least, 2, GUARD_S));
	check_normal(&recs[0]);
	assert_int_equal(recs[1].calls, 1);
	assert_int_equal(recs[1].r.kind, HP_WORKER_FAILED);
	assert_int_equal(h.failed, 1);
	assert_non_null(strstr(h.msg, "' answered nonsense: \""));
	assert_non_null(strstr(h.msg, " reply ip-4 192.0.2.60 "
			       "round-trip-time 300\""));
	teardown_harness(&h);
}

static void test_startup_failures(void **state)
{
	static const struct {
		const char *args;
		double startup;
		const char *msg;
	} cases[] = {
		{ "--slow-start", 0.3,
		  "did not answer check-support within 0.3 s" },
		{ "--crash-at-start", 0,
		  "exited with status 1; its stderr said: "
		  "fake: crashing at start" },
	};
	unsigned i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness h;

		setup_harness(&h, 0, 0, cases[i].startup);
		add_fake(&h, cases[i].args);
		send_probes(&h, 5, 0);
		assert_true(run_until(&h, failed_at_least, 1, 3.0));
		run_for(&h, 0.05);
		expect_message(&h, cases[i].args, cases[i].msg);
		if (cases[i].startup > 0)
			assert_true(h.failed_at - h.start >= 0.29);
		assert_int_equal(h.ready, 0);
		assert_int_equal(h.failed, 1);
		for (j = 0; j < 5; j++) {
			assert_int_equal(recs[j].calls, 1);
			assert_int_equal(recs[j].r.kind, HP_WORKER_FAILED);
		}
		assert_int_equal(hp_client_live_workers(h.c), 0);
		teardown_harness(&h);
	}
}

/*
 * More than the 4 KiB kept of stderr: the message shows at most 2000
 * bytes of its end, from the start of a line, control bytes escaped.
 * (4430 bytes in all: the last 2000 begin in the middle of a line.)
 */
static void test_stderr_tail(void **state)
{
	const char *tail = "noise line 299\nctl \\x01 end of it\n"
			   "fake: crashing at start";
	char cmd[1024], err[256];
	const char *part;
	struct harness h;
	size_t n;

	(void)state;
	setup_harness(&h, 0, 0, 0);
	snprintf(cmd, sizeof(cmd),
		 "i=0; while [ $i -lt 300 ]; do echo \"noise line $i\" >&2; "
		 "i=$((i+1)); done; printf 'ctl \\001 end of it\\n' >&2; "
		 "exec '%s' --crash-at-start", fake_path());
	assert_non_null(hp_client_add_worker(h.c, cmd, 1, err, sizeof(err)));
	assert_true(run_until(&h, failed_at_least, 1, GUARD_S));
	part = strstr(h.msg, "' exited with status 1; its stderr said: ");
	assert_non_null(part);
	part += strlen("' exited with status 1; its stderr said: ");
	n = strlen(part);
	assert_true(n <= 2000 + 3);	/* the \x01 takes four bytes */
	assert_true(n > 1900);
	assert_memory_equal(part, "noise line ", 11);
	assert_true(n > strlen(tail));
	assert_string_equal(part + n - strlen(tail), tail);
	teardown_harness(&h);
}

/* A shell command that cannot run: the shell's own complaint shows. */
static void test_shell_not_found(void **state)
{
	struct harness h;
	char err[256];

	(void)state;
	setup_harness(&h, 0, 0, 0);
	assert_non_null(hp_client_add_worker(h.c, "exec /nonexistent/hopprobe",
					     1, err, sizeof(err)));
	assert_true(run_until(&h, failed_at_least, 1, 3.0));
	assert_non_null(strstr(h.msg, "worker 'exec /nonexistent/hopprobe' "
			       "exited with status 127; its stderr said: "));
	assert_non_null(strstr(h.msg, "/nonexistent/hopprobe"));
	teardown_harness(&h);
}

static void test_local_deadline(void **state)
{
	struct harness h;
	struct hp_worker *w;

	(void)state;
	/* Window 1: the second probe waits for the first one's token. */
	setup_harness(&h, 1, 0, 0);
	w = add_fake(&h, "--no-timeout-ms");
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	assert_int_equal(hp_worker_supports(w, "timeout-ms"), 0);
	hp_probe_init(&recs[0].probe);
	assert_int_equal(hp_addr_parse("203.0.113.1", &recs[0].probe.dest), 0);
	recs[0].probe.timeout_ms = 200;
	hp_probe_init(&recs[1].probe);
	assert_int_equal(hp_addr_parse("192.0.2.50", &recs[1].probe.dest), 0);
	ev_now_update(h.loop);
	h.start = ev_now(h.loop);
	assert_int_equal(send_rec(&h, &recs[0]), 0);
	assert_int_equal(send_rec(&h, &recs[1]), 0);
	assert_true(run_until(&h, results_at_least, 1, GUARD_S));
	assert_int_equal(recs[0].calls, 1);
	assert_int_equal(recs[0].r.kind, HP_NO_REPLY);
	assert_true(recs[0].at - h.start >= 0.195);
	assert_true(recs[0].at - h.start < 0.4);
	/* Completed for the caller, still taken on the worker. */
	assert_int_equal(hp_client_in_flight(h.c), 0);
	assert_int_equal(hp_client_queued(h.c), 1);
	/* The worker says no-reply after its whole second: ignored. */
	assert_true(run_until(&h, results_at_least, 2, GUARD_S));
	assert_true(recs[1].at - h.start >= 0.95);
	check_normal(&recs[1]);
	run_for(&h, 0.2);
	assert_int_equal(recs[0].calls, 1);
	assert_int_equal(h.results, 2);
	assert_int_equal(h.failed, 0);
	assert_int_equal(hp_client_in_flight(h.c), 0);
	assert_int_equal(hp_client_queued(h.c), 0);
	teardown_harness(&h);
}

/* With timeout-ms the worker keeps time itself. */
static void test_worker_timeout_ms(void **state)
{
	struct harness h;

	(void)state;
	setup_harness(&h, 0, 0, 0);
	add_fake(&h, "--timeout-ms");
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	hp_probe_init(&recs[0].probe);
	assert_int_equal(hp_addr_parse("203.0.113.1", &recs[0].probe.dest), 0);
	recs[0].probe.timeout_ms = 200;
	ev_now_update(h.loop);
	h.start = ev_now(h.loop);
	assert_int_equal(send_rec(&h, &recs[0]), 0);
	assert_true(run_until(&h, results_at_least, 1, GUARD_S));
	assert_int_equal(recs[0].r.kind, HP_NO_REPLY);
	assert_true(recs[0].at - h.start >= 0.19);
	assert_true(recs[0].at - h.start < 0.6);
	teardown_harness(&h);
}

static void test_two_workers(void **state)
{
	const char *dying = "--die-after 50 --delay-ms 10";
	unsigned normal, failed;
	struct hp_worker *a, *b;
	struct harness h;

	(void)state;
	setup_harness(&h, 20, 0, 0);
	a = add_fake(&h, dying);
	b = add_fake(&h, "--delay-ms 10");
	assert_true(run_until(&h, ready_at_least, 2, GUARD_S));
	send_probes(&h, 400, 0);
	assert_true(run_until(&h, results_at_least, 400, GUARD_S));
	run_for(&h, 0.05);
	assert_int_equal(h.failed, 1);
	assert_ptr_equal(h.failed_w, a);
	expect_message(&h, dying, "exited with status 3; its stderr said: "
		       "fake: dying on purpose");
	count_outcomes(400, &normal, &failed);
	/* Only what A held in flight fails; its share of the queue moves. */
	assert_true(failed >= 1);
	assert_true(failed <= 20);
	assert_int_equal(normal + failed, 400);
	assert_int_equal(hp_client_live_workers(h.c), 1);
	assert_int_equal(hp_worker_is_ready(b), 1);
	teardown_harness(&h);
}

/* ---- pinned probes ---------------------------------------------------- */

static void pinned_probe(struct rec *r, const char *addr)
{
	hp_probe_init(&r->probe);
	assert_int_equal(hp_addr_parse(addr, &r->probe.dest), 0);
	r->probe.ttl = 9;
}

static int send_rec_to(struct harness *h, struct hp_worker *w, struct rec *p)
{
	p->h = h;
	return hp_client_send_to(h->c, w, &p->probe, on_result, p);
}

static void log_path(char *buf, size_t len, const char *what);
static void read_log(const char *path, char *buf, size_t len);
static unsigned lines_with(const char *text, const char *word);

/*
 * Probes pinned to a worker go to it and no other, even while it is full
 * and the other has room; when it dies, its pinned probes (in flight and
 * still waiting) complete worker-failed, and the other's are untouched.
 */
static void test_pinned(void **state)
{
	static char log[200000];
	char path[256], args[512];
	struct hp_worker *a, *b;
	struct harness h;
	unsigned i, b_normal = 0, b_failed = 0;

	(void)state;
	log_path(path, sizeof(path), "pinned");
	snprintf(args, sizeof(args), "--delay-ms 5 --log '%s'", path);
	setup_harness(&h, 10, 0, 0);
	a = add_fake(&h, args);
	b = add_fake(&h, "--die-after 30 --delay-ms 5");
	assert_true(run_until(&h, ready_at_least, 2, GUARD_S));
	for (i = 0; i < 200; i++) {
		char addr[64];

		/* A's to 198.51.100.x, B's to 203.0.113.x (x >= 2: answered) */
		snprintf(addr, sizeof(addr), i % 2 ? "203.0.113.%u" :
			 "198.51.100.%u", 2 + i / 2);
		pinned_probe(&recs[i], addr);
		assert_int_equal(send_rec_to(&h, i % 2 ? b : a, &recs[i]), 0);
	}
	assert_true(run_until(&h, results_at_least, 200, GUARD_S));
	run_for(&h, 0.05);
	assert_int_equal(h.failed, 1);
	assert_ptr_equal(h.failed_w, b);
	for (i = 0; i < 200; i += 2) {
		assert_int_equal(recs[i].calls, 1);
		assert_int_equal(recs[i].r.kind, HP_REPLY);
	}
	for (i = 1; i < 200; i += 2) {
		assert_int_equal(recs[i].calls, 1);
		if (recs[i].r.kind == HP_WORKER_FAILED) {
			b_failed++;
		} else {
			assert_int_equal(recs[i].r.kind, HP_REPLY);
			b_normal++;
		}
	}
	/* B answered at most the 30 it read before dying. */
	assert_true(b_normal <= 30);
	assert_int_equal(b_normal + b_failed, 100);
	/* A read exactly its own 100 probes and none of B's. */
	read_log(path, log, sizeof(log));
	/* "send-probe " with its space: not the check-support question */
	assert_int_equal(lines_with(log, "send-probe "), 100);
	assert_int_equal(lines_with(log, "203.0.113."), 0);
	assert_int_equal(hp_client_queued(h.c), 0);
	/* A failed worker takes nothing more; an unpinned probe still goes. */
	pinned_probe(&recs[200], "203.0.113.2");
	errno = 0;
	assert_int_equal(send_rec_to(&h, b, &recs[200]), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(send_rec_to(&h, NULL, &recs[200]), 0);
	assert_true(run_until(&h, results_at_least, 201, GUARD_S));
	assert_int_equal(recs[200].r.kind, HP_REPLY);
	teardown_harness(&h);
}

/* ---- extensions ------------------------------------------------------- */

/* A fresh log file for a fake worker: its path in BUF. */
static void log_path(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "%s/test_client_%s_%ld.log",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", what,
		 (long)getpid());
	unlink(buf);
}

/* The lines the fake read, in one string; the file is removed. */
static void read_log(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
}

/* Lines of TEXT that contain WORD. */
static unsigned lines_with(const char *text, const char *word)
{
	unsigned n = 0;
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *hit = strstr(line, word);

		if (hit && hit < line + len)
			n++;
		line += len + (nl ? 1 : 0);
	}
	return n;
}

static void extension_probe(struct rec *r, int size)
{
	hp_probe_init(&r->probe);
	assert_int_equal(hp_addr_parse("192.0.2.9", &r->probe.dest), 0);
	r->probe.ttl = 7;
	r->probe.size = size;
	r->probe.flow = 5;
	r->probe.dont_fragment = 1;
	r->probe.reply_details = 1;
	r->probe.rtt_ns = 1;
	r->probe.link_events = 1;
}

/*
 * A worker that knows the extensions is asked for them, and their words
 * come back in the result; packet-too-big is a result of its own.
 */
static void test_extensions(void **state)
{
	char path[256], args[320], log[8192];
	struct hp_worker *w;
	struct harness h;

	(void)state;
	log_path(path, sizeof(path), "ext");
	snprintf(args, sizeof(args), "--extensions --log '%s'", path);
	setup_harness(&h, 0, 0, 0);
	w = add_fake(&h, args);
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	assert_int_equal(hp_worker_supports(w, "dont-fragment"), 1);
	assert_int_equal(hp_worker_supports(w, "rate"), 1);
	assert_int_equal(hp_worker_supports(w, "rtt-ns"), 1);
	assert_int_equal(hp_worker_supports(w, "link-events"), 1);
	assert_int_equal(hp_worker_rate(w), -1);
	extension_probe(&recs[0], 1500);
	extension_probe(&recs[1], 0);
	assert_int_equal(send_rec(&h, &recs[0]), 0);
	assert_int_equal(send_rec(&h, &recs[1]), 0);
	assert_true(run_until(&h, results_at_least, 2, GUARD_S));
	assert_int_equal(recs[0].r.kind, HP_PACKET_TOO_BIG);
	assert_int_equal(recs[0].r.has, HP_HAS_MTU);
	assert_int_equal(recs[0].r.mtu, 1400);
	assert_int_equal(recs[1].r.kind, HP_REPLY);
	assert_int_equal(recs[1].r.has, HP_HAS_ICMP | HP_HAS_REPLY_TTL |
			 HP_HAS_RTT_NS);
	assert_true(recs[1].r.rtt_ns == 300123);
	assert_int_equal(recs[1].r.reply_ttl, 61);
	teardown_harness(&h);
	read_log(path, log, sizeof(log));
	assert_int_equal(lines_with(log, " send-probe ip-4 192.0.2.9 ttl 7 "
				    "size 1500 flow 5 dont-fragment 1 "
				    "reply-details 1 rtt-ns 1 link-events 1"),
			 1);
	assert_int_equal(lines_with(log, " send-probe ip-4 192.0.2.9 ttl 7 "
				    "flow 5 dont-fragment 1 reply-details 1 "
				    "rtt-ns 1 link-events 1"), 1);
	assert_int_equal(lines_with(log, "check-support feature rate"), 1);
	assert_int_equal(lines_with(log, "set-rate"), 0);
}

/* A worker that does not know them is asked the reference protocol. */
static void test_extensions_unknown(void **state)
{
	char path[256], args[320], log[8192];
	struct harness h;

	(void)state;
	log_path(path, sizeof(path), "plain");
	snprintf(args, sizeof(args), "--log '%s'", path);
	setup_harness(&h, 0, 0, 0);
	add_fake(&h, args);
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	extension_probe(&recs[0], 1500);
	assert_int_equal(send_rec(&h, &recs[0]), 0);
	assert_true(run_until(&h, results_at_least, 1, GUARD_S));
	assert_int_equal(recs[0].r.kind, HP_REPLY);
	assert_int_equal(recs[0].r.has, 0);
	assert_int_equal(hp_client_set_rate(h.c, 1000), 0);
	run_for(&h, 0.05);
	teardown_harness(&h);
	read_log(path, log, sizeof(log));
	assert_int_equal(lines_with(log, " send-probe ip-4 192.0.2.9 ttl 7 "
				    "size 1500\n"), 1);
	assert_int_equal(lines_with(log, " flow "), 0);
	assert_int_equal(lines_with(log, "set-rate"), 0);
}

static void send_paced(struct harness *h, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		hp_probe_init(&recs[i].probe);
		assert_int_equal(hp_addr_parse("198.51.100.5",
					       &recs[i].probe.dest), 0);
		assert_int_equal(send_rec(h, &recs[i]), 0);
	}
}

/*
 * hp_client_set_rate: the worker is told its share and grants less (its
 * cap); the library then spaces its requests at the grant.  Only the
 * lower bound of the time taken is asserted: spacing can be late on a
 * busy machine, never early.
 */
static void test_rate(void **state)
{
	char path[256], args[320], log[16384];
	struct hp_worker *w;
	struct harness h;
	ev_tstamp t0;
	unsigned i;

	(void)state;
	log_path(path, sizeof(path), "rate");
	snprintf(args, sizeof(args), "--extensions --rate-cap 50 --log '%s'",
		 path);
	setup_harness(&h, 0, 0, 0);
	assert_int_equal(hp_client_set_rate(h.c, -1), -1);
	assert_int_equal(hp_client_set_rate(h.c, 200), 0);
	w = add_fake(&h, args);
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	run_for(&h, 0.05);
	assert_int_equal(hp_worker_rate(w), 50);
	ev_now_update(h.loop);
	t0 = ev_now(h.loop);
	send_paced(&h, 31);
	assert_true(run_until(&h, results_at_least, 31, GUARD_S));
	/* 31 probes at 50 a second, the first at once: 0.6 s at least. */
	assert_true(recs[30].at - t0 >= 0.58);
	for (i = 0; i < 31; i++)
		assert_int_equal(recs[i].r.kind, HP_REPLY);
	/* No limit again: the worker is told 0. */
	assert_int_equal(hp_client_set_rate(h.c, 0), 0);
	run_for(&h, 0.05);
	assert_int_equal(hp_worker_rate(w), 50);	/* its cap, again */
	teardown_harness(&h);
	read_log(path, log, sizeof(log));
	assert_int_equal(lines_with(log, " set-rate pps 200\n"), 1);
	assert_int_equal(lines_with(log, " set-rate pps 0\n"), 1);
	assert_int_equal(lines_with(log, " send-probe ip-"), 31);
}

/*
 * Two workers without `rate`: the library alone keeps the rate, half of
 * it each.
 */
static void test_rate_two_workers(void **state)
{
	struct harness h;
	ev_tstamp t0;

	(void)state;
	setup_harness(&h, 0, 0, 0);
	add_fake(&h, "");
	add_fake(&h, "");
	assert_true(run_until(&h, ready_at_least, 2, GUARD_S));
	assert_int_equal(hp_client_set_rate(h.c, 100), 0);
	assert_int_equal(hp_worker_rate(h.ready_w[0]), -1);
	ev_now_update(h.loop);
	t0 = ev_now(h.loop);
	send_paced(&h, 42);
	assert_true(run_until(&h, results_at_least, 42, GUARD_S));
	/* 21 a worker at 50 a second each: 0.4 s at least. */
	assert_true(recs[41].at - t0 >= 0.38);
	assert_int_equal(hp_client_queued(h.c), 0);
	teardown_harness(&h);
}

/*
 * The UDP probes of one flow hold its source port in one worker: all go
 * to the same one of two; flow-less probes are spread over both.
 */
static void test_flow_home(void **state)
{
	char pa[256], pb[256], args[320], la[16384], lb[16384];
	struct harness h;
	unsigned i, a, b;

	(void)state;
	log_path(pa, sizeof(pa), "flow_a");
	log_path(pb, sizeof(pb), "flow_b");
	setup_harness(&h, 8, 0, 0);
	snprintf(args, sizeof(args), "--extensions --delay-ms 5 --log '%s'",
		 pa);
	add_fake(&h, args);
	snprintf(args, sizeof(args), "--extensions --delay-ms 5 --log '%s'",
		 pb);
	add_fake(&h, args);
	assert_true(run_until(&h, ready_at_least, 2, GUARD_S));
	for (i = 0; i < 60; i++) {
		hp_probe_init(&recs[i].probe);
		assert_int_equal(hp_addr_parse("198.51.100.5",
					       &recs[i].probe.dest), 0);
		recs[i].probe.protocol = HP_UDP;
		if (i < 40)
			recs[i].probe.flow = 3;
		assert_int_equal(send_rec(&h, &recs[i]), 0);
	}
	assert_true(run_until(&h, results_at_least, 60, GUARD_S));
	for (i = 0; i < 60; i++)
		assert_int_equal(recs[i].r.kind, HP_REPLY);
	teardown_harness(&h);
	read_log(pa, la, sizeof(la));
	read_log(pb, lb, sizeof(lb));
	a = lines_with(la, " flow 3");
	b = lines_with(lb, " flow 3");
	assert_true((a == 40 && b == 0) || (a == 0 && b == 40));
	/* The window of 8 a worker made the others use both. */
	assert_int_equal(lines_with(la, " send-probe ip-") +
			 lines_with(lb, " send-probe ip-"), 60);
	assert_true(lines_with(a ? lb : la, " send-probe ip-") >= 1);
}

static void test_free_in_flight(void **state)
{
	char cmd[1024], err[256], path[] = "/tmp/test_client_pid.XXXXXX";
	struct harness h;
	FILE *f;
	int fd, pid = 0;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	setup_harness(&h, 0, 0, 0);
	/* The shell writes its pid, then becomes the fake (exec). */
	snprintf(cmd, sizeof(cmd), "echo $$ > %s; exec '%s' --delay-ms 300",
		 path, fake_path());
	assert_non_null(hp_client_add_worker(h.c, cmd, 1, err, sizeof(err)));
	assert_true(run_until(&h, ready_at_least, 1, GUARD_S));
	send_probes(&h, 50, 0);
	run_for(&h, 0.05);
	assert_int_equal(hp_client_in_flight(h.c), 50);
	hp_client_free(h.c);
	h.c = NULL;
	run_for(&h, 0.5);
	assert_int_equal(h.results, 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &pid), 1);
	fclose(f);
	unlink(path);
	/* Gone and collected: no such process any more. */
	assert_true(pid > 0);
	assert_int_equal(kill((pid_t)pid, 0), -1);
	assert_int_equal(errno, ESRCH);
	teardown_harness(&h);
}

static void test_reentrant(void **state)
{
	struct harness h;

	(void)state;
	/* Freeing inside the 10th callback: nothing after it. */
	setup_harness(&h, 0, 0, 0);
	add_fake(&h, "");
	h.free_after = 10;
	send_probes(&h, 100, 0);
	assert_true(run_until(&h, results_at_least, 10, GUARD_S));
	run_for(&h, 0.2);
	assert_int_equal(h.results, 10);
	assert_null(h.c);
	teardown_harness(&h);

	/* Sending from inside callbacks. */
	setup_harness(&h, 4, 0, 0);
	add_fake(&h, "");
	h.resend_left = 200;
	send_probes(&h, 10, 0);
	{
		unsigned i;

		for (i = MAX_PROBES - 200; i < MAX_PROBES; i++)
			make_probe(i, 0, &recs[i].probe);
	}
	assert_true(run_until(&h, results_at_least, 210, GUARD_S));
	run_for(&h, 0.05);
	assert_int_equal(h.results, 210);
	assert_int_equal(h.calls_inside_send, 0);
	assert_int_equal(hp_client_queued(h.c), 0);
	teardown_harness(&h);

	/* Freeing inside `failed`, with probes queued: no probe callback. */
	setup_harness(&h, 0, 0, 0);
	add_fake(&h, "--die-after 0");
	h.free_in_failed = true;
	send_probes(&h, 20, 0);
	assert_true(run_until(&h, failed_at_least, 1, GUARD_S));
	run_for(&h, 0.2);
	assert_int_equal(h.failed, 1);
	assert_int_equal(h.results, 0);
	teardown_harness(&h);
}

/* The real worker, on loopback only, when HOPPROBE names it. */
static void test_real_worker(void **state)
{
	const char *path = getenv("HOPPROBE");
	struct harness h;
	char err[256], addr[HP_ADDR_TEXT];
	unsigned i;

	(void)state;
	if (!path || !*path)
		skip();
	setup_harness(&h, 0, 0, 0);
	assert_non_null(hp_client_add_worker(h.c, path, 0, err, sizeof(err)));
	for (i = 0; i < 10; i++) {
		hp_probe_init(&recs[i].probe);
		assert_int_equal(hp_addr_parse("127.0.0.1", &recs[i].probe.dest),
				 0);
		recs[i].probe.timeout_ms = 1000;
		assert_int_equal(send_rec(&h, &recs[i]), 0);
	}
	assert_true(run_until(&h, results_at_least, 10, GUARD_S));
	assert_int_equal(h.failed, 0);
	for (i = 0; i < 10; i++) {
		assert_int_equal(recs[i].r.kind, HP_REPLY);
		hp_addr_format(&recs[i].r.responder, addr, sizeof(addr));
		assert_string_equal(addr, "127.0.0.1");
	}
	teardown_harness(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_run),
		cmocka_unit_test(test_no_shell_and_errors),
		cmocka_unit_test(test_mpls),
		cmocka_unit_test(test_exhausted_backoff),
		cmocka_unit_test(test_backoff_timing),
		cmocka_unit_test(test_window_regrows),
		cmocka_unit_test(test_death),
		cmocka_unit_test(test_stall),
		cmocka_unit_test(test_nonsense),
		cmocka_unit_test(test_stale_token),
		cmocka_unit_test(test_startup_failures),
		cmocka_unit_test(test_stderr_tail),
		cmocka_unit_test(test_shell_not_found),
		cmocka_unit_test(test_local_deadline),
		cmocka_unit_test(test_worker_timeout_ms),
		cmocka_unit_test(test_two_workers),
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_extensions_unknown),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_rate_two_workers),
		cmocka_unit_test(test_flow_home),
		cmocka_unit_test(test_free_in_flight),
		cmocka_unit_test(test_reentrant),
		cmocka_unit_test(test_real_worker),
	};

	/* The library leaves signal dispositions alone; its caller must not. */
	signal(SIGPIPE, SIG_IGN);
	/* TEST_FILTER=test_stall runs only the tests matching the pattern. */
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

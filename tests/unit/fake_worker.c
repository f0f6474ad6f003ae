/*
 * fake_worker.c: a stand-in worker for the client library's tests.
 *
 * It speaks the mtr-packet protocol on stdin/stdout and sends nothing to
 * any network: answers are made up from the request.  A probe with ttl
 * T < 3 gets `ttl-expired` from 192.0.2.T (2001:db8::T for ip-6) with a
 * round-trip time of 100*T us; the destinations 203.0.113.1 and
 * 2001:db8::dead never answer, so they get `no-reply` after the probe's
 * timeout (timeout-ms, else timeout, else 10 s); every other probe gets
 * `reply` from its destination with 300 us.  Faults come from argv:
 *
 *   --exhaust-every N   answer probes-exhausted to every Nth send-probe
 *   --exhaust-first N   answer probes-exhausted to the first N send-probes
 *   --max-pending N     probes-exhausted while N answers are pending
 *   --die-after N       at probe N+1: "fake: dying on purpose" on stderr,
 *                       exit 3
 *   --stall-after N     from probe N+1 on answer nothing new, keep reading
 *   --garbage-after N   at probe N+1 write a line that is no protocol
 *   --duplicate-after N answer probe N+1 twice, the copy 50 ms later
 *   --wrong-token       answer the first probe with token 2147483647
 *   --no-timeout-ms     check-support timeout-ms: no (and ignore it)
 *   --timeout-ms        check-support timeout-ms: ok (the default)
 *   --delay-ms N        answer N ms after the request
 *   --hold-until N      write no scheduled answer before N send-probes
 *                       have been read (probes-exhausted still goes out
 *                       at once), so that what the client sees first does
 *                       not depend on how fast this process is scheduled
 *   --mpls              ttl-expired answers carry an MPLS label stack
 *   --slow-start        never answer check-support
 *   --version STR       check-support version answer (default fake-1.0)
 *   --say TEXT          write TEXT and a newline to stderr at start
 *   --crash-at-start    write to stderr and exit 1 before reading
 *   --extensions        check-support ok for reply-details, flow,
 *                       dont-fragment, rtt-ns, link-events and rate; then
 *                       reply-details 1 adds "icmp-type 0 icmp-code 0
 *                       reply-ttl 61" to a reply, rtt-ns 1 adds
 *                       "round-trip-time-ns 300123", and dont-fragment 1
 *                       with a size above 1400 is answered "packet-too-big
 *                       ip-4 192.0.2.1 round-trip-time 50 mtu 1400";
 *                       set-rate pps N is answered rate-set pps N
 *   --rate-cap N        ... or rate-set pps N for anything above N
 *   --log FILE          append every line read to FILE (flushed)
 *
 * It exits 0 at end of input once its answers are out, and 4 after a
 * minute in any case, so that a test gone wrong leaves no process behind.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 8192
#define PENDING_MAX 100000
#define LIFETIME_MS 60000

struct fake_opts {
	long exhaust_every, exhaust_first, max_pending, die_after, stall_after;
	long garbage_after, duplicate_after, delay_ms, rate_cap, hold_until;
	bool wrong_token, no_timeout_ms, slow_start, mpls, extensions;
	const char *version;
	FILE *log;
};

/* One answer waiting for its time, in a list sorted by due time. */
struct answer {
	long long due_ms;
	struct answer *next;
	char line[256];
};

struct fake {
	struct fake_opts o;
	long probes;			/* send-probe lines seen */
	bool stalled;
	struct answer *head;
	long pending;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > INT_MAX) {
		fprintf(stderr, "fake: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static void parse_args(int argc, char **argv, struct fake_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->exhaust_every = o->exhaust_first = o->max_pending = -1;
	o->die_after = o->stall_after = o->garbage_after = -1;
	o->duplicate_after = o->rate_cap = -1;
	o->version = "fake-1.0";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--wrong-token"))
			o->wrong_token = true;
		else if (!strcmp(a, "--no-timeout-ms"))
			o->no_timeout_ms = true;
		else if (!strcmp(a, "--timeout-ms"))
			o->no_timeout_ms = false;
		else if (!strcmp(a, "--slow-start"))
			o->slow_start = true;
		else if (!strcmp(a, "--mpls"))
			o->mpls = true;
		else if (!strcmp(a, "--extensions"))
			o->extensions = true;
		else if (!strcmp(a, "--crash-at-start")) {
			fprintf(stderr, "fake: crashing at start\n");
			exit(1);
		} else if (!v) {
			fprintf(stderr, "fake: bad argument '%s'\n", a);
			exit(2);
		} else if (!strcmp(a, "--version"))
			o->version = v, i++;
		else if (!strcmp(a, "--say"))
			fprintf(stderr, "%s\n", v), i++;
		else if (!strcmp(a, "--exhaust-every"))
			o->exhaust_every = parse_count(v), i++;
		else if (!strcmp(a, "--exhaust-first"))
			o->exhaust_first = parse_count(v), i++;
		else if (!strcmp(a, "--max-pending"))
			o->max_pending = parse_count(v), i++;
		else if (!strcmp(a, "--die-after"))
			o->die_after = parse_count(v), i++;
		else if (!strcmp(a, "--stall-after"))
			o->stall_after = parse_count(v), i++;
		else if (!strcmp(a, "--garbage-after"))
			o->garbage_after = parse_count(v), i++;
		else if (!strcmp(a, "--duplicate-after"))
			o->duplicate_after = parse_count(v), i++;
		else if (!strcmp(a, "--hold-until"))
			o->hold_until = parse_count(v), i++;
		else if (!strcmp(a, "--delay-ms"))
			o->delay_ms = parse_count(v), i++;
		else if (!strcmp(a, "--rate-cap"))
			o->rate_cap = parse_count(v), i++;
		else if (!strcmp(a, "--log")) {
			o->log = fopen(v, "a");
			if (!o->log) {
				fprintf(stderr, "fake: cannot open %s\n", v);
				exit(2);
			}
			i++;
		}
		else {
			fprintf(stderr, "fake: bad argument '%s'\n", a);
			exit(2);
		}
	}
	fflush(stderr);
}

static void say(const char *line)
{
	fputs(line, stdout);
}

/* Queue LINE to be written at DUE_MS; the list stays sorted by time. */
static void schedule(struct fake *f, long long due_ms, const char *line)
{
	struct answer *a = malloc(sizeof(*a)), **pp = &f->head;

	if (!a) {
		fprintf(stderr, "fake: out of memory\n");
		exit(5);
	}
	a->due_ms = due_ms;
	snprintf(a->line, sizeof(a->line), "%s", line);
	while (*pp && (*pp)->due_ms <= due_ms)
		pp = &(*pp)->next;
	a->next = *pp;
	*pp = a;
	f->pending++;
}

/* Write the answers that are due; the time until the next one, or -1. */
static int fire_due(struct fake *f)
{
	long long now = now_ms();

	if (f->probes < f->o.hold_until)
		return -1;
	while (f->head && f->head->due_ms <= now) {
		struct answer *a = f->head;

		f->head = a->next;
		f->pending--;
		say(a->line);
		free(a);
	}
	fflush(stdout);
	if (!f->head)
		return -1;
	return (int)(f->head->due_ms - now);
}

/* Split LINE into blank-separated words, at most MAX. */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " \t", &save); t && n < max;
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	return n;
}

static const char *arg_of(char **w, int n, const char *name)
{
	int i;

	for (i = 2; i + 1 < n; i += 2)
		if (!strcmp(w[i], name))
			return w[i + 1];
	return NULL;
}

static void check_support(struct fake *f, const char *tok, char **w, int n)
{
	const char *name = arg_of(w, n, "feature");
	const char *v = "no";
	static const char *const ok[] = { "send-probe", "ip-4", "ip-6",
		"icmp", "udp", "tcp", "sctp", "mark" };
	static const char *const extensions[] = { "reply-details", "flow",
		"dont-fragment", "rtt-ns", "link-events", "rate" };
	char line[256];
	size_t i;

	if (f->o.slow_start)
		return;
	if (!name) {
		printf("%s invalid-argument\n", tok);
		return;
	}
	if (!strcmp(name, "version"))
		v = f->o.version;
	else if (!strcmp(name, "timeout-ms"))
		v = f->o.no_timeout_ms ? "no" : "ok";
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(name, ok[i]))
			v = "ok";
	for (i = 0; f->o.extensions && i < sizeof(extensions) /
					   sizeof(extensions[0]); i++)
		if (!strcmp(name, extensions[i]))
			v = "ok";
	snprintf(line, sizeof(line), "%s feature-support support %s\n", tok,
		 v);
	say(line);
}

static void send_probe(struct fake *f, const char *tok, char **w, int n)
{
	const char *d4 = arg_of(w, n, "ip-4"), *d6 = arg_of(w, n, "ip-6");
	const char *ttl_s = arg_of(w, n, "ttl"), *to_s = arg_of(w, n, "timeout");
	const char *tms_s = arg_of(w, n, "timeout-ms");
	const char *size_s = arg_of(w, n, "size");
	const char *df_s = arg_of(w, n, "dont-fragment");
	const char *details_s = arg_of(w, n, "reply-details");
	const char *rttns_s = arg_of(w, n, "rtt-ns");
	bool ext = f->o.extensions;
	long ttl = ttl_s ? atol(ttl_s) : 255;
	long long timeout_ms = 10000, due = now_ms() + f->o.delay_ms;
	char line[256];
	int copies = 1;

	f->probes++;
	if (f->o.die_after >= 0 && f->probes > f->o.die_after) {
		fflush(stdout);
		fprintf(stderr, "fake: dying on purpose\n");
		exit(3);
	}
	if (f->o.stall_after >= 0 && f->probes > f->o.stall_after)
		f->stalled = true;
	if (f->stalled)
		return;
	if (f->o.garbage_after >= 0 && f->probes == f->o.garbage_after + 1)
		say("this is not the protocol\n");
	if (f->o.wrong_token && f->probes == 1)
		tok = "2147483647";
	if (f->o.duplicate_after >= 0 &&
	    f->probes == f->o.duplicate_after + 1)
		copies = 2;
	if ((f->o.exhaust_every > 0 && f->probes % f->o.exhaust_every == 0) ||
	    f->probes <= f->o.exhaust_first ||
	    (f->o.max_pending >= 0 && f->pending >= f->o.max_pending) ||
	    f->pending >= PENDING_MAX) {
		snprintf(line, sizeof(line), "%s probes-exhausted\n", tok);
		say(line);
		return;
	}
	if (!d4 == !d6) {
		snprintf(line, sizeof(line), "%s invalid-argument\n", tok);
		say(line);
		return;
	}
	if (to_s)
		timeout_ms = atoll(to_s) * 1000;
	if (tms_s && !f->o.no_timeout_ms)
		timeout_ms = atoll(tms_s);
	if (ext && df_s && !strcmp(df_s, "1") && size_s && atol(size_s) > 1400) {
		snprintf(line, sizeof(line), "%s packet-too-big ip-4 192.0.2.1 "
			 "round-trip-time 50 mtu 1400\n", tok);
	} else if ((d4 && !strcmp(d4, "203.0.113.1")) ||
	    (d6 && !strcmp(d6, "2001:db8::dead"))) {
		snprintf(line, sizeof(line), "%s no-reply\n", tok);
		due = now_ms() + timeout_ms;
	} else if (ttl < 3) {
		snprintf(line, sizeof(line),
			 "%s ttl-expired %s %s%ld round-trip-time %ld%s\n", tok,
			 d4 ? "ip-4" : "ip-6", d4 ? "192.0.2." : "2001:db8::",
			 ttl, 100 * ttl,
			 f->o.mpls ? " mpls 16001,5,0,1,16002,0,1,255" : "");
	} else {
		snprintf(line, sizeof(line),
			 "%s reply %s %s round-trip-time 300%s%s\n", tok,
			 d4 ? "ip-4" : "ip-6", d4 ? d4 : d6,
			 ext && rttns_s && !strcmp(rttns_s, "1") ?
			 " round-trip-time-ns 300123" : "",
			 ext && details_s && !strcmp(details_s, "1") ?
			 " icmp-type 0 icmp-code 0 reply-ttl 61" : "");
	}
	schedule(f, due, line);
	if (copies > 1)
		schedule(f, due + 50, line);
}

static void handle_line(struct fake *f, char *line)
{
	char *w[40], *end;
	int n;

	if (f->o.log) {
		fprintf(f->o.log, "%s\n", line);
		fflush(f->o.log);
	}
	n = split(line, w, 40);

	if (n < 2 || (strtol(w[0], &end, 10), *end)) {
		say("0 command-parse-error\n");
		return;
	}
	if (!strcmp(w[1], "check-support"))
		check_support(f, w[0], w, n);
	else if (!strcmp(w[1], "set-rate") && f->o.extensions && n == 4 &&
		 !strcmp(w[2], "pps")) {
		long pps = atol(w[3]);

		if (f->o.rate_cap >= 0 && (pps == 0 || pps > f->o.rate_cap))
			pps = f->o.rate_cap;
		printf("%s rate-set pps %ld\n", w[0], pps);
	}
	else if (!strcmp(w[1], "send-probe"))
		send_probe(f, w[0], w, n);
	else
		printf("%s unknown-command\n", w[0]);
}

int main(int argc, char **argv)
{
	static char buf[LINE_MAX_BYTES];
	long long start = now_ms();
	struct fake f;
	size_t len = 0;
	bool eof = false;

	memset(&f, 0, sizeof(f));
	parse_args(argc, argv, &f.o);
	while (now_ms() - start < LIFETIME_MS) {
		struct pollfd pfd = { 0, POLLIN, 0 };
		int wait = fire_due(&f);
		char *nl;
		ssize_t n;

		if (eof && (wait < 0 || f.stalled))
			return 0;
		if (eof) {
			poll(NULL, 0, wait);
			continue;
		}
		if (wait < 0 || wait > 1000)
			wait = 1000;
		if (poll(&pfd, 1, wait) <= 0)
			continue;
		n = read(0, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			eof = true;
			continue;
		}
		len += (size_t)n;
		while ((nl = memchr(buf, '\n', len))) {
			*nl = '\0';
			handle_line(&f, buf);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len);
		}
		if (len == sizeof(buf))
			len = 0;	/* an over-long line: dropped */
		fflush(stdout);
	}
	return 4;
}

/*
 * hopbench.c: drive an mtr-packet compatible worker (hopprobe, mtr-packet)
 * over its pipes and measure it.
 *
 *	hopbench [options] -- WORKER [ARG...]
 *
 * Modes (-m):
 *   run      keep a window of probes in flight for a while; count the
 *            answers per token (each must get exactly one), the steady
 *            rate of expected replies, the worker's CPU per probe (wait4),
 *            its peak RSS and the round-trip times it reported;
 *   startup  exec until the answer to `check-support feature version`,
 *            repeated -n times: the median in milliseconds;
 *   hold     idle RSS, then -n probes to a silent destination at once, and
 *            the RSS with all of them outstanding: bytes per probe in
 *            flight, and how many the worker took (capacity);
 *   rate     `set-rate pps` -r (hopprobe(8), rate), then -n probes written
 *            at once: the rate their answers came at, and how long each
 *            waited in the worker for its turn (its answer's arrival less
 *            the write and less its round trip), median and largest,
 *            beside the wait the rate itself imposes on the last probe.
 *
 * With -f LIST the probes go to the addresses of the file in turn (token
 * t to line (t-1) mod lines), each answering for itself: the lists fping
 * and scamper are given in the peers part of the bench.
 *
 * Every wait is bounded: a worker that dies is reported as "crashed", one
 * that stops answering as "stalled", and the run goes on.  The result is
 * one CSV row (benchutil.h) on stdout or appended to -o FILE.
 *
 * The driver sends only what it is told to; the runner gives it loopback
 * and lab addresses only.
 */
#define _GNU_SOURCE
#include "benchutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Token ranges: measured probes count up from 1; the others are apart. */
#define TOKEN_VERSION 2000000000u
#define TOKEN_RATE 1999999999u
#define TOKEN_BG_BASE 1500000000u
#define MAX_PROBES 1000000000u
#define MAX_TARGETS 1000000u

#define OBUF_SIZE (1u << 20)
#define IBUF_SIZE (1u << 20)
#define LINE_MAX_REQ 200

enum mode { MODE_RUN, MODE_STARTUP, MODE_HOLD, MODE_RATE };

enum token_state { TOK_FREE, TOK_OUT, TOK_DONE };

struct options {
	enum mode mode;
	const char *dest;
	const char *proto;
	const char *port;
	const char *expect_kind;	/* reply name due: reply, ttl-expired */
	const char *responder;		/* who must answer; default dest */
	const char *bg_dest;		/* -b: where background probes go */
	const char *list;		/* -f: a file of destinations */
	const char *labels;
	const char *csv;
	unsigned ttl;
	uint64_t window;
	uint64_t count;
	uint64_t bg_count;
	uint64_t duration_ns;
	uint64_t timeout_s;
	uint64_t gap_ns;
	uint64_t rate_pps;		/* -r: set-rate pps, rate mode */
	bool keep_stderr;
	bool verbose;
	char **argv;			/* the worker command */
};

/* One destination of the measured probes and who must answer for it. */
struct target {
	char tail[LINE_MAX_REQ];	/* " send-probe ip-4 ... \n" */
	size_t tail_len;
	unsigned char resp_addr[16];	/* expected responder, binary */
	int resp_family;
};

struct bench {
	const struct options *o;
	pid_t pid;
	int in_fd;			/* our end of the worker's stdin */
	int out_fd;			/* our end of the worker's stdout */
	bool worker_eof;		/* its stdout closed: it died or quit */
	bool write_failed;

	char *obuf;			/* requests not yet written */
	size_t olen, opos;
	char *ibuf;			/* a partial reply line */
	size_t ilen;

	struct target *targets;		/* token t probes targets[(t-1) % n] */
	size_t n_targets;
	char bg_tail[LINE_MAX_REQ];
	size_t bg_tail_len;

	uint8_t *state;			/* per measured token */
	uint64_t next_token;		/* next measured token to send */
	uint64_t outstanding;
	uint64_t answered;
	uint32_t *rtts;
	size_t n_rtts;
	uint64_t *answered_ns;		/* rate mode: per token, else NULL */
	uint32_t *rtt_of;		/* rate mode: per token, us */
	int64_t rate_granted;		/* rate-set pps; -1 none yet */

	uint64_t bg_queued, bg_answered, bg_errors;
	bool version_seen;
	char version[64];
	char first_error[64];
	uint64_t last_output_ns;

	struct bench_result r;
};

static void usage(FILE *to)
{
	fputs("usage: hopbench [-m run|startup|hold|rate] [-d ADDR] [-p icmp|udp|tcp]\n"
	      "         [-r PPS (rate mode)] [-P PORT] [-t TTL] [-w WINDOW]\n"
	      "         [-n COUNT] [-D SECONDS]\n"
	      "         [-T TIMEOUT] [-i GAP_SECONDS] [-k reply|ttl-expired]\n"
	      "         [-R RESPONDER] [-b BG_ADDR -B BG_COUNT] [-f LIST]\n"
	      "         [-L LABELS] [-o CSV] [-E] [-v] -- WORKER [ARG...]\n"
	      "       hopbench -H   (print the CSV header)\n", to);
}

/* ---- the worker process ------------------------------------------------ */

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * Start the worker with pipes on stdin and stdout.  Its stderr goes to
 * /dev/null unless asked for: a crashing mtr-packet prints there, and the
 * table says "crashed" anyway.
 */
static int worker_spawn(struct bench *b)
{
	int in[2], out[2];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) == -1)
		return -1;
	if (pipe2(out, O_CLOEXEC) == -1) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	pid = fork();
	if (pid == -1) {
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return -1;
	}
	if (pid == 0) {
		int null_fd;

		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		if (!b->o->keep_stderr) {
			null_fd = open("/dev/null", O_WRONLY);
			if (null_fd != -1)
				dup2(null_fd, STDERR_FILENO);
		}
		signal(SIGPIPE, SIG_DFL);
		execvp(b->o->argv[0], b->o->argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	b->pid = pid;
	b->in_fd = in[1];
	b->out_fd = out[0];
	b->worker_eof = false;
	b->write_failed = false;
	b->olen = b->opos = 0;
	b->ilen = 0;
	b->version_seen = false;
	set_nonblock(b->in_fd);
	set_nonblock(b->out_fd);
	return 0;
}

/*
 * Close the worker's stdin, give it grace_ms to exit by itself (reading
 * its stdout meanwhile so that it never blocks on a full pipe), then kill
 * it.  Fills the CPU and RSS figures from wait4 and returns whether it
 * exited by itself with status 0.  A worker that died of a signal we did
 * not send has crashed.
 */
static bool worker_reap(struct bench *b, int grace_ms, bool kill_now,
			struct rusage *ru)
{
	int st = 0;
	pid_t got = 0;
	bool killed = false;
	char sink[65536];
	uint64_t deadline;

	if (b->in_fd != -1) {
		close(b->in_fd);
		b->in_fd = -1;
	}
	deadline = bench_now_ns() + (uint64_t)grace_ms * 1000000u;
	if (kill_now) {
		kill(b->pid, SIGKILL);
		killed = true;
		deadline = bench_now_ns() + 5000000000u;
	}
	for (;;) {
		got = wait4(b->pid, &st, WNOHANG, ru);
		if (got == b->pid || (got == -1 && errno != EINTR))
			break;
		if (bench_now_ns() >= deadline && !killed) {
			kill(b->pid, SIGKILL);
			killed = true;
			deadline = bench_now_ns() + 5000000000u;
		} else if (bench_now_ns() >= deadline) {
			break;		/* not even SIGKILL: give up waiting */
		}
		if (b->out_fd != -1) {
			struct pollfd p = { .fd = b->out_fd, .events = POLLIN };

			if (poll(&p, 1, 5) > 0 &&
			    read(b->out_fd, sink, sizeof(sink)) == 0) {
				close(b->out_fd);
				b->out_fd = -1;
			}
		} else {
			usleep(2000);
		}
	}
	if (b->out_fd != -1) {
		close(b->out_fd);
		b->out_fd = -1;
	}
	if (got != b->pid) {
		memset(ru, 0, sizeof(*ru));
		b->r.status = "unreaped";
		return false;
	}
	if (WIFSIGNALED(st) && !killed) {
		b->r.status = "crashed";
		snprintf(b->r.note + strlen(b->r.note),
			 sizeof(b->r.note) - strlen(b->r.note),
			 "signal %d; ", WTERMSIG(st));
		return false;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
		snprintf(b->r.note + strlen(b->r.note),
			 sizeof(b->r.note) - strlen(b->r.note),
			 "exit %d; ", WEXITSTATUS(st));
		if (WEXITSTATUS(st) == 127 && strcmp(b->r.status, "ok") == 0)
			b->r.status = "no-start";
		return false;
	}
	if (killed && !kill_now) {
		/* It did not exit on end of input once all was answered. */
		snprintf(b->r.note + strlen(b->r.note),
			 sizeof(b->r.note) - strlen(b->r.note),
			 "killed after EOF; ");
		return false;
	}
	return true;
}

static double rusage_cpu_us(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec * 1e6 + (double)ru->ru_utime.tv_usec +
	       (double)ru->ru_stime.tv_sec * 1e6 + (double)ru->ru_stime.tv_usec;
}

/* ---- requests ---------------------------------------------------------- */

static int family_of(const char *addr)
{
	return strchr(addr, ':') ? AF_INET6 : AF_INET;
}

/* The part of a request after the token, built once. */
static size_t build_tail(char *buf, size_t size, const struct options *o,
			 const char *dest, uint64_t timeout_s)
{
	int n;

	n = snprintf(buf, size, " send-probe %s %s protocol %s ttl %u "
		     "timeout %" PRIu64 "%s%s\n",
		     family_of(dest) == AF_INET6 ? "ip-6" : "ip-4", dest,
		     o->proto, o->ttl, timeout_s, o->port ? " port " : "",
		     o->port ? o->port : "");
	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

/* Decimal digits of v at p; returns the length. */
static size_t put_u64(char *p, uint64_t v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

static bool obuf_put(struct bench *b, uint64_t token, const char *tail,
		     size_t tail_len)
{
	if (b->olen + 24 + tail_len > OBUF_SIZE)
		return false;
	b->olen += put_u64(b->obuf + b->olen, token);
	memcpy(b->obuf + b->olen, tail, tail_len);
	b->olen += tail_len;
	return true;
}

/* Queue the request of the next measured token, to its target. */
static bool put_probe(struct bench *b)
{
	const struct target *t =
		&b->targets[(b->next_token - 1) % b->n_targets];

	return obuf_put(b, b->next_token, t->tail, t->tail_len);
}

/* Write what is queued, as far as the pipe takes it. */
static void obuf_flush(struct bench *b)
{
	while (b->opos < b->olen && b->in_fd != -1) {
		ssize_t n = write(b->in_fd, b->obuf + b->opos,
				  b->olen - b->opos);

		if (n > 0) {
			b->opos += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno != EAGAIN)
			b->write_failed = true;
		break;
	}
	if (b->opos == b->olen)
		b->olen = b->opos = 0;
}

/* ---- replies ----------------------------------------------------------- */

static bool parse_token(const char *s, size_t len, uint64_t *tok)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*tok = v;
	return true;
}

/* Split a reply line at single spaces into at most max words. */
static size_t split_words(char *line, size_t len, char **w, size_t *wl,
			  size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		size_t start = i;

		while (i < len && line[i] != ' ')
			i++;
		w[n] = line + start;
		wl[n] = i - start;
		n++;
		while (i < len && line[i] == ' ')
			i++;
	}
	return n;
}

static bool word_is(const char *w, size_t wl, const char *s)
{
	return wl == strlen(s) && memcmp(w, s, wl) == 0;
}

/*
 * One answer for a measured token: good when it is the reply kind due and
 * comes from the expected responder, lost when it is no-reply, otherwise
 * wrong (another kind) or an error (probes-exhausted and the like).
 */
static void on_probe_answer(struct bench *b, uint64_t tok, char **w,
			    size_t *wl, size_t n)
{
	const struct target *t = &b->targets[(tok - 1) % b->n_targets];
	const char *name = w[1];
	size_t nl = wl[1];

	if (word_is(name, nl, b->o->expect_kind)) {
		bool from_ok = false;
		long rtt = -1;
		size_t i;

		for (i = 2; i + 1 < n; i += 2) {
			if (word_is(w[i], wl[i], "ip-4") ||
			    word_is(w[i], wl[i], "ip-6")) {
				char tmp[64];
				unsigned char bin[16];
				int fam = w[i][3] == '6' ? AF_INET6 : AF_INET;

				if (wl[i + 1] < sizeof(tmp)) {
					memcpy(tmp, w[i + 1], wl[i + 1]);
					tmp[wl[i + 1]] = '\0';
					from_ok = fam == t->resp_family &&
						  inet_pton(fam, tmp, bin) == 1 &&
						  memcmp(bin, t->resp_addr,
							 fam == AF_INET ? 4 : 16) == 0;
				}
			} else if (word_is(w[i], wl[i], "round-trip-time")) {
				uint64_t v;

				if (parse_token(w[i + 1], wl[i + 1], &v))
					rtt = (long)v;
			}
		}
		if (from_ok) {
			b->r.good++;
			if (rtt >= 0)
				b->rtts[b->n_rtts++] = (uint32_t)rtt;
			if (b->rtt_of && rtt >= 0)
				b->rtt_of[tok] = (uint32_t)rtt;
		} else {
			b->r.wrong++;
		}
		return;
	}
	if (word_is(name, nl, "no-reply")) {
		b->r.noreply++;
		return;
	}
	if (word_is(name, nl, "reply") || word_is(name, nl, "ttl-expired")) {
		b->r.wrong++;
		return;
	}
	b->r.errors++;
	if (b->first_error[0] == '\0') {
		size_t k = nl < sizeof(b->first_error) - 1 ?
			   nl : sizeof(b->first_error) - 1;

		memcpy(b->first_error, name, k);
		b->first_error[k] = '\0';
	}
}

static void on_line(struct bench *b, char *line, size_t len)
{
	char *w[40];
	size_t wl[40], n;
	uint64_t tok;

	n = split_words(line, len, w, wl, 40);
	if (n < 2 || !parse_token(w[0], wl[0], &tok)) {
		b->r.dups++;
		return;
	}
	if (tok == TOKEN_VERSION) {
		b->version_seen = true;
		if (n >= 4 && wl[3] < sizeof(b->version)) {
			memcpy(b->version, w[3], wl[3]);
			b->version[wl[3]] = '\0';
		}
		return;
	}
	if (tok == TOKEN_RATE) {
		uint64_t v;

		if (n >= 4 && word_is(w[1], wl[1], "rate-set") &&
		    parse_token(w[3], wl[3], &v))
			b->rate_granted = (int64_t)v;
		else
			b->rate_granted = 0;	/* refused: no limit */
		return;
	}
	if (tok >= TOKEN_BG_BASE && tok < TOKEN_BG_BASE + b->bg_queued) {
		b->bg_answered++;
		if (!word_is(w[1], wl[1], "no-reply"))
			b->bg_errors++;
		return;
	}
	if (tok == 0 || tok >= b->next_token || b->state[tok] != TOK_OUT) {
		b->r.dups++;
		return;
	}
	b->state[tok] = TOK_DONE;
	b->outstanding--;
	b->answered++;
	if (b->answered_ns)
		b->answered_ns[tok] = bench_now_ns();
	on_probe_answer(b, tok, w, wl, n);
}

/* Read everything the worker has written so far; false at its EOF. */
static bool read_replies(struct bench *b)
{
	for (;;) {
		ssize_t n = read(b->out_fd, b->ibuf + b->ilen,
				 IBUF_SIZE - b->ilen);
		char *p, *end, *nl;

		if (n == 0) {
			b->worker_eof = true;
			return false;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				b->worker_eof = true;
			return !b->worker_eof;
		}
		b->last_output_ns = bench_now_ns();
		p = b->ibuf;
		end = b->ibuf + b->ilen + (size_t)n;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			on_line(b, p, (size_t)(nl - p));
			p = nl + 1;
		}
		b->ilen = (size_t)(end - p);
		if (b->ilen == IBUF_SIZE) {
			b->ilen = 0;	/* an absurd line: drop it */
			b->r.dups++;
		}
		memmove(b->ibuf, p, b->ilen);
	}
}

/*
 * Wait at most timeout_ms for the worker's output (and for room in its
 * stdin when requests are queued), then handle what came.
 */
static void pump(struct bench *b, int timeout_ms)
{
	struct pollfd p[2];
	nfds_t np = 0;

	if (b->out_fd == -1 || b->worker_eof)
		return;
	p[np].fd = b->out_fd;
	p[np].events = POLLIN;
	np++;
	if (b->olen > b->opos && b->in_fd != -1) {
		p[np].fd = b->in_fd;
		p[np].events = POLLOUT;
		np++;
	}
	if (poll(p, np, timeout_ms) <= 0)
		return;
	if (p[0].revents)
		read_replies(b);
	if (np > 1 && p[1].revents)
		obuf_flush(b);
}

/* Ask for the version and wait for it: the worker is then ready. */
static bool handshake(struct bench *b, uint64_t limit_ns)
{
	static const char req[] = " check-support feature version\n";
	uint64_t deadline = bench_now_ns() + limit_ns;

	obuf_put(b, TOKEN_VERSION, req, sizeof(req) - 1);
	obuf_flush(b);
	while (!b->version_seen && !b->worker_eof && !b->write_failed) {
		uint64_t now = bench_now_ns();

		if (now >= deadline)
			return false;
		pump(b, (int)((deadline - now) / 1000000u) + 1);
	}
	return b->version_seen;
}

/* Bytes still in the worker's stdin pipe, or 0 when unknown. */
static int pipe_pending(int fd)
{
	int n = 0;

	if (fd == -1 || ioctl(fd, FIONREAD, &n) == -1)
		return 0;
	return n;
}

/* ---- modes ------------------------------------------------------------- */

static void note_add(struct bench *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note_add(struct bench *b, const char *fmt, ...)
{
	size_t used = strlen(b->r.note);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->r.note + used, sizeof(b->r.note) - used, fmt, ap);
	va_end(ap);
}

/*
 * Background probes: queue them all, then wait until the worker has read
 * them (its stdin pipe is empty) and a little more, so that they are
 * outstanding when measuring starts.
 */
static void queue_background(struct bench *b)
{
	uint64_t i, deadline = bench_now_ns() + 10000000000u;

	for (i = 0; i < b->o->bg_count; i++) {
		while (!obuf_put(b, TOKEN_BG_BASE + i, b->bg_tail,
				 b->bg_tail_len)) {
			obuf_flush(b);
			if (b->worker_eof || b->write_failed ||
			    bench_now_ns() > deadline)
				return;
			pump(b, 10);
		}
		b->bg_queued++;
	}
	while ((b->olen > b->opos || pipe_pending(b->in_fd) > 0) &&
	       !b->worker_eof && !b->write_failed &&
	       bench_now_ns() < deadline) {
		obuf_flush(b);
		pump(b, 5);
	}
	deadline = bench_now_ns() + 300000000u;
	while (!b->worker_eof && bench_now_ns() < deadline)
		pump(b, 10);
}

static int mode_run(struct bench *b)
{
	const struct options *o = b->o;
	uint64_t t0, stop_at, t_last = 0, t_stop = 0, t_steady = 0;
	uint64_t good_steady = 0, good_stop = 0, last_send = 0;
	uint64_t hard_deadline, stall_ns, cpu0, cpu1;
	uint64_t steady_mark;
	bool sending = true;
	struct rusage ru;

	b->state = calloc(o->count + 1, 1);
	b->rtts = malloc((o->count + 1) * sizeof(*b->rtts));
	if (!b->state || !b->rtts) {
		fprintf(stderr, "hopbench: out of memory for %" PRIu64
			" probes\n", o->count);
		return 1;
	}
	b->next_token = 1;

	if (worker_spawn(b) == -1) {
		b->r.status = "no-start";
		return 0;
	}
	if (!handshake(b, 30000000000u)) {
		b->r.status = "no-start";
		worker_reap(b, 200, true, &ru);
		b->r.status = "no-start";
		return 0;
	}
	note_add(b, "version %s; ", b->version);
	if (o->bg_count) {
		queue_background(b);
		note_add(b, "background %" PRIu64 " (%" PRIu64
			 " answered early); ", b->bg_queued, b->bg_errors);
	}

	cpu0 = bench_proc_cpu_ns(b->pid);
	t0 = bench_now_ns();
	stop_at = t0 + o->duration_ns;
	stall_ns = (o->timeout_s + 3) * 1000000000u;
	hard_deadline = stop_at + stall_ns + 5000000000u;
	b->last_output_ns = t0;
	/* Steady state starts once a whole window has come back. */
	steady_mark = o->window;

	for (;;) {
		uint64_t now = bench_now_ns();
		int wait_ms = 100;

		if (sending && (now >= stop_at || b->next_token > o->count)) {
			sending = false;
			t_stop = now;
			good_stop = b->r.good;
		}
		if (sending && b->olen == 0) {
			uint64_t room = o->window - b->outstanding;

			if (o->gap_ns && room > 0 && now < last_send + o->gap_ns)
				room = 0;
			while (room > 0 && b->next_token <= o->count &&
			       put_probe(b)) {
				b->state[b->next_token] = TOK_OUT;
				b->next_token++;
				b->outstanding++;
				room--;
				last_send = now;
			}
		}
		obuf_flush(b);
		if (b->write_failed || b->worker_eof)
			break;
		if (!sending && b->outstanding == 0)
			break;
		if (b->outstanding > 0 && now - b->last_output_ns > stall_ns) {
			b->r.status = "stalled";
			break;
		}
		if (now > hard_deadline) {
			b->r.status = "timeout";
			break;
		}
		if (sending && o->gap_ns && b->outstanding < o->window) {
			uint64_t due = last_send + o->gap_ns;

			wait_ms = due > now ? (int)((due - now) / 1000000u) : 0;
		}
		if (sending && stop_at > now &&
		    (stop_at - now) / 1000000u < (uint64_t)wait_ms)
			wait_ms = (int)((stop_at - now) / 1000000u) + 1;
		pump(b, wait_ms);
		if (b->answered > 0)
			t_last = b->last_output_ns;
		if (t_steady == 0 && b->answered >= steady_mark) {
			t_steady = bench_now_ns();
			good_steady = b->r.good;
		}
	}
	cpu1 = bench_proc_cpu_ns(b->pid);
	if (sending) {
		t_stop = bench_now_ns();
		good_stop = b->r.good;
	}
	if (b->worker_eof || b->write_failed)
		b->r.status = "crashed";

	b->r.sent = b->next_token - 1;
	b->r.unanswered = b->outstanding;
	if (t_last > t0)
		b->r.elapsed_s = (double)(t_last - t0) / 1e9;
	/*
	 * The steady rate leaves out the first window's ramp and the final
	 * drain; too short a steady phase falls back to the whole run.
	 */
	if (t_steady && t_stop > t_steady &&
	    (t_stop - t_steady) * 4 >= o->duration_ns &&
	    good_stop > good_steady)
		b->r.pps = (double)(good_stop - good_steady) * 1e9 /
			   (double)(t_stop - t_steady);
	else if (t_last > t0)
		b->r.pps = (double)b->r.good * 1e9 / (double)(t_last - t0);
	if (cpu0 && cpu1 > cpu0 && b->r.sent)
		b->r.cpu_phase_us_per_probe = (double)(cpu1 - cpu0) / 1e3 /
					      (double)b->r.sent;

	/*
	 * A worker that stalled, or holds background probes, gets no grace
	 * to finish; one that closed its output is waited for, to learn the
	 * signal it died of.
	 */
	worker_reap(b, 2000, (strcmp(b->r.status, "ok") != 0 &&
			      !b->worker_eof) || o->bg_count, &ru);
	if (b->r.sent)
		b->r.cpu_us_per_probe = rusage_cpu_us(&ru) / (double)b->r.sent;
	b->r.maxrss_kb = ru.ru_maxrss;
	if (b->n_rtts) {
		b->r.rtt_med_us = bench_quantile(b->rtts, b->n_rtts, 0.5);
		b->r.rtt_p99_us = bench_quantile(b->rtts, b->n_rtts, 0.99);
	}
	if (b->first_error[0])
		note_add(b, "first error %s; ", b->first_error);
	return 0;
}

static int mode_startup(struct bench *b)
{
	const struct options *o = b->o;
	uint64_t n = o->count, i, ok = 0;
	uint32_t *us = calloc(n ? n : 1, sizeof(*us));
	double cpu = 0;
	struct rusage ru;

	if (!us)
		return 1;
	for (i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns(), t1;

		if (worker_spawn(b) == -1)
			break;
		if (!handshake(b, 10000000000u)) {
			worker_reap(b, 200, true, &ru);
			b->r.status = "no-start";
			break;
		}
		t1 = bench_now_ns();
		us[ok++] = (uint32_t)((t1 - t0) / 1000u);
		worker_reap(b, 2000, false, &ru);
		cpu += rusage_cpu_us(&ru);
		if (ru.ru_maxrss > b->r.maxrss_kb)
			b->r.maxrss_kb = ru.ru_maxrss;
	}
	b->r.sent = ok;
	if (ok) {
		double med = bench_quantile(us, ok, 0.5);
		double p90 = bench_quantile(us, ok, 0.9);

		b->r.value = med / 1000.0;
		b->r.cpu_us_per_probe = cpu / (double)ok;
		note_add(b, "version %s; startup ms min %.3f median %.3f p90 %.3f"
			 "; cpu us per start %.0f", b->version, us[0] / 1000.0,
			 med / 1000.0, p90 / 1000.0, cpu / (double)ok);
	}
	free(us);
	return 0;
}

/*
 * RSS per probe in flight: idle RSS after the handshake, then count probes
 * to a silent destination written at once; once the worker has read them
 * all (plus a settling pause) the RSS again.  Probes the worker refused
 * (probes-exhausted) do not count as held.
 */
static int mode_hold(struct bench *b)
{
	const struct options *o = b->o;
	uint64_t deadline, held;
	long idle, loaded, hwm;
	struct rusage ru;

	b->state = calloc(o->count + 1, 1);
	b->rtts = malloc((o->count + 1) * sizeof(*b->rtts));
	if (!b->state || !b->rtts)
		return 1;
	b->next_token = 1;
	if (worker_spawn(b) == -1 || !handshake(b, 30000000000u)) {
		if (b->pid > 0)
			worker_reap(b, 200, true, &ru);
		b->r.status = "no-start";
		return 0;
	}
	note_add(b, "version %s; ", b->version);
	usleep(100000);
	idle = bench_proc_rss_kb(b->pid, false);

	deadline = bench_now_ns() + 20000000000u;
	while (b->next_token <= o->count && !b->worker_eof &&
	       !b->write_failed && bench_now_ns() < deadline) {
		while (b->next_token <= o->count &&
		       put_probe(b)) {
			b->state[b->next_token++] = TOK_OUT;
			b->outstanding++;
		}
		obuf_flush(b);
		pump(b, 10);
	}
	while ((b->olen > b->opos || pipe_pending(b->in_fd) > 0) &&
	       !b->worker_eof && !b->write_failed &&
	       bench_now_ns() < deadline) {
		obuf_flush(b);
		pump(b, 10);
	}
	/* Let the worker send what it has read before looking at it. */
	deadline = bench_now_ns() + 500000000u;
	while (!b->worker_eof && bench_now_ns() < deadline)
		pump(b, 10);
	loaded = bench_proc_rss_kb(b->pid, false);
	hwm = bench_proc_rss_kb(b->pid, true);
	if (b->worker_eof || b->write_failed)
		b->r.status = "crashed";

	/* In this mode "good" counts the probes held, not replies. */
	b->r.sent = b->next_token - 1;
	held = b->r.sent - b->answered;
	b->r.good = held;
	worker_reap(b, 0, true, &ru);
	b->r.maxrss_kb = ru.ru_maxrss > hwm ? ru.ru_maxrss : hwm;
	if (idle > 0 && loaded > 0 && held > 0)
		b->r.value = (double)(loaded - idle) * 1024.0 / (double)held;
	note_add(b, "held %" PRIu64 " of %" PRIu64 "; idle rss %ld kB; loaded "
		 "rss %ld kB; ", held, b->r.sent, idle, loaded);
	if (b->first_error[0])
		note_add(b, "first error %s; ", b->first_error);
	return 0;
}

/*
 * The worker's own pacing: set-rate, then every probe written at once.
 * Probe k (from 0) cannot leave before k / rate; the time each waited in
 * the worker is its answer's arrival less the moment the batch was
 * written less its round trip.  The answers' rate is counted from the
 * first answer to the last.
 */
static int mode_rate(struct bench *b)
{
	const struct options *o = b->o;
	char req[64];
	uint64_t deadline, t_written = 0, first = 0, last = 0, i, n_wait = 0;
	uint64_t cpu0, cpu1;
	uint32_t *wait_us;
	struct rusage ru;
	int len;

	b->state = calloc(o->count + 1, 1);
	b->rtts = malloc((o->count + 1) * sizeof(*b->rtts));
	b->answered_ns = calloc(o->count + 1, sizeof(*b->answered_ns));
	b->rtt_of = calloc(o->count + 1, sizeof(*b->rtt_of));
	wait_us = malloc((o->count + 1) * sizeof(*wait_us));
	if (!b->state || !b->rtts || !b->answered_ns || !b->rtt_of ||
	    !wait_us) {
		free(wait_us);
		return 1;
	}
	b->next_token = 1;
	b->rate_granted = -1;
	if (worker_spawn(b) == -1 || !handshake(b, 30000000000u)) {
		if (b->pid > 0)
			worker_reap(b, 200, true, &ru);
		b->r.status = "no-start";
		free(wait_us);
		return 0;
	}
	note_add(b, "version %s; ", b->version);
	len = snprintf(req, sizeof(req), " set-rate pps %" PRIu64 "\n",
		       o->rate_pps);
	obuf_put(b, TOKEN_RATE, req, (size_t)len);
	obuf_flush(b);
	deadline = bench_now_ns() + 5000000000u;
	while (b->rate_granted < 0 && !b->worker_eof &&
	       bench_now_ns() < deadline)
		pump(b, 10);
	if (b->rate_granted <= 0) {
		note_add(b, "set-rate not taken; ");
		b->r.status = b->worker_eof ? "crashed" : "no-rate";
		worker_reap(b, 200, true, &ru);
		free(wait_us);
		return 0;
	}
	cpu0 = bench_proc_cpu_ns(b->pid);
	/* Everything at once, as fast as the pipe takes it. */
	deadline = bench_now_ns() + 20000000000u;
	t_written = bench_now_ns();
	while (b->next_token <= o->count && !b->worker_eof &&
	       !b->write_failed && bench_now_ns() < deadline) {
		while (b->next_token <= o->count && put_probe(b)) {
			b->state[b->next_token++] = TOK_OUT;
			b->outstanding++;
		}
		obuf_flush(b);
		pump(b, 1);
	}
	b->r.sent = b->next_token - 1;
	/* The last one is due at count / rate: twice that, and the timeout. */
	deadline = bench_now_ns() + (uint64_t)(2e9 * (double)o->count /
					       (double)b->rate_granted) +
		   (o->timeout_s + 5) * 1000000000u;
	while ((b->outstanding || b->olen > b->opos) && !b->worker_eof &&
	       !b->write_failed && bench_now_ns() < deadline) {
		obuf_flush(b);
		pump(b, 10);
	}
	cpu1 = bench_proc_cpu_ns(b->pid);
	if (b->worker_eof || b->write_failed)
		b->r.status = "crashed";
	else if (b->outstanding)
		b->r.status = "stalled";
	b->r.unanswered = b->outstanding;
	for (i = 1; i < b->next_token; i++) {
		uint64_t at = b->answered_ns[i];

		if (!at || b->state[i] != TOK_DONE)
			continue;
		if (!first || at < first)
			first = at;
		if (at > last)
			last = at;
		if (at > t_written + (uint64_t)b->rtt_of[i] * 1000u)
			wait_us[n_wait++] = (uint32_t)((at - t_written) / 1000u -
						       b->rtt_of[i]);
		else
			wait_us[n_wait++] = 0;
	}
	if (b->r.good > 1 && last > first)
		b->r.pps = (double)(b->r.good - 1) * 1e9 /
			   (double)(last - first);
	b->r.elapsed_s = last > t_written ? (double)(last - t_written) / 1e9 : 0;
	b->r.value = (double)b->rate_granted;
	if (cpu0 && cpu1 > cpu0 && b->r.sent)
		b->r.cpu_phase_us_per_probe = (double)(cpu1 - cpu0) / 1e3 /
					      (double)b->r.sent;
	if (b->n_rtts) {
		b->r.rtt_med_us = bench_quantile(b->rtts, b->n_rtts, 0.5);
		b->r.rtt_p99_us = bench_quantile(b->rtts, b->n_rtts, 0.99);
	}
	note_add(b, "asked %" PRIu64 " pps granted %" PRId64 "; answers at "
		 "%.0f pps over %.3f s; ", o->rate_pps, b->rate_granted,
		 b->r.pps, b->r.elapsed_s);
	if (n_wait) {
		double med = bench_quantile(wait_us, n_wait, 0.5);
		double max = bench_quantile(wait_us, n_wait, 1.0);

		note_add(b, "wait in worker ms median %.1f max %.1f (the rate "
			 "alone: %.1f and %.1f)", med / 1000.0, max / 1000.0,
			 0.5e3 * (double)(o->count - 1) /
			 (double)b->rate_granted,
			 1e3 * (double)(o->count - 1) /
			 (double)b->rate_granted);
	}
	worker_reap(b, 2000, false, &ru);
	b->r.maxrss_kb = ru.ru_maxrss;
	if (b->r.sent)
		b->r.cpu_us_per_probe = rusage_cpu_us(&ru) / (double)b->r.sent;
	free(wait_us);
	return 0;
}

/* ---- options ----------------------------------------------------------- */

static int parse_options(int argc, char **argv, struct options *o)
{
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = MODE_RUN;
	o->dest = "127.0.0.1";
	o->proto = "icmp";
	o->expect_kind = "reply";
	o->labels = "run,worker,,,,,";
	o->ttl = 64;
	o->window = 1;
	o->count = 1000000;
	o->duration_ns = 1000000000u;
	o->timeout_s = 2;

	while ((c = getopt(argc, argv, "m:d:p:P:t:w:n:D:T:i:k:R:b:B:f:L:o:r:EvHh"))
	       != -1) {
		switch (c) {
		case 'm':
			if (strcmp(optarg, "run") == 0)
				o->mode = MODE_RUN;
			else if (strcmp(optarg, "startup") == 0)
				o->mode = MODE_STARTUP;
			else if (strcmp(optarg, "hold") == 0)
				o->mode = MODE_HOLD;
			else if (strcmp(optarg, "rate") == 0)
				o->mode = MODE_RATE;
			else
				return -1;
			break;
		case 'd':
			o->dest = optarg;
			break;
		case 'p':
			if (strcmp(optarg, "icmp") && strcmp(optarg, "udp") &&
			    strcmp(optarg, "tcp"))
				return -1;
			o->proto = optarg;
			break;
		case 'P':
			if (!bench_parse_u64("-P", optarg, 1, 65535, &v))
				return -1;
			o->port = optarg;
			break;
		case 't':
			if (!bench_parse_u64("-t", optarg, 1, 255, &v))
				return -1;
			o->ttl = (unsigned)v;
			break;
		case 'w':
			if (!bench_parse_u64("-w", optarg, 1, 10000000, &o->window))
				return -1;
			break;
		case 'n':
			if (!bench_parse_u64("-n", optarg, 0, MAX_PROBES, &o->count))
				return -1;
			break;
		case 'D':
			if (!bench_parse_seconds("-D", optarg, &o->duration_ns))
				return -1;
			break;
		case 'T':
			if (!bench_parse_u64("-T", optarg, 0, 3600, &o->timeout_s))
				return -1;
			break;
		case 'i':
			if (!bench_parse_seconds("-i", optarg, &o->gap_ns))
				return -1;
			break;
		case 'k':
			o->expect_kind = optarg;
			break;
		case 'R':
			o->responder = optarg;
			break;
		case 'b':
			o->bg_dest = optarg;
			break;
		case 'f':
			o->list = optarg;
			break;
		case 'B':
			if (!bench_parse_u64("-B", optarg, 0, 1000000, &o->bg_count))
				return -1;
			break;
		case 'L':
			o->labels = optarg;
			break;
		case 'r':
			if (!bench_parse_u64("-r", optarg, 1, 100000000,
					     &o->rate_pps))
				return -1;
			break;
		case 'o':
			o->csv = optarg;
			break;
		case 'E':
			o->keep_stderr = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'H':
			bench_csv_header(stdout);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind >= argc)
		return -1;
	if (o->bg_count && !o->bg_dest)
		return -1;
	if ((o->mode == MODE_RATE) != (o->rate_pps != 0))
		return -1;
	o->argv = argv + optind;
	return 0;
}

/* ---- targets ----------------------------------------------------------- */

/*
 * Fill t for probes to dest: the request after the token, and who must
 * answer (-R, else the destination itself).
 */
static int target_init(struct target *t, const struct options *o,
		       const char *dest)
{
	const char *resp = o->responder ? o->responder : dest;

	t->resp_family = family_of(resp);
	if (inet_pton(t->resp_family, resp, t->resp_addr) != 1) {
		fprintf(stderr, "hopbench: bad address %s\n", resp);
		return -1;
	}
	t->tail_len = build_tail(t->tail, sizeof(t->tail), o, dest,
				 o->timeout_s);
	if (!t->tail_len) {
		fprintf(stderr, "hopbench: request too long\n");
		return -1;
	}
	return 0;
}

static int targets_one(struct bench *b, const char *dest)
{
	b->targets = calloc(1, sizeof(*b->targets));
	if (!b->targets)
		return -1;
	b->n_targets = 1;
	return target_init(b->targets, b->o, dest);
}

/*
 * -f FILE: one address a line (at most MAX_TARGETS), probed in turn, the
 * way fping and scamper take a list; each must answer for itself unless -R
 * names the responder.
 */
static int targets_load(struct bench *b, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[128];
	size_t cap = 0;
	int rc = 0;

	if (!f) {
		fprintf(stderr, "hopbench: cannot read %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \t\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (b->n_targets == MAX_TARGETS) {
			fprintf(stderr, "hopbench: %s: more than %u addresses\n",
				path, MAX_TARGETS);
			rc = -1;
			break;
		}
		if (b->n_targets == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			struct target *nt = realloc(b->targets,
						    ncap * sizeof(*nt));

			if (!nt) {
				rc = -1;
				break;
			}
			b->targets = nt;
			cap = ncap;
		}
		rc = target_init(&b->targets[b->n_targets++], b->o, line);
	}
	fclose(f);
	if (rc == 0 && b->n_targets == 0) {
		fprintf(stderr, "hopbench: %s holds no address\n", path);
		rc = -1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	struct bench b;
	int rc;

	if (parse_options(argc, argv, &o) == -1) {
		usage(stderr);
		return 2;
	}
	memset(&b, 0, sizeof(b));
	b.o = &o;
	b.in_fd = b.out_fd = -1;
	bench_result_init(&b.r);
	b.obuf = malloc(OBUF_SIZE);
	b.ibuf = malloc(IBUF_SIZE);
	if (!b.obuf || !b.ibuf)
		return 1;
	signal(SIGPIPE, SIG_IGN);

	if (o.list ? targets_load(&b, o.list) == -1 :
		     targets_one(&b, o.dest) == -1)
		return 2;
	if (o.bg_dest)
		b.bg_tail_len = build_tail(b.bg_tail, sizeof(b.bg_tail), &o,
					   o.bg_dest, 60);
	if (o.bg_dest && !b.bg_tail_len) {
		fprintf(stderr, "hopbench: request too long\n");
		return 2;
	}

	switch (o.mode) {
	case MODE_STARTUP:
		rc = mode_startup(&b);
		break;
	case MODE_HOLD:
		rc = mode_hold(&b);
		break;
	case MODE_RATE:
		rc = mode_rate(&b);
		break;
	default:
		rc = mode_run(&b);
		break;
	}
	free(b.state);
	free(b.rtts);
	free(b.answered_ns);
	free(b.rtt_of);
	free(b.targets);
	free(b.obuf);
	free(b.ibuf);
	if (rc != 0)
		return rc;
	if (o.verbose)
		fprintf(stderr, "%s: %s sent %" PRIu64 " good %" PRIu64
			" lost %" PRIu64 " pps %.0f cpu/probe %.2f us %s\n",
			o.labels, b.r.status, b.r.sent, b.r.good,
			b.r.noreply + b.r.unanswered, b.r.pps,
			b.r.cpu_us_per_probe, b.r.note);
	return bench_emit(o.csv, o.labels, &b.r) == 0 ? 0 : 1;
}

/*
 * Tests of the DNS module against fake DNS servers that the test runs
 * itself on 127.0.0.1 (UDP, ephemeral ports, answered from the same libev
 * loop).  The answers are built here by hand from RFC 1035 (sections 4.1
 * and 3.3), never with c-ares, and the module is pointed at them with
 * ht_dns_set_servers before any lookup: nothing leaves the loopback.
 *
 * Covered: A, AAAA, PTR and origin TXT answers; NXDOMAIN, NODATA,
 * SERVFAIL and REFUSED; the cache (no second query on the wire); lookups
 * joining one in flight; a server that never answers (c-ares's timeout,
 * and our own hard deadline when c-ares would take longer); a late answer
 * that fills the cache without a second callback; freeing with lookups
 * pending and from inside a callback; /etc/hosts without any server.
 * Every callback checks it is not running inside the call that started
 * its lookup.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "dns.h"

#define T_A 1
#define T_PTR 12
#define T_TXT 16
#define T_AAAA 28
#define RCODE_SERVFAIL 2
#define RCODE_NXDOMAIN 3
#define RCODE_REFUSED 5

#define MAX_SERVERS 3
#define MAX_DELAYED 32
#define MAX_GOT 8

/* ---- a fake DNS server ---- */

struct fake_rr {
	const char *name;	/* no trailing dot */
	uint16_t type;		/* 0: answer every type with RCODE */
	const char *data;	/* address text, PTR target, TXT text */
	int rcode;
	size_t split;		/* TXT: a second character-string from here */
};

struct fake_server;

struct fake_delayed {
	ev_timer timer;
	struct fake_server *srv;
	uint8_t buf[512];
	size_t len;
	struct sockaddr_in to;
	int used;
};

struct fake_server {
	struct ev_loop *loop;
	int fd;
	uint16_t port;
	ev_io io;
	const struct fake_rr *rrs;
	size_t nrrs;
	int silent;		/* count queries, never answer */
	double delay;		/* answer this many seconds late */
	unsigned queries;
	char last_name[256];
	uint16_t last_type;
	struct fake_delayed delayed[MAX_DELAYED];
};

/* A bounded writer for the answers (RFC 1035 4.1). */
struct wb {
	uint8_t b[512];
	size_t n;
	int overflow;
};

static void wb_put(struct wb *w, const void *p, size_t n)
{
	if (w->overflow || n > sizeof(w->b) - w->n) {
		w->overflow = 1;
		return;
	}
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void wb_u8(struct wb *w, unsigned v)
{
	uint8_t b = (uint8_t)v;

	wb_put(w, &b, 1);
}

static void wb_u16(struct wb *w, unsigned v)
{
	wb_u8(w, v >> 8);
	wb_u8(w, v & 0xff);
}

static void wb_u32(struct wb *w, uint32_t v)
{
	wb_u16(w, v >> 16);
	wb_u16(w, v & 0xffff);
}

/* A dotted name as labels (RFC 1035 3.1), bytes taken as they are. */
static void wb_name(struct wb *w, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);

		wb_u8(w, (unsigned)n);
		wb_put(w, name, n);
		name += n;
		if (*name == '.')
			name++;
	}
	wb_u8(w, 0);
}

/* The question of a query: its name (lower case), type, and where it ends. */
static int fake_parse_query(const uint8_t *q, size_t n, char *name,
			    size_t namelen, uint16_t *type, size_t *qend)
{
	size_t pos = 12, out = 0, i;

	if (n < 12 || (q[4] << 8 | q[5]) != 1)
		return -1;
	for (;;) {
		uint8_t l;

		if (pos >= n)
			return -1;
		l = q[pos++];
		if (l == 0)
			break;
		if ((l & 0xc0) || pos + l > n || out + l + 2 > namelen)
			return -1;
		if (out)
			name[out++] = '.';
		for (i = 0; i < l; i++)
			name[out++] = (char)tolower(q[pos + i]);
		pos += l;
	}
	name[out] = '\0';
	if (pos + 4 > n)
		return -1;
	*type = (uint16_t)(q[pos] << 8 | q[pos + 1]);
	*qend = pos + 4;
	return 0;
}

static void fake_rdata(struct wb *w, const struct fake_rr *rr)
{
	struct wb rd;

	memset(&rd, 0, sizeof(rd));
	if (rr->type == T_A) {
		struct in_addr a;

		assert_int_equal(inet_pton(AF_INET, rr->data, &a), 1);
		wb_put(&rd, &a, 4);
	} else if (rr->type == T_AAAA) {
		struct in6_addr a;

		assert_int_equal(inet_pton(AF_INET6, rr->data, &a), 1);
		wb_put(&rd, &a, 16);
	} else if (rr->type == T_PTR) {
		wb_name(&rd, rr->data);
	} else if (rr->type == T_TXT) {
		size_t n = strlen(rr->data), first = n;

		if (rr->split && rr->split < n)
			first = rr->split;
		wb_u8(&rd, (unsigned)first);
		wb_put(&rd, rr->data, first);
		if (first < n) {
			wb_u8(&rd, (unsigned)(n - first));
			wb_put(&rd, rr->data + first, n - first);
		}
	}
	assert_false(rd.overflow);
	wb_u16(w, (unsigned)rd.n);
	wb_put(w, rd.b, rd.n);
}

/* The answer to query Q (N bytes) from the server's records. */
static size_t fake_answer(const struct fake_server *s, const uint8_t *q,
			  size_t n, const char *name, uint16_t type,
			  size_t qend, uint8_t *out)
{
	struct wb w;
	unsigned ancount = 0, rcode = 0;
	int known = 0;
	size_t i;

	for (i = 0; i < s->nrrs; i++) {
		if (strcasecmp(s->rrs[i].name, name))
			continue;
		known = 1;
		if (s->rrs[i].type == 0)
			rcode = (unsigned)s->rrs[i].rcode;
		else if (s->rrs[i].type == type)
			ancount++;
	}
	if (!known)
		rcode = RCODE_NXDOMAIN;
	if (rcode)
		ancount = 0;
	memset(&w, 0, sizeof(w));
	wb_put(&w, q, 2);				/* ID */
	wb_u8(&w, 0x80 | (q[2] & 0x78) | 0x04 | (q[2] & 0x01)); /* QR AA RD */
	wb_u8(&w, 0x80 | rcode);			/* RA, RCODE */
	wb_u16(&w, 1);
	wb_u16(&w, ancount);
	wb_u16(&w, 0);
	wb_u16(&w, 0);
	wb_put(&w, q + 12, qend - 12);			/* the question */
	for (i = 0; ancount && i < s->nrrs; i++) {
		const struct fake_rr *rr = &s->rrs[i];

		if (strcasecmp(rr->name, name) || rr->type != type)
			continue;
		wb_u16(&w, 0xc00c);	/* pointer to the question's name */
		wb_u16(&w, type);
		wb_u16(&w, 1);		/* IN */
		wb_u32(&w, 60);
		fake_rdata(&w, rr);
	}
	(void)n;
	assert_false(w.overflow);
	memcpy(out, w.b, w.n);
	return w.n;
}

static void fake_delayed_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct fake_delayed *d = (struct fake_delayed *)t;

	(void)loop;
	(void)revents;
	(void)!sendto(d->srv->fd, d->buf, d->len, 0,
		      (struct sockaddr *)&d->to, sizeof(d->to));
	d->used = 0;
}

static void fake_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fake_server *s = w->data;
	uint8_t q[512], out[512];
	struct sockaddr_in from;
	socklen_t fromlen = sizeof(from);
	char name[256];
	uint16_t type;
	size_t qend, len, i;
	ssize_t n;
	int rounds;

	(void)revents;
	for (rounds = 0; rounds < 64; rounds++) {
		n = recvfrom(s->fd, q, sizeof(q), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (n < 0)
			return;		/* EAGAIN, or an ICMP error: fine */
		if (fake_parse_query(q, (size_t)n, name, sizeof(name), &type,
				     &qend) < 0)
			continue;
		s->queries++;
		snprintf(s->last_name, sizeof(s->last_name), "%s", name);
		s->last_type = type;
		if (s->silent)
			continue;
		len = fake_answer(s, q, (size_t)n, name, type, qend, out);
		if (s->delay <= 0) {
			(void)!sendto(s->fd, out, len, 0,
				      (struct sockaddr *)&from, sizeof(from));
			continue;
		}
		for (i = 0; i < MAX_DELAYED && s->delayed[i].used; i++)
			;
		if (i == MAX_DELAYED)
			continue;
		s->delayed[i].used = 1;
		s->delayed[i].srv = s;
		memcpy(s->delayed[i].buf, out, len);
		s->delayed[i].len = len;
		s->delayed[i].to = from;
		ev_timer_init(&s->delayed[i].timer, fake_delayed_cb, s->delay,
			      0.);
		ev_timer_start(loop, &s->delayed[i].timer);
	}
}

static void fake_start(struct fake_server *s, struct ev_loop *loop,
		       const struct fake_rr *rrs, size_t nrrs)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->rrs = rrs;
	s->nrrs = nrrs;
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(s->fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&sin, &len), 0);
	s->port = ntohs(sin.sin_port);
	ev_io_init(&s->io, fake_io_cb, s->fd, EV_READ);
	s->io.data = s;
	ev_io_start(loop, &s->io);
}

static void fake_stop(struct fake_server *s)
{
	size_t i;

	if (!s->loop)
		return;
	ev_io_stop(s->loop, &s->io);
	for (i = 0; i < MAX_DELAYED; i++)
		if (s->delayed[i].used)
			ev_timer_stop(s->loop, &s->delayed[i].timer);
	close(s->fd);
	s->loop = NULL;
}

/* ---- the test context ---- */

struct got {
	struct ctx *ctx;
	int calls;
	int inside;		/* a call arrived inside the starting call */
	ev_tstamp at;
	int has_name, has_prefix, has_error;
	char name[256];
	char prefix[64];
	char error[32];
	struct hp_addr addr;
	struct hp_addr addrs[MAX_GOT];
	unsigned naddrs;
	int addrs_null;
	int free_dns;		/* free the module from this callback */
	int again;		/* start the same PTR lookup from here */
};

struct ctx {
	struct ev_loop *loop;
	struct ht_dns *dns;
	struct fake_server srv[MAX_SERVERS];
	unsigned nsrv;
	int in_call;
	int done;
	int target;
	ev_timer guard;
	struct got nested;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(c->loop);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	unsigned i;

	if (c->dns)
		ht_dns_free(c->dns);
	for (i = 0; i < MAX_SERVERS; i++)
		fake_stop(&c->srv[i]);
	ev_loop_destroy(c->loop);
	free(c);
	return 0;
}

/*
 * Start NSRV fake servers on RRS and a module with TIMEOUT pointed at
 * them (or at DEAD, a loopback port nobody listens on).  A failure to
 * set the servers ends the test before any lookup could go to
 * resolv.conf's servers.
 */
static void start(struct ctx *c, double timeout, unsigned nsrv,
		  const struct fake_rr *rrs, size_t nrrs)
{
	char err[128], csv[256];
	size_t pos = 0;
	unsigned i;

	c->nsrv = nsrv;
	for (i = 0; i < nsrv; i++) {
		fake_start(&c->srv[i], c->loop, rrs, nrrs);
		pos += (size_t)snprintf(csv + pos, sizeof(csv) - pos,
					"%s127.0.0.1:%u", i ? "," : "",
					c->srv[i].port);
	}
	c->dns = ht_dns_new(c->loop, timeout, err, sizeof(err));
	if (!c->dns)
		fail_msg("ht_dns_new: %s", err);
	if (nsrv == 0) {
		/* A port that was just free: queries to it are refused. */
		struct fake_server tmp;

		fake_start(&tmp, c->loop, NULL, 0);
		snprintf(csv, sizeof(csv), "127.0.0.1:%u", tmp.port);
		fake_stop(&tmp);
	}
	if (ht_dns_set_servers(c->dns, csv) != 0)
		fail_msg("ht_dns_set_servers(%s) failed", csv);
	ev_now_update(c->loop);
}

static unsigned queries(const struct ctx *c)
{
	unsigned i, n = 0;

	for (i = 0; i < c->nsrv; i++)
		n += c->srv[i].queries;
	return n;
}

static void guard_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(loop, EVBREAK_ALL);
}

/* Run until TARGET callbacks have arrived (0: for the whole time), at
 * most MAX_S seconds. */
static void run(struct ctx *c, int target, double max_s)
{
	c->target = target;
	ev_timer_init(&c->guard, guard_cb, max_s, 0.);
	ev_timer_start(c->loop, &c->guard);
	if (!target || c->done < target)
		ev_run(c->loop, 0);
	ev_timer_stop(c->loop, &c->guard);
}

/* Every callback: count it, and end run() once the target is reached. */
static void note(struct got *g)
{
	struct ctx *c = g->ctx;

	g->calls++;
	c->done++;
	if (c->in_call)
		g->inside = 1;
	g->at = ev_now(c->loop);
	if (c->target && c->done >= c->target)
		ev_break(c->loop, EVBREAK_ALL);
}

static void name_cb(void *arg, const struct hp_addr *addr, const char *name,
		    const char *prefix, const char *error)
{
	struct got *g = arg;
	struct ctx *c = g->ctx;

	note(g);
	g->addr = *addr;
	g->has_name = name != NULL;
	g->has_prefix = prefix != NULL;
	g->has_error = error != NULL;
	snprintf(g->name, sizeof(g->name), "%s", name ? name : "");
	snprintf(g->prefix, sizeof(g->prefix), "%s", prefix ? prefix : "");
	snprintf(g->error, sizeof(g->error), "%s", error ? error : "");
	if (g->free_dns) {
		ht_dns_free(c->dns);
		c->dns = NULL;
	}
	if (g->again) {
		g->again = 0;
		c->nested.ctx = c;
		c->in_call = 1;
		ht_dns_ptr(c->dns, addr, name_cb, &c->nested);
		c->in_call = 0;
	}
}

static void addr_cb(void *arg, const struct hp_addr *addrs, unsigned n,
		    const char *error)
{
	struct got *g = arg;
	unsigned i;

	note(g);
	g->addrs_null = addrs == NULL;
	g->naddrs = n;
	for (i = 0; i < n && i < MAX_GOT; i++)
		g->addrs[i] = addrs[i];
	g->has_error = error != NULL;
	snprintf(g->error, sizeof(g->error), "%s", error ? error : "");
}

static struct hp_addr ip(const char *text)
{
	struct hp_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, &a.u.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, &a.u.v6) == 1)
		a.family = AF_INET6;
	else
		fail_msg("bad test address %s", text);
	return a;
}

static int same_addr(const struct hp_addr *a, const struct hp_addr *b)
{
	if (a->family != b->family)
		return 0;
	if (a->family == AF_INET)
		return !memcmp(&a->u.v4, &b->u.v4, 4);
	return !memcmp(&a->u.v6, &b->u.v6, 16);
}

static void ptr(struct ctx *c, const char *addr, struct got *g)
{
	struct hp_addr a = ip(addr);

	g->ctx = c;
	c->in_call = 1;
	ht_dns_ptr(c->dns, &a, name_cb, g);
	c->in_call = 0;
}

static void asn(struct ctx *c, const char *addr, const char *zone,
		struct got *g)
{
	struct hp_addr a = ip(addr);

	g->ctx = c;
	c->in_call = 1;
	ht_dns_asn(c->dns, &a, zone, name_cb, g);
	c->in_call = 0;
}

static void resolve(struct ctx *c, const char *host, int family,
		    struct got *g)
{
	g->ctx = c;
	c->in_call = 1;
	ht_dns_resolve(c->dns, host, family, addr_cb, g);
	c->in_call = 0;
}

static void expect_name(const struct got *g, const char *name,
			const char *prefix)
{
	assert_int_equal(g->calls, 1);
	assert_false(g->inside);
	if (g->has_error)
		fail_msg("error %s, want name %s", g->error, name);
	assert_true(g->has_name);
	assert_string_equal(g->name, name);
	if (prefix) {
		assert_true(g->has_prefix);
		assert_string_equal(g->prefix, prefix);
	} else {
		assert_false(g->has_prefix);
	}
}

static void expect_error(const struct got *g, const char *error)
{
	assert_int_equal(g->calls, 1);
	assert_false(g->inside);
	assert_true(g->has_error);
	assert_string_equal(g->error, error);
	assert_false(g->has_name);
	assert_false(g->has_prefix);
}

/* ADDRS (N of them) in any order, each once. */
static void expect_addrs(const struct got *g, const char *const *addrs,
			 unsigned n)
{
	unsigned i, j;

	assert_int_equal(g->calls, 1);
	assert_false(g->inside);
	if (g->has_error)
		fail_msg("error %s", g->error);
	assert_false(g->addrs_null);
	assert_int_equal(g->naddrs, n);
	for (i = 0; i < n; i++) {
		struct hp_addr want = ip(addrs[i]);
		int seen = 0;

		for (j = 0; j < g->naddrs; j++)
			seen += same_addr(&g->addrs[j], &want);
		if (seen != 1)
			fail_msg("%s seen %d times", addrs[i], seen);
	}
}

/* ---- the records ---- */

#define V6_NIBBLES_1 \
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"

static const struct fake_rr zone_rrs[] = {
	{ "a.example", T_A, "192.0.2.10", 0, 0 },
	{ "a.example", T_A, "192.0.2.11", 0, 0 },
	{ "a.example", T_AAAA, "2001:db8::10", 0, 0 },
	{ "v4only.example", T_A, "198.51.100.20", 0, 0 },
	{ "servfail.example", 0, NULL, RCODE_SERVFAIL, 0 },
	{ "refused.example", 0, NULL, RCODE_REFUSED, 0 },
	{ "1.2.0.192.in-addr.arpa", T_PTR, "host1.example", 0, 0 },
	{ "3.2.0.192.in-addr.arpa", T_PTR, "bad\001name.example", 0, 0 },
	{ V6_NIBBLES_1 ".ip6.arpa", T_PTR, "host6.example", 0, 0 },
	{ "1.2.0.192.origin.asn.example", T_TXT,
	  "64496 | 192.0.2.0/24 | ZZ | test | 2026-01-01", 0, 0 },
	{ "1.2.0.192.other.asn.example", T_TXT,
	  "64499 | 192.0.2.0/25 | ZZ | test | 2026-01-01", 0, 0 },
	{ "2.2.0.192.origin.asn.example", T_TXT, "64500", 0, 0 },
	{ "1.100.51.198.origin.asn.example", T_TXT, "not an origin", 0, 0 },
	{ "1.100.51.198.origin.asn.example", T_TXT,
	  "64498 | 198.51.100.0/24 | ZZ", 0, 0 },
	{ V6_NIBBLES_1 ".origin6.asn.example", T_TXT,
	  "64496 64497 | 2001:db8::/32 | ZZ | test", 0, 11 },
};
#define ZONE_N (sizeof(zone_rrs) / sizeof(zone_rrs[0]))

/* ---- the tests ---- */

static void test_resolve(void **state)
{
	static const char *const v4[] = { "192.0.2.10", "192.0.2.11" };
	static const char *const v6[] = { "2001:db8::10" };
	static const char *const any[] = { "192.0.2.10", "192.0.2.11",
					   "2001:db8::10" };
	struct ctx *c = *state;
	struct got g4 = { 0 }, g6 = { 0 }, g0 = { 0 };

	start(c, 2.0, 1, zone_rrs, ZONE_N);
	resolve(c, "a.example", AF_INET, &g4);
	resolve(c, "a.example", AF_INET6, &g6);
	resolve(c, "a.example", 0, &g0);
	run(c, 3, 3.0);
	expect_addrs(&g4, v4, 2);
	expect_addrs(&g6, v6, 1);
	expect_addrs(&g0, any, 3);
	/* Forward lookups are not cached: A, AAAA, and both again. */
	assert_int_equal(queries(c), 4);
}

static void test_resolve_errors(void **state)
{
	struct ctx *c = *state;
	struct got nx = { 0 }, nodata = { 0 }, sf = { 0 }, ref = { 0 };

	start(c, 2.0, 1, zone_rrs, ZONE_N);
	resolve(c, "missing.example", AF_INET, &nx);
	resolve(c, "v4only.example", AF_INET6, &nodata);
	resolve(c, "servfail.example", AF_INET, &sf);
	resolve(c, "refused.example", AF_INET, &ref);
	run(c, 4, 3.0);
	expect_error(&nx, "not-found");
	assert_true(nx.addrs_null);
	assert_int_equal(nx.naddrs, 0);
	expect_error(&nodata, "no-data");
	expect_error(&sf, "server-failure");
	/* c-ares 1.18 reports a query every server refused like one every
	 * server failed; later versions tell them apart. */
	assert_int_equal(ref.calls, 1);
	if (strcmp(ref.error, "refused") && strcmp(ref.error, "server-failure"))
		fail_msg("refused.example: %s", ref.error);
}

/*
 * A failure of the servers is not an answer about the name: it is not
 * cached, and the next request asks again.
 */
static void test_failure_not_cached(void **state)
{
	static const struct fake_rr servfail_rrs[] = {
		{ "1.2.0.192.in-addr.arpa", 0, NULL, RCODE_SERVFAIL, 0 },
	};
	struct ctx *c = *state;
	struct got sf = { 0 }, to = { 0 }, ok = { 0 };
	unsigned before;

	start(c, 0.4, 1, servfail_rrs, 1);
	ptr(c, "192.0.2.1", &sf);
	run(c, 1, 2.0);
	expect_error(&sf, "server-failure");

	c->srv[0].silent = 1;
	ptr(c, "192.0.2.1", &to);
	run(c, 2, 2.0);
	expect_error(&to, "timeout");
	run(c, 0, 0.5);		/* c-ares gives up on its own too */

	c->srv[0].silent = 0;
	c->srv[0].rrs = zone_rrs;
	c->srv[0].nrrs = ZONE_N;
	before = queries(c);
	ptr(c, "192.0.2.1", &ok);
	run(c, 3, 2.0);
	expect_name(&ok, "host1.example", NULL);
	assert_int_equal(queries(c), before + 1);
}

static void test_ptr(void **state)
{
	struct ctx *c = *state;
	struct got g4 = { 0 }, g6 = { 0 }, nx = { 0 };
	struct hp_addr want4 = ip("192.0.2.1");

	start(c, 2.0, 1, zone_rrs, ZONE_N);
	ptr(c, "192.0.2.1", &g4);
	run(c, 1, 3.0);
	expect_name(&g4, "host1.example", NULL);
	assert_true(same_addr(&g4.addr, &want4));
	assert_string_equal(c->srv[0].last_name, "1.2.0.192.in-addr.arpa");
	assert_int_equal(c->srv[0].last_type, T_PTR);

	ptr(c, "2001:db8::1", &g6);
	run(c, 2, 3.0);
	expect_name(&g6, "host6.example", NULL);
	assert_string_equal(c->srv[0].last_name, V6_NIBBLES_1 ".ip6.arpa");

	ptr(c, "192.0.2.99", &nx);
	run(c, 3, 3.0);
	expect_error(&nx, "not-found");
	assert_int_equal(queries(c), 3);
}

static void test_ptr_control_chars(void **state)
{
	struct ctx *c = *state;
	struct got g = { 0 };

	start(c, 2.0, 1, zone_rrs, ZONE_N);
	ptr(c, "192.0.2.3", &g);
	run(c, 1, 3.0);
	assert_int_equal(g.calls, 1);
	assert_false(g.has_name);
	assert_true(g.has_error);
	/* c-ares 1.18 itself rejects such host names (bad response); if a
	 * version lets one through, the module says bad-name. */
	if (strcmp(g.error, "bad-name") && strcmp(g.error, "bad-response"))
		fail_msg("error %s", g.error);
}

static void test_asn(void **state)
{
	struct ctx *c = *state;
	struct got g1 = { 0 }, g2 = { 0 }, g3 = { 0 }, g6 = { 0 }, nx = { 0 };

	start(c, 2.0, 1, zone_rrs, ZONE_N);
	asn(c, "192.0.2.1", "origin.asn.example", &g1);
	run(c, 1, 3.0);
	expect_name(&g1, "64496", "192.0.2.0/24");
	assert_string_equal(c->srv[0].last_name,
			    "1.2.0.192.origin.asn.example");
	assert_int_equal(c->srv[0].last_type, T_TXT);

	asn(c, "192.0.2.2", "origin.asn.example", &g2);	/* no prefix */
	asn(c, "198.51.100.1", "origin.asn.example", &g3); /* 2nd record */
	asn(c, "2001:db8::1", "origin6.asn.example", &g6); /* 2 strings */
	asn(c, "203.0.113.1", "origin.asn.example", &nx);
	run(c, 5, 3.0);
	expect_name(&g2, "64500", NULL);
	expect_name(&g3, "64498", "198.51.100.0/24");
	expect_name(&g6, "64496 64497", "2001:db8::/32");
	expect_error(&nx, "not-found");
}

static void test_cache(void **state)
{
	struct ctx *c = *state;
	struct got p1 = { 0 }, p2 = { 0 }, z1 = { 0 }, z2 = { 0 }, z3 = { 0 },
		   z4 = { 0 }, n1 = { 0 }, n2 = { 0 };

	start(c, 2.0, 1, zone_rrs, ZONE_N);
	ptr(c, "192.0.2.1", &p1);
	ptr(c, "192.0.2.99", &n1);
	run(c, 2, 3.0);
	expect_name(&p1, "host1.example", NULL);
	expect_error(&n1, "not-found");
	assert_int_equal(queries(c), 2);

	/* Answered from the cache: later, not inside the call, no query. */
	ptr(c, "192.0.2.1", &p2);
	ptr(c, "192.0.2.99", &n2);
	assert_int_equal(p2.calls, 0);
	run(c, 4, 3.0);
	expect_name(&p2, "host1.example", NULL);
	expect_error(&n2, "not-found");
	assert_int_equal(queries(c), 2);

	/* ASN answers are kept per address and zone. */
	asn(c, "192.0.2.1", "origin.asn.example", &z1);
	asn(c, "192.0.2.1", "other.asn.example", &z2);
	run(c, 6, 3.0);
	expect_name(&z1, "64496", "192.0.2.0/24");
	expect_name(&z2, "64499", "192.0.2.0/25");
	assert_int_equal(queries(c), 4);
	asn(c, "192.0.2.1", "origin.asn.example", &z3);
	asn(c, "192.0.2.1", "other.asn.example", &z4);
	run(c, 8, 3.0);
	expect_name(&z3, "64496", "192.0.2.0/24");
	expect_name(&z4, "64499", "192.0.2.0/25");
	assert_int_equal(queries(c), 4);
}

static void test_join_same_tick(void **state)
{
	struct ctx *c = *state;
	struct got g[3];
	unsigned i;

	memset(g, 0, sizeof(g));
	start(c, 2.0, 1, zone_rrs, ZONE_N);
	for (i = 0; i < 3; i++)
		ptr(c, "192.0.2.1", &g[i]);
	run(c, 3, 3.0);
	for (i = 0; i < 3; i++)
		expect_name(&g[i], "host1.example", NULL);
	assert_int_equal(queries(c), 1);
}

struct later {
	ev_timer timer;
	struct ctx *ctx;
	struct got *got;
	ev_tstamp at;
};

static void later_ptr_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct later *l = (struct later *)w;

	(void)revents;
	l->at = ev_now(loop);
	ptr(l->ctx, "192.0.2.1", l->got);
}

/* A second request while the query is on the wire joins it. */
static void test_join_in_flight(void **state)
{
	struct ctx *c = *state;
	struct got g1 = { 0 }, g2 = { 0 };
	struct later l = { .ctx = c, .got = &g2 };
	ev_tstamp t0;

	start(c, 2.0, 1, zone_rrs, ZONE_N);
	c->srv[0].delay = 0.3;
	t0 = ev_now(c->loop);
	ptr(c, "192.0.2.1", &g1);
	ev_timer_init(&l.timer, later_ptr_cb, 0.1, 0.);
	ev_timer_start(c->loop, &l.timer);
	run(c, 2, 3.0);
	ev_timer_stop(c->loop, &l.timer);
	expect_name(&g1, "host1.example", NULL);
	expect_name(&g2, "host1.example", NULL);
	assert_int_equal(queries(c), 1);
	assert_true(l.at - t0 >= 0.09);
	/* Both answers came with the one delayed reply, well before the
	 * second request's own timeout. */
	assert_true(g2.at - t0 < 0.3 + 0.2);
	assert_true(g2.at - g1.at < 0.05);
}

/* One silent server: c-ares gives up first, within our timeout. */
static void test_timeout_one_server(void **state)
{
	struct ctx *c = *state;
	struct got p = { 0 }, z = { 0 }, r = { 0 };
	const double timeout = 0.5;
	ev_tstamp t0;

	start(c, timeout, 1, zone_rrs, ZONE_N);
	c->srv[0].silent = 1;
	t0 = ev_now(c->loop);
	ptr(c, "192.0.2.1", &p);
	asn(c, "192.0.2.1", "origin.asn.example", &z);
	resolve(c, "a.example", AF_INET, &r);
	run(c, 3, timeout + 1.0);
	expect_error(&p, "timeout");
	expect_error(&z, "timeout");
	expect_error(&r, "timeout");
	assert_true(p.at - t0 <= timeout + 0.2);
	assert_true(z.at - t0 <= timeout + 0.2);
	assert_true(r.at - t0 <= timeout + 0.2);
	assert_true(queries(c) >= 3);
}

/*
 * Three silent servers: c-ares would try each twice (about 2.25 times our
 * timeout); our own deadline ends the lookups at the timeout, and nothing
 * calls back a second time when c-ares finally gives up.
 */
static void test_timeout_deadline(void **state)
{
	struct ctx *c = *state;
	struct got p = { 0 }, r = { 0 };
	const double timeout = 0.3;
	ev_tstamp t0;
	unsigned i;

	start(c, timeout, 3, zone_rrs, ZONE_N);
	for (i = 0; i < 3; i++)
		c->srv[i].silent = 1;
	t0 = ev_now(c->loop);
	ptr(c, "192.0.2.1", &p);
	resolve(c, "a.example", AF_INET, &r);
	run(c, 2, timeout + 1.0);
	expect_error(&p, "timeout");
	expect_error(&r, "timeout");
	assert_true(p.at - t0 >= timeout - 0.01);
	assert_true(p.at - t0 <= timeout + 0.2);
	assert_true(r.at - t0 <= timeout + 0.2);
	/* Let c-ares run out its own retries. */
	run(c, 0, 1.0);
	assert_int_equal(p.calls, 1);
	assert_int_equal(r.calls, 1);
	assert_true(queries(c) >= 3);
}

/* An answer after our deadline: no second callback, but it is cached. */
static void test_late_answer_fills_cache(void **state)
{
	struct ctx *c = *state;
	struct got g1 = { 0 }, g2 = { 0 };
	const double timeout = 0.3;
	unsigned i, before;

	start(c, timeout, 3, zone_rrs, ZONE_N);
	for (i = 0; i < 3; i++)
		c->srv[i].delay = 0.4;
	ptr(c, "192.0.2.1", &g1);
	run(c, 1, timeout + 1.0);
	expect_error(&g1, "timeout");
	run(c, 0, 0.5);		/* the late answer arrives at 0.4 s */
	assert_int_equal(g1.calls, 1);
	before = queries(c);
	ptr(c, "192.0.2.1", &g2);
	run(c, 2, 1.0);
	expect_name(&g2, "host1.example", NULL);
	assert_int_equal(queries(c), before);
	assert_int_equal(g1.calls, 1);
}

static void free_later_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct later *l = (struct later *)w;

	(void)loop;
	(void)revents;
	ht_dns_free(l->ctx->dns);
	l->ctx->dns = NULL;
}

static void test_free_pending(void **state)
{
	struct ctx *c = *state;
	struct got p = { 0 }, z = { 0 }, r = { 0 }, cached = { 0 };
	struct later l = { .ctx = c };

	start(c, 0.5, 1, zone_rrs, ZONE_N);
	c->srv[0].silent = 1;
	ptr(c, "192.0.2.1", &p);
	asn(c, "192.0.2.1", "origin.asn.example", &z);
	resolve(c, "a.example", 0, &r);
	resolve(c, "", 0, &cached);	/* answered on the ready queue */
	ev_timer_init(&l.timer, free_later_cb, 0.05, 0.);
	ev_timer_start(c->loop, &l.timer);
	run(c, 0, 1.0);
	assert_null(c->dns);
	assert_int_equal(cached.calls, 1);
	assert_int_equal(p.calls + z.calls + r.calls, 0);
	assert_int_equal(c->done, 1);
}

static void test_free_in_callback(void **state)
{
	struct ctx *c = *state;
	struct got first = { 0 }, g[3], pending = { 0 };
	unsigned i;

	memset(g, 0, sizeof(g));
	start(c, 1.0, 1, zone_rrs, ZONE_N);
	ptr(c, "192.0.2.1", &first);
	run(c, 1, 2.0);
	expect_name(&first, "host1.example", NULL);
	c->srv[0].silent = 1;
	ptr(c, "192.0.2.99", &pending);
	for (i = 0; i < 3; i++)
		ptr(c, "192.0.2.1", &g[i]);
	g[0].free_dns = 1;
	run(c, 0, 1.5);
	assert_null(c->dns);
	assert_int_equal(g[0].calls, 1);
	assert_int_equal(g[1].calls + g[2].calls + pending.calls, 0);
}

/* A lookup started from a callback completes later, not inside it. */
static void test_lookup_from_callback(void **state)
{
	struct ctx *c = *state;
	struct got g = { 0 };

	start(c, 1.0, 1, zone_rrs, ZONE_N);
	g.again = 1;
	ptr(c, "192.0.2.1", &g);
	run(c, 2, 2.0);
	expect_name(&g, "host1.example", NULL);
	assert_int_equal(c->nested.calls, 1);
	assert_false(c->nested.inside);
	assert_string_equal(c->nested.name, "host1.example");
	assert_int_equal(queries(c), 1);
}

static void test_bad_input(void **state)
{
	struct ctx *c = *state;
	struct got none = { 0 }, empty = { 0 }, fam = { 0 }, zone = { 0 };
	struct hp_addr nil;

	start(c, 1.0, 1, zone_rrs, ZONE_N);
	memset(&nil, 0, sizeof(nil));
	none.ctx = c;
	c->in_call = 1;
	ht_dns_ptr(c->dns, &nil, name_cb, &none);
	c->in_call = 0;
	resolve(c, "", 0, &empty);
	resolve(c, "a.example", 12345, &fam);
	asn(c, "192.0.2.1", "", &zone);
	run(c, 4, 1.0);
	expect_error(&none, "error");
	assert_int_equal(empty.calls, 1);
	assert_false(empty.inside);
	assert_string_equal(empty.error, "bad-name");
	assert_int_equal(fam.calls, 1);
	assert_string_equal(fam.error, "error");
	expect_error(&zone, "error");
	assert_int_equal(queries(c), 0);
}

static void test_set_servers(void **state)
{
	struct ctx *c = *state;
	struct got g = { 0 };
	char csv[64];

	start(c, 1.0, 1, zone_rrs, ZONE_N);
	assert_int_equal(ht_dns_set_servers(c->dns, ""), -1);
	assert_int_equal(ht_dns_set_servers(c->dns, NULL), -1);
	assert_int_equal(ht_dns_set_servers(c->dns, "not-an-address"), -1);
	/* Still pointed at the fake server after the refusals. */
	snprintf(csv, sizeof(csv), "127.0.0.1:%u", c->srv[0].port);
	assert_int_equal(ht_dns_set_servers(c->dns, csv), 0);
	ptr(c, "192.0.2.1", &g);
	run(c, 1, 2.0);
	expect_name(&g, "host1.example", NULL);
	assert_int_equal(queries(c), 1);
}

/*
 * "localhost" comes from /etc/hosts, both ways: the only server is a dead
 * loopback port, so an answer that needed DNS would be an error.
 */
static void test_localhost_from_hosts(void **state)
{
	struct ctx *c = *state;
	struct got g4 = { 0 }, g0 = { 0 }, p = { 0 }, dead = { 0 };
	struct hp_addr lo4 = ip("127.0.0.1"), lo6 = ip("::1");
	unsigned i;

	start(c, 1.0, 0, NULL, 0);
	resolve(c, "localhost", AF_INET, &g4);
	resolve(c, "localhost", 0, &g0);
	ptr(c, "127.0.0.1", &p);
	ptr(c, "192.0.2.1", &dead);	/* needs DNS: the dead port */
	run(c, 4, 2.0);
	expect_name(&p, "localhost", NULL);
	expect_error(&dead, "server-failure");
	assert_int_equal(g4.calls, 1);
	assert_false(g4.inside);
	if (g4.has_error)
		fail_msg("localhost: %s", g4.error);
	assert_true(g4.naddrs >= 1);
	for (i = 0; i < g4.naddrs && i < MAX_GOT; i++)
		assert_true(same_addr(&g4.addrs[i], &lo4));
	assert_int_equal(g0.calls, 1);
	assert_false(g0.inside);
	if (g0.has_error)
		fail_msg("localhost: %s", g0.error);
	assert_true(g0.naddrs >= 1);
	for (i = 0; i < g0.naddrs && i < MAX_GOT; i++)
		assert_true(same_addr(&g0.addrs[i], &lo4) ||
			    same_addr(&g0.addrs[i], &lo6));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_resolve),
		T(test_resolve_errors),
		T(test_failure_not_cached),
		T(test_ptr),
		T(test_ptr_control_chars),
		T(test_asn),
		T(test_cache),
		T(test_join_same_tick),
		T(test_join_in_flight),
		T(test_timeout_one_server),
		T(test_timeout_deadline),
		T(test_late_answer_fills_cache),
		T(test_free_pending),
		T(test_free_in_callback),
		T(test_lookup_from_callback),
		T(test_bad_input),
		T(test_set_servers),
		T(test_localhost_from_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

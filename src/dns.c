/*
 * dns.c: names through c-ares on the caller's libev loop.
 *
 * One c-ares channel.  c-ares tells us through its socket-state callback
 * which sockets to watch; each gets an ev_io in a small table here, and one
 * ev_timer follows ares_timeout() so c-ares can retry and give up.
 *
 * A lookup is a request (struct dns_req) waiting on an operation
 * (struct dns_entry) that holds one c-ares query.  PTR and origin-AS
 * operations are kept after they finish, keyed by address (and zone), so a
 * second request for the same key either joins the query in flight or is
 * answered from the cache: one query on the wire however often a hop's
 * address comes back.  Forward lookups are rare (the targets) and are not
 * cached.
 *
 * PTR lookups do not use ares_gethostbyaddr on the main channel: c-ares
 * 1.18 reports every DNS failure of it (timeout, SERVFAIL) as "not found",
 * which would be cached as an answer.  /etc/hosts is read first through a
 * second, files-only channel (lookups "f": answered at once, no sockets),
 * then the reverse name is asked with ares_query, whose status is exact.
 *
 * Two rules hold every callback in place:
 *  - user callbacks run only from this module's own timers, never from
 *    inside a c-ares callback and never from inside the call that started
 *    the lookup.  c-ares answers some lookups synchronously (/etc/hosts,
 *    literals), and a user callback that started another lookup or freed
 *    the module from inside c-ares would pull the channel out from under
 *    it.  Finished requests therefore go to a ready queue that a 0-second
 *    timer empties on the next loop iteration;
 *  - every request also sits in one FIFO ordered by start time.  All
 *    requests share the one timeout, so the head is always the next to
 *    expire and one timer on it is enough (no scan): when it fires, the
 *    request completes with "timeout" whatever c-ares is still doing.  A
 *    late answer finds the request gone, completes nobody twice, and only
 *    fills the cache for the next request.
 */
#include "dns.h"

#include <ares.h>
#include <math.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* c-ares opens one UDP socket per server (and TCP for truncated answers). */
#define DNS_MAX_SOCKS 32
/* Finished PTR/ASN answers kept; the oldest is dropped past this. */
#define DNS_CACHE_MAX 4096
#define DNS_MIN_BUCKETS 256
/* Longest TXT record text looked at (Cymru's are well under 100 bytes). */
#define DNS_TXT_MAX 512
/* Longest query name: 32 nibble labels plus a zone of up to 253 bytes. */
#define DNS_NAME_MAX 320
/* Timers may fire a hair early against a fresh clock; that counts as due. */
#define DNS_SLACK 0.001
/* The shortest timeout accepted; below it the deadline timer would spin. */
#define DNS_MIN_TIMEOUT 0.01

/* RFC 1035 section 3.2: class IN, type TXT. */
#define DNS_CLASS_IN 1
#define DNS_TYPE_PTR 12
#define DNS_TYPE_TXT 16

enum dns_kind {
	DNS_RESOLVE,
	DNS_PTR,
	DNS_ASN
};

struct dns_entry;

struct dns_req {
	struct dns_req *prev, *next;	/* the deadline FIFO or ready queue */
	struct dns_req *wprev, *wnext;	/* the entry's waiters */
	struct dns_entry *entry;	/* while waiting on c-ares */
	int waiting;			/* in the deadline FIFO */
	enum dns_kind kind;
	double started;			/* dns_clock() */
	ht_dns_addr_cb addr_cb;
	ht_dns_name_cb name_cb;
	void *arg;
	struct hp_addr addr;
	/* The answer, owned by the request once it has one. */
	const char *error;
	char *name;
	char *prefix;
	struct hp_addr *addrs;
	unsigned naddrs;
};

struct dns_entry {
	struct ht_dns *dns;
	struct dns_entry *hnext;	/* hash chain */
	struct dns_entry *prev, *next;	/* cache age order, or resolve list */
	struct dns_req *whead, *wtail;
	enum dns_kind kind;
	int pending;			/* c-ares holds a query for it */
	uint32_t hash;
	struct hp_addr addr;		/* for DNS_RESOLVE: family only */
	const char *error;
	char *name;
	char *prefix;
	char zone[];			/* ASN only, "" otherwise */
};

struct dns_reqq {
	struct dns_req *head, *tail;
	unsigned count;
};

struct dns_entq {
	struct dns_entry *head, *tail;
	size_t count;
};

struct dns_sock {
	ev_io io;
	int fd;				/* -1: slot free */
};

struct ht_dns {
	struct ev_loop *loop;
	ares_channel channel;
	ares_channel hosts;		/* /etc/hosts only, for PTR */
	int have_channel;
	double timeout_s;
	ev_timer ares_timer;		/* follows ares_timeout() */
	ev_timer deadline_timer;	/* on the head of WAITING */
	ev_timer ready_timer;		/* 0 s: empties READY */
	struct dns_sock socks[DNS_MAX_SOCKS];
	struct dns_reqq waiting;	/* by start time */
	struct dns_reqq ready;		/* answered, callback not yet run */
	struct dns_entry **buckets;
	size_t nbuckets;
	size_t nentries;
	struct dns_entq done;		/* finished cache entries, oldest first */
	struct dns_entq resolving;	/* forward lookups c-ares holds */
	int destroying;
	int *alive;			/* cleared by ht_dns_free in a callback */
};

/* ---- small lists ---- */

static void reqq_push(struct dns_reqq *q, struct dns_req *r)
{
	r->next = NULL;
	r->prev = q->tail;
	if (q->tail)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
	q->count++;
}

static void reqq_remove(struct dns_reqq *q, struct dns_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		q->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		q->tail = r->prev;
	r->prev = r->next = NULL;
	q->count--;
}

static void entq_push(struct dns_entq *q, struct dns_entry *e)
{
	e->next = NULL;
	e->prev = q->tail;
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	q->count++;
}

static void entq_remove(struct dns_entq *q, struct dns_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		q->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		q->tail = e->prev;
	e->prev = e->next = NULL;
	q->count--;
}

static void entry_attach(struct dns_entry *e, struct dns_req *r)
{
	r->wnext = NULL;
	r->wprev = e->wtail;
	if (e->wtail)
		e->wtail->wnext = r;
	else
		e->whead = r;
	e->wtail = r;
	r->entry = e;
}

static void entry_detach(struct dns_req *r)
{
	struct dns_entry *e = r->entry;

	if (!e)
		return;
	if (r->wprev)
		r->wprev->wnext = r->wnext;
	else
		e->whead = r->wnext;
	if (r->wnext)
		r->wnext->wprev = r->wprev;
	else
		e->wtail = r->wprev;
	r->wprev = r->wnext = NULL;
	r->entry = NULL;
}

/* ---- errors ---- */

/*
 * The short error words of dns.h.  c-ares 1.18 reports a query that every
 * server failed, whether by SERVFAIL, REFUSED or an ICMP port unreachable,
 * as ECONNREFUSED ("could not contact DNS servers"): that is a server
 * failure.  Later versions say ESERVFAIL or EREFUSED instead.
 */
static const char *dns_error_of(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
	case ARES_ENONAME:
		return "not-found";
	case ARES_ENODATA:
		return "no-data";
	case ARES_ETIMEOUT:
		return "timeout";
	case ARES_ESERVFAIL:
	case ARES_ECONNREFUSED:
		return "server-failure";
	case ARES_EREFUSED:
		return "refused";
	case ARES_EBADRESP:
		return "bad-response";
	case ARES_EBADNAME:
		return "bad-name";
	default:
		return "error";
	}
}

/*
 * Answers that say something about the name stay cached; failures that
 * say something about the servers or this moment do not, so the next
 * request for the address asks again.
 */
static int dns_error_is_answer(const char *error)
{
	return !error || !strcmp(error, "not-found") ||
	       !strcmp(error, "no-data") || !strcmp(error, "bad-name");
}

/* ---- timers and sockets ---- */

/*
 * Deadlines are kept on the monotonic clock, read afresh: ev_now() is
 * wall-clock time as of the start of the loop iteration, so a clock step
 * or a long iteration would move every deadline with it.
 */
static double dns_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Follow c-ares's own next deadline (retries, its timeout). */
static void dns_ares_arm(struct ht_dns *dns)
{
	struct timeval tv, *tvp;

	ev_timer_stop(dns->loop, &dns->ares_timer);
	if (!dns->have_channel || dns->destroying)
		return;
	tvp = ares_timeout(dns->channel, NULL, &tv);
	if (!tvp)
		return;
	/* A millisecond late rather than early: early would only spin. */
	ev_timer_set(&dns->ares_timer,
		     (double)tvp->tv_sec + tvp->tv_usec / 1e6 + DNS_SLACK, 0.);
	ev_timer_start(dns->loop, &dns->ares_timer);
}

static void dns_deadline_arm(struct ht_dns *dns)
{
	double after;

	ev_timer_stop(dns->loop, &dns->deadline_timer);
	if (!dns->waiting.head)
		return;
	after = dns->waiting.head->started + dns->timeout_s - dns_clock();
	if (after < 0)
		after = 0;
	ev_timer_set(&dns->deadline_timer, after, 0.);
	ev_timer_start(dns->loop, &dns->deadline_timer);
}

static void dns_ares_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ht_dns *dns = w->data;

	(void)loop;
	(void)revents;
	ares_process_fd(dns->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	dns_ares_arm(dns);
}

static void dns_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ht_dns *dns = w->data;
	int fd = w->fd;

	(void)loop;
	ares_process_fd(dns->channel,
			(revents & EV_READ) ? fd : ARES_SOCKET_BAD,
			(revents & EV_WRITE) ? fd : ARES_SOCKET_BAD);
	dns_ares_arm(dns);
}

static struct dns_sock *dns_sock_find(struct ht_dns *dns, int fd)
{
	unsigned i;

	for (i = 0; i < DNS_MAX_SOCKS; i++)
		if (dns->socks[i].fd == fd)
			return &dns->socks[i];
	return NULL;
}

/*
 * c-ares opened, changed or is about to close a socket.  With the table
 * full the socket goes unwatched: its queries are then only retried on
 * the c-ares timer and at worst end with our own timeout.
 */
static void dns_sock_state_cb(void *data, ares_socket_t fd, int readable,
			      int writable)
{
	struct ht_dns *dns = data;
	struct dns_sock *s = dns_sock_find(dns, fd);
	int events = (readable ? EV_READ : 0) | (writable ? EV_WRITE : 0);

	if (!events) {
		if (s) {
			ev_io_stop(dns->loop, &s->io);
			s->fd = -1;
		}
		return;
	}
	if (!s) {
		s = dns_sock_find(dns, -1);
		if (!s)
			return;
		s->fd = fd;
		ev_io_init(&s->io, dns_io_cb, fd, events);
		s->io.data = dns;
	} else {
		ev_io_stop(dns->loop, &s->io);
		ev_io_set(&s->io, fd, events);
	}
	ev_io_start(dns->loop, &s->io);
}

/* ---- requests ---- */

static struct dns_req *dns_req_new(enum dns_kind kind, void *arg)
{
	struct dns_req *r = calloc(1, sizeof(*r));

	/*
	 * Without memory there is nowhere to keep the callback, and calling
	 * it here would break the promise every caller builds on (never
	 * from inside the call); failing loudly beats a lookup that never
	 * completes.
	 */
	if (!r)
		abort();
	r->kind = kind;
	r->arg = arg;
	r->started = dns_clock();
	return r;
}

static void dns_req_free(struct dns_req *r)
{
	free(r->name);
	free(r->prefix);
	free(r->addrs);
	free(r);
}

/* Give R its own copy of an answer. */
static void dns_req_answer(struct dns_req *r, const char *error,
			   const char *name, const char *prefix)
{
	r->error = error;
	if (error)
		return;
	if (name && !(r->name = strdup(name)))
		r->error = "error";
	if (prefix && *prefix && !(r->prefix = strdup(prefix)))
		r->error = "error";
}

static void dns_ready_push(struct ht_dns *dns, struct dns_req *r)
{
	reqq_push(&dns->ready, r);
	if (!ev_is_active(&dns->ready_timer)) {
		ev_timer_set(&dns->ready_timer, 0., 0.);
		ev_timer_start(dns->loop, &dns->ready_timer);
	}
}

static void dns_waiting_push(struct ht_dns *dns, struct dns_req *r)
{
	int was_empty = !dns->waiting.head;

	reqq_push(&dns->waiting, r);
	r->waiting = 1;
	if (was_empty)
		dns_deadline_arm(dns);
}

static void dns_waiting_remove(struct ht_dns *dns, struct dns_req *r)
{
	int was_head = dns->waiting.head == r;

	reqq_remove(&dns->waiting, r);
	r->waiting = 0;
	if (was_head)
		dns_deadline_arm(dns);
}

/*
 * Run R's callback and free it.  0 when the callback freed the module
 * (the caller must then touch nothing of it), 1 otherwise.
 */
static int dns_req_complete(struct ht_dns *dns, struct dns_req *r)
{
	int alive = 1, *outer = dns->alive;

	dns->alive = &alive;
	if (r->kind == DNS_RESOLVE)
		r->addr_cb(r->arg, r->error ? NULL : r->addrs,
			   r->error ? 0 : r->naddrs, r->error);
	else
		r->name_cb(r->arg, &r->addr, r->error ? NULL : r->name,
			   r->error ? NULL : r->prefix, r->error);
	dns_req_free(r);
	if (!alive) {
		if (outer)
			*outer = 0;
		return 0;
	}
	dns->alive = outer;
	return 1;
}

/*
 * Only the requests ready when the timer fired run now; those their
 * callbacks add wait for the next iteration, so a callback that keeps
 * asking for a cached name cannot hold the loop.
 */
static void dns_ready_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ht_dns *dns = w->data;
	unsigned n = dns->ready.count;

	(void)loop;
	(void)revents;
	while (n-- && dns->ready.head) {
		struct dns_req *r = dns->ready.head;

		reqq_remove(&dns->ready, r);
		if (!dns_req_complete(dns, r))
			return;
	}
}

static void dns_deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ht_dns *dns = w->data;
	double now = dns_clock();
	struct dns_req *r;

	(void)loop;
	(void)revents;
	/* Requests started by these callbacks start after NOW and are not
	 * due, so this ends.  A timer that fired a little early (libev
	 * measures from the start of the iteration) is armed again for the
	 * rest. */
	while ((r = dns->waiting.head) &&
	       r->started + dns->timeout_s <= now + DNS_SLACK) {
		reqq_remove(&dns->waiting, r);
		r->waiting = 0;
		entry_detach(r);
		r->error = "timeout";
		if (!dns_req_complete(dns, r))
			return;
	}
	dns_deadline_arm(dns);
}

/* ---- the cache ---- */

static uint32_t dns_hash(enum dns_kind kind, const struct hp_addr *a,
			 const char *zone)
{
	const uint8_t *p;
	size_t n, i;
	uint32_t h = 2166136261u;	/* FNV-1a */

	h = (h ^ (uint32_t)kind) * 16777619u;
	h = (h ^ (uint32_t)a->family) * 16777619u;
	if (a->family == AF_INET) {
		p = (const uint8_t *)&a->u.v4;
		n = 4;
	} else {
		p = a->u.v6.s6_addr;
		n = 16;
	}
	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	for (; *zone; zone++)
		h = (h ^ (uint8_t)*zone) * 16777619u;
	return h;
}

static struct dns_entry *dns_find(struct ht_dns *dns, enum dns_kind kind,
				  const struct hp_addr *a, const char *zone,
				  uint32_t hash)
{
	struct dns_entry *e = dns->buckets[hash & (dns->nbuckets - 1)];

	for (; e; e = e->hnext)
		if (e->hash == hash && e->kind == kind &&
		    hp_addr_equal(&e->addr, a) && !strcmp(e->zone, zone))
			return e;
	return NULL;
}

/* Double the buckets when chains average two; keep going without on OOM. */
static void dns_grow(struct ht_dns *dns)
{
	size_t n = dns->nbuckets * 2, i;
	struct dns_entry **b;

	if (dns->nentries <= dns->nbuckets * 2)
		return;
	b = calloc(n, sizeof(*b));
	if (!b)
		return;
	for (i = 0; i < dns->nbuckets; i++) {
		struct dns_entry *e = dns->buckets[i], *next;

		for (; e; e = next) {
			next = e->hnext;
			e->hnext = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(dns->buckets);
	dns->buckets = b;
	dns->nbuckets = n;
}

static void dns_hash_insert(struct ht_dns *dns, struct dns_entry *e)
{
	struct dns_entry **b = &dns->buckets[e->hash & (dns->nbuckets - 1)];

	e->hnext = *b;
	*b = e;
	dns->nentries++;
	dns_grow(dns);
}

static void dns_hash_remove(struct ht_dns *dns, struct dns_entry *e)
{
	struct dns_entry **p = &dns->buckets[e->hash & (dns->nbuckets - 1)];

	while (*p && *p != e)
		p = &(*p)->hnext;
	if (*p) {
		*p = e->hnext;
		dns->nentries--;
	}
}

static void dns_entry_free(struct dns_entry *e)
{
	free(e->name);
	free(e->prefix);
	free(e);
}

static struct dns_entry *dns_entry_new(struct ht_dns *dns, enum dns_kind kind,
				       const struct hp_addr *a,
				       const char *zone)
{
	size_t zlen = strlen(zone);
	struct dns_entry *e = calloc(1, sizeof(*e) + zlen + 1);

	if (!e)
		return NULL;
	e->dns = dns;
	e->kind = kind;
	e->addr = *a;
	memcpy(e->zone, zone, zlen + 1);
	return e;
}

/*
 * A PTR or ASN query finished (called from inside c-ares).  Every waiter
 * gets a copy of the answer on the ready queue; the entry then stays as
 * the cache, newest last, or goes when the failure was a passing one.
 */
static void dns_entry_finish(struct ht_dns *dns, struct dns_entry *e,
			     const char *error, const char *name,
			     const char *prefix)
{
	struct dns_req *r;

	e->pending = 0;
	e->error = error;
	if (!error) {
		if (name && !(e->name = strdup(name)))
			e->error = "error";
		if (prefix && *prefix && !(e->prefix = strdup(prefix)))
			e->error = "error";
	}
	while ((r = e->whead)) {
		entry_detach(r);
		if (r->waiting)
			dns_waiting_remove(dns, r);
		dns_req_answer(r, e->error, e->name, e->prefix);
		dns_ready_push(dns, r);
	}
	if (!dns_error_is_answer(e->error)) {
		dns_hash_remove(dns, e);
		dns_entry_free(e);
		return;
	}
	entq_push(&dns->done, e);
	while (dns->done.count > DNS_CACHE_MAX) {
		struct dns_entry *old = dns->done.head;

		entq_remove(&dns->done, old);
		dns_hash_remove(dns, old);
		dns_entry_free(old);
	}
}

/* ---- c-ares callbacks: record answers, never run user code ---- */

static int has_control_char(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/*
 * Finish a PTR entry with host name H_NAME (from /etc/hosts or DNS):
 * without its trailing dot, and only if it is fit to print.
 */
static void dns_ptr_finish(struct ht_dns *dns, struct dns_entry *e,
			   const char *h_name)
{
	const char *error = NULL;
	char *name = NULL;

	if (!h_name) {
		error = "no-data";
	} else if (!(name = strdup(h_name))) {
		error = "error";
	} else {
		size_t n = strlen(name);

		/* "host.example." and "host.example" are the same name. */
		if (n && name[n - 1] == '.')
			name[--n] = '\0';
		/* Names go to a terminal: a name that could move the cursor
		 * or change colours is no name at all. */
		if (n == 0 || has_control_char(name))
			error = "bad-name";
	}
	dns_entry_finish(dns, e, error, error ? NULL : name, NULL);
	free(name);
}

static int dns_addr_len(const struct hp_addr *a)
{
	return a->family == AF_INET ? (int)sizeof(a->u.v4) :
	       (int)sizeof(a->u.v6);
}

static void dns_ptr_done(void *arg, int status, int timeouts,
			 unsigned char *abuf, int alen)
{
	struct dns_entry *e = arg;
	struct ht_dns *dns = e->dns;
	struct hostent *host = NULL;
	int rc;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED ||
	    dns->destroying)
		return;
	if (status != ARES_SUCCESS) {
		dns_entry_finish(dns, e, dns_error_of(status), NULL, NULL);
		return;
	}
	rc = ares_parse_ptr_reply(abuf, alen, &e->addr.u,
				  dns_addr_len(&e->addr), e->addr.family,
				  &host);
	if (rc != ARES_SUCCESS) {
		dns_entry_finish(dns, e, dns_error_of(rc), NULL, NULL);
		return;
	}
	dns_ptr_finish(dns, e, host->h_name);
	ares_free_hostent(host);
}

/*
 * The /etc/hosts answer, which the files-only channel gives at once.  A
 * name there wins, as with getnameinfo(3) and the usual "files dns";
 * otherwise the reverse name goes to the DNS servers.
 */
static void dns_hosts_done(void *arg, int status, int timeouts,
			   struct hostent *host)
{
	struct dns_entry *e = arg;
	struct ht_dns *dns = e->dns;
	char qname[DNS_NAME_MAX];

	(void)timeouts;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED ||
	    dns->destroying)
		return;
	if (status == ARES_SUCCESS && host && host->h_name) {
		dns_ptr_finish(dns, e, host->h_name);
		return;
	}
	if (ht_dns_ptr_name(&e->addr, qname, sizeof(qname)) < 0) {
		dns_entry_finish(dns, e, "error", NULL, NULL);
		return;
	}
	ares_query(dns->channel, qname, DNS_CLASS_IN, DNS_TYPE_PTR,
		   dns_ptr_done, e);
	dns_ares_arm(dns);
}

/*
 * Take the first TXT record that parses as an origin answer.  A record
 * may come in several character-strings (RFC 1035 section 3.3.14, at
 * most 255 bytes each); they are joined before parsing.
 */
static const char *dns_txt_origin(const unsigned char *abuf, int alen,
				  char *asn, size_t asnlen, char *prefix,
				  size_t prefixlen)
{
	struct ares_txt_ext *txt = NULL, *t;
	char text[DNS_TXT_MAX];
	size_t n = 0;
	int rc, found = 0;

	rc = ares_parse_txt_reply_ext(abuf, alen, &txt);
	if (rc != ARES_SUCCESS)
		return dns_error_of(rc);
	for (t = txt; t && !found; t = t->next) {
		size_t take = t->length;

		if (t->record_start)
			n = 0;
		if (take > sizeof(text) - 1 - n)
			take = sizeof(text) - 1 - n;
		memcpy(text + n, t->txt, take);
		n += take;
		/* The record ends where the next one starts, or at the end. */
		if ((!t->next || t->next->record_start) &&
		    ht_dns_parse_origin_txt(text, n, asn, asnlen, prefix,
					    prefixlen) == 0)
			found = 1;
	}
	ares_free_data(txt);
	return found ? NULL : "bad-response";
}

static void dns_txt_done(void *arg, int status, int timeouts,
			 unsigned char *abuf, int alen)
{
	struct dns_entry *e = arg;
	struct ht_dns *dns = e->dns;
	char asn[128] = "", prefix[64] = "";
	const char *error;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED ||
	    dns->destroying)
		return;
	if (status != ARES_SUCCESS)
		error = dns_error_of(status);
	else
		error = dns_txt_origin(abuf, alen, asn, sizeof(asn), prefix,
				       sizeof(prefix));
	dns_entry_finish(dns, e, error, asn, prefix);
}

static int dns_addr_of(const struct sockaddr *sa, struct hp_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		out->family = AF_INET;
		out->u.v4 = sin->sin_addr;
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		out->family = AF_INET6;
		out->u.v6 = sin6->sin6_addr;
		return 0;
	}
	return -1;
}

/*
 * The addresses of RES of the wanted family, in c-ares's order (sorted
 * like getaddrinfo(3), RFC 6724), each once.  NULL with *N 0 when none.
 */
static struct hp_addr *dns_collect(const struct ares_addrinfo *res,
				   int family, unsigned *n)
{
	const struct ares_addrinfo_node *node;
	struct hp_addr *out;
	unsigned cap = 0, i;

	*n = 0;
	for (node = res ? res->nodes : NULL; node; node = node->ai_next)
		cap++;
	if (!cap || !(out = calloc(cap, sizeof(*out))))
		return NULL;
	for (node = res->nodes; node; node = node->ai_next) {
		struct hp_addr a;

		if (!node->ai_addr || dns_addr_of(node->ai_addr, &a) < 0)
			continue;
		if (family && a.family != family)
			continue;
		for (i = 0; i < *n; i++)
			if (hp_addr_equal(&out[i], &a))
				break;
		if (i == *n)
			out[(*n)++] = a;
	}
	if (!*n) {
		free(out);
		return NULL;
	}
	return out;
}

static void dns_resolve_done(void *arg, int status, int timeouts,
			     struct ares_addrinfo *res)
{
	struct dns_entry *e = arg;
	struct ht_dns *dns = e->dns;
	struct dns_req *r;
	struct hp_addr *addrs = NULL;
	unsigned n = 0;
	const char *error = NULL;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED ||
	    dns->destroying) {
		if (res)
			ares_freeaddrinfo(res);
		return;
	}
	if (status != ARES_SUCCESS) {
		error = dns_error_of(status);
	} else {
		addrs = dns_collect(res, e->addr.family, &n);
		if (!addrs)
			error = "no-data";
	}
	if (res)
		ares_freeaddrinfo(res);
	while ((r = e->whead)) {
		entry_detach(r);
		if (r->waiting)
			dns_waiting_remove(dns, r);
		r->error = error;
		if (!error) {
			r->addrs = calloc(n, sizeof(*addrs));
			if (r->addrs) {
				memcpy(r->addrs, addrs, n * sizeof(*addrs));
				r->naddrs = n;
			} else {
				r->error = "error";
			}
		}
		dns_ready_push(dns, r);
	}
	free(addrs);
	entq_remove(&dns->resolving, e);
	dns_entry_free(e);
}

/* ---- the API ---- */

struct ht_dns *ht_dns_new(struct ev_loop *loop, double timeout_s,
			  char *err, size_t errlen)
{
	struct ares_options opts;
	char files_only[] = "f";
	struct ht_dns *dns;
	unsigned i;
	int rc, per_try_ms;

	if (!err)
		errlen = 0;
	if (!loop || !isfinite(timeout_s) || timeout_s <= 0) {
		snprintf(err, errlen, "DNS timeout must be a positive number "
			 "of seconds");
		return NULL;
	}
	if (timeout_s < DNS_MIN_TIMEOUT)
		timeout_s = DNS_MIN_TIMEOUT;
	dns = calloc(1, sizeof(*dns));
	if (!dns) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dns->loop = loop;
	dns->timeout_s = timeout_s;
	dns->nbuckets = DNS_MIN_BUCKETS;
	dns->buckets = calloc(dns->nbuckets, sizeof(*dns->buckets));
	if (!dns->buckets) {
		free(dns);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (i = 0; i < DNS_MAX_SOCKS; i++)
		dns->socks[i].fd = -1;
	ev_init(&dns->ares_timer, dns_ares_timer_cb);
	dns->ares_timer.data = dns;
	ev_init(&dns->deadline_timer, dns_deadline_cb);
	dns->deadline_timer.data = dns;
	ev_init(&dns->ready_timer, dns_ready_cb);
	dns->ready_timer.data = dns;

	rc = ares_library_init(ARES_LIB_INIT_ALL);
	if (rc != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		free(dns->buckets);
		free(dns);
		return NULL;
	}
	/*
	 * c-ares should normally give up before our own deadline, so that
	 * "timeout" is its verdict and the query is no longer on the wire.
	 * c-ares 1.18 waits the per-try timeout T on each server in turn and
	 * doubles T on every round over the server list; with two tries and
	 * one server it gives up after T + 2T, so T = timeout / 4 ends at
	 * three quarters of our deadline.  With more servers (or search
	 * domains tried one after another) it would take longer, and our
	 * deadline cuts it short.
	 */
	per_try_ms = (int)(timeout_s * 1000.0 / 4.0);
	if (per_try_ms < 1)
		per_try_ms = 1;
	memset(&opts, 0, sizeof(opts));
	opts.sock_state_cb = dns_sock_state_cb;
	opts.sock_state_cb_data = dns;
	opts.timeout = per_try_ms;
	opts.tries = 2;
	rc = ares_init_options(&dns->channel, &opts, ARES_OPT_SOCK_STATE_CB |
			       ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (rc == ARES_SUCCESS) {
		memset(&opts, 0, sizeof(opts));
		opts.lookups = files_only;
		rc = ares_init_options(&dns->hosts, &opts, ARES_OPT_LOOKUPS);
		if (rc != ARES_SUCCESS)
			ares_destroy(dns->channel);
	}
	if (rc != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		ares_library_cleanup();
		free(dns->buckets);
		free(dns);
		return NULL;
	}
	dns->have_channel = 1;
	return dns;
}

int ht_dns_set_servers(struct ht_dns *dns, const char *csv)
{
	if (!dns || !csv || !*csv)
		return -1;
	/* c-ares refuses while queries are pending; so do we. */
	return ares_set_servers_ports_csv(dns->channel, csv) == ARES_SUCCESS ?
	       0 : -1;
}

void ht_dns_resolve(struct ht_dns *dns, const char *host, int family,
		    ht_dns_addr_cb cb, void *arg)
{
	struct ares_addrinfo_hints hints;
	struct dns_req *r = dns_req_new(DNS_RESOLVE, arg);
	struct dns_entry *e;
	struct hp_addr fam;

	r->addr_cb = cb;
	if (!host || !*host) {
		r->error = "bad-name";
		dns_ready_push(dns, r);
		return;
	}
	if (family != 0 && family != AF_INET && family != AF_INET6) {
		r->error = "error";
		dns_ready_push(dns, r);
		return;
	}
	memset(&fam, 0, sizeof(fam));
	fam.family = family;
	e = dns_entry_new(dns, DNS_RESOLVE, &fam, "");
	if (!e) {
		r->error = "error";
		dns_ready_push(dns, r);
		return;
	}
	e->pending = 1;
	entq_push(&dns->resolving, e);
	entry_attach(e, r);
	dns_waiting_push(dns, r);

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family ? family : AF_UNSPEC;
	/* May answer at once (literals, /etc/hosts): E may be gone after. */
	ares_getaddrinfo(dns->channel, host, NULL, &hints, dns_resolve_done,
			 e);
	dns_ares_arm(dns);
}

/* The common path of PTR and ASN lookups: cache, join, or a new query. */
static void dns_name_lookup(struct ht_dns *dns, enum dns_kind kind,
			    const struct hp_addr *addr, const char *zone,
			    ht_dns_name_cb cb, void *arg)
{
	struct dns_req *r = dns_req_new(kind, arg);
	struct dns_entry *e;
	char qname[DNS_NAME_MAX];
	uint32_t hash;

	r->name_cb = cb;
	if (addr)
		r->addr = *addr;
	if (!addr || (addr->family != AF_INET && addr->family != AF_INET6) ||
	    (kind == DNS_ASN &&
	     ht_dns_asn_name(addr, zone, qname, sizeof(qname)) < 0)) {
		r->error = "error";
		dns_ready_push(dns, r);
		return;
	}
	if (kind == DNS_PTR)
		zone = "";
	hash = dns_hash(kind, addr, zone);
	e = dns_find(dns, kind, addr, zone, hash);
	if (e && !e->pending) {
		/* Answered before: refresh its age and answer from it. */
		entq_remove(&dns->done, e);
		entq_push(&dns->done, e);
		dns_req_answer(r, e->error, e->name, e->prefix);
		dns_ready_push(dns, r);
		return;
	}
	if (e) {
		entry_attach(e, r);
		dns_waiting_push(dns, r);
		return;
	}
	e = dns_entry_new(dns, kind, addr, zone);
	if (!e) {
		r->error = "error";
		dns_ready_push(dns, r);
		return;
	}
	e->hash = hash;
	e->pending = 1;
	dns_hash_insert(dns, e);
	entry_attach(e, r);
	dns_waiting_push(dns, r);
	/* Both may answer at once (/etc/hosts): E may be gone after. */
	if (kind == DNS_PTR)
		ares_gethostbyaddr(dns->hosts, &addr->u, dns_addr_len(addr),
				   addr->family, dns_hosts_done, e);
	else
		ares_query(dns->channel, qname, DNS_CLASS_IN, DNS_TYPE_TXT,
			   dns_txt_done, e);
	dns_ares_arm(dns);
}

void ht_dns_ptr(struct ht_dns *dns, const struct hp_addr *addr,
		ht_dns_name_cb cb, void *arg)
{
	dns_name_lookup(dns, DNS_PTR, addr, "", cb, arg);
}

void ht_dns_asn(struct ht_dns *dns, const struct hp_addr *addr,
		const char *zone, ht_dns_name_cb cb, void *arg)
{
	dns_name_lookup(dns, DNS_ASN, addr, zone, cb, arg);
}

static void dns_reqq_free(struct dns_reqq *q)
{
	struct dns_req *r, *next;

	for (r = q->head; r; r = next) {
		next = r->next;
		dns_req_free(r);
	}
	q->head = q->tail = NULL;
	q->count = 0;
}

void ht_dns_free(struct ht_dns *dns)
{
	struct dns_entry *e, *next;
	size_t i;

	if (!dns)
		return;
	if (dns->alive)
		*dns->alive = 0;
	dns->destroying = 1;
	ev_timer_stop(dns->loop, &dns->ares_timer);
	ev_timer_stop(dns->loop, &dns->deadline_timer);
	ev_timer_stop(dns->loop, &dns->ready_timer);
	/* Calls every pending c-ares callback with ARES_EDESTRUCTION, which
	 * they ignore, and closes the sockets through dns_sock_state_cb. */
	ares_destroy(dns->channel);
	ares_destroy(dns->hosts);
	dns->have_channel = 0;
	for (i = 0; i < DNS_MAX_SOCKS; i++)
		if (dns->socks[i].fd >= 0)
			ev_io_stop(dns->loop, &dns->socks[i].io);
	dns_reqq_free(&dns->waiting);
	dns_reqq_free(&dns->ready);
	for (i = 0; i < dns->nbuckets; i++)
		for (e = dns->buckets[i]; e; e = next) {
			next = e->hnext;
			dns_entry_free(e);
		}
	for (e = dns->resolving.head; e; e = next) {
		next = e->next;
		dns_entry_free(e);
	}
	free(dns->buckets);
	ares_library_cleanup();
	free(dns);
}

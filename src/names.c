/*
 * names.c: the responder name table (see names.h).
 *
 * Open addressing over a power-of-two table keyed by the address bytes;
 * entries are never removed during a run, so pointers to their strings
 * stay valid for every event that carries them.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "names.h"

struct name_entry {
	struct hp_addr addr;
	int used;
	int ptr_pending;
	int asn_pending;
	char *name;
	char *asn;
	struct ht_trace **waiters;
	unsigned waiter_count;
	unsigned waiter_cap;
	struct ht_names *owner;
};

struct ht_names {
	struct ht_dns *dns;
	int want_ptr;
	int want_asn;
	char *zone4;
	char *zone6;
	struct ht_names_hooks hooks;
	/* Entries are allocated one by one so that their address, handed to
	 * dns.c as the callback argument, never moves. */
	struct name_entry **table;
	size_t cap;
	size_t used;
};

static uint64_t addr_hash(const struct hp_addr *a)
{
	const unsigned char *p = (const unsigned char *)&a->u;
	size_t n = a->family == AF_INET ? 4 : 16, i;
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)a->family;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct ht_names *ht_names_new(struct ht_dns *dns, int want_ptr, int want_asn,
			      const char *asn_zone4, const char *asn_zone6,
			      const struct ht_names_hooks *hooks)
{
	struct ht_names *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->dns = dns;
	n->want_ptr = want_ptr && dns;
	n->want_asn = want_asn && dns;
	n->zone4 = strdup(asn_zone4 ? asn_zone4 : "origin.asn.cymru.com");
	n->zone6 = strdup(asn_zone6 ? asn_zone6 : "origin6.asn.cymru.com");
	n->hooks = *hooks;
	n->cap = 64;
	n->table = calloc(n->cap, sizeof(*n->table));
	if (!n->zone4 || !n->zone6 || !n->table) {
		ht_names_free(n);
		return NULL;
	}
	return n;
}

void ht_names_free(struct ht_names *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; n->table && i < n->cap; i++) {
		struct name_entry *e = n->table[i];

		if (!e)
			continue;
		free(e->name);
		free(e->asn);
		free(e->waiters);
		free(e);
	}
	free(n->table);
	free(n->zone4);
	free(n->zone6);
	free(n);
}

static struct name_entry **slot_for(struct name_entry **table, size_t cap,
				    const struct hp_addr *a)
{
	size_t i = (size_t)addr_hash(a) & (cap - 1);

	while (table[i] && !hp_addr_equal(&table[i]->addr, a))
		i = (i + 1) & (cap - 1);
	return &table[i];
}

static int grow(struct ht_names *n)
{
	size_t cap = n->cap * 2, i;
	struct name_entry **t = calloc(cap, sizeof(*t));

	if (!t)
		return -1;
	for (i = 0; i < n->cap; i++)
		if (n->table[i])
			*slot_for(t, cap, &n->table[i]->addr) = n->table[i];
	free(n->table);
	n->table = t;
	n->cap = cap;
	return 0;
}

static void wake_all(struct name_entry *e)
{
	struct ht_names *n = e->owner;
	unsigned i, count = e->waiter_count;
	struct ht_trace **w = e->waiters;

	/* A woken trace may ask about this address again and append to the
	 * list: detach it first. */
	e->waiters = NULL;
	e->waiter_count = e->waiter_cap = 0;
	for (i = 0; i < count; i++)
		n->hooks.wake(n->hooks.arg, w[i]);
	free(w);
}

static void on_ptr(void *arg, const struct hp_addr *addr, const char *name,
		   const char *prefix, const char *error)
{
	struct name_entry *e = arg;
	struct ht_event ev;

	(void)prefix;
	e->ptr_pending = 0;
	if (name)
		e->name = strdup(name);
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_NAME;
	ev.u.name.address = *addr;
	ev.u.name.name = e->name;
	ev.u.name.error = e->name ? NULL : (error ? error : "error");
	e->owner->hooks.emit(e->owner->hooks.arg, &ev);
	if (!e->asn_pending)
		wake_all(e);
}

static void on_asn(void *arg, const struct hp_addr *addr, const char *asn,
		   const char *prefix, const char *error)
{
	struct name_entry *e = arg;
	struct ht_event ev;

	e->asn_pending = 0;
	if (asn)
		e->asn = strdup(asn);
	memset(&ev, 0, sizeof(ev));
	ev.kind = HT_EV_ASN;
	ev.u.asn.address = *addr;
	ev.u.asn.asn = e->asn;
	ev.u.asn.prefix = e->asn ? prefix : NULL;
	ev.u.asn.error = e->asn ? NULL : (error ? error : "error");
	e->owner->hooks.emit(e->owner->hooks.arg, &ev);
	if (!e->ptr_pending)
		wake_all(e);
}

static int add_waiter(struct name_entry *e, struct ht_trace *t)
{
	if (e->waiter_count && e->waiters[e->waiter_count - 1] == t)
		return 0;
	if (e->waiter_count == e->waiter_cap) {
		unsigned cap = e->waiter_cap ? e->waiter_cap * 2 : 4;
		struct ht_trace **w = realloc(e->waiters, cap * sizeof(*w));

		if (!w)
			return -1;
		e->waiters = w;
		e->waiter_cap = cap;
	}
	e->waiters[e->waiter_count++] = t;
	return 0;
}

int ht_names_get(struct ht_names *n, struct ht_trace *trace,
		 const struct hp_addr *addr, const char **name,
		 const char **asn)
{
	struct name_entry **slot, *e;

	*name = NULL;
	*asn = NULL;
	if (!n->want_ptr && !n->want_asn)
		return 1;
	if ((n->used + 1) * 2 > n->cap && grow(n) < 0)
		return 1;	/* out of memory: go on without names */
	slot = slot_for(n->table, n->cap, addr);
	e = *slot;
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return 1;
		e->addr = *addr;
		e->owner = n;
		e->ptr_pending = n->want_ptr;
		e->asn_pending = n->want_asn;
		*slot = e;
		n->used++;
		/* dns.c never calls back from inside these calls. */
		if (n->want_ptr)
			ht_dns_ptr(n->dns, addr, on_ptr, e);
		if (n->want_asn)
			ht_dns_asn(n->dns, addr,
				   addr->family == AF_INET ? n->zone4 : n->zone6,
				   on_asn, e);
	}
	if (e->ptr_pending || e->asn_pending) {
		if (add_waiter(e, trace) < 0)
			return 1;
		return 0;
	}
	*name = e->name;
	*asn = e->asn;
	return 1;
}

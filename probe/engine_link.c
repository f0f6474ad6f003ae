/*
 * engine_link.c: link-events, probes answered when their link goes down.
 *
 * A probe sent with link-events 1 is put on the list of the interface
 * its route leaves through: the device it is bound to, its IPv6
 * destination's scope, or the routing table's answer (a cached
 * RTM_GETROUTE, srccache.h).  The rtnetlink subscription the source
 * cache already has hears of every link change; when one says that an
 * interface with probes is down (linkmsg.h says what counts), each of its
 * probes in flight is answered network-down with the interface's name at
 * once, instead of no-reply at its deadline (hopprobe(8), EXTENSIONS).
 *
 * Nothing here runs for probes that did not ask: the state is allocated
 * with the first probe that does, and a probe's end costs one comparison
 * when it has none.  Per probe index there is a slot with the links of a
 * doubly linked list, so joining, leaving and answering are O(1) per
 * probe; interfaces are found by binary search in a sorted array, which
 * only grows when a probe first uses an interface.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "linkmsg.h"

struct link_slot {
	uint32_t ifindex;	/* 0: the probe is not watched */
	uint32_t prev;		/* neighbours on the interface's list */
	uint32_t next;
};

struct link_iface {
	uint32_t ifindex;
	uint32_t head;		/* first probe, or PROBE_NONE */
	bool down;		/* as last heard */
	char name[IF_NAMESIZE];	/* as last heard; "" when not known */
};

struct link_watch {
	struct link_slot *slots;	/* by probe index */
	uint32_t slot_cap;
	struct link_iface *ifaces;	/* sorted by ifindex */
	uint32_t iface_count;
	uint32_t iface_cap;
};

bool engine_link_supported(const struct engine *e)
{
	return e->srcs.netlink >= 0 && e->srcs.query >= 0;
}

void engine_link_free(struct engine *e)
{
	if (!e->links)
		return;
	free(e->links->slots);
	free(e->links->ifaces);
	free(e->links);
	e->links = NULL;
}

uint32_t engine_link_route(struct engine *e, const struct outbound *ob)
{
	const struct probe_request *pr = ob->req;
	uint32_t oif = 0;

	if (!engine_link_supported(e))
		return 0;
	if (ob->ifindex > 0)
		return (uint32_t)ob->ifindex;
	if (ob->scope_id)
		return ob->scope_id;
	/* No route, no interface: the send fails and says so itself. */
	if (src_cache_route_oif(&e->srcs, &pr->dst, &pr->local, pr->has_mark,
				pr->mark, 0, engine_mono_now(), &oif) != 0)
		return 0;
	return oif;
}

/* The position of ifindex in the sorted array, or where it would go. */
static uint32_t iface_position(const struct link_watch *w, uint32_t ifindex)
{
	uint32_t lo = 0, hi = w->iface_count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (w->ifaces[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct link_iface *iface_find(struct link_watch *w, uint32_t ifindex)
{
	uint32_t at = iface_position(w, ifindex);

	if (at < w->iface_count && w->ifaces[at].ifindex == ifindex)
		return &w->ifaces[at];
	return NULL;
}

/* What a message (or an answer to RTM_GETLINK) says, kept. */
static void iface_note(struct link_iface *f, const struct link_news *news)
{
	f->down = news->down;
	if (news->name[0])
		memcpy(f->name, news->name, sizeof(f->name));
}

/*
 * The entry for ifindex, added when new with the link's state as the
 * kernel tells it now (an interface already down must not wait for a
 * change that has happened); NULL when memory is short.
 */
static struct link_iface *iface_get(struct engine *e, uint32_t ifindex)
{
	struct link_watch *w = e->links;
	struct link_iface *f = iface_find(w, ifindex);
	struct link_news news;
	uint32_t at;

	if (f)
		return f;
	if (w->iface_count == w->iface_cap) {
		uint32_t cap = w->iface_cap ? w->iface_cap * 2 : 8;
		struct link_iface *grown;

		grown = realloc(w->ifaces, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		w->ifaces = grown;
		w->iface_cap = cap;
	}
	at = iface_position(w, ifindex);
	memmove(&w->ifaces[at + 1], &w->ifaces[at],
		(w->iface_count - at) * sizeof(*w->ifaces));
	w->iface_count++;
	f = &w->ifaces[at];
	memset(f, 0, sizeof(*f));
	f->ifindex = ifindex;
	f->head = PROBE_NONE;
	/* When the kernel cannot say, the link counts as up. */
	if (src_cache_link_state(&e->srcs, ifindex, &news) == 0)
		iface_note(f, &news);
	return f;
}

static void iface_drop(struct link_watch *w, struct link_iface *f)
{
	uint32_t at = (uint32_t)(f - w->ifaces);

	memmove(&w->ifaces[at], &w->ifaces[at + 1],
		(w->iface_count - at - 1) * sizeof(*w->ifaces));
	w->iface_count--;
}

/* Room in the slots for probe index i. */
static bool slot_room(struct engine *e, uint32_t i)
{
	struct link_watch *w = e->links;
	struct link_slot *grown;
	uint32_t cap;

	if (i < w->slot_cap)
		return true;
	cap = e->table.capacity > i ? e->table.capacity : i + 1;
	grown = realloc(w->slots, cap * sizeof(*grown));
	if (!grown)
		return false;
	memset(grown + w->slot_cap, 0, (cap - w->slot_cap) * sizeof(*grown));
	w->slots = grown;
	w->slot_cap = cap;
	return true;
}

/* "TOKEN network-down device NAME" (no device when the name is unknown). */
static void answer_down(struct engine *e, uint32_t i, const char *name)
{
	struct probe_reply r;

	memset(&r, 0, sizeof(r));
	r.token = probe_table_at(&e->table, i)->token;
	r.type = REPLY_NETWORK_DOWN;
	r.device = name[0] ? name : NULL;
	engine_emit_reply(e, &r);
	engine_probe_finish(e, i);
}

bool engine_link_watch(struct engine *e, uint32_t i, uint32_t oif)
{
	struct link_iface *f;
	struct link_slot *s;

	if (!e->links) {
		e->links = calloc(1, sizeof(*e->links));
		if (!e->links) {
			engine_probe_abandon(e, i, ENOMEM);
			return false;
		}
	}
	f = slot_room(e, i) ? iface_get(e, oif) : NULL;
	if (!f) {
		engine_probe_abandon(e, i, ENOMEM);
		return false;
	}
	if (f->down) {
		/* It would leave through a link that is down: it cannot go. */
		answer_down(e, i, f->name);
		return false;
	}
	s = &e->links->slots[i];
	s->ifindex = oif;
	s->prev = PROBE_NONE;
	s->next = f->head;
	if (f->head != PROBE_NONE)
		e->links->slots[f->head].prev = i;
	f->head = i;
	return true;
}

void engine_link_forget(struct engine *e, uint32_t i)
{
	struct link_watch *w = e->links;
	struct link_slot *s;
	struct link_iface *f;

	if (!w || i >= w->slot_cap || w->slots[i].ifindex == 0)
		return;
	s = &w->slots[i];
	if (s->prev != PROBE_NONE) {
		w->slots[s->prev].next = s->next;
	} else {
		f = iface_find(w, s->ifindex);
		if (f)
			f->head = s->next;
	}
	if (s->next != PROBE_NONE)
		w->slots[s->next].prev = s->prev;
	memset(s, 0, sizeof(*s));
}

/*
 * A link is down: answer its probes in flight.  A probe still queued in
 * the backend's batch stays (the batch leaves before the loop listens
 * again, so this does not happen; its answer would then come at its
 * deadline).  The entry of a link that is gone leaves with its last
 * probe, since its index may be given to a new link.
 */
static void link_went_down(struct engine *e, struct link_iface *f)
{
	struct link_watch *w = e->links;
	uint32_t i = f->head, next;

	while (i != PROBE_NONE) {
		next = w->slots[i].next;
		if (probe_table_at(&e->table, i)->state == PROBE_IN_FLIGHT)
			answer_down(e, i, f->name);
		i = next;
	}
}

static void on_link_news(void *ctx, const struct link_news *news)
{
	struct engine *e = ctx;
	struct link_iface *f = iface_find(e->links, news->ifindex);

	if (!f)
		return;
	iface_note(f, news);
	if (f->down)
		link_went_down(e, f);
	/* link_went_down moves no entry; f is still this link's. */
	if (news->gone && f->head == PROBE_NONE)
		iface_drop(e->links, f);
}

/*
 * Notifications were lost: ask the kernel about each link with probes,
 * as many as there are entries (a handful of interfaces).
 */
static void links_resync(struct engine *e)
{
	struct link_watch *w = e->links;
	struct link_news news;
	uint32_t k = w->iface_count;
	int err;

	while (k-- > 0) {
		struct link_iface *f = &w->ifaces[k];

		err = src_cache_link_state(&e->srcs, f->ifindex, &news);
		if (err == ENODEV) {
			memset(&news, 0, sizeof(news));
			news.ifindex = f->ifindex;
			news.gone = news.down = true;
		} else if (err) {
			continue;
		}
		on_link_news(e, &news);
	}
}

static void on_datagram(void *ctx, const void *buf, size_t len)
{
	struct engine *e = ctx;

	if (!buf)
		links_resync(e);
	else
		(void)linkmsg_each(buf, len, on_link_news, e);
}

void engine_link_news(struct engine *e)
{
	src_cache_netlink_read(&e->srcs, e->links ? on_datagram : NULL, e);
}

/*
 * engine_rttns.c: round-trip-time-ns, the kernel's view of a round trip
 * (hopprobe(8), EXTENSIONS, rtt-ns).
 *
 * A probe that asks for it gets a slot here, by its index in the probe
 * table, in an array that is allocated on the first such probe and grows
 * with the table: a worker never asked pays nothing but one comparison per
 * answer.  The backend records the moment its send call began, then hands
 * over the kernel's transmit timestamp when the socket's error queue
 * yields it; the answer's receive timestamp (SO_TIMESTAMPNS) closes the
 * round trip.  A transmit timestamp that has not come by the time the
 * answer is handled is not waited for: the reply goes without
 * round-trip-time-ns, and so does one whose timestamp came from an
 * earlier probe of the same slot (it predates this probe's send call).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

/* Slot states. */
#define RTTNS_ASKED 1		/* wanted; not yet handed to the kernel */
#define RTTNS_SENT 2		/* sent: waiting for its transmit stamp */
#define RTTNS_STAMPED 3		/* transmit stamp in hand */

static int64_t ns_between(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000000000 +
	       (b->tv_nsec - a->tv_nsec);
}

/* Probe i's slot when it asked, else NULL. */
static struct rttns_slot *slot_of(const struct engine *e, uint32_t i)
{
	return engine_rttns_wanted(e, i) ? &e->rttns.slots[i] : NULL;
}

bool engine_rttns_begin(struct engine *e, uint32_t i)
{
	struct rttns_table *t = &e->rttns;
	struct rttns_slot *grown;
	uint32_t cap;

	if (i >= t->cap) {
		cap = e->table.capacity > i ? e->table.capacity : i + 1;
		grown = realloc(t->slots, cap * sizeof(*grown));
		if (!grown)
			return false;
		memset(grown + t->cap, 0, (cap - t->cap) * sizeof(*grown));
		t->slots = grown;
		t->cap = cap;
	}
	memset(&t->slots[i], 0, sizeof(t->slots[i]));
	t->slots[i].handle = -1;
	t->slots[i].state = RTTNS_ASKED;
	return true;
}

void engine_rttns_sent(struct engine *e, uint32_t i, int handle,
		       const struct timespec *call)
{
	struct rttns_slot *s = slot_of(e, i);

	if (!s)
		return;
	s->call = *call;
	s->handle = handle;
	s->state = RTTNS_SENT;
}

void engine_rttns_stamp(struct engine *e, uint32_t i, int handle,
			const struct timespec *tx)
{
	struct rttns_slot *s = slot_of(e, i);

	if (!s)
		return;
	/*
	 * The first stamp only (an IPv4 probe sent in fragments has one per
	 * fragment), from the socket the probe left by, and never one older
	 * than this probe's send call: that one was for the slot's previous
	 * probe.
	 */
	if (s->state != RTTNS_SENT || s->handle != handle ||
	    ns_between(&s->call, tx) < 0)
		return;
	s->tx = *tx;
	s->state = RTTNS_STAMPED;
}

int engine_rttns_waiting(const struct engine *e, uint32_t i)
{
	const struct rttns_slot *s = slot_of(e, i);

	return s && s->state == RTTNS_SENT ? s->handle : -1;
}

bool engine_rttns_result(struct engine *e, uint32_t i,
			 const struct timespec *rx, uint64_t *ns)
{
	const struct rttns_slot *s = slot_of(e, i);
	int64_t d;

	if (!s || s->state != RTTNS_STAMPED)
		return false;
	d = ns_between(&s->tx, rx);
	/* A clock stepped backwards gives no time at all. */
	if (d <= 0)
		return false;
	*ns = (uint64_t)d;
	return true;
}

void engine_rttns_end(struct engine *e, uint32_t i)
{
	struct rttns_slot *s = slot_of(e, i);

	if (s)
		s->state = 0;
}

void engine_rttns_free(struct engine *e)
{
	free(e->rttns.slots);
	e->rttns.slots = NULL;
	e->rttns.cap = 0;
}

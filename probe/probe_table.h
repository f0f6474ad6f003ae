/*
 * probe_table.h: the in-flight probes, keyed by what a reply can quote.
 *
 * Probes live in one slab (an array grown by doubling, with a free list),
 * so a probe is named by its index and holds no pointers.  A chained hash
 * over struct probe_key finds a probe in O(1) from a decoded reply: no
 * operation scans the probes in flight.
 */
#ifndef HOPPROBE_PROBE_TABLE_H
#define HOPPROBE_PROBE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "wire_identity.h"

#define PROBE_NONE UINT32_MAX

struct probe {
	struct probe_key key;
	int32_t token;
	uint32_t hash_next;	/* next probe in the bucket, or PROBE_NONE;
				   on the free list: next free slot */
	uint32_t tq_prev;	/* neighbours in its timeout list */
	uint32_t tq_next;
	uint32_t tq_list;	/* which timeout list holds it */
	uint16_t local_port;	/* source port it holds (ports.h) */
	uint8_t in_use;
	uint8_t state;		/* the engine's: queued, in flight */
	uint8_t extensions;	/* the engine's: PROBE_EXT_* asked for */
	double deadline;	/* monotonic (libev) time of no-reply */
	struct timespec sent;	/* CLOCK_REALTIME at send, as the kernel's
				   SO_TIMESTAMPNS receive stamps */
};

struct probe_table {
	struct probe *probes;
	uint32_t capacity;	/* slots allocated */
	uint32_t limit;		/* most probes ever in flight */
	uint32_t count;		/* probes in flight */
	uint32_t free_head;	/* first free slot, or PROBE_NONE */
	uint32_t used;		/* slots ever handed out (< capacity) */
	uint32_t *buckets;	/* heads of chains, PROBE_NONE when empty */
	uint32_t bucket_mask;	/* bucket count - 1 (a power of two) */
};

/* limit: most probes in flight at once (>= 1). */
bool probe_table_init(struct probe_table *t, uint32_t limit);
void probe_table_free(struct probe_table *t);

/*
 * Take a free slot and index it under key.  Returns its index, or
 * PROBE_NONE when the limit is reached, memory is short, or a probe with
 * the same key is in flight already (the caller picks another identity).
 */
uint32_t probe_table_insert(struct probe_table *t, const struct probe_key *key);
/* The probe in flight under key, or PROBE_NONE. */
uint32_t probe_table_find(const struct probe_table *t,
			  const struct probe_key *key);
/* Unindex and free a slot. */
void probe_table_remove(struct probe_table *t, uint32_t index);

static inline struct probe *probe_table_at(struct probe_table *t, uint32_t i)
{
	return &t->probes[i];
}

bool probe_key_equal(const struct probe_key *a, const struct probe_key *b);

#endif

/*
 * probe_table.c: slab of in-flight probes plus a chained hash on their keys.
 */
#include "probe_table.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_CAPACITY 256u

bool probe_key_equal(const struct probe_key *a, const struct probe_key *b)
{
	return a->wire_id == b->wire_id && a->family == b->family &&
	       a->proto == b->proto && memcmp(a->dst, b->dst, 16) == 0;
}

/*
 * A 64-bit mix of the key (the finalizer of splitmix64 over a sum of the
 * words).  Keys are chosen by the worker, not by the network, so there is
 * no flooding to defend against; what matters is spreading sequential
 * identifiers and addresses evenly over the buckets.
 */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint32_t key_hash(const struct probe_key *k)
{
	uint64_t a = 0, b = 0;

	memcpy(&a, k->dst, 8);
	memcpy(&b, k->dst + 8, 8);
	return (uint32_t)mix64(k->wire_id ^ mix64(a ^ (b * 31) ^
		((uint64_t)k->family << 8 | k->proto)));
}

static bool grow_slab(struct probe_table *t)
{
	uint32_t cap = t->capacity ? t->capacity * 2 : INITIAL_CAPACITY;
	struct probe *p;

	if (cap > t->limit)
		cap = t->limit;
	if (cap <= t->capacity)
		return false;
	p = realloc(t->probes, (size_t)cap * sizeof(*p));
	if (!p)
		return false;
	t->probes = p;
	t->capacity = cap;
	return true;
}

/* Keep at most one probe per bucket on average. */
static bool grow_buckets(struct probe_table *t)
{
	uint32_t n = (t->bucket_mask + 1) * 2;
	uint32_t *b = malloc((size_t)n * sizeof(*b));
	uint32_t i;

	if (!b)
		return false;
	for (i = 0; i < n; i++)
		b[i] = PROBE_NONE;
	for (i = 0; i < t->used; i++) {
		struct probe *p = &t->probes[i];
		uint32_t h;

		if (!p->in_use)
			continue;
		h = key_hash(&p->key) & (n - 1);
		p->hash_next = b[h];
		b[h] = i;
	}
	free(t->buckets);
	t->buckets = b;
	t->bucket_mask = n - 1;
	return true;
}

bool probe_table_init(struct probe_table *t, uint32_t limit)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	if (limit == 0)
		return false;
	t->limit = limit;
	t->free_head = PROBE_NONE;
	t->bucket_mask = INITIAL_CAPACITY - 1;
	t->buckets = malloc(INITIAL_CAPACITY * sizeof(*t->buckets));
	if (!t->buckets)
		return false;
	for (i = 0; i < INITIAL_CAPACITY; i++)
		t->buckets[i] = PROBE_NONE;
	return true;
}

void probe_table_free(struct probe_table *t)
{
	free(t->probes);
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

uint32_t probe_table_find(const struct probe_table *t,
			  const struct probe_key *key)
{
	uint32_t i = t->buckets[key_hash(key) & t->bucket_mask];

	while (i != PROBE_NONE) {
		const struct probe *p = &t->probes[i];

		if (probe_key_equal(&p->key, key))
			return i;
		i = p->hash_next;
	}
	return PROBE_NONE;
}

uint32_t probe_table_insert(struct probe_table *t, const struct probe_key *key)
{
	struct probe *p;
	uint32_t i, h;

	if (t->count >= t->limit || probe_table_find(t, key) != PROBE_NONE)
		return PROBE_NONE;
	if (t->count >= t->bucket_mask + 1 && !grow_buckets(t))
		return PROBE_NONE;
	if (t->free_head != PROBE_NONE) {
		i = t->free_head;
		t->free_head = t->probes[i].hash_next;
	} else {
		if (t->used == t->capacity && !grow_slab(t))
			return PROBE_NONE;
		i = t->used++;
	}
	p = &t->probes[i];
	memset(p, 0, sizeof(*p));
	p->key = *key;
	p->in_use = 1;
	p->tq_prev = p->tq_next = PROBE_NONE;
	h = key_hash(key) & t->bucket_mask;
	p->hash_next = t->buckets[h];
	t->buckets[h] = i;
	t->count++;
	return i;
}

void probe_table_remove(struct probe_table *t, uint32_t index)
{
	struct probe *p = &t->probes[index];
	uint32_t *link = &t->buckets[key_hash(&p->key) & t->bucket_mask];

	if (!p->in_use)
		return;
	/* Chains are about one long, so finding the link is O(1). */
	while (*link != index && *link != PROBE_NONE)
		link = &t->probes[*link].hash_next;
	if (*link == index)
		*link = p->hash_next;
	p->in_use = 0;
	p->hash_next = t->free_head;
	t->free_head = index;
	t->count--;
}

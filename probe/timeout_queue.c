/*
 * timeout_queue.c: one deadline-ordered list per distinct timeout value.
 */
#include "timeout_queue.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_SLOTS 16u

bool timeout_set_init(struct timeout_set *s)
{
	memset(s, 0, sizeof(*s));
	s->slots = calloc(INITIAL_SLOTS, sizeof(*s->slots));
	if (!s->slots)
		return false;
	s->slot_mask = INITIAL_SLOTS - 1;
	return true;
}

void timeout_set_free(struct timeout_set *s)
{
	free(s->lists);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

static uint32_t slot_of(uint32_t ms, uint32_t mask)
{
	return (ms * 2654435761u) & mask;
}

/* Rehash into twice the slots so the table stays at most half full. */
static bool grow_slots(struct timeout_set *s)
{
	uint32_t n = (s->slot_mask + 1) * 2, id;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return false;
	for (id = 0; id < s->count; id++) {
		uint32_t h = slot_of(s->lists[id].ms, n - 1);

		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = id + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->slot_mask = n - 1;
	return true;
}

uint32_t timeout_set_list(struct timeout_set *s, uint32_t ms)
{
	uint32_t h = slot_of(ms, s->slot_mask);
	struct timeout_list *l;

	while (s->slots[h]) {
		if (s->lists[s->slots[h] - 1].ms == ms)
			return s->slots[h] - 1;
		h = (h + 1) & s->slot_mask;
	}
	if ((s->count + 1) * 2 > s->slot_mask + 1) {
		if (!grow_slots(s))
			return UINT32_MAX;
		return timeout_set_list(s, ms);
	}
	if (s->count == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 4;
		struct timeout_list *lists = realloc(s->lists,
						     cap * sizeof(*lists));

		if (!lists)
			return UINT32_MAX;
		s->lists = lists;
		s->cap = cap;
	}
	l = &s->lists[s->count];
	l->ms = ms;
	l->head = l->tail = PROBE_NONE;
	l->count = 0;
	l->timer = NULL;
	s->slots[h] = s->count + 1;
	return s->count++;
}

void timeout_list_push(struct timeout_set *s, uint32_t id,
		       struct probe_table *t, uint32_t i)
{
	struct timeout_list *l = &s->lists[id];
	struct probe *p = probe_table_at(t, i);

	p->tq_list = id;
	p->tq_next = PROBE_NONE;
	p->tq_prev = l->tail;
	if (l->tail != PROBE_NONE)
		probe_table_at(t, l->tail)->tq_next = i;
	else
		l->head = i;
	l->tail = i;
	l->count++;
}

void timeout_list_remove(struct timeout_set *s, struct probe_table *t,
			 uint32_t i)
{
	struct probe *p = probe_table_at(t, i);
	struct timeout_list *l = &s->lists[p->tq_list];

	if (p->tq_prev != PROBE_NONE)
		probe_table_at(t, p->tq_prev)->tq_next = p->tq_next;
	else
		l->head = p->tq_next;
	if (p->tq_next != PROBE_NONE)
		probe_table_at(t, p->tq_next)->tq_prev = p->tq_prev;
	else
		l->tail = p->tq_prev;
	p->tq_prev = p->tq_next = PROBE_NONE;
	l->count--;
}

/*
 * timeout_queue.h: no-reply deadlines in O(1).
 *
 * Every probe with the same timeout value expires in the order it was sent,
 * so one FIFO list per distinct timeout value is already sorted by
 * deadline ("be smart about timeouts" in the libev manual): the engine arms
 * one timer per list at its head's deadline.  Adding, removing and finding
 * the next expiry are O(1); lists are found by timeout value through a
 * small hash.  Values are in milliseconds (`timeout` is whole seconds,
 * `timeout-ms` any millisecond), so a list's deadlines are as exact as
 * the clock.  Links are probe indexes in the probe table.
 */
#ifndef HOPPROBE_TIMEOUT_QUEUE_H
#define HOPPROBE_TIMEOUT_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "probe_table.h"

struct timeout_list {
	uint32_t ms;		/* every probe's timeout, in milliseconds */
	uint32_t head;		/* earliest deadline, or PROBE_NONE */
	uint32_t tail;
	uint32_t count;
	void *timer;		/* the engine's timer for this list */
};

struct timeout_set {
	struct timeout_list *lists;	/* indexed by list id */
	uint32_t count;
	uint32_t cap;
	uint32_t *slots;	/* open-addressing hash: list id + 1, 0 empty */
	uint32_t slot_mask;
};

bool timeout_set_init(struct timeout_set *s);
void timeout_set_free(struct timeout_set *s);
/*
 * The id of the list for this timeout value, created when new; UINT32_MAX
 * when memory is short.  Ids stay valid for the life of the set (a list
 * whose probes are gone stays, ready for the next probe with that value).
 */
uint32_t timeout_set_list(struct timeout_set *s, uint32_t ms);

static inline struct timeout_list *timeout_set_at(struct timeout_set *s,
						  uint32_t id)
{
	return &s->lists[id];
}

/* Append probe index i (its deadline the latest in the list). */
void timeout_list_push(struct timeout_set *s, uint32_t id,
		       struct probe_table *t, uint32_t i);
/* Unlink probe index i from the list that holds it. */
void timeout_list_remove(struct timeout_set *s, struct probe_table *t,
			 uint32_t i);

#endif

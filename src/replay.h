/*
 * replay.h: hoptrace's JSON Lines records (--jsonl, schema_version 2)
 * read back into the events they were rendered from (events.h), so that a
 * recorded run can be fed to any renderer.
 *
 * The inverse of render_json.c's JSONL writer: every null goes back to the
 * "absent" encoding the event uses (flow -1, port 0, rtt_us -1, address
 * family 0, an extension's bit in hp_result.has clear...).  A hop record's
 * statistics are the renderer's, worked out from its probes; they are
 * checked for type and range and otherwise ignored.  A record is checked
 * against the schema as strictly as the schema itself: every field
 * required, no other field, every value of its type and range.
 */
#ifndef HOPTRACE_REPLAY_H
#define HOPTRACE_REPLAY_H

#include <stddef.h>

#include "events.h"

struct ht_replay;		/* owns the storage of the last event */

struct ht_replay *ht_replay_new(void);	/* NULL when out of memory */
void ht_replay_free(struct ht_replay *r);

/*
 * Parse one JSONL line (without or with its trailing newline).  Returns 1
 * with *EV filled (pointers inside valid until the next call or free), 0 for
 * a line that is empty or only white space, -1 with a one-line message in
 * ERR (naming what is wrong: "not JSON at byte 17", "schema_version 1, want
 * 2", "probe record without \"ttl\"", ...) for anything else.  Never
 * crashes, never reads past LEN, whatever the bytes.
 */
int ht_replay_line(struct ht_replay *r, const char *line, size_t len,
		   struct ht_event *ev, char *err, size_t errlen);

/*
 * "2026-12-01T20:30:00.123Z" (exactly that form, the one hoptrace writes)
 * as microseconds since the epoch in *US; 0, or -1 for anything else,
 * including a day the month does not have.
 */
int ht_replay_time(const char *s, size_t len, int64_t *us);

#endif

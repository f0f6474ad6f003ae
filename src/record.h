/*
 * record.h: hoptrace --record FILE: the run's JSON Lines records (what
 * --jsonl would print) written to FILE while the chosen format goes to
 * standard output, so that a run can be watched and kept at once and
 * replayed later (--replay, hoptrace diff).
 *
 * The records are rendered by the JSONL renderer the caller hands over, so
 * they are byte for byte those of --jsonl.  They are written when a good
 * amount has gathered and whenever the caller flushes (run.c does so each
 * time it writes standard output), so the file follows the run.
 */
#ifndef HOPTRACE_RECORD_H
#define HOPTRACE_RECORD_H

#include <stddef.h>

#include "events.h"
#include "render.h"

struct ht_record;

/*
 * Create or truncate PATH and record into it with JSONL, a JSONL renderer
 * that the record owns from now on (also when it fails; NULL means out of
 * memory).  NULL with a message in ERR ("--record out.jsonl: Permission
 * denied") when the file cannot be opened for writing.
 */
struct ht_record *ht_record_open(const char *path, struct ht_renderer *jsonl,
				 char *err, size_t errlen);

/* Render EV into the record, writing when enough has gathered; 0, or -1
 * once a write failed (ht_record_error says why; later calls do
 * nothing). */
int ht_record_event(struct ht_record *r, const struct ht_event *ev);
/* Write everything rendered so far; 0 or -1 as above. */
int ht_record_flush(struct ht_record *r);
/* Flush and close the file (R may be NULL); 0 or -1 as above. */
int ht_record_close(struct ht_record *r);
/* Why the record failed, in one line without "hoptrace: ". */
void ht_record_error(const struct ht_record *r, char *err, size_t errlen);
void ht_record_free(struct ht_record *r);

#endif

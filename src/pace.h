/*
 * pace.h: the client library's own spacing of requests to a worker under
 * hp_client_set_rate(), as arithmetic on times the caller passes in.
 *
 * A token bucket: tokens come at RATE a second, a request takes one, and
 * the bucket holds at most 10 ms worth (at least one token), as the
 * worker's own set-rate bucket does, so that what the library lets through
 * never waits in the worker's.  No clock, no loop, no globals.
 */
#ifndef HOPPROBE_PACE_H
#define HOPPROBE_PACE_H

#include <stdbool.h>

struct hp_pace {
	double rate;		/* tokens a second; 0: no limit */
	double burst;		/* the most tokens held */
	double tokens;
	double at;		/* when TOKENS was last brought up to date */
};

/* No limit. */
void hp_pace_init(struct hp_pace *p);
/*
 * RATE from NOW on (0 lifts the limit).  A bucket that had a limit keeps
 * its tokens, up to the new burst, so that setting the same rate again
 * gains nothing; one that had none starts full.
 */
void hp_pace_set(struct hp_pace *p, double rate, double now);
/* Whether a request may go at NOW. */
bool hp_pace_ready(const struct hp_pace *p, double now);
/* Take the token of one request sent at NOW (after hp_pace_ready). */
void hp_pace_take(struct hp_pace *p, double now);
/* When the next request may go: NOW or later. */
double hp_pace_due(const struct hp_pace *p, double now);

#endif

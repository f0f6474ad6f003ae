/*
 * rate_bucket.h: the arithmetic of set-rate (hopprobe(8), EXTENSIONS,
 * rate), apart from the clock and the loop.
 *
 * A token bucket: tokens come at the rate, one probe takes one, and the
 * bucket holds at most a burst of 10 ms worth of tokens (at least one), so
 * that no second ever carries more than 1% above the rate.  Probes that
 * wait are released half a burst at a time, so that the worker wakes
 * about two hundred times a second at most, and a wake-up up to 5 ms late
 * (a busy machine) still finds room in the bucket and costs no tokens.
 * Tokens are counted in billionths (one token is RATE_UNIT), so that a
 * refill over any number of nanoseconds is exact in integers.  Times are
 * nanoseconds of a monotonic clock, given by the caller.
 */
#ifndef HOPPROBE_RATE_BUCKET_H
#define HOPPROBE_RATE_BUCKET_H

#include <stdint.h>

#define RATE_UNIT 1000000000u		/* one token, in billionths */

struct rate_bucket {
	uint32_t pps;		/* tokens a second; 0: no limit */
	uint32_t burst;		/* the most tokens it holds */
	uint64_t credit;	/* tokens held, in billionths */
	uint64_t last_ns;	/* when credit was last brought up to date */
};

/*
 * From now on at most pps probes a second (0: no limit).  The bucket
 * keeps what it held, up to the new burst, so that repeating a set-rate
 * gains no tokens; a bucket that had no limit starts with a full burst.
 */
void rate_bucket_set(struct rate_bucket *b, uint32_t pps, uint64_t now_ns);

/* Take up to want tokens; returns how many were taken (want with no limit). */
uint32_t rate_bucket_take(struct rate_bucket *b, uint64_t now_ns,
			  uint32_t want);

/*
 * Nanoseconds from now_ns until want tokens are there, want cut to half
 * the burst, rounded up (0 when they are, or with no limit).  Rounded up
 * too, so that a wait of that long always finds them.
 */
uint64_t rate_bucket_wait_ns(const struct rate_bucket *b, uint64_t now_ns,
			     uint32_t want);

/*
 * The rate a request for asked gets under the build's ceiling (0: none):
 * never above the ceiling, and "no limit" (0) under a ceiling is the
 * ceiling.
 */
uint32_t rate_clamp(uint32_t asked, uint32_t ceiling);

#endif

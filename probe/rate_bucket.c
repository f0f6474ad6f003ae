/*
 * rate_bucket.c: token-bucket arithmetic for set-rate (rate_bucket.h).
 */
#include "rate_bucket.h"

/* A burst is this fraction of a second's tokens (10 ms). */
#define BURST_DIVISOR 100u

static uint32_t burst_for(uint32_t pps)
{
	uint32_t burst = pps / BURST_DIVISOR;

	return burst ? burst : 1;
}

/*
 * Credit the tokens that came since the last update.  A full bucket holds
 * the burst in whole tokens and keeps the part of the next one that has
 * come: a wake-up that comes late, as timers do, then costs no token,
 * which would slow the rate by the timer's lateness at every wake-up.
 * The burst is never more than a second's tokens, so a second always
 * fills the bucket: the elapsed time is cut there, which keeps
 * elapsed * pps far from overflow (at most 1e9 * 1e8 plus 1e15 of credit).
 */
static void refill(struct rate_bucket *b, uint64_t now_ns)
{
	uint64_t elapsed, full = ((uint64_t)b->burst + 1) * RATE_UNIT - 1;

	if (now_ns <= b->last_ns)
		return;
	elapsed = now_ns - b->last_ns;
	if (elapsed > RATE_UNIT)
		elapsed = RATE_UNIT;
	b->credit += elapsed * b->pps;
	if (b->credit > full)
		b->credit = full;
	b->last_ns = now_ns;
}

void rate_bucket_set(struct rate_bucket *b, uint32_t pps, uint64_t now_ns)
{
	if (b->pps == 0)
		b->credit = (uint64_t)burst_for(pps) * RATE_UNIT;
	else
		refill(b, now_ns);
	b->pps = pps;
	b->last_ns = now_ns;
	if (pps == 0) {
		b->burst = 0;
		b->credit = 0;
		return;
	}
	b->burst = burst_for(pps);
	if (b->credit > (uint64_t)b->burst * RATE_UNIT)
		b->credit = (uint64_t)b->burst * RATE_UNIT;
}

uint32_t rate_bucket_take(struct rate_bucket *b, uint64_t now_ns,
			  uint32_t want)
{
	uint64_t have;

	if (b->pps == 0)
		return want;
	refill(b, now_ns);
	have = b->credit / RATE_UNIT;
	if (have < want)
		want = (uint32_t)have;
	b->credit -= (uint64_t)want * RATE_UNIT;
	return want;
}

uint64_t rate_bucket_wait_ns(const struct rate_bucket *b, uint64_t now_ns,
			     uint32_t want)
{
	struct rate_bucket now = *b;
	uint64_t need;

	if (b->pps == 0)
		return 0;
	if (want > (b->burst + 1) / 2)
		want = (b->burst + 1) / 2;
	refill(&now, now_ns);
	need = (uint64_t)want * RATE_UNIT;
	if (now.credit >= need)
		return 0;
	return (need - now.credit + now.pps - 1) / now.pps;
}

uint32_t rate_clamp(uint32_t asked, uint32_t ceiling)
{
	if (ceiling == 0)
		return asked;
	if (asked == 0 || asked > ceiling)
		return ceiling;
	return asked;
}

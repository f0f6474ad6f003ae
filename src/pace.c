/*
 * pace.c: the library's token bucket (pace.h).
 */
#include "pace.h"

#define PACE_BURST_S 0.010

void hp_pace_init(struct hp_pace *p)
{
	p->rate = 0;
	p->burst = 0;
	p->tokens = 0;
	p->at = 0;
}

/* The tokens at NOW, without taking any. */
static double pace_tokens(const struct hp_pace *p, double now)
{
	double t = p->tokens;

	if (now > p->at)
		t += (now - p->at) * p->rate;
	return t < p->burst ? t : p->burst;
}

void hp_pace_set(struct hp_pace *p, double rate, double now)
{
	double had = p->rate > 0 ? pace_tokens(p, now) : -1;

	if (!(rate > 0)) {
		hp_pace_init(p);
		return;
	}
	p->rate = rate;
	p->burst = rate * PACE_BURST_S;
	if (p->burst < 1)
		p->burst = 1;
	p->tokens = had < 0 || had > p->burst ? p->burst : had;
	p->at = now;
}

bool hp_pace_ready(const struct hp_pace *p, double now)
{
	return p->rate <= 0 || pace_tokens(p, now) >= 1;
}

void hp_pace_take(struct hp_pace *p, double now)
{
	if (p->rate <= 0)
		return;
	p->tokens = pace_tokens(p, now) - 1;
	if (now > p->at)
		p->at = now;
}

double hp_pace_due(const struct hp_pace *p, double now)
{
	double t;

	if (p->rate <= 0)
		return now;
	t = pace_tokens(p, now);
	if (t >= 1)
		return now;
	return now + (1 - t) / p->rate;
}

/*
 * identity.c: a keyed 32-bit permutation (identity.h).
 *
 * A Feistel network is a bijection whatever its round function, so
 * uniqueness of the low halves needs no table; the round function only has
 * to mix well.
 * This is not a cipher against a determined cryptanalyst, it keeps an
 * observer of one probe from naming the next ones and keeps sequences of
 * different workers apart.
 */
#include "identity.h"

/* A 32-bit integer mix (multiply, xor-shift). */
static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

void identity_init(struct identity_gen *g,
		   const uint32_t key[IDENTITY_KEY_WORDS])
{
	int i;

	for (i = 0; i < IDENTITY_KEY_WORDS; i++)
		g->key[i] = key[i];
	g->counter = 0;
}

uint32_t identity_permute(const struct identity_gen *g, uint32_t n)
{
	uint32_t epoch = n >> 16;
	uint8_t left = (uint8_t)(n >> 8), right = (uint8_t)n, t;
	uint32_t high;
	int i;

	/* Four Feistel rounds over the low two bytes: a bijection. */
	for (i = 0; i < IDENTITY_KEY_WORDS; i++) {
		t = right;
		right = left ^ (uint8_t)(mix32(g->key[i] ^ (epoch << 8) ^
					       t) >> 11);
		left = t;
	}
	high = mix32(mix32(n ^ g->key[0]) ^ g->key[2]);
	return (high & 0xffff0000u) | (uint32_t)left << 8 | right;
}

uint32_t identity_next(struct identity_gen *g)
{
	return identity_permute(g, g->counter++);
}

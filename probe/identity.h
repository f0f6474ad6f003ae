/*
 * identity.h: per-probe identity values no one can predict.
 *
 * Each probe carries a 32-bit identity in its ICMP sequence number, UDP
 * checksum, TCP sequence number or SCTP tag.  Counting would make every
 * future identity known to anyone who sees one probe, and would let two
 * workers that share an ICMP id walk through the same sequence numbers.
 * Instead the n-th identity is keyed: its low 16 bits (all that the ICMP
 * sequence number and the TCP sequence number carry) are a permutation of
 * n mod 65536 (a four-round Feistel network over two bytes, keyed by the
 * worker's random key and by n / 65536), so any 65,536 consecutive probes
 * have distinct low halves, as a counter would give; the high 16 bits are
 * a keyed hash of n.  Without the key, one identity says nothing about the
 * next.  Pure; the key comes from the caller.
 */
#ifndef HOPPROBE_IDENTITY_H
#define HOPPROBE_IDENTITY_H

#include <stdint.h>

#define IDENTITY_KEY_WORDS 4

struct identity_gen {
	uint32_t key[IDENTITY_KEY_WORDS];
	uint32_t counter;
};

void identity_init(struct identity_gen *g,
		   const uint32_t key[IDENTITY_KEY_WORDS]);
/* The n-th identity. */
uint32_t identity_permute(const struct identity_gen *g, uint32_t n);
/* The next identity: identity_permute of the next counter value. */
uint32_t identity_next(struct identity_gen *g);

#endif

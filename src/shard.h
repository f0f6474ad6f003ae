/*
 * shard.h: splitting a target list between machines, as ZMap does
 * (--shard I/N --seed S), and prefixes written as targets.
 *
 * Pure: no I/O, no clock, no global state.  Every machine given the same
 * list and the same seed computes the same order, whatever its byte
 * order, so that shard I of N of one machine and shard J of another are
 * disjoint and the N shards together are the whole list.
 *
 * The order: each target's text is hashed with SipHash-2-4 (Aumasson and
 * Bernstein, "SipHash: a fast short-input PRF", 2012) under a key made
 * from the seed (ht_shard_key); the targets are sorted by that 64-bit
 * value, ties (the same text twice) by their position in the list.
 * Shard I of N is then the positions [floor(I*n/N), floor((I+1)*n/N))
 * of that order.
 */
#ifndef HOPTRACE_SHARD_H
#define HOPTRACE_SHARD_H

#include <stddef.h>
#include <stdint.h>

/* --shard's largest N, and a prefix's most addresses. */
#define HT_SHARD_MAX 65536u
#define HT_PREFIX_MAX_ADDRESSES 65536u

/* SipHash-2-4 of the LEN bytes at DATA under the 16-byte KEY (the paper's
 * k0 is KEY's first eight bytes read little-endian, k1 the next eight). */
uint64_t ht_siphash24(const unsigned char key[16], const void *data,
		      size_t len);

/* The key of SEED: SEED as eight little-endian bytes, then the eight
 * bytes of "hoptrace" (so that seed 0 is not the all-zero key). */
void ht_shard_key(uint64_t seed, unsigned char key[16]);

/*
 * ORDER[k] (room for N) = the index in TEXTS of the target at position k
 * of SEED's order.  0, or -1 when out of memory.
 */
int ht_shard_order(const char *const *texts, unsigned n, uint64_t seed,
		   unsigned *order);

/* The positions [*FROM, *TO) of shard INDEX of COUNT over N targets. */
void ht_shard_slice(unsigned n, unsigned index, unsigned count,
		    unsigned *from, unsigned *to);

/*
 * "I/N" (--shard) into *INDEX and *COUNT: I from 0 to N-1, N from 1 to
 * HT_SHARD_MAX, plain decimals.  0, or -1 with a message in ERR (no
 * option name: the caller adds it).
 */
int ht_shard_spec_parse(const char *arg, unsigned *index, unsigned *count,
			char *err, size_t errlen);

/*
 * "NAME/N" (--shard-from): NAME an environment variable's name (letters,
 * digits and '_', not starting with a digit, at most 64), N as above.
 * *NAME_LEN gets NAME's length.  0, or -1 with a message in ERR.
 */
int ht_shard_from_parse(const char *arg, size_t *name_len, unsigned *count,
			char *err, size_t errlen);

/*
 * The value VALUE (NULL: unset) of the variable NAME as the index of
 * COUNT shards: a decimal from 0 to COUNT-1.  0, or -1 with a message in
 * ERR that names the variable.
 */
int ht_shard_index_parse(const char *name, const char *value, unsigned count,
			 unsigned *index, char *err, size_t errlen);

/* --seed: a decimal from 0 to 2^64-1.  0, or -1 with a message in ERR. */
int ht_seed_parse(const char *arg, uint64_t *seed, char *err, size_t errlen);

/* An address prefix written as a target. */
struct ht_prefix {
	int family;			/* AF_INET or AF_INET6 */
	unsigned char base[16];		/* network order; IPv4 in base[0..3] */
	unsigned length;		/* prefix length */
	unsigned count;			/* addresses: 2^(bits - length) */
};

/*
 * TEXT as "ADDRESS/LENGTH": 0 when TEXT has no '/' (not a prefix), 1 with
 * *P filled, -1 with a message in ERR for a '/' that does not make a
 * prefix we trace: not an address, a bad length, more than
 * HT_PREFIX_MAX_ADDRESSES addresses, or a host part that is not zero.
 */
int ht_prefix_parse(const char *text, struct ht_prefix *p, char *err,
		    size_t errlen);

/* The text of address I (from 0, below P->count) of P, in address order:
 * network and broadcast addresses included. */
void ht_prefix_address(const struct ht_prefix *p, unsigned i, char *buf,
		       size_t len);

#endif

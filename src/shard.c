/*
 * shard.c: the seed's order of a target list, its slices, and prefixes
 * written as targets (shard.h).
 */
#include "err_text.h"
#include "shard.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- SipHash-2-4 --------------------------------------------------- */

static uint64_t rotl64(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

/* Bytes as a little-endian number, whatever the machine's order. */
static uint64_t load_le64(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

struct sip_state {
	uint64_t v0, v1, v2, v3;
};

static void sip_round(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = rotl64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl64(s->v2, 32);
}

/* One message word: c = 2 rounds of compression. */
static void sip_word(struct sip_state *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

uint64_t ht_siphash24(const unsigned char key[16], const void *data,
		      size_t len)
{
	const unsigned char *p = data;
	uint64_t k0 = load_le64(key, 8), k1 = load_le64(key + 8, 8), last;
	struct sip_state s;
	size_t whole = len - len % 8, i;

	/* The paper's constants: "somepseudorandomlygeneratedbytes". */
	s.v0 = k0 ^ UINT64_C(0x736f6d6570736575);
	s.v1 = k1 ^ UINT64_C(0x646f72616e646f6d);
	s.v2 = k0 ^ UINT64_C(0x6c7967656e657261);
	s.v3 = k1 ^ UINT64_C(0x7465646279746573);
	for (i = 0; i < whole; i += 8)
		sip_word(&s, load_le64(p + i, 8));
	/* The last word: the bytes left over, and the length mod 256 in
	 * its top byte. */
	last = load_le64(p + whole, len - whole) | ((uint64_t)(len & 0xff) << 56);
	sip_word(&s, last);
	/* d = 4 rounds of finalization. */
	s.v2 ^= 0xff;
	for (i = 0; i < 4; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

void ht_shard_key(uint64_t seed, unsigned char key[16])
{
	static const char tag[8] = { 'h', 'o', 'p', 't', 'r', 'a', 'c', 'e' };
	unsigned i;

	for (i = 0; i < 8; i++)
		key[i] = (unsigned char)(seed >> (8 * i));
	memcpy(key + 8, tag, sizeof(tag));
}

/* ---- the order and its slices -------------------------------------- */

struct keyed {
	uint64_t hash;
	unsigned position;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->position < y->position ? -1 : x->position > y->position;
}

int ht_shard_order(const char *const *texts, unsigned n, uint64_t seed,
		   unsigned *order)
{
	unsigned char key[16];
	struct keyed *k;
	unsigned i;

	if (n == 0)
		return 0;
	k = calloc(n, sizeof(*k));
	if (!k)
		return -1;
	ht_shard_key(seed, key);
	for (i = 0; i < n; i++) {
		k[i].hash = ht_siphash24(key, texts[i], strlen(texts[i]));
		k[i].position = i;
	}
	/* The position breaks every tie, so the sort's own instability
	 * cannot show. */
	qsort(k, n, sizeof(*k), keyed_cmp);
	for (i = 0; i < n; i++)
		order[i] = k[i].position;
	free(k);
	return 0;
}

void ht_shard_slice(unsigned n, unsigned index, unsigned count,
		    unsigned *from, unsigned *to)
{
	if (count == 0 || index >= count) {
		*from = *to = 0;
		return;
	}
	/* 64-bit products: n and count are both below 2^32. */
	*from = (unsigned)((uint64_t)index * n / count);
	*to = (unsigned)(((uint64_t)index + 1) * n / count);
}

/* ---- numbers ------------------------------------------------------- */

/* The user's text in a message: at most 40 bytes, control bytes as '?'. */
static const char *shown(const char *s, size_t n, char *buf, size_t len)
{
	size_t i, k = 0;

	for (i = 0; i < n && s[i] && k + 4 < len && i < 40; i++)
		buf[k++] = ((unsigned char)s[i] < 0x20 ||
			    (unsigned char)s[i] == 0x7f) ? '?' : s[i];
	if (i < n && s[i] && k + 4 <= len) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

/* The N bytes at S as a plain decimal no larger than MAX: no sign, no
 * space, no other base.  0, or -1. */
static int decimal(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* "N" after the '/' of --shard or --shard-from. */
static int shard_count_parse(const char *arg, const char *s,
			     unsigned *count, char *err, size_t errlen)
{
	uint64_t v;
	char b[48];

	if (decimal(s, strlen(s), HT_SHARD_MAX, &v) < 0 || v < 1) {
		ht_set_err(err, errlen, "'%s': the shard count is not a number "
			"from 1 to %u", shown(arg, strlen(arg), b, sizeof(b)),
			HT_SHARD_MAX);
		return -1;
	}
	*count = (unsigned)v;
	return 0;
}

int ht_shard_spec_parse(const char *arg, unsigned *index, unsigned *count,
			char *err, size_t errlen)
{
	const char *slash = strchr(arg, '/');
	uint64_t v;
	char b[48];

	if (!slash) {
		ht_set_err(err, errlen, "'%s' is not I/N (shard I, from 0, of N)",
			shown(arg, strlen(arg), b, sizeof(b)));
		return -1;
	}
	if (shard_count_parse(arg, slash + 1, count, err, errlen) < 0)
		return -1;
	if (decimal(arg, (size_t)(slash - arg), UINT64_MAX, &v) < 0 ||
	    v >= *count) {
		ht_set_err(err, errlen, "'%s': the shard index is not a number "
			"from 0 to %u", shown(arg, strlen(arg), b, sizeof(b)),
			*count - 1);
		return -1;
	}
	*index = (unsigned)v;
	return 0;
}

int ht_shard_from_parse(const char *arg, size_t *name_len, unsigned *count,
			char *err, size_t errlen)
{
	const char *slash = strrchr(arg, '/');
	size_t n, i;
	char b[48];

	if (!slash) {
		ht_set_err(err, errlen, "'%s' is not NAME/N (the index in the "
			"environment variable NAME, of N shards)",
			shown(arg, strlen(arg), b, sizeof(b)));
		return -1;
	}
	n = (size_t)(slash - arg);
	for (i = 0; i < n; i++) {
		char c = arg[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == '_' || (i > 0 && c >= '0' && c <= '9')))
			break;
	}
	if (n == 0 || i < n || n > 64) {
		ht_set_err(err, errlen, "'%s': NAME is not an environment "
			"variable's name (letters, digits and '_', not "
			"starting with a digit, at most 64)",
			shown(arg, strlen(arg), b, sizeof(b)));
		return -1;
	}
	if (shard_count_parse(arg, slash + 1, count, err, errlen) < 0)
		return -1;
	*name_len = n;
	return 0;
}

int ht_shard_index_parse(const char *name, const char *value, unsigned count,
			 unsigned *index, char *err, size_t errlen)
{
	uint64_t v;
	char b[48];

	if (!value) {
		ht_set_err(err, errlen, "the environment variable %s is not set: "
			"it holds this machine's shard index (0 to %u)", name,
			count - 1);
		return -1;
	}
	if (decimal(value, strlen(value), UINT64_MAX, &v) < 0 || v >= count) {
		ht_set_err(err, errlen, "the environment variable %s is '%s', "
			"not a shard index from 0 to %u", name,
			shown(value, strlen(value), b, sizeof(b)), count - 1);
		return -1;
	}
	*index = (unsigned)v;
	return 0;
}

int ht_seed_parse(const char *arg, uint64_t *seed, char *err, size_t errlen)
{
	char b[48];

	if (decimal(arg, strlen(arg), UINT64_MAX, seed) < 0) {
		ht_set_err(err, errlen, "'%s' is not a decimal number from 0 to "
			"18446744073709551615",
			shown(arg, strlen(arg), b, sizeof(b)));
		return -1;
	}
	return 0;
}

/* ---- prefixes ------------------------------------------------------ */

int ht_prefix_parse(const char *text, struct ht_prefix *p, char *err,
		    size_t errlen)
{
	const char *slash = strchr(text, '/');
	char addr[64], b[48], net[INET6_ADDRSTRLEN];
	size_t n;
	unsigned bits, host_bits, i;
	uint64_t len;

	if (!slash)
		return 0;
	memset(p, 0, sizeof(*p));
	n = (size_t)(slash - text);
	shown(text, strlen(text), b, sizeof(b));
	if (n == 0 || n >= sizeof(addr)) {
		ht_set_err(err, errlen, "target '%s' is not a prefix "
			"(ADDRESS/LENGTH)", b);
		return -1;
	}
	memcpy(addr, text, n);
	addr[n] = '\0';
	p->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(p->family, addr, p->base) != 1) {
		ht_set_err(err, errlen, "target '%s': '%s' before the '/' is not "
			"an IPv%c address", b, shown(addr, n, net, sizeof(net)),
			p->family == AF_INET ? '4' : '6');
		return -1;
	}
	bits = p->family == AF_INET ? 32 : 128;
	if (decimal(slash + 1, strlen(slash + 1), bits, &len) < 0) {
		ht_set_err(err, errlen, "target '%s': the prefix length is not a "
			"number from 0 to %u", b, bits);
		return -1;
	}
	p->length = (unsigned)len;
	host_bits = bits - p->length;
	if (host_bits > 16) {
		ht_set_err(err, errlen, "target '%s' holds more than %u "
			"addresses: at most a /%u", b,
			HT_PREFIX_MAX_ADDRESSES, bits - 16);
		return -1;
	}
	p->count = 1u << host_bits;
	/* Every bit past the length must be clear: 192.0.2.5/24 is more
	 * likely a slip than a wish for 192.0.2.0/24. */
	for (i = p->length; i < bits; i++) {
		if (p->base[i / 8] & (0x80u >> (i % 8))) {
			unsigned char clear[16];
			unsigned j;

			memcpy(clear, p->base, sizeof(clear));
			for (j = p->length; j < bits; j++)
				clear[j / 8] &= (unsigned char)~(0x80u >>
								 (j % 8));
			inet_ntop(p->family, clear, net, sizeof(net));
			ht_set_err(err, errlen, "target '%s': the host part is "
				"not zero (the prefix is %s/%u)", b, net,
				p->length);
			return -1;
		}
	}
	return 1;
}

void ht_prefix_address(const struct ht_prefix *p, unsigned i, char *buf,
		       size_t len)
{
	unsigned char a[16];
	size_t last = p->family == AF_INET ? 3 : 15;
	unsigned carry = i;
	size_t k;

	memcpy(a, p->base, sizeof(a));
	/* The host part is clear and I is below 2^host_bits: adding I to
	 * the low bytes never carries into the network part. */
	for (k = 0; k < 3 && carry; k++) {
		unsigned sum = a[last - k] + (carry & 0xff);

		a[last - k] = (unsigned char)sum;
		carry = (carry >> 8) + (sum >> 8);
	}
	if (!inet_ntop(p->family, a, buf, (socklen_t)len) && len)
		buf[0] = '\0';
}

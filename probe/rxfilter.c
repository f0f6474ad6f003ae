/*
 * rxfilter.c: the receive sockets' classic BPF programs.
 *
 * Every program has the same shape:
 *
 *	header:	IPv4: drop non-first fragments; X = IP header length
 *		IPv6: X = 0
 *	ports:	A = destination port at X + 2; one test per run of ports,
 *		each jumping to "what" on a match; none matched: drop
 *	what:	TCP: flags at X + 13 have ACK, and SYN or RST
 *		SCTP: first chunk type at X + 12 is INIT-ACK or ABORT
 *	accept, drop
 *
 * The kernel ends the program with "drop" when a load reaches past the
 * packet, so a truncated packet never passes a test it cannot hold.  The
 * IPv4 fragment test mirrors decode_ipv4: only a first fragment carries
 * the transport header (raw sockets get reassembled packets anyway).
 */

#include "rxfilter.h"

#include <string.h>

#define IPV4_FRAG_FIELD_AT	6	/* flags and fragment offset */
#define IPV4_FRAG_OFFSET_MASK	0x1fff
#define DST_PORT_AT		2	/* TCP and SCTP alike */
#define TCP_FLAGS_AT		13
#define TCP_FLAG_SYN		0x02
#define TCP_FLAG_RST		0x04
#define TCP_FLAG_ACK		0x10
#define SCTP_FIRST_CHUNK_AT	12	/* after the 12-byte common header */
#define SCTP_CHUNK_INIT_ACK	2
#define SCTP_CHUNK_ABORT	6
#define ACCEPT_WHOLE		0xffffffffu

/* Jump targets, resolved once the program is complete. */
enum label {
	LABEL_NONE = 0,		/* a literal offset */
	LABEL_WHAT,
	LABEL_ACCEPT,
	LABEL_DROP,
	LABEL_COUNT
};

struct emitter {
	struct sock_filter *prog;
	size_t cap, len;
	bool overflow;
	uint8_t jt_label[RXFILTER_MAX_INSNS];
	uint8_t jf_label[RXFILTER_MAX_INSNS];
	size_t at[LABEL_COUNT];
};

static void emit(struct emitter *em, uint16_t code, uint32_t k,
		 enum label jt, enum label jf)
{
	if (em->len >= em->cap || em->len >= RXFILTER_MAX_INSNS) {
		em->overflow = true;
		return;
	}
	em->prog[em->len] = (struct sock_filter)BPF_JUMP(code, k, 0, 0);
	em->jt_label[em->len] = (uint8_t)jt;
	em->jf_label[em->len] = (uint8_t)jf;
	em->len++;
}

/* A conditional jump whose false branch skips a literal count. */
static void emit_skip(struct emitter *em, uint16_t code, uint32_t k,
		      uint8_t jf_skip)
{
	emit(em, code, k, LABEL_NONE, LABEL_NONE);
	if (!em->overflow)
		em->prog[em->len - 1].jf = jf_skip;
}

static void place(struct emitter *em, enum label l)
{
	em->at[l] = em->len;
}

/* Classic BPF jumps only forward, by at most 255 instructions. */
static bool resolve(struct emitter *em)
{
	size_t i, off;

	for (i = 0; i < em->len; i++) {
		if (em->jt_label[i]) {
			off = em->at[em->jt_label[i]] - (i + 1);
			if (em->at[em->jt_label[i]] <= i || off > 255)
				return false;
			em->prog[i].jt = (uint8_t)off;
		}
		if (em->jf_label[i]) {
			off = em->at[em->jf_label[i]] - (i + 1);
			if (em->at[em->jf_label[i]] <= i || off > 255)
				return false;
			em->prog[i].jf = (uint8_t)off;
		}
	}
	return true;
}

struct port_range {
	uint16_t lo, hi;
};

#define PORT_SPACE 65536u
#define WORD_BITS 64u

/*
 * The ports as sorted, merged ranges, each port widened to its aligned
 * block; 0 ranges (fall back) when there are too many ports or ranges to
 * list.  A bitmap of blocks sorts and merges in one pass, without a sort:
 * this runs on every change of the set.
 */
static size_t port_ranges(const uint16_t *ports, size_t count,
			  unsigned block, struct port_range *out)
{
	uint64_t map[PORT_SPACE / WORD_BITS];
	size_t words = PORT_SPACE / block / WORD_BITS;
	size_t i, n = 0;
	uint32_t b, nblocks = PORT_SPACE / block;
	bool open = false;

	if (count > RXFILTER_MAX_PORTS)
		return 0;
	if (words == 0)
		words = 1;
	memset(map, 0, words * sizeof(map[0]));
	for (i = 0; i < count; i++) {
		b = ports[i] / block;
		map[b / WORD_BITS] |= (uint64_t)1 << (b % WORD_BITS);
	}
	for (b = 0; b < nblocks; b++) {
		bool set;

		if (!open && b % WORD_BITS == 0 && !map[b / WORD_BITS]) {
			b += WORD_BITS - 1;	/* a word of empty blocks */
			continue;
		}
		set = map[b / WORD_BITS] >> (b % WORD_BITS) & 1;
		if (set && !open) {
			if (n == RXFILTER_MAX_RUNS)
				return 0;
			out[n].lo = (uint16_t)(b * block);
			open = true;
		} else if (!set && open) {
			out[n++].hi = (uint16_t)(b * block - 1);
			open = false;
		}
	}
	if (open)
		out[n++].hi = (uint16_t)(PORT_SPACE - 1);
	return n;
}

/* One test per range: a lone port by equality, a run by lo <= A <= hi. */
static void emit_port_tests(struct emitter *em, const struct port_range *r,
			    size_t n)
{
	size_t i;

	emit(em, BPF_LD | BPF_H | BPF_IND, DST_PORT_AT, 0, 0);
	for (i = 0; i < n; i++) {
		if (r[i].lo == r[i].hi) {
			emit(em, BPF_JMP | BPF_JEQ | BPF_K, r[i].lo,
			     LABEL_WHAT, LABEL_NONE);
		} else {
			/* Below lo: skip the upper test to the next range. */
			emit_skip(em, BPF_JMP | BPF_JGE | BPF_K, r[i].lo, 1);
			emit(em, BPF_JMP | BPF_JGT | BPF_K, r[i].hi,
			     LABEL_NONE, LABEL_WHAT);
		}
	}
	emit(em, BPF_RET | BPF_K, 0, 0, 0);
}

size_t rxfilter_build(enum probe_proto proto, enum rxfilter_start start,
		      const uint16_t *ports, size_t count, unsigned block,
		      struct sock_filter *prog, size_t cap, bool *by_port)
{
	struct emitter em = { .prog = prog, .cap = cap };
	struct port_range ranges[RXFILTER_MAX_RUNS];
	size_t n = 0;
	bool listed;

	if (by_port)
		*by_port = false;
	if (proto != PROTO_TCP && proto != PROTO_SCTP)
		return 0;
	if (block == 0 || block > RXFILTER_MAX_BLOCK || (block & (block - 1)))
		return 0;
	/* No port at all is a set of zero ranges that still lists ports. */
	listed = ports && (count == 0 ||
			   (n = port_ranges(ports, count, block, ranges)) > 0);

	if (start == RXFILTER_AT_IPV4) {
		emit(&em, BPF_LD | BPF_H | BPF_ABS, IPV4_FRAG_FIELD_AT, 0, 0);
		emit(&em, BPF_JMP | BPF_JSET | BPF_K, IPV4_FRAG_OFFSET_MASK,
		     LABEL_DROP, LABEL_NONE);
		/* X = 4 * (IHL), from the low nibble of the first byte. */
		emit(&em, BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0);
	} else {
		emit(&em, BPF_LDX | BPF_W | BPF_IMM, 0, 0, 0);
	}
	if (listed)
		emit_port_tests(&em, ranges, n);

	place(&em, LABEL_WHAT);
	if (proto == PROTO_TCP) {
		emit(&em, BPF_LD | BPF_B | BPF_IND, TCP_FLAGS_AT, 0, 0);
		emit(&em, BPF_JMP | BPF_JSET | BPF_K, TCP_FLAG_ACK,
		     LABEL_NONE, LABEL_DROP);
		emit(&em, BPF_JMP | BPF_JSET | BPF_K,
		     TCP_FLAG_SYN | TCP_FLAG_RST, LABEL_ACCEPT, LABEL_DROP);
	} else {
		emit(&em, BPF_LD | BPF_B | BPF_IND, SCTP_FIRST_CHUNK_AT, 0, 0);
		emit(&em, BPF_JMP | BPF_JEQ | BPF_K, SCTP_CHUNK_INIT_ACK,
		     LABEL_ACCEPT, LABEL_NONE);
		emit(&em, BPF_JMP | BPF_JEQ | BPF_K, SCTP_CHUNK_ABORT,
		     LABEL_ACCEPT, LABEL_DROP);
	}
	place(&em, LABEL_ACCEPT);
	emit(&em, BPF_RET | BPF_K, ACCEPT_WHOLE, 0, 0);
	place(&em, LABEL_DROP);
	emit(&em, BPF_RET | BPF_K, 0, 0, 0);

	if (em.overflow || !resolve(&em))
		return 0;
	if (by_port)
		*by_port = listed;
	return em.len;
}

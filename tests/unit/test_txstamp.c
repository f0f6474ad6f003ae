/*
 * Unit tests for the transmit-timestamp parser (txstamp.h).
 *
 * The control data is laid out here byte by byte from the Linux ABI, not
 * with the CMSG_* macros the parser uses: each control message is a
 * header { size_t len; int level; int type; } padded to the alignment of
 * size_t, then its payload, padded likewise (cmsg(3)); the numbers are
 * Linux's (SOL_SOCKET 1, SO_TIMESTAMPING 37 and its 64-bit-time twin 65,
 * IPPROTO_IP 0 with IP_RECVERR 11, IPPROTO_IPV6 41 with IPV6_RECVERR 25,
 * ENOMSG 42, SO_EE_ORIGIN_TIMESTAMPING 4, SCM_TSTAMP_SND 0 and
 * SCM_TSTAMP_SCHED 1); struct sock_extended_err is u32 errno, u8 origin,
 * type, code, pad, u32 info, u32 data, followed by the offender's address
 * (zero for a timestamp); struct scm_timestamping is three timespecs,
 * software first, hardware last.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "txstamp.h"

#define WORD sizeof(size_t)

static size_t align_up(size_t n)
{
	return (n + WORD - 1) / WORD * WORD;
}

static size_t header_len(void)
{
	return align_up(WORD + 2 * sizeof(int32_t));
}

/* Append one control message at off; returns the offset after it. */
static size_t put(uint8_t *buf, size_t off, int32_t level, int32_t type,
		  const void *data, size_t len)
{
	size_t total = header_len() + len;

	memset(buf + off, 0, align_up(total));
	memcpy(buf + off, &total, WORD);
	memcpy(buf + off + WORD, &level, 4);
	memcpy(buf + off + WORD + 4, &type, 4);
	memcpy(buf + off + header_len(), data, len);
	return off + align_up(total);
}

/* An extended error and a zero offender of the family's size. */
static size_t put_ee(uint8_t *buf, size_t off, bool v6, uint32_t err,
		     uint8_t origin, uint32_t info, uint32_t key)
{
	uint8_t ee[16 + 28];
	size_t len = 16 + (v6 ? 28 : 16);

	memset(ee, 0, sizeof(ee));
	memcpy(ee, &err, 4);
	ee[4] = origin;
	memcpy(ee + 8, &info, 4);
	memcpy(ee + 12, &key, 4);
	return put(buf, off, v6 ? 41 : 0, v6 ? 25 : 11, ee, len);
}

/* struct scm_timestamping: the old layout (two longs per stamp, type 37)
   or the 64-bit one (type 65); stamp k gets sec, nsec. */
static size_t put_ts(uint8_t *buf, size_t off, bool wide, int k,
		     int64_t sec, int64_t nsec, size_t cut)
{
	uint8_t ts[3 * 16];
	size_t one = wide ? 16 : 2 * sizeof(long);
	size_t len = 3 * one;

	memset(ts, 0, sizeof(ts));
	if (wide) {
		memcpy(ts + k * one, &sec, 8);
		memcpy(ts + k * one + 8, &nsec, 8);
	} else {
		long s = (long)sec, n = (long)nsec;

		memcpy(ts + k * one, &s, sizeof(s));
		memcpy(ts + k * one + sizeof(s), &n, sizeof(n));
	}
	return put(buf, off, 1, wide ? 65 : 37, ts, len - cut);
}

struct acceptance {
	const char *what;
	bool v6;		/* IPV6_RECVERR rather than IP_RECVERR */
	bool wide;		/* the 64-bit layout (type 65) */
	bool error_first;	/* the extended error before the stamps */
	int64_t sec, nsec;
	uint32_t key;
};

/* Software transmit stamps, in each layout and order the kernel uses. */
static const struct acceptance acceptances[] = {
	{ "IPv4, stamps first", false, false, false, 1700000000, 123456789,
	  7 },
	{ "IPv6, error first", true, false, true, 1, 999999999,
	  0xfffffffeu },
	{ "IPv4, 64-bit layout", false, true, false, 1800000000, 5, 1 },
	{ "IPv6, 64-bit layout, error first", true, true, true, 1700000000,
	  0, 65536 },
};

static void test_acceptances(void **state)
{
	uint8_t buf[256];
	struct txstamp t;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(acceptances) / sizeof(acceptances[0]); i++) {
		const struct acceptance *a = &acceptances[i];

		if (a->error_first) {
			n = put_ee(buf, 0, a->v6, 42, 4, 0, a->key);
			n = put_ts(buf, n, a->wide, 0, a->sec, a->nsec, 0);
		} else {
			n = put_ts(buf, 0, a->wide, 0, a->sec, a->nsec, 0);
			n = put_ee(buf, n, a->v6, 42, 4, 0, a->key);
		}
		if (!txstamp_parse(buf, n, &t))
			fail_msg("refused: %s", a->what);
		assert_int_equal(t.key, a->key);
		assert_int_equal(t.when.tv_sec, a->sec);
		assert_int_equal(t.when.tv_nsec, a->nsec);
	}
}

/* A receive timestamp (SO_TIMESTAMPNS, 35) before is ignored. */
static void test_other_cmsg_ignored(void **state)
{
	uint8_t buf[256];
	int64_t ns[2] = { 3, 4 };
	struct txstamp t;
	size_t n;

	(void)state;
	n = put(buf, 0, 1, 35, ns, sizeof(ns));
	n = put_ts(buf, n, false, 0, 1700000001, 1, 0);
	n = put_ee(buf, n, false, 42, 4, 0, 9);
	assert_true(txstamp_parse(buf, n, &t));
	assert_int_equal(t.key, 9);
	assert_int_equal(t.when.tv_sec, 1700000001);
}

struct refusal {
	const char *what;
	bool v6;
	uint32_t err;
	uint8_t origin;
	uint32_t info;
	int slot;		/* which of the three stamps is set */
	int64_t nsec;
	size_t ts_cut;		/* bytes missing from the timestamps */
};

/* Messages that are not a software transmit stamp. */
static const struct refusal refusals[] = {
	{ "ICMP error (origin 2, EHOSTUNREACH)", false, 113, 2, 0, 0, 1, 0 },
	{ "ICMPv6 error (origin 3)", true, 113, 3, 0, 0, 1, 0 },
	{ "local error (origin 1, EMSGSIZE)", false, 90, 1, 0, 0, 1, 0 },
	{ "timestamp origin but errno 0", false, 0, 4, 0, 0, 1, 0 },
	{ "scheduler stamp (SCM_TSTAMP_SCHED)", false, 42, 4, 1, 0, 1, 0 },
	{ "acknowledgement stamp (SCM_TSTAMP_ACK)", false, 42, 4, 2, 0, 1, 0 },
	{ "hardware stamp only (ts[2])", false, 42, 4, 0, 2, 1, 0 },
	{ "nanoseconds out of range", false, 42, 4, 0, 0, 1000000000, 0 },
	{ "negative nanoseconds", false, 42, 4, 0, 0, -1, 0 },
	{ "timestamps one byte short", false, 42, 4, 0, 0, 1, 1 },
	{ "timestamps half missing", true, 42, 4, 0, 0, 1, 24 },
};

static void test_refusals(void **state)
{
	uint8_t buf[256];
	struct txstamp t;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *r = &refusals[i];

		n = put_ts(buf, 0, false, r->slot, 1700000000, r->nsec,
			   r->ts_cut);
		n = put_ee(buf, n, r->v6, r->err, r->origin, r->info, 5);
		if (txstamp_parse(buf, n, &t))
			fail_msg("accepted: %s", r->what);
	}
}

static void test_missing_parts(void **state)
{
	uint8_t buf[256], ee[8] = { 42, 0, 0, 0, 4, 0, 0, 0 };
	struct txstamp t;
	size_t n, full;

	(void)state;
	/* The timestamps alone, the error alone. */
	n = put_ts(buf, 0, false, 0, 1700000000, 1, 0);
	assert_false(txstamp_parse(buf, n, &t));
	n = put_ee(buf, 0, false, 42, 4, 0, 5);
	assert_false(txstamp_parse(buf, n, &t));
	/* An extended error cut to 8 bytes. */
	n = put_ts(buf, 0, false, 0, 1700000000, 1, 0);
	n = put(buf, n, 0, 11, ee, sizeof(ee));
	assert_false(txstamp_parse(buf, n, &t));
	/* Control data cut anywhere inside the second message. */
	n = put_ts(buf, 0, false, 0, 1700000000, 1, 0);
	full = put_ee(buf, n, false, 42, 4, 0, 5);
	for (; n < full; n++)
		assert_false(txstamp_parse(buf, n, &t));
	assert_false(txstamp_parse(NULL, full, &t));
	assert_false(txstamp_parse(buf, 0, &t));
}

/* Header lengths that lie: past the buffer, or shorter than a header. */
static void test_bad_lengths(void **state)
{
	uint8_t buf[256];
	struct txstamp t;
	size_t n, second, bad;

	(void)state;
	second = put_ts(buf, 0, false, 0, 1700000000, 1, 0);
	n = put_ee(buf, second, false, 42, 4, 0, 5);
	assert_true(txstamp_parse(buf, n, &t));
	bad = n - second + 1;
	memcpy(buf + second, &bad, WORD);
	assert_false(txstamp_parse(buf, n, &t));
	bad = WORD;
	memcpy(buf + second, &bad, WORD);
	assert_false(txstamp_parse(buf, n, &t));
	bad = 0;
	memcpy(buf, &bad, WORD);
	assert_false(txstamp_parse(buf, n, &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acceptances),
		cmocka_unit_test(test_other_cmsg_ignored),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_missing_parts),
		cmocka_unit_test(test_bad_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

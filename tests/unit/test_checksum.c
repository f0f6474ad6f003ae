/*
 * test_checksum.c: the Internet checksum against RFC 1071's worked example
 * and hand-summed cases, CRC32c against the RFC 3720 B.4 vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checksum.h"

/* RFC 1071 section 3: these bytes sum to 0x2ddf0, folded 0xddf2. */
static const uint8_t rfc1071_bytes[] = {
	0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7,
};

/* The test's own fold, so that sums are checked in their folded form. */
static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void test_rfc1071_example(void **state)
{
	(void)state;
	assert_int_equal(fold(inet_sum_add(0, rfc1071_bytes,
					   sizeof(rfc1071_bytes))), 0xddf2);
	assert_int_equal(inet_checksum(rfc1071_bytes, sizeof(rfc1071_bytes)),
			 0x220d);
}

/* Hand-summed cases, odd lengths among them (the last byte is padded). */
static void test_inet_checksum_table(void **state)
{
	static const struct {
		const char *name;
		uint8_t data[8];
		size_t len;
		uint16_t want;
	} cases[] = {
		{ "empty", { 0 }, 0, 0xffff },
		{ "one byte", { 0x01 }, 1, 0xfeff },		/* 0x0100 */
		{ "three bytes", { 0x01, 0x02, 0x03 }, 3, 0xfbfd },
		{ "odd carry", { 0xff, 0xff, 0xff }, 3, 0x00ff },
		{ "all ones", { 0xff, 0xff, 0xff, 0xff }, 4, 0x0000 },
		{ "zeros", { 0, 0, 0, 0, 0 }, 5, 0xffff },
		{ "carry chain", { 0x80, 0x00, 0x80, 0x00, 0x80, 0x00 }, 6,
		  0x7ffe },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%s\n", cases[i].name);
		assert_int_equal(inet_checksum(cases[i].data, cases[i].len),
				 cases[i].want);
	}
}

/*
 * A packet with its checksum field filled in sums to all ones, so that
 * its checksum comes out as zero (RFC 1071 section 1).  The header is
 * RFC 791 style, from the documentation ranges.
 */
static void test_inet_checksum_verifies(void **state)
{
	uint8_t hdr[20] = {
		0x45, 0x00, 0x00, 0x54, 0xab, 0xcd, 0x00, 0x00,
		0x40, 0x01, 0x00, 0x00, 192, 0, 2, 10, 203, 0, 113, 9,
	};
	uint16_t c;

	(void)state;
	c = inet_checksum(hdr, sizeof(hdr));
	hdr[10] = (uint8_t)(c >> 8);
	hdr[11] = (uint8_t)c;
	assert_int_equal(inet_checksum(hdr, sizeof(hdr)), 0);
	hdr[0] ^= 1;
	assert_int_not_equal(inet_checksum(hdr, sizeof(hdr)), 0);
}

/* Summing in even-length pieces, and an odd last piece, is the same sum. */
static void test_inet_sum_chained(void **state)
{
	static const uint8_t data[] = {
		0x45, 0x00, 0x12, 0x34, 0xff, 0xfe, 0x00, 0x01, 0x80, 0x7f,
		0x3c, 0xd2, 0x01,
	};
	uint16_t whole = inet_checksum(data, sizeof(data));
	uint32_t sum;
	size_t k;

	(void)state;
	assert_int_equal(whole, 0xea79);
	for (k = 0; k <= sizeof(data); k += 2) {
		sum = inet_sum_add(0, data, k);
		sum = inet_sum_add(sum, data + k, sizeof(data) - k);
		assert_int_equal(inet_sum_finish(sum), whole);
	}
	/* Three pieces. */
	sum = inet_sum_add(0, data, 4);
	sum = inet_sum_add(sum, data + 4, 6);
	sum = inet_sum_add(sum, data + 10, 3);
	assert_int_equal(inet_sum_finish(sum), whole);
	/* The RFC 1071 example, pieced. */
	sum = inet_sum_add(0, rfc1071_bytes, 2);
	sum = inet_sum_add(sum, rfc1071_bytes + 2, 6);
	assert_int_equal(inet_sum_finish(sum), 0x220d);
}

/* The accumulator's carries are not lost, whatever it starts from. */
static void test_inet_sum_carries(void **state)
{
	static const uint8_t one[] = { 0x00, 0x01 };
	uint8_t *big;
	size_t len = 1 << 20;

	(void)state;
	/* 0xffffffff is 0 in one's complement: 0 + 1 -> checksum 0xfffe. */
	assert_int_equal(inet_sum_finish(inet_sum_add(0xffffffffu, one, 2)),
			 0xfffe);
	assert_int_equal(inet_sum_finish(0), 0xffff);
	assert_int_equal(inet_sum_finish(0xffff), 0);
	assert_int_equal(inet_sum_finish(0x1fffe), 0);
	assert_int_equal(inet_sum_finish(0xffffffffu), 0);
	assert_int_equal(inet_sum_finish(0x00012345), 0xdcb9);

	/* A megabyte of 0xff sums to all ones: checksum zero. */
	big = malloc(len);
	assert_non_null(big);
	memset(big, 0xff, len);
	assert_int_equal(inet_checksum(big, len), 0);
	/* A megabyte of 0x01: 2^19 words of 0x0101; as 2^16 = 1 (mod 0xffff)
	   that is 8 * 0x0101 = 0x0808, so the checksum is 0xf7f7. */
	memset(big, 0x01, len);
	assert_int_equal(inet_checksum(big, len), 0xf7f7);
	free(big);
}

/* RFC 3720 appendix B.4, plus the customary check value. */
static void test_crc32c_vectors(void **state)
{
	static const uint8_t iscsi_read[48] = {
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
		0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
		0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	uint8_t zeros[32], ones[32], inc[32], dec[32];
	size_t i;

	(void)state;
	memset(zeros, 0, sizeof(zeros));
	memset(ones, 0xff, sizeof(ones));
	for (i = 0; i < 32; i++) {
		inc[i] = (uint8_t)i;
		dec[i] = (uint8_t)(31 - i);
	}
	/*
	 * The RFC lists each CRC as its bytes are sent, least significant
	 * first: aa 36 91 8a, 43 ab a8 62, 4e 79 dd 46, 5c db 3f 11 and
	 * 56 3a 96 d9.
	 */
	assert_int_equal(crc32c(0, zeros, 32), 0x8a9136aa);
	assert_int_equal(crc32c(0, ones, 32), 0x62a8ab43);
	assert_int_equal(crc32c(0, inc, 32), 0x46dd794e);
	assert_int_equal(crc32c(0, dec, 32), 0x113fdb5c);
	assert_int_equal(crc32c(0, iscsi_read, 48), 0xd9963a56);
	assert_int_equal(crc32c(0, "123456789", 9), 0xe3069283);
	assert_int_equal(crc32c(0, "", 0), 0);
}

static void test_crc32c_chained(void **state)
{
	static const char text[] = "123456789";
	size_t k;

	(void)state;
	for (k = 0; k <= 9; k++)
		assert_int_equal(crc32c(crc32c(0, text, k), text + k, 9 - k),
				 0xe3069283);
	/* A single flipped bit changes the CRC. */
	assert_int_not_equal(crc32c(0, "123456788", 9), 0xe3069283);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_inet_checksum_table),
		cmocka_unit_test(test_inet_checksum_verifies),
		cmocka_unit_test(test_inet_sum_chained),
		cmocka_unit_test(test_inet_sum_carries),
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_crc32c_chained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

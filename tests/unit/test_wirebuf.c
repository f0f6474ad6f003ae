/*
 * test_wirebuf.c: every reader and writer call, at and past the end of the
 * buffer, and the stickiness of the error flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wirebuf.h"

static const uint8_t sample[] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc,
};

#define GUARD 0xee

/* ---- reader ------------------------------------------------------------ */

static void test_read_in_order(void **state)
{
	struct wire_reader r;
	uint8_t u8, bytes[3];
	uint16_t u16;
	uint32_t u32;

	(void)state;
	wire_reader_init(&r, sample, sizeof(sample));
	assert_int_equal(wire_remaining(&r), 10);
	assert_ptr_equal(wire_cursor(&r), sample);
	assert_false(r.error);

	assert_true(wire_read_u8(&r, &u8));
	assert_int_equal(u8, 0x01);
	assert_true(wire_read_u16(&r, &u16));
	assert_int_equal(u16, 0x2345);		/* network byte order */
	assert_true(wire_read_u32(&r, &u32));
	assert_int_equal(u32, 0x6789abcd);
	assert_int_equal(wire_remaining(&r), 3);
	assert_ptr_equal(wire_cursor(&r), sample + 7);
	assert_true(wire_read_bytes(&r, bytes, 3));
	assert_int_equal(bytes[0], 0xef);
	assert_int_equal(bytes[2], 0xdc);
	assert_int_equal(wire_remaining(&r), 0);
	assert_false(r.error);

	/* Reading nothing at the end is fine, even into nowhere. */
	assert_true(wire_read_bytes(&r, NULL, 0));
	assert_true(wire_skip(&r, 0));
	assert_false(r.error);
}

/* Each kind of read, one byte short; then nothing else succeeds. */
static void test_read_past_end(void **state)
{
	static const struct {
		const char *name;
		size_t len;		/* bytes available */
		int kind;	/* 0 u8, 1 u16, 2 u32, 3 bytes(4), 4 skip(4) */
	} cases[] = {
		{ "u8 of 0", 0, 0 }, { "u16 of 1", 1, 1 }, { "u32 of 3", 3, 2 },
		{ "bytes 4 of 3", 3, 3 }, { "skip 4 of 3", 3, 4 },
	};
	struct wire_reader r;
	uint8_t u8, bytes[4];
	uint16_t u16;
	uint32_t u32;
	bool ok = true;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%s\n", cases[i].name);
		wire_reader_init(&r, sample, cases[i].len);
		switch (cases[i].kind) {
		case 0: ok = wire_read_u8(&r, &u8); break;
		case 1: ok = wire_read_u16(&r, &u16); break;
		case 2: ok = wire_read_u32(&r, &u32); break;
		case 3: ok = wire_read_bytes(&r, bytes, 4); break;
		case 4: ok = wire_skip(&r, 4); break;
		}
		assert_false(ok);
		assert_true(r.error);
		assert_int_equal(r.pos, 0);
		/* Sticky: not even a read of nothing succeeds now. */
		assert_false(wire_read_bytes(&r, bytes, 0));
		assert_false(wire_skip(&r, 0));
		assert_false(wire_seek(&r, 0));
		assert_true(r.error);
	}
}

/* After a failed read, reads that would fit fail too. */
static void test_read_error_sticky(void **state)
{
	struct wire_reader r;
	uint32_t u32;
	uint16_t u16;
	uint8_t u8;

	(void)state;
	wire_reader_init(&r, sample, 2);
	assert_false(wire_read_u32(&r, &u32));
	assert_false(wire_read_u16(&r, &u16));
	assert_false(wire_read_u8(&r, &u8));
	assert_true(r.error);
}

/* A huge length must not wrap around the bounds check. */
static void test_read_huge(void **state)
{
	struct wire_reader r;

	(void)state;
	wire_reader_init(&r, sample, sizeof(sample));
	assert_true(wire_skip(&r, 4));
	assert_false(wire_skip(&r, SIZE_MAX));
	assert_true(r.error);
	wire_reader_init(&r, sample, sizeof(sample));
	assert_false(wire_seek(&r, SIZE_MAX));
	wire_reader_init(&r, sample, sizeof(sample));
	assert_true(wire_skip(&r, 1));
	assert_false(wire_read_bytes(&r, NULL, SIZE_MAX));
}

static void test_reader_null(void **state)
{
	struct wire_reader r;
	uint8_t u8;

	(void)state;
	/* No data means no bytes, whatever length comes with it. */
	wire_reader_init(&r, NULL, 100);
	assert_int_equal(wire_remaining(&r), 0);
	assert_false(wire_read_u8(&r, &u8));
	assert_true(r.error);
}

static void test_skip_and_seek(void **state)
{
	struct wire_reader r;
	uint8_t u8;

	(void)state;
	wire_reader_init(&r, sample, sizeof(sample));
	assert_true(wire_skip(&r, 9));
	assert_true(wire_read_u8(&r, &u8));
	assert_int_equal(u8, 0xdc);

	/* Backwards, forwards, and to the very end. */
	assert_true(wire_seek(&r, 2));
	assert_true(wire_read_u8(&r, &u8));
	assert_int_equal(u8, 0x45);
	assert_true(wire_seek(&r, 10));
	assert_int_equal(wire_remaining(&r), 0);
	assert_true(wire_seek(&r, 0));
	assert_int_equal(wire_remaining(&r), 10);

	/* One past the end fails for good. */
	assert_false(wire_seek(&r, 11));
	assert_true(r.error);
	assert_false(wire_seek(&r, 0));
	assert_false(wire_read_u8(&r, &u8));
}

static void test_sub(void **state)
{
	struct wire_reader r, sub;
	uint16_t u16;
	uint8_t u8;

	(void)state;
	wire_reader_init(&r, sample, sizeof(sample));
	assert_true(wire_skip(&r, 1));
	assert_true(wire_sub(&r, 4, &sub));
	assert_int_equal(wire_remaining(&r), 5);
	assert_ptr_equal(wire_cursor(&r), sample + 5);

	/* The sub-reader sees exactly its four bytes, from its own zero. */
	assert_int_equal(wire_remaining(&sub), 4);
	assert_ptr_equal(wire_cursor(&sub), sample + 1);
	assert_true(wire_read_u16(&sub, &u16));
	assert_int_equal(u16, 0x2345);
	assert_true(wire_seek(&sub, 3));
	assert_true(wire_read_u8(&sub, &u8));
	assert_int_equal(u8, 0x89);
	assert_false(wire_seek(&sub, 5));
	assert_false(wire_read_u8(&sub, &u8));
	assert_true(sub.error);

	/* Its failure is its own: the parent reads on. */
	assert_false(r.error);
	assert_true(wire_read_u8(&r, &u8));
	assert_int_equal(u8, 0xab);

	/* Carving nothing at all is fine. */
	assert_true(wire_sub(&r, 0, &sub));
	assert_int_equal(wire_remaining(&sub), 0);
}

/* A sub-reader too long fails, touching nothing but the error flag. */
static void test_sub_past_end(void **state)
{
	struct wire_reader r, sub, before;

	(void)state;
	wire_reader_init(&r, sample, sizeof(sample));
	assert_true(wire_skip(&r, 7));
	memset(&sub, 0x5a, sizeof(sub));
	memcpy(&before, &sub, sizeof(sub));
	assert_false(wire_sub(&r, 4, &sub));
	assert_true(r.error);
	assert_int_equal(r.pos, 7);
	assert_memory_equal(&sub, &before, sizeof(sub));

	/* And stays failed for one that would have fitted. */
	assert_false(wire_sub(&r, 1, &sub));
	assert_memory_equal(&sub, &before, sizeof(sub));

	wire_reader_init(&r, sample, sizeof(sample));
	assert_false(wire_sub(&r, SIZE_MAX, &sub));
	assert_memory_equal(&sub, &before, sizeof(sub));
}

static void test_rest(void **state)
{
	struct wire_reader r, sub;
	uint32_t u32;
	uint8_t u8;

	(void)state;
	wire_reader_init(&r, sample, sizeof(sample));
	assert_true(wire_skip(&r, 6));
	wire_rest(&r, &sub);
	assert_int_equal(wire_remaining(&r), 0);
	assert_false(r.error);
	assert_int_equal(wire_remaining(&sub), 4);
	assert_false(sub.error);
	assert_true(wire_read_u32(&sub, &u32));
	assert_int_equal(u32, 0xcdeffedc);
	assert_false(wire_read_u8(&sub, &u8));

	/* The rest of nothing is an empty reader, not an error. */
	wire_rest(&r, &sub);
	assert_int_equal(wire_remaining(&sub), 0);
	assert_false(sub.error);
	assert_false(r.error);

	/* The rest of a failed reader is empty. */
	wire_reader_init(&r, sample, 2);
	assert_false(wire_read_u32(&r, &u32));
	wire_rest(&r, &sub);
	assert_int_equal(wire_remaining(&sub), 0);
	assert_false(wire_read_u8(&sub, &u8));
	assert_true(r.error);
}

/* ---- writer ------------------------------------------------------------ */

static void test_write_in_order(void **state)
{
	static const uint8_t want[] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd,
		0xde, 0xad, 0x77, 0x77, 0x77,
	};
	static const uint8_t two[] = { 0xde, 0xad };
	uint8_t buf[16];
	struct wire_writer w;

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	wire_writer_init(&w, buf, sizeof(buf));
	assert_true(wire_write_u8(&w, 0x01));
	assert_true(wire_write_u16(&w, 0x2345));
	assert_true(wire_write_u32(&w, 0x6789abcd));
	assert_true(wire_write_bytes(&w, two, 2));
	assert_true(wire_write_fill(&w, 0x77, 3));
	assert_true(wire_write_bytes(&w, NULL, 0));
	assert_true(wire_write_fill(&w, 0x11, 0));
	assert_int_equal(w.pos, sizeof(want));
	assert_false(w.error);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[sizeof(want)], GUARD);
}

/* Each kind of write, one byte short of room; then nothing else fits. */
static void test_write_past_end(void **state)
{
	static const struct {
		const char *name;
		size_t cap;
		int kind;	/* 0 u8, 1 u16, 2 u32, 3 bytes(4), 4 fill(4) */
	} cases[] = {
		{ "u8 in 0", 0, 0 }, { "u16 in 1", 1, 1 }, { "u32 in 3", 3, 2 },
		{ "bytes 4 in 3", 3, 3 }, { "fill 4 in 3", 3, 4 },
	};
	static const uint8_t four[] = { 1, 2, 3, 4 };
	uint8_t buf[8];
	struct wire_writer w;
	bool ok = true;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%s\n", cases[i].name);
		memset(buf, GUARD, sizeof(buf));
		wire_writer_init(&w, buf, cases[i].cap);
		switch (cases[i].kind) {
		case 0: ok = wire_write_u8(&w, 0x12); break;
		case 1: ok = wire_write_u16(&w, 0x1234); break;
		case 2: ok = wire_write_u32(&w, 0x12345678); break;
		case 3: ok = wire_write_bytes(&w, four, 4); break;
		case 4: ok = wire_write_fill(&w, 0x12, 4); break;
		}
		assert_false(ok);
		assert_true(w.error);
		assert_int_equal(w.pos, 0);
		/* Sticky: not even a write of nothing succeeds now. */
		assert_false(wire_write_bytes(&w, NULL, 0));
		assert_false(wire_write_u8(&w, 0x12));
		/* And not a byte was written. */
		for (j = 0; j < sizeof(buf); j++)
			assert_int_equal(buf[j], GUARD);
	}
}

static void test_write_exact_fit(void **state)
{
	uint8_t buf[8];
	struct wire_writer w;

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	wire_writer_init(&w, buf, 7);
	assert_true(wire_write_u32(&w, 0xa1a2a3a4));
	assert_true(wire_write_u16(&w, 0xb1b2));
	assert_true(wire_write_u8(&w, 0xc1));
	assert_int_equal(w.pos, 7);
	assert_false(wire_write_u8(&w, 0xd1));
	assert_true(w.error);
	assert_int_equal(buf[6], 0xc1);
	assert_int_equal(buf[7], GUARD);

	/* A huge length must not wrap around the bounds check. */
	wire_writer_init(&w, buf, 7);
	assert_true(wire_write_u8(&w, 0));
	assert_false(wire_write_fill(&w, 0, SIZE_MAX));
	assert_false(wire_write_bytes(&w, buf, SIZE_MAX));
	assert_int_equal(buf[7], GUARD);
}

static void test_writer_null(void **state)
{
	struct wire_writer w;

	(void)state;
	/* No buffer means no room, whatever capacity comes with it. */
	wire_writer_init(&w, NULL, 100);
	assert_false(wire_write_u8(&w, 1));
	assert_true(w.error);
}

static void test_patch(void **state)
{
	static const uint8_t want[] = {
		0x00, 0xbe, 0xef, 0x00, 0x12, 0x34, 0x56, 0x78,
	};
	uint8_t buf[12];
	struct wire_writer w;

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	wire_writer_init(&w, buf, sizeof(buf));
	assert_true(wire_write_fill(&w, 0, 8));
	assert_true(wire_patch_u16(&w, 1, 0xbeef));
	assert_true(wire_patch_u32(&w, 4, 0x12345678));	/* the last 4 */
	assert_int_equal(w.pos, 8);
	assert_memory_equal(buf, want, sizeof(want));

	/* Only bytes already written may be patched. */
	assert_true(wire_patch_u16(&w, 6, 0x5678));
	assert_false(wire_patch_u16(&w, 7, 0xffff));
	assert_false(wire_patch_u16(&w, 8, 0xffff));
	assert_false(wire_patch_u32(&w, 5, 0xffffffff));
	assert_false(wire_patch_u32(&w, 8, 0xffffffff));
	assert_false(wire_patch_u16(&w, SIZE_MAX, 0xffff));
	assert_false(wire_patch_u32(&w, SIZE_MAX - 1, 0xffffffff));
	assert_int_equal(w.pos, 8);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[8], GUARD);
	assert_int_equal(buf[9], GUARD);

	/* Nothing written yet: nothing to patch, even with room. */
	wire_writer_init(&w, buf, sizeof(buf));
	assert_false(wire_patch_u16(&w, 0, 1));
	assert_false(wire_patch_u32(&w, 0, 1));
	assert_true(wire_write_u8(&w, 0));
	assert_false(wire_patch_u16(&w, 0, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_in_order),
		cmocka_unit_test(test_read_past_end),
		cmocka_unit_test(test_read_error_sticky),
		cmocka_unit_test(test_read_huge),
		cmocka_unit_test(test_reader_null),
		cmocka_unit_test(test_skip_and_seek),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_sub_past_end),
		cmocka_unit_test(test_rest),
		cmocka_unit_test(test_write_in_order),
		cmocka_unit_test(test_write_past_end),
		cmocka_unit_test(test_write_exact_fit),
		cmocka_unit_test(test_writer_null),
		cmocka_unit_test(test_patch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

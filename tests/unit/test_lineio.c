/*
 * test_lineio.c: the stdin line framer and the stdout write queue
 * (probe/lineio.c).
 *
 * The framer's expected output is written by hand from the rules in
 * lineio.h and hopprobe(8): lines of up to 4,095 bytes, one
 * overflow report per longer line, whose tail is never a line.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* pipe2, F_SETPIPE_SZ */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lineio.h"

/* ---- a recorder for the framer's callbacks ------------------------- */

enum event_kind { EV_LINE, EV_OVERFLOW };

struct event {
	enum event_kind kind;
	char *data;		/* a copy of the line */
	size_t len;
	const char *ptr;	/* where the framer's line was */
};

struct recorder {
	struct event *ev;
	size_t count;
	size_t cap;
};

static void rec_push(struct recorder *r, enum event_kind kind,
		     const char *line, size_t len)
{
	struct event *e;

	if (r->count == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->ev = realloc(r->ev, r->cap * sizeof(*r->ev));
		assert_non_null(r->ev);
	}
	e = &r->ev[r->count++];
	e->kind = kind;
	e->len = len;
	e->ptr = line;
	e->data = malloc(len ? len : 1);
	assert_non_null(e->data);
	if (len)
		memcpy(e->data, line, len);
}

static void on_line(void *ctx, const char *line, size_t len)
{
	/* The bound holds for every line handed out. */
	assert_true(len <= COMMAND_MAX_LINE);
	rec_push(ctx, EV_LINE, line, len);
}

static void on_overflow(void *ctx)
{
	rec_push(ctx, EV_OVERFLOW, NULL, 0);
}

static void rec_clear(struct recorder *r)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		free(r->ev[i].data);
	r->count = 0;
}

static void rec_free(struct recorder *r)
{
	rec_clear(r);
	free(r->ev);
	r->ev = NULL;
	r->cap = 0;
}

/* What a test expects: a line (bytes) or an overflow report. */
struct expect {
	enum event_kind kind;
	const char *data;
	size_t len;
};

static void rec_check(const struct recorder *r, const struct expect *want,
		      size_t n, const char *what)
{
	size_t i;

	if (r->count != n)
		fail_msg("%s: %zu events, want %zu", what, r->count, n);
	for (i = 0; i < n; i++) {
		const struct event *e = &r->ev[i];

		if (e->kind != want[i].kind)
			fail_msg("%s: event %zu kind %d", what, i, (int)e->kind);
		if (e->kind == EV_LINE &&
		    (e->len != want[i].len ||
		     memcmp(e->data, want[i].data, e->len) != 0))
			fail_msg("%s: event %zu: line of %zu bytes, want %zu",
				 what, i, e->len, want[i].len);
	}
}

/* A buffer filled with one byte, for long lines. */
static char *filled(char c, size_t n)
{
	char *p = malloc(n ? n : 1);

	assert_non_null(p);
	memset(p, c, n);
	return p;
}

/* Builds a byte stream piece by piece. */
struct stream {
	char *data;
	size_t len;
};

static void stream_add(struct stream *s, const void *p, size_t n)
{
	s->data = realloc(s->data, s->len + n + 1);
	assert_non_null(s->data);
	memcpy(s->data + s->len, p, n);
	s->len += n;
}

static void stream_fill(struct stream *s, char c, size_t n)
{
	char *p = filled(c, n);

	stream_add(s, p, n);
	free(p);
}

#define ADD(s, lit) stream_add((s), (lit), sizeof(lit) - 1)

/* ---- the framer ------------------------------------------------------ */

/*
 * A stream with every kind of line: empty, CR before LF, exactly 4,095
 * bytes, 4,096 bytes, longer, with a NUL inside, a line right after an
 * over-long one, and an unterminated last line.
 */
struct mixed {
	struct stream s;
	char *x4095, *z4100;
	struct expect want[10];
	size_t nwant;
};

static void mixed_init(struct mixed *m)
{
	size_t k = 0;

	memset(m, 0, sizeof(*m));
	m->x4095 = filled('x', 4095);
	m->z4100 = filled('z', 4100);

	ADD(&m->s, "a\n");
	m->want[k++] = (struct expect){ EV_LINE, "a", 1 };
	ADD(&m->s, "\n");
	m->want[k++] = (struct expect){ EV_LINE, "", 0 };
	ADD(&m->s, "bb\r\n");
	m->want[k++] = (struct expect){ EV_LINE, "bb\r", 3 };
	stream_fill(&m->s, 'x', 4095);
	ADD(&m->s, "\n");
	m->want[k++] = (struct expect){ EV_LINE, m->x4095, 4095 };
	stream_fill(&m->s, 'y', 4096);
	ADD(&m->s, "\n");
	m->want[k++] = (struct expect){ EV_OVERFLOW, NULL, 0 };
	ADD(&m->s, "after\n");
	m->want[k++] = (struct expect){ EV_LINE, "after", 5 };
	ADD(&m->s, "nul\0in\n");
	m->want[k++] = (struct expect){ EV_LINE, "nul\0in", 6 };
	stream_fill(&m->s, 'z', 4100);
	ADD(&m->s, "\n");
	m->want[k++] = (struct expect){ EV_OVERFLOW, NULL, 0 };
	ADD(&m->s, "1 send-probe ip-4 192.0.2.1\n");
	m->want[k++] = (struct expect){ EV_LINE,
					"1 send-probe ip-4 192.0.2.1", 27 };
	ADD(&m->s, "last");
	m->want[k++] = (struct expect){ EV_LINE, "last", 4 };
	m->nwant = k;
}

static void mixed_free(struct mixed *m)
{
	free(m->s.data);
	free(m->x4095);
	free(m->z4100);
}

/* Feed in pieces of the given sizes (the last one repeats). */
static void feed_chunks(struct line_framer *f, const char *data, size_t len,
			size_t chunk, struct recorder *r)
{
	size_t off = 0;

	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;

		line_framer_feed(f, data + off, n, on_line, on_overflow, r);
		off += n;
	}
	line_framer_finish(f, on_line, r);
}

static void test_framer_whole(void **state)
{
	struct mixed m;
	struct line_framer f;
	struct recorder r = { 0 };

	(void)state;
	mixed_init(&m);
	line_framer_init(&f);
	feed_chunks(&f, m.s.data, m.s.len, m.s.len, &r);
	rec_check(&r, m.want, m.nwant, "whole");
	rec_free(&r);
	mixed_free(&m);
}

/* Two feeds, split at every byte boundary of the stream. */
static void test_framer_every_split(void **state)
{
	struct mixed m;
	struct recorder r = { 0 };
	size_t k;

	(void)state;
	mixed_init(&m);
	for (k = 0; k <= m.s.len; k++) {
		struct line_framer f;
		char what[32];

		line_framer_init(&f);
		line_framer_feed(&f, m.s.data, k, on_line, on_overflow, &r);
		line_framer_feed(&f, m.s.data + k, m.s.len - k, on_line,
				 on_overflow, &r);
		line_framer_finish(&f, on_line, &r);
		snprintf(what, sizeof(what), "split at %zu", k);
		rec_check(&r, m.want, m.nwant, what);
		rec_clear(&r);
	}
	rec_free(&r);
	mixed_free(&m);
}

/* Feeds of fixed sizes, down to one byte at a time. */
static void test_framer_chunk_sizes(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 64, 4095, 4096, 4097, 8191 };
	struct mixed m;
	struct recorder r = { 0 };
	size_t i;

	(void)state;
	mixed_init(&m);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct line_framer f;
		char what[32];

		line_framer_init(&f);
		feed_chunks(&f, m.s.data, m.s.len, sizes[i], &r);
		snprintf(what, sizeof(what), "chunks of %zu", sizes[i]);
		rec_check(&r, m.want, m.nwant, what);
		rec_clear(&r);
	}
	rec_free(&r);
	mixed_free(&m);
}

/* A 64 KiB line: one overflow report, and the next line is intact. */
static void test_framer_64k_line(void **state)
{
	static const size_t sizes[] = { 1, 1000, 65536, 1 << 20 };
	const struct expect want[] = {
		{ EV_LINE, "ok1", 3 },
		{ EV_OVERFLOW, NULL, 0 },
		{ EV_LINE, "ok2", 3 },
		{ EV_OVERFLOW, NULL, 0 },
	};
	struct stream s = { 0 };
	struct recorder r = { 0 };
	size_t i;

	(void)state;
	ADD(&s, "ok1\n");
	stream_fill(&s, 'z', 65536);
	ADD(&s, "\nok2\n");
	/* an unterminated long line at the end: reported, never delivered */
	stream_fill(&s, 'w', 65536);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct line_framer f;

		line_framer_init(&f);
		feed_chunks(&f, s.data, s.len, sizes[i], &r);
		rec_check(&r, want, 4, "64 KiB");
		rec_clear(&r);
	}
	rec_free(&r);
	free(s.data);
}

/*
 * The report comes with the 4,096th byte, not with the newline, and only
 * once however much of the line follows.
 */
static void test_framer_overflow_timing(void **state)
{
	char *y = filled('y', 60000);
	struct line_framer f;
	struct recorder r = { 0 };
	const struct expect one[] = { { EV_OVERFLOW, NULL, 0 } };
	const struct expect two[] = {
		{ EV_OVERFLOW, NULL, 0 },
		{ EV_LINE, "ok", 2 },
	};
	size_t i;

	(void)state;
	line_framer_init(&f);
	line_framer_feed(&f, y, 4095, on_line, on_overflow, &r);
	assert_int_equal(r.count, 0);
	line_framer_feed(&f, y, 1, on_line, on_overflow, &r);
	rec_check(&r, one, 1, "4096th byte");
	for (i = 0; i < 10; i++)
		line_framer_feed(&f, y, 6000, on_line, on_overflow, &r);
	rec_check(&r, one, 1, "more of the line");
	line_framer_feed(&f, "y\nok\n", 5, on_line, on_overflow, &r);
	rec_check(&r, two, 2, "after the newline");
	rec_clear(&r);

	/* 4,095 bytes, then the newline alone: a line, no report */
	line_framer_feed(&f, y, 4095, on_line, on_overflow, &r);
	line_framer_feed(&f, "\n", 1, on_line, on_overflow, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.ev[0].kind, EV_LINE);
	assert_int_equal(r.ev[0].len, 4095);
	rec_clear(&r);

	/* 4,095 bytes in pieces, then a 4,096th: the report */
	line_framer_feed(&f, y, 4000, on_line, on_overflow, &r);
	line_framer_feed(&f, y, 95, on_line, on_overflow, &r);
	assert_int_equal(r.count, 0);
	line_framer_feed(&f, "y\n", 2, on_line, on_overflow, &r);
	rec_check(&r, one, 1, "4000 + 95 + 1");

	rec_free(&r);
	free(y);
}

/* Whole lines in a feed with an empty buffer come straight from the input. */
static void test_framer_zero_copy(void **state)
{
	static const char first[] = "one\ntwo\nthr";
	static const char second[] = "ee\nfour\n";
	struct line_framer f;
	struct recorder r = { 0 };

	(void)state;
	line_framer_init(&f);
	line_framer_feed(&f, first, sizeof(first) - 1, on_line, on_overflow,
			 &r);
	assert_int_equal(r.count, 2);
	assert_ptr_equal(r.ev[0].ptr, first);
	assert_ptr_equal(r.ev[1].ptr, first + 4);
	line_framer_feed(&f, second, sizeof(second) - 1, on_line, on_overflow,
			 &r);
	assert_int_equal(r.count, 4);
	/* "three" was split across feeds, so it came from the framer */
	assert_int_equal(r.ev[2].len, 5);
	assert_memory_equal(r.ev[2].data, "three", 5);
	assert_true((uintptr_t)r.ev[2].ptr < (uintptr_t)second ||
		    (uintptr_t)r.ev[2].ptr >= (uintptr_t)(second + sizeof(second)));
	/* and after it the buffer is empty again: "four" is not copied */
	assert_int_equal(r.ev[3].len, 4);
	assert_ptr_equal(r.ev[3].ptr, second + 3);
	rec_free(&r);
}

static void test_framer_finish(void **state)
{
	char *y = filled('y', 5000);
	struct line_framer f;
	struct recorder r = { 0 };
	const struct expect abc[] = { { EV_LINE, "abc\r", 4 } };
	const struct expect over_next[] = {
		{ EV_OVERFLOW, NULL, 0 },
		{ EV_LINE, "next", 4 },
	};

	(void)state;
	/* an unterminated last line is delivered, once */
	line_framer_init(&f);
	line_framer_feed(&f, "abc\r", 4, on_line, on_overflow, &r);
	assert_int_equal(r.count, 0);
	line_framer_finish(&f, on_line, &r);
	rec_check(&r, abc, 1, "finish");
	line_framer_finish(&f, on_line, &r);
	rec_check(&r, abc, 1, "finish twice");
	rec_clear(&r);

	/* nothing pending: nothing delivered */
	line_framer_feed(&f, "abc\r\n", 5, on_line, on_overflow, &r);
	line_framer_finish(&f, on_line, &r);
	rec_check(&r, abc, 1, "terminated");
	rec_clear(&r);

	/* 4,095 unterminated bytes are still a line */
	line_framer_feed(&f, y, 4095, on_line, on_overflow, &r);
	line_framer_finish(&f, on_line, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.ev[0].kind, EV_LINE);
	assert_int_equal(r.ev[0].len, 4095);
	rec_clear(&r);

	/* the tail of an over-long line is not, and the framer starts over */
	line_framer_feed(&f, y, 5000, on_line, on_overflow, &r);
	line_framer_finish(&f, on_line, &r);
	line_framer_feed(&f, "next\n", 5, on_line, on_overflow, &r);
	rec_check(&r, over_next, 2, "finish while discarding");
	rec_clear(&r);

	/* an empty feed changes nothing */
	line_framer_feed(&f, "", 0, on_line, on_overflow, &r);
	line_framer_finish(&f, on_line, &r);
	assert_int_equal(r.count, 0);

	rec_free(&r);
	free(y);
}

/* ---- the write queue ------------------------------------------------ */

static void make_pipe(int fds[2])
{
	assert_int_equal(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	/*
	 * The smallest pipe (one page) makes "full" come quickly and the
	 * same way on every machine.
	 */
	(void)fcntl(fds[1], F_SETPIPE_SZ, 4096);
}

/* Read what is in the pipe now, appending to s. */
static size_t drain(int fd, struct stream *s)
{
	char buf[8192];
	size_t total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		stream_add(s, buf, (size_t)n);
		total += (size_t)n;
	}
	assert_true(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
	return total;
}

static void check_invariants(const struct out_queue *q)
{
	assert_true(q->head <= q->tail);
	assert_true(q->tail <= q->cap);
	/* after a flush, sent space past half the buffer was reclaimed */
	assert_true(q->head <= q->cap / 2);
}

static void test_queue_basic(void **state)
{
	struct out_queue q;
	struct stream got = { 0 };
	int fds[2];

	(void)state;
	make_pipe(fds);
	out_queue_init(&q);
	assert_int_equal(out_queue_pending(&q), 0);
	assert_int_equal(out_queue_flush(&q, fds[1]), 0);
	assert_true(out_queue_append(&q, "", 0));
	assert_int_equal(out_queue_pending(&q), 0);
	assert_true(out_queue_append(&q, "1 reply\n", 8));
	assert_true(out_queue_append(&q, "2 no-reply\n", 11));
	assert_int_equal(out_queue_pending(&q), 19);
	assert_int_equal(out_queue_flush(&q, fds[1]), 19);
	assert_int_equal(out_queue_pending(&q), 0);
	assert_int_equal(q.head, 0);
	assert_int_equal(q.tail, 0);
	assert_int_equal(drain(fds[0], &got), 19);
	assert_memory_equal(got.data, "1 reply\n2 no-reply\n", 19);
	out_queue_free(&q);
	assert_null(q.data);
	assert_int_equal(out_queue_pending(&q), 0);
	free(got.data);
	close(fds[0]);
	close(fds[1]);
}

/*
 * More than the pipe holds: flush stops at EAGAIN with the rest kept,
 * a second flush writes nothing and is no error, and after the reader
 * drains the pipe every byte arrives once, in order, also when lines are
 * appended between flushes.
 */
static void test_queue_full_pipe(void **state)
{
	struct out_queue q;
	struct stream want = { 0 };
	struct stream got = { 0 };
	unsigned next = 0;
	int fds[2];
	ssize_t n;
	size_t rounds = 0;

	(void)state;
	make_pipe(fds);
	out_queue_init(&q);
	/*
	 * Fill past three quarters of the buffer, so that the sent part
	 * passes half of it while data is still pending.
	 */
	while (want.len < (1u << 20) || q.tail < q.cap / 4 * 3) {
		char line[32];
		int len = snprintf(line, sizeof(line), "%u reply ip-4 192.0.2.1\n",
				   next++);

		stream_add(&want, line, (size_t)len);
		assert_true(out_queue_append(&q, line, (size_t)len));
	}
	assert_int_equal(out_queue_pending(&q), want.len);

	n = out_queue_flush(&q, fds[1]);
	assert_true(n > 0 && (size_t)n < want.len);
	assert_int_equal(out_queue_pending(&q), want.len - (size_t)n);
	check_invariants(&q);
	/* the pipe is full: nothing more goes, and that is not an error */
	assert_int_equal(out_queue_flush(&q, fds[1]), 0);
	assert_int_equal(out_queue_pending(&q), want.len - (size_t)n);

	while (out_queue_pending(&q) > 0) {
		drain(fds[0], &got);
		if (rounds++ % 3 == 0) {
			char line[32];
			int len = snprintf(line, sizeof(line),
					   "%u no-reply\n", next++);

			stream_add(&want, line, (size_t)len);
			assert_true(out_queue_append(&q, line, (size_t)len));
		}
		n = out_queue_flush(&q, fds[1]);
		assert_true(n >= 0);
		check_invariants(&q);
	}
	drain(fds[0], &got);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	assert_int_equal(q.head, 0);
	assert_int_equal(q.tail, 0);

	out_queue_free(&q);
	free(want.data);
	free(got.data);
	close(fds[0]);
	close(fds[1]);
}

/* A real error is reported, with errno, and nothing is lost. */
static void test_queue_errors(void **state)
{
	struct out_queue q;
	int fds[2];

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	out_queue_init(&q);
	assert_true(out_queue_append(&q, "7 reply\n", 8));

	errno = 0;
	assert_int_equal(out_queue_flush(&q, -1), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(out_queue_pending(&q), 8);

	make_pipe(fds);
	close(fds[0]);
	errno = 0;
	assert_int_equal(out_queue_flush(&q, fds[1]), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(out_queue_pending(&q), 8);
	close(fds[1]);
	out_queue_free(&q);
}

/*
 * Space already sent is reused before the buffer grows: with the buffer
 * exactly full and part of it sent, an append no larger than that part
 * leaves the capacity unchanged, and the bytes still come out in order.
 */
static void test_queue_reuses_space(void **state)
{
	char *fill = filled('f', 65536);
	char page[4096];
	struct out_queue q;
	struct stream want = { 0 };
	struct stream got = { 0 };
	size_t cap, i, in_pipe = 0;
	ssize_t n;
	int fds[2];

	(void)state;
	/* a default-sized pipe, full, then one page read out of it */
	assert_int_equal(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	while ((n = write(fds[1], fill, 65536)) > 0)
		in_pipe += (size_t)n;
	assert_int_equal(read(fds[0], page, sizeof(page)), sizeof(page));
	in_pipe -= sizeof(page);

	out_queue_init(&q);
	for (i = 0; q.tail < 65536 || q.tail < q.cap; i++) {
		size_t len = q.cap - q.tail;

		if (len == 0 || len > 1000)
			len = 1000;
		memset(page, 'a' + (int)(i % 26), len);
		stream_add(&want, page, len);
		assert_true(out_queue_append(&q, page, len));
	}
	cap = q.cap;
	assert_int_equal(q.tail, cap);

	n = out_queue_flush(&q, fds[1]);
	assert_true(n > 0 && (size_t)n <= cap / 2);
	memset(page, 'Z', (size_t)n);
	stream_add(&want, page, (size_t)n);
	assert_true(out_queue_append(&q, page, (size_t)n));
	assert_int_equal(q.cap, cap);

	while (out_queue_pending(&q) > 0) {
		drain(fds[0], &got);
		assert_true(out_queue_flush(&q, fds[1]) >= 0);
	}
	drain(fds[0], &got);
	assert_int_equal(got.len, in_pipe + want.len);
	for (i = 0; i < in_pipe; i++)
		assert_int_equal(got.data[i], 'f');
	assert_memory_equal(got.data + in_pipe, want.data, want.len);

	out_queue_free(&q);
	free(want.data);
	free(got.data);
	free(fill);
	close(fds[0]);
	close(fds[1]);
}

/* One append larger than anything before it, on a non-empty queue. */
static void test_queue_growth(void **state)
{
	const size_t big = 3u << 20;
	char *p = filled('g', big);
	struct out_queue q;
	struct stream got = { 0 };
	int fds[2];

	(void)state;
	out_queue_init(&q);
	assert_true(out_queue_append(&q, "head\n", 5));
	assert_true(out_queue_append(&q, p, big));
	assert_int_equal(out_queue_pending(&q), big + 5);
	assert_true(q.cap >= big + 5);

	make_pipe(fds);
	while (out_queue_pending(&q) > 0) {
		assert_true(out_queue_flush(&q, fds[1]) >= 0);
		drain(fds[0], &got);
	}
	assert_int_equal(got.len, big + 5);
	assert_memory_equal(got.data, "head\n", 5);
	assert_memory_equal(got.data + 5, p, big);

	out_queue_free(&q);
	free(got.data);
	free(p);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framer_whole),
		cmocka_unit_test(test_framer_every_split),
		cmocka_unit_test(test_framer_chunk_sizes),
		cmocka_unit_test(test_framer_64k_line),
		cmocka_unit_test(test_framer_overflow_timing),
		cmocka_unit_test(test_framer_zero_copy),
		cmocka_unit_test(test_framer_finish),
		cmocka_unit_test(test_queue_basic),
		cmocka_unit_test(test_queue_full_pipe),
		cmocka_unit_test(test_queue_errors),
		cmocka_unit_test(test_queue_reuses_space),
		cmocka_unit_test(test_queue_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

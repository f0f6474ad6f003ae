/*
 * lineio.c: bounded line framing of stdin and the write queue of stdout.
 */
#include "lineio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void line_framer_init(struct line_framer *f)
{
	f->len = 0;
	f->discarding = false;
}

/*
 * Cut data into lines.  Three states matter: inside the tail of an
 * over-long line (skip to its newline), a partial line held in f->buf from
 * earlier feeds (append to it), and the common case of an empty buffer, in
 * which whole lines are handed to on_line straight from data without a
 * copy.  Only a trailing partial line is copied, and the bound is checked
 * before copying, so f->buf never holds more than COMMAND_MAX_LINE bytes.
 *
 * The overflow callback fires as soon as the line's length passes the
 * bound (with the 4096th byte), not when its newline finally comes: a
 * client that never sends one still hears about it once.
 */
void line_framer_feed(struct line_framer *f, const char *data, size_t n,
		      line_fn on_line, overflow_fn on_overflow, void *ctx)
{
	const char *p = data;
	const char *end = data + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t avail = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (f->discarding) {
			if (!nl)
				return;
			f->discarding = false;
			p = nl + 1;
			continue;
		}
		if (avail > COMMAND_MAX_LINE - f->len) {
			on_overflow(ctx);
			f->len = 0;
			if (!nl) {
				f->discarding = true;
				return;
			}
			p = nl + 1;
			continue;
		}
		if (nl && f->len == 0) {
			on_line(ctx, p, avail);
			p = nl + 1;
			continue;
		}
		memcpy(f->buf + f->len, p, avail);
		f->len += avail;
		if (!nl)
			return;
		/*
		 * Reset before the callback so that the framer is in a clean
		 * state whatever the callback does; f->buf stays intact until
		 * the next feed.
		 */
		avail = f->len;
		f->len = 0;
		on_line(ctx, f->buf, avail);
		p = nl + 1;
	}
}

void line_framer_finish(struct line_framer *f, line_fn on_line, void *ctx)
{
	size_t len = f->len;
	bool deliver = !f->discarding && len > 0;

	line_framer_init(f);
	if (deliver)
		on_line(ctx, f->buf, len);
}

void out_queue_init(struct out_queue *q)
{
	q->data = NULL;
	q->head = 0;
	q->tail = 0;
	q->cap = 0;
}

void out_queue_free(struct out_queue *q)
{
	free(q->data);
	out_queue_init(q);
}

size_t out_queue_pending(const struct out_queue *q)
{
	return q->tail - q->head;
}

/* Move the unsent bytes to the front, reclaiming the sent ones. */
static void out_queue_compact(struct out_queue *q)
{
	size_t pending = q->tail - q->head;

	if (q->head == 0)
		return;
	if (pending)
		memmove(q->data, q->data + q->head, pending);
	q->head = 0;
	q->tail = pending;
}

bool out_queue_append(struct out_queue *q, const char *data, size_t n)
{
	if (n == 0)
		return true;
	if (n > q->cap - q->tail) {
		size_t need;
		size_t cap;
		char *grown;

		/* Reuse the sent space before asking for more memory. */
		out_queue_compact(q);
		if (n > SIZE_MAX - q->tail)
			return false;
		need = q->tail + n;
		if (need > q->cap) {
			cap = q->cap ? q->cap : 4096;
			while (cap < need) {
				if (cap > SIZE_MAX / 2) {
					cap = need;
					break;
				}
				cap *= 2;
			}
			grown = realloc(q->data, cap);
			if (!grown)
				return false;
			q->data = grown;
			q->cap = cap;
		}
	}
	memcpy(q->data + q->tail, data, n);
	q->tail += n;
	return true;
}

/*
 * Write until the descriptor would block or the queue is empty.  A write
 * that returns 0 for a non-empty buffer is treated like EAGAIN (it cannot
 * happen for a pipe or socket, but looping on it would spin forever).
 */
ssize_t out_queue_flush(struct out_queue *q, int fd)
{
	size_t total = 0;
	ssize_t r = 0;
	int saved_errno = 0;

	while (q->head < q->tail) {
		r = write(fd, q->data + q->head, q->tail - q->head);
		if (r < 0) {
			saved_errno = errno;
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				r = 0;
			break;
		}
		if (r == 0)
			break;
		q->head += (size_t)r;
		total += (size_t)r;
	}
	if (q->head == q->tail) {
		q->head = 0;
		q->tail = 0;
	} else if (q->head > q->cap / 2) {
		out_queue_compact(q);
	}
	if (r < 0) {
		errno = saved_errno;
		return -1;
	}
	return (ssize_t)total;
}

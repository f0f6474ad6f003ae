/*
 * lineio.h: stdin framing and the stdout write queue.
 *
 * line_framer is pure: bytes in, one callback per complete line (without its
 * newline), lines bounded at COMMAND_MAX_LINE bytes.  An over-long line is
 * reported once through the overflow callback and the rest of it, up to and
 * including its newline, is discarded: its tail is never a line of its own.
 *
 * out_queue is a growable byte queue of whole reply lines; the engine writes
 * it to a non-blocking descriptor when writable.
 */
#ifndef HOPPROBE_LINEIO_H
#define HOPPROBE_LINEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "command.h"

typedef void (*line_fn)(void *ctx, const char *line, size_t len);
typedef void (*overflow_fn)(void *ctx);

struct line_framer {
	char buf[COMMAND_MAX_LINE + 1];
	size_t len;
	bool discarding;	/* inside the tail of an over-long line */
};

void line_framer_init(struct line_framer *f);
void line_framer_feed(struct line_framer *f, const char *data, size_t n,
		      line_fn on_line, overflow_fn on_overflow, void *ctx);
/* At end of input: a last line without newline is delivered too. */
void line_framer_finish(struct line_framer *f, line_fn on_line, void *ctx);

struct out_queue {
	char *data;
	size_t head;		/* first unsent byte */
	size_t tail;		/* end of queued bytes */
	size_t cap;
};

void out_queue_init(struct out_queue *q);
void out_queue_free(struct out_queue *q);
/* Append; returns false only when memory cannot be had. */
bool out_queue_append(struct out_queue *q, const char *data, size_t n);
size_t out_queue_pending(const struct out_queue *q);
/*
 * write() as much as the descriptor takes.  Returns the bytes written, or -1
 * with errno on an error other than EAGAIN/EINTR.
 */
ssize_t out_queue_flush(struct out_queue *q, int fd);

#endif

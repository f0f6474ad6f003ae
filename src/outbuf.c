/*
 * outbuf.c: the growable output buffer renderers append to, and the one
 * time format every output uses.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void ht_outbuf_init(struct ht_outbuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

void ht_outbuf_free(struct ht_outbuf *b)
{
	free(b->data);
	ht_outbuf_init(b);
}

void ht_outbuf_reset(struct ht_outbuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/*
 * Make room for N more bytes plus a NUL, so that data is always a C
 * string a test can compare.  Capacity doubles to keep appends amortised
 * O(1); a failure is sticky, so a caller checks once at the end instead of
 * after every append.
 */
static int outbuf_reserve(struct ht_outbuf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return -1;
	if (n > (size_t)-1 - b->len - 1) {
		b->failed = 1;
		return -1;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void ht_outbuf_append(struct ht_outbuf *b, const char *s, size_t n)
{
	if (outbuf_reserve(b, n) < 0)
		return;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void ht_outbuf_puts(struct ht_outbuf *b, const char *s)
{
	ht_outbuf_append(b, s, strlen(s));
}

/* Format once into the free space; when it does not fit, grow to the size
 * vsnprintf reported and format again. */
void ht_outbuf_printf(struct ht_outbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t room;

	if (outbuf_reserve(b, 64) < 0)
		return;
	room = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		if (outbuf_reserve(b, (size_t)n) < 0) {
			b->data[b->len] = '\0';
			return;
		}
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/*
 * Floor division, so that an instant before the epoch still gets a
 * millisecond part between 0 and 999 rather than a negative one.
 */
void ht_time_rfc3339(int64_t unix_us, char *buf, size_t len)
{
	int64_t ms = unix_us >= 0 ? unix_us / 1000 : -((999 - unix_us) / 1000);
	int64_t secs = ms >= 0 ? ms / 1000 : -((999 - ms) / 1000);
	int milli = (int)(ms - secs * 1000);
	time_t t = (time_t)secs;
	struct tm tm;

	if (!len)
		return;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, len, "1970-01-01T00:00:00.000Z");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, milli);
}

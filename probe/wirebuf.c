/*
 * wirebuf.c: bounds-checked sequential reading and writing of wire data.
 */
#include "wirebuf.h"

#include <string.h>

void wire_reader_init(struct wire_reader *r, const void *data, size_t len)
{
	r->data = data;
	r->len = data ? len : 0;
	r->pos = 0;
	r->error = false;
}

size_t wire_remaining(const struct wire_reader *r)
{
	return r->len - r->pos;
}

const uint8_t *wire_cursor(const struct wire_reader *r)
{
	return r->data + r->pos;
}

/* Every read goes through here: it either has n bytes or fails for good. */
static const uint8_t *take(struct wire_reader *r, size_t n)
{
	const uint8_t *p;

	if (r->error || n > r->len - r->pos) {
		r->error = true;
		return NULL;
	}
	p = r->data + r->pos;
	r->pos += n;
	return p;
}

bool wire_read_u8(struct wire_reader *r, uint8_t *out)
{
	const uint8_t *p = take(r, 1);

	if (!p)
		return false;
	*out = p[0];
	return true;
}

bool wire_read_u16(struct wire_reader *r, uint16_t *out)
{
	const uint8_t *p = take(r, 2);

	if (!p)
		return false;
	*out = (uint16_t)(p[0] << 8 | p[1]);
	return true;
}

bool wire_read_u32(struct wire_reader *r, uint32_t *out)
{
	const uint8_t *p = take(r, 4);

	if (!p)
		return false;
	*out = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
	return true;
}

bool wire_read_bytes(struct wire_reader *r, void *out, size_t n)
{
	const uint8_t *p = take(r, n);

	if (!p)
		return false;
	if (n)
		memcpy(out, p, n);
	return true;
}

bool wire_skip(struct wire_reader *r, size_t n)
{
	return take(r, n) != NULL;
}

bool wire_seek(struct wire_reader *r, size_t pos)
{
	if (r->error || pos > r->len) {
		r->error = true;
		return false;
	}
	r->pos = pos;
	return true;
}

bool wire_sub(struct wire_reader *r, size_t n, struct wire_reader *sub)
{
	const uint8_t *p = take(r, n);

	if (!p)
		return false;
	wire_reader_init(sub, p, n);
	return true;
}

void wire_rest(struct wire_reader *r, struct wire_reader *sub)
{
	size_t n = r->error ? 0 : wire_remaining(r);

	wire_reader_init(sub, r->error ? NULL : r->data + r->pos, n);
	r->pos += n;
}

void wire_writer_init(struct wire_writer *w, void *buf, size_t cap)
{
	w->data = buf;
	w->cap = buf ? cap : 0;
	w->pos = 0;
	w->error = false;
}

/* Every write goes through here: room for n bytes, or a sticky failure. */
static uint8_t *room(struct wire_writer *w, size_t n)
{
	uint8_t *p;

	if (w->error || n > w->cap - w->pos) {
		w->error = true;
		return NULL;
	}
	p = w->data + w->pos;
	w->pos += n;
	return p;
}

bool wire_write_u8(struct wire_writer *w, uint8_t v)
{
	uint8_t *p = room(w, 1);

	if (!p)
		return false;
	p[0] = v;
	return true;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

bool wire_write_u16(struct wire_writer *w, uint16_t v)
{
	uint8_t *p = room(w, 2);

	if (!p)
		return false;
	put16(p, v);
	return true;
}

bool wire_write_u32(struct wire_writer *w, uint32_t v)
{
	uint8_t *p = room(w, 4);

	if (!p)
		return false;
	put32(p, v);
	return true;
}

bool wire_write_bytes(struct wire_writer *w, const void *src, size_t n)
{
	uint8_t *p = room(w, n);

	if (!p)
		return false;
	if (n)
		memcpy(p, src, n);
	return true;
}

bool wire_write_fill(struct wire_writer *w, uint8_t byte, size_t n)
{
	uint8_t *p = room(w, n);

	if (!p)
		return false;
	memset(p, byte, n);
	return true;
}

/* Patching only touches bytes already written, never the unwritten rest. */
bool wire_patch_u16(struct wire_writer *w, size_t pos, uint16_t v)
{
	if (pos > w->pos || w->pos - pos < 2)
		return false;
	put16(w->data + pos, v);
	return true;
}

bool wire_patch_u32(struct wire_writer *w, size_t pos, uint32_t v)
{
	if (pos > w->pos || w->pos - pos < 4)
		return false;
	put32(w->data + pos, v);
	return true;
}

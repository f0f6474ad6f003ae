/*
 * wirebuf.h: the one bounds-checked reader and writer that every packet
 * parser and builder in the worker uses.  No parser casts a header struct
 * over a received buffer or does offset arithmetic by hand: it reads fields
 * in order through a wire_reader, and every read past the end fails (and
 * keeps failing: the reader's error flag is sticky).
 *
 * Multi-byte values are read and written in network byte order and
 * returned in host order.
 */
#ifndef HOPPROBE_WIREBUF_H
#define HOPPROBE_WIREBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wire_reader {
	const uint8_t *data;
	size_t len;
	size_t pos;
	bool error;		/* set by the first failed read; sticky */
};

void wire_reader_init(struct wire_reader *r, const void *data, size_t len);
size_t wire_remaining(const struct wire_reader *r);
/* Current position as a pointer (valid for wire_remaining() bytes). */
const uint8_t *wire_cursor(const struct wire_reader *r);
bool wire_read_u8(struct wire_reader *r, uint8_t *out);
bool wire_read_u16(struct wire_reader *r, uint16_t *out);
bool wire_read_u32(struct wire_reader *r, uint32_t *out);
bool wire_read_bytes(struct wire_reader *r, void *out, size_t n);
bool wire_skip(struct wire_reader *r, size_t n);
/* Move to an absolute offset (<= len). */
bool wire_seek(struct wire_reader *r, size_t pos);
/*
 * Carve the next n bytes into *sub (a reader of its own over exactly those
 * bytes) and advance past them.  Fails, touching nothing but the error
 * flag, when fewer than n bytes remain.
 */
bool wire_sub(struct wire_reader *r, size_t n, struct wire_reader *sub);
/* Like wire_sub, but for all remaining bytes. */
void wire_rest(struct wire_reader *r, struct wire_reader *sub);

struct wire_writer {
	uint8_t *data;
	size_t cap;
	size_t pos;
	bool error;		/* set by the first write that did not fit */
};

void wire_writer_init(struct wire_writer *w, void *buf, size_t cap);
bool wire_write_u8(struct wire_writer *w, uint8_t v);
bool wire_write_u16(struct wire_writer *w, uint16_t v);
bool wire_write_u32(struct wire_writer *w, uint32_t v);
bool wire_write_bytes(struct wire_writer *w, const void *src, size_t n);
bool wire_write_fill(struct wire_writer *w, uint8_t byte, size_t n);
/* Overwrite a 16-bit field already written at offset pos. */
bool wire_patch_u16(struct wire_writer *w, size_t pos, uint16_t v);
bool wire_patch_u32(struct wire_writer *w, size_t pos, uint32_t v);

#endif

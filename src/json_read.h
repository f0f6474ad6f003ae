/*
 * json_read.h: a small, bounded JSON reader (RFC 8259) for one line of
 * JSON at a time.
 *
 * A text is parsed into a flat array of values in document order, the way
 * it was written: a container is followed by its children, an object's
 * member by its key (a string value) and then its value, and every value
 * knows the index just past its subtree, so that a reader can step over a
 * member without looking inside.  Strings are decoded (every escape,
 * \uXXXX surrogate pairs to UTF-8) into a copy of the text that the
 * document owns, each NUL-terminated, so their pointers can be handed out
 * as C strings until the next parse.
 *
 * The parser is iterative with its own stack of at most JSON_MAX_DEPTH
 * containers, never reads past the length it is given, and allocates only
 * the value array and the copy, both reused from one parse to the next.
 */
#ifndef HOPTRACE_JSON_READ_H
#define HOPTRACE_JSON_READ_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 16
/* Longest text accepted: offsets are then 32-bit. */
#define JSON_MAX_LEN (64u * 1024 * 1024)

enum json_type {
	JSON_NULL = 0,
	JSON_FALSE,
	JSON_TRUE,
	JSON_INT,		/* an integer without fraction or exponent */
	JSON_DOUBLE,		/* any other number */
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

struct json_value {
	enum json_type type;
	uint32_t end;		/* index just past this value's subtree */
	uint32_t offset;	/* byte of the text where it starts */
	uint32_t count;		/* array elements, object members */
	uint32_t len;		/* string: decoded bytes, without the NUL */
	const char *str;	/* string: decoded, NUL-terminated */
	int64_t i;		/* JSON_INT (INT64_MAX when big) */
	uint64_t u;		/* JSON_INT not negative: its value */
	int big;		/* JSON_INT above INT64_MAX (up to 2^64-1):
				 * only u holds it */
	double d;		/* JSON_INT and JSON_DOUBLE */
};

/*
 * hoptrace's writer escapes U+FFFD only where its input had a byte that was
 * not UTF-8, and passes a real U+FFFD through unescaped.  With this flag the
 * escape "\ufffd" decodes back to one such byte (0xFF), so that what is
 * replayed renders exactly as the original did.
 */
#define JSON_FFFD_AS_BYTE 1u

struct json_doc {
	struct json_value *v;	/* v[0] is the top-level value */
	uint32_t count;
	uint32_t cap;
	char *text;		/* the decoded strings live here */
	size_t text_cap;
};

void json_doc_init(struct json_doc *d);
void json_doc_free(struct json_doc *d);

/*
 * Parse the LEN bytes at IN as one JSON value, with white space around it
 * allowed.  Returns 0, or -1 with a one-line message in ERR naming the byte
 * (counted from 0): "not JSON at byte 17", "truncated JSON at byte 40",
 * "JSON nested deeper than 16 at byte 16", "bad string escape at byte 9",
 * "control character in string at byte 5", "invalid UTF-8 at byte 5",
 * "number out of range at byte 3", "out of memory".
 */
int json_parse(struct json_doc *d, const char *in, size_t len, unsigned flags,
	       char *err, size_t errlen);

/* The value of member KEY of object OBJ (an index into d->v); -1 when OBJ
 * has no such member. */
long json_member(const struct json_doc *d, uint32_t obj, const char *key);

/* "null", "a string", "an integer", "a number", "a boolean", "an array",
 * "an object": for messages. */
const char *json_type_phrase(enum json_type t);

#endif

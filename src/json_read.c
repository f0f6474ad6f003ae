/*
 * json_read.c: the JSON reader of json_read.h.
 *
 * One pass over the bytes with an explicit stack of open containers, so
 * that no input, however deep or long, makes the C stack grow.  Every read
 * of the text goes through the cursor below, which knows the length.
 */
#include "json_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* json_value_start's message names the depth. */
_Static_assert(JSON_MAX_DEPTH == 16, "the depth message says 16");

/* The parse in progress. */
struct json_cursor {
	const unsigned char *in;
	size_t len;
	size_t pos;
	unsigned flags;
	struct json_doc *doc;
	char *err;
	size_t errlen;
};

void json_doc_init(struct json_doc *d)
{
	memset(d, 0, sizeof(*d));
}

void json_doc_free(struct json_doc *d)
{
	free(d->v);
	free(d->text);
	json_doc_init(d);
}

static int json_fail(struct json_cursor *c, const char *what, size_t at)
{
	snprintf(c->err, c->errlen, "%s at byte %zu", what, at);
	return -1;
}

static int json_oom(struct json_cursor *c)
{
	snprintf(c->err, c->errlen, "out of memory");
	return -1;
}

static int json_at_end(const struct json_cursor *c)
{
	return c->pos >= c->len;
}

static void json_skip_ws(struct json_cursor *c)
{
	while (c->pos < c->len &&
	       (c->in[c->pos] == ' ' || c->in[c->pos] == '\t' ||
		c->in[c->pos] == '\n' || c->in[c->pos] == '\r'))
		c->pos++;
}

/* A new value at the current byte; its index, or -1. */
static long json_push(struct json_cursor *c, enum json_type type)
{
	struct json_doc *d = c->doc;
	struct json_value *v;

	if (d->count == d->cap) {
		uint32_t n = d->cap ? d->cap * 2 : 64;

		v = realloc(d->v, (size_t)n * sizeof(*v));
		if (!v)
			return json_oom(c);
		d->v = v;
		d->cap = n;
	}
	v = &d->v[d->count];
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->offset = (uint32_t)c->pos;
	v->end = d->count + 1;
	return (long)d->count++;
}

/* ---- literals and numbers ----------------------------------------- */

/* "true", "false" or "null" at the cursor: a prefix cut short by the end
 * of the text is a truncation, anything else is not JSON. */
static int json_literal(struct json_cursor *c, const char *word,
			enum json_type type)
{
	size_t n = strlen(word), i;

	for (i = 0; i < n; i++) {
		if (c->pos + i >= c->len)
			return json_fail(c, "truncated JSON", c->len);
		if (c->in[c->pos + i] != (unsigned char)word[i])
			return json_fail(c, "not JSON", c->pos + i);
	}
	if (json_push(c, type) < 0)
		return -1;
	c->pos += n;
	return 0;
}

static int json_digit(const struct json_cursor *c, size_t at)
{
	return at < c->len && c->in[at] >= '0' && c->in[at] <= '9';
}

/* 10^E for 0 <= E <= 22, each exactly representable. */
static double json_pow10(int e)
{
	static const double p[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
		1e21, 1e22
	};

	return p[e];
}

/*
 * A number's value without strtod, whose decimal point follows the
 * locale: the significant digits as an integer, scaled by the exponent.
 * That is exact (correctly rounded) whenever the digits fit in 53 bits and
 * the exponent is within 22 either way, which covers every number
 * hoptrace writes; beyond that the result may be off by a few units in the
 * last place.
 */
static double json_scale(uint64_t mant, long exp10)
{
	double x = (double)mant;

	while (exp10 > 22) {
		x *= 1e22;
		exp10 -= 22;
		if (x > 1.7976931348623157e308)
			return x;	/* infinite: out of range */
	}
	while (exp10 < -22) {
		x /= 1e22;
		exp10 += 22;
		if (x == 0.0)
			return x;
	}
	return exp10 >= 0 ? x * json_pow10((int)exp10)
			  : x / json_pow10((int)-exp10);
}

static int json_number(struct json_cursor *c)
{
	size_t start = c->pos, p = c->pos;
	int neg = 0, is_int = 1, digits = 0, overflow = 0;
	uint64_t mant = 0;
	long exp10 = 0;
	long idx;

	if (c->in[p] == '-') {
		neg = 1;
		p++;
	}
	if (p >= c->len)
		return json_fail(c, "truncated JSON", c->len);
	if (c->in[p] == '0') {
		p++;
	} else if (json_digit(c, p)) {
		for (; json_digit(c, p); p++) {
			uint64_t d = (uint64_t)(c->in[p] - '0');

			/* Up to 2^64-1 whole: a --seed is that wide. */
			if (digits < 19 || (digits == 19 &&
					    mant <= (UINT64_MAX - d) / 10)) {
				mant = mant * 10 + d;
				if (mant)
					digits++;
			} else {
				exp10++;
				overflow = 1;
			}
		}
	} else {
		return json_fail(c, "not JSON", p);
	}
	if (p < c->len && c->in[p] == '.') {
		is_int = 0;
		p++;
		if (p >= c->len)
			return json_fail(c, "truncated JSON", c->len);
		if (!json_digit(c, p))
			return json_fail(c, "not JSON", p);
		for (; json_digit(c, p); p++) {
			if (digits < 19) {
				mant = mant * 10 + (uint64_t)(c->in[p] - '0');
				exp10--;
				if (mant)
					digits++;
			}
		}
	}
	if (p < c->len && (c->in[p] == 'e' || c->in[p] == 'E')) {
		int eneg = 0;
		long e = 0;

		is_int = 0;
		p++;
		if (p < c->len && (c->in[p] == '+' || c->in[p] == '-'))
			eneg = c->in[p++] == '-';
		if (p >= c->len)
			return json_fail(c, "truncated JSON", c->len);
		if (!json_digit(c, p))
			return json_fail(c, "not JSON", p);
		for (; json_digit(c, p); p++)
			if (e < 100000)
				e = e * 10 + (c->in[p] - '0');
		exp10 += eneg ? -e : e;
	}
	/* The text is a number up to P; what follows is checked by the
	 * caller, as for any value. */
	idx = json_push(c, is_int ? JSON_INT : JSON_DOUBLE);
	if (idx < 0)
		return -1;
	if (is_int) {
		/* 19 digits fit in uint64; more are out of range anyway. */
		if (overflow || (neg && mant > (uint64_t)INT64_MAX + 1))
			return json_fail(c, "number out of range", start);
		if (!neg && mant > (uint64_t)INT64_MAX) {
			c->doc->v[idx].big = 1;
			c->doc->v[idx].i = INT64_MAX;
		} else {
			c->doc->v[idx].i = neg ? (int64_t)(0 - mant) :
						 (int64_t)mant;
		}
		c->doc->v[idx].u = neg ? 0 : mant;
		c->doc->v[idx].d = neg ? (double)c->doc->v[idx].i :
					 (double)mant;
	} else {
		double x = mant ? json_scale(mant, exp10) : 0.0;

		if (!(x <= 1.7976931348623157e308))
			return json_fail(c, "number out of range", start);
		c->doc->v[idx].d = neg ? -x : x;
	}
	c->pos = p;
	return 0;
}

/* ---- strings ------------------------------------------------------- */

/* Length of the UTF-8 sequence at S (N bytes available), 0 when it is not
 * one (no overlong forms, no surrogates, nothing above U+10FFFF), and -1
 * when the N bytes are a valid start of one that the end cuts short. */
static long json_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i < need; i++) {
		if (i >= n)
			return -1;
		if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xbf))
			return 0;
	}
	return (long)need;
}

/* Four hex digits at AT; -1 when they are not. */
static long json_hex4(const struct json_cursor *c, size_t at)
{
	long v = 0;
	size_t i;

	if (at + 4 > c->len)
		return -2;
	for (i = 0; i < 4; i++) {
		unsigned char h = c->in[at + i];

		v <<= 4;
		if (h >= '0' && h <= '9')
			v |= h - '0';
		else if (h >= 'a' && h <= 'f')
			v |= h - 'a' + 10;
		else if (h >= 'A' && h <= 'F')
			v |= h - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t json_put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * A \u escape at the cursor (on the 'u'); the code point in *CP.  A high
 * surrogate must be followed by an escaped low one; a lone surrogate, and
 * U+0000 (which would cut the C string short), are bad escapes.
 */
static int json_unicode(struct json_cursor *c, size_t esc,
			unsigned long *cp)
{
	long hi = json_hex4(c, c->pos + 1), lo;

	if (hi == -2)
		return json_fail(c, "truncated JSON", c->len);
	if (hi < 0 || hi == 0 || (hi >= 0xdc00 && hi <= 0xdfff))
		return json_fail(c, "bad string escape", esc);
	c->pos += 5;
	if (hi < 0xd800 || hi > 0xdbff) {
		*cp = (unsigned long)hi;
		return 0;
	}
	if (c->pos + 2 > c->len)
		return json_fail(c, "truncated JSON", c->len);
	if (c->in[c->pos] != '\\' || c->in[c->pos + 1] != 'u')
		return json_fail(c, "bad string escape", esc);
	lo = json_hex4(c, c->pos + 2);
	if (lo == -2)
		return json_fail(c, "truncated JSON", c->len);
	if (lo < 0xdc00 || lo > 0xdfff)
		return json_fail(c, "bad string escape", esc);
	c->pos += 6;
	*cp = 0x10000 + (((unsigned long)hi - 0xd800) << 10) +
	      ((unsigned long)lo - 0xdc00);
	return 0;
}

/*
 * A string at the cursor (on its quote).  The decoded bytes are written
 * into the document's copy at the string's own offset: decoding never
 * makes a string longer than its text, so the bytes written stay behind
 * the ones still to be read, and the NUL fits where the closing quote is.
 */
static int json_string(struct json_cursor *c)
{
	char *out = c->doc->text + c->pos + 1;
	char *o = out;
	long idx = json_push(c, JSON_STRING);

	if (idx < 0)
		return -1;
	c->pos++;
	for (;;) {
		unsigned char b;
		size_t esc;
		unsigned long cp;

		if (json_at_end(c))
			return json_fail(c, "truncated JSON", c->len);
		b = c->in[c->pos];
		if (b == '"')
			break;
		if (b < 0x20)
			return json_fail(c, "control character in string",
					 c->pos);
		if (b >= 0x80) {
			long n = json_utf8_len(c->in + c->pos,
					       c->len - c->pos);

			if (n < 0)
				return json_fail(c, "truncated JSON", c->len);
			if (!n)
				return json_fail(c, "invalid UTF-8", c->pos);
			memcpy(o, c->in + c->pos, (size_t)n);
			o += n;
			c->pos += (size_t)n;
			continue;
		}
		if (b != '\\') {
			*o++ = (char)b;
			c->pos++;
			continue;
		}
		esc = c->pos++;
		if (json_at_end(c))
			return json_fail(c, "truncated JSON", c->len);
		switch (c->in[c->pos]) {
		case '"':
		case '\\':
		case '/':
			*o++ = (char)c->in[c->pos];
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (json_unicode(c, esc, &cp) < 0)
				return -1;
			if (cp == 0xfffd && (c->flags & JSON_FFFD_AS_BYTE))
				*o++ = (char)0xff;
			else
				o += json_put_utf8(o, cp);
			continue;
		default:
			return json_fail(c, "bad string escape", esc);
		}
		c->pos++;
	}
	*o = '\0';
	c->doc->v[idx].str = out;
	c->doc->v[idx].len = (uint32_t)(o - out);
	c->pos++;
	return 0;
}

/* ---- structure ----------------------------------------------------- */

/* A scalar at the cursor, or the opening of a container (pushed on
 * STACK). */
static int json_value_start(struct json_cursor *c, uint32_t *stack,
			    unsigned *depth)
{
	long idx;

	json_skip_ws(c);
	if (json_at_end(c))
		return json_fail(c, "truncated JSON", c->len);
	switch (c->in[c->pos]) {
	case '{':
	case '[':
		if (*depth == JSON_MAX_DEPTH)
			return json_fail(c, "JSON nested deeper than 16",
					 c->pos);
		idx = json_push(c, c->in[c->pos] == '{' ? JSON_OBJECT
							 : JSON_ARRAY);
		if (idx < 0)
			return -1;
		stack[(*depth)++] = (uint32_t)idx;
		c->pos++;
		return 0;
	case '"':
		return json_string(c);
	case 't':
		return json_literal(c, "true", JSON_TRUE);
	case 'f':
		return json_literal(c, "false", JSON_FALSE);
	case 'n':
		return json_literal(c, "null", JSON_NULL);
	default:
		if (c->in[c->pos] == '-' || json_digit(c, c->pos))
			return json_number(c);
		return json_fail(c, "not JSON", c->pos);
	}
}

/* An object member's key and colon, at the cursor. */
static int json_key(struct json_cursor *c)
{
	json_skip_ws(c);
	if (json_at_end(c))
		return json_fail(c, "truncated JSON", c->len);
	if (c->in[c->pos] != '"')
		return json_fail(c, "not JSON", c->pos);
	if (json_string(c) < 0)
		return -1;
	json_skip_ws(c);
	if (json_at_end(c))
		return json_fail(c, "truncated JSON", c->len);
	if (c->in[c->pos] != ':')
		return json_fail(c, "not JSON", c->pos);
	c->pos++;
	return 0;
}

static int json_text_reserve(struct json_cursor *c)
{
	struct json_doc *d = c->doc;
	char *t;

	if (d->text_cap >= c->len + 1)
		return 0;
	t = realloc(d->text, c->len + 1);
	if (!t)
		return json_oom(c);
	d->text = t;
	d->text_cap = c->len + 1;
	return 0;
}

int json_parse(struct json_doc *d, const char *in, size_t len, unsigned flags,
	       char *err, size_t errlen)
{
	struct json_cursor c;
	uint32_t stack[JSON_MAX_DEPTH];
	unsigned depth = 0;
	char dummy[1];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	memset(&c, 0, sizeof(c));
	c.in = (const unsigned char *)in;
	c.len = len;
	c.flags = flags;
	c.doc = d;
	c.err = err;
	c.errlen = errlen;
	d->count = 0;
	if (len > JSON_MAX_LEN) {
		snprintf(err, errlen, "line longer than %u bytes",
			 JSON_MAX_LEN);
		return -1;
	}
	if (json_text_reserve(&c) < 0)
		return -1;
	if (json_value_start(&c, stack, &depth) < 0)
		return -1;
	/*
	 * After each value: close what it ended, then go on with the next
	 * element or member of the innermost open container.
	 */
	while (depth > 0) {
		struct json_value *top;
		unsigned char b;
		int is_obj;

		json_skip_ws(&c);
		if (json_at_end(&c))
			return json_fail(&c, "truncated JSON", c.len);
		top = &d->v[stack[depth - 1]];
		is_obj = top->type == JSON_OBJECT;
		b = c.in[c.pos];
		if (b == (is_obj ? '}' : ']')) {
			top->end = d->count;
			depth--;
			c.pos++;
			continue;
		}
		/* Right after the opening there is no comma to see. */
		if (top->count > 0) {
			if (b != ',')
				return json_fail(&c, "not JSON", c.pos);
			c.pos++;
		}
		if (is_obj && json_key(&c) < 0)
			return -1;
		/* The key may have moved the array. */
		d->v[stack[depth - 1]].count++;
		if (json_value_start(&c, stack, &depth) < 0)
			return -1;
	}
	json_skip_ws(&c);
	if (!json_at_end(&c))
		return json_fail(&c, "not JSON", c.pos);
	return 0;
}

long json_member(const struct json_doc *d, uint32_t obj, const char *key)
{
	uint32_t k;

	if (obj >= d->count || d->v[obj].type != JSON_OBJECT)
		return -1;
	for (k = obj + 1; k < d->v[obj].end; k = d->v[k + 1].end)
		if (strcmp(d->v[k].str, key) == 0)
			return (long)k + 1;
	return -1;
}

const char *json_type_phrase(enum json_type t)
{
	switch (t) {
	case JSON_NULL:
		return "null";
	case JSON_FALSE:
	case JSON_TRUE:
		return "a boolean";
	case JSON_INT:
		return "an integer";
	case JSON_DOUBLE:
		return "a number";
	case JSON_STRING:
		return "a string";
	case JSON_ARRAY:
		return "an array";
	case JSON_OBJECT:
		return "an object";
	}
	return "a value";
}

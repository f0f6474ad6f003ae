/*
 * addr_text.c: IPv4 and IPv6 addresses to and from text, written for the
 * protocol's hot path (a request's destination, a reply's responder)
 * instead of inet_pton and inet_ntop, which cost several times more.
 * The forms accepted and printed are inet_pton's and inet_ntop's
 * (tests/unit/test_command.c compares them over generated addresses).
 * Pure.
 */
#include "addr_text.h"

#include <string.h>

/* The value of a decimal digit, or 10 or more for any other byte. */
static unsigned digit_value(char c)
{
	return (unsigned)(unsigned char)c - '0';
}

/*
 * One part of a dotted quad at p, before end: "0", or one to three digits
 * without a leading zero, at most 255.  Returns where it ends, or NULL.
 */
static const char *ip4_part(const char *p, const char *end, uint8_t *out)
{
	unsigned v, d;

	if (p == end || (v = digit_value(*p++)) > 9)
		return NULL;
	if (v != 0 && p < end && (d = digit_value(*p)) <= 9) {
		v = v * 10 + d;
		p++;
		if (p < end && (d = digit_value(*p)) <= 9) {
			v = v * 10 + d;
			p++;
		}
	}
	if (v > 255)
		return NULL;
	*out = (uint8_t)v;
	return p;
}

/*
 * A dotted quad, in the form inet_pton() accepts and no other: exactly
 * four parts separated by dots and nothing after them.  Written out
 * because it is in every IPv4 request and inet_pton() wants a C string,
 * which would mean a copy first.
 */
bool addr_text_parse4(const char *p, size_t len, struct net_addr *out)
{
	const char *end = p + len;
	uint8_t b[4];
	int part;

	for (part = 0; part < 4; part++) {
		if (part > 0 && (p == end || *p++ != '.'))
			return false;
		p = ip4_part(p, end, &b[part]);
		if (!p)
			return false;
	}
	if (p != end)
		return false;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	memcpy(out->bytes, b, 4);
	return true;
}

/* The value of a hex digit of either case, or -1. */
static int hex_value(char c)
{
	unsigned d = digit_value(c);

	if (d <= 9)
		return (int)d;
	/* Setting bit 5 makes 'A'..'F' 'a'..'f' and leaves those alone. */
	d = (unsigned)((unsigned char)c | 0x20) - 'a';
	return d < 6 ? (int)d + 10 : -1;
}

/*
 * An IPv6 literal in the forms inet_pton() accepts (RFC 4291 2.2) and no
 * other: eight groups of one to four hex digits separated by colons; at
 * most one "::" standing for one or more zero groups; the last two groups
 * possibly written as a dotted quad.  A lone colon at either end, a fifth
 * digit, a ninth group, or a "::" among eight groups are refused.
 * tests/unit/test_command.c compares it with inet_pton() on many
 * generated strings.
 */
bool addr_text_parse6(const char *p, size_t len, struct net_addr *out)
{
	const char *end = p + len;
	struct net_addr a;
	int groups = 0;		/* 16-bit groups written to a.bytes */
	int gap = -1;		/* the group where "::" stands, if any */

	memset(&a, 0, sizeof(a));
	/* A leading colon must be half of "::"; the loop sees the other. */
	if (p < end && *p == ':' && (++p == end || *p != ':'))
		return false;
	while (p < end) {
		const char *start = p;
		unsigned v = 0;
		int digits = 0, h;

		if (*p == ':') {
			if (gap >= 0)
				return false;
			gap = groups;
			p++;
			continue;
		}
		while (p < end && (h = hex_value(*p)) >= 0) {
			if (++digits > 4)
				return false;
			v = v << 4 | (unsigned)h;
			p++;
		}
		if (p < end && *p == '.') {
			struct net_addr quad;

			if (groups > 6 || !addr_text_parse4(start, (size_t)(end - start),
						     &quad))
				return false;
			memcpy(&a.bytes[2 * groups], quad.bytes, 4);
			groups += 2;
			break;
		}
		if (digits == 0 || groups == 8)
			return false;
		a.bytes[2 * groups] = (uint8_t)(v >> 8);
		a.bytes[2 * groups + 1] = (uint8_t)v;
		groups++;
		/* After a group: the end, or a colon that is not the last byte. */
		if (p < end && (*p++ != ':' || p == end))
			return false;
	}
	if (gap < 0 && groups != 8)
		return false;
	if (gap >= 0) {
		int tail = groups - gap;	/* groups after the "::" */

		if (groups == 8)
			return false;
		memmove(&a.bytes[16 - 2 * tail], &a.bytes[2 * gap],
			(size_t)(2 * tail));
		memset(&a.bytes[2 * gap], 0, (size_t)(16 - 2 * tail - 2 * gap));
	}
	a.family = AF_INET6;
	*out = a;
	return true;
}

/* A dotted quad into text (at least 15 bytes); returns its length. */
size_t addr_text_format4(const uint8_t b[4], char *text)
{
	size_t len = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = b[i];

		if (i > 0)
			text[len++] = '.';
		/* At most three digits: no loop and no length to find first. */
		if (v >= 100)
			text[len++] = (char)('0' + v / 100);
		if (v >= 10)
			text[len++] = (char)('0' + v / 10 % 10);
		text[len++] = (char)('0' + v % 10);
	}
	return len;
}

/* One group of an IPv6 address: lower-case hex without leading zeros. */
static size_t hex_group_format(unsigned v, char *text)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = 0;

	if (v >= 0x1000)
		text[len++] = hex[v >> 12];
	if (v >= 0x100)
		text[len++] = hex[(v >> 8) & 15];
	if (v >= 0x10)
		text[len++] = hex[(v >> 4) & 15];
	text[len++] = hex[v & 15];
	return len;
}

/*
 * The text of an IPv6 address into text (ADDR_TEXT_MAX bytes); returns
 * its length.  It is what inet_ntop() writes, so that replies read as
 * they always have: RFC 5952 (the longest run of two or more zero groups,
 * the first of equal runs, becomes "::"; hex in lower case without
 * leading zeros), except that the last 32 bits are a dotted quad for the
 * IPv4-mapped ::ffff:a.b.c.d and the IPv4-compatible ::a.b.c.d, which
 * inet_ntop() also prints.  Written out because inet_ntop() formats each
 * group through sprintf.
 */
size_t addr_text_format6(const uint8_t b[16], char *text)
{
	unsigned words[8];
	int best = -1, best_len = 0, run = -1, i;
	size_t len = 0;

	for (i = 0; i < 8; i++) {
		words[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
		if (words[i] != 0) {
			run = -1;
			continue;
		}
		if (run < 0)
			run = i;
		if (i + 1 - run > best_len) {
			best = run;
			best_len = i + 1 - run;
		}
	}
	if (best_len < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			text[len++] = ':';
			i += best_len - 1;
			if (i == 7)
				text[len++] = ':';
			continue;
		}
		if (i > 0)
			text[len++] = ':';
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && words[5] == 0xffff)))
			return len + addr_text_format4(b + 12, text + len);
		len += hex_group_format(words[i], text + len);
	}
	return len;
}

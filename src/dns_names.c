/*
 * dns_names.c: the pure helpers of the DNS module.
 *
 * Reverse names (RFC 1035 section 3.5 for in-addr.arpa, RFC 3596 section
 * 2.5 for ip6.arpa), the same reversal under a Team Cymru origin zone, and
 * the parser of the TXT answer that zone gives.  Nothing here touches the
 * network, the clock or c-ares, so all of it is unit-tested directly.
 */
#include "dns.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* Longest AS number text: 4294967295 (RFC 6793 four-octet AS numbers). */
#define ASN_DIGITS_MAX 10

/*
 * Write the labels of ADDR in reverse order (octets for IPv4, nibbles for
 * IPv6), each followed by a dot, then SUFFIX.  The single writer behind
 * both the PTR and the origin-AS names, so they cannot disagree.
 */
static int reversed_name(const struct hp_addr *addr, const char *suffix,
			 char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t pos = 0, need;
	int i;

	if (!addr || !suffix || !buf)
		return -1;
	if (addr->family == AF_INET) {
		const uint8_t *b = (const uint8_t *)&addr->u.v4;

		for (i = 3; i >= 0; i--) {
			int n = snprintf(buf + pos, len > pos ? len - pos : 0,
					 "%u.", (unsigned)b[i]);

			if (n < 0 || (size_t)n >= (len > pos ? len - pos : 0))
				return -1;
			pos += (size_t)n;
		}
	} else if (addr->family == AF_INET6) {
		const uint8_t *b = addr->u.v6.s6_addr;

		/* 32 nibbles, each "x.", lowest nibble of the last byte first. */
		if (len < 64)
			return -1;
		for (i = 15; i >= 0; i--) {
			buf[pos++] = hex[b[i] & 0x0f];
			buf[pos++] = '.';
			buf[pos++] = hex[b[i] >> 4];
			buf[pos++] = '.';
		}
	} else {
		return -1;
	}
	need = strlen(suffix);
	if (need >= len - pos)
		return -1;
	memcpy(buf + pos, suffix, need + 1);
	return 0;
}

int ht_dns_ptr_name(const struct hp_addr *addr, char *buf, size_t len)
{
	const char *suffix;

	if (!addr)
		return -1;
	suffix = addr->family == AF_INET6 ? "ip6.arpa" : "in-addr.arpa";
	return reversed_name(addr, suffix, buf, len);
}

int ht_dns_asn_name(const struct hp_addr *addr, const char *zone,
		    char *buf, size_t len)
{
	/* An empty zone or one starting with a dot would make an empty
	 * label, which no DNS name may contain (RFC 1035 section 2.3.1). */
	if (!zone || zone[0] == '\0' || zone[0] == '.')
		return -1;
	return reversed_name(addr, zone, buf, len);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The characters an IPv4 or IPv6 prefix in CIDR notation is made of. */
static int is_prefix_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F') || c == '.' || c == ':' || c == '/';
}

/*
 * The AS field: one or more AS numbers separated by blanks (a prefix
 * announced by several origins lists them all), written out with single
 * spaces.  Every token must be digits only and fit in 32 bits.
 */
static int parse_asn_field(const char *p, const char *end, char *out,
			   size_t outlen)
{
	size_t pos = 0;
	unsigned tokens = 0;

	while (p < end) {
		const char *tok;
		uint64_t value = 0;
		size_t n;

		while (p < end && is_blank(*p))
			p++;
		if (p == end)
			break;
		tok = p;
		while (p < end && !is_blank(*p)) {
			if (!is_digit(*p))
				return -1;
			value = value * 10 + (uint64_t)(*p - '0');
			if (p - tok >= ASN_DIGITS_MAX || value > UINT32_MAX)
				return -1;
			p++;
		}
		n = (size_t)(p - tok);
		if (pos + (tokens ? 1 : 0) + n >= outlen)
			return -1;
		if (tokens)
			out[pos++] = ' ';
		memcpy(out + pos, tok, n);
		pos += n;
		tokens++;
	}
	if (!tokens)
		return -1;
	out[pos] = '\0';
	return 0;
}

/* The prefix field, blanks trimmed; empty is allowed (not announced). */
static int parse_prefix_field(const char *p, const char *end, char *out,
			      size_t outlen)
{
	const char *q;
	size_t n;

	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	for (q = p; q < end; q++)
		if (!is_prefix_char(*q))
			return -1;
	n = (size_t)(end - p);
	if (!out)
		return 0;
	if (n >= outlen)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/*
 * The fields are separated by '|'.  Only the first two matter here; the
 * rest (country, registry, date) may be missing or hold anything, since
 * they are never shown, and a record cut short after the AS number still
 * says who originates the address.
 */
int ht_dns_parse_origin_txt(const char *txt, size_t len, char *asn,
			    size_t asnlen, char *prefix, size_t prefixlen)
{
	const char *end, *bar, *p2, *bar2;

	if (!txt || !asn || asnlen == 0)
		return -1;
	end = txt + len;
	bar = memchr(txt, '|', len);
	if (!bar)
		bar = end;
	if (parse_asn_field(txt, bar, asn, asnlen) < 0)
		return -1;
	if (bar == end) {
		if (prefix) {
			if (prefixlen == 0)
				return -1;
			prefix[0] = '\0';
		}
		return 0;
	}
	p2 = bar + 1;
	bar2 = memchr(p2, '|', (size_t)(end - p2));
	if (!bar2)
		bar2 = end;
	return parse_prefix_field(p2, bar2, prefix, prefixlen);
}

/*
 * compare.c: --compare's list of items (see compare.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "err_text.h"
#include "compare.h"

/* The protocol word at S (N bytes): 0 and *P, or -1. */
static int protocol_word(const char *s, size_t n, enum hp_protocol *p)
{
	static const struct {
		const char *word;
		enum hp_protocol protocol;
	} words[] = {
		{ "icmp", HP_ICMP }, { "udp", HP_UDP }, { "tcp", HP_TCP },
		{ "sctp", HP_SCTP },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == n &&
		    memcmp(words[i].word, s, n) == 0) {
			*p = words[i].protocol;
			return 0;
		}
	return -1;
}

/* "4" or "6" at S (N bytes): the family, or 0. */
static int family_word(const char *s, size_t n)
{
	if (n == 1 && s[0] == '4')
		return AF_INET;
	if (n == 1 && s[0] == '6')
		return AF_INET6;
	return 0;
}

/* Decimal digits only, 1-65535, no sign, no leading zero: the port or
 * -1. */
static int port_number(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 5 || s[0] == '0')
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -1;
}

static void item_label(struct ht_compare_item *it)
{
	char *l = it->label;
	size_t len = sizeof(it->label);
	int n = 0;

	if (it->has_protocol)
		n = snprintf(l, len, "%s", hp_protocol_name(it->protocol));
	if (it->port && n >= 0 && (size_t)n < len)
		n += snprintf(l + n, len - (size_t)n, ":%d", it->port);
	if (it->family && n >= 0 && (size_t)n < len)
		snprintf(l + n, len - (size_t)n, "%s%c",
			 it->has_protocol ? "/" : "",
			 it->family == AF_INET ? '4' : '6');
}

int ht_compare_item_parse(const char *s, size_t n, struct ht_compare_item *it,
			  char *err, size_t errlen)
{
	const char *end = s + n, *colon, *slash;
	size_t plen;

	memset(it, 0, sizeof(*it));
	if (n == 0) {
		ht_set_err(err, errlen, "an empty item");
		return -1;
	}
	it->family = family_word(s, n);
	if (it->family) {
		item_label(it);
		return 0;
	}
	slash = memchr(s, '/', n);
	if (slash) {
		it->family = family_word(slash + 1, (size_t)(end - slash - 1));
		if (!it->family) {
			ht_set_err(err, errlen, "the family after '/' must be "
				    "4 or 6");
			return -1;
		}
		end = slash;
	}
	colon = memchr(s, ':', (size_t)(end - s));
	plen = (size_t)((colon ? colon : end) - s);
	if (protocol_word(s, plen, &it->protocol) < 0) {
		ht_set_err(err, errlen, "want PROTO[:PORT][/FAM] (PROTO icmp, "
			    "udp, tcp or sctp) or 4 or 6");
		return -1;
	}
	it->has_protocol = 1;
	if (colon) {
		if (it->protocol == HP_ICMP) {
			ht_set_err(err, errlen, "icmp has no port");
			return -1;
		}
		it->port = port_number(colon + 1, (size_t)(end - colon - 1));
		if (it->port < 0) {
			it->port = 0;
			ht_set_err(err, errlen, "the port after ':' must be a "
				    "number from 1 to 65535");
			return -1;
		}
	}
	item_label(it);
	return 0;
}

/* S (N bytes) for a message: printable ASCII, at most 24 bytes. */
static void item_text(char *out, size_t outlen, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < outlen && i < 24; i++)
		out[k++] = s[i] > ' ' && s[i] < 0x7f ? s[i] : '?';
	if (i < n && k + 3 < outlen) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

int ht_compare_parse(const char *list, struct ht_compare_item *items,
		     unsigned *count, char *err, size_t errlen)
{
	const char *p = list;
	unsigned n = 0, i;

	*count = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char why[128], text[32];

		if (n == HT_COMPARE_MAX) {
			ht_set_err(err, errlen, "more than %d items",
				    HT_COMPARE_MAX);
			return -1;
		}
		if (ht_compare_item_parse(p, len, &items[n], why,
					  sizeof(why)) < 0) {
			if (len == 0)
				ht_set_err(err, errlen, "item %u is empty", n + 1);
			else {
				item_text(text, sizeof(text), p, len);
				ht_set_err(err, errlen, "item '%s': %s", text,
					    why);
			}
			return -1;
		}
		for (i = 0; i < n; i++)
			if (strcmp(items[i].label, items[n].label) == 0) {
				ht_set_err(err, errlen, "item '%s' is given "
					    "twice", items[n].label);
				return -1;
			}
		n++;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (n < HT_COMPARE_MIN) {
		ht_set_err(err, errlen, "one item: give %d to %d, separated "
			    "by commas (icmp,udp:53)", HT_COMPARE_MIN,
			    HT_COMPARE_MAX);
		return -1;
	}
	*count = n;
	return 0;
}

void ht_compare_effective(const struct ht_compare_item *it,
			  enum hp_protocol protocol, int port, int family,
			  struct ht_compare_probe *out)
{
	out->protocol = it->has_protocol ? it->protocol : protocol;
	out->port = it->port ? it->port : port;
	if (out->protocol == HP_ICMP)
		out->port = 0;
	out->family = it->family ? it->family : family;
}

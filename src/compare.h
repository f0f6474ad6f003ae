/*
 * compare.h: hoptrace --compare LIST, the probe kinds traced side by side
 * to each target (pure).
 *
 * LIST is 2 to HT_COMPARE_MAX comma-separated items, each PROTO[:PORT][/FAM]
 * or FAM alone: PROTO icmp, udp, tcp or sctp; PORT 1-65535 (not with
 * icmp); FAM 4 or 6.  What an item leaves out comes from the rest of the
 * command line (ht_compare_effective).  Each item has a label, its
 * canonical text ("udp:53", "tcp:443/6", "4"), which names it in every
 * output; a label parses back to the same item.
 */
#ifndef HOPTRACE_COMPARE_H
#define HOPTRACE_COMPARE_H

#include <stddef.h>

#include "client.h"

#define HT_COMPARE_MIN 2
#define HT_COMPARE_MAX 8
/* "sctp:65535/6" and its NUL, with room to spare. */
#define HT_COMPARE_LABEL 16

struct ht_compare_item {
	int has_protocol;		/* PROTO was given */
	enum hp_protocol protocol;	/* when it was */
	int port;			/* :PORT; 0 none */
	int family;			/* /FAM or FAM: AF_INET, AF_INET6; 0 */
	char label[HT_COMPARE_LABEL];
};

/*
 * One item's text (S, N bytes, no comma) into *IT; 0, or -1 with ERR
 * saying what is wrong with it (without naming the option).
 */
int ht_compare_item_parse(const char *s, size_t n, struct ht_compare_item *it,
			  char *err, size_t errlen);

/*
 * LIST into ITEMS (room for HT_COMPARE_MAX) and *COUNT; 0, or -1 with
 * ERR (an empty item, a bad one quoted with what is wrong, fewer than 2
 * or more than HT_COMPARE_MAX items, the same item twice).
 */
int ht_compare_parse(const char *list, struct ht_compare_item *items,
		     unsigned *count, char *err, size_t errlen);

/* How an item probes once the command line's defaults fill it in. */
struct ht_compare_probe {
	enum hp_protocol protocol;
	int port;			/* 0: the protocol's default; 0 icmp */
	int family;			/* 0: whatever the name resolves to */
};

/*
 * IT with the defaults: PROTOCOL (--icmp/-U/-T/-S), PORT (TARGET:PORT,
 * else -p; 0 none) and FAMILY (-4/-6, else the source's; 0 none).  An
 * item's own part always wins; an icmp item has no port.
 */
void ht_compare_effective(const struct ht_compare_item *it,
			  enum hp_protocol protocol, int port, int family,
			  struct ht_compare_probe *out);

#endif

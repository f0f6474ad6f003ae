/*
 * addr_text.h: IPv4 and IPv6 addresses to and from the text forms the
 * protocol uses (inet_pton's and inet_ntop's), without the libc calls'
 * cost.  Pure.
 */
#ifndef HOPPROBE_ADDR_TEXT_H
#define HOPPROBE_ADDR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

/* The longest text: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
#define ADDR_TEXT_MAX 46

/* len bytes of text (not NUL-terminated) as an address; false if not one. */
bool addr_text_parse4(const char *p, size_t len, struct net_addr *out);
bool addr_text_parse6(const char *p, size_t len, struct net_addr *out);

/* The address into text (ADDR_TEXT_MAX bytes; no NUL); returns its length. */
size_t addr_text_format4(const uint8_t b[4], char *text);
size_t addr_text_format6(const uint8_t b[16], char *text);

#endif

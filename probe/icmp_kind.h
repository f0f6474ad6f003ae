/*
 * icmp_kind.h: the meaning of each ICMPv4 and ICMPv6 error type and code,
 * per family, for decode.c's family tables (icmp_error_kind and
 * icmp_error_kind_by_sender, in decode.h, are built on them).  Pure.
 */
#ifndef HOPPROBE_ICMP_KIND_H
#define HOPPROBE_ICMP_KIND_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

/* The reply kind of an ICMPv4 error; KIND_NONE for what is not ours. */
enum reply_kind icmp4_error_kind(uint8_t type, uint8_t code);
/* Whether that ICMPv4 error may carry RFC 4884 extensions. */
bool icmp4_error_has_ext(uint8_t type);
/* The same for ICMPv6. */
enum reply_kind icmp6_error_kind(uint8_t type, uint8_t code);
bool icmp6_error_has_ext(uint8_t type);

#endif

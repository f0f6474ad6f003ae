/*
 * icmp_names.c: names of ICMP types and codes (see icmp_names.h), from
 * RFC 792, RFC 1122, RFC 1812 section 5.2.7.1 (codes 6-15 of destination
 * unreachable) and RFC 4443 (ICMPv6).
 */
#include <stddef.h>
#include <sys/socket.h>

#include "icmp_names.h"

#define ICMP4_ECHO_REPLY 0
#define ICMP4_UNREACH 3
#define ICMP4_TIME_EXCEEDED 11
#define ICMP4_PARAM_PROBLEM 12
#define ICMP6_UNREACH 1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_PARAM_PROBLEM 4
#define ICMP6_ECHO_REPLY 129

static const char *const unreach4[] = {
	"network unreachable",
	"host unreachable",
	"protocol unreachable",
	"port unreachable",
	"fragmentation needed",
	"source route failed",
	"destination network unknown",
	"destination host unknown",
	"source host isolated",
	"network administratively prohibited",
	"host administratively prohibited",
	"network unreachable for type of service",
	"host unreachable for type of service",
	"communication administratively prohibited",
	"host precedence violation",
	"precedence cutoff in effect",
};

/* The marks of the same codes; NULL: "!<code>". */
static const char *const unreach4_mark[] = {
	"!N", "!H", "!P", NULL, "!F", "!S", "!N", "!H",
	"!H", "!X", "!X", "!N", "!H", "!X", "!V", "!C",
};

static const char *const unreach6[] = {
	"no route to destination",
	"administratively prohibited",
	"beyond scope of source address",
	"address unreachable",
	"port unreachable",
	"source address failed ingress/egress policy",
	"reject route to destination",
	"error in source routing header",
};

static const char *const unreach6_mark[] = {
	"!N", "!X", "!S", "!H", NULL, "!X", "!X", "!S",
};

static const char *const time_exceeded[] = {
	"time to live exceeded in transit",
	"fragment reassembly time exceeded",
};

static const char *const time_exceeded6[] = {
	"hop limit exceeded in transit",
	"fragment reassembly time exceeded",
};

static const char *const param_problem6[] = {
	"erroneous header field",
	"unrecognized next header",
	"unrecognized IPv6 option",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *ht_icmp_type_name(int family, unsigned type)
{
	if (family == AF_INET6) {
		switch (type) {
		case ICMP6_UNREACH:
			return "destination unreachable";
		case ICMP6_PACKET_TOO_BIG:
			return "packet too big";
		case ICMP6_TIME_EXCEEDED:
			return "time exceeded";
		case ICMP6_PARAM_PROBLEM:
			return "parameter problem";
		case ICMP6_ECHO_REPLY:
			return "echo reply";
		default:
			return NULL;
		}
	}
	switch (type) {
	case ICMP4_ECHO_REPLY:
		return "echo reply";
	case ICMP4_UNREACH:
		return "destination unreachable";
	case ICMP4_TIME_EXCEEDED:
		return "time exceeded";
	case ICMP4_PARAM_PROBLEM:
		return "parameter problem";
	default:
		return NULL;
	}
}

const char *ht_icmp_code_name(int family, unsigned type, unsigned code)
{
	if (family == AF_INET6) {
		if (type == ICMP6_UNREACH && code < COUNT(unreach6))
			return unreach6[code];
		if (type == ICMP6_TIME_EXCEEDED && code < COUNT(time_exceeded6))
			return time_exceeded6[code];
		if (type == ICMP6_PARAM_PROBLEM && code < COUNT(param_problem6))
			return param_problem6[code];
		return NULL;
	}
	if (type == ICMP4_UNREACH && code < COUNT(unreach4))
		return unreach4[code];
	if (type == ICMP4_TIME_EXCEEDED && code < COUNT(time_exceeded))
		return time_exceeded[code];
	return NULL;
}

const char *ht_icmp_mark(int family, unsigned type, unsigned code)
{
	if (family == AF_INET6) {
		if (type == ICMP6_UNREACH && code < COUNT(unreach6_mark))
			return unreach6_mark[code];
		if (type == ICMP6_PACKET_TOO_BIG)
			return "!F";
		/* What Linux sends for a next header it has no handler for:
		 * ICMPv4's protocol unreachable. */
		if (type == ICMP6_PARAM_PROBLEM && code == 1)
			return "!P";
		return NULL;
	}
	if (type == ICMP4_UNREACH && code < COUNT(unreach4_mark))
		return unreach4_mark[code];
	return NULL;
}

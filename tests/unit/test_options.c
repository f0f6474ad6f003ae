/*
 * test_options.c: hoptrace's command line (src/options.c).
 *
 * Every expected value and message below is written by hand from the
 * option list of hoptrace(1): the ranges,
 * the defaults (and those --report changes), the wording of the errors
 * and the hints for mtr and traceroute habits.  None is copied from what
 * the parser printed.  Addresses are documentation ones (RFC 5737, RFC
 * 3849) and names are under .example.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "options.h"

#define MAX_ARGS 16

/* A command line without the program name; NULL-terminated. */
struct args {
	const char *v[MAX_ARGS];
};

#define A(...) { { __VA_ARGS__, NULL } }

/*
 * Run the parser on "hoptrace ARGS" with a writable copy of the strings,
 * as main() would see them.  The config is poisoned first so that a field
 * the parser forgot to set shows.  The copies stay alive until
 * free_argv, since the config may point into them.
 */
struct argv_copy {
	int argc;
	char *argv[MAX_ARGS + 2];
};

static void make_argv(const struct args *a, struct argv_copy *c)
{
	int i;

	c->argc = 0;
	c->argv[c->argc++] = strdup("hoptrace");
	for (i = 0; i < MAX_ARGS && a->v[i]; i++)
		c->argv[c->argc++] = strdup(a->v[i]);
	c->argv[c->argc] = NULL;
}

static void free_argv(struct argv_copy *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
}

static int parse(const struct args *a, struct argv_copy *c,
		 struct ht_config *cfg, char *err, size_t errlen)
{
	make_argv(a, c);
	memset(cfg, 0xa5, sizeof(*cfg));
	cfg->storage = NULL;
	memset(err, 'x', errlen - 1);
	err[errlen - 1] = '\0';
	return ht_options_parse(c->argc, c->argv, cfg, err, errlen);
}

/* ---- accepted command lines: one field checked per row ------------------ */

enum field {
	F_FAMILY, F_NUMERIC, F_FIRST_TTL, F_MAX_TTL, F_QUERIES, F_COUNT,
	F_INTERVAL, F_INTERFACE, F_PROTOCOL, F_PORT, F_SPORT, F_SOURCE,
	F_PSIZE, F_TOS, F_PATTERN, F_MARK, F_WAIT_MS, F_DNS_TIMEOUT, F_MPLS,
	F_ASN, F_ZONE4, F_ZONE6, F_SHOW_IPS, F_FORMAT, F_INFLIGHT,
	F_WORKERS, F_FILE, F_TARGETS, F_HELP, F_VERSION, F_FLOW, F_RATE,
	F_PMTU, F_NS, F_FLOWS, F_MDA, F_LIVE, F_FORMAT_GIVEN, F_COUNT_GIVEN,
	F_QUERIES_GIVEN, F_RECORD, F_REPLAY, F_FAIL_ON, F_EACH, F_SPLIT,
	F_WORKER_WINDOW, F_SHARD_INDEX, F_SHARD_COUNT, F_SHARD_FROM, F_SEED,
	F_SEED_GIVEN, F_LIST_TARGETS, F_RUN_ID
};

struct field_case {
	struct args args;
	enum field field;
	int64_t i;		/* integer fields */
	double d;		/* F_INTERVAL, F_DNS_TIMEOUT */
	const char *s;		/* string fields; NULL: expect NULL */
};

#define I(f, v) .field = (f), .i = (v)
#define D(f, v) .field = (f), .d = (v)
#define S(f, v) .field = (f), .s = (v)

static const struct field_case field_cases[] = {
	/* Defaults, with one target and nothing else. */
	{ A("192.0.2.1"), I(F_FAMILY, 0) },
	{ A("192.0.2.1"), I(F_NUMERIC, 0) },
	{ A("192.0.2.1"), I(F_FIRST_TTL, 1) },
	{ A("192.0.2.1"), I(F_MAX_TTL, 30) },
	{ A("192.0.2.1"), I(F_QUERIES, 3) },
	{ A("192.0.2.1"), I(F_COUNT, 1) },
	{ A("192.0.2.1"), D(F_INTERVAL, 1.0) },
	{ A("192.0.2.1"), S(F_INTERFACE, NULL) },
	{ A("192.0.2.1"), I(F_PROTOCOL, HP_ICMP) },
	{ A("192.0.2.1"), I(F_PORT, 0) },
	{ A("192.0.2.1"), I(F_SPORT, 0) },
	{ A("192.0.2.1"), S(F_SOURCE, NULL) },
	{ A("192.0.2.1"), I(F_PSIZE, 0) },
	{ A("192.0.2.1"), I(F_TOS, -1) },
	{ A("192.0.2.1"), I(F_PATTERN, -1) },
	{ A("192.0.2.1"), I(F_MARK, -1) },
	{ A("192.0.2.1"), I(F_WAIT_MS, 3000) },
	{ A("192.0.2.1"), D(F_DNS_TIMEOUT, 2.0) },
	{ A("192.0.2.1"), I(F_MPLS, 0) },
	{ A("192.0.2.1"), I(F_ASN, 0) },
	{ A("192.0.2.1"), S(F_ZONE4, "origin.asn.cymru.com") },
	{ A("192.0.2.1"), S(F_ZONE6, "origin6.asn.cymru.com") },
	{ A("192.0.2.1"), I(F_SHOW_IPS, 0) },
	{ A("192.0.2.1"), I(F_FORMAT, HT_FMT_TEXT) },
	{ A("192.0.2.1"), I(F_INFLIGHT, 1000) },
	{ A("192.0.2.1"), I(F_WORKERS, 0) },
	{ A("192.0.2.1"), S(F_FILE, NULL) },
	{ A("192.0.2.1"), I(F_TARGETS, 1) },
	{ A("192.0.2.1"), I(F_HELP, 0) },
	{ A("192.0.2.1"), I(F_VERSION, 0) },
	{ A("192.0.2.1"), I(F_FLOW, HT_FLOW_AUTO) },
	{ A("192.0.2.1"), D(F_RATE, 0.0) },
	{ A("192.0.2.1"), I(F_PMTU, 0) },
	{ A("192.0.2.1"), I(F_NS, 0) },

	/* The extensions' options. */
	{ A("--flow", "0", "192.0.2.1"), I(F_FLOW, 0) },
	{ A("--flow", "65535", "192.0.2.1"), I(F_FLOW, 65535) },
	{ A("--flow=1234", "192.0.2.1"), I(F_FLOW, 1234) },
	{ A("--flow", "off", "192.0.2.1"), I(F_FLOW, HT_FLOW_OFF) },
	{ A("--flow", "7", "--flow", "auto", "192.0.2.1"),
	  I(F_FLOW, HT_FLOW_AUTO) },
	{ A("--rate", "1000", "192.0.2.1"), D(F_RATE, 1000.0) },
	{ A("--rate", "0.5", "192.0.2.1"), D(F_RATE, 0.5) },
	{ A("--rate", "1000000", "192.0.2.1"), D(F_RATE, 1000000.0) },
	{ A("--pmtu", "192.0.2.1"), I(F_PMTU, 1) },
	{ A("--ns", "192.0.2.1"), I(F_NS, 1) },
	{ A("192.0.2.1"), I(F_FLOWS, 0) },

	/* The live view: decided later by the terminal unless asked. */
	{ A("192.0.2.1"), I(F_LIVE, HT_LIVE_AUTO) },
	{ A("192.0.2.1"), I(F_FORMAT_GIVEN, 0) },
	{ A("192.0.2.1"), I(F_COUNT_GIVEN, 0) },
	{ A("192.0.2.1"), I(F_QUERIES_GIVEN, 0) },
	{ A("--live", "192.0.2.1"), I(F_LIVE, 1) },
	{ A("--no-live", "192.0.2.1"), I(F_LIVE, 0) },
	{ A("--live", "--no-live", "192.0.2.1"), I(F_LIVE, 0) },
	{ A("--no-live", "--live", "192.0.2.1"), I(F_LIVE, 1) },
	{ A("--no-live", "-r", "192.0.2.1"), I(F_LIVE, 0) },
	{ A("-j", "192.0.2.1"), I(F_FORMAT_GIVEN, 1) },
	{ A("--csv", "192.0.2.1"), I(F_FORMAT_GIVEN, 1) },
	{ A("-c", "1", "192.0.2.1"), I(F_COUNT_GIVEN, 1) },
	{ A("-c", "1", "192.0.2.1"), I(F_COUNT, 1) },
	{ A("-q", "3", "192.0.2.1"), I(F_QUERIES_GIVEN, 1) },
	{ A("--flows", "16", "192.0.2.1"), I(F_FLOWS, 16) },
	{ A("--flows", "64", "192.0.2.1"), I(F_FLOWS, 64) },
	/* -q counts each flow's probes: 1 by default with --flows */
	{ A("--flows", "16", "192.0.2.1"), I(F_QUERIES, 1) },
	{ A("--flows", "16", "-q", "2", "192.0.2.1"), I(F_QUERIES, 2) },
	{ A("--flows", "1", "192.0.2.1"), I(F_QUERIES, 3) },
	{ A("--flows", "4", "--flow", "9", "192.0.2.1"), I(F_FLOW, 9) },
	/* --mda: 95% and up to 64 flows unless told, one probe per flow */
	{ A("192.0.2.1"), I(F_MDA, 0) },
	{ A("--mda", "192.0.2.1"), I(F_MDA, 95) },
	{ A("--mda", "192.0.2.1"), I(F_FLOWS, 64) },
	{ A("--mda", "192.0.2.1"), I(F_QUERIES, 1) },
	{ A("--mda", "--flows", "16", "192.0.2.1"), I(F_FLOWS, 16) },
	{ A("--mda", "--confidence", "99", "192.0.2.1"), I(F_MDA, 99) },
	{ A("--confidence", "99", "--mda", "192.0.2.1"), I(F_MDA, 99) },
	{ A("--mda", "--confidence", "95", "192.0.2.1"), I(F_MDA, 95) },
	{ A("--pmtu", "--psize", "9000", "192.0.2.1"), I(F_PSIZE, 9000) },

	/* --report changes the defaults of -q and -c, and only those. */
	{ A("-r", "192.0.2.1"), I(F_QUERIES, 1) },
	{ A("-r", "192.0.2.1"), I(F_COUNT, 10) },
	{ A("--report", "192.0.2.1"), I(F_QUERIES, 1) },
	{ A("--report", "192.0.2.1"), I(F_COUNT, 10) },
	{ A("192.0.2.1", "-r"), I(F_COUNT, 10) },
	{ A("-r", "-q", "3", "192.0.2.1"), I(F_QUERIES, 3) },
	{ A("-r", "-c", "2", "192.0.2.1"), I(F_COUNT, 2) },
	{ A("-c", "2", "-r", "192.0.2.1"), I(F_COUNT, 2) },
	{ A("-r", "-c", "2", "192.0.2.1"), I(F_QUERIES, 1) },
	{ A("-r", "192.0.2.1"), I(F_WAIT_MS, 3000) },
	{ A("-j", "192.0.2.1"), I(F_QUERIES, 3) },
	{ A("-j", "192.0.2.1"), I(F_COUNT, 1) },
	{ A("--jsonl", "192.0.2.1"), I(F_COUNT, 1) },
	{ A("-C", "192.0.2.1"), I(F_QUERIES, 3) },

	/* Families. */
	{ A("-4", "target.example"), I(F_FAMILY, AF_INET) },
	{ A("--ipv4", "target.example"), I(F_FAMILY, AF_INET) },
	{ A("-6", "target.example"), I(F_FAMILY, AF_INET6) },
	{ A("--ipv6", "target.example"), I(F_FAMILY, AF_INET6) },
	{ A("-4", "-6", "target.example"), I(F_FAMILY, AF_INET6) },
	{ A("-4", "192.0.2.1"), I(F_FAMILY, AF_INET) },
	{ A("-6", "2001:db8::1"), I(F_FAMILY, AF_INET6) },
	{ A("-6", "[2001:db8::1]:443"), I(F_FAMILY, AF_INET6) },

	{ A("-n", "192.0.2.1"), I(F_NUMERIC, 1) },
	{ A("--no-dns", "192.0.2.1"), I(F_NUMERIC, 1) },

	/* -f: 1..255. */
	{ A("-f", "1", "192.0.2.1"), I(F_FIRST_TTL, 1) },
	{ A("-f", "30", "192.0.2.1"), I(F_FIRST_TTL, 30) },
	{ A("-f", "255", "-m", "255", "192.0.2.1"), I(F_FIRST_TTL, 255) },
	{ A("--first-ttl", "7", "192.0.2.1"), I(F_FIRST_TTL, 7) },
	{ A("--first-ttl=7", "192.0.2.1"), I(F_FIRST_TTL, 7) },
	{ A("-f7", "192.0.2.1"), I(F_FIRST_TTL, 7) },
	{ A("-f", "007", "192.0.2.1"), I(F_FIRST_TTL, 7) },
	{ A("--first", "7", "192.0.2.1"), I(F_FIRST_TTL, 7) },

	/* -m: 1..255, not below -f. */
	{ A("-m", "1", "192.0.2.1"), I(F_MAX_TTL, 1) },
	{ A("-m", "255", "192.0.2.1"), I(F_MAX_TTL, 255) },
	{ A("--max-ttl", "64", "192.0.2.1"), I(F_MAX_TTL, 64) },
	{ A("--max-ttl=64", "192.0.2.1"), I(F_MAX_TTL, 64) },
	{ A("-f", "5", "-m", "5", "192.0.2.1"), I(F_MAX_TTL, 5) },
	{ A("-m", "5", "-f", "5", "192.0.2.1"), I(F_FIRST_TTL, 5) },

	/* -q: 1..10. */
	{ A("-q", "1", "192.0.2.1"), I(F_QUERIES, 1) },
	{ A("-q", "10", "192.0.2.1"), I(F_QUERIES, 10) },
	{ A("--queries", "5", "192.0.2.1"), I(F_QUERIES, 5) },
	{ A("--queries=5", "192.0.2.1"), I(F_QUERIES, 5) },

	/* -c: 1..1000000. */
	{ A("-c", "1", "192.0.2.1"), I(F_COUNT, 1) },
	{ A("-c", "1000000", "192.0.2.1"), I(F_COUNT, 1000000) },
	{ A("--count", "5", "192.0.2.1"), I(F_COUNT, 5) },
	{ A("--count=5", "192.0.2.1"), I(F_COUNT, 5) },

	/* -i: seconds with fractions, 0..3600. */
	{ A("-i", "0", "192.0.2.1"), D(F_INTERVAL, 0.0) },
	{ A("-i", "0.5", "192.0.2.1"), D(F_INTERVAL, 0.5) },
	{ A("-i", ".25", "192.0.2.1"), D(F_INTERVAL, 0.25) },
	{ A("-i", "2.", "192.0.2.1"), D(F_INTERVAL, 2.0) },
	{ A("-i", "3600", "192.0.2.1"), D(F_INTERVAL, 3600.0) },
	{ A("-i", "3600.000", "192.0.2.1"), D(F_INTERVAL, 3600.0) },
	{ A("--interval", "1.5", "192.0.2.1"), D(F_INTERVAL, 1.5) },
	{ A("--interval=1.5", "192.0.2.1"), D(F_INTERVAL, 1.5) },

	/* -I: any plausible interface name; existence is not checked. */
	{ A("-I", "eth0", "192.0.2.1"), S(F_INTERFACE, "eth0") },
	{ A("-I", "eth0.100", "192.0.2.1"), S(F_INTERFACE, "eth0.100") },
	{ A("-I", "a", "192.0.2.1"), S(F_INTERFACE, "a") },
	{ A("-I", "abcdefghijklmno", "192.0.2.1"),
	  S(F_INTERFACE, "abcdefghijklmno") },
	{ A("--interface", "wg0", "192.0.2.1"), S(F_INTERFACE, "wg0") },
	{ A("--interface=wg0", "192.0.2.1"), S(F_INTERFACE, "wg0") },

	/* Protocols: the last one given wins. */
	{ A("-T", "192.0.2.1"), I(F_PROTOCOL, HP_TCP) },
	{ A("--tcp", "192.0.2.1"), I(F_PROTOCOL, HP_TCP) },
	{ A("-U", "192.0.2.1"), I(F_PROTOCOL, HP_UDP) },
	{ A("-u", "192.0.2.1"), I(F_PROTOCOL, HP_UDP) },
	{ A("--udp", "192.0.2.1"), I(F_PROTOCOL, HP_UDP) },
	{ A("-S", "192.0.2.1"), I(F_PROTOCOL, HP_SCTP) },
	{ A("--sctp", "192.0.2.1"), I(F_PROTOCOL, HP_SCTP) },
	{ A("--icmp", "192.0.2.1"), I(F_PROTOCOL, HP_ICMP) },
	{ A("-T", "--icmp", "192.0.2.1"), I(F_PROTOCOL, HP_ICMP) },
	{ A("--icmp", "-u", "192.0.2.1"), I(F_PROTOCOL, HP_UDP) },
	{ A("-U", "-S", "-T", "192.0.2.1"), I(F_PROTOCOL, HP_TCP) },
	{ A("-TS", "192.0.2.1"), I(F_PROTOCOL, HP_SCTP) },

	/* -p/-P: 1..65535. */
	{ A("-p", "1", "192.0.2.1"), I(F_PORT, 1) },
	{ A("-p", "65535", "192.0.2.1"), I(F_PORT, 65535) },
	{ A("-P", "443", "192.0.2.1"), I(F_PORT, 443) },
	{ A("--port", "53", "192.0.2.1"), I(F_PORT, 53) },
	{ A("--port=53", "192.0.2.1"), I(F_PORT, 53) },
	{ A("-T", "-p", "443", "target.example"), I(F_PORT, 443) },

	/* -L: 1024..65535. */
	{ A("-L", "1024", "192.0.2.1"), I(F_SPORT, 1024) },
	{ A("-L", "65535", "192.0.2.1"), I(F_SPORT, 65535) },
	{ A("--sport", "40000", "192.0.2.1"), I(F_SPORT, 40000) },
	{ A("--sport=40000", "192.0.2.1"), I(F_SPORT, 40000) },

	/* -s/-a: address literals of either family. */
	{ A("-s", "192.0.2.9", "192.0.2.1"), S(F_SOURCE, "192.0.2.9") },
	{ A("-a", "192.0.2.9", "192.0.2.1"), S(F_SOURCE, "192.0.2.9") },
	{ A("--source", "2001:db8::9", "2001:db8::1"),
	  S(F_SOURCE, "2001:db8::9") },
	{ A("--source=198.51.100.7", "target.example"),
	  S(F_SOURCE, "198.51.100.7") },

	/* --psize: 28..65535. */
	{ A("--psize", "28", "192.0.2.1"), I(F_PSIZE, 28) },
	{ A("--psize", "65535", "192.0.2.1"), I(F_PSIZE, 65535) },
	{ A("--psize=1400", "192.0.2.1"), I(F_PSIZE, 1400) },

	/* -t/-Q: 0..255. */
	{ A("-t", "0", "192.0.2.1"), I(F_TOS, 0) },
	{ A("-t", "255", "192.0.2.1"), I(F_TOS, 255) },
	{ A("-Q", "16", "192.0.2.1"), I(F_TOS, 16) },
	{ A("--tos", "184", "192.0.2.1"), I(F_TOS, 184) },
	{ A("--tos=184", "192.0.2.1"), I(F_TOS, 184) },

	/* -B: 0..255. */
	{ A("-B", "0", "192.0.2.1"), I(F_PATTERN, 0) },
	{ A("-B", "255", "192.0.2.1"), I(F_PATTERN, 255) },
	{ A("--pattern", "65", "192.0.2.1"), I(F_PATTERN, 65) },
	{ A("--pattern=65", "192.0.2.1"), I(F_PATTERN, 65) },

	/* -M: 0..4294967295. */
	{ A("-M", "0", "192.0.2.1"), I(F_MARK, 0) },
	{ A("-M", "4294967295", "192.0.2.1"), I(F_MARK, 4294967295LL) },
	{ A("--mark", "42", "192.0.2.1"), I(F_MARK, 42) },
	{ A("--mark=42", "192.0.2.1"), I(F_MARK, 42) },

	/* -w: seconds, above 0 and up to 86400, kept in ms, at least 1. */
	{ A("-w", "1", "192.0.2.1"), I(F_WAIT_MS, 1000) },
	{ A("-w", "0.5", "192.0.2.1"), I(F_WAIT_MS, 500) },
	{ A("-w", "0.001", "192.0.2.1"), I(F_WAIT_MS, 1) },
	{ A("-w", "0.0001", "192.0.2.1"), I(F_WAIT_MS, 1) },
	{ A("-w", "1.2345", "192.0.2.1"), I(F_WAIT_MS, 1235) },
	{ A("-w", "1.2344999", "192.0.2.1"), I(F_WAIT_MS, 1234) },
	{ A("-w", "0.0005", "192.0.2.1"), I(F_WAIT_MS, 1) },
	{ A("-w", "0.0000001", "192.0.2.1"), I(F_WAIT_MS, 1) },
	{ A("-w", "86399.9995", "192.0.2.1"), I(F_WAIT_MS, 86400000) },
	{ A("-w", "3.0000000000000000001", "192.0.2.1"), I(F_WAIT_MS, 3000) },
	{ A("-w", "86400", "192.0.2.1"), I(F_WAIT_MS, 86400000) },
	{ A("--wait", "10", "192.0.2.1"), I(F_WAIT_MS, 10000) },
	{ A("--wait=2.5", "192.0.2.1"), I(F_WAIT_MS, 2500) },

	/* --dns-timeout: 0.05..60. */
	{ A("--dns-timeout", "0.05", "192.0.2.1"), D(F_DNS_TIMEOUT, 0.05) },
	{ A("--dns-timeout", "60", "192.0.2.1"), D(F_DNS_TIMEOUT, 60.0) },
	{ A("--dns-timeout=5", "192.0.2.1"), D(F_DNS_TIMEOUT, 5.0) },

	{ A("-e", "192.0.2.1"), I(F_MPLS, 1) },
	{ A("--extensions", "192.0.2.1"), I(F_MPLS, 1) },
	{ A("-z", "192.0.2.1"), I(F_ASN, 1) },
	{ A("--asn", "192.0.2.1"), I(F_ASN, 1) },
	{ A("-b", "192.0.2.1"), I(F_SHOW_IPS, 1) },
	{ A("--show-ips", "192.0.2.1"), I(F_SHOW_IPS, 1) },
	{ A("-nzeb", "192.0.2.1"), I(F_SHOW_IPS, 1) },
	{ A("-nzeb", "192.0.2.1"), I(F_NUMERIC, 1) },

	/* --asn-zone: one zone serves both families. */
	{ A("--asn-zone", "asn.example", "192.0.2.1"),
	  S(F_ZONE4, "asn.example") },
	{ A("--asn-zone", "asn.example", "192.0.2.1"),
	  S(F_ZONE6, "asn.example") },
	{ A("--asn-zone", "v4.example,v6.example", "192.0.2.1"),
	  S(F_ZONE4, "v4.example") },
	{ A("--asn-zone=v4.example,v6.example", "192.0.2.1"),
	  S(F_ZONE6, "v6.example") },
	{ A("--asn-zone", "asn.example.", "192.0.2.1"),
	  S(F_ZONE4, "asn.example.") },
	{ A("--asn-zone", "as_n-1.example", "192.0.2.1"),
	  S(F_ZONE4, "as_n-1.example") },

	/* Formats; the same one twice is fine. */
	{ A("-j", "192.0.2.1"), I(F_FORMAT, HT_FMT_JSON) },
	{ A("--json", "192.0.2.1"), I(F_FORMAT, HT_FMT_JSON) },
	{ A("--jsonl", "192.0.2.1"), I(F_FORMAT, HT_FMT_JSONL) },
	{ A("-C", "192.0.2.1"), I(F_FORMAT, HT_FMT_CSV) },
	{ A("--csv", "192.0.2.1"), I(F_FORMAT, HT_FMT_CSV) },
	{ A("-r", "192.0.2.1"), I(F_FORMAT, HT_FMT_REPORT) },
	{ A("-r", "--report", "192.0.2.1"), I(F_FORMAT, HT_FMT_REPORT) },
	{ A("-j", "-j", "192.0.2.1"), I(F_FORMAT, HT_FMT_JSON) },

	/* -N: 1..1000000. */
	{ A("-N", "1", "192.0.2.1"), I(F_INFLIGHT, 1) },
	{ A("-N", "1000000", "192.0.2.1"), I(F_INFLIGHT, 1000000) },
	{ A("--max-inflight", "5000", "192.0.2.1"), I(F_INFLIGHT, 5000) },
	{ A("--max-inflight=5000", "192.0.2.1"), I(F_INFLIGHT, 5000) },

	/* --worker is repeatable. */
	{ A("--worker", "hopprobe", "192.0.2.1"), I(F_WORKERS, 1) },
	{ A("--worker", "a", "--worker=b", "--worker", "c", "192.0.2.1"),
	  I(F_WORKERS, 3) },
	{ A("--worker", "vp1=ssh vp1 hopprobe", "192.0.2.1"), I(F_WORKERS, 1) },
	{ A("--worker", "env A=1 hopprobe", "192.0.2.1"), I(F_WORKERS, 1) },
	{ A("192.0.2.1"), I(F_EACH, 0) },
	{ A("192.0.2.1"), I(F_SPLIT, 0) },
	{ A("192.0.2.1"), I(F_WORKER_WINDOW, 0) },
	{ A("--each", "192.0.2.1"), I(F_EACH, 1) },
	{ A("--split", "192.0.2.1"), I(F_SPLIT, 1) },
	{ A("--worker-window", "1", "192.0.2.1"), I(F_WORKER_WINDOW, 1) },
	{ A("--worker-window=65536", "192.0.2.1"), I(F_WORKER_WINDOW, 65536) },

	/* --file alone is enough; targets beside it are kept. */
	{ A("--file", "targets.txt"), S(F_FILE, "targets.txt") },
	{ A("--file", "targets.txt"), I(F_TARGETS, 0) },
	{ A("--file=-"), S(F_FILE, "-") },
	{ A("--file", "t.txt", "--file", "t.txt"), S(F_FILE, "t.txt") },
	{ A("--file", "t.txt", "192.0.2.1"), I(F_TARGETS, 1) },

	/* --record FILE beside any format; --replay with --fail-on. */
	{ A("192.0.2.1"), S(F_RECORD, NULL) },
	{ A("--record", "run.jsonl", "192.0.2.1"), S(F_RECORD, "run.jsonl") },
	{ A("--record=run.jsonl", "-r", "192.0.2.1"),
	  S(F_RECORD, "run.jsonl") },
	{ A("--record", "run.jsonl", "-r", "192.0.2.1"),
	  I(F_FORMAT, HT_FMT_REPORT) },
	{ A("-j", "--record", "./-", "192.0.2.1"), S(F_RECORD, "./-") },
	{ A("--jsonl", "--record", "copy.jsonl", "192.0.2.1"),
	  S(F_RECORD, "copy.jsonl") },
	{ A("--record", "a.jsonl", "--record", "b.jsonl", "192.0.2.1"),
	  S(F_RECORD, "b.jsonl") },
	{ A("--replay", "run.jsonl", "--fail-on", "dest.loss>2%"),
	  S(F_REPLAY, "run.jsonl") },
	{ A("--replay", "run.jsonl", "--fail-on", "dest.loss>2%",
	    "--fail-on", "unreached"), I(F_FAIL_ON, 2) },
	{ A("--fail-on", "unreached", "--replay", "-", "-C"),
	  I(F_FORMAT, HT_FMT_CSV) },

	/* --shard, --shard-from, --seed, --list-targets, --run-id. */
	{ A("192.0.2.1"), I(F_SHARD_COUNT, 0) },
	{ A("192.0.2.1"), S(F_SHARD_FROM, NULL) },
	{ A("192.0.2.1"), I(F_SEED_GIVEN, 0) },
	{ A("192.0.2.1"), I(F_LIST_TARGETS, 0) },
	{ A("192.0.2.1"), S(F_RUN_ID, NULL) },
	{ A("--shard", "3/4", "--seed", "7", "192.0.2.1"), I(F_SHARD_INDEX, 3) },
	{ A("--shard", "3/4", "--seed", "7", "192.0.2.1"), I(F_SHARD_COUNT, 4) },
	{ A("--shard=0/1", "--seed=0", "192.0.2.1"), I(F_SHARD_COUNT, 1) },
	{ A("--shard", "65535/65536", "--seed", "1", "192.0.2.1"),
	  I(F_SHARD_INDEX, 65535) },
	{ A("--shard", "3/4", "--seed", "7", "192.0.2.1"), I(F_SEED, 7) },
	{ A("--seed", "18446744073709551615", "--shard", "0/2", "192.0.2.1"),
	  I(F_SEED, -1) },
	{ A("--seed", "0", "--shard", "0/2", "192.0.2.1"), I(F_SEED_GIVEN, 1) },
	{ A("--seed", "5", "192.0.2.1"), I(F_SEED, 5) },
	{ A("--shard-from", "JOB_COMPLETION_INDEX/8", "--seed", "1",
	    "192.0.2.1"), S(F_SHARD_FROM, "JOB_COMPLETION_INDEX") },
	{ A("--shard-from", "PSSH_NODENUM/8", "--seed", "1", "192.0.2.1"),
	  I(F_SHARD_COUNT, 8) },
	{ A("--list-targets", "192.0.2.1"), I(F_LIST_TARGETS, 1) },
	{ A("--run-id", "sweep-2026.12.03:a_1", "192.0.2.1"),
	  S(F_RUN_ID, "sweep-2026.12.03:a_1") },
	{ A("--run-id", "x", "192.0.2.1"), S(F_RUN_ID, "x") },
	{ A("--run-id",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "192.0.2.1"), I(F_TARGETS, 1) },
	/* A prefix is one target until it is expanded. */
	{ A("203.0.113.0/24", "2001:db8::/120"), I(F_TARGETS, 2) },

	/* Operands and options in any order, GNU style; "--" ends options. */
	{ A("192.0.2.1", "-m", "9"), I(F_MAX_TTL, 9) },
	{ A("192.0.2.1", "-n", "198.51.100.1", "-T", "203.0.113.1"),
	  I(F_TARGETS, 3) },
	{ A("192.0.2.1", "-n", "198.51.100.1", "-T", "203.0.113.1"),
	  I(F_PROTOCOL, HP_TCP) },
	{ A("-n", "--", "192.0.2.1", "198.51.100.1"), I(F_TARGETS, 2) },

	/* Help and version need no target, and stop the parsing. */
	{ A("-h"), I(F_HELP, 1) },
	{ A("--help"), I(F_HELP, 1) },
	{ A("-V"), I(F_VERSION, 1) },
	{ A("--version"), I(F_VERSION, 1) },
	{ A("--help", "-m", "300"), I(F_HELP, 1) },
	{ A("--he"), I(F_HELP, 1) },
	{ A("-m", "9", "-V", "--bogus"), I(F_VERSION, 1) },
};

static int64_t int_field(const struct ht_config *c, enum field f)
{
	switch (f) {
	case F_FAMILY: return c->family;
	case F_NUMERIC: return c->numeric;
	case F_FIRST_TTL: return c->first_ttl;
	case F_MAX_TTL: return c->max_ttl;
	case F_QUERIES: return c->queries;
	case F_COUNT: return c->count;
	case F_PROTOCOL: return c->protocol;
	case F_PORT: return c->port;
	case F_SPORT: return c->source_port;
	case F_PSIZE: return c->psize;
	case F_TOS: return c->tos;
	case F_PATTERN: return c->pattern;
	case F_MARK: return c->mark;
	case F_WAIT_MS: return c->wait_ms;
	case F_MPLS: return c->mpls;
	case F_ASN: return c->asn;
	case F_SHOW_IPS: return c->show_ips;
	case F_FORMAT: return c->format;
	case F_INFLIGHT: return c->max_inflight;
	case F_WORKERS: return c->worker_count;
	case F_EACH: return c->each;
	case F_SPLIT: return c->split;
	case F_WORKER_WINDOW: return c->worker_window;
	case F_TARGETS: return c->target_count;
	case F_FLOW: return c->flow;
	case F_PMTU: return c->pmtu;
	case F_FLOWS: return c->flows;
	case F_MDA: return c->mda;
	case F_LIVE: return c->live;
	case F_FORMAT_GIVEN: return c->format_given;
	case F_COUNT_GIVEN: return c->count_given;
	case F_QUERIES_GIVEN: return c->queries_given;
	case F_FAIL_ON: return c->fail_on_count;
	case F_SHARD_INDEX: return c->shard_index;
	case F_SHARD_COUNT: return c->shard_count;
	case F_SEED: return (int64_t)c->seed;
	case F_SEED_GIVEN: return c->seed_given;
	case F_LIST_TARGETS: return c->list_targets;
	case F_NS: return c->rtt_ns;
	case F_HELP: return c->help;
	case F_VERSION: return c->version;
	default: fail_msg("field %d is not an integer", (int)f);
	}
	return 0;
}

static const char *str_field(const struct ht_config *c, enum field f)
{
	switch (f) {
	case F_INTERFACE: return c->interface;
	case F_SOURCE: return c->source;
	case F_ZONE4: return c->asn_zone4;
	case F_ZONE6: return c->asn_zone6;
	case F_FILE: return c->file;
	case F_RECORD: return c->record;
	case F_REPLAY: return c->replay;
	case F_SHARD_FROM: return c->shard_from;
	case F_RUN_ID: return c->run_id;
	default: fail_msg("field %d is not a string", (int)f);
	}
	return NULL;
}

static void test_fields(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		const struct field_case *fc = &field_cases[i];
		struct argv_copy av;
		struct ht_config cfg;
		char err[256];
		int rc = parse(&fc->args, &av, &cfg, err, sizeof(err));

		if (rc != 0)
			fail_msg("row %zu (%s ...): unexpected error: %s", i,
				 fc->args.v[0], err);
		switch (fc->field) {
		case F_INTERVAL:
		case F_RATE:
		case F_DNS_TIMEOUT: {
			double got = fc->field == F_INTERVAL ? cfg.interval_s :
				     fc->field == F_RATE ? cfg.rate_pps :
				     cfg.dns_timeout_s;

			if (got < fc->d - 1e-9 || got > fc->d + 1e-9)
				fail_msg("row %zu: %g, expected %g", i, got,
					 fc->d);
			break;
		}
		case F_INTERFACE:
		case F_SOURCE:
		case F_ZONE4:
		case F_ZONE6:
		case F_FILE:
		case F_RECORD:
		case F_SHARD_FROM:
		case F_RUN_ID:
		case F_REPLAY: {
			const char *got = str_field(&cfg, fc->field);

			if (!fc->s) {
				if (got)
					fail_msg("row %zu: '%s', expected NULL",
						 i, got);
			} else if (!got || strcmp(got, fc->s) != 0) {
				fail_msg("row %zu: '%s', expected '%s'", i,
					 got ? got : "(null)", fc->s);
			}
			break;
		}
		default: {
			int64_t got = int_field(&cfg, fc->field);

			if (got != fc->i)
				fail_msg("row %zu (%s ...): %lld, expected "
					 "%lld", i, fc->args.v[0],
					 (long long)got, (long long)fc->i);
			break;
		}
		}
		ht_options_free(&cfg);
		free_argv(&av);
	}
}

/* ---- rejected command lines: the exact message -------------------------- */

struct error_case {
	struct args args;
	const char *message;
};

static const struct error_case error_cases[] = {
	/* No target. */
	{ A(""), "empty target" },
	{ A("-n"), "no target given (see --help)" },
	/* The live view is a format of its own. */
	{ A("--live", "-r", "192.0.2.1"), "options --live and -r/--report "
	  "cannot be combined: the live view is an output format of its own" },
	{ A("--jsonl", "--live", "192.0.2.1"), "options --jsonl and --live "
	  "cannot be combined: the live view is an output format of its own" },
	{ A("--live", "--replay", "run.jsonl"), "--live shows a running "
	  "trace: it cannot render a --replay" },
	{ A("--live=1", "192.0.2.1"), "option --live takes no value" },
	{ A("-r", "-c", "5"), "no target given (see --help)" },
	/* traceroute's -I (ICMP) took the target as an interface name. */
	{ A("-I", "target.example"),
	  "no target given (see --help); -I takes an interface name "
	  "('target.example' here); traceroute's -I, ICMP, is the default, "
	  "so leave it out" },

	/* Missing values. */
	{ A("192.0.2.1", "-c"), "option -c/--count needs a value" },
	{ A("192.0.2.1", "--count"), "option -c/--count needs a value" },
	{ A("192.0.2.1", "-m"), "option -m/--max-ttl needs a value" },
	{ A("192.0.2.1", "--psize"), "option --psize needs a value" },
	{ A("192.0.2.1", "--worker"), "option --worker needs a value" },
	{ A("192.0.2.1", "-a"), "option -a/--source needs a value" },
	{ A("192.0.2.1", "-Q"), "option -Q/--tos needs a value" },
	{ A("192.0.2.1", "--tos"), "option -t/--tos needs a value" },
	{ A("192.0.2.1", "-t"),
	  "option -t/--tos needs a value; mtr's -t is the curses view, "
	  "which hoptrace does not have" },
	{ A("-r", "192.0.2.1", "-w"),
	  "option -w/--wait needs a value; mtr's -w is the wide report; "
	  "hoptrace never truncates: use -r" },
	{ A("192.0.2.1", "-p"),
	  "option -p/--port needs a value; mtr's -p is the split view, "
	  "which hoptrace does not have" },
	{ A("192.0.2.1", "-P"), "option -P/--port needs a value" },
	{ A("--count=", "192.0.2.1"),
	  "option -c/--count: empty value (1-1000000)" },
	{ A("--wait=", "192.0.2.1"),
	  "option -w/--wait: empty value (above 0, up to 86400)" },

	/* Unknown and ambiguous options; mtr and traceroute letters. */
	{ A("--foo", "192.0.2.1"), "unknown option '--foo'" },
	{ A("--foo=bar", "192.0.2.1"), "unknown option '--foo'" },
	{ A("-X", "192.0.2.1"), "unknown option '-X'" },
	{ A("-nX", "192.0.2.1"), "unknown option '-X'" },
	{ A("--jso", "192.0.2.1"),
	  "option '--jso' is ambiguous (--json, --jsonl)" },
	{ A("-Z", "5", "192.0.2.1"),
	  "unknown option '-Z'; mtr's -Z is the probe timeout: use "
	  "-w/--wait SECONDS" },
	{ A("-F", "t.txt"),
	  "unknown option '-F'; mtr's -F reads targets from a file: use "
	  "--file FILE (traceroute's -F, don't fragment, is not supported)" },
	{ A("-x", "192.0.2.1"),
	  "unknown option '-x'; mtr's -x is XML: use -j/--json" },
	{ A("-l", "192.0.2.1"),
	  "unknown option '-l'; mtr's -l is the raw format: use --jsonl" },
	{ A("-y", "0", "192.0.2.1"),
	  "unknown option '-y'; mtr's -y is IP information: use -z/--asn "
	  "for AS numbers" },
	{ A("-A", "192.0.2.1"),
	  "unknown option '-A'; traceroute's -A looks up AS paths: use "
	  "-z/--asn" },
	{ A("-v", "192.0.2.1"),
	  "unknown option '-v'; use -V/--version for the version" },
	{ A("--report-wide", "192.0.2.1"),
	  "unknown option '--report-wide'; hoptrace never truncates names: "
	  "use -r/--report" },
	{ A("--max-hops=5", "192.0.2.1"),
	  "unknown option '--max-hops'; use -m/--max-ttl N" },
	{ A("--aslookup", "192.0.2.1"),
	  "unknown option '--aslookup'; use -z/--asn" },
	{ A("--timeout", "3", "192.0.2.1"),
	  "unknown option '--timeout'; use -w/--wait SECONDS" },

	/* Flags that take no value. */
	{ A("--asn=1", "192.0.2.1"), "option -z/--asn takes no value" },
	{ A("--icmp=yes", "192.0.2.1"), "option --icmp takes no value" },
	{ A("-z", "5", "192.0.2.1"),
	  "target '5' is neither an IPv4 address nor a host name; "
	  "traceroute's -z is the pause between probes; hoptrace's -z asks "
	  "for AS numbers and takes no value" },
	{ A("-z", "0.5", "192.0.2.1"),
	  "target '0.5' is neither an IPv4 address nor a host name; "
	  "traceroute's -z is the pause between probes; hoptrace's -z asks "
	  "for AS numbers and takes no value" },
	{ A("-U", "5", "192.0.2.1"),
	  "target '5' is neither an IPv4 address nor a host name; mtr's -U "
	  "is the number of unknown hops to stop after; hoptrace's -U means "
	  "UDP and takes no value" },
	{ A("--asn", "5", "192.0.2.1"),
	  "target '5' is neither an IPv4 address nor a host name; option "
	  "-z/--asn takes no value" },
	{ A("-e", "7", "192.0.2.1"),
	  "target '7' is neither an IPv4 address nor a host name; option "
	  "-e/--extensions takes no value" },
	{ A("-u", "3", "192.0.2.1"),
	  "target '3' is neither an IPv4 address nor a host name; option "
	  "-u/--udp takes no value" },
	{ A("-m", "5", "7", "192.0.2.1"),
	  "target '7' is neither an IPv4 address nor a host name" },

	/* -f and -m. */
	{ A("-f", "0", "192.0.2.1"),
	  "option -f/--first-ttl: '0' is out of range (1-255)" },
	{ A("-f", "256", "192.0.2.1"),
	  "option -f/--first-ttl: '256' is out of range (1-255)" },
	{ A("-m", "0", "192.0.2.1"),
	  "option -m/--max-ttl: '0' is out of range (1-255)" },
	{ A("-m", "300", "192.0.2.1"),
	  "option -m/--max-ttl: '300' is out of range (1-255)" },
	{ A("--max-ttl", "256", "192.0.2.1"),
	  "option -m/--max-ttl: '256' is out of range (1-255)" },
	{ A("-f", "10", "-m", "5", "192.0.2.1"),
	  "the first ttl (-f 10) is above the max ttl (-m 5)" },
	{ A("-m", "5", "-f", "6", "192.0.2.1"),
	  "the first ttl (-f 6) is above the max ttl (-m 5)" },
	{ A("-f", "31", "192.0.2.1"),
	  "the first ttl (-f 31) is above the default max ttl (30): raise "
	  "it with -m" },

	/* Junk, signs, fractions, hex, overflow. */
	{ A("-m", "abc", "192.0.2.1"),
	  "option -m/--max-ttl: 'abc' is not a number (1-255)" },
	{ A("-m", "5x", "192.0.2.1"),
	  "option -m/--max-ttl: '5x' is not a number (1-255)" },
	{ A("-m", " 5", "192.0.2.1"),
	  "option -m/--max-ttl: ' 5' is not a number (1-255)" },
	{ A("-m", "5 ", "192.0.2.1"),
	  "option -m/--max-ttl: '5 ' is not a number (1-255)" },
	{ A("-m", "+5", "192.0.2.1"),
	  "option -m/--max-ttl: '+5' has a sign: write the number alone "
	  "(1-255)" },
	{ A("-m", "-5", "192.0.2.1"),
	  "option -m/--max-ttl: '-5' is out of range (1-255)" },
	{ A("-m", "1.5", "192.0.2.1"),
	  "option -m/--max-ttl: '1.5' is not a whole number (1-255)" },
	{ A("-m", "0x10", "192.0.2.1"),
	  "option -m/--max-ttl: '0x10' is not a decimal number (1-255); "
	  "write 16" },
	{ A("-m", "1e2", "192.0.2.1"),
	  "option -m/--max-ttl: '1e2' is not a number (1-255)" },
	{ A("-c", "0", "192.0.2.1"),
	  "option -c/--count: '0' is out of range (1-1000000)" },
	{ A("-c", "1000001", "192.0.2.1"),
	  "option -c/--count: '1000001' is out of range (1-1000000)" },
	{ A("-c", "18446744073709551617", "192.0.2.1"),
	  "option -c/--count: '18446744073709551617' is out of range "
	  "(1-1000000)" },
	{ A("-c", "99999999999999999999999999", "192.0.2.1"),
	  "option -c/--count: '99999999999999999999999999' is out of range "
	  "(1-1000000)" },
	{ A("-c", "4294967297", "192.0.2.1"),
	  "option -c/--count: '4294967297' is out of range (1-1000000)" },

	/* -q, with the hint for more probes. */
	{ A("-q", "0", "192.0.2.1"),
	  "option -q/--queries: '0' is out of range (1-10)" },
	{ A("-q", "11", "192.0.2.1"),
	  "option -q/--queries: '11' is out of range (1-10); for more "
	  "probes per hop, add cycles with -c/--count" },
	{ A("--queries", "100", "192.0.2.1"),
	  "option -q/--queries: '100' is out of range (1-10); for more "
	  "probes per hop, add cycles with -c/--count" },

	/* -i, with traceroute's interface hint. */
	{ A("-i", "3600.001", "192.0.2.1"),
	  "option -i/--interval: '3600.001' is out of range (0-3600)" },
	{ A("-i", "3601", "192.0.2.1"),
	  "option -i/--interval: '3601' is out of range (0-3600)" },
	{ A("-i", "-1", "192.0.2.1"),
	  "option -i/--interval: '-1' is out of range (0-3600)" },
	{ A("-i", "+1", "192.0.2.1"),
	  "option -i/--interval: '+1' has a sign: write the number alone "
	  "(0-3600)" },
	{ A("-i", "1e1", "192.0.2.1"),
	  "option -i/--interval: '1e1' is not a number of seconds (0-3600); "
	  "traceroute's -i is the interface: use -I 1e1" },
	{ A("-i", "eth0", "192.0.2.1"),
	  "option -i/--interval: 'eth0' is not a number of seconds "
	  "(0-3600); traceroute's -i is the interface: use -I eth0" },
	{ A("--interval", "eth0", "192.0.2.1"),
	  "option -i/--interval: 'eth0' is not a number of seconds "
	  "(0-3600)" },
	{ A("-i", "1.2.3", "192.0.2.1"),
	  "option -i/--interval: '1.2.3' is not a number of seconds "
	  "(0-3600); traceroute's -i is the interface: use -I 1.2.3" },
	{ A("--interval", ".", "192.0.2.1"),
	  "option -i/--interval: '.' is not a number of seconds (0-3600)" },
	{ A("--interval", "1..5", "192.0.2.1"),
	  "option -i/--interval: '1..5' is not a number of seconds "
	  "(0-3600)" },
	{ A("-m", ".", "192.0.2.1"),
	  "option -m/--max-ttl: '.' is not a number (1-255)" },
	{ A("-i", "inf", "192.0.2.1"),
	  "option -i/--interval: 'inf' is not a number of seconds (0-3600); "
	  "traceroute's -i is the interface: use -I inf" },

	/* -w, with mtr's wide-report and traceroute's MAX,HERE,NEAR. */
	{ A("-w", "0", "192.0.2.1"),
	  "option -w/--wait: '0' is out of range (above 0, up to 86400)" },
	{ A("-w", "0.0", "192.0.2.1"),
	  "option -w/--wait: '0.0' is out of range (above 0, up to 86400)" },
	{ A("-w", "86400.5", "192.0.2.1"),
	  "option -w/--wait: '86400.5' is out of range (above 0, up to "
	  "86400)" },
	{ A("-w", "9999999999", "192.0.2.1"),
	  "option -w/--wait: '9999999999' is out of range (above 0, up to "
	  "86400)" },
	{ A("-w", "target.example"),
	  "option -w/--wait: 'target.example' is not a number of seconds "
	  "(above 0, up to 86400); mtr's -w is the wide report; hoptrace "
	  "never truncates: use -r" },
	{ A("-rw", "target.example"),
	  "option -w/--wait: 'target.example' is not a number of seconds "
	  "(above 0, up to 86400); mtr's -w is the wide report; hoptrace "
	  "never truncates: use -r" },
	{ A("-w", "5,3,10", "192.0.2.1"),
	  "option -w/--wait: '5,3,10' is not a number of seconds (above 0, "
	  "up to 86400); traceroute's -w MAX,HERE,NEAR: hoptrace waits one "
	  "timeout in seconds for every probe" },
	{ A("--wait", "soon", "192.0.2.1"),
	  "option -w/--wait: 'soon' is not a number of seconds (above 0, up "
	  "to 86400)" },

	/* --dns-timeout. */
	{ A("--dns-timeout", "0.04", "192.0.2.1"),
	  "option --dns-timeout: '0.04' is out of range (0.05-60)" },
	{ A("--dns-timeout", "0", "192.0.2.1"),
	  "option --dns-timeout: '0' is out of range (0.05-60)" },
	{ A("--dns-timeout", "60.01", "192.0.2.1"),
	  "option --dns-timeout: '60.01' is out of range (0.05-60)" },
	{ A("--dns-timeout", "x", "192.0.2.1"),
	  "option --dns-timeout: 'x' is not a number of seconds (0.05-60)" },

	/* -I. */
	{ A("-I", "abcdefghijklmnop", "192.0.2.1"),
	  "option -I/--interface: 'abcdefghijklmnop' is not an interface "
	  "name (1-15 characters, no '/', ':' or white space)" },
	{ A("-I", "", "192.0.2.1"),
	  "option -I/--interface: '' is not an interface name (1-15 "
	  "characters, no '/', ':' or white space)" },
	{ A("-I", "a/b", "192.0.2.1"),
	  "option -I/--interface: 'a/b' is not an interface name (1-15 "
	  "characters, no '/', ':' or white space)" },
	{ A("-I", "eth 0", "192.0.2.1"),
	  "option -I/--interface: 'eth 0' is not an interface name (1-15 "
	  "characters, no '/', ':' or white space)" },
	{ A("-I", "eth0\t", "192.0.2.1"),
	  "option -I/--interface: 'eth0?' is not an interface name (1-15 "
	  "characters, no '/', ':' or white space)" },
	{ A("-I", "..", "192.0.2.1"),
	  "option -I/--interface: '..' is not an interface name (1-15 "
	  "characters, no '/', ':' or white space); traceroute's -I is "
	  "ICMP, the default here: leave -I out, or use --icmp" },
	{ A("-I", "192.0.2.1", "198.51.100.1"),
	  "option -I/--interface: '192.0.2.1' is not an interface name "
	  "(1-15 characters, no '/', ':' or white space); traceroute's -I "
	  "is ICMP, the default here: leave -I out, or use --icmp" },
	{ A("-I", "-n", "192.0.2.1"),
	  "option -I/--interface: '-n' is not an interface name (1-15 "
	  "characters, no '/', ':' or white space); traceroute's -I is "
	  "ICMP, the default here: leave -I out, or use --icmp" },

	/* -p/-P and the ports. */
	{ A("-p", "0", "192.0.2.1"),
	  "option -p/--port: '0' is out of range (1-65535)" },
	{ A("-P", "65536", "192.0.2.1"),
	  "option -P/--port: '65536' is out of range (1-65535)" },
	{ A("-p", "target.example"),
	  "option -p/--port: 'target.example' is not a number (1-65535); "
	  "mtr's -p is the split view, which hoptrace does not have" },
	{ A("-P", "tcp", "192.0.2.1"),
	  "option -P/--port: 'tcp' is not a number (1-65535); to choose the "
	  "protocol use -T/--tcp, -U/--udp, -S/--sctp or --icmp" },
	{ A("-P", "https", "192.0.2.1"),
	  "option -P/--port: 'https' is not a number (1-65535)" },
	{ A("--port", "x", "192.0.2.1"),
	  "option -p/--port: 'x' is not a number (1-65535)" },
	{ A("-L", "1023", "192.0.2.1"),
	  "option -L/--sport: '1023' is out of range (1024-65535)" },
	{ A("-L", "65536", "192.0.2.1"),
	  "option -L/--sport: '65536' is out of range (1024-65535)" },

	/* The extensions' options. */
	{ A("--flow", "65536", "192.0.2.1"),
	  "option --flow: '65536' is out of range (0-65535); or 'off' for a "
	  "new flow per probe, 'auto' for one chosen per trace" },
	{ A("--flow", "-1", "192.0.2.1"),
	  "option --flow: '-1' is out of range (0-65535); or 'off' for a "
	  "new flow per probe, 'auto' for one chosen per trace" },
	{ A("--flow", "on", "192.0.2.1"),
	  "option --flow: 'on' is not a number (0-65535); or 'off' for a "
	  "new flow per probe, 'auto' for one chosen per trace" },
	{ A("--flow", "", "192.0.2.1"),
	  "option --flow: empty value (0-65535); or 'off' for a new flow "
	  "per probe, 'auto' for one chosen per trace" },
	{ A("192.0.2.1", "--flow"),
	  "option --flow needs a value" },
	{ A("--rate", "0", "192.0.2.1"),
	  "option --rate: '0' is out of range (probes a second, above 0, up "
	  "to 1000000)" },
	{ A("--rate", "1000001", "192.0.2.1"),
	  "option --rate: '1000001' is out of range (probes a second, above "
	  "0, up to 1000000)" },
	{ A("--rate", "1e3", "192.0.2.1"),
	  "option --rate: '1e3' is not a number (probes a second, above 0, "
	  "up to 1000000)" },
	{ A("--rate", "+5", "192.0.2.1"),
	  "option --rate: '+5' has a sign: write the number alone (probes a "
	  "second, above 0, up to 1000000)" },
	{ A("--flows", "0", "192.0.2.1"),
	  "option --flows: '0' is out of range (1-64)" },
	{ A("--flows", "65", "192.0.2.1"),
	  "option --flows: '65' is out of range (1-64)" },
	{ A("--flows", "8", "--flow", "off", "192.0.2.1"),
	  "--flows 8 needs flows: leave out --flow off" },
	{ A("--mda", "--flow", "off", "192.0.2.1"),
	  "--mda needs flows: leave out --flow off" },
	{ A("--mda", "--flows", "1", "192.0.2.1"),
	  "--mda adds flows up to --flows K: K must be 2 or more (default 64)" },
	{ A("--confidence", "99", "192.0.2.1"),
	  "--confidence 99 is the confidence of --mda: add --mda" },
	{ A("--mda", "--confidence", "90", "192.0.2.1"),
	  "option --confidence: '90' is not 95 or 99" },
	{ A("--mda", "--confidence", "", "192.0.2.1"),
	  "option --confidence: '' is not 95 or 99" },
	{ A("--record", "", "192.0.2.1"), "option --record: empty file name" },
	{ A("--record", "-", "192.0.2.1"),
	  "option --record: '-' would be standard output, which has the "
	  "rendering; name a file (or use --jsonl)" },
	{ A("--record=-", "-j", "192.0.2.1"),
	  "option --record: '-' would be standard output, which has the "
	  "rendering; name a file (or use --jsonl)" },
	{ A("--record", "192.0.2.1"), "no target given (see --help)" },
	{ A("--replay", "a.jsonl", "--record", "b.jsonl"),
	  "--record writes a live run: with --replay the recording is FILE "
	  "already" },
	{ A("--record", "b.jsonl", "--replay", "a.jsonl", "--fail-on",
	    "unreached"),
	  "--record writes a live run: with --replay the recording is FILE "
	  "already" },
	{ A("--replay", "a.jsonl", "--fail-on", "dest.lost>2%"),
	  "option --fail-on: 'dest.lost>2%': unknown metric 'lost' at 6 "
	  "(loss, rtt, best, worst, last, stdev, jitter)" },
	{ A("--fail-on", "dest.los>2%", "192.0.2.1"),
	  "option --fail-on: 'dest.los>2%': unknown metric 'los' at 6 (loss, "
	  "rtt, best, worst, last, stdev, jitter)" },
	{ A("--pmtu=1", "192.0.2.1"),
	  "option --pmtu takes no value" },

	/* -s/-a. */
	{ A("-s", "1400", "192.0.2.1"),
	  "option -s/--source: '1400' is not an address; mtr's -s is the "
	  "packet size: use --psize 1400" },
	{ A("-a", "1400", "192.0.2.1"),
	  "option -a/--source: '1400' is not an address" },
	{ A("--source", "1400", "192.0.2.1"),
	  "option -s/--source: '1400' is not an address" },
	{ A("-s", "host.example", "192.0.2.1"),
	  "option -s/--source: 'host.example' is not an address" },
	{ A("-s", "192.0.2.256", "192.0.2.1"),
	  "option -s/--source: '192.0.2.256' is not an address" },
	{ A("-4", "-s", "2001:db8::9", "target.example"),
	  "the source address '2001:db8::9' is IPv6, but -4/--ipv4 was "
	  "given" },
	{ A("-s", "192.0.2.9", "-6", "target.example"),
	  "the source address '192.0.2.9' is IPv4, but -6/--ipv6 was given" },
	{ A("-s", "2001:db8::9", "192.0.2.1"),
	  "target '192.0.2.1' is an IPv4 address, but the source address "
	  "'2001:db8::9' is IPv6" },

	/* --psize, -t/-Q, -B, -M, -N. */
	{ A("--psize", "27", "192.0.2.1"),
	  "option --psize: '27' is out of range (28-65535); the size counts "
	  "the IP header: 28 is the smallest (ICMP over IPv4)" },
	{ A("--psize", "65536", "192.0.2.1"),
	  "option --psize: '65536' is out of range (28-65535)" },
	{ A("-t", "256", "192.0.2.1"),
	  "option -t/--tos: '256' is out of range (0-255)" },
	{ A("-Q", "256", "192.0.2.1"),
	  "option -Q/--tos: '256' is out of range (0-255)" },
	{ A("-t", "target.example"),
	  "option -t/--tos: 'target.example' is not a number (0-255); mtr's "
	  "-t is the curses view, which hoptrace does not have" },
	{ A("-t", "0x10", "192.0.2.1"),
	  "option -t/--tos: '0x10' is not a decimal number (0-255); write "
	  "16" },
	{ A("-B", "256", "192.0.2.1"),
	  "option -B/--pattern: '256' is out of range (0-255)" },
	{ A("-B", "0x41", "192.0.2.1"),
	  "option -B/--pattern: '0x41' is not a decimal number (0-255); "
	  "write 65" },
	{ A("-B", "0x141", "192.0.2.1"),
	  "option -B/--pattern: '0x141' is not a decimal number (0-255)" },
	{ A("-B", "A", "192.0.2.1"),
	  "option -B/--pattern: 'A' is not a number (0-255)" },
	{ A("-M", "4294967296", "192.0.2.1"),
	  "option -M/--mark: '4294967296' is out of range (0-4294967295)" },
	{ A("-M", "0xff", "192.0.2.1"),
	  "option -M/--mark: '0xff' is not a decimal number (0-4294967295); "
	  "write 255" },
	{ A("-M", "icmp", "192.0.2.1"),
	  "option -M/--mark: 'icmp' is not a number (0-4294967295); to "
	  "choose the protocol use -T/--tcp, -U/--udp, -S/--sctp or "
	  "--icmp" },
	{ A("-N", "0", "192.0.2.1"),
	  "option -N/--max-inflight: '0' is out of range (1-1000000)" },
	{ A("-N", "1000001", "192.0.2.1"),
	  "option -N/--max-inflight: '1000001' is out of range (1-1000000)" },

	/* --asn-zone. */
	{ A("--asn-zone", "", "192.0.2.1"),
	  "option --asn-zone: '' is not a DNS zone name, or two separated "
	  "by a comma" },
	{ A("--asn-zone", "a..example", "192.0.2.1"),
	  "option --asn-zone: 'a..example' is not a DNS zone name, or two "
	  "separated by a comma" },
	{ A("--asn-zone", "a.example,", "192.0.2.1"),
	  "option --asn-zone: 'a.example,' is not a DNS zone name, or two "
	  "separated by a comma" },
	{ A("--asn-zone", "a b.example", "192.0.2.1"),
	  "option --asn-zone: 'a b.example' is not a DNS zone name, or two "
	  "separated by a comma" },
	{ A("--asn-zone", "a.example,b.example,c.example", "192.0.2.1"),
	  "option --asn-zone: 'a.example,b.example,c.example' has more than "
	  "two zones (ZONE4[,ZONE6])" },
	{ A("--asn-zone",
	    "a234567890123456789012345678901234567890123456789012345678901234"
	    ".example", "192.0.2.1"),
	  "option --asn-zone: 'a23456789012345678901234567890123456789012345"
	  "6789012345678901234...' is not a DNS zone name, or two separated "
	  "by a comma" },

	/* Output formats exclude each other. */
	{ A("-r", "-j", "192.0.2.1"),
	  "options -r/--report and -j/--json cannot be combined: choose one "
	  "output format" },
	{ A("--json", "--jsonl", "192.0.2.1"),
	  "options -j/--json and --jsonl cannot be combined: choose one "
	  "output format" },
	{ A("-C", "192.0.2.1", "--report"),
	  "options -C/--csv and -r/--report cannot be combined: choose one "
	  "output format" },
	{ A("--jsonl", "-C", "192.0.2.1"),
	  "options --jsonl and -C/--csv cannot be combined: choose one "
	  "output format" },

	/* --shard and its company. */
	{ A("--shard", "0/4", "192.0.2.1"),
	  "--shard needs --seed S: every shard must put the targets in the "
	  "same order" },
	{ A("--shard-from", "N/4", "192.0.2.1"),
	  "--shard-from needs --seed S: every shard must put the targets in "
	  "the same order" },
	{ A("--shard", "4/4", "--seed", "1", "192.0.2.1"),
	  "option --shard: '4/4': the shard index is not a number from 0 to 3" },
	{ A("--shard", "0/0", "--seed", "1", "192.0.2.1"),
	  "option --shard: '0/0': the shard count is not a number from 1 to "
	  "65536" },
	{ A("--shard", "0/65537", "--seed", "1", "192.0.2.1"),
	  "option --shard: '0/65537': the shard count is not a number from 1 "
	  "to 65536" },
	{ A("--shard", "2", "--seed", "1", "192.0.2.1"),
	  "option --shard: '2' is not I/N (shard I, from 0, of N)" },
	{ A("--shard", "0/2", "--shard", "1/2", "--seed", "1", "192.0.2.1"),
	  "option --shard: the shard is given already (one of --shard and "
	  "--shard-from, once)" },
	{ A("--shard", "0/2", "--shard-from", "N/2", "--seed", "1",
	    "192.0.2.1"),
	  "option --shard-from: the shard is given already (one of --shard "
	  "and --shard-from, once)" },
	{ A("--shard-from", "9N/2", "--seed", "1", "192.0.2.1"),
	  "option --shard-from: '9N/2': NAME is not an environment variable's "
	  "name (letters, digits and '_', not starting with a digit, at most "
	  "64)" },
	{ A("--seed", "-1", "192.0.2.1"),
	  "option --seed: '-1' is not a decimal number from 0 to "
	  "18446744073709551615" },
	{ A("--seed", "18446744073709551616", "192.0.2.1"),
	  "option --seed: '18446744073709551616' is not a decimal number from "
	  "0 to 18446744073709551615" },
	{ A("--run-id", "", "192.0.2.1"),
	  "option --run-id: '' is not a run id (1-64 characters of A-Z a-z "
	  "0-9 . _ : -)" },
	{ A("--run-id", "a b", "192.0.2.1"),
	  "option --run-id: 'a b' is not a run id (1-64 characters of A-Z a-z "
	  "0-9 . _ : -)" },
	{ A("--run-id", "run/1", "192.0.2.1"),
	  "option --run-id: 'run/1' is not a run id (1-64 characters of A-Z "
	  "a-z 0-9 . _ : -)" },
	{ A("--run-id",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "192.0.2.1"),
	  "option --run-id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' "
	  "is not a run id (1-64 characters of A-Z a-z 0-9 . _ : -)" },
	{ A("--replay", "run.jsonl", "--shard", "0/2", "--seed", "1"),
	  "--replay renders a recorded run: --shard chooses targets to trace" },
	{ A("--replay", "run.jsonl", "--list-targets"),
	  "--replay renders a recorded run: --list-targets chooses targets to "
	  "trace" },
	/* Prefixes. */
	{ A("203.0.113.5/24"),
	  "target '203.0.113.5/24': the host part is not zero (the prefix is "
	  "203.0.113.0/24)" },
	{ A("-n", "203.0.113.5/24"),
	  "target '203.0.113.5/24': the host part is not zero (the prefix is "
	  "203.0.113.0/24)" },
	{ A("2001:db8::/96"),
	  "target '2001:db8::/96' holds more than 65536 addresses: at most a "
	  "/112" },
	{ A("198.51.100.0/8"),
	  "target '198.51.100.0/8' holds more than 65536 addresses: at most a "
	  "/16" },

	/* --worker and --file. */
	{ A("--worker", "", "192.0.2.1"), "option --worker: empty command" },
	{ A("--worker", "  ", "192.0.2.1"), "option --worker: empty command" },
	{ A("--worker", "=hopprobe", "192.0.2.1"),
	  "option --worker: '=hopprobe': no name before '=' (write "
	  "NAME=COMMAND, or the command alone)" },
	{ A("--worker", "vp1=", "192.0.2.1"),
	  "option --worker: 'vp1=': no command after the name" },
	{ A("--worker-window", "0", "192.0.2.1"),
	  "option --worker-window: '0' is out of range (1-65536)" },
	{ A("--worker-window", "65537", "192.0.2.1"),
	  "option --worker-window: '65537' is out of range (1-65536)" },
	{ A("--each", "--split", "192.0.2.1"),
	  "--each and --split exclude each other: every target from every "
	  "worker, or each target from one" },
	{ A("--each", "--compare", "icmp,udp", "192.0.2.1"),
	  "--each cannot be combined with --compare: compare the items from "
	  "one worker at a time" },
	{ A("--replay", "r.jsonl", "--each"),
	  "--replay starts no worker: --worker, --each, --split and "
	  "--worker-window are for a live run" },
	{ A("--file", ""),
	  "option --file: empty file name ('-' reads standard input)" },
	{ A("--file", "a.txt", "--file", "b.txt"),
	  "option --file given twice ('a.txt' and 'b.txt'): put the targets "
	  "in one file" },

	/* Targets. */
	{ A(":80"), "target ':80' has no host before the ':'" },
	{ A("target.example:0"),
	  "target 'target.example:0': port '0' is out of range (1-65535)" },
	{ A("192.0.2.1:65536"),
	  "target '192.0.2.1:65536': port '65536' is out of range "
	  "(1-65535)" },
	{ A("[2001:db8::1]:0"),
	  "target '[2001:db8::1]:0': port '0' is out of range (1-65535)" },
	{ A("target.example:http"),
	  "target 'target.example:http': port 'http' is not a number "
	  "(1-65535)" },
	{ A("target.example:+80"),
	  "target 'target.example:+80': port '+80' is not a number "
	  "(1-65535)" },
	{ A("target.example:"),
	  "target 'target.example:': empty port after ':' (1-65535)" },
	{ A("[2001:db8::1]:"),
	  "target '[2001:db8::1]:': empty port after ':' (1-65535)" },
	{ A("[2001:db8::1"),
	  "target '[2001:db8::1': no ']' after the IPv6 address" },
	{ A("[2001:db8::1]x"),
	  "target '[2001:db8::1]x': only ':PORT' may follow ']'" },
	{ A("[]:80"),
	  "target '[]:80': brackets hold an IPv6 address, as in "
	  "[2001:db8::1]:443" },
	{ A("[192.0.2.1]:80"),
	  "target '[192.0.2.1]:80': brackets hold an IPv6 address, as in "
	  "[2001:db8::1]:443" },
	{ A("2001:db8::1::2"),
	  "target '2001:db8::1::2' is not an IPv6 address (a port after an "
	  "IPv6 address takes brackets: [2001:db8::1]:443)" },
	{ A("host.example:80:90"),
	  "target 'host.example:80:90' is not an IPv6 address (a port after "
	  "an IPv6 address takes brackets: [2001:db8::1]:443)" },
	{ A("192.0.2.300"),
	  "target '192.0.2.300' is neither an IPv4 address nor a host name" },
	{ A("-", "-n"),
	  "target '-' is not a host name or address; to read targets from "
	  "standard input use --file -" },
	{ A("--", "-n"), "target '-n' is not a host name or address" },
	{ A("-4", "2001:db8::1"),
	  "target '2001:db8::1' is an IPv6 address, but -4/--ipv4 was given" },
	{ A("[2001:db8::1]:443", "-4"),
	  "target '2001:db8::1' is an IPv6 address, but -4/--ipv4 was given" },
	{ A("-6", "192.0.2.1:80"),
	  "target '192.0.2.1' is an IPv4 address, but -6/--ipv6 was given" },

	/* --compare: the items, and what they cannot go with. */
	{ A("--compare", "icmp", "192.0.2.1"),
	  "option --compare: one item: give 2 to 8, separated by commas "
	  "(icmp,udp:53)" },
	{ A("--compare", "icmp,", "192.0.2.1"),
	  "option --compare: item 2 is empty" },
	{ A("--compare", ",icmp", "192.0.2.1"),
	  "option --compare: item 1 is empty" },
	{ A("--compare", "icmp,udp,tcp,sctp,4,6,udp:53,tcp:443,sctp:80",
	    "192.0.2.1"),
	  "option --compare: more than 8 items" },
	{ A("--compare", "icmp,icmp", "192.0.2.1"),
	  "option --compare: item 'icmp' is given twice" },
	{ A("--compare", "icmp:80,udp", "192.0.2.1"),
	  "option --compare: item 'icmp:80': icmp has no port" },
	{ A("--compare", "udp:0,tcp", "192.0.2.1"),
	  "option --compare: item 'udp:0': the port after ':' must be a "
	  "number from 1 to 65535" },
	{ A("--compare", "udp:65536,tcp", "192.0.2.1"),
	  "option --compare: item 'udp:65536': the port after ':' must be a "
	  "number from 1 to 65535" },
	{ A("--compare", "udp:+53,tcp", "192.0.2.1"),
	  "option --compare: item 'udp:+53': the port after ':' must be a "
	  "number from 1 to 65535" },
	{ A("--compare", "udp:,tcp", "192.0.2.1"),
	  "option --compare: item 'udp:': the port after ':' must be a "
	  "number from 1 to 65535" },
	{ A("--compare", "icmp/5,udp", "192.0.2.1"),
	  "option --compare: item 'icmp/5': the family after '/' must be 4 "
	  "or 6" },
	{ A("--compare", "ICMP,udp", "192.0.2.1"),
	  "option --compare: item 'ICMP': want PROTO[:PORT][/FAM] (PROTO "
	  "icmp, udp, tcp or sctp) or 4 or 6" },
	{ A("--compare", "/4,udp", "192.0.2.1"),
	  "option --compare: item '/4': want PROTO[:PORT][/FAM] (PROTO "
	  "icmp, udp, tcp or sctp) or 4 or 6" },
	{ A("--compare", "4,6", "--compare", "icmp,udp", "192.0.2.1"),
	  "option --compare given twice: put every item in one list "
	  "(--compare icmp,udp:53,tcp:443)" },
	{ A("--compare", "4,6", "-4", "target.example"),
	  "--compare item '6' is IPv6, but -4/--ipv4 was given" },
	{ A("-6", "--compare", "icmp/4,udp", "target.example"),
	  "--compare item 'icmp/4' is IPv4, but -6/--ipv6 was given" },
	{ A("-s", "192.0.2.2", "--compare", "icmp,tcp/6", "target.example"),
	  "--compare item 'tcp/6' is IPv6, but the source address "
	  "'192.0.2.2' is IPv4" },
	{ A("-U", "--compare", "icmp,tcp:443", "192.0.2.1"),
	  "option -U/--udp does nothing with --compare when every item names "
	  "its protocol: leave it out, or give items without one (4,6)" },
	{ A("--compare", "udp,4", "-U", "-4", "target.example"),
	  "--compare items 'udp' and '4' probe alike here: give each kind "
	  "once" },
	{ A("--compare", "icmp,udp", "--flows", "4", "192.0.2.1"),
	  "--compare cannot be combined with --flows: trace the items one at "
	  "a time with it" },
	{ A("--compare", "icmp,udp", "--mda", "192.0.2.1"),
	  "--compare cannot be combined with --mda: trace the items one at a "
	  "time with it" },
	{ A("--compare", "icmp,udp", "--replay", "run.jsonl"),
	  "--compare probes a target: with --replay the recording holds the "
	  "items it compared" },
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *ec = &error_cases[i];
		struct argv_copy av;
		struct ht_config cfg;
		char err[512];
		int rc = parse(&ec->args, &av, &cfg, err, sizeof(err));

		if (rc != -1)
			fail_msg("row %zu (%s ...): accepted, expected '%s'",
				 i, ec->args.v[0], ec->message);
		if (strcmp(err, ec->message) != 0)
			fail_msg("row %zu:\n got      '%s'\n expected '%s'", i,
				 err, ec->message);
		/* Freed already; a second free must be harmless. */
		assert_null(cfg.storage);
		ht_options_free(&cfg);
		free_argv(&av);
	}
}

/* A message longer than the buffer is cut, still NUL-terminated. */
static void test_error_truncated(void **state)
{
	struct args a = A("-m", "300", "192.0.2.1");
	struct argv_copy av;
	struct ht_config cfg;
	char err[12];

	(void)state;
	assert_int_equal(parse(&a, &av, &cfg, err, sizeof(err)), -1);
	assert_string_equal(err, "option -m/-");
	free_argv(&av);
}

/* ---- targets ------------------------------------------------------------ */

struct target_case {
	const char *arg;
	const char *host;	/* NULL: rejected */
	int port;
};

static const struct target_case target_cases[] = {
	{ "192.0.2.1", "192.0.2.1", 0 },
	{ "192.0.2.1:80", "192.0.2.1", 80 },
	{ "192.0.2.1:1", "192.0.2.1", 1 },
	{ "192.0.2.1:65535", "192.0.2.1", 65535 },
	{ "192.0.2.1:0", NULL, 0 },
	{ "192.0.2.1:65536", NULL, 0 },
	{ "192.0.2.1:99999999999999999999", NULL, 0 },
	{ "192.0.2.1:-1", NULL, 0 },
	{ "192.0.2.1:8x", NULL, 0 },
	{ "target.example", "target.example", 0 },
	{ "target.example:443", "target.example", 443 },
	{ "target.example.", "target.example.", 0 },
	{ "localhost", "localhost", 0 },
	{ "TARGET.Example", "TARGET.Example", 0 },
	{ "[2001:db8::1]:443", "2001:db8::1", 443 },
	{ "[2001:db8::1]", "2001:db8::1", 0 },
	{ "[::1]:7", "::1", 7 },
	{ "2001:db8::1", "2001:db8::1", 0 },
	{ "2001:db8:3::2", "2001:db8:3::2", 0 },
	{ "::1", "::1", 0 },
	{ "::ffff:192.0.2.1", "::ffff:192.0.2.1", 0 },
	/* Eight groups: an address, not an address with a port. */
	{ "2001:db8:0:0:0:0:0:443", "2001:db8:0:0:0:0:0:443", 0 },
	{ "", NULL, 0 },
	{ ":80", NULL, 0 },
	{ ":", NULL, 0 },
	{ "[2001:db8::1]:65536", NULL, 0 },
	{ "[2001:db8::1]443", NULL, 0 },
	{ "[2001:db8::g]", NULL, 0 },
	{ "2001:db8::g", NULL, 0 },
	{ "192.0.2", NULL, 0 },
	{ "12345", NULL, 0 },
	{ "a b", NULL, 0 },
	{ "target.example\n", NULL, 0 },
	{ "-x", NULL, 0 },
};

static void test_target_parse(void **state)
{
	struct ht_config cfg;
	size_t i;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	for (i = 0; i < sizeof(target_cases) / sizeof(target_cases[0]); i++) {
		const struct target_case *tc = &target_cases[i];
		struct ht_target t = { (const char *)"poison", -7 };
		char err[256] = "";
		int rc = ht_target_parse(&cfg, tc->arg, &t, err, sizeof(err));

		if (!tc->host) {
			if (rc != -1)
				fail_msg("row %zu '%s': accepted", i, tc->arg);
			if (err[0] == '\0')
				fail_msg("row %zu '%s': no message", i, tc->arg);
			continue;
		}
		if (rc != 0)
			fail_msg("row %zu '%s': %s", i, tc->arg, err);
		assert_string_equal(t.host, tc->host);
		assert_int_equal(t.port, tc->port);
	}
	/* ht_target_parse copies the host into the config: it is not the
	 * argument itself. */
	{
		char arg[] = "[2001:db8::5]:80";
		struct ht_target t;
		char err[64];

		assert_int_equal(ht_target_parse(&cfg, arg, &t, err,
						 sizeof(err)), 0);
		memset(arg, 'x', sizeof(arg) - 1);
		assert_string_equal(t.host, "2001:db8::5");
	}
	ht_options_free(&cfg);
	assert_null(cfg.storage);
}

/* Targets come out in argument order, with their own ports. */
static void test_target_order(void **state)
{
	struct args a = A("-T", "-p", "443", "192.0.2.1:80", "-n",
			  "[2001:db8::1]:8443", "target.example", "-r",
			  "2001:db8::2");
	static const struct ht_target want[] = {
		{ "192.0.2.1", 80 }, { "2001:db8::1", 8443 },
		{ "target.example", 0 }, { "2001:db8::2", 0 },
	};
	struct argv_copy av;
	struct ht_config cfg;
	char err[256];
	unsigned i;

	(void)state;
	assert_int_equal(parse(&a, &av, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.port, 443);
	assert_int_equal(cfg.target_count, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(cfg.targets[i].host, want[i].host);
		assert_int_equal(cfg.targets[i].port, want[i].port);
	}
	/* argv was not permuted: main() may still print it. */
	assert_string_equal(av.argv[1], "-T");
	assert_string_equal(av.argv[4], "192.0.2.1:80");
	assert_string_equal(av.argv[5], "-n");
	assert_string_equal(av.argv[9], "2001:db8::2");
	ht_options_free(&cfg);
	free_argv(&av);
}

/* A port on an ICMP target is kept and not an error. */
static void test_icmp_port(void **state)
{
	struct args a = A("--icmp", "target.example:80");
	struct argv_copy av;
	struct ht_config cfg;
	char err[256];

	(void)state;
	assert_int_equal(parse(&a, &av, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.protocol, HP_ICMP);
	assert_int_equal(cfg.targets[0].port, 80);
	ht_options_free(&cfg);
	free_argv(&av);
}

/* ---- --file text -------------------------------------------------------- */

struct file_case {
	const char *text;
	int family;		/* cfg->family when it is read */
	unsigned count;		/* targets expected, or 0 with an error */
	const char *hosts[4];
	int ports[4];
	const char *message;	/* NULL: accepted */
};

static const struct file_case file_cases[] = {
	{ "192.0.2.1\n", 0, 1, { "192.0.2.1" }, { 0 }, NULL },
	{ "192.0.2.1", 0, 1, { "192.0.2.1" }, { 0 }, NULL },
	{ "", 0, 0, { NULL }, { 0 }, NULL },
	{ "\n\n   \n\t\n", 0, 0, { NULL }, { 0 }, NULL },
	{ "# only a comment\n", 0, 0, { NULL }, { 0 }, NULL },
	{ "# targets\n192.0.2.1\n\n  target.example:443  # web\n"
	  "[2001:db8::1]:53\r\n2001:db8::2\n",
	  0, 4, { "192.0.2.1", "target.example", "2001:db8::1", "2001:db8::2" },
	  { 0, 443, 53, 0 }, NULL },
	{ "\t198.51.100.7\t\r\n", 0, 1, { "198.51.100.7" }, { 0 }, NULL },
	{ "192.0.2.1\n192.0.2.1:0\n", 0, 0, { NULL }, { 0 },
	  "line 2: target '192.0.2.1:0': port '0' is out of range "
	  "(1-65535)" },
	{ "# a\n\n:80\n", 0, 0, { NULL }, { 0 },
	  "line 3: target ':80' has no host before the ':'" },
	{ "192.0.2.1 192.0.2.2\n", 0, 0, { NULL }, { 0 },
	  "line 1: '192.0.2.1 192.0.2.2' holds more than one target (one "
	  "per line)" },
	{ "192.0.2.1\n2001:db8::1\n", AF_INET, 0, { NULL }, { 0 },
	  "line 2: target '2001:db8::1' is an IPv6 address, but -4/--ipv4 "
	  "was given" },
	{ "target.example\n\n\n\n\n\n\n\n\n12\n", 0, 0, { NULL }, { 0 },
	  "line 10: target '12' is neither an IPv4 address nor a host name" },
};

static void test_file_text(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]); i++) {
		const struct file_case *fc = &file_cases[i];
		struct ht_config cfg;
		char err[256] = "";
		unsigned k;
		int rc;

		memset(&cfg, 0, sizeof(cfg));
		cfg.family = fc->family;
		rc = ht_targets_from_text(&cfg, fc->text, strlen(fc->text), err,
					  sizeof(err));
		if (fc->message) {
			if (rc != -1)
				fail_msg("row %zu: accepted", i);
			if (strcmp(err, fc->message) != 0)
				fail_msg("row %zu:\n got      '%s'\n expected "
					 "'%s'", i, err, fc->message);
			/* Nothing from a bad file is kept. */
			assert_int_equal(cfg.target_count, 0);
		} else {
			if (rc != 0)
				fail_msg("row %zu: %s", i, err);
			assert_int_equal(cfg.target_count, fc->count);
			for (k = 0; k < fc->count; k++) {
				assert_string_equal(cfg.targets[k].host,
						    fc->hosts[k]);
				assert_int_equal(cfg.targets[k].port,
						 fc->ports[k]);
			}
		}
		ht_options_free(&cfg);
	}
}

/* The file's targets come after those of the command line. */
static void test_file_appends(void **state)
{
	struct args a = A("--file", "t.txt", "192.0.2.1");
	static const char text[] = "198.51.100.1\n203.0.113.1:80\n";
	struct argv_copy av;
	struct ht_config cfg;
	char err[256];

	(void)state;
	assert_int_equal(parse(&a, &av, &cfg, err, sizeof(err)), 0);
	assert_int_equal(ht_targets_from_text(&cfg, text, sizeof(text) - 1,
					      err, sizeof(err)), 0);
	assert_int_equal(cfg.target_count, 3);
	assert_string_equal(cfg.targets[0].host, "192.0.2.1");
	assert_string_equal(cfg.targets[1].host, "198.51.100.1");
	assert_string_equal(cfg.targets[2].host, "203.0.113.1");
	assert_int_equal(cfg.targets[2].port, 80);
	ht_options_free(&cfg);
	free_argv(&av);
}

/* Text with a NUL byte (a binary file) and without a final newline. */
static void test_file_binary(void **state)
{
	static const char text[] = "192.0.2.1\n19\0002.0.2.2\n";
	struct ht_config cfg;
	char err[256];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(ht_targets_from_text(&cfg, text, sizeof(text) - 1,
					      err, sizeof(err)), -1);
	assert_string_equal(err, "line 2: a NUL byte (is this a text file?)");
	/* Only LEN bytes are read, and the last line needs no newline. */
	assert_int_equal(ht_targets_from_text(&cfg, text, 9, err,
					      sizeof(err)), 0);
	assert_int_equal(cfg.target_count, 1);
	ht_options_free(&cfg);
}

/* Many targets: the arrays grow. */
static void test_file_many(void **state)
{
	struct ht_config cfg;
	char *text = malloc(20 * 1000 + 1);
	char err[256];
	size_t len = 0;
	unsigned i;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < 1000; i++)
		len += (size_t)sprintf(text + len, "192.0.2.%u\n", i % 256);
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(ht_targets_from_text(&cfg, text, len, err,
					      sizeof(err)), 0);
	assert_int_equal(cfg.target_count, 1000);
	assert_string_equal(cfg.targets[999].host, "192.0.2.231");
	ht_options_free(&cfg);
	free(text);
}

/* ---- workers, repeated parsing ------------------------------------------ */

static void test_workers(void **state)
{
	struct args a = A("--worker", "hopprobe", "192.0.2.1", "--worker",
			  "sudo /usr/bin/hopprobe", "--worker=./probe/hopprobe");
	struct argv_copy av;
	struct ht_config cfg;
	char err[256];

	(void)state;
	assert_int_equal(parse(&a, &av, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.worker_count, 3);
	assert_string_equal(cfg.workers[0], "hopprobe");
	assert_string_equal(cfg.workers[1], "sudo /usr/bin/hopprobe");
	assert_string_equal(cfg.workers[2], "./probe/hopprobe");
	ht_options_free(&cfg);
	assert_null(cfg.workers);
	assert_int_equal(cfg.worker_count, 0);
	free_argv(&av);
}

/*
 * getopt keeps state between calls: the second parse must start afresh,
 * even after the first stopped inside a group of letters ("-nX").
 */
static void test_parse_twice(void **state)
{
	struct args bad = A("-nXr", "192.0.2.1");
	struct args report = A("-r", "-z", "192.0.2.1", "-c", "3");
	struct args plain = A("198.51.100.1");
	struct argv_copy av;
	struct ht_config cfg;
	char err[256];
	int round;

	(void)state;
	for (round = 0; round < 3; round++) {
		assert_int_equal(parse(&bad, &av, &cfg, err, sizeof(err)), -1);
		assert_string_equal(err, "unknown option '-X'");
		free_argv(&av);

		assert_int_equal(parse(&report, &av, &cfg, err, sizeof(err)), 0);
		assert_int_equal(cfg.format, HT_FMT_REPORT);
		assert_int_equal(cfg.queries, 1);
		assert_int_equal(cfg.count, 3);
		assert_int_equal(cfg.asn, 1);
		assert_int_equal(cfg.target_count, 1);
		ht_options_free(&cfg);
		free_argv(&av);

		/* Nothing of the previous call is left over. */
		assert_int_equal(parse(&plain, &av, &cfg, err, sizeof(err)), 0);
		assert_int_equal(cfg.format, HT_FMT_TEXT);
		assert_int_equal(cfg.queries, 3);
		assert_int_equal(cfg.count, 1);
		assert_int_equal(cfg.asn, 0);
		assert_int_equal(cfg.target_count, 1);
		assert_string_equal(cfg.targets[0].host, "198.51.100.1");
		ht_options_free(&cfg);
		free_argv(&av);
	}
}

/* ---- the help text ------------------------------------------------------ */

/*
 * Whether the live view is shown: (live option, a format given, stdout a
 * terminal, TERM) -> wanted, from the rule in hoptrace(1).
 */
static void test_live_wanted(void **state)
{
	static const struct {
		int live;
		int format_given;
		int tty;
		const char *term;
		int want;
	} rows[] = {
		{ HT_LIVE_AUTO, 0, 1, "xterm-256color", 1 },
		{ HT_LIVE_AUTO, 0, 1, "screen", 1 },
		{ HT_LIVE_AUTO, 0, 0, "xterm", 0 },	/* a pipe or a file */
		{ HT_LIVE_AUTO, 1, 1, "xterm", 0 },	/* -r, -j, --jsonl, -C */
		{ HT_LIVE_AUTO, 0, 1, NULL, 0 },	/* TERM unset */
		{ HT_LIVE_AUTO, 0, 1, "", 0 },
		{ HT_LIVE_AUTO, 0, 1, "dumb", 0 },
		{ HT_LIVE_AUTO, 0, 1, "dumb-ish", 1 },
		{ 1, 0, 0, NULL, 1 },			/* --live: asked */
		{ 1, 0, 1, "dumb", 1 },
		{ 0, 0, 1, "xterm", 0 },		/* --no-live */
	};
	struct ht_config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.live = rows[i].live;
		cfg.format_given = rows[i].format_given;
		if (ht_live_wanted(&cfg, rows[i].tty, rows[i].term) !=
		    rows[i].want)
			fail_msg("row %zu: expected %d", i, rows[i].want);
	}
	/* A replay is never live unless asked (and then refused above). */
	memset(&cfg, 0, sizeof(cfg));
	cfg.live = HT_LIVE_AUTO;
	cfg.replay = "run.jsonl";
	assert_int_equal(ht_live_wanted(&cfg, 1, "xterm"), 0);
}

/* Live defaults: one probe per hop and cycle unless -q said otherwise. */
static void test_live_defaults(void **state)
{
	struct ht_config cfg;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.queries = 3;
	ht_live_defaults(&cfg);
	assert_int_equal(cfg.queries, 1);
	cfg.queries = 3;
	cfg.queries_given = 1;
	ht_live_defaults(&cfg);
	assert_int_equal(cfg.queries, 3);
}

/* --compare's items as parsed: labels, parts, and the defaults the rest
 * of the command line gives the parts an item leaves out. */
struct compare_case {
	struct args args;
	unsigned count;
	const char *labels[3];
	int protocols[3];	/* effective, with -p and the protocol */
	int ports[3];
	int families[3];
};

static const struct compare_case compare_cases[] = {
	{ A("--compare", "icmp,udp:53,tcp:443", "192.0.2.1"), 3,
	  { "icmp", "udp:53", "tcp:443" }, { HP_ICMP, HP_UDP, HP_TCP },
	  { 0, 53, 443 }, { 0, 0, 0 } },
	/* FAM alone: the protocol and port the other options give. */
	{ A("-T", "-p", "8443", "--compare", "4,6", "target.example"), 2,
	  { "4", "6" }, { HP_TCP, HP_TCP }, { 8443, 8443 },
	  { AF_INET, AF_INET6 } },
	/* -p for the items without a port, never for icmp. */
	{ A("--compare", "icmp/4,icmp/6,tcp:443/6", "-p", "80",
	    "target.example"), 3,
	  { "icmp/4", "icmp/6", "tcp:443/6" }, { HP_ICMP, HP_ICMP, HP_TCP },
	  { 0, 0, 443 }, { AF_INET, AF_INET6, AF_INET6 } },
	/* -4 is the family of items without one. */
	{ A("-4", "--compare=sctp,udp", "target.example"), 2,
	  { "sctp", "udp" }, { HP_SCTP, HP_UDP }, { 0, 0 },
	  { AF_INET, AF_INET } },
	{ A("--compare", "udp:33434,udp:53", "192.0.2.1"), 2,
	  { "udp:33434", "udp:53" }, { HP_UDP, HP_UDP }, { 33434, 53 },
	  { 0, 0 } },
};

static void test_compare(void **state)
{
	size_t i;
	unsigned k;

	(void)state;
	for (i = 0; i < sizeof(compare_cases) / sizeof(compare_cases[0]); i++) {
		const struct compare_case *cc = &compare_cases[i];
		struct argv_copy av;
		struct ht_config cfg;
		char err[256];

		if (parse(&cc->args, &av, &cfg, err, sizeof(err)) != 0)
			fail_msg("row %zu: unexpected error: %s", i, err);
		assert_int_equal(cfg.compare_count, cc->count);
		for (k = 0; k < cc->count; k++) {
			struct ht_compare_probe pr;

			assert_string_equal(cfg.compare[k].label,
					    cc->labels[k]);
			ht_compare_effective(&cfg.compare[k], cfg.protocol,
					     cfg.port, cfg.family, &pr);
			if ((int)pr.protocol != cc->protocols[k] ||
			    pr.port != cc->ports[k] ||
			    pr.family != cc->families[k])
				fail_msg("row %zu item %u: %d/%d/%d, expected "
					 "%d/%d/%d", i, k, (int)pr.protocol,
					 pr.port, pr.family, cc->protocols[k],
					 cc->ports[k], cc->families[k]);
		}
		ht_options_free(&cfg);
		free_argv(&av);
	}
	/* Without --compare: no items. */
	{
		struct args a = A("192.0.2.1");
		struct argv_copy av;
		struct ht_config cfg;
		char err[256];

		assert_int_equal(parse(&a, &av, &cfg, err, sizeof(err)), 0);
		assert_int_equal(cfg.compare_count, 0);
		ht_options_free(&cfg);
		free_argv(&av);
	}
}

static void test_usage(void **state)
{
	static const char *const needles[] = {
		"-4, --ipv4", "-6, --ipv6", "-f, --first-ttl", "-m, --max-ttl",
		"-q, --queries", "-c, --count", "-i, --interval", "-w, --wait",
		"--icmp", "-U, -u, --udp", "-T, --tcp", "-S, --sctp",
		"-p, -P, --port", "-L, --sport", "-s, -a, --source",
		"-I, --interface", "--psize", "-t, -Q, --tos", "-B, --pattern",
		"-M, --mark", "-N, --max-inflight", "-r, --report",
		"-j, --json", "--jsonl", "-C, --csv", "-e, --extensions",
		"-b, --show-ips", "--live", "--no-live", "-n, --no-dns", "--dns-timeout", "-z, --asn",
		"--asn-zone", "--worker", "--each", "--split",
		"--worker-window N", "--file", "-h, --help",
		"--shard I/N", "--shard-from NAME/N", "--seed S",
		"--list-targets", "--run-id TEXT",
		"-V, --version", "HOPTRACE_WORKER",
		"Probing:", "Output:", "Names and AS numbers:",
		"Targets and worker:",
		"0 every target was reached", "1 some target was not reached",
		"2 usage error", "3 the worker", "4 partial",
		"hoptrace 192.0.2.130\n", "hoptrace -T -p 443 target.example\n",
		"hoptrace -r -c 5 192.0.2.130\n",
		"hoptrace --jsonl -n 192.0.2.130 2001:db8:3::2 | jq .\n",
		"hoptrace --file targets.txt -N 5000 --csv\n",
		"origin.asn.cymru.com,origin6.asn.cymru.com",
		"--record FILE", "--replay FILE",
		"hoptrace diff [-j] [--rtt-band MODE] A.jsonl B.jsonl",
		"hoptrace diff monday.jsonl tuesday.jsonl\n",
		"hoptrace --replay monday.jsonl --fail-on 'dest.loss>2%'\n",
		"--compare LIST",
		"hoptrace -r --compare icmp,udp:53,tcp:443 target.example\n",
	};
	const char *p, *line;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (!strstr(ht_usage_text, needles[i]))
			fail_msg("--help lacks '%s'", needles[i]);
	/* Fits an 80-column terminal; ends with a newline. */
	for (line = p = ht_usage_text; *p; p++)
		if (*p == '\n') {
			if (p - line > 79)
				fail_msg("line too long: %.*s", (int)(p - line),
					 line);
			line = p + 1;
		}
	assert_true(p > ht_usage_text && p[-1] == '\n');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_live_wanted),
		cmocka_unit_test(test_live_defaults),
		cmocka_unit_test(test_error_truncated),
		cmocka_unit_test(test_target_parse),
		cmocka_unit_test(test_target_order),
		cmocka_unit_test(test_icmp_port),
		cmocka_unit_test(test_file_text),
		cmocka_unit_test(test_file_appends),
		cmocka_unit_test(test_file_binary),
		cmocka_unit_test(test_file_many),
		cmocka_unit_test(test_workers),
		cmocka_unit_test(test_parse_twice),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

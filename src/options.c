/*
 * options.c: hoptrace's command line -> struct ht_config (options.h).
 *
 * The probe options follow traceroute's letters and the report options
 * mtr's, and where the two tools give one letter different meanings the
 * value usually shows which one the user had in mind: a bare number after
 * -s is mtr's packet size, a word after -i is traceroute's interface.  So
 * every error names the option as typed and says the valid range, and a
 * value that fits the other tool's meaning gets a hint that says what to
 * type instead.
 *
 * getopt_long does the splitting.  It keeps its state in globals, so the
 * parser sets optind to 0 (a full re-initialisation in glibc) and opterr to
 * 0 (no printing) on every call, and the optstring starts with '-' so that
 * operands come back in order, argv is never permuted and POSIXLY_CORRECT
 * cannot change the result: options after operands still work, as they do
 * for GNU tools, and "--" ends the options.
 */
#include "err_text.h"
#include "options.h"
#include "shard.h"
#include "worker_names.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define HT_DEFAULT_ZONE4 "origin.asn.cymru.com"
#define HT_DEFAULT_ZONE6 "origin6.asn.cymru.com"

/* Linux IFNAMSIZ without its NUL. */
#define HT_IFNAME_MAX 15
/* The longest DNS name in text form, without a trailing dot. */
#define HT_DNS_NAME_MAX 253

enum opt_id {
	OPT_IPV4,
	OPT_IPV6,
	OPT_FIRST_TTL,
	OPT_MAX_TTL,
	OPT_QUERIES,
	OPT_COUNT,
	OPT_INTERVAL,
	OPT_WAIT,
	OPT_ICMP,
	OPT_UDP,
	OPT_TCP,
	OPT_SCTP,
	OPT_PORT,
	OPT_SPORT,
	OPT_SOURCE,
	OPT_INTERFACE,
	OPT_PSIZE,
	OPT_TOS,
	OPT_PATTERN,
	OPT_MARK,
	OPT_MAX_INFLIGHT,
	OPT_FLOW,
	OPT_FLOWS,
	OPT_MDA,
	OPT_CONFIDENCE,
	OPT_COMPARE,
	OPT_FAIL_ON,
	OPT_REPLAY,
	OPT_RECORD,
	OPT_RATE,
	OPT_PMTU,
	OPT_NS,
	OPT_REPORT,
	OPT_JSON,
	OPT_JSONL,
	OPT_CSV,
	OPT_LIVE,
	OPT_NO_LIVE,
	OPT_EXTENSIONS,
	OPT_SHOW_IPS,
	OPT_NO_DNS,
	OPT_DNS_TIMEOUT,
	OPT_ASN,
	OPT_ASN_ZONE,
	OPT_WORKER,
	OPT_EACH,
	OPT_SPLIT,
	OPT_WORKER_WINDOW,
	OPT_FILE,
	OPT_SHARD,
	OPT_SHARD_FROM,
	OPT_SEED,
	OPT_LIST_TARGETS,
	OPT_RUN_ID,
	OPT_HELP,
	OPT_VERSION,
	OPT_NUM
};

/* getopt_long returns this plus the id for a long option, so that the
 * parser knows whether a letter or a name was typed. */
#define OPT_LONG_BASE 256

struct opt_def {
	const char *name;	/* long form, without "--" */
	int has_arg;		/* no_argument or required_argument */
	char letter;		/* first short form; 0 none */
	char letter2;		/* second short form; 0 none */
};

static const struct opt_def opt_defs[OPT_NUM] = {
	[OPT_IPV4] = { "ipv4", no_argument, '4', 0 },
	[OPT_IPV6] = { "ipv6", no_argument, '6', 0 },
	[OPT_FIRST_TTL] = { "first-ttl", required_argument, 'f', 0 },
	[OPT_MAX_TTL] = { "max-ttl", required_argument, 'm', 0 },
	[OPT_QUERIES] = { "queries", required_argument, 'q', 0 },
	[OPT_COUNT] = { "count", required_argument, 'c', 0 },
	[OPT_INTERVAL] = { "interval", required_argument, 'i', 0 },
	[OPT_WAIT] = { "wait", required_argument, 'w', 0 },
	[OPT_ICMP] = { "icmp", no_argument, 0, 0 },
	[OPT_UDP] = { "udp", no_argument, 'U', 'u' },
	[OPT_TCP] = { "tcp", no_argument, 'T', 0 },
	[OPT_SCTP] = { "sctp", no_argument, 'S', 0 },
	[OPT_PORT] = { "port", required_argument, 'p', 'P' },
	[OPT_SPORT] = { "sport", required_argument, 'L', 0 },
	[OPT_SOURCE] = { "source", required_argument, 's', 'a' },
	[OPT_INTERFACE] = { "interface", required_argument, 'I', 0 },
	[OPT_PSIZE] = { "psize", required_argument, 0, 0 },
	[OPT_TOS] = { "tos", required_argument, 't', 'Q' },
	[OPT_PATTERN] = { "pattern", required_argument, 'B', 0 },
	[OPT_MARK] = { "mark", required_argument, 'M', 0 },
	[OPT_MAX_INFLIGHT] = { "max-inflight", required_argument, 'N', 0 },
	[OPT_FLOW] = { "flow", required_argument, 0, 0 },
	[OPT_FLOWS] = { "flows", required_argument, 0, 0 },
	[OPT_MDA] = { "mda", no_argument, 0, 0 },
	[OPT_CONFIDENCE] = { "confidence", required_argument, 0, 0 },
	[OPT_COMPARE] = { "compare", required_argument, 0, 0 },
	[OPT_FAIL_ON] = { "fail-on", required_argument, 0, 0 },
	[OPT_REPLAY] = { "replay", required_argument, 0, 0 },
	[OPT_RECORD] = { "record", required_argument, 0, 0 },
	[OPT_RATE] = { "rate", required_argument, 0, 0 },
	[OPT_PMTU] = { "pmtu", no_argument, 0, 0 },
	[OPT_NS] = { "ns", no_argument, 0, 0 },
	[OPT_REPORT] = { "report", no_argument, 'r', 0 },
	[OPT_JSON] = { "json", no_argument, 'j', 0 },
	[OPT_JSONL] = { "jsonl", no_argument, 0, 0 },
	[OPT_CSV] = { "csv", no_argument, 'C', 0 },
	[OPT_LIVE] = { "live", no_argument, 0, 0 },
	[OPT_NO_LIVE] = { "no-live", no_argument, 0, 0 },
	[OPT_EXTENSIONS] = { "extensions", no_argument, 'e', 0 },
	[OPT_SHOW_IPS] = { "show-ips", no_argument, 'b', 0 },
	[OPT_NO_DNS] = { "no-dns", no_argument, 'n', 0 },
	[OPT_DNS_TIMEOUT] = { "dns-timeout", required_argument, 0, 0 },
	[OPT_ASN] = { "asn", no_argument, 'z', 0 },
	[OPT_ASN_ZONE] = { "asn-zone", required_argument, 0, 0 },
	[OPT_WORKER] = { "worker", required_argument, 0, 0 },
	[OPT_EACH] = { "each", no_argument, 0, 0 },
	[OPT_SPLIT] = { "split", no_argument, 0, 0 },
	[OPT_WORKER_WINDOW] = { "worker-window", required_argument, 0, 0 },
	[OPT_FILE] = { "file", required_argument, 0, 0 },
	[OPT_SHARD] = { "shard", required_argument, 0, 0 },
	[OPT_SHARD_FROM] = { "shard-from", required_argument, 0, 0 },
	[OPT_SEED] = { "seed", required_argument, 0, 0 },
	[OPT_LIST_TARGETS] = { "list-targets", no_argument, 0, 0 },
	[OPT_RUN_ID] = { "run-id", required_argument, 0, 0 },
	[OPT_HELP] = { "help", no_argument, 'h', 0 },
	[OPT_VERSION] = { "version", no_argument, 'V', 0 },
};

/*
 * Options of mtr and traceroute that hoptrace does not have under that
 * letter or name, with what to type instead.  Letters that hoptrace does
 * have are handled where their values are checked.
 */
struct unknown_hint {
	const char *option;	/* "-Z" or "--report-wide" */
	const char *hint;
};

static const struct unknown_hint unknown_hints[] = {
	{ "-A", "traceroute's -A looks up AS paths: use -z/--asn" },
	{ "-F", "mtr's -F reads targets from a file: use --file FILE "
		"(traceroute's -F, don't fragment, is not supported)" },
	{ "-G", "mtr's -G is the grace period: hoptrace waits -w/--wait "
		"for every probe" },
	{ "-Z", "mtr's -Z is the probe timeout: use -w/--wait SECONDS" },
	{ "-l", "mtr's -l is the raw format: use --jsonl" },
	{ "-o", "mtr's -o picks report fields: use -j/--json or -C/--csv "
		"for every field" },
	{ "-v", "use -V/--version for the version" },
	{ "-x", "mtr's -x is XML: use -j/--json" },
	{ "-y", "mtr's -y is IP information: use -z/--asn for AS numbers" },
	{ "-?", "use -h/--help" },
	{ "--address", "use -s/--source ADDRESS" },
	{ "--aslookup", "use -z/--asn" },
	{ "--as-path-lookups", "use -z/--asn" },
	{ "--bitpattern", "use -B/--pattern N" },
	{ "--filename", "use --file FILE" },
	{ "--fwmark", "use -M/--mark N" },
	{ "--inet", "use -4/--ipv4" },
	{ "--inet6", "use -6/--ipv6" },
	{ "--ipinfo", "use -z/--asn for AS numbers" },
	{ "--localport", "use -L/--sport N" },
	{ "--max-hops", "use -m/--max-ttl N" },
	{ "--mpls", "use -e/--extensions" },
	{ "--raw", "use --jsonl" },
	{ "--report-cycles", "use -c/--count N" },
	{ "--report-wide", "hoptrace never truncates names: use -r/--report" },
	{ "--sim-queries", "use -N/--max-inflight N" },
	{ "--timeout", "use -w/--wait SECONDS" },
	{ "--xml", "use -j/--json" },
};

/* What the parser remembers between options, besides the config itself. */
struct parse_state {
	struct ht_config *cfg;
	char *err;
	size_t errlen;
	int queries_set;
	int confidence;		/* --confidence, 0 not given */
	int count_set;
	int max_ttl_set;
	int format_set;
	enum opt_id format_id;	/* the first output format option seen */
	char format_letter;	/* as typed; 0 for the long form */
	const char *interface_given;
	/* The last protocol option (--icmp, -U, -T, -S), for --compare's
	 * checks; -1 none. */
	int protocol_id;
	char protocol_letter;
	/* The no-value option just before the current argument, so that a
	 * stray value after it (mtr's -U 5) can be explained; -1 none. */
	int prev_flag;
	char prev_flag_letter;
};

/* Strings, targets and workers owned by a config. */
struct opt_storage {
	char **strings;
	size_t string_count;
	size_t string_cap;
	unsigned target_cap;
	unsigned worker_cap;
};

/* ---- messages ----------------------------------------------------------- */

/* Append "; HINT" to the message already in ERR. */
static void add_hint(char *err, size_t errlen, const char *hint)
{
	size_t n;

	if (!err || errlen == 0 || !hint)
		return;
	n = strlen(err);
	if (n < errlen)
		snprintf(err + n, errlen - n, "; %s", hint);
}

/*
 * A user's text as it goes into a message: at most 64 bytes, control
 * characters shown as '?', so that an error never writes escape sequences
 * or several lines to the terminal.
 */
struct quoted {
	char text[72];
};

static const char *quote(struct quoted *q, const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] && n < 64; i++) {
		unsigned char c = (unsigned char)s[i];

		q->text[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (s[i])
		memcpy(q->text + n, "...", 4);
	else
		q->text[n] = '\0';
	return q->text;
}

/* "-c/--count" for -c and --count, "-a/--source" for -a, "--psize". */
static const char *opt_name(enum opt_id id, char letter, char *buf,
			    size_t len)
{
	const struct opt_def *d = &opt_defs[id];
	char l = letter ? letter : d->letter;

	if (l)
		snprintf(buf, len, "-%c/--%s", l, d->name);
	else
		snprintf(buf, len, "--%s", d->name);
	return buf;
}

/* ---- numbers ------------------------------------------------------------ */

enum num_status {
	NUM_OK,
	NUM_EMPTY,
	NUM_JUNK,	/* not a number at all */
	NUM_NEGATIVE,	/* '-' then digits: below any range we have */
	NUM_PLUS,	/* '+' then digits */
	NUM_FRACTION,	/* digits '.' digits where a whole number is wanted */
	NUM_HEX,	/* 0x... */
	NUM_OVERFLOW
};

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Digits with one optional '.' and at least one digit: "1", "0.5", ".5". */
static int is_decimal(const char *s)
{
	int digits = 0, dots = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && dots++ == 0)
			continue;
		else
			return 0;
	}
	return digits > 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The value of "0x..." when it is one and fits in 32 bits; -1 otherwise. */
static int64_t hex_value(const char *s)
{
	int64_t v = 0;
	size_t i;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
		return -1;
	for (i = 2; s[i]; i++) {
		int d = hex_digit(s[i]);

		if (d < 0 || v > 0xfffffffLL)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * Plain decimal digits to an unsigned value no larger than 2^32 - 1 (the
 * largest range we have, --mark's); anything larger is NUM_OVERFLOW however
 * many digits it has.  The other statuses say what the text looks like
 * instead, for the message.
 */
static enum num_status parse_uint(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return NUM_EMPTY;
	if (all_digits(s)) {
		for (; *s; s++) {
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > 0xffffffffULL)
				return NUM_OVERFLOW;
		}
		*out = v;
		return NUM_OK;
	}
	if ((s[0] == '-' || s[0] == '+') && all_digits(s + 1))
		return s[0] == '-' ? NUM_NEGATIVE : NUM_PLUS;
	if (hex_value(s) >= 0)
		return NUM_HEX;
	if (is_decimal(s))
		return NUM_FRACTION;
	return NUM_JUNK;
}

/*
 * Seconds: digits with an optional fraction ("3", "0.5", ".25", "2.").
 * Both the value and the value in whole milliseconds (rounded half up,
 * once, from the digits themselves, so that 1.2345 s is 1235 ms and
 * 1.2344999 s is 1234 ms) come out; more than 9 integer digits is
 * NUM_OVERFLOW, fraction digits past the 15th are ignored.  No sign, no
 * exponent, no "inf": strtod would take all of those, and the locale's
 * decimal point too.
 */
static enum num_status parse_seconds(const char *s, double *out,
				     uint64_t *out_ms)
{
	uint64_t whole = 0, frac = 0, den = 1, ms;
	int int_digits = 0, frac_digits = 0;
	const char *p = s;

	if (!*s)
		return NUM_EMPTY;
	if ((s[0] == '-' || s[0] == '+') && is_decimal(s + 1))
		return s[0] == '-' ? NUM_NEGATIVE : NUM_PLUS;
	if (!is_decimal(s))
		return NUM_JUNK;
	for (; *p && *p != '.'; p++) {
		if (int_digits > 0 || *p != '0')
			int_digits++;
		if (int_digits > 9)
			return NUM_OVERFLOW;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.')
		for (p++; *p && frac_digits < 15; p++, frac_digits++) {
			frac = frac * 10 + (uint64_t)(*p - '0');
			den *= 10;
		}
	/* frac/den of a second in milliseconds: den is a power of ten. */
	if (den >= 1000) {
		uint64_t step = den / 1000;

		ms = (frac + step / 2) / step;
	} else {
		ms = frac * (1000 / den);
	}
	*out = (double)whole + (double)frac / (double)den;
	*out_ms = whole * 1000 + ms;
	return NUM_OK;
}

/* ---- storage ------------------------------------------------------------ */

static struct opt_storage *storage_of(struct ht_config *cfg)
{
	if (!cfg->storage)
		cfg->storage = calloc(1, sizeof(struct opt_storage));
	return cfg->storage;
}

/* A copy of the first N bytes of S, owned by CFG; NULL when out of memory. */
static char *storage_strndup(struct ht_config *cfg, const char *s, size_t n)
{
	struct opt_storage *st = storage_of(cfg);
	char *copy;

	if (!st)
		return NULL;
	if (st->string_count == st->string_cap) {
		size_t cap = st->string_cap ? st->string_cap * 2 : 16;
		char **strings = realloc(st->strings, cap * sizeof(*strings));

		if (!strings)
			return NULL;
		st->strings = strings;
		st->string_cap = cap;
	}
	copy = malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	st->strings[st->string_count++] = copy;
	return copy;
}

static int append_target(struct ht_config *cfg, const struct ht_target *t)
{
	struct opt_storage *st = storage_of(cfg);

	if (!st)
		return -1;
	if (cfg->target_count == st->target_cap) {
		unsigned cap = st->target_cap ? st->target_cap * 2 : 8;
		struct ht_target *targets;

		if (cap < st->target_cap)
			return -1;
		targets = realloc(cfg->targets, cap * sizeof(*targets));
		if (!targets)
			return -1;
		cfg->targets = targets;
		st->target_cap = cap;
	}
	cfg->targets[cfg->target_count++] = *t;
	return 0;
}

static int append_worker(struct ht_config *cfg, const char *command)
{
	struct opt_storage *st = storage_of(cfg);

	if (!st)
		return -1;
	if (cfg->worker_count == st->worker_cap) {
		unsigned cap = st->worker_cap ? st->worker_cap * 2 : 4;
		const char **workers;

		if (cap < st->worker_cap)
			return -1;
		workers = realloc(cfg->workers, cap * sizeof(*workers));
		if (!workers)
			return -1;
		cfg->workers = workers;
		st->worker_cap = cap;
	}
	cfg->workers[cfg->worker_count++] = command;
	return 0;
}

char *ht_config_strdup(struct ht_config *cfg, const char *s)
{
	return storage_strndup(cfg, s, strlen(s));
}

void ht_config_set_targets(struct ht_config *cfg, struct ht_target *targets,
			   unsigned count)
{
	struct opt_storage *st = storage_of(cfg);

	free(cfg->targets);
	cfg->targets = targets;
	cfg->target_count = count;
	/* The array is exactly as long as it is full: the next append
	 * grows it. */
	if (st)
		st->target_cap = count;
}

void ht_options_free(struct ht_config *cfg)
{
	struct opt_storage *st;
	size_t i;

	if (!cfg)
		return;
	st = cfg->storage;
	if (st) {
		for (i = 0; i < st->string_count; i++)
			free(st->strings[i]);
		free(st->strings);
		free(st);
	}
	free(cfg->targets);
	free(cfg->workers);
	cfg->storage = NULL;
	cfg->targets = NULL;
	cfg->target_count = 0;
	cfg->workers = NULL;
	cfg->worker_count = 0;
}

/* ---- values ------------------------------------------------------------- */

static int is_protocol_word(const char *s)
{
	static const char *const words[] = {
		"icmp", "udp", "tcp", "sctp", "tcpconn", "udplite", "dccp",
		"raw", "default",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return 1;
	return 0;
}

static int is_address(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 ||
	       inet_pton(AF_INET6, s, buf) == 1;
}

static int address_family(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, s, buf) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, buf) == 1)
		return AF_INET6;
	return 0;
}

/*
 * A hint for a bad numeric value of option ID typed as LETTER (0 for the
 * long form), when the value or the letter shows that the user meant
 * another tool's option.  The buffer holds hints that quote the value.
 */
static const char *number_hint(enum opt_id id, char letter, const char *arg,
			       enum num_status st, uint64_t v, char *buf,
			       size_t len)
{
	struct quoted q;

	if (is_protocol_word(arg) &&
	    (id == OPT_PORT || id == OPT_MARK))
		/* traceroute's -P and -M choose the protocol or method. */
		return "to choose the protocol use -T/--tcp, -U/--udp, "
		       "-S/--sctp or --icmp";
	switch (id) {
	case OPT_INTERVAL:
		if (letter == 'i' && st == NUM_JUNK) {
			snprintf(buf, len, "traceroute's -i is the interface: "
				 "use -I %s", quote(&q, arg));
			return buf;
		}
		break;
	case OPT_WAIT:
		if (st == NUM_JUNK && strchr(arg, ',') &&
		    strspn(arg, "0123456789.,") == strlen(arg))
			return "traceroute's -w MAX,HERE,NEAR: hoptrace waits "
			       "one timeout in seconds for every probe";
		if (letter == 'w' && (st == NUM_JUNK || st == NUM_EMPTY))
			return "mtr's -w is the wide report; hoptrace never "
			       "truncates: use -r";
		break;
	case OPT_TOS:
		if (letter == 't' && (st == NUM_JUNK || st == NUM_EMPTY))
			return "mtr's -t is the curses view, which hoptrace "
			       "does not have";
		break;
	case OPT_PORT:
		if (letter == 'p' && (st == NUM_JUNK || st == NUM_EMPTY))
			return "mtr's -p is the split view, which hoptrace "
			       "does not have";
		break;
	case OPT_QUERIES:
		if (st == NUM_OK && v > 10)
			return "for more probes per hop, add cycles with "
			       "-c/--count";
		break;
	case OPT_PSIZE:
		if (st == NUM_OK && v < 28)
			return "the size counts the IP header: 28 is the "
			       "smallest (ICMP over IPv4)";
		break;
	default:
		break;
	}
	return NULL;
}

/*
 * Parse ARG as a whole number in LO..HI for option ID; on failure the
 * message names the option, quotes the value and says the range.
 */
static int opt_uint(struct parse_state *ps, enum opt_id id, char letter,
		    const char *arg, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char name[32], hintbuf[128];
	struct quoted q;
	uint64_t v = 0;
	enum num_status st = parse_uint(arg, &v);
	const char *hint;
	int64_t hex;

	if (st == NUM_OK && v >= lo && v <= hi) {
		*out = v;
		return 0;
	}
	opt_name(id, letter, name, sizeof(name));
	switch (st) {
	case NUM_EMPTY:
		ht_set_err(ps->err, ps->errlen, "option %s: empty value "
			"(%llu-%llu)", name, (unsigned long long)lo,
			(unsigned long long)hi);
		break;
	case NUM_PLUS:
		ht_set_err(ps->err, ps->errlen, "option %s: '%s' has a sign: "
			"write the number alone (%llu-%llu)", name,
			quote(&q, arg), (unsigned long long)lo,
			(unsigned long long)hi);
		break;
	case NUM_FRACTION:
		ht_set_err(ps->err, ps->errlen, "option %s: '%s' is not a whole "
			"number (%llu-%llu)", name, quote(&q, arg),
			(unsigned long long)lo, (unsigned long long)hi);
		break;
	case NUM_HEX:
		hex = hex_value(arg);
		ht_set_err(ps->err, ps->errlen, "option %s: '%s' is not a "
			"decimal number (%llu-%llu)", name, quote(&q, arg),
			(unsigned long long)lo, (unsigned long long)hi);
		if ((uint64_t)hex >= lo && (uint64_t)hex <= hi) {
			snprintf(hintbuf, sizeof(hintbuf), "write %lld",
				 (long long)hex);
			add_hint(ps->err, ps->errlen, hintbuf);
		}
		return -1;
	case NUM_JUNK:
		ht_set_err(ps->err, ps->errlen, "option %s: '%s' is not a "
			"number (%llu-%llu)", name, quote(&q, arg),
			(unsigned long long)lo, (unsigned long long)hi);
		break;
	case NUM_OK:
	case NUM_NEGATIVE:
	case NUM_OVERFLOW:
		ht_set_err(ps->err, ps->errlen, "option %s: '%s' is out of range "
			"(%llu-%llu)", name, quote(&q, arg),
			(unsigned long long)lo, (unsigned long long)hi);
		break;
	}
	hint = number_hint(id, letter, arg, st, v, hintbuf, sizeof(hintbuf));
	add_hint(ps->err, ps->errlen, hint);
	return -1;
}

static int opt_int(struct parse_state *ps, enum opt_id id, char letter,
		   const char *arg, int lo, int hi, int *out)
{
	uint64_t v;

	if (opt_uint(ps, id, letter, arg, (uint64_t)lo, (uint64_t)hi, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

/*
 * A number with a fraction for option ID, within LO..HI, or above LO when
 * LO_OPEN (the wait: zero would never wait at all); RANGE is the range as
 * the message says it, NOUN what a bad value is not ("a number of
 * seconds").  *OUT_MS (may be NULL) gets the value in thousandths.
 */
static int opt_decimal(struct parse_state *ps, enum opt_id id, char letter,
		       const char *arg, double lo, int lo_open, double hi,
		       const char *range, const char *noun, double *out,
		       uint64_t *out_ms)
{
	char name[32], hintbuf[128];
	struct quoted q;
	double v = 0;
	uint64_t ms = 0;
	enum num_status st = parse_seconds(arg, &v, &ms);

	if (st == NUM_OK && (lo_open ? v > lo : v >= lo) && v <= hi) {
		*out = v;
		if (out_ms)
			*out_ms = ms;
		return 0;
	}
	opt_name(id, letter, name, sizeof(name));
	if (st == NUM_EMPTY)
		ht_set_err(ps->err, ps->errlen, "option %s: empty value (%s)",
			name, range);
	else if (st == NUM_PLUS)
		ht_set_err(ps->err, ps->errlen, "option %s: '%s' has a sign: "
			"write the number alone (%s)", name, quote(&q, arg),
			range);
	else if (st == NUM_JUNK)
		ht_set_err(ps->err, ps->errlen, "option %s: '%s' is not %s (%s)",
			name, quote(&q, arg), noun, range);
	else
		ht_set_err(ps->err, ps->errlen, "option %s: '%s' is out of range "
			"(%s)", name, quote(&q, arg), range);
	add_hint(ps->err, ps->errlen,
		 number_hint(id, letter, arg, st, 0, hintbuf, sizeof(hintbuf)));
	return -1;
}

/* Seconds with fractions, as opt_decimal. */
static int opt_seconds(struct parse_state *ps, enum opt_id id, char letter,
		       const char *arg, double lo, int lo_open, double hi,
		       const char *range, double *out, uint64_t *out_ms)
{
	return opt_decimal(ps, id, letter, arg, lo, lo_open, hi, range,
			   "a number of seconds", out, out_ms);
}

/* Linux's rule for device names (dev_valid_name), and our length limit. */
static int valid_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > HT_IFNAME_MAX)
		return 0;
	/* A leading '-' is legal for Linux but is always a slip here: the
	 * next option taken as the name (traceroute's `-I -n HOST`). */
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || s[0] == '-')
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '/' || c == ':' || c <= ' ' || c == 0x7f)
			return 0;
	}
	return 1;
}

/*
 * A DNS name for --asn-zone: dot-separated labels of 1 to 63 letters,
 * digits, '-' or '_', at most 253 characters, one trailing dot allowed.
 */
static int valid_dns_name(const char *s, size_t n)
{
	size_t i, label = 0;

	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n > HT_DNS_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0;
}

static int set_asn_zone(struct parse_state *ps, const char *arg)
{
	const char *comma = strchr(arg, ',');
	size_t n4 = comma ? (size_t)(comma - arg) : strlen(arg);
	const char *z6 = comma ? comma + 1 : NULL;
	struct quoted q;
	char *zone4, *zone6;

	if (z6 && strchr(z6, ',')) {
		ht_set_err(ps->err, ps->errlen, "option --asn-zone: '%s' has "
			"more than two zones (ZONE4[,ZONE6])", quote(&q, arg));
		return -1;
	}
	if (!valid_dns_name(arg, n4) || (z6 && !valid_dns_name(z6,
							       strlen(z6)))) {
		ht_set_err(ps->err, ps->errlen, "option --asn-zone: '%s' is not "
			"a DNS zone name, or two separated by a comma",
			quote(&q, arg));
		return -1;
	}
	zone4 = storage_strndup(ps->cfg, arg, n4);
	zone6 = z6 ? storage_strndup(ps->cfg, z6, strlen(z6)) : zone4;
	if (!zone4 || !zone6) {
		ht_set_err(ps->err, ps->errlen, "out of memory");
		return -1;
	}
	ps->cfg->asn_zone4 = zone4;
	ps->cfg->asn_zone6 = zone6;
	return 0;
}

static int set_source(struct parse_state *ps, char letter, const char *arg)
{
	char name[32];
	struct quoted q;

	if (is_address(arg)) {
		ps->cfg->source = arg;
		return 0;
	}
	opt_name(OPT_SOURCE, letter, name, sizeof(name));
	ht_set_err(ps->err, ps->errlen, "option %s: '%s' is not an address",
		name, quote(&q, arg));
	if (letter == 's' && all_digits(arg)) {
		char hint[96];

		snprintf(hint, sizeof(hint), "mtr's -s is the packet size: use "
			 "--psize %s", quote(&q, arg));
		add_hint(ps->err, ps->errlen, hint);
	}
	return -1;
}

static int set_interface(struct parse_state *ps, const char *arg)
{
	struct quoted q;

	if (valid_ifname(arg) && !is_address(arg)) {
		ps->cfg->interface = arg;
		ps->interface_given = arg;
		return 0;
	}
	ht_set_err(ps->err, ps->errlen, "option -I/--interface: '%s' is not an "
		"interface name (1-%d characters, no '/', ':' or white space)",
		quote(&q, arg), HT_IFNAME_MAX);
	/* traceroute -I is ICMP, so `-I HOST` or `-I -n HOST` lands here. */
	if (is_address(arg) || arg[0] == '-' || strchr(arg, '.'))
		add_hint(ps->err, ps->errlen, "traceroute's -I is ICMP, the "
			 "default here: leave -I out, or use --icmp");
	return -1;
}

static int set_format(struct parse_state *ps, enum opt_id id, char letter)
{
	static const enum ht_format formats[] = {
		[OPT_REPORT] = HT_FMT_REPORT, [OPT_JSON] = HT_FMT_JSON,
		[OPT_JSONL] = HT_FMT_JSONL, [OPT_CSV] = HT_FMT_CSV,
	};
	char a[32], b[32];

	if (ps->cfg->live == 1) {
		ht_set_err(ps->err, ps->errlen, "options --live and %s cannot be "
			"combined: the live view is an output format of its "
			"own", opt_name(id, letter, b, sizeof(b)));
		return -1;
	}
	if (ps->format_set && ps->format_id != id) {
		ht_set_err(ps->err, ps->errlen, "options %s and %s cannot be "
			"combined: choose one output format",
			opt_name(ps->format_id, ps->format_letter, a, sizeof(a)),
			opt_name(id, letter, b, sizeof(b)));
		return -1;
	}
	ps->format_set = 1;
	ps->format_id = id;
	ps->format_letter = letter;
	ps->cfg->format = formats[id];
	ps->cfg->format_given = 1;
	return 0;
}

/* ---- targets ------------------------------------------------------------ */

/* Digits and dots only: an IPv4 address, or a mistake (names need a
 * letter in their last label, RFC 1123 2.1). */
static int digits_and_dots(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] < '0' || s[i] > '9') && s[i] != '.')
			return 0;
	return n > 0;
}

static int target_port(const char *arg, const char *p, int *port, char *err,
		       size_t errlen)
{
	struct quoted q, q2;
	uint64_t v = 0;
	enum num_status st = parse_uint(p, &v);

	if (st == NUM_OK && v >= 1 && v <= 65535) {
		*port = (int)v;
		return 0;
	}
	if (st == NUM_EMPTY)
		ht_set_err(err, errlen, "target '%s': empty port after ':' "
			"(1-65535)", quote(&q, arg));
	else if (st == NUM_OK || st == NUM_OVERFLOW || st == NUM_NEGATIVE)
		ht_set_err(err, errlen, "target '%s': port '%s' is out of range "
			"(1-65535)", quote(&q, arg), quote(&q2, p));
	else
		ht_set_err(err, errlen, "target '%s': port '%s' is not a number "
			"(1-65535)", quote(&q, arg), quote(&q2, p));
	return -1;
}

/*
 * A prefix, "203.0.113.0/24" or "2001:db8::/120": checked here, so that a
 * bad one is refused with its line or argument; expanded into its
 * addresses later (target_plan.h), once every target is known.
 */
static int target_prefix(struct ht_config *cfg, const char *arg,
			 struct ht_target *t, char *err, size_t errlen)
{
	struct ht_prefix p;

	if (ht_prefix_parse(arg, &p, err, errlen) < 0)
		return -1;
	t->host = storage_strndup(cfg, arg, strlen(arg));
	if (!t->host) {
		ht_set_err(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int ht_target_parse(struct ht_config *cfg, const char *arg,
		    struct ht_target *t, char *err, size_t errlen)
{
	unsigned char v6[sizeof(struct in6_addr)];
	const char *host = arg, *port = NULL, *colon;
	size_t host_len, i;
	struct quoted q;
	char *copy;

	t->host = NULL;
	t->port = 0;
	if (!*arg) {
		ht_set_err(err, errlen, "empty target");
		return -1;
	}
	if (strchr(arg, '/'))
		return target_prefix(cfg, arg, t, err, errlen);
	for (i = 0; arg[i]; i++) {
		unsigned char c = (unsigned char)arg[i];

		if (c <= ' ' || c == 0x7f) {
			ht_set_err(err, errlen, "target '%s' contains white space "
				"or control characters", quote(&q, arg));
			return -1;
		}
	}
	if (arg[0] == '[') {
		const char *rb = strchr(arg, ']');

		if (!rb) {
			ht_set_err(err, errlen, "target '%s': no ']' after the "
				"IPv6 address", quote(&q, arg));
			return -1;
		}
		host = arg + 1;
		host_len = (size_t)(rb - host);
		if (rb[1] == ':')
			port = rb + 2;
		else if (rb[1]) {
			ht_set_err(err, errlen, "target '%s': only ':PORT' may "
				"follow ']'", quote(&q, arg));
			return -1;
		}
		copy = storage_strndup(cfg, host, host_len);
		if (!copy) {
			ht_set_err(err, errlen, "out of memory");
			return -1;
		}
		if (host_len == 0 || inet_pton(AF_INET6, copy, v6) != 1) {
			ht_set_err(err, errlen, "target '%s': brackets hold an "
				"IPv6 address, as in [2001:db8::1]:443",
				quote(&q, arg));
			return -1;
		}
	} else {
		colon = strchr(arg, ':');
		if (colon && strchr(colon + 1, ':')) {
			/* Two colons or more: an IPv6 literal, never a port
			 * (that takes brackets). */
			if (inet_pton(AF_INET6, arg, v6) != 1) {
				ht_set_err(err, errlen, "target '%s' is not an IPv6 "
					"address (a port after an IPv6 address "
					"takes brackets: [2001:db8::1]:443)",
					quote(&q, arg));
				return -1;
			}
			host_len = strlen(arg);
		} else if (colon) {
			host_len = (size_t)(colon - arg);
			port = colon + 1;
		} else {
			host_len = strlen(arg);
		}
		if (host_len == 0) {
			ht_set_err(err, errlen, "target '%s' has no host before "
				"the ':'", quote(&q, arg));
			return -1;
		}
		if (host[0] == '-') {
			ht_set_err(err, errlen, "target '%s' is not a host name "
				"or address", quote(&q, arg));
			if (strcmp(arg, "-") == 0)
				add_hint(err, errlen, "to read targets from "
					 "standard input use --file -");
			return -1;
		}
		if (host_len > HT_DNS_NAME_MAX + 1) {
			ht_set_err(err, errlen, "target '%s' is longer than a host "
				"name can be (253 characters)", quote(&q, arg));
			return -1;
		}
		copy = storage_strndup(cfg, host, host_len);
		if (!copy) {
			ht_set_err(err, errlen, "out of memory");
			return -1;
		}
		if (digits_and_dots(copy, host_len) &&
		    inet_pton(AF_INET, copy, v6) != 1) {
			ht_set_err(err, errlen, "target '%s' is neither an IPv4 "
				"address nor a host name", quote(&q, copy));
			return -1;
		}
	}
	if (port && target_port(arg, port, &t->port, err, errlen) < 0)
		return -1;
	t->host = copy;
	return 0;
}

/*
 * A target literal of the other family than -4 or -6, or than the source
 * address, can never be traced: say so now rather than after start-up.
 */
static int target_family_check(const struct ht_config *cfg,
			       const struct ht_target *t, char *err,
			       size_t errlen)
{
	int fam = address_family(t->host);
	int src = cfg->source ? address_family(cfg->source) : 0;
	struct quoted q, q2;

	if (!fam)
		return 0;
	if (cfg->family && fam != cfg->family) {
		ht_set_err(err, errlen, "target '%s' is an IPv%c address, but %s "
			"was given", quote(&q, t->host),
			fam == AF_INET ? '4' : '6',
			cfg->family == AF_INET ? "-4/--ipv4" : "-6/--ipv6");
		return -1;
	}
	if (src && fam != src) {
		ht_set_err(err, errlen, "target '%s' is an IPv%c address, but the "
			"source address '%s' is IPv%c", quote(&q, t->host),
			fam == AF_INET ? '4' : '6', quote(&q2, cfg->source),
			src == AF_INET ? '4' : '6');
		return -1;
	}
	return 0;
}

int ht_targets_from_text(struct ht_config *cfg, const char *text, size_t len,
			 char *err, size_t errlen)
{
	unsigned before = cfg->target_count;
	size_t pos = 0, line_no = 0;
	char msg[256];

	while (pos < len) {
		size_t start = pos, end, a, b, i;
		struct ht_target t;
		char *line;

		line_no++;
		while (pos < len && text[pos] != '\n')
			pos++;
		end = pos;
		if (pos < len)
			pos++;	/* the newline */
		/* A '#' starts a comment: no host or literal contains one. */
		for (i = start; i < end; i++)
			if (text[i] == '#')
				break;
		end = i;
		for (i = start; i < end; i++)
			if (text[i] == '\0') {
				ht_set_err(err, errlen, "line %zu: a NUL byte (is "
					"this a text file?)", line_no);
				goto fail;
			}
		a = start;
		b = end;
		while (a < b && (text[a] == ' ' || text[a] == '\t' ||
				 text[a] == '\r' || text[a] == '\v' ||
				 text[a] == '\f'))
			a++;
		while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' ||
				 text[b - 1] == '\r' || text[b - 1] == '\v' ||
				 text[b - 1] == '\f'))
			b--;
		if (a == b)
			continue;
		line = storage_strndup(cfg, text + a, b - a);
		if (!line) {
			ht_set_err(err, errlen, "out of memory");
			goto fail;
		}
		if (strpbrk(line, " \t\v\f")) {
			struct quoted q;

			ht_set_err(err, errlen, "line %zu: '%s' holds more than one "
				"target (one per line)", line_no,
				quote(&q, line));
			goto fail;
		}
		if (ht_target_parse(cfg, line, &t, msg, sizeof(msg)) < 0 ||
		    target_family_check(cfg, &t, msg, sizeof(msg)) < 0) {
			ht_set_err(err, errlen, "line %zu: %s", line_no, msg);
			goto fail;
		}
		if (append_target(cfg, &t) < 0) {
			ht_set_err(err, errlen, "out of memory");
			goto fail;
		}
	}
	return 0;
fail:
	cfg->target_count = before;
	return -1;
}

/* ---- the command line --------------------------------------------------- */

static void config_defaults(struct ht_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->first_ttl = 1;
	cfg->max_ttl = 30;
	cfg->queries = 3;
	cfg->count = 1;
	cfg->interval_s = 1.0;
	cfg->protocol = HP_ICMP;
	cfg->tos = -1;
	cfg->pattern = -1;
	cfg->mark = -1;
	cfg->wait_ms = 3000;
	cfg->dns_timeout_s = 2.0;
	cfg->asn_zone4 = HT_DEFAULT_ZONE4;
	cfg->asn_zone6 = HT_DEFAULT_ZONE6;
	cfg->format = HT_FMT_TEXT;
	cfg->max_inflight = 1000;
	cfg->flow = HT_FLOW_AUTO;
	cfg->live = HT_LIVE_AUTO;
}

/* --shard I/N or --shard-from NAME/N, once. */
static int set_shard(struct parse_state *ps, enum opt_id id, const char *arg)
{
	struct ht_config *cfg = ps->cfg;
	char why[200], name[32];
	size_t n = 0;
	int rc;

	opt_name(id, 0, name, sizeof(name));
	if (cfg->shard_count) {
		ht_set_err(ps->err, ps->errlen, "option %s: the shard is given "
			"already (one of --shard and --shard-from, once)",
			name);
		return -1;
	}
	if (id == OPT_SHARD)
		rc = ht_shard_spec_parse(arg, &cfg->shard_index,
					 &cfg->shard_count, why, sizeof(why));
	else
		rc = ht_shard_from_parse(arg, &n, &cfg->shard_count, why,
					 sizeof(why));
	if (rc < 0) {
		cfg->shard_count = 0;
		ht_set_err(ps->err, ps->errlen, "option %s: %s", name, why);
		return -1;
	}
	if (id == OPT_SHARD_FROM) {
		cfg->shard_from = storage_strndup(cfg, arg, n);
		if (!cfg->shard_from) {
			ht_set_err(ps->err, ps->errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* --run-id: what every record names the run by, so its text is kept to
 * what needs no quoting in a file name, a URL or a CSV field. */
static int set_run_id(struct parse_state *ps, const char *arg)
{
	struct quoted q;
	size_t n = strlen(arg);

	if (n < 1 || n > HT_RUN_ID_MAX ||
	    strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789._:-") != n) {
		ht_set_err(ps->err, ps->errlen, "option --run-id: '%s' is not a "
			"run id (1-%d characters of A-Z a-z 0-9 . _ : -)",
			quote(&q, arg), HT_RUN_ID_MAX);
		return -1;
	}
	ps->cfg->run_id = arg;
	return 0;
}

/* One option with its value (NULL for a flag). */
static int apply_option(struct parse_state *ps, enum opt_id id, char letter,
			const char *arg)
{
	struct ht_config *cfg = ps->cfg;
	struct quoted q;
	uint64_t v;
	double s;

	switch (id) {
	case OPT_IPV4:
		cfg->family = AF_INET;
		return 0;
	case OPT_IPV6:
		cfg->family = AF_INET6;
		return 0;
	case OPT_FIRST_TTL:
		return opt_int(ps, id, letter, arg, 1, 255, &cfg->first_ttl);
	case OPT_MAX_TTL:
		ps->max_ttl_set = 1;
		return opt_int(ps, id, letter, arg, 1, 255, &cfg->max_ttl);
	case OPT_QUERIES:
		ps->queries_set = 1;
		return opt_int(ps, id, letter, arg, 1, 10, &cfg->queries);
	case OPT_COUNT:
		ps->count_set = 1;
		return opt_int(ps, id, letter, arg, 1, 1000000, &cfg->count);
	case OPT_INTERVAL:
		return opt_seconds(ps, id, letter, arg, 0, 0, 3600, "0-3600",
				   &cfg->interval_s, NULL);
	case OPT_WAIT:
		if (opt_seconds(ps, id, letter, arg, 0, 1, 86400,
				"above 0, up to 86400", &s, &v) < 0)
			return -1;
		/* Rounded to the millisecond, and never to zero: the worker's
		 * timeout-ms starts at 1. */
		cfg->wait_ms = v < 1 ? 1 : (uint32_t)v;
		return 0;
	case OPT_ICMP:
	case OPT_UDP:
	case OPT_TCP:
	case OPT_SCTP:
		cfg->protocol = id == OPT_ICMP ? HP_ICMP :
				id == OPT_UDP ? HP_UDP :
				id == OPT_TCP ? HP_TCP : HP_SCTP;
		ps->protocol_id = id;
		ps->protocol_letter = letter;
		return 0;
	case OPT_COMPARE: {
		char why[160];

		if (cfg->compare_count) {
			ht_set_err(ps->err, ps->errlen, "option --compare given "
				"twice: put every item in one list "
				"(--compare icmp,udp:53,tcp:443)");
			return -1;
		}
		if (ht_compare_parse(arg, cfg->compare, &cfg->compare_count,
				     why, sizeof(why)) < 0) {
			ht_set_err(ps->err, ps->errlen, "option --compare: %s",
				why);
			return -1;
		}
		return 0;
	}
	case OPT_PORT:
		return opt_int(ps, id, letter, arg, 1, 65535, &cfg->port);
	case OPT_SPORT:
		return opt_int(ps, id, letter, arg, 1024, 65535,
			       &cfg->source_port);
	case OPT_SOURCE:
		return set_source(ps, letter, arg);
	case OPT_INTERFACE:
		return set_interface(ps, arg);
	case OPT_PSIZE:
		/* 28 is the smallest probe of all (ICMP over IPv4); a size
		 * below the minimum of the protocol and family in use is
		 * raised to it by the worker, as for mtr-packet. */
		return opt_int(ps, id, letter, arg, 28, 65535, &cfg->psize);
	case OPT_TOS:
		return opt_int(ps, id, letter, arg, 0, 255, &cfg->tos);
	case OPT_PATTERN:
		return opt_int(ps, id, letter, arg, 0, 255, &cfg->pattern);
	case OPT_MARK:
		if (opt_uint(ps, id, letter, arg, 0, 4294967295ULL, &v) < 0)
			return -1;
		cfg->mark = (int64_t)v;
		return 0;
	case OPT_MAX_INFLIGHT:
		if (opt_uint(ps, id, letter, arg, 1, 1000000, &v) < 0)
			return -1;
		cfg->max_inflight = (unsigned)v;
		return 0;
	case OPT_FLOW:
		if (strcmp(arg, "off") == 0) {
			cfg->flow = HT_FLOW_OFF;
			return 0;
		}
		if (strcmp(arg, "auto") == 0) {
			cfg->flow = HT_FLOW_AUTO;
			return 0;
		}
		if (opt_uint(ps, id, letter, arg, 0, 65535, &v) < 0) {
			add_hint(ps->err, ps->errlen, "or 'off' for a new flow "
				 "per probe, 'auto' for one chosen per trace");
			return -1;
		}
		cfg->flow = (int)v;
		return 0;
	case OPT_FLOWS:
		return opt_int(ps, id, letter, arg, 1, HT_FLOWS_MAX,
			       &cfg->flows);
	case OPT_MDA:
		if (!cfg->mda)
			cfg->mda = 95;
		return 0;
	case OPT_CONFIDENCE:
		if (strcmp(arg, "95") != 0 && strcmp(arg, "99") != 0) {
			struct quoted qa;

			ht_set_err(ps->err, ps->errlen, "option --confidence: "
				"'%s' is not 95 or 99", quote(&qa, arg));
			return -1;
		}
		ps->confidence = atoi(arg);
		return 0;
	case OPT_FAIL_ON: {
		char why[200];

		if (cfg->fail_on_count == HT_FAIL_ON_MAX) {
			ht_set_err(ps->err, ps->errlen, "option --fail-on: more "
				"than %d conditions", HT_FAIL_ON_MAX);
			return -1;
		}
		if (ht_fail_parse(arg, &cfg->fail_on[cfg->fail_on_count], why,
				  sizeof(why)) < 0) {
			ht_set_err(ps->err, ps->errlen, "option --fail-on: '%s': %s",
				quote(&q, arg), why);
			return -1;
		}
		cfg->fail_on_count++;
		return 0;
	}
	case OPT_REPLAY:
		if (!*arg) {
			ht_set_err(ps->err, ps->errlen, "option --replay: empty "
				"file name ('-' reads standard input)");
			return -1;
		}
		cfg->replay = arg;
		return 0;
	case OPT_RECORD:
		if (!*arg) {
			ht_set_err(ps->err, ps->errlen, "option --record: empty "
				"file name");
			return -1;
		}
		if (strcmp(arg, "-") == 0) {
			ht_set_err(ps->err, ps->errlen, "option --record: '-' "
				"would be standard output, which has the "
				"rendering; name a file (or use --jsonl)");
			return -1;
		}
		cfg->record = arg;
		return 0;
	case OPT_RATE:
		return opt_decimal(ps, id, letter, arg, 0, 1, 1000000,
				   "probes a second, above 0, up to 1000000",
				   "a number", &cfg->rate_pps, NULL);
	case OPT_PMTU:
		cfg->pmtu = 1;
		return 0;
	case OPT_NS:
		cfg->rtt_ns = 1;
		return 0;
	case OPT_REPORT:
	case OPT_JSON:
	case OPT_JSONL:
	case OPT_CSV:
		return set_format(ps, id, letter);
	case OPT_LIVE:
		if (ps->format_set) {
			char a[32];

			ht_set_err(ps->err, ps->errlen, "options %s and --live "
				"cannot be combined: the live view is an "
				"output format of its own",
				opt_name(ps->format_id, ps->format_letter, a,
					 sizeof(a)));
			return -1;
		}
		cfg->live = 1;
		return 0;
	case OPT_NO_LIVE:
		cfg->live = 0;
		return 0;
	case OPT_EXTENSIONS:
		cfg->mpls = 1;
		return 0;
	case OPT_SHOW_IPS:
		cfg->show_ips = 1;
		return 0;
	case OPT_NO_DNS:
		cfg->numeric = 1;
		return 0;
	case OPT_DNS_TIMEOUT:
		return opt_seconds(ps, id, letter, arg, 0.05, 0, 60, "0.05-60",
				   &cfg->dns_timeout_s, NULL);
	case OPT_ASN:
		cfg->asn = 1;
		return 0;
	case OPT_ASN_ZONE:
		return set_asn_zone(ps, arg);
	case OPT_WORKER: {
		char name[HT_WORKER_NAME_MAX];
		const char *command;

		if (arg[strspn(arg, " \t\r\n\v\f")] == '\0') {
			ht_set_err(ps->err, ps->errlen, "option --worker: empty "
				"command");
			return -1;
		}
		/* NAME=CMD is split again where the workers start. */
		if (ht_worker_arg_split(arg, name, sizeof(name), &command,
					ps->err, ps->errlen) < 0)
			return -1;
		if (append_worker(cfg, arg) < 0) {
			ht_set_err(ps->err, ps->errlen, "out of memory");
			return -1;
		}
		return 0;
	}
	case OPT_EACH:
		cfg->each = 1;
		return 0;
	case OPT_SPLIT:
		cfg->split = 1;
		return 0;
	case OPT_WORKER_WINDOW:
		if (opt_uint(ps, id, letter, arg, 1, 65536, &v) < 0)
			return -1;
		cfg->worker_window = (unsigned)v;
		return 0;
	case OPT_FILE:
		if (!*arg) {
			ht_set_err(ps->err, ps->errlen, "option --file: empty file "
				"name ('-' reads standard input)");
			return -1;
		}
		if (cfg->file && strcmp(cfg->file, arg) != 0) {
			struct quoted q2;

			ht_set_err(ps->err, ps->errlen, "option --file given twice "
				"('%s' and '%s'): put the targets in one file",
				quote(&q2, cfg->file), quote(&q, arg));
			return -1;
		}
		cfg->file = arg;
		return 0;
	case OPT_SHARD:
	case OPT_SHARD_FROM:
		return set_shard(ps, id, arg);
	case OPT_SEED: {
		char why[160];

		if (ht_seed_parse(arg, &cfg->seed, why, sizeof(why)) < 0) {
			ht_set_err(ps->err, ps->errlen, "option --seed: %s", why);
			return -1;
		}
		cfg->seed_given = 1;
		return 0;
	}
	case OPT_LIST_TARGETS:
		cfg->list_targets = 1;
		return 0;
	case OPT_RUN_ID:
		return set_run_id(ps, arg);
	case OPT_HELP:
		cfg->help = 1;
		return 0;
	case OPT_VERSION:
		cfg->version = 1;
		return 0;
	case OPT_NUM:
		break;
	}
	return 0;
}

static int id_of_letter(int c)
{
	int id;

	for (id = 0; id < OPT_NUM; id++)
		if (c && (opt_defs[id].letter == c || opt_defs[id].letter2 == c))
			return id;
	return -1;
}

static const char *unknown_hint_for(const char *option)
{
	size_t i;

	for (i = 0; i < sizeof(unknown_hints) / sizeof(unknown_hints[0]); i++)
		if (strcmp(unknown_hints[i].option, option) == 0)
			return unknown_hints[i].hint;
	return NULL;
}

/*
 * getopt_long said '?': an unknown letter, an unknown or ambiguous long
 * name, or a value given to a long option that takes none (--asn=x).
 * ARG is the argument that held it.
 */
static int report_unknown(struct parse_state *ps, const char *arg, int opt)
{
	struct quoted q;
	char name[64];
	size_t n;
	int id, matches = 0;
	char list[160] = "";

	if (opt >= OPT_LONG_BASE && opt < OPT_LONG_BASE + OPT_NUM) {
		ht_set_err(ps->err, ps->errlen, "option %s takes no value",
			opt_name(opt - OPT_LONG_BASE, 0, name, sizeof(name)));
		return -1;
	}
	if (opt > 0) {
		snprintf(name, sizeof(name), "-%c", opt);
		if (opt <= ' ' || opt >= 0x7f)
			snprintf(name, sizeof(name), "-?");
		ht_set_err(ps->err, ps->errlen, "unknown option '%s'", name);
		add_hint(ps->err, ps->errlen, unknown_hint_for(name));
		return -1;
	}
	/* A long option: its name up to any '='. */
	n = strcspn(arg, "=");
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, arg, n);
	name[n] = '\0';
	if (strncmp(name, "--", 2) == 0 && name[2]) {
		for (id = 0; id < OPT_NUM; id++) {
			if (strncmp(opt_defs[id].name, name + 2, n - 2) != 0)
				continue;
			if (matches++)
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, "--", sizeof(list) - strlen(list) - 1);
			strncat(list, opt_defs[id].name,
				sizeof(list) - strlen(list) - 1);
		}
	}
	if (matches > 1) {
		ht_set_err(ps->err, ps->errlen, "option '%s' is ambiguous (%s)",
			quote(&q, name), list);
		return -1;
	}
	ht_set_err(ps->err, ps->errlen, "unknown option '%s'", quote(&q, name));
	add_hint(ps->err, ps->errlen, unknown_hint_for(name));
	return -1;
}

/* A value that the flag just before it cannot have taken (mtr's -U 5,
 * traceroute's -z 0.5): the reason the target did not parse. */
static void flag_value_hint(const struct parse_state *ps)
{
	char name[32];
	char hint[160];

	if (ps->prev_flag < 0)
		return;
	if (ps->prev_flag == OPT_UDP && ps->prev_flag_letter == 'U') {
		add_hint(ps->err, ps->errlen, "mtr's -U is the number of "
			 "unknown hops to stop after; hoptrace's -U means UDP "
			 "and takes no value");
		return;
	}
	if (ps->prev_flag == OPT_ASN && ps->prev_flag_letter == 'z') {
		add_hint(ps->err, ps->errlen, "traceroute's -z is the pause "
			 "between probes; hoptrace's -z asks for AS numbers "
			 "and takes no value");
		return;
	}
	snprintf(hint, sizeof(hint), "option %s takes no value",
		 opt_name(ps->prev_flag, ps->prev_flag_letter, name,
			  sizeof(name)));
	add_hint(ps->err, ps->errlen, hint);
}

static int add_operand(struct parse_state *ps, const char *arg)
{
	struct ht_target t;

	if (ht_target_parse(ps->cfg, arg, &t, ps->err, ps->errlen) < 0) {
		/* A prefix's message is complete: it cannot be a value. */
		if (!strchr(arg, '/'))
			flag_value_hint(ps);
		return -1;
	}
	if (append_target(ps->cfg, &t) < 0) {
		ht_set_err(ps->err, ps->errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* "IPv4" or "IPv6". */
static const char *family_word(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/*
 * --compare against the rest of the command line (hoptrace(1), --compare):
 * -4/-6 and the source address fix the family, so an item of the other
 * family is a contradiction; --icmp/-U/-T/-S are the protocol of the
 * items that name none, so with every item naming one they would do
 * nothing; --flows and --mda would multiply every item's probes by their
 * flows and are refused; --replay renders what the recording compared.
 * Two items that probe alike once the defaults are in are one item twice.
 */
static int compare_check(struct parse_state *ps, int src)
{
	struct ht_config *cfg = ps->cfg;
	struct ht_compare_probe a, b;
	unsigned i, j, named = 0;
	char name[32];

	if (!cfg->compare_count)
		return 0;
	if (cfg->replay) {
		ht_set_err(ps->err, ps->errlen, "--compare probes a target: with "
			"--replay the recording holds the items it compared");
		return -1;
	}
	if (cfg->flows || cfg->mda) {
		ht_set_err(ps->err, ps->errlen, "--compare cannot be combined "
			"with %s: trace the items one at a time with it",
			cfg->mda ? "--mda" : "--flows");
		return -1;
	}
	for (i = 0; i < cfg->compare_count; i++) {
		const struct ht_compare_item *it = &cfg->compare[i];

		named += it->has_protocol;
		if (it->family && cfg->family && it->family != cfg->family) {
			ht_set_err(ps->err, ps->errlen, "--compare item '%s' is "
				"%s, but %s was given", it->label,
				family_word(it->family),
				cfg->family == AF_INET ? "-4/--ipv4" :
							 "-6/--ipv6");
			return -1;
		}
		if (it->family && src && it->family != src) {
			struct quoted q;

			ht_set_err(ps->err, ps->errlen, "--compare item '%s' is "
				"%s, but the source address '%s' is %s",
				it->label, family_word(it->family),
				quote(&q, cfg->source), family_word(src));
			return -1;
		}
	}
	if (named == cfg->compare_count && ps->protocol_id >= 0) {
		ht_set_err(ps->err, ps->errlen, "option %s does nothing with "
			"--compare when every item names its protocol: leave "
			"it out, or give items without one (4,6)",
			opt_name(ps->protocol_id, ps->protocol_letter, name,
				 sizeof(name)));
		return -1;
	}
	for (i = 0; i < cfg->compare_count; i++) {
		ht_compare_effective(&cfg->compare[i], cfg->protocol,
				     cfg->port, cfg->family ? cfg->family : src,
				     &a);
		for (j = 0; j < i; j++) {
			ht_compare_effective(&cfg->compare[j], cfg->protocol,
					     cfg->port,
					     cfg->family ? cfg->family : src,
					     &b);
			if (a.protocol == b.protocol && a.port == b.port &&
			    a.family == b.family) {
				ht_set_err(ps->err, ps->errlen, "--compare items "
					"'%s' and '%s' probe alike here: "
					"give each kind once",
					cfg->compare[j].label,
					cfg->compare[i].label);
				return -1;
			}
		}
	}
	return 0;
}

/* Checks that need the whole command line, and the --report defaults. */
/*
 * --each and --split say how targets go to several workers; they exclude
 * each other, and --each (a trace per target and worker) is not for
 * --compare (a trace per target and item) or a replay.
 */
static int workers_check(struct parse_state *ps)
{
	struct ht_config *cfg = ps->cfg;

	if (cfg->each && cfg->split) {
		ht_set_err(ps->err, ps->errlen, "--each and --split exclude each "
			"other: every target from every worker, or each target "
			"from one");
		return -1;
	}
	if (cfg->each && cfg->compare_count) {
		ht_set_err(ps->err, ps->errlen, "--each cannot be combined with "
			"--compare: compare the items from one worker at a "
			"time");
		return -1;
	}
	if (cfg->replay && (cfg->each || cfg->split || cfg->worker_count ||
			    cfg->worker_window)) {
		ht_set_err(ps->err, ps->errlen, "--replay starts no worker: "
			"--worker, --each, --split and --worker-window are for "
			"a live run");
		return -1;
	}
	return 0;
}

static int finish(struct parse_state *ps)
{
	struct ht_config *cfg = ps->cfg;
	int src = cfg->source ? address_family(cfg->source) : 0;
	struct quoted q;
	unsigned i;

	if (ps->confidence && !cfg->mda) {
		ht_set_err(ps->err, ps->errlen, "--confidence %d is the "
			"confidence of --mda: add --mda", ps->confidence);
		return -1;
	}
	if (cfg->mda) {
		if (ps->confidence)
			cfg->mda = ps->confidence;
		if (cfg->flows == 1) {
			ht_set_err(ps->err, ps->errlen, "--mda adds flows up to "
				"--flows K: K must be 2 or more (default %d)",
				HT_FLOWS_MAX);
			return -1;
		}
		if (!cfg->flows)
			cfg->flows = HT_FLOWS_MAX;
		if (cfg->flow == HT_FLOW_OFF) {
			ht_set_err(ps->err, ps->errlen, "--mda needs flows: "
				"leave out --flow off");
			return -1;
		}
	}
	if (!ps->queries_set &&
	    (cfg->format == HT_FMT_REPORT || cfg->flows > 1))
		cfg->queries = 1;
	if (cfg->flows > 1 && cfg->flow == HT_FLOW_OFF) {
		ht_set_err(ps->err, ps->errlen, "--flows %d needs flows: leave "
			"out --flow off", cfg->flows);
		return -1;
	}
	if (!ps->count_set && cfg->format == HT_FMT_REPORT)
		cfg->count = 10;
	cfg->count_given = ps->count_set;
	cfg->queries_given = ps->queries_set;
	if (cfg->first_ttl > cfg->max_ttl) {
		if (ps->max_ttl_set)
			ht_set_err(ps->err, ps->errlen, "the first ttl (-f %d) is "
				"above the max ttl (-m %d)", cfg->first_ttl,
				cfg->max_ttl);
		else
			ht_set_err(ps->err, ps->errlen, "the first ttl (-f %d) is "
				"above the default max ttl (%d): raise it with "
				"-m", cfg->first_ttl, cfg->max_ttl);
		return -1;
	}
	if (src && cfg->family && src != cfg->family) {
		ht_set_err(ps->err, ps->errlen, "the source address '%s' is IPv%c, "
			"but %s was given", quote(&q, cfg->source),
			src == AF_INET ? '4' : '6',
			cfg->family == AF_INET ? "-4/--ipv4" : "-6/--ipv6");
		return -1;
	}
	for (i = 0; i < cfg->target_count; i++)
		if (target_family_check(cfg, &cfg->targets[i], ps->err,
					ps->errlen) < 0)
			return -1;
	if (compare_check(ps, src) < 0)
		return -1;
	if (workers_check(ps) < 0)
		return -1;
	if (cfg->shard_count && !cfg->seed_given) {
		ht_set_err(ps->err, ps->errlen, "%s needs --seed S: every shard "
			"must put the targets in the same order",
			cfg->shard_from ? "--shard-from" : "--shard");
		return -1;
	}
	if (cfg->replay && (cfg->shard_count || cfg->list_targets)) {
		ht_set_err(ps->err, ps->errlen, "--replay renders a recorded run: "
			"%s chooses targets to trace",
			cfg->list_targets ? "--list-targets" :
			cfg->shard_from ? "--shard-from" : "--shard");
		return -1;
	}
	if (cfg->replay && (cfg->target_count || cfg->file)) {
		ht_set_err(ps->err, ps->errlen, "--replay renders a recorded run: "
			"it takes no target and no --file");
		return -1;
	}
	if (cfg->replay && cfg->live == 1) {
		ht_set_err(ps->err, ps->errlen, "--live shows a running trace: "
			"it cannot render a --replay");
		return -1;
	}
	if (cfg->replay && cfg->record) {
		ht_set_err(ps->err, ps->errlen, "--record writes a live run: "
			"with --replay the recording is FILE already");
		return -1;
	}
	if (cfg->target_count == 0 && !cfg->file && !cfg->replay) {
		ht_set_err(ps->err, ps->errlen, "no target given (see --help)");
		if (ps->interface_given) {
			char hint[160];

			snprintf(hint, sizeof(hint), "-I takes an interface "
				 "name ('%s' here); traceroute's -I, ICMP, is "
				 "the default, so leave it out",
				 quote(&q, ps->interface_given));
			add_hint(ps->err, ps->errlen, hint);
		}
		return -1;
	}
	return 0;
}

int ht_options_parse(int argc, char **argv, struct ht_config *cfg,
		     char *err, size_t errlen)
{
	struct option longopts[OPT_NUM + 1];
	/* '-': operands in order; ':': report a missing value as ':'. */
	char optstring[3 + 3 * OPT_NUM] = "-:";
	struct parse_state ps;
	size_t n = 2;
	int id, c;

	config_defaults(cfg);
	if (err && errlen)
		err[0] = '\0';
	memset(&ps, 0, sizeof(ps));
	ps.cfg = cfg;
	ps.err = err;
	ps.errlen = errlen;
	ps.prev_flag = -1;
	ps.protocol_id = -1;

	for (id = 0; id < OPT_NUM; id++) {
		const struct opt_def *d = &opt_defs[id];
		const char letters[2] = { d->letter, d->letter2 };
		int k;

		longopts[id].name = d->name;
		longopts[id].has_arg = d->has_arg;
		longopts[id].flag = NULL;
		longopts[id].val = OPT_LONG_BASE + id;
		for (k = 0; k < 2; k++) {
			if (!letters[k])
				continue;
			optstring[n++] = letters[k];
			if (d->has_arg == required_argument)
				optstring[n++] = ':';
		}
	}
	optstring[n] = '\0';
	memset(&longopts[OPT_NUM], 0, sizeof(longopts[OPT_NUM]));

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		int prev_flag = -1;
		char letter = 0;

		if (c == 1) {
			if (add_operand(&ps, optarg) < 0)
				goto fail;
		} else if (c == '?') {
			report_unknown(&ps, argv[optind - 1], optopt);
			goto fail;
		} else if (c == ':') {
			char name[32], hintbuf[128];

			id = optopt >= OPT_LONG_BASE ? optopt - OPT_LONG_BASE :
			     id_of_letter(optopt);
			letter = optopt >= OPT_LONG_BASE ? 0 : (char)optopt;
			if (id < 0 || id >= OPT_NUM) {
				ht_set_err(err, errlen, "an option needs a value");
				goto fail;
			}
			ht_set_err(err, errlen, "option %s needs a value",
				opt_name(id, letter, name, sizeof(name)));
			add_hint(err, errlen, number_hint(id, letter, "",
				 NUM_EMPTY, 0, hintbuf, sizeof(hintbuf)));
			goto fail;
		} else {
			id = c >= OPT_LONG_BASE ? c - OPT_LONG_BASE :
			     id_of_letter(c);
			letter = c >= OPT_LONG_BASE ? 0 : (char)c;
			if (id < 0 || id >= OPT_NUM) {
				ht_set_err(err, errlen, "unknown option");
				goto fail;
			}
			if (apply_option(&ps, id, letter, optarg) < 0)
				goto fail;
			/* -h and -V act at once, like GNU tools: whatever
			 * follows is not looked at. */
			if (cfg->help || cfg->version)
				return 0;
			if (opt_defs[id].has_arg == no_argument)
				prev_flag = id;
		}
		ps.prev_flag = prev_flag;
		ps.prev_flag_letter = letter;
	}
	/* After "--", every argument is an operand. */
	ps.prev_flag = -1;
	for (; optind < argc; optind++)
		if (add_operand(&ps, argv[optind]) < 0)
			goto fail;
	if (finish(&ps) < 0)
		goto fail;
	return 0;
fail:
	ht_options_free(cfg);
	return -1;
}

int ht_live_wanted(const struct ht_config *cfg, int stdout_tty,
		   const char *term)
{
	if (cfg->live != HT_LIVE_AUTO)
		return cfg->live;
	if (cfg->format_given || cfg->replay || !stdout_tty)
		return 0;
	return term && *term && strcmp(term, "dumb") != 0;
}

void ht_live_defaults(struct ht_config *cfg)
{
	if (!cfg->queries_given)
		cfg->queries = 1;
}

const char ht_usage_text[] =
"Usage: hoptrace [OPTION]... TARGET...\n"
"       hoptrace [OPTION]... --file FILE [TARGET]...\n"
"       hoptrace [OPTION]... --replay FILE\n"
"       hoptrace diff [-j] [--rtt-band MODE] A.jsonl B.jsonl\n"
"Trace the route to each TARGET, probing every hop at once through the\n"
"hopprobe worker.  A TARGET is a host name or address, optionally with a\n"
"port: target.example:443, 192.0.2.130:80, [2001:db8::1]:443, or a prefix\n"
"of at most 65536 addresses, every one traced: 203.0.113.0/24.\n"
"\n"
"Probing:\n"
"  -4, --ipv4               IPv4 only\n"
"  -6, --ipv6               IPv6 only\n"
"      --icmp               ICMP echo probes (the default)\n"
"  -U, -u, --udp            UDP probes\n"
"  -T, --tcp                TCP SYN probes\n"
"  -S, --sctp               SCTP INIT probes\n"
"  -f, --first-ttl N        first hop to probe (1-255; default 1)\n"
"  -m, --max-ttl N          last hop to probe (1-255; default 30)\n"
"  -q, --queries N          probes per hop in each cycle (1-10; default 3,\n"
"                           1 with --report)\n"
"  -c, --count N            cycles (1-1000000; default 1, 10 with --report)\n"
"  -i, --interval SECONDS   time between cycles (0-3600; default 1)\n"
"  -w, --wait SECONDS       how long to wait for each answer (above 0, up\n"
"                           to 86400; default 3)\n"
"  -p, -P, --port N         destination port (1-65535)\n"
"  -L, --sport N            source port (1024-65535)\n"
"  -s, -a, --source ADDR    source address\n"
"  -I, --interface NAME     send through this network interface\n"
"      --psize BYTES        packet size, IP header included (28-65535)\n"
"  -t, -Q, --tos N          type of service / traffic class (0-255)\n"
"  -B, --pattern N          byte the payload is filled with (0-255)\n"
"  -M, --mark N             packet mark for policy routing (0-4294967295)\n"
"      --flow N|auto|off    Paris traceroute flow (0-65535) held by every\n"
"                           probe; default auto: one chosen per trace;\n"
"                           off: probes may take different paths\n"
"      --flows K            trace K flows (1-64; -q then counts probes per\n"
"                           flow, default 1) and show each path\n"
"      --mda                add flows until every hop's next hops are\n"
"                           all found (MDA stopping rule), up to --flows K\n"
"                           (default 64)\n"
"      --confidence 95|99   --mda's confidence in percent (default 95)\n"
"      --compare LIST       trace each target once per item of LIST and\n"
"                           show them side by side; an item is\n"
"                           PROTO[:PORT][/FAM] or FAM (icmp,udp:53,tcp:443\n"
"                           or 4,6), 2-8 items\n"
"      --pmtu               find the path MTU: show it per hop and where\n"
"                           it drops\n"
"      --rate PPS           send at most PPS probes a second (above 0, up\n"
"                           to 1000000)\n"
"\n"
"Output:\n"
"  (no option)              on a terminal: the live view, like mtr, cycle\n"
"                           after cycle until q (or -c N cycles); else\n"
"                           one line per hop, like traceroute\n"
"      --live               the live view even where it is not the\n"
"                           default (keys: p pause, r reset, d display,\n"
"                           q quit)\n"
"      --no-live            one line per hop, even on a terminal\n"
"  -r, --report             a table at the end, like mtr --report\n"
"  -j, --json               one JSON document at the end\n"
"      --jsonl              one JSON record per event, as it happens\n"
"      --record FILE        also write the --jsonl records to FILE, whatever\n"
"                           the format shown (for --replay, hoptrace diff)\n"
"  -C, --csv                one CSV row per hop\n"
"  -e, --extensions         show MPLS labels, ICMP codes and the RFC 5837\n"
"                           interface information routers send\n"
"      --ns                 round-trip times to the nanosecond, from kernel\n"
"                           time stamps\n"
"  -b, --show-ips           show addresses beside host names\n"
"\n"
"Names and AS numbers:\n"
"  -n, --no-dns             show addresses only, do not look up names\n"
"      --dns-timeout SECONDS\n"
"                           give up on a name after this (0.05-60;\n"
"                           default 2)\n"
"  -z, --asn                look up the origin AS of every hop\n"
"      --asn-zone ZONE4[,ZONE6]\n"
"                           DNS zones of the AS lookups (default\n"
"                           origin.asn.cymru.com,origin6.asn.cymru.com)\n"
"\n"
"Failing the run:\n"
"      --fail-on EXPR       exit 1 and say why when EXPR holds for some\n"
"                           target (repeat: any one fails): unreached, or\n"
"                           SUBJECT.METRIC OP VALUE; SUBJECT dest, hop\n"
"                           (any hop) or hop[N]; METRIC loss (VALUE in %),\n"
"                           rtt, best, worst, last, stdev, jitter (VALUE\n"
"                           in us, ms or s); OP >, >=, <, <=; also with\n"
"                           --replay, on the recorded run\n"
"\n"
"Targets and worker:\n"
"      --file FILE          read targets from FILE, one per line, '#'\n"
"                           comments ('-': standard input)\n"
"  -N, --max-inflight N     probes in flight at once (1-1000000;\n"
"                           default 1000)\n"
"      --shard I/N          trace only shard I (0 to N-1) of N of the\n"
"                           targets, in --seed's order (N 1-65536)\n"
"      --shard-from NAME/N  the same, I read from the environment variable\n"
"                           NAME (JOB_COMPLETION_INDEX, PSSH_NODENUM)\n"
"      --seed S             the order shards split (0-18446744073709551615;\n"
"                           needed with --shard, the same on every shard)\n"
"      --list-targets       print the targets this run would trace, one a\n"
"                           line, and exit\n"
"      --run-id TEXT        the run's id in every record (1-64 of A-Z a-z\n"
"                           0-9 . _ : -; default: a random one)\n"
"      --replay FILE        render a run recorded with --jsonl again, in\n"
"                           any format ('-': standard input)\n"
"      --worker [NAME=]COMMAND\n"
"                           run COMMAND through /bin/sh as a worker named\n"
"                           NAME (default: the host COMMAND reaches);\n"
"                           repeat for several; default: hopprobe, or\n"
"                           $HOPTRACE_WORKER (unless setuid or setgid)\n"
"      --each               every target from every worker, side by side\n"
"      --split              each target from one worker (the least busy)\n"
"      --worker-window N    probes in flight per worker (1-65536)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Exit status: 0 every target was reached; 1 some target was not reached,\n"
"or a --fail-on condition held; 2 usage error (also a --record FILE that\n"
"cannot be written); 3 the worker failed or could not start, writing the\n"
"--record FILE failed, or hoptrace has privilege of its own (setuid,\n"
"setgid, file capabilities); 4 partial: with --each or --split a worker\n"
"was lost, its traces cut short, the others finished.  The live view\n"
"ended with q, Ctrl-C or SIGTERM exits the same way, a target counting as\n"
"reached when some cycle reached it.\n"
"\n"
"Examples:\n"
"  hoptrace 192.0.2.130\n"
"  hoptrace -T -p 443 target.example\n"
"  hoptrace -r -c 5 192.0.2.130\n"
"  hoptrace --jsonl -n 192.0.2.130 2001:db8:3::2 | jq .\n"
"  hoptrace --file targets.txt -N 5000 --csv\n"
"  hoptrace -c 10 --fail-on 'dest.loss>2%' --fail-on 'dest.rtt>50ms' \\\n"
"      192.0.2.130\n"
"  hoptrace -n --record monday.jsonl 192.0.2.130\n"
"  hoptrace --replay monday.jsonl --fail-on 'dest.loss>2%'\n"
"  hoptrace diff monday.jsonl tuesday.jsonl\n"
"  hoptrace -r --compare icmp,udp:53,tcp:443 target.example\n"
"  hoptrace --shard 0/4 --seed 7 --jsonl -n 198.51.100.0/24\n"
"\n"
"See hoptrace(1) for the details.\n";

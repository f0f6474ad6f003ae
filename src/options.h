/*
 * options.h: the command line of hoptrace -> one configuration struct.
 *
 * Pure: ht_options_parse() reads only argv, prints nothing and exits never;
 * a usage error comes back as a message that names the option (and, where
 * the value looks like the other tool's meaning of that letter, a hint).
 */
#ifndef HOPTRACE_OPTIONS_H
#define HOPTRACE_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "compare.h"
#include "fail_on.h"
#include "render.h"

/* --flow's words: one flow chosen per trace, or none. */
#define HT_FLOW_AUTO (-1)
#define HT_FLOW_OFF (-2)
/* Neither --live nor --no-live: the live view when stdout is a terminal. */
#define HT_LIVE_AUTO (-1)
/* --fail-on given at most this many times. */
#define HT_FAIL_ON_MAX 16
/* --run-id's longest text. */
#define HT_RUN_ID_MAX 64
/* --flows' largest K. */
#define HT_FLOWS_MAX 64

struct ht_target {
	const char *host;	/* name or literal, brackets and :port removed;
				 * points into argv or into the options' own
				 * storage */
	int port;		/* from HOST:PORT or [V6]:PORT; 0 none */
};

struct ht_config {
	int family;		/* 0, AF_INET (-4) or AF_INET6 (-6) */
	int numeric;		/* -n --no-dns */
	int first_ttl;		/* -f --first-ttl, 1 */
	int max_ttl;		/* -m --max-ttl, 30 */
	int queries;		/* -q --queries: 3; 1 with --report */
	int count;		/* -c --count: 1; 10 with --report */
	double interval_s;	/* -i --interval: 1.0 between cycles */
	const char *interface;	/* -I --interface */
	enum hp_protocol protocol; /* --icmp (default) -U/-u -T -S */
	int port;		/* -p/-P --port; 0 default */
	int source_port;	/* -L --sport; 0 default */
	const char *source;	/* -s/-a --source; NULL */
	int psize;		/* --psize; 0 default */
	int tos;		/* -t/-Q --tos; -1 default */
	int pattern;		/* -B --pattern; -1 default */
	int64_t mark;		/* -M --mark; -1 none */
	uint32_t wait_ms;	/* -w --wait seconds (fractions), 3000 */
	double dns_timeout_s;	/* --dns-timeout seconds, 2.0 */
	int mpls;		/* -e --extensions */
	int asn;		/* -z --asn */
	const char *asn_zone4;	/* --asn-zone Z4[,Z6]: origin.asn.cymru.com */
	const char *asn_zone6;	/* origin6.asn.cymru.com */
	int show_ips;		/* -b --show-ips */
	enum ht_format format;	/* -r --report, -j --json, --jsonl, -C --csv */
	int format_given;	/* one of those was given */
	int live;		/* --live 1, --no-live 0; HT_LIVE_AUTO: by the
				 * terminal (ht_live_wanted) */
	int count_given;	/* -c was given: live cycles stop after it */
	int queries_given;	/* -q was given */
	unsigned max_inflight;	/* -N --max-inflight, 1000 */
	int flow;		/* --flow: 0-65535, HT_FLOW_AUTO (default) or
				 * HT_FLOW_OFF */
	int flows;		/* --flows K, 0 not given (one flow); with
				 * --mda the most it adds, 64 by default */
	int mda;		/* --mda: its confidence, 95 (default) or 99
				 * (--confidence); 0 without */
	double rate_pps;	/* --rate; 0 none */
	struct ht_fail_expr fail_on[HT_FAIL_ON_MAX]; /* --fail-on, in order */
	unsigned fail_on_count;
	/* --compare: the items traced side by side; none without. */
	struct ht_compare_item compare[HT_COMPARE_MAX];
	unsigned compare_count;
	int pmtu;		/* --pmtu */
	int rtt_ns;		/* --ns */
	const char **workers;	/* --worker CMD, repeatable; NULL none */
	const char *run_id;	/* --run-id (1-HT_RUN_ID_MAX characters of
				 * [A-Za-z0-9._:-]); NULL: made up at start */
	int each;		/* --each: every target from every worker */
	int split;		/* --split: each target from one worker */
	unsigned worker_window;	/* --worker-window; 0: -N's, at most 65536 */
	unsigned worker_count;
	const char *file;	/* --file F ("-" = stdin); NULL none */
	const char *replay;	/* --replay F ("-" = stdin); NULL none */
	const char *record;	/* --record F (never "-"); NULL none */
	/* --shard I/N or --shard-from NAME/N (the index then comes from
	 * the environment: ht_target_plan); shard_count 0 without. */
	unsigned shard_index;
	unsigned shard_count;
	const char *shard_from;	/* NAME; NULL for --shard */
	uint64_t seed;		/* --seed */
	int seed_given;
	int list_targets;	/* --list-targets */
	struct ht_target *targets; /* operands, in order (a prefix is one
				 * until ht_target_plan expands it) */
	unsigned target_count;
	int help;		/* -h --help: print usage, exit 0 */
	int version;		/* -V --version */
	/* Owned storage (targets, split strings); freed by ht_options_free. */
	void *storage;
};

/*
 * Parse ARGV into CFG.  Returns 0 on success (CFG->help or CFG->version may
 * then be set, and the caller prints and exits 0), or -1 with a message in
 * ERR (no trailing newline, no "hoptrace: " prefix) for a usage error (the
 * caller prints it and exits 2).  Having no target and no --file is an
 * error unless help or version was asked.
 */
int ht_options_parse(int argc, char **argv, struct ht_config *cfg,
		     char *err, size_t errlen);

/*
 * Split one target argument "HOST", "HOST:PORT", "[V6]", "[V6]:PORT" or a
 * bare IPv6 literal into T, copying into STORAGE-owned memory of CFG.
 * Returns 0, or -1 with ERR filled (bad port, empty host).
 */
int ht_target_parse(struct ht_config *cfg, const char *arg,
		    struct ht_target *t, char *err, size_t errlen);

/*
 * Targets from the text of a --file: one per line, blank lines and `#`
 * comments ignored, surrounding white space trimmed.  Appends to CFG's
 * targets; -1 with ERR (naming the line number) on a bad line.
 */
int ht_targets_from_text(struct ht_config *cfg, const char *text, size_t len,
			 char *err, size_t errlen);

/* A copy of S owned by CFG (freed by ht_options_free); NULL when out of
 * memory. */
char *ht_config_strdup(struct ht_config *cfg, const char *s);
/* CFG's targets become the COUNT of TARGETS (a malloc'ed array CFG now
 * owns); the old array is freed. */
void ht_config_set_targets(struct ht_config *cfg, struct ht_target *targets,
			   unsigned count);

void ht_options_free(struct ht_config *cfg);

/*
 * Whether this run shows the live view: --live and --no-live decide; else
 * it is the default when no output format was given, standard output is
 * a terminal (STDOUT_TTY) and TERM (NULL when unset) is set and not
 * "dumb", the terminals that cannot move the cursor.
 */
int ht_live_wanted(const struct ht_config *cfg, int stdout_tty,
		   const char *term);

/* The live view's defaults where the user gave none: one probe per hop
 * and cycle, as mtr sends.  Called once the view is chosen. */
void ht_live_defaults(struct ht_config *cfg);

/* The --help text (with examples). */
extern const char ht_usage_text[];

#endif

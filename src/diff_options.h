/*
 * diff_options.h: the command line of `hoptrace diff` (pure, as
 * options.h): hoptrace diff [-j|--json] [--rtt-band MODE] A.jsonl B.jsonl
 */
#ifndef HOPTRACE_DIFF_OPTIONS_H
#define HOPTRACE_DIFF_OPTIONS_H

#include <stddef.h>

#include "trace_diff.h"

struct ht_diff_config {
	int json;			/* -j --json */
	enum ht_rtt_band band;		/* --rtt-band, decade */
	const char *a, *b;		/* the two recordings; "-": stdin */
	int help;			/* -h --help */
};

/*
 * Parse ARGV, whose ARGV[0] is "diff", into CFG: 0 (CFG->help may be
 * set), or -1 with a message in ERR (no "hoptrace diff: " in front) for a
 * usage error.
 */
int ht_diff_options_parse(int argc, char **argv, struct ht_diff_config *cfg,
			  char *err, size_t errlen);

extern const char ht_diff_usage_text[];

#endif

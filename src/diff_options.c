/*
 * diff_options.c: see diff_options.h.  getopt_long as in options.c:
 * optind 0 and opterr 0 on every call, '-' first so that operands come
 * back in order and options may follow them.
 */
#include "err_text.h"
#include "diff_options.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

enum { DOPT_RTT_BAND = 256 };

static int band_parse(const char *arg, enum ht_rtt_band *out)
{
	static const enum ht_rtt_band modes[] = { HT_BAND_DECADE,
						   HT_BAND_FACTOR2,
						   HT_BAND_OFF };
	unsigned i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(arg, ht_rtt_band_mode_name(modes[i])) == 0) {
			*out = modes[i];
			return 0;
		}
	return -1;
}

int ht_diff_options_parse(int argc, char **argv, struct ht_diff_config *cfg,
			  char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "rtt-band", required_argument, NULL, DOPT_RTT_BAND },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *files[2];
	unsigned nfiles = 0;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->band = HT_BAND_DECADE;
	if (err && errlen)
		err[0] = '\0';
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (nfiles == 2) {
				ht_set_err(err, errlen, "more than two recordings "
					"('%s')", optarg);
				return -1;
			}
			files[nfiles++] = optarg;
			break;
		case 'j':
			cfg->json = 1;
			break;
		case 'h':
			cfg->help = 1;
			return 0;
		case DOPT_RTT_BAND:
			if (band_parse(optarg, &cfg->band) < 0) {
				ht_set_err(err, errlen, "option --rtt-band: '%s' is "
					"not decade, factor2 or off", optarg);
				return -1;
			}
			break;
		case ':':
			ht_set_err(err, errlen, "option %s needs a value",
				argv[optind - 1]);
			return -1;
		default:
			ht_set_err(err, errlen, "unknown option '%s'",
				argv[optind - 1]);
			return -1;
		}
	}
	/* After "--", every argument is a file. */
	for (; optind < argc; optind++) {
		if (nfiles == 2) {
			ht_set_err(err, errlen, "more than two recordings ('%s')",
				argv[optind]);
			return -1;
		}
		files[nfiles++] = argv[optind];
	}
	if (nfiles < 2) {
		ht_set_err(err, errlen, "two recordings wanted (A.jsonl B.jsonl), "
			"%u given", nfiles);
		return -1;
	}
	if (!*files[0] || !*files[1]) {
		ht_set_err(err, errlen, "empty file name");
		return -1;
	}
	if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0) {
		ht_set_err(err, errlen, "only one recording can be standard "
			"input ('-')");
		return -1;
	}
	cfg->a = files[0];
	cfg->b = files[1];
	return 0;
}

const char ht_diff_usage_text[] =
"Usage: hoptrace diff [OPTION]... A.jsonl B.jsonl\n"
"Compare two runs recorded with --jsonl or --record: the k-th trace of a\n"
"target in A with the k-th trace of the same target in B.  One line per\n"
"difference (hops that became silent or started answering, responders\n"
"that vanished or appeared, the destination reached or not, its\n"
"distance, median round-trip times in another band, with --flows each\n"
"flow's responder), then a summary line.  '-' reads standard input.\n"
"\n"
"  -j, --json               one JSON document instead of lines\n"
"      --rtt-band MODE      when a hop's median round-trip time counts as\n"
"                           changed: decade (default: another of <1ms,\n"
"                           1-10ms, 10-100ms, >=100ms), factor2 (one more\n"
"                           than twice the other) or off\n"
"  -h, --help               show this help and exit\n"
"\n"
"Exit status: 0 no differences; 1 some; 2 usage error, a file that\n"
"cannot be read or is not a recording; 3 out of memory.\n";

/*
 * diff_run.c: hoptrace diff (see diff_run.h).  The I/O around the pure
 * parts: each recording read line by line through the record reader
 * (replay.h) into the traces it holds (trace_set.h), the two compared
 * (trace_diff.h), the result written to standard output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff_options.h"
#include "diff_run.h"
#include "replay.h"
#include "trace_diff.h"
#include "trace_set.h"

/* Read recording NAME into SET; 0, or the exit status of the failure
 * (said on stderr). */
static int load(const char *name, struct ht_trace_set *set)
{
	int from_stdin = strcmp(name, "-") == 0;
	const char *shown = from_stdin ? "standard input" : name;
	FILE *in = from_stdin ? stdin : fopen(name, "re");
	struct ht_replay *rp;
	struct ht_event ev;
	char *line = NULL, err[256];
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int status = 0;

	if (!in) {
		fprintf(stderr, "hoptrace diff: %s: %s\n", shown,
			strerror(errno));
		return 2;
	}
	rp = ht_replay_new();
	if (!rp) {
		fprintf(stderr, "hoptrace diff: out of memory\n");
		status = 3;
		goto out;
	}
	while ((len = getline(&line, &cap, in)) >= 0) {
		int rc;

		lineno++;
		if (set->run_ended) {
			fprintf(stderr, "hoptrace diff: %s: line %lu comes "
				"after the run-end record\n", shown, lineno);
			status = 2;
			goto out;
		}
		rc = ht_replay_line(rp, line, (size_t)len, &ev, err,
				    sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "hoptrace diff: %s: line %lu: %s\n",
				shown, lineno, err);
			status = 2;
			goto out;
		}
		if (rc == 0)
			continue;
		if (!set->run_started && ev.kind != HT_EV_RUN_START) {
			fprintf(stderr, "hoptrace diff: %s: not a recording: "
				"line %lu comes before any run-start record\n",
				shown, lineno);
			status = 2;
			goto out;
		}
		if (ht_trace_set_event(set, &ev) < 0) {
			fprintf(stderr, "hoptrace diff: %s: line %lu: out of "
				"memory (or a trace index past any run)\n",
				shown, lineno);
			status = 3;
			goto out;
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "hoptrace diff: %s: %s\n", shown,
			strerror(errno));
		status = 2;
	} else if (!set->run_started) {
		fprintf(stderr, "hoptrace diff: %s: not a recording: no "
			"run-start record\n", shown);
		status = 2;
	} else if (!set->run_ended) {
		/* What it holds is still a run, as --replay renders it. */
		fprintf(stderr, "hoptrace diff: %s: no run-end record: the "
			"run was cut short; its traces are compared as far "
			"as they go\n", shown);
	}
out:
	free(line);
	ht_replay_free(rp);
	if (in != stdin)
		fclose(in);
	return status;
}

static int write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDOUT_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int ht_diff_run(int argc, char **argv)
{
	struct ht_diff_config cfg;
	struct ht_trace_set a, b;
	struct ht_diff_list diffs;
	struct ht_outbuf out;
	char err[256];
	unsigned i;
	int status;

	if (ht_diff_options_parse(argc, argv, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "hoptrace diff: %s\n", err);
		fprintf(stderr, "Try 'hoptrace diff --help' for more "
			"information.\n");
		return 2;
	}
	if (cfg.help) {
		fputs(ht_diff_usage_text, stdout);
		return 0;
	}
	ht_trace_set_init(&a);
	ht_trace_set_init(&b);
	ht_diff_list_init(&diffs);
	ht_outbuf_init(&out);
	status = load(cfg.a, &a);
	if (!status)
		status = load(cfg.b, &b);
	if (status)
		goto out;
	if (ht_trace_diff(&a, &b, cfg.band, &diffs) < 0) {
		fprintf(stderr, "hoptrace diff: out of memory\n");
		status = 3;
		goto out;
	}
	if (cfg.json) {
		ht_diff_json(&diffs, cfg.a, cfg.b, cfg.band, &out);
	} else {
		for (i = 0; i < diffs.count; i++)
			ht_diff_format(&diffs.items[i], cfg.band, &out);
		ht_diff_summary(&diffs, &out);
	}
	if (out.failed) {
		fprintf(stderr, "hoptrace diff: out of memory\n");
		status = 3;
		goto out;
	}
	if (write_all(out.data, out.len) < 0) {
		fprintf(stderr, "hoptrace diff: cannot write the output: %s\n",
			strerror(errno));
		status = 3;
		goto out;
	}
	status = diffs.count ? 1 : 0;
out:
	ht_outbuf_free(&out);
	ht_diff_list_free(&diffs);
	ht_trace_set_free(&a);
	ht_trace_set_free(&b);
	return status;
}

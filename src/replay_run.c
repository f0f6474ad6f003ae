/*
 * replay_run.c: hoptrace --replay (see replay_run.h).  The I/O around the
 * pure reader: lines from the file, events to the renderer, bytes to
 * standard output as each line is rendered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "renderer_for.h"
#include "replay.h"
#include "replay_run.h"

/* Write OUT to standard output and empty it; -1 when that fails. */
static int write_out(struct ht_outbuf *out)
{
	size_t done = 0;

	while (done < out->len) {
		ssize_t n = write(STDOUT_FILENO, out->data + done,
				  out->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	ht_outbuf_reset(out);
	return 0;
}

int ht_replay_run(const struct ht_config *cfg)
{
	const char *name = strcmp(cfg->replay, "-") == 0 ? "standard input" :
			   cfg->replay;
	FILE *in = strcmp(cfg->replay, "-") == 0 ? stdin :
		   fopen(cfg->replay, "re");
	struct ht_replay *rp = NULL;
	struct ht_renderer *r = NULL;
	struct ht_outbuf out;
	struct ht_event ev, last_end;
	char *line = NULL, err[256];
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int status = 1, ended = 0;
	int64_t last_us = 0;

	ht_outbuf_init(&out);
	if (!in) {
		fprintf(stderr, "hoptrace: --replay %s: %s\n", name,
			strerror(errno));
		return 2;
	}
	rp = ht_replay_new();
	/* The count only sizes the renderers' first arrays: they grow. */
	r = ht_renderer_for(cfg, 1);
	if (!rp || !r) {
		fprintf(stderr, "hoptrace: out of memory\n");
		status = 3;
		goto out;
	}
	memset(&last_end, 0, sizeof(last_end));
	while ((len = getline(&line, &cap, in)) >= 0) {
		int rc;

		lineno++;
		if (ended) {
			/* Records after run-end are not of this run. */
			fprintf(stderr, "hoptrace: --replay %s: line %lu comes "
				"after the run-end record\n", name, lineno);
			status = 2;
			goto out;
		}
		rc = ht_replay_line(rp, line, (size_t)len, &ev, err,
				    sizeof(err));
		if (rc < 0) {
			write_out(&out);
			fprintf(stderr, "hoptrace: --replay %s: line %lu: %s\n",
				name, lineno, err);
			status = 2;
			goto out;
		}
		if (rc == 0)
			continue;
		if (ev.kind == HT_EV_RUN_START)
			last_us = ev.u.run_start.start_us;
		else if (ev.kind == HT_EV_TRACE_END)
			last_us = ev.u.trace_end.end_us;
		if (ev.kind == HT_EV_RUN_END) {
			ended = 1;
			status = ev.u.run_end.exit_status;
		}
		ht_renderer_event(r, &ev, &out);
		if (out.failed) {
			fprintf(stderr, "hoptrace: out of memory\n");
			status = 3;
			goto out;
		}
		if (write_out(&out) < 0) {
			status = 1;	/* a reader that went away */
			goto out;
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "hoptrace: --replay %s: %s\n", name,
			strerror(errno));
		status = 2;
		goto out;
	}
	if (!ended) {
		/* As a run cut short: the renderer writes what it holds. */
		fprintf(stderr, "hoptrace: --replay %s: no run-end record "
			"after line %lu: the run was cut short\n", name,
			lineno);
		last_end.kind = HT_EV_RUN_END;
		last_end.u.run_end.end_us = last_us;
		last_end.u.run_end.exit_status = 1;
		ht_renderer_event(r, &last_end, &out);
		(void)write_out(&out);
		status = 1;
	}
out:
	free(line);
	ht_renderer_free(r);
	ht_replay_free(rp);
	ht_outbuf_free(&out);
	if (in != stdin)
		fclose(in);
	return status;
}

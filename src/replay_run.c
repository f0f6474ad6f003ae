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

#include "fail_watch.h"
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

/* Feed EV to the --fail-on watch and say on stderr what held. */
static int watch_event(struct ht_fail_watch *w, const struct ht_event *ev,
		       struct ht_outbuf *msgs)
{
	int rc;

	if (!w)
		return 0;
	rc = ht_fail_watch_event(w, ev, msgs);
	if (msgs->len)
		fwrite(msgs->data, 1, msgs->len, stderr);
	ht_outbuf_reset(msgs);
	return rc;
}

/*
 * The exit status of a replay with --fail-on: worked out again as a live
 * run does, from the recording's reached traces and this command's
 * conditions (not the ones the recording was made with); a recorded
 * failure of the run itself (2, 3) stays.
 */
static int refail_status(const struct ht_run_end *re,
			 const struct ht_fail_watch *w)
{
	if (re->exit_status >= 2)
		return re->exit_status;
	return re->not_reached || ht_fail_watch_failed(w) ? 1 : 0;
}

int ht_replay_run(const struct ht_config *cfg)
{
	const char *name = strcmp(cfg->replay, "-") == 0 ? "standard input" :
			   cfg->replay;
	FILE *in = strcmp(cfg->replay, "-") == 0 ? stdin :
		   fopen(cfg->replay, "re");
	struct ht_replay *rp = NULL;
	struct ht_renderer *r = NULL;
	struct ht_fail_watch *watch = NULL;
	struct ht_outbuf out, msgs;
	struct ht_event ev, last_end;
	char *line = NULL, err[256];
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int status = 1, ended = 0;
	int64_t last_us = 0;

	ht_outbuf_init(&out);
	ht_outbuf_init(&msgs);
	if (!in) {
		fprintf(stderr, "hoptrace: --replay %s: %s\n", name,
			strerror(errno));
		return 2;
	}
	rp = ht_replay_new();
	/* The count only sizes the renderers' first arrays: they grow. */
	r = ht_renderer_for(cfg, 1);
	if (cfg->fail_on_count)
		watch = ht_fail_watch_new(cfg->fail_on, cfg->fail_on_count);
	if (!rp || !r || (cfg->fail_on_count && !watch)) {
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
			status = watch ? refail_status(&ev.u.run_end, watch) :
				 ev.u.run_end.exit_status;
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
		/* After the rendering, as live: the trace's text, then why
		 * it fails. */
		if (watch_event(watch, &ev, &msgs) < 0) {
			status = 3;
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
		/* Made up here, not recorded: no collector wrote it. */
		last_end.collector_us = HT_COLLECTOR_UNKNOWN;
		last_end.u.run_end.end_us = last_us;
		last_end.u.run_end.exit_status = 1;
		ht_renderer_event(r, &last_end, &out);
		(void)write_out(&out);
		status = 1;
	}
out:
	free(line);
	ht_renderer_free(r);
	ht_fail_watch_free(watch);
	ht_replay_free(rp);
	ht_outbuf_free(&out);
	ht_outbuf_free(&msgs);
	if (in != stdin)
		fclose(in);
	return status;
}

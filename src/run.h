/*
 * run.h: one run of hoptrace: workers, names, traces and the renderer on
 * one libev loop, from the parsed configuration to the exit status.
 */
#ifndef HOPTRACE_RUN_H
#define HOPTRACE_RUN_H

#include "options.h"

/* A worker to start: a shell command, or a path run without a shell. */
struct ht_worker_spec {
	const char *name;	/* as events name it; NULL: the command */
	const char *command;
	int use_shell;
	int remote;		/* reaches another host or namespace: the
				 * source address is not ours to look up */
};

/*
 * Trace every target of CFG with the workers given, writing the chosen
 * format to standard output and messages to standard error.  Returns the
 * exit status: 0 every target reached, 1 some not, 2 a probe option the
 * worker refused, 3 worker or privilege failure, 4 partial: a worker was
 * lost with traces only it could finish, the others finished theirs.
 */
int ht_run(const struct ht_config *cfg, const struct ht_worker_spec *workers,
	   unsigned worker_count);

#endif

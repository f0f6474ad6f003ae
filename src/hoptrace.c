/*
 * hoptrace.c: main: options, privilege check, workers, the run; nothing
 * else.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff_run.h"
#include "options.h"
#include "replay_run.h"
#include "run.h"
#include "selfcheck.h"
#include "target_plan.h"
#include "worker_names.h"

/* PACKAGE_VERSION: config.h, from configure.ac's AC_INIT alone. */
#ifndef PACKAGE_VERSION
#error "PACKAGE_VERSION comes from config.h"
#endif
#ifndef HT_INSTALLED_WORKER
#define HT_INSTALLED_WORKER "/usr/local/bin/hopprobe"
#endif

#define FILE_MAX (64u << 20)	/* a --file larger than this is refused */

/* Read all of FD (bounded); NULL with errno set on failure. */
static char *read_all(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap), *nbuf;
	ssize_t r;

	if (!buf)
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap >= FILE_MAX) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				return NULL;
			}
			buf = nbuf;
		}
		r = read(fd, buf + n, cap - n);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

static int load_file(struct ht_config *cfg)
{
	char err[256];
	size_t len = 0;
	char *text;
	int fd = 0, rc;

	if (strcmp(cfg->file, "-") != 0) {
		fd = open(cfg->file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "hoptrace: --file %s: %s\n", cfg->file,
				strerror(errno));
			return -1;
		}
	}
	text = read_all(fd, &len);
	if (fd != 0)
		close(fd);
	if (!text) {
		fprintf(stderr, "hoptrace: --file %s: %s\n", cfg->file,
			strerror(errno));
		return -1;
	}
	rc = ht_targets_from_text(cfg, text, len, err, sizeof(err));
	free(text);
	if (rc < 0) {
		fprintf(stderr, "hoptrace: --file %s: %s\n", cfg->file, err);
		return -1;
	}
	if (cfg->target_count == 0) {
		fprintf(stderr, "hoptrace: --file %s holds no target\n",
			cfg->file);
		return -1;
	}
	return 0;
}

/* This host's name, for the workers that run here. */
static void local_name(char *buf, size_t len)
{
	if (gethostname(buf, len) < 0 || !buf[0])
		snprintf(buf, len, "localhost");
	buf[len - 1] = '\0';
}

/*
 * The workers of --worker [NAME=]CMD, each named (worker_names.h); NAMES
 * holds the names, one per worker, for the caller to free.  -1 after a
 * message when two given names are alike or memory is short.
 */
static int name_workers(const struct ht_config *cfg,
			struct ht_worker_spec *workers,
			char (**names)[HT_WORKER_NAME_MAX + 8])
{
	char local[HT_WORKER_NAME_MAX], derived[HT_WORKER_NAME_MAX], err[256];
	char (*nm)[HT_WORKER_NAME_MAX + 8];
	char **ptrs;
	int *given;
	unsigned i;
	int rc = 0;

	*names = NULL;
	if (cfg->worker_count == 0)
		return 0;
	nm = calloc(cfg->worker_count, sizeof(*nm));
	ptrs = calloc(cfg->worker_count, sizeof(*ptrs));
	given = calloc(cfg->worker_count, sizeof(*given));
	if (!nm || !ptrs || !given) {
		fprintf(stderr, "hoptrace: out of memory\n");
		free(nm);
		free(ptrs);
		free(given);
		return -1;
	}
	local_name(local, sizeof(local));
	for (i = 0; i < cfg->worker_count; i++) {
		const char *command;

		/* Checked when the options were read: cannot fail here. */
		given[i] = ht_worker_arg_split(cfg->workers[i], nm[i],
					       sizeof(nm[i]), &command, err,
					       sizeof(err)) == 1;
		/* A given name still leaves the host to the command. */
		workers[i].remote = ht_worker_default_name(command, local,
							   derived,
							   sizeof(derived));
		if (!given[i])
			snprintf(nm[i], sizeof(nm[i]), "%s", derived);
		workers[i].command = command;
		workers[i].use_shell = 1;
		workers[i].name = nm[i];
		ptrs[i] = nm[i];
	}
	if (ht_worker_names_unique(ptrs, given, cfg->worker_count, err,
				   sizeof(err)) < 0) {
		fprintf(stderr, "hoptrace: %s\n", err);
		rc = -1;
		free(nm);
		nm = NULL;
	}
	free(ptrs);
	free(given);
	*names = nm;
	return rc;
}

/* --list-targets: what this run would trace, one per line; nothing is
 * started. */
static int list_targets(const struct ht_config *cfg)
{
	char text[300];
	unsigned i;

	for (i = 0; i < cfg->target_count; i++) {
		ht_target_text(&cfg->targets[i], text, sizeof(text));
		printf("%s\n", text);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "hoptrace: --list-targets: cannot write: %s\n",
			strerror(errno));
		return 3;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ht_config cfg;
	struct ht_worker_spec *workers = NULL;
	char (*names)[HT_WORKER_NAME_MAX + 8] = NULL;
	char err[512], path[4096];
	unsigned n = 0;
	int status, use_shell;

	if (ht_privilege_refusal(err, sizeof(err))) {
		fprintf(stderr, "hoptrace: %s\n", err);
		/* At once: nothing that runs at exit (a sanitizer's leak
		 * check, say) should run with privilege either. */
		_exit(3);
	}
	/* A subcommand of its own: compares recordings, probes nothing. */
	if (argc > 1 && strcmp(argv[1], "diff") == 0)
		return ht_diff_run(argc - 1, argv + 1);
	if (ht_options_parse(argc, argv, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "hoptrace: %s\n", err);
		fprintf(stderr, "Try 'hoptrace --help' for more information.\n");
		return 2;
	}
	if (cfg.help) {
		fputs(ht_usage_text, stdout);
		ht_options_free(&cfg);
		return 0;
	}
	if (cfg.version) {
		printf("hoptrace %s\n", PACKAGE_VERSION);
		ht_options_free(&cfg);
		return 0;
	}
	if (cfg.replay) {
		status = ht_replay_run(&cfg);
		ht_options_free(&cfg);
		return status;
	}
	if (cfg.file && load_file(&cfg) < 0) {
		ht_options_free(&cfg);
		return 2;
	}
	/* Prefixes expanded and the shard kept; the shard's index from the
	 * environment only where --shard-from names the variable. */
	if (ht_target_plan(&cfg, cfg.shard_from ? getenv(cfg.shard_from) :
			   NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "hoptrace: %s\n", err);
		ht_options_free(&cfg);
		return 2;
	}
	if (cfg.list_targets) {
		status = list_targets(&cfg);
		ht_options_free(&cfg);
		return status;
	}
	/* The live view where it is the default (a terminal, no format
	 * asked), or asked for; its defaults where the user gave none. */
	cfg.live = ht_live_wanted(&cfg, isatty(STDOUT_FILENO), getenv("TERM"));
	if (cfg.live)
		ht_live_defaults(&cfg);
	/* Results for probes of gone workers arrive as EPIPE, not signals. */
	signal(SIGPIPE, SIG_IGN);

	workers = calloc(cfg.worker_count ? cfg.worker_count : 1,
			 sizeof(*workers));
	if (!workers) {
		fprintf(stderr, "hoptrace: out of memory\n");
		ht_options_free(&cfg);
		return 3;
	}
	if (name_workers(&cfg, workers, &names) < 0) {
		free(workers);
		ht_options_free(&cfg);
		return 2;
	}
	n = cfg.worker_count;
	if (n == 0) {
		if (ht_default_worker(HT_INSTALLED_WORKER, path, sizeof(path),
				      &use_shell) < 0) {
			fprintf(stderr, "hoptrace: %s\n", path);
			free(workers);
			ht_options_free(&cfg);
			return 3;
		}
		workers[0].command = path;
		workers[0].use_shell = use_shell;
		n = 1;
		names = calloc(1, sizeof(*names));
		if (names) {
			local_name(names[0], sizeof(names[0]));
			workers[0].name = names[0];
		}
	}
	status = ht_run(&cfg, workers, n);
	free(names);
	free(workers);
	ht_options_free(&cfg);
	return status;
}

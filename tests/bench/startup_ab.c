/*
 * startup_ab: the start-up time of several workers, measured interleaved.
 *
 *   startup_ab [-n STARTS] WORKER...
 *
 * Each round starts every WORKER once (the order rotating from round to
 * round) and times it from just before fork to the first line of its
 * answer to `check-support feature version`, written to its stdin before
 * the fork as a client would at once.  Interleaving matters on a shared
 * machine: a burst of load then slows every worker's starts alike, where
 * `hopbench -m startup` run once per worker would charge it to one.  The
 * figures are those of hopbench -m startup (the bench's start-up section),
 * without the bench around them; each WORKER is a path run without
 * arguments, e.g. two builds of hopprobe and /usr/bin/mtr-packet.
 *
 * Prints one line per worker: starts, failures, min, p25, median, p75 (ms).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchutil.h"

#define MAX_WORKERS 8
#define ANSWER_LIMIT_MS 5000

static const char request[] = "1 check-support feature version\n";

/*
 * Read from fd until a newline (want_line) or end of file (not want_line),
 * or the deadline; true when what was waited for came.
 */
static bool read_until(int fd, bool want_line, uint64_t deadline_ns)
{
	char buf[256];

	for (;;) {
		uint64_t now = bench_now_ns();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (now >= deadline_ns)
			return false;
		if (poll(&p, 1, (int)((deadline_ns - now) / 1000000u) + 1) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return n == 0 && !want_line;
		if (want_line && memchr(buf, '\n', (size_t)n))
			return true;
	}
}

/*
 * One start of path: microseconds to its first answer line, or -1.  The
 * worker then sees end of input and exits; it is killed if it has not
 * within the limit.
 */
static long time_one_start(const char *path)
{
	int in[2], out[2], status;
	uint64_t t0;
	long us = -1;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) == -1)
		return -1;
	if (pipe2(out, O_CLOEXEC) == -1) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	if (write(in[1], request, sizeof(request) - 1) !=
	    (ssize_t)(sizeof(request) - 1))
		goto out;
	t0 = bench_now_ns();
	pid = fork();
	if (pid == 0) {
		int null_fd = open("/dev/null", O_WRONLY);

		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		if (null_fd != -1)
			dup2(null_fd, STDERR_FILENO);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	if (pid == -1)
		goto out;
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	if (read_until(out[0], true, t0 + ANSWER_LIMIT_MS * 1000000ull))
		us = (long)((bench_now_ns() - t0) / 1000u);
	close(in[1]);
	in[1] = -1;
	if (!read_until(out[0], false,
			bench_now_ns() + ANSWER_LIMIT_MS * 1000000ull))
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
out:
	if (in[0] != -1)
		close(in[0]);
	if (in[1] != -1)
		close(in[1]);
	close(out[0]);
	if (out[1] != -1)
		close(out[1]);
	return us;
}

int main(int argc, char **argv)
{
	uint32_t *us[MAX_WORKERS];
	size_t ok[MAX_WORKERS] = { 0 };
	uint64_t starts = 201, i;
	int opt, k, w;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n' ||
		    !bench_parse_u64("-n", optarg, 1, 100000, &starts)) {
			fprintf(stderr,
				"usage: startup_ab [-n STARTS] WORKER...\n");
			return 2;
		}
	}
	k = argc - optind;
	if (k < 1 || k > MAX_WORKERS) {
		fprintf(stderr, "startup_ab: 1 to %d workers\n", MAX_WORKERS);
		return 2;
	}
	for (w = 0; w < k; w++) {
		us[w] = calloc(starts, sizeof(*us[w]));
		if (!us[w])
			return 1;
	}
	for (i = 0; i < starts; i++) {
		for (w = 0; w < k; w++) {
			int which = (int)((i + (uint64_t)w) % (uint64_t)k);
			long t = time_one_start(argv[optind + which]);

			if (t >= 0)
				us[which][ok[which]++] = (uint32_t)t;
		}
	}
	for (w = 0; w < k; w++) {
		size_t n = ok[w];

		printf("%-40s starts %llu failed %llu", argv[optind + w],
		       (unsigned long long)starts,
		       (unsigned long long)(starts - n));
		if (n)
			printf(" min %.3f p25 %.3f median %.3f p75 %.3f ms",
			       bench_quantile(us[w], n, 0) / 1000.0,
			       bench_quantile(us[w], n, 0.25) / 1000.0,
			       bench_quantile(us[w], n, 0.5) / 1000.0,
			       bench_quantile(us[w], n, 0.75) / 1000.0);
		printf("\n");
		free(us[w]);
	}
	return 0;
}

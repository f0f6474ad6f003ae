/*
 * benchutil.h: what the benchmark driver (hopbench) and the ceiling sender
 * share: the clock, bounded number parsing, percentiles, and the one CSV
 * row format both print, so that the runner can put their figures side by
 * side.
 */
#ifndef HOPBENCH_BENCHUTIL_H
#define HOPBENCH_BENCHUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Monotonic clock in nanoseconds. */
uint64_t bench_now_ns(void);

/*
 * Parse a decimal number in [min, max] (no sign, no junk).  Returns false
 * and prints the accepted range to stderr when it is not one.
 */
bool bench_parse_u64(const char *what, const char *s, uint64_t min,
		     uint64_t max, uint64_t *out);

/* Parse seconds with an optional fraction ("2", "0.25") into nanoseconds. */
bool bench_parse_seconds(const char *what, const char *s, uint64_t *ns);

/*
 * The q-quantile (0 <= q <= 1) of n values, nearest-rank.  Sorts v in
 * place.  Returns -1 when n is 0.
 */
double bench_quantile(uint32_t *v, size_t n, double q);

/* Resident set size and its peak (kB) of a process from /proc, -1 if gone. */
long bench_proc_rss_kb(pid_t pid, bool peak);

/* Time the process has run on a CPU so far (ns, schedstat), 0 if unknown. */
uint64_t bench_proc_cpu_ns(pid_t pid);

/* Everything one measurement reports; unset figures are negative. */
struct bench_result {
	const char *status;	/* ok, crashed, stalled, no-start, timeout */
	uint64_t sent;		/* probes requested */
	uint64_t good;		/* the expected reply from the expected host */
	uint64_t wrong;		/* another answer kind, or another responder */
	uint64_t noreply;	/* no-reply where a reply was due: lost */
	uint64_t errors;	/* probes-exhausted and other error replies */
	uint64_t unanswered;	/* never answered (worker died or stalled) */
	uint64_t dups;		/* answers to unknown or already answered tokens */
	double elapsed_s;	/* first request to last answer */
	double pps;		/* steady-state good answers per second */
	double cpu_us_per_probe;	/* worker user+sys (wait4) / probes */
	double cpu_phase_us_per_probe;	/* CPU during the probe phase only */
	long maxrss_kb;		/* worker's peak RSS (wait4) */
	double rtt_med_us, rtt_p99_us;
	double value;		/* the figure of modes with one figure */
	char note[200];
};

void bench_result_init(struct bench_result *r);

/* The CSV header, with the runner's label columns first. */
void bench_csv_header(FILE *to);

/*
 * One CSV row: labels is a comma-separated prefix given by the runner
 * (section,worker,proto,family,kind,window,rep), copied verbatim.
 */
void bench_csv_row(FILE *to, const char *labels, const struct bench_result *r);

/* Append a row to path (or print to stdout when path is NULL). */
int bench_emit(const char *path, const char *labels,
	       const struct bench_result *r);

#endif

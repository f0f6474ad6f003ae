/*
 * benchutil.c: clock, parsing, percentiles and CSV output shared by the
 * benchmark driver and the ceiling sender.
 */
#define _GNU_SOURCE
#include "benchutil.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool bench_parse_u64(const char *what, const char *s, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p;

	if (*s == '\0')
		goto bad;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		if (v > (UINT64_MAX - 9) / 10)
			goto bad;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v < min || v > max)
		goto bad;
	*out = v;
	return true;
bad:
	fprintf(stderr, "%s: '%s' is not a number from %" PRIu64 " to %"
		PRIu64 "\n", what, s, min, max);
	return false;
}

bool bench_parse_seconds(const char *what, const char *s, uint64_t *ns)
{
	uint64_t whole = 0, frac = 0, scale = 1000000000u;
	const char *p = s;

	if (*p < '0' || *p > '9')
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > 100000)
			goto bad;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale == 1)
				goto bad;
			scale /= 10;
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	if (*p != '\0')
		goto bad;
	*ns = whole * 1000000000u + frac;
	return true;
bad:
	fprintf(stderr, "%s: '%s' is not a number of seconds (0 to 100000, "
		"e.g. 2 or 0.25)\n", what, s);
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

double bench_quantile(uint32_t *v, size_t n, double q)
{
	size_t rank;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_u32);
	/* Nearest rank: the smallest value with at least q*n values <= it. */
	rank = (size_t)(q * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

long bench_proc_rss_kb(pid_t pid, bool peak)
{
	char path[64], line[256];
	const char *key = peak ? "VmHWM:" : "VmRSS:";
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, strlen(key)) == 0) {
			kb = strtol(line + strlen(key), NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

uint64_t bench_proc_cpu_ns(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/schedstat", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

void bench_result_init(struct bench_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = "ok";
	r->elapsed_s = -1;
	r->pps = -1;
	r->cpu_us_per_probe = -1;
	r->cpu_phase_us_per_probe = -1;
	r->maxrss_kb = -1;
	r->rtt_med_us = -1;
	r->rtt_p99_us = -1;
	r->value = -1;
}

void bench_csv_header(FILE *to)
{
	fputs("section,worker,proto,family,kind,window,rep,status,sent,good,"
	      "wrong,noreply,errors,unanswered,dups,elapsed_s,pps,"
	      "cpu_us_per_probe,cpu_phase_us_per_probe,maxrss_kb,rtt_med_us,"
	      "rtt_p99_us,value,note\n", to);
}

/* A negative figure means "not measured": an empty cell. */
static void csv_num(FILE *to, double v, int decimals)
{
	if (v < 0)
		fputs(",", to);
	else
		fprintf(to, ",%.*f", decimals, v);
}

void bench_csv_row(FILE *to, const char *labels, const struct bench_result *r)
{
	char note[sizeof(r->note)];
	size_t i;

	/* The note is free text: keep it one CSV cell. */
	for (i = 0; i + 1 < sizeof(note) && r->note[i]; i++)
		note[i] = (r->note[i] == ',' || r->note[i] == '\n' ||
			   r->note[i] == '"') ? ';' : r->note[i];
	note[i] = '\0';

	fprintf(to, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		",%" PRIu64 ",%" PRIu64 ",%" PRIu64, labels, r->status, r->sent,
		r->good, r->wrong, r->noreply, r->errors, r->unanswered,
		r->dups);
	csv_num(to, r->elapsed_s, 4);
	csv_num(to, r->pps, 0);
	csv_num(to, r->cpu_us_per_probe, 3);
	csv_num(to, r->cpu_phase_us_per_probe, 3);
	csv_num(to, (double)r->maxrss_kb, 0);
	csv_num(to, r->rtt_med_us, 0);
	csv_num(to, r->rtt_p99_us, 0);
	csv_num(to, r->value, 3);
	fprintf(to, ",%s\n", note);
}

int bench_emit(const char *path, const char *labels,
	       const struct bench_result *r)
{
	FILE *f = stdout;

	if (path) {
		f = fopen(path, "a");
		if (!f) {
			fprintf(stderr, "cannot append to %s: %s\n", path,
				strerror(errno));
			return -1;
		}
	}
	bench_csv_row(f, labels, r);
	if (path)
		fclose(f);
	else
		fflush(f);
	return 0;
}

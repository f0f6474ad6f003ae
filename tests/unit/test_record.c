/*
 * test_record.c: --record FILE (src/record.c) through a real file in a
 * temporary directory.
 *
 * What the file must hold is what --jsonl prints for the same events: the
 * JSONL renderer's bytes (a module apart from the one under test), and
 * for the smallest run its first and last records written out by hand
 * from the schema.  /dev/full stands for a full disk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record.h"
#include "render_fixtures.h"

static struct ht_renderer *jsonl_renderer(void)
{
	struct ht_render_config rc;

	memset(&rc, 0, sizeof(rc));
	rc.numeric = 1;
	rc.target_count = 1;
	return ht_renderer_new(HT_FMT_JSONL, &rc);
}

static void to_record(void *arg, const struct ht_event *ev)
{
	assert_int_equal(ht_record_event(arg, ev), 0);
}

struct render_sink {
	struct ht_renderer *r;
	struct ht_outbuf out;
};

static void to_renderer(void *arg, const struct ht_event *ev)
{
	struct render_sink *s = arg;

	ht_renderer_event(s->r, ev, &s->out);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void temp_path(char *dir, size_t dlen, char *path, size_t plen)
{
	snprintf(dir, dlen, "/tmp/test_record.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, plen, "%s/run.jsonl", dir);
}

/* Every fixture: the file is the --jsonl output, byte for byte. */
static void test_same_as_jsonl(void **state)
{
	char dir[64], path[96], err[256];
	size_t i;

	(void)state;
	temp_path(dir, sizeof(dir), path, sizeof(path));
	for (i = 0; i < fx_scenario_count; i++) {
		struct ht_record *rec = ht_record_open(path, jsonl_renderer(),
						       err, sizeof(err));
		struct render_sink s;
		size_t len;
		char *got;

		assert_non_null(rec);
		fx_scenarios[i].play(to_record, rec);
		assert_int_equal(ht_record_close(rec), 0);
		ht_record_free(rec);

		s.r = jsonl_renderer();
		ht_outbuf_init(&s.out);
		fx_scenarios[i].play(to_renderer, &s);
		got = slurp(path, &len);
		if (len != s.out.len || memcmp(got, s.out.data, len) != 0)
			fail_msg("%s: the record differs from --jsonl",
				 fx_scenarios[i].name);
		free(got);
		ht_renderer_free(s.r);
		ht_outbuf_free(&s.out);
	}
	unlink(path);
	rmdir(dir);
}

/* The smallest run, by hand; and an existing file is truncated. */
static void test_small_by_hand(void **state)
{
	static const char first[] =
		"{\"schema_version\":3,\"type\":\"run-start\",\"run\":"
		"\"fx-run.1\",\"collector_wall_clock\":null,\"version\":"
		"\"0.1.0\",\"worker_version\":\"0.1.0\",\"start\":"
		"\"2026-12-01T20:30:00.000Z\",\"target_count\":1,\"workers\":"
		"[{\"name\":\"lab1\",\"command\":\"hopprobe\"}],"
		"\"shard\":null}\n";
	static const char last_type[] = "\"type\":\"run-end\"";
	char dir[64], path[96], err[256];
	struct ht_record *rec;
	FILE *f;
	size_t len, lines = 0, i;
	char *got, *last;

	(void)state;
	temp_path(dir, sizeof(dir), path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("an old file, longer than nothing\n", f);
	fclose(f);
	rec = ht_record_open(path, jsonl_renderer(), err, sizeof(err));
	assert_non_null(rec);
	fx_small(to_record, rec);
	assert_int_equal(ht_record_close(rec), 0);
	/* Closing twice is harmless. */
	assert_int_equal(ht_record_close(rec), 0);
	ht_record_free(rec);
	got = slurp(path, &len);
	assert_true(len > sizeof(first));
	assert_memory_equal(got, first, sizeof(first) - 1);
	for (i = 0; i < len; i++)
		lines += got[i] == '\n';
	/* run-start, trace-start, the two probes of hop 1, the name of its
	 * router, the hop, trace-end, run-end. */
	assert_int_equal(lines, 8);
	assert_int_equal(got[len - 1], '\n');
	got[len - 1] = '\0';
	last = strrchr(got, '\n');
	assert_non_null(last);
	assert_non_null(strstr(last, last_type));
	free(got);
	unlink(path);
	rmdir(dir);
}

/* Enough records are written before any flush, so the file follows a
 * long run; the rest waits for a flush. */
static void test_written_as_it_goes(void **state)
{
	char dir[64], path[96], err[256];
	struct ht_record *rec;
	struct stat st;
	int i;

	(void)state;
	temp_path(dir, sizeof(dir), path, sizeof(path));
	rec = ht_record_open(path, jsonl_renderer(), err, sizeof(err));
	assert_non_null(rec);
	fx_small(to_record, rec);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(ht_record_flush(rec), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 0);
	/* Each small run is about 2 KB: 100 of them pass 64 KiB. */
	for (i = 0; i < 100; i++)
		fx_small(to_record, rec);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 64 * 1024);
	assert_int_equal(ht_record_close(rec), 0);
	ht_record_free(rec);
	unlink(path);
	rmdir(dir);
}

static void test_errors(void **state)
{
	char dir[64], path[96], err[256], want[256];
	struct ht_record *rec;

	(void)state;
	temp_path(dir, sizeof(dir), path, sizeof(path));
	rmdir(dir);
	assert_null(ht_record_open(path, jsonl_renderer(), err, sizeof(err)));
	snprintf(want, sizeof(want), "--record %s: No such file or directory",
		 path);
	assert_string_equal(err, want);
	assert_null(ht_record_open(path, NULL, err, sizeof(err)));
	assert_string_equal(err, "out of memory");

	/* A full disk: said once, then every call fails. */
	rec = ht_record_open("/dev/full", jsonl_renderer(), err, sizeof(err));
	if (!rec)
		skip();
	fx_small(to_record, rec);
	assert_int_equal(ht_record_flush(rec), -1);
	ht_record_error(rec, err, sizeof(err));
	assert_string_equal(err, "--record /dev/full: cannot write: No space "
			    "left on device: the recording is incomplete");
	assert_int_equal(ht_record_flush(rec), -1);
	assert_int_equal(ht_record_close(rec), -1);
	ht_record_free(rec);
	ht_record_free(NULL);
	assert_int_equal(ht_record_close(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_jsonl),
		cmocka_unit_test(test_small_by_hand),
		cmocka_unit_test(test_written_as_it_goes),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * render_dump.c: renders every recorded sequence of render_fixtures.c in
 * every format into files, for render_schema.sh to check with Python's
 * jsonschema and csv modules (and for people to look at).
 *
 * Usage: render_dump DIR
 * writes DIR/NAME.json, NAME.jsonl, NAME.csv, NAME.txt and NAME.report
 * for each sequence NAME, rendered with -e and -z, plus NAME-n.json,
 * NAME-n.jsonl and NAME-n.csv rendered with -n.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_fixtures.h"

struct dump {
	struct ht_renderer *r;
	struct ht_outbuf out;
};

static void dump_sink(void *arg, const struct ht_event *ev)
{
	struct dump *d = arg;

	ht_renderer_event(d->r, ev, &d->out);
}

static int dump_one(const char *dir, const struct fx_scenario *sc,
		    enum ht_format format, const char *suffix,
		    const struct ht_render_config *cfg)
{
	struct dump d;
	char path[4096];
	FILE *f;
	int rc = 0;

	ht_outbuf_init(&d.out);
	d.r = ht_renderer_new(format, cfg);
	if (!d.r) {
		fprintf(stderr, "render_dump: no renderer for %s\n", suffix);
		return -1;
	}
	sc->play(dump_sink, &d);
	ht_renderer_free(d.r);
	if (d.out.failed) {
		fprintf(stderr, "render_dump: %s: out of memory\n", sc->name);
		ht_outbuf_free(&d.out);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s%s", dir, sc->name, suffix);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		ht_outbuf_free(&d.out);
		return -1;
	}
	if (d.out.len && fwrite(d.out.data, 1, d.out.len, f) != d.out.len)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc < 0)
		perror(path);
	ht_outbuf_free(&d.out);
	return rc;
}

/* A collector's clock that always says 2026-12-01T20:30:02.000Z, so the
 * files are the same from one run to the next. */
static int64_t dump_clock(void)
{
	return FX_T0 + 2000000;
}

int main(int argc, char **argv)
{
	static const struct {
		enum ht_format format;
		const char *suffix;
		int numeric;
	} outputs[] = {
		{ HT_FMT_JSON, ".json", 0 },
		{ HT_FMT_JSONL, ".jsonl", 0 },
		{ HT_FMT_CSV, ".csv", 0 },
		{ HT_FMT_TEXT, ".txt", 0 },
		{ HT_FMT_REPORT, ".report", 0 },
		{ HT_FMT_JSON, "-n.json", 1 },
		{ HT_FMT_JSONL, "-n.jsonl", 1 },
		{ HT_FMT_CSV, "-n.csv", 1 },
	};
	size_t i, j;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: render_dump DIR\n");
		return 2;
	}
	for (i = 0; i < fx_scenario_count; i++) {
		for (j = 0; j < sizeof(outputs) / sizeof(outputs[0]); j++) {
			struct ht_render_config cfg;

			memset(&cfg, 0, sizeof(cfg));
			cfg.numeric = outputs[j].numeric;
			cfg.show_mpls = !outputs[j].numeric;
			cfg.show_asn = !outputs[j].numeric;
			cfg.target_count = 2;
			cfg.hostname = "probe.example";
			cfg.wall_clock = dump_clock;
			if (dump_one(argv[1], &fx_scenarios[i],
				     outputs[j].format, outputs[j].suffix,
				     &cfg) < 0)
				rc = 1;
		}
	}
	return rc;
}

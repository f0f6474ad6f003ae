/*
 * fuzz_jsonl.c: hoptrace's JSONL reader (src/replay.c, src/json_read.c),
 * the one place where hoptrace reads a file someone else may have written.
 *
 * Beyond not crashing: a line taken as a record must say so with 1 and a
 * refused one must come with a message; a record that was read, rendered
 * again as JSONL, must read back; and from then on the rendering is a
 * fixed point (the first rendering may still normalise, "1e+06" becoming
 * 1000000, so the check is between the second and the third).  Each event
 * also goes through the text renderer, which sees the same values.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "render.h"
#include "replay.h"

/* LINE read and rendered as JSONL into OUT (reset first); the reader's
 * answer. */
static int jsonl_again(struct ht_replay *rp, const char *line, size_t len,
		       struct ht_outbuf *out)
{
	static const struct ht_render_config cfg = { 0, 0, 1, 1, 1, "h", 1,
						     1, NULL };
	struct ht_renderer *jr = ht_renderer_new(HT_FMT_JSONL, &cfg);
	struct ht_renderer *tr = ht_renderer_new(HT_FMT_TEXT, &cfg);
	struct ht_outbuf text;
	struct ht_event ev;
	char err[160];
	int rc;

	if (!jr || !tr)
		abort();
	ht_outbuf_init(&text);
	ht_outbuf_reset(out);
	err[0] = '\0';
	rc = ht_replay_line(rp, line, len, &ev, err, sizeof(err));
	if (rc == -1 && (!err[0] || !memchr(err, '\0', sizeof(err))))
		abort();
	if (rc == 1) {
		ht_renderer_event(jr, &ev, out);
		ht_renderer_event(tr, &ev, &text);
	}
	ht_renderer_free(jr);
	ht_renderer_free(tr);
	ht_outbuf_free(&text);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ht_replay *rp = ht_replay_new();
	struct ht_outbuf a, b, c;
	int rc;

	if (!rp)
		return 0;
	ht_outbuf_init(&a);
	ht_outbuf_init(&b);
	ht_outbuf_init(&c);
	rc = jsonl_again(rp, (const char *)data, size, &a);
	if (rc != 1 && rc != 0 && rc != -1)
		abort();
	if (rc == 1 && !a.failed) {
		/* A record the renderer wrote always reads back. */
		if (jsonl_again(rp, a.data, a.len, &b) != 1)
			abort();
		if (jsonl_again(rp, b.data, b.len, &c) != 1)
			abort();
		if (!b.failed && !c.failed &&
		    (b.len != c.len || memcmp(b.data, c.data, b.len) != 0))
			abort();
	}
	ht_outbuf_free(&a);
	ht_outbuf_free(&b);
	ht_outbuf_free(&c);
	ht_replay_free(rp);
	return 0;
}

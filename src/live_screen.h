/*
 * live_screen.h: the live view's screen as bytes, from the model (pure).
 *
 * A full redraw each time: cursor home, every line followed by "clear to
 * end of line", then "clear to end of screen".  No terminal library is
 * involved: the sequences are plain ANSI/VT100 ones every terminal
 * emulator in use understands, and the bytes for a given model, size and
 * mode are fixed, so tests compare them exactly.  The terminal's own
 * set-up (alternate screen, cursor, raw mode) is live_tty.c's.
 */
#ifndef HOPTRACE_LIVE_SCREEN_H
#define HOPTRACE_LIVE_SCREEN_H

#include <stdint.h>

#include "live_model.h"
#include "render.h"

enum ht_live_mode {
	HT_LIVE_STATS = 0,	/* mtr's columns per hop */
	HT_LIVE_PATHS,		/* one row per flow path (--flows K>1) */
	HT_LIVE_ASN		/* the hosts with their AS numbers (-z) */
};

struct ht_live_view {
	unsigned rows;		/* the terminal's; lines past it are cut */
	unsigned cols;		/* lines are cut to this many characters */
	enum ht_live_mode mode;
	int paused;
	int64_t now_us;		/* the clock in the header */
	int plain;		/* for the normal screen at the end: lines
				 * with "\n", no escapes, no row limit */
};

/* The display after MODE for the `d` key: stats, then paths when the run
 * has several flows (HAS_PATHS), then ASN when it looks them up. */
enum ht_live_mode ht_live_mode_next(enum ht_live_mode mode, int has_paths,
				    int has_asn);
/* "stats", "paths", "asn". */
const char *ht_live_mode_name(enum ht_live_mode mode);

/* The screen of M, appended to OUT. */
void ht_live_screen_render(const struct ht_live_model *m,
			   const struct ht_live_view *v, struct ht_outbuf *out);

#endif

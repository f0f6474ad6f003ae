/*
 * live_view.h: the live view on the run's loop: events into the model
 * (live_model.h), the screen (live_screen.h) redrawn on the terminal
 * (live_tty.h), and the keys, which it answers itself (r, d) or hands to
 * the run (p, q) through hooks.
 */
#ifndef HOPTRACE_LIVE_VIEW_H
#define HOPTRACE_LIVE_VIEW_H

#include <stddef.h>

#include <ev.h>

#include "events.h"
#include "options.h"

struct ht_live_view_hooks {
	/* `p`: stop sending new probes (PAUSED 1) or go on (0). */
	void (*pause)(void *arg, int paused);
	/* `q`, Ctrl-C, SIGINT, SIGTERM, SIGHUP: end the run. */
	void (*quit)(void *arg);
	void *arg;
};

struct ht_live_ui;

/* The terminal taken over; NULL with ERR filled when it cannot be. */
struct ht_live_ui *ht_live_ui_new(struct ev_loop *loop,
				  const struct ht_config *cfg,
				  const struct ht_live_view_hooks *hooks,
				  char *err, size_t errlen);
void ht_live_ui_event(struct ht_live_ui *ui, const struct ht_event *ev);
/* The terminal given back; with FINAL_SCREEN the last screen is then
 * written to the normal screen, to stay in view.  Then the messages held
 * from standard error, and the view is freed. */
void ht_live_ui_end(struct ht_live_ui *ui, int final_screen);

#endif

/*
 * live_tty.h: the terminal of the live view, on the run's libev loop.
 *
 * Opening it switches to the alternate screen, hides the cursor and puts
 * the terminal in raw mode (no echo, no line editing, no signal keys:
 * Ctrl-C arrives as a key, so the view ends the same way for q and for
 * Ctrl-C); standard error goes to a temporary file meanwhile, because a
 * message written over the full-screen view would be lost with it.
 * Restoring gives every one of those back; freeing (which restores
 * first) writes the messages held to the real standard error.
 */
#ifndef HOPTRACE_LIVE_TTY_H
#define HOPTRACE_LIVE_TTY_H

#include <stddef.h>

#include <ev.h>

/* Ctrl-C as a key. */
#define HT_LIVE_KEY_INTR 0x03

struct ht_live_tty_hooks {
	void (*key)(void *arg, int key);
	/* SIGINT, SIGTERM, SIGHUP: the view should end; SIGWINCH: the size
	 * changed. */
	void (*signal)(void *arg, int signo);
	void *arg;
};

struct ht_live_tty;

/* NULL with ERR filled when the terminal cannot be set up. */
struct ht_live_tty *ht_live_tty_open(struct ev_loop *loop,
				     const struct ht_live_tty_hooks *hooks,
				     char *err, size_t errlen);
/* The screen's size; 24 x 80 when the terminal does not say. */
void ht_live_tty_size(const struct ht_live_tty *tty, unsigned *rows,
		      unsigned *cols);
/* Write all of DATA to the screen (standard output). */
void ht_live_tty_write(struct ht_live_tty *tty, const char *data,
		       size_t len);
/* Terminal modes, cursor and normal screen back; once (later calls do
 * nothing).  Keys and signals are no longer watched. */
void ht_live_tty_restore(struct ht_live_tty *tty);
/* Restore, then the held standard error out, then free. */
void ht_live_tty_free(struct ht_live_tty *tty);

#endif

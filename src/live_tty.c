/*
 * live_tty.c: the live view's terminal (see live_tty.h).
 *
 * Keys are read from /dev/tty, not from standard input, so that the view
 * works with standard input redirected (hoptrace --file - ...); without a
 * controlling terminal there are no keys, and the view ends on its -c
 * count or a signal.  Signals come through ev_signal watchers: libev
 * turns them into loop events, so the handlers may do anything.
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
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "live_tty.h"

/* Alternate screen on, cursor hidden, home, screen cleared. */
#define TTY_ENTER "\033[?1049h\033[?25l\033[H\033[2J"
/* Cursor shown, alternate screen off (the normal screen comes back as
 * it was). */
#define TTY_LEAVE "\033[?25h\033[?1049l"

static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };
#define TTY_SIGNALS (sizeof(tty_signals) / sizeof(tty_signals[0]))

struct ht_live_tty {
	struct ev_loop *loop;
	struct ht_live_tty_hooks hooks;
	int key_fd;			/* -1: no keys */
	int have_termios;
	struct termios saved;
	int saved_stderr;		/* -1: stderr not redirected */
	FILE *held_stderr;
	int restored;
	ev_io key_watcher;
	ev_signal signals[TTY_SIGNALS];
};

static void write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n > 0) {
			data += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			/* A non-blocking terminal: the screen is small,
			 * wait for room rather than lose part of it. */
			usleep(1000);
		} else {
			return;
		}
	}
}

static void on_key(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ht_live_tty *tty = w->data;
	unsigned char buf[64];
	ssize_t n, i;

	(void)loop;
	(void)revents;
	n = read(tty->key_fd, buf, sizeof(buf));
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		/* The terminal went away: no more keys. */
		ev_io_stop(tty->loop, &tty->key_watcher);
		return;
	}
	for (i = 0; i < n && !tty->restored; i++)
		tty->hooks.key(tty->hooks.arg, buf[i]);
}

static void on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct ht_live_tty *tty = w->data;

	(void)loop;
	(void)revents;
	tty->hooks.signal(tty->hooks.arg, w->signum);
}

/* Standard error into a temporary file until restored; failing that,
 * it stays where it was. */
static void hold_stderr(struct ht_live_tty *tty)
{
	tty->held_stderr = tmpfile();
	if (!tty->held_stderr)
		return;
	fflush(stderr);
	tty->saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (tty->saved_stderr < 0 ||
	    dup2(fileno(tty->held_stderr), STDERR_FILENO) < 0) {
		if (tty->saved_stderr >= 0)
			close(tty->saved_stderr);
		tty->saved_stderr = -1;
		fclose(tty->held_stderr);
		tty->held_stderr = NULL;
	}
}

static void release_stderr(struct ht_live_tty *tty)
{
	char buf[4096];
	size_t n;

	if (tty->saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(tty->saved_stderr, STDERR_FILENO);
	close(tty->saved_stderr);
	tty->saved_stderr = -1;
	rewind(tty->held_stderr);
	while ((n = fread(buf, 1, sizeof(buf), tty->held_stderr)) > 0)
		write_all(STDERR_FILENO, buf, n);
	fclose(tty->held_stderr);
	tty->held_stderr = NULL;
}

static int open_keys(struct ht_live_tty *tty, char *err, size_t errlen)
{
	struct termios raw;

	tty->key_fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC |
			   O_NONBLOCK);
	if (tty->key_fd < 0)
		return 0;
	if (tcgetattr(tty->key_fd, &tty->saved) < 0) {
		close(tty->key_fd);
		tty->key_fd = -1;
		return 0;
	}
	raw = tty->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(tty->key_fd, TCSANOW, &raw) < 0) {
		snprintf(err, errlen, "cannot set the terminal to raw mode: "
			 "%s", strerror(errno));
		close(tty->key_fd);
		tty->key_fd = -1;
		return -1;
	}
	tty->have_termios = 1;
	return 0;
}

struct ht_live_tty *ht_live_tty_open(struct ev_loop *loop,
				     const struct ht_live_tty_hooks *hooks,
				     char *err, size_t errlen)
{
	struct ht_live_tty *tty = calloc(1, sizeof(*tty));
	size_t i;

	if (!tty) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tty->loop = loop;
	tty->hooks = *hooks;
	tty->saved_stderr = -1;
	if (open_keys(tty, err, errlen) < 0) {
		free(tty);
		return NULL;
	}
	if (tty->key_fd >= 0) {
		ev_io_init(&tty->key_watcher, on_key, tty->key_fd, EV_READ);
		tty->key_watcher.data = tty;
		ev_io_start(loop, &tty->key_watcher);
	}
	for (i = 0; i < TTY_SIGNALS; i++) {
		ev_signal_init(&tty->signals[i], on_signal, tty_signals[i]);
		tty->signals[i].data = tty;
		ev_signal_start(loop, &tty->signals[i]);
	}
	write_all(STDOUT_FILENO, TTY_ENTER, sizeof(TTY_ENTER) - 1);
	hold_stderr(tty);
	return tty;
}

void ht_live_tty_size(const struct ht_live_tty *tty, unsigned *rows,
		      unsigned *cols)
{
	struct winsize ws;

	*rows = 24;
	*cols = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 ||
	    (tty->key_fd >= 0 && ioctl(tty->key_fd, TIOCGWINSZ, &ws) == 0)) {
		if (ws.ws_row > 0)
			*rows = ws.ws_row;
		if (ws.ws_col > 0)
			*cols = ws.ws_col;
	}
}

void ht_live_tty_write(struct ht_live_tty *tty, const char *data, size_t len)
{
	if (!tty->restored)
		write_all(STDOUT_FILENO, data, len);
}

void ht_live_tty_restore(struct ht_live_tty *tty)
{
	size_t i;

	if (tty->restored)
		return;
	tty->restored = 1;
	for (i = 0; i < TTY_SIGNALS; i++)
		ev_signal_stop(tty->loop, &tty->signals[i]);
	write_all(STDOUT_FILENO, TTY_LEAVE, sizeof(TTY_LEAVE) - 1);
	if (tty->key_fd >= 0) {
		ev_io_stop(tty->loop, &tty->key_watcher);
		if (tty->have_termios)
			(void)tcsetattr(tty->key_fd, TCSADRAIN, &tty->saved);
		close(tty->key_fd);
		tty->key_fd = -1;
	}
}

void ht_live_tty_free(struct ht_live_tty *tty)
{
	if (!tty)
		return;
	ht_live_tty_restore(tty);
	release_stderr(tty);
	free(tty);
}

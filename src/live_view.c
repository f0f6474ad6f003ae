/*
 * live_view.c: the live view on the run's loop (see live_view.h).
 *
 * Events only mark the screen out of date; a timer redraws it at most
 * LIVE_REDRAW_S apart (a cycle's results come in bursts, and one redraw
 * per result would cost more than the probing), and at least once a
 * second for the clock.  Keys and resizes redraw at once.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "live_model.h"
#include "live_screen.h"
#include "live_tty.h"
#include "live_view.h"
#include "render.h"

#define LIVE_REDRAW_S 0.1
#define LIVE_CLOCK_US 1000000

struct ht_live_ui {
	struct ev_loop *loop;
	struct ht_live_view_hooks hooks;
	struct ht_live_model *model;
	struct ht_live_tty *tty;
	enum ht_live_mode mode;
	int has_paths;
	int has_asn;
	int paused;
	int dirty;
	int64_t drawn_us;
	ev_timer redraw;
	struct ht_outbuf out;
};

static int64_t now_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void render(struct ht_live_ui *ui, int plain, unsigned rows,
		   unsigned cols)
{
	struct ht_live_view v;

	memset(&v, 0, sizeof(v));
	v.rows = rows;
	v.cols = cols;
	v.mode = ui->mode;
	v.paused = ui->paused;
	v.now_us = now_us();
	v.plain = plain;
	ht_outbuf_reset(&ui->out);
	ht_live_screen_render(ui->model, &v, &ui->out);
}

static void draw(struct ht_live_ui *ui)
{
	unsigned rows, cols;

	ht_live_tty_size(ui->tty, &rows, &cols);
	render(ui, 0, rows, cols);
	if (!ui->out.failed)
		ht_live_tty_write(ui->tty, ui->out.data, ui->out.len);
	ui->dirty = 0;
	ui->drawn_us = now_us();
}

static void on_redraw(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ht_live_ui *ui = w->data;

	(void)loop;
	(void)revents;
	if (ui->dirty || now_us() - ui->drawn_us >= LIVE_CLOCK_US)
		draw(ui);
}

static void on_key(void *arg, int key)
{
	struct ht_live_ui *ui = arg;

	switch (key) {
	case 'q':
	case 'Q':
	case HT_LIVE_KEY_INTR:
		ui->hooks.quit(ui->hooks.arg);
		return;
	case 'p':
	case 'P':
	case ' ':
		ui->paused = !ui->paused;
		ui->hooks.pause(ui->hooks.arg, ui->paused);
		break;
	case 'r':
	case 'R':
		ht_live_model_reset(ui->model);
		break;
	case 'd':
	case 'D':
		ui->mode = ht_live_mode_next(ui->mode, ui->has_paths,
					     ui->has_asn);
		break;
	default:
		return;
	}
	draw(ui);
}

static void on_signal(void *arg, int signo)
{
	struct ht_live_ui *ui = arg;

	if (signo == SIGWINCH)
		draw(ui);
	else
		ui->hooks.quit(ui->hooks.arg);
}

struct ht_live_ui *ht_live_ui_new(struct ev_loop *loop,
				  const struct ht_config *cfg,
				  const struct ht_live_view_hooks *hooks,
				  char *err, size_t errlen)
{
	struct ht_live_tty_hooks th;
	struct ht_live_config mc;
	struct ht_live_ui *ui = calloc(1, sizeof(*ui));

	if (!ui)
		return NULL;
	ui->loop = loop;
	ui->hooks = *hooks;
	ui->has_paths = cfg->flows > 1;
	ui->has_asn = cfg->asn;
	memset(&mc, 0, sizeof(mc));
	mc.numeric = cfg->numeric;
	mc.show_ips = cfg->show_ips;
	mc.show_asn = cfg->asn;
	ui->model = ht_live_model_new(&mc);
	ht_outbuf_init(&ui->out);
	th.key = on_key;
	th.signal = on_signal;
	th.arg = ui;
	if (ui->model)
		ui->tty = ht_live_tty_open(loop, &th, err, errlen);
	if (!ui->tty) {
		if (!ui->model && errlen)
			strncpy(err, "out of memory", errlen - 1);
		ht_live_model_free(ui->model);
		free(ui);
		return NULL;
	}
	ev_timer_init(&ui->redraw, on_redraw, LIVE_REDRAW_S, LIVE_REDRAW_S);
	ui->redraw.data = ui;
	ev_timer_start(loop, &ui->redraw);
	ui->dirty = 1;
	return ui;
}

void ht_live_ui_event(struct ht_live_ui *ui, const struct ht_event *ev)
{
	ht_live_model_event(ui->model, ev);
	ui->dirty = 1;
}

void ht_live_ui_end(struct ht_live_ui *ui, int final_screen)
{
	unsigned rows, cols;
	size_t done = 0;

	if (!ui)
		return;
	ev_timer_stop(ui->loop, &ui->redraw);
	ht_live_tty_size(ui->tty, &rows, &cols);
	ht_live_tty_restore(ui->tty);
	if (final_screen) {
		render(ui, 1, rows, cols);
		while (!ui->out.failed && done < ui->out.len) {
			ssize_t n = write(STDOUT_FILENO, ui->out.data + done,
					  ui->out.len - done);

			if (n <= 0)
				break;
			done += (size_t)n;
		}
	}
	ht_live_tty_free(ui->tty);
	ht_live_model_free(ui->model);
	ht_outbuf_free(&ui->out);
	free(ui);
}

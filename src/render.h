/*
 * render.h: output formats as renderings of the event stream.
 *
 * A renderer takes events one at a time and appends text to an output
 * buffer; it does no I/O, reads no clock but the one its configuration
 * gives it (JSONL's collector_wall_clock) and keeps no global state, so a
 * test can feed it a recorded sequence and compare the bytes.
 *
 * Several targets: JSONL writes every event at once (each record names its
 * trace); text and report stream the trace of the first target still
 * running in argument order and hold later ones until their turn, so that
 * the output is the same whatever order the traces finish in; JSON writes
 * one document at HT_EV_RUN_END; CSV writes its header once and one row per
 * hop, in argument order as well.
 */
#ifndef HOPTRACE_RENDER_H
#define HOPTRACE_RENDER_H

#include <stdarg.h>
#include <stddef.h>

#include "events.h"

/* A growable byte buffer; on allocation failure `failed` is set and later
 * appends are ignored. */
struct ht_outbuf {
	char *data;
	size_t len;
	size_t cap;
	int failed;
};

void ht_outbuf_init(struct ht_outbuf *b);
void ht_outbuf_free(struct ht_outbuf *b);
void ht_outbuf_reset(struct ht_outbuf *b);	/* len = 0, memory kept */
void ht_outbuf_append(struct ht_outbuf *b, const char *s, size_t n);
void ht_outbuf_puts(struct ht_outbuf *b, const char *s);
void ht_outbuf_printf(struct ht_outbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* RFC 3339 UTC with milliseconds: "2026-12-01T20:30:00.123Z" (25 bytes). */
void ht_time_rfc3339(int64_t unix_us, char *buf, size_t len);

enum ht_format {
	HT_FMT_TEXT = 0,	/* classic traceroute lines (default) */
	HT_FMT_REPORT,		/* mtr-like table at the end */
	HT_FMT_JSON,		/* one document */
	HT_FMT_JSONL,		/* one record per event */
	HT_FMT_CSV
};

struct ht_render_config {
	int numeric;		/* -n: no names were asked for */
	int show_ips;		/* -b: name and address both */
	int show_mpls;		/* -e */
	int show_asn;		/* -z */
	unsigned target_count;
	const char *hostname;	/* report's HOST column; may be NULL */
	int show_ns;		/* --ns */
	int show_pmtu;		/* --pmtu */
	/* The collector's wall clock (microseconds since the epoch) for
	 * JSONL's "collector_wall_clock" of a live event; NULL: null.  The
	 * renderer's only clock, and given to it, so a test fixes it. */
	int64_t (*wall_clock)(void);
};

struct ht_renderer;

/* A deep copy of a hop: its probes and responders with their strings
 * (for a renderer, or --fail-on, that keeps hops until a trace ends);
 * NULL when out of memory. */
struct ht_hop *ht_render_hop_copy(const struct ht_hop *hop);
/* Append a copy of HOP to the array *HOPS of *COUNT (room for *CAP),
 * growing it; 0, or -1 when out of memory (nothing appended). */
int ht_render_hop_keep(struct ht_hop ***hops, unsigned *count, unsigned *cap,
		       const struct ht_hop *hop);
void ht_render_hop_free(struct ht_hop *hop);
/* Free the COUNT hops of HOPS (ht_render_hop_keep's array) and the array. */
void ht_render_hops_free(struct ht_hop **hops, unsigned count);

struct ht_renderer *ht_renderer_new(enum ht_format format,
				    const struct ht_render_config *config);
void ht_renderer_event(struct ht_renderer *r, const struct ht_event *ev,
		       struct ht_outbuf *out);
void ht_renderer_free(struct ht_renderer *r);

#endif

/*
 * render_impl.h: what the output formats share (render.c) and the
 * operations table each of them fills in (render_*.c).  Private to the
 * renderers; render.h is the interface the rest of hoptrace uses.
 */
#ifndef HOPTRACE_RENDER_IMPL_H
#define HOPTRACE_RENDER_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "render.h"
#include "stats.h"

/* One output format: a state made from the configuration, events in
 * order, and the state freed. */
struct ht_render_ops {
	void *(*create)(const struct ht_render_config *config);
	void (*event)(void *state, const struct ht_event *ev,
		      struct ht_outbuf *out);
	void (*destroy)(void *state);
};

extern const struct ht_render_ops ht_render_text_ops;
extern const struct ht_render_ops ht_render_report_ops;
extern const struct ht_render_ops ht_render_json_ops;
extern const struct ht_render_ops ht_render_jsonl_ops;
extern const struct ht_render_ops ht_render_csv_ops;
/* Text and report of a run with --compare (render_compare.c): the
 * renderer switches to it at a RUN_START with compare_items. */
extern const struct ht_render_ops ht_render_compare_ops;

/* ---- argument order over several traces ---------------------------- */

/*
 * The trace of the lowest index that has not ended writes straight to the
 * caller's buffer; every later trace writes into a buffer of its own,
 * which is flushed when all traces before it have ended.  The output is
 * then the same bytes whatever order the traces finish in.
 */
struct ht_render_order {
	unsigned count;			/* traces known (arrays' length) */
	unsigned current;		/* the one streaming now */
	struct ht_outbuf *held;		/* per trace */
	unsigned char *ended;		/* per trace */
	int failed;
};

void ht_render_order_init(struct ht_render_order *o);
void ht_render_order_free(struct ht_render_order *o);
/* Where TRACE's output goes now: OUT, or its held buffer (NULL when the
 * index is out of any sane range or memory ran out). */
struct ht_outbuf *ht_render_order_out(struct ht_render_order *o,
				      unsigned trace, struct ht_outbuf *out);
/* TRACE has written its last byte: move on, flushing into OUT. */
void ht_render_order_end(struct ht_render_order *o, unsigned trace,
			 struct ht_outbuf *out);
/* The run is over: flush everything still held, in index order. */
void ht_render_order_flush(struct ht_render_order *o, struct ht_outbuf *out);

/* Grow a per-trace array of ELEM-byte items to hold index I (zeroed). */
int ht_render_grow(void **array, unsigned *count, size_t elem, unsigned i);
/* The highest trace index a renderer accepts: far more than any command
 * line holds, low enough that a wild index cannot exhaust memory. */
#define HT_RENDER_MAX_TRACES 1048576u

/* ---- what renderers keep of events -------------------------------- */

/* A trace's start, copied. */
struct ht_render_trace {
	int have;			/* a TRACE_START was seen */
	struct ht_trace_start start;	/* target points to target_copy,
					 * compare to compare_copy */
	char *target_copy;
	char *compare_copy;
	char *worker_copy;		/* start.worker_name points here */
};

int ht_render_trace_set(struct ht_render_trace *t,
			const struct ht_trace_start *ts);
void ht_render_trace_clear(struct ht_render_trace *t);


/* STR as a JSON string (null for NULL), every byte that is not UTF-8 as
 * U+FFFD (render_json.c; also hoptrace diff -j's). */
void ht_render_json_string(struct ht_outbuf *o, const char *str);

/* The responder entry of a hop for ADDR; NULL when it has none. */
const struct ht_responder *ht_render_responder(const struct ht_hop *hop,
					       const struct hp_addr *addr);

/* 1 when probe I of HOP is the first with its (non-empty) label stack. */
int ht_render_mpls_first(const struct ht_hop *hop, unsigned i);

/* ---- text pieces shared by text and report ------------------------ */

/* S with control bytes and invalid UTF-8 as '?'; returns the columns
 * written (one per character). */
size_t ht_render_safe(struct ht_outbuf *out, const char *s);
/* The width ht_render_safe would write for S. */
size_t ht_render_safe_width(const char *s);
/* N spaces. */
void ht_render_pad(struct ht_outbuf *out, size_t n);
/* The literal of A ("" for none). */
void ht_render_addr(struct ht_outbuf *out, const struct hp_addr *a);
/* An origin tag: "AS64496", "AS64496/AS64497", or UNKNOWN for none. */
void ht_render_asn_tag(struct ht_outbuf *out, const char *asn,
		       const char *unknown);
/* "[MPLS: Lbl 100 TC 0 S 1 TTL 1, Lbl ...]" */
void ht_render_mpls(struct ht_outbuf *out, const struct hp_result *r);
/* "hoptrace VERSION to TARGET (ADDR) from SOURCE, PROTO[ port N]", and
 * with WITH_WORKER (a run of several workers) ", worker NAME" */
void ht_render_headline(struct ht_outbuf *out, const char *version,
			const struct ht_trace_start *ts, int with_worker);
/* "reached T (A) at hop N" or "not reached: DETAIL", the hidden-hop note,
 * and ", ended TIME", with the newline. */
struct ht_loss_verdict;
/* A loss verdict's line (loss_verdict.h) without its line end, NAME (NULL:
 * none) the name of the router it is about:
 *   "loss at hop 2 (NAME ADDR): 30.0% (15 of 50), carries on: the
 *    destination lost 28.0% (14 of 50)"
 * (report and live view). */
void ht_render_loss_line(struct ht_outbuf *o, const struct ht_loss_verdict *v,
			 const char *name);

void ht_render_footer(struct ht_outbuf *out, const struct ht_render_trace *t,
		      const struct ht_trace_end *te);

/* ---- the extensions' pieces (render_details.c) --------------------- */

/* Whether R has an ICMP line (an error that is neither ttl-expired nor
 * the destination's answer, with reply-details) or an interface line
 * (RFC 5837), and whether probe I of HOP is the first with that line. */
int ht_render_icmp_shown(const struct hp_result *r);
int ht_render_iface_shown(const struct hp_result *r);
int ht_render_icmp_first(const struct ht_hop *hop, unsigned i);
int ht_render_iface_first(const struct ht_hop *hop, unsigned i);
/* "[ICMP 3/13: communication administratively prohibited]",
 * "[ICMPv6 2/0: packet too big, next-hop MTU 1280]" */
void ht_render_icmp(struct ht_outbuf *out, const struct hp_result *r);
/* "[interface: index 3, 192.0.2.17, name \"eth2\", mtu 1500]" */
void ht_render_iface(struct ht_outbuf *out, const struct hp_result *r);
/* -e's lines of HOP, each after PREFIX and with its newline: every
 * distinct label stack, then ICMP line, then interface line. */
void ht_render_hop_extras(struct ht_outbuf *out, const struct ht_hop *hop,
			  const char *prefix);
/* The annotation after a probe's time ("!N", "!X", "!F-1280",
 * "!E(address-in-use)"...; BUF holds built ones); NULL for none. */
const char *ht_render_mark(const struct hp_result *r, char *buf, size_t len);
/* The round-trip time in milliseconds: to the nanosecond with NS and a
 * kernel time ("0.052311"), else to the microsecond ("0.052"). */
void ht_render_rtt(struct ht_outbuf *out, const struct hp_result *r, int ns);
/* The largest probe size of HOP that got an answer there (--pmtu); 0
 * when none had a size. */
int ht_render_hop_mtu(const struct ht_hop *hop);

/* ---- numbers ------------------------------------------------------- */

/* Non-negative X rounded to tenths, as "12.3". */
void ht_render_tenths(struct ht_outbuf *out, double x);
/* Microseconds as milliseconds with three decimals, exact: "0.123". */
void ht_render_ms3(struct ht_outbuf *out, int64_t us);
/* Microseconds as milliseconds rounded to tenths: "0.1". */
void ht_render_ms1(struct ht_outbuf *out, double us);
/* "2026-12-01T20:30:00.000Z" */
void ht_render_time(struct ht_outbuf *out, int64_t unix_us);

/* Length of the valid UTF-8 sequence at S (0 when the bytes at S are
 * not one); S[0] >= 0x80. */
size_t ht_render_utf8_len(const unsigned char *s);

#endif

/*
 * live_model.h: what the live view knows, fed by the event stream (pure).
 *
 * The live view runs cycle after cycle without end, so it cannot keep
 * every probe as the hop records do: per hop it keeps running statistics
 * (stats.h's accumulator), per responder the same, and, with --flows,
 * the newest HT_LIVE_RECENT probes for the per-path display (paths.h works
 * on those; about 90 KB a hop, so only when there are paths to show).
 * Names and AS numbers arrive once per address (names.h), so the model
 * keeps them by address for responders seen later.  A trace's TRACE_START
 * may come again (the run starts a new round of cycles): the statistics
 * go on across rounds.  The screen (live_screen.h) reads these structs.
 */
#ifndef HOPTRACE_LIVE_MODEL_H
#define HOPTRACE_LIVE_MODEL_H

#include <stdint.h>

#include "events.h"
#include "stats.h"

/* Responders of one hop shown; more are counted in `others`. */
#define HT_LIVE_RESPONDERS 8
/* Probes of one hop kept for the paths display. */
#define HT_LIVE_RECENT 256
/* Answers of one hop held back from Loss% (below); more count at once. */
#define HT_LIVE_YOUNG 4096
/* Addresses whose names are kept; more get none shown. */
#define HT_LIVE_NAMES 4096

struct ht_live_responder {
	struct hp_addr address;
	struct ht_stats_acc acc;	/* answers of this responder */
};

struct ht_live_hop {
	int ttl;
	int seen;			/* a probe of this ttl had a result */
	struct ht_stats_acc acc;	/* every probe of the hop */
	struct ht_live_responder responders[HT_LIVE_RESPONDERS];
	unsigned responder_count;
	unsigned others;		/* answers from responders not kept */
	struct ht_probe *recent;	/* HT_LIVE_RECENT, a ring (oldest
					 * at recent_next once full); NULL
					 * without --flows */
	unsigned recent_count;
	unsigned recent_next;
	/*
	 * The deadlines (sent + the probe timeout) of answered probes, a
	 * ring of young_count from young_head in young_cap (grown as
	 * needed, up to HT_LIVE_YOUNG).  An answer arrives at once but a
	 * loss only at its deadline: counting answers at once would show
	 * the loss of the last timeout's worth of probes as answered, so
	 * Loss% leaves out the answers whose deadline has not passed
	 * (ht_live_hop_loss).  Trimmed as newer probes show time passing.
	 */
	int64_t *young;
	unsigned young_cap, young_count, young_head;
};

struct ht_live_trace {
	int have;			/* a TRACE_START was seen */
	char *target;
	char *compare;			/* --compare's label; NULL */
	char *worker;			/* its worker's name, when the run
					 * has several; NULL */
	struct hp_addr address;
	enum hp_protocol protocol;
	int first_ttl;
	int max_ttl;
	int flows;
	int64_t wait_us;		/* the probe timeout */
	int distance;			/* lowest ttl the target answered
					 * at; 0 not yet */
	int highest_answer;		/* highest ttl anyone answered at */
	int highest_seen;		/* highest ttl with a result */
	unsigned rounds_ended;		/* TRACE_ENDs seen */
	int reached;			/* some round reached the target */
	struct ht_live_hop *hops;	/* max_ttl - first_ttl + 1 */
};

struct ht_live_name {
	struct hp_addr address;
	char *name;			/* NULL none */
	char *asn;			/* NULL none */
};

struct ht_live_config {
	int numeric;			/* -n */
	int show_ips;			/* -b */
	int show_asn;			/* -z */
};

struct ht_live_model {
	struct ht_live_config cfg;
	char *version;
	int64_t start_us;
	int several_workers;		/* name each trace's worker */
	struct ht_live_trace *traces;
	unsigned trace_count;
	struct ht_live_name *names;
	unsigned name_count;
	unsigned name_cap;
	int ended;			/* RUN_END seen */
	int exit_status;		/* RUN_END's */
	int failed;			/* out of memory once: shown */
};

/* NULL when out of memory. */
struct ht_live_model *ht_live_model_new(const struct ht_live_config *cfg);
void ht_live_model_free(struct ht_live_model *m);
void ht_live_model_event(struct ht_live_model *m, const struct ht_event *ev);
/* The `r` key: every statistic back to zero; targets and names kept. */
void ht_live_model_reset(struct ht_live_model *m);

/* The names known for ADDR (either may be NULL). */
void ht_live_model_names(const struct ht_live_model *m,
			 const struct hp_addr *addr, const char **name,
			 const char **asn);
/* The last ttl of trace T worth a row: the target's distance once it
 * answered, else one past the highest answer (where it went silent), and
 * never past what was probed; 0 when nothing is known yet. */
int ht_live_model_last_ttl(const struct ht_live_trace *t);
/* The probes of H Loss% is over at NOW_US (unix us): every result but the
 * answers whose deadline is still ahead, in *SETTLED; *LOST of them lost. */
void ht_live_hop_loss(const struct ht_live_hop *h, int64_t now_us,
		      unsigned *settled, unsigned *lost);
/* Hop TTL of T as the struct ht_hop paths.c takes: its recent probes,
 * oldest first, copied into PROBES (HT_LIVE_RECENT of them). */
void ht_live_model_recent_hop(const struct ht_live_trace *t, int ttl,
			      struct ht_probe *probes, struct ht_hop *hop);

#endif

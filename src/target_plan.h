/*
 * target_plan.h: the targets a run traces, from the ones the command line
 * and --file gave: prefixes expanded, then this run's shard (shard.h).
 */
#ifndef HOPTRACE_TARGET_PLAN_H
#define HOPTRACE_TARGET_PLAN_H

#include <stddef.h>

#include "options.h"

/* The most targets a run takes after prefixes are expanded. */
#define HT_PLAN_MAX_TARGETS 1048576u

/*
 * Rewrite CFG's targets: each prefix ("203.0.113.0/24") becomes every
 * address in it, network and broadcast included, in address order, where
 * it stood; then with --shard or --shard-from only the shard's slice of
 * the seed's order is kept, in that order.  SHARD_ENV is the value of the
 * --shard-from variable (NULL when unset; ignored without --shard-from).
 * An empty shard is not an error.  0, or -1 with a message in ERR (a
 * usage error: exit 2).  Pure: the caller reads the environment.
 */
int ht_target_plan(struct ht_config *cfg, const char *shard_env, char *err,
		   size_t errlen);

/* T as --list-targets prints it: HOST, HOST:PORT or [V6]:PORT. */
void ht_target_text(const struct ht_target *t, char *buf, size_t len);

#endif

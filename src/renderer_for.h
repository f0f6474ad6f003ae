/*
 * renderer_for.h: the renderer the command line asks for, live or replayed.
 */
#ifndef HOPTRACE_RENDERER_FOR_H
#define HOPTRACE_RENDERER_FOR_H

#include "options.h"
#include "render.h"

/* CFG's format and display options, for TARGET_COUNT traces, with this
 * host's name for the report's HOST column; NULL when out of memory. */
struct ht_renderer *ht_renderer_for(const struct ht_config *cfg,
				    unsigned target_count);
/* The same in FORMAT instead of CFG's (--record's JSONL). */
struct ht_renderer *ht_renderer_for_format(const struct ht_config *cfg,
					   unsigned target_count,
					   enum ht_format format);

#endif
